/**
 * ballots benchmark: Schulze (margins) on 100,000 ballots over 50 options (default), seeded synthetic ballots:
 * each option has a base appeal, each voter adds noise and ranks a prefix of their order (40 % rank all 50, the
 * others 1–49; 10 % of ballots hold one tie of two options). Times, in the same run:
 *   - tally: pairwise matrix + strongest paths + ranking on ballots already in memory (what a ballot close waits on
 *     once the ballots are loaded);
 *   - read + tally: the same ballots written as a PrefLib .toi file, read by the reader and tallied (the CLI path);
 *   - baseline: a plain pairwise count comparing rank positions looked up per pair with Map lookups (no typed
 *     arrays), to show what the typed-array count buys.
 *
 *   npm run bench -- ballots [--ballots 100000] [--options 50] [--seed 1] [--repeat 3]
 */
import { cpus, loadavg } from 'node:os';
import type { Bench } from '../harness.js';
import { indexProfile, readBallotFile, schulzeIndexed, type RankedProfile } from '../../pipelines/ballots/index.js';
import { createPrng } from '../../pipelines/votes/prng.js';

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
