/**
 * ballots benchmark: Schulze (margins) on 100,000 ballots over 50 options (default), seeded synthetic ballots:
 * each option has a base appeal, each voter adds noise and ranks a prefix of their order (40 % rank all 50, the
 * others 1–49; 10 % of ballots hold one tie of two options). Times, in the same run:
 *   - tally: pairwise matrix + strongest paths + ranking on ballots already in memory (what a ballot close waits on
 *     once the ballots are loaded);
 *   - read + tally: the same ballots written as a PrefLib .toi file, read by the reader and tallied (the CLI path);
 *   - service: the same ballots stored as the service stores them (SQLite roll + cast ballots), the ballot closed;
 *     the first read after close loads them all, counts and stores the announced result (what a facilitator waits on);
 *   - baseline: a plain pairwise count comparing rank positions looked up per pair with Map lookups (no typed
 *     arrays), to show what the typed-array count buys.
 *
 *   npm run bench -- ballots [--ballots 100000] [--options 50] [--seed 1] [--repeat 3]
 */
import { cpus, loadavg } from 'node:os';
import type { Bench } from '../harness.js';
import { indexProfile, readBallotFile, schulzeIndexed, type RankedProfile } from '../../pipelines/ballots/index.js';
import { createPrng } from '../../pipelines/votes/prng.js';
import { ctxFor } from '../../src/deps.js';
import { ballotRoll, ballotVotes } from '../../src/modules/ballots/schema.js';
import { closeBallot, createBallot, getBallot } from '../../src/modules/ballots/service.js';
import { memberships, users } from '../../src/platform/db/schema.js';
import { testService } from '../../src/testing/service.js';

/**
 * The service path a facilitator waits on: the ballots stored in SQLite (roll + cast ballots, as votes write them),
 * the ballot closed, then the first read after close loads every ballot, counts and stores the announced result.
 */
async function serviceClose(profile: RankedProfile): Promise<{ seconds: number; cpu: number; winners: string[] }> {
  const s = await testService();
  const staff = ctxFor(s.deps, { kind: 'user', id: s.users.facilitator, role: 'facilitator', displayName: 'F', language: 'en', via: 'token', assemblyIds: [] });
  const b = createBallot(staff, s.assemblyId, { title: 'Bench', method: 'schulze', options: profile.options, closesAt: new Date(Date.now() + 86_400_000).toISOString() });
  const id = new Map(profile.options.map((o, i) => [o, `o${i + 1}`]));
  const pos = new Map(profile.options.map((o, i) => [o, i]));
  s.db.transaction((tx) => {
    profile.ballots.forEach((x, i) => {
      const uid = `u_bench_${i}`;
      tx.insert(users).values({ id: uid, role: 'participant', displayName: `m${i}` }).run();
      tx.insert(memberships).values({ assemblyId: s.assemblyId, userId: uid, pseudonym: `m${i}` }).run();
      tx.insert(ballotRoll).values({ ballotId: b.id, userId: uid }).run();
      tx.insert(ballotVotes).values({ ballotId: b.id, receipt: `R${String(i).padStart(7, '0')}`, choice: { ranking: x.ranking.map((t) => t.map((o) => id.get(o)!)) }, packed: x.ranking.map((t) => t.map((o) => pos.get(o)).join('=')).join(',') }).run();
    });
  });
  // closing answers with the ballot's view, which is the first read after close: it counts and stores the result
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  closeBallot(staff, s.assemblyId, b.id);
  const v = getBallot(staff, s.assemblyId, b.id);
  const seconds = (performance.now() - t0) / 1000;
  const c1 = process.cpuUsage(c0);
  return { seconds, cpu: (c1.user + c1.system) / 1e6, winners: (v.result?.winners ?? []).map((w) => profile.options[Number(w.slice(1)) - 1]) };
}

export function syntheticBallots(nBallots: number, nOptions: number, seed: number): RankedProfile {
  const rng = createPrng(seed, 16);
  const options = Array.from({ length: nOptions }, (_, i) => `option ${i + 1}`);
  const appeal = options.map(() => rng.next() * 2);
  const ballots = [];
  const u = new Float64Array(nOptions);
  const order = options.map((_, i) => i);
  for (let b = 0; b < nBallots; b++) {
    for (let i = 0; i < nOptions; i++) u[i] = appeal[i] + (rng.next() + rng.next() + rng.next() - 1.5) * 1.5;
    order.sort((x, y) => u[y] - u[x]);
    const k = rng.next() < 0.4 ? nOptions : 1 + rng.int(nOptions - 1);
    const ranking: string[][] = order.slice(0, k).map((i) => [options[i]]);
    if (k >= 3 && rng.next() < 0.1) {
      const t = rng.int(k - 1);
      ranking.splice(t, 2, [...ranking[t], ...ranking[t + 1]]);
    }
    ballots.push({ ranking, count: 1 });
  }
  return { options, ballots };
}

function toPrefLib(p: RankedProfile): string {
  const num = new Map(p.options.map((o, i) => [o, i + 1]));
  const head = [`# DATA TYPE: toi`, `# NUMBER ALTERNATIVES: ${p.options.length}`, ...p.options.map((o, i) => `# ALTERNATIVE NAME ${i + 1}: ${o}`)];
  const rows = p.ballots.map((b) => `1: ${b.ranking.map((t) => (t.length > 1 ? `{${t.map((o) => num.get(o)).join(',')}}` : String(num.get(t[0])))).join(',')}`);
  return [...head, ...rows].join('\n') + '\n';
}

function baselinePairwise(p: RankedProfile): number[][] {
  const d = p.options.map(() => p.options.map(() => 0));
  for (const b of p.ballots) {
    const pos = new Map<string, number>();
    b.ranking.forEach((t, i) => t.forEach((o) => pos.set(o, i)));
    p.options.forEach((x, i) => p.options.forEach((y, j) => {
      const rx = pos.get(x) ?? Infinity;
      const ry = pos.get(y) ?? Infinity;
      if (rx < ry) d[i][j] += b.count ?? 1;
    }));
  }
  return d;
}

const time = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const r = f();
  return [r, (performance.now() - t0) / 1000];
};

export const bench: Bench = {
  name: 'ballots',
  description: 'Schulze (margins) on 100,000 ranked ballots over 50 options: tally, read + tally from PrefLib, plain baseline',
  async run(args, log) {
    const n = Number(args.ballots ?? 100_000);
    const m = Number(args.options ?? 50);
    const repeat = Number(args.repeat ?? 3);
    const loadStart = loadavg()[0];
    const [profile, genS] = time(() => syntheticBallots(n, m, Number(args.seed ?? 1)));
    log(`generated ${n} ballots over ${m} options in ${genS.toFixed(1)} s`);
    const tallies: number[] = [];
    const indexing: number[] = [];
    const cpu: number[] = [];
    let winners: string[] = [];
    for (let r = 0; r < repeat; r++) {
      const c0 = process.cpuUsage();
      const [indexed, si] = time(() => indexProfile(profile));
      const [res, s] = time(() => schulzeIndexed(indexed, 'margin'));
      const c1 = process.cpuUsage(c0);
      cpu.push((c1.user + c1.system) / 1e6);
      indexing.push(si);
      tallies.push(si + s);
      winners = res.winners;
    }
    const text = toPrefLib(profile);
    const [, readTallyS] = time(() => {
      const [f] = readBallotFile(new TextEncoder().encode(text), 'bench.toi');
      if (f.kind !== 'ranked') throw new Error('ranked expected');
      return schulzeIndexed(indexProfile(f.profile), 'margin');
    });
    const [base, baseS] = time(() => baselinePairwise(profile));
    const ours = schulzeIndexed(indexProfile(profile), 'margin').pairwise;
    if (JSON.stringify(base) !== JSON.stringify(ours)) throw new Error('baseline and pipeline pairwise matrices differ');
    const best = Math.min(...tallies);
    const svc = args['no-service'] ? null : await serviceClose(profile);
    if (svc && svc.winners.join() !== winners.join()) throw new Error('the service announced another winner than the pipeline');
    return {
      name: 'ballots',
      figures: {
        ballots: n,
        options: m,
        schulzeTallyBestS: +best.toFixed(3),
        schulzeTallyMedianS: +tallies.sort((a, b) => a - b)[Math.floor(tallies.length / 2)].toFixed(3),
        schulzeTallyCpuBestS: +Math.min(...cpu).toFixed(3),
        of_whichValidateAndIndexBestS: +Math.min(...indexing).toFixed(3),
        target2sMet: best <= 2 ? 'yes' : 'no',
        serviceCloseAndCountS: svc ? +svc.seconds.toFixed(3) : 'skipped',
        serviceCloseAndCountCpuS: svc ? +svc.cpu.toFixed(3) : 'skipped',
        readPrefLibAndTallyS: +readTallyS.toFixed(3),
        prefLibMb: +(text.length / 1e6).toFixed(1),
        baselinePairwiseOnlyS: +baseS.toFixed(3),
        winner: winners.join(' = '),
        cpus: cpus().length,
        loadavg1mStart: +loadStart.toFixed(2),
        loadavg1mEnd: +loadavg()[0].toFixed(2),
      },
      notes: ['single-threaded; the pairwise count is O(ballots × options²), the strongest paths O(options³)', 'baseline and pipeline pairwise matrices checked equal in the run'],
    };
  },
};
