import { describe, expect, it } from 'vitest';
import { buildVoteMatrix, type VoteValue } from './matrix.js';
import { computeOpinionMap, warmBaseClusters, type OpinionMap, type OpinionMapResult } from './opinion-map.js';
import { createPrng } from './prng.js';
import { joinOrderHistory, LIVE_OPTIONS, replayOpinionMaps, updateBoundaries, type TimedVoteValue } from './replay.js';

function ok(r: OpinionMapResult): OpinionMap {
  if (r.status !== 'ok') throw new Error(`expected ok, got ${r.status}: ${r.reason}`);
  return r;
}

const MIN = 60_000;

/**
 * 60 participants in 3 planted groups. Phase 1 (statements 0–5): group 0 agrees, groups 1 and 2 disagree, so two
 * groups show. Phase 2 (statements 6–11): group 1 agrees, group 2 disagrees, group 0 passes, so three groups show.
 * Each participant votes on each statement with probability 0.9, 10 % of votes flipped to pass. Phase 1 votes arrive
 * one participant per minute; phase 2 votes all arrive `phase2At` ms later.
 */
function history(seed: number, phase2At = 24 * 60 * MIN): { votes: TimedVoteValue[]; group: Int32Array } {
  const rng = createPrng(seed, 9);
  const votes: TimedVoteValue[] = [];
  const group = Int32Array.from({ length: 60 }, (_, i) => i % 3);
  for (let i = 0; i < 60; i++) {
    for (let j = 0; j < 12; j++) {
      if (rng.next() > 0.9) continue;
      let v: VoteValue;
      if (j < 6) v = group[i] === 0 ? 1 : -1;
      else v = group[i] === 0 ? 0 : group[i] === 1 ? 1 : -1;
      if (rng.next() < 0.1) v = 0;
      votes.push({ participant: i, statement: j, vote: v, time: j < 6 ? i * MIN : phase2At + i });
    }
  }
  return { votes, group };
}

const finalMatrix = (votes: readonly TimedVoteValue[]) =>
  buildVoteMatrix(60, 12, [...votes].sort((a, b) => a.time - b.time).map(({ participant, statement, vote }) => ({ participant, statement, vote })));

function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>(), ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.has(a[i]) && ab.get(a[i]) !== b[i]) || (ba.has(b[i]) && ba.get(b[i]) !== a[i])) return false;
    ab.set(a[i], b[i]); ba.set(b[i], a[i]);
  }
  return true;
}

describe('updateBoundaries', () => {
  it('groups votes within the interval after an update\'s first vote', () => {
    const times = [0, 10, 59, 61, 200, 200, 500];
    expect(updateBoundaries(times, [0, 1, 2, 3, 4, 5, 6], 60)).toEqual([3, 4, 6, 7]);
    expect(updateBoundaries(times, [0, 1, 2, 3, 4, 5, 6], 0)).toEqual([1, 2, 3, 4, 6, 7]);
  });
});

describe('replayOpinionMaps', () => {
  const { votes, group } = history(3);
  const rep = replayOpinionMaps({ nParticipants: 60, nStatements: 12, votes }, { seed: 5, updateIntervalMs: 5 * MIN });
  const res = ok(rep.result);

  it('replays the history in updates and is deterministic', () => {
    expect(rep.updates).toBeGreaterThan(5);
    expect(rep.clusteredUpdates).toBeGreaterThan(3);
    // input order must not matter, only times
    const again = replayOpinionMaps({ nParticipants: 60, nStatements: 12, votes: [...votes].reverse() }, { seed: 5, updateIntervalMs: 5 * MIN });
    const r2 = ok(again.result);
    expect(Array.from(r2.participantGroup)).toEqual(Array.from(res.participantGroup));
    expect(JSON.stringify(r2.state)).toBe(JSON.stringify(res.state));
    expect(again.kHistory).toEqual(rep.kHistory);
  });

  it('smooths k over the history: the new k shows only after winning kSwitchAfter updates in a row', () => {
    // phase 1 shows 2 groups; the one update carrying phase 2 makes 3 the best k, but the shown k stays 2
    expect(rep.kHistory.every((k) => k === 2)).toBe(true);
    expect(res.bestK).toBe(3);
    expect(res.k).toBe(2);
    expect(res.state.candidateK).toBe(3);
    expect(res.state.candidateRuns).toBe(1);
    // the same final votes in one shot (no history) show 3 groups: the history matters
    const oneShot = ok(computeOpinionMap({ matrix: finalMatrix(votes) }, { seed: 5, ...LIVE_OPTIONS }));
    expect(oneShot.k).toBe(3);
    expect(samePartition(Array.from(oneShot.inConv, (i) => oneShot.participantGroup[i]), Array.from(oneShot.inConv, (i) => group[i]))).toBe(true);
    // recomputing with no new votes (as the service does) switches on the kSwitchAfter-th consecutive win (default 4)
    const shown: number[] = [];
    let state = res.state;
    for (let u = 0; u < 3; u++) {
      const r = ok(computeOpinionMap({ matrix: finalMatrix(votes) }, { seed: 5, ...LIVE_OPTIONS, previous: state }));
      shown.push(r.k); state = r.state;
    }
    expect(shown).toEqual([2, 2, 3]);
  });

  it('a warm start with nothing changed reproduces the cold result (same groups, bases and k)', () => {
    const m = finalMatrix(votes);
    const cold = ok(computeOpinionMap({ matrix: m }, { seed: 5, ...LIVE_OPTIONS }));
    const warm = ok(computeOpinionMap({ matrix: m }, { seed: 5, ...LIVE_OPTIONS, previous: JSON.parse(JSON.stringify(cold.state)) }));
    expect(Array.from(warm.participantGroup)).toEqual(Array.from(cold.participantGroup));
    expect(Array.from(warm.base.participantBase)).toEqual(Array.from(cold.base.participantBase));
    expect(warm.k).toBe(cold.k);
    expect(warm.state.updates).toBe(2);
    // a history of one update is the one-shot computation with the same options
    const single = replayOpinionMaps({ nParticipants: 60, nStatements: 12, votes: votes.map((v) => ({ ...v, time: 0 })) }, { seed: 5 });
    expect(single.updates).toBe(1);
    expect(Array.from(ok(single.result).participantGroup)).toEqual(Array.from(cold.participantGroup));
  });

  it('caps the number of updates by widening the interval', () => {
    const capped = replayOpinionMaps({ nParticipants: 60, nStatements: 12, votes }, { seed: 5, updateIntervalMs: 0, maxUpdates: 10 });
    expect(capped.updates).toBeLessThanOrEqual(10);
    expect(capped.intervalMs).toBeGreaterThan(0);
  });
});

describe('joinOrderHistory', () => {
  it('has participants arrive in index order, one per interval, each casting their votes at once in statement order; silent ones skipped', () => {
    const m = buildVoteMatrix(4, 3, [
      { participant: 2, statement: 1, vote: 1 }, { participant: 0, statement: 2, vote: -1 }, { participant: 0, statement: 0, vote: 0 },
      { participant: 3, statement: 0, vote: 1 },
    ]);
    expect(joinOrderHistory(m, 10)).toEqual([
      { participant: 0, statement: 0, vote: 0, time: 0 }, { participant: 0, statement: 2, vote: -1, time: 0 },
      { participant: 2, statement: 1, vote: 1, time: 10 }, { participant: 3, statement: 0, vote: 1, time: 20 },
    ]);
  });

  it('replayed, it follows the order in which groups formed, which the final votes alone do not record', () => {
    // the history above with its timestamps dropped: participants keep their order, the phases are lost
    const { votes } = history(3);
    const m = finalMatrix(votes);
    const stand = joinOrderHistory(m);
    expect(stand).toHaveLength(votes.length);
    const rep = replayOpinionMaps({ nParticipants: 60, nStatements: 12, votes: stand }, { seed: 5 });
    expect(rep.updates).toBe(30); // an update takes the votes up to one interval after its first: two arrivals
    const res = ok(rep.result);
    // every participant arrives with both phases' votes, so three groups form early and stay (the true history shows 2)
    expect(res.k).toBe(3);
    expect(res.inConv.length).toBe(60);
  });
});

describe('warmBaseClusters', () => {
  it('keeps previous memberships, splits moved-apart members while below k, and sends new points to the nearest base', () => {
    // previous: participants 0, 1 in base 0; 2, 3 in base 1. Now 1 has moved away from 0; participant 4 is new.
    const pts = Float64Array.from([0, 0, 3, 0, 10, 0, 11, 0, 10.2, 0]);
    const below = warmBaseClusters(pts, [0, 1, 2, 3, 4], 3, [0, 1, 2, 3], [0, 0, 1, 1]);
    // room for a third base: participant 1 splits off; 4 joins base 1 (the nearest)
    expect(Array.from(below.assign)).toEqual([0, 2, 1, 1, 1]);
    expect(Array.from(below.previousBase)).toEqual([0, 1, -1]);
    const full = warmBaseClusters(pts, [0, 1, 2, 3, 4], 2, [0, 1, 2, 3], [0, 0, 1, 1]);
    expect(Array.from(full.assign)).toEqual([0, 0, 1, 1, 1]);
    // a base left without members is dropped (k = 1: no room to split)
    const dropped = warmBaseClusters(Float64Array.from([10, 0, 11, 0]), [2, 3], 1, [0, 1, 2, 3], [0, 0, 1, 1]);
    expect(Array.from(dropped.size)).toEqual([2]);
    expect(Array.from(dropped.previousBase)).toEqual([1]);
    // with room (k = 2), the survivors' distinct points become bases again, as at a cold start
    expect(warmBaseClusters(Float64Array.from([10, 0, 11, 0]), [2, 3], 2, [0, 1, 2, 3], [0, 0, 1, 1]).size.length).toBe(2);
  });
});
