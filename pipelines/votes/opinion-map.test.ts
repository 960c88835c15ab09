import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { addVotes, buildVoteMatrix, getVote, type Vote } from './matrix.js';
import { computeOpinionMap, type OpinionMap, type StatementFlag } from './opinion-map.js';
import { sparsePca } from './pca.js';
import { createPrng } from './prng.js';
import { plantedTwoGroups } from './testing.js';

function ok(r: ReturnType<typeof computeOpinionMap>): OpinionMap {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.status}: ${r.reason}`);
  return r;
}

/** 1 when the two labellings are the same partition. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>(), ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.has(a[i]) && ab.get(a[i]) !== b[i]) || (ba.has(b[i]) && ba.get(b[i]) !== a[i])) return false;
    ab.set(a[i], b[i]); ba.set(b[i], a[i]);
  }
  return true;
}

describe('computeOpinionMap on a planted two-group conversation', () => {
  const planted = plantedTwoGroups(60, 6, 3, 42);
  const res = ok(computeOpinionMap({ matrix: planted.matrix }, { seed: 7 }));

  it('finds the two planted groups', () => {
    expect(res.k).toBe(2);
    const idx = Array.from(res.inConv);
    expect(idx.length).toBeGreaterThanOrEqual(50);
    expect(samePartition(idx.map((i) => res.participantGroup[i]), idx.map((i) => planted.group[i]))).toBe(true);
  });

  it('picks the planted statements as representative, in the planted direction', () => {
    for (const g of res.groups) {
      expect(g.representative.length).toBeGreaterThan(0);
      // which planted group is this?
      const member = res.inConv.find((i) => res.participantGroup[i] === g.id)!;
      const pg = planted.group[member];
      for (const r of g.representative) {
        expect(r.statement).toBeLessThan(12); // never a consensus statement
        const agreeSide = (r.statement < 6) === (pg === 0);
        expect(r.direction).toBe(agreeSide ? 'agree' : 'disagree');
        expect(r.pTest).toBeGreaterThan(1.2816);
        expect(r.repnessTest).toBeGreaterThan(1.2816);
      }
    }
  });

  it('finds the consensus statements and ranks them first in group-informed consensus', () => {
    expect(res.consensus.agree.map((c) => c.statement).sort()).toEqual([12, 13, 14]);
    const gac = Array.from(res.groupInformedConsensus);
    const top3 = gac.map((v, j) => [v, j]).sort((a, b) => b[0] - a[0]).slice(0, 3).map((x) => x[1]).sort();
    expect(top3).toEqual([12, 13, 14]);
    // divisive statements: low product of per-group agreement
    expect(gac[0]).toBeLessThan(0.3);
  });

  it('gives every statement a finite routing priority', () => {
    for (const p of res.priority) expect(Number.isFinite(p) && p > 0).toBe(true);
  });

  it('is deterministic for the same input and seed', () => {
    const again = ok(computeOpinionMap({ matrix: planted.matrix }, { seed: 7 }));
    expect(Array.from(again.participantGroup)).toEqual(Array.from(res.participantGroup));
    expect(Array.from(again.projection)).toEqual(Array.from(res.projection));
    expect(JSON.stringify(again.state)).toBe(JSON.stringify(res.state));
  });

  it('warm start from the previous state gives the same groups; a few new votes keep group ids', () => {
    const warm = ok(computeOpinionMap({ matrix: planted.matrix }, { seed: 7, previous: JSON.parse(JSON.stringify(res.state)) }));
    expect(Array.from(warm.participantGroup)).toEqual(Array.from(res.participantGroup));
    expect(warm.pca.iterations).toBeLessThan(res.pca.iterations + 1);
    // one participant changes a few votes: groups stay, ids stay
    const m2 = addVotes(planted.matrix, [{ participant: 0, statement: 0, vote: 0 }, { participant: 1, statement: 1, vote: 0 }]);
    const inc = ok(computeOpinionMap({ matrix: m2 }, { seed: 7, previous: res.state }));
    expect(Array.from(inc.participantGroup)).toEqual(Array.from(res.participantGroup));
    expect(inc.state.updates).toBe(2);
  });
});

describe('computeOpinionMap edge cases', () => {
  it('returns a typed not-enough-votes result for a tiny conversation', () => {
    const m = buildVoteMatrix(3, 4, [{ participant: 0, statement: 0, vote: 1 }, { participant: 1, statement: 1, vote: -1 }, { participant: 2, statement: 0, vote: 0 }]);
    const r = computeOpinionMap({ matrix: m }, { seed: 1 });
    expect(r.status).toBe('not-enough-votes');
    if (r.status === 'not-enough-votes') {
      expect(r.participantsWithVotes).toBe(3);
      expect(r.reason).toMatch(/at least/);
    }
    const empty = computeOpinionMap({ matrix: buildVoteMatrix(0, 0, []) }, { seed: 1 });
    expect(empty.status).toBe('not-enough-votes');
  });

  it('leaves rejected and meta statements out of the math', () => {
    const planted = plantedTwoGroups(40, 5, 2, 3);
    // add two noise statements, then flag them
    const rng = createPrng(9);
    const extra = [] as Array<{ participant: number; statement: number; vote: 1 | -1 | 0 }>;
    for (let i = 0; i < 40; i++) for (const s of [12, 13]) extra.push({ participant: i, statement: s, vote: ([1, -1, 0] as const)[rng.int(3)] });
    const m = addVotes(planted.matrix, extra, 40, 14);
    const flags: StatementFlag[] = Array.from({ length: 14 }, (_, j) => (j === 12 ? 'rejected' : j === 13 ? 'meta' : 'ok'));
    const r = ok(computeOpinionMap({ matrix: m, statementFlags: flags }, { seed: 1, sparsityCount: 'math' }));
    const base = ok(computeOpinionMap({ matrix: planted.matrix }, { seed: 1, sparsityCount: 'math' }));
    expect(Array.from(r.participantGroup)).toEqual(Array.from(base.participantGroup));
    expect(Math.abs(r.pca.comps[0][12])).toBe(0);
    expect(Number.isNaN(r.groupInformedConsensus[12])).toBe(true);
    expect(r.priority[12]).toBe(0);
    expect(r.priority[13]).toBe(49);
    for (const g of r.groups) for (const rep of g.representative) expect(rep.statement).toBeLessThan(12);
  });

  it('changes the shown k only after the new k wins several updates in a row', () => {
    const planted = plantedTwoGroups(60, 6, 3, 42);
    const first = ok(computeOpinionMap({ matrix: planted.matrix }, { seed: 7 }));
    expect(first.k).toBe(2);
    // pretend the previous updates showed k = 3
    let state = { ...first.state, shownK: 3, candidateK: 3, candidateRuns: 0, groupCenters: [] as number[] };
    const shown: number[] = [];
    for (let u = 0; u < 4; u++) {
      const r = ok(computeOpinionMap({ matrix: planted.matrix }, { seed: 7, previous: state, kSwitchAfter: 3 }));
      shown.push(r.k);
      state = r.state;
    }
    expect(shown).toEqual([3, 3, 2, 2]);
  });

  it('clusters at least 15 participants (the most active) even below the vote threshold', () => {
    const votes = [] as Array<{ participant: number; statement: number; vote: 1 | -1 | 0 }>;
    for (let i = 0; i < 30; i++) for (let j = 0; j < (i < 5 ? 10 : 3); j++) votes.push({ participant: i, statement: (i + j) % 10, vote: (i + j) % 3 === 0 ? -1 : 1 });
    const r = ok(computeOpinionMap({ matrix: buildVoteMatrix(30, 10, votes) }, { seed: 1 }));
    expect(r.inConv.length).toBe(15);
    for (let i = 0; i < 5; i++) expect(r.participantGroup[i]).toBeGreaterThanOrEqual(0);
  });
});

describe('sparsity correction', () => {
  it("'polis' scales by √(statements with votes / (votes in the math + excluded statements with votes)), as Pol.is's projections", () => {
    const votes: Vote[] = [];
    for (let i = 0; i < 20; i++) for (let j = 0; j < 10; j++) if (j < 6 || i === 0) votes.push({ participant: i, statement: j, vote: (i % 2 === 0) === (j % 2 === 0) ? 1 : -1 });
    const matrix = buildVoteMatrix(20, 12, votes);
    // statements 10, 11 rejected (no votes), 8 and 9 rejected with one vote (participant 0)
    const flags: StatementFlag[] = Array.from({ length: 12 }, (_, j) => (j >= 8 ? 'rejected' : 'ok'));
    const r = ok(computeOpinionMap({ matrix, statementFlags: flags }, { seed: 1 }));
    for (const i of [0, 1]) {
      let x = 0, y = 0;
      for (let j = 0; j < 8; j++) {
        const v = getVote(matrix, i, j);
        if (v === null) continue;
        x += (v - r.pca.center[j]) * r.pca.comps[0][j]; y += (v - r.pca.center[j]) * r.pca.comps[1][j];
      }
      // Pol.is's matrix has a column per statement anyone voted on: 10 (8 and 9 rejected, seen by all); 10, 11 absent
      const inMath = i === 0 ? 8 : 6;
      const scale = Math.sqrt(10 / (inMath + 2));
      expect(r.projection[2 * i]).toBeCloseTo(x * scale, 12);
      expect(r.projection[2 * i + 1]).toBeCloseTo(y * scale, 12);
    }
  });
});

describe('sparse PCA', () => {
  it('matches numpy SVD of the mean-imputed, centred matrix', () => {
    const P = 40, S = 12;
    const rng = createPrng(11);
    const votes = [] as Array<{ participant: number; statement: number; vote: 1 | -1 | 0 }>;
    for (let i = 0; i < P; i++) for (let j = 0; j < S; j++) if (rng.next() < 0.7) votes.push({ participant: i, statement: j, vote: ([1, -1, 0] as const)[(rng.int(3) + (i % 2) * (j % 2)) % 3] });
    const m = buildVoteMatrix(P, S, votes);
    const pca = sparsePca(m, { active: new Uint8Array(S).fill(1), rng: createPrng(1) });
    const dense = Array.from({ length: P }, (_, i) => Array.from({ length: S }, (_, j) => getVote(m, i, j)));
    const script = `
import json, sys, numpy as np
X = np.array(json.loads(sys.stdin.read()), dtype=float)
mu = np.nanmean(X, axis=0)
X = np.where(np.isnan(X), mu, X) - mu
u, s, vt = np.linalg.svd(X, full_matrices=False)
print(json.dumps(vt[:2].tolist()))`;
    const out = execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(dense.map((r) => r.map((v) => (v === null ? NaN : v)))).replace(/NaN/g, 'NaN') });
    const ref = JSON.parse(out.toString()) as number[][];
    for (const c of [0, 1]) {
      let d = 0;
      for (let j = 0; j < S; j++) d += ref[c][j] * pca.comps[c][j];
      expect(Math.abs(d)).toBeGreaterThan(0.99999);
    }
  });
});
