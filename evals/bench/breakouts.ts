/**
 * Benchmark 'breakouts': breakout allocation of made-up pools, the target case being 2,000 people in groups
 * of 8 over 6 rounds (≤ 30 s on 2 cores, zero repeated pairs). Beside it, on the same pool and seed: a random
 * allocation and a GroupSelect-like best-of-100-shuffles baseline (timed separately).
 *
 *   npm run bench -- breakouts [--n 2000] [--rounds 6] [--group-size 8] [--seed bench] [--no-shuffles]
 *
 * Pools are generated (seeded): gender (3 values, 49/49/2 %), age band (5, skewed), region (6, skewed), education
 * (3), and for the small pools the same distributions. Rows: one per pool size (60, 250 and --n).
 * Figures are printed and saved by the harness to evals/bench/results/breakouts.json.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Bench, BenchResult, EvalArgs } from '../harness.js';
import { allocate, allocationFigures, bestOfShuffles, type AllocationPerson } from '../../pipelines/allocation/index.js';
import { Rng } from '../../pipelines/sortition/random.js';

const DIST: Record<string, Array<[string, number]>> = {
  gender: [['woman', 0.49], ['man', 0.49], ['other', 0.02]],
  age: [['16-24', 0.14], ['25-39', 0.25], ['40-54', 0.25], ['55-69', 0.22], ['70+', 0.14]],
  region: [['north', 0.3], ['south', 0.25], ['east', 0.2], ['west', 0.15], ['centre', 0.07], ['islands', 0.03]],
  education: [['low', 0.3], ['middle', 0.4], ['high', 0.3]],
};
export const BENCH_FEATURES = Object.keys(DIST);

/** A made-up pool of n people with the distributions above (seeded). */
export function madeUpPool(n: number, seed: string): AllocationPerson[] {
  const rng = new Rng(`pool:${seed}`);
  const pick = (d: Array<[string, number]>) => {
    let x = rng.next();
    for (const [v, p] of d) if ((x -= p) < 0) return v;
    return d[d.length - 1][0];
  };
  return Array.from({ length: n }, (_, i) => ({ id: `p${String(i + 1).padStart(5, '0')}`, features: Object.fromEntries(BENCH_FEATURES.map((f) => [f, pick(DIST[f])])) }));
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;
const num = (a: string | boolean | undefined, d: number) => (typeof a === 'string' ? Number(a) : d);

export const bench: Bench = {
  name: 'breakouts',
  description: 'Breakout allocation: 2,000 people, groups of 8, 6 rounds (≤ 30 s, zero repeated pairs) beside random and best-of-100-shuffles',
  async run(args: EvalArgs, log): Promise<BenchResult> {
    const n = num(args.n, 2000);
    const rounds = num(args.rounds, 6);
    const groupSize = num(args['group-size'], 8);
    const seed = typeof args.seed === 'string' ? args.seed : 'bench';
    const load0 = loadavg()[0];
    const rows: Array<Record<string, number | string>> = [];
    let main: Record<string, number | string> = {};
    for (const size of [60, 250, n]) {
      const people = madeUpPool(size, seed);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const res = allocate({ people, features: BENCH_FEATURES, groupSize, rounds: Math.min(rounds, size <= 60 ? 4 : rounds), seed });
      const seconds = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      const sizes = res.rounds[0].map((g) => g.members.length);
      let sh: ReturnType<typeof allocationFigures> | null = null;
      let shSeconds = -1;
      if (args['no-shuffles'] !== true) {
        const s0 = performance.now();
        sh = allocationFigures(bestOfShuffles(people, BENCH_FEATURES, sizes, res.rounds.length, seed), people, BENCH_FEATURES);
        shSeconds = (performance.now() - s0) / 1000;
      }
      const row = {
        people: size,
        rounds: res.rounds.length,
        seconds: r3(seconds),
        cpuSeconds: r3((c.user + c.system) / 1e6),
        repeatedPairs: res.figures.repeatedPairs,
        meanDistinctMet: r3(res.figures.meanDistinctMet),
        maxFeatureDeviation: r3(res.figures.maxFeatureDeviation),
        random_repeatedPairs: res.random.repeatedPairs,
        random_meanDistinctMet: r3(res.random.meanDistinctMet),
        random_maxFeatureDeviation: r3(res.random.maxFeatureDeviation),
        shuffles100_repeatedPairs: sh?.repeatedPairs ?? -1,
        shuffles100_maxFeatureDeviation: sh ? r3(sh.maxFeatureDeviation) : -1,
        shuffles100_seconds: r3(shSeconds),
      };
      log(JSON.stringify(row));
      rows.push(row);
      if (size === n) main = row;
    }
    const figures: Record<string, number | string> = {
      ...main,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      cores: cpus().length,
      loadAverageStart: r3(load0),
      loadAverageEnd: r3(loadavg()[0]),
    };
    return { name: 'breakouts', figures, rows, notes: [`pools generated with seed '${seed}', features ${BENCH_FEATURES.join(', ')}; groups of ${groupSize}`] };
  },
};
