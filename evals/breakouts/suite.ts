/**
 * Eval suite 'breakouts': breakout allocation over rounds on any people table, beside a random allocation.
 *
 *   breakouts --data FILE.csv --id-column ID --features f1,f2,… [--group-size 8] [--rounds 4] [--seed S]
 *
 * Every person is allocated in every round. Metrics: repeatedPairs (pairs meeting in more than one round),
 * meanDistinctMet (distinct others met per person, averaged), maxFeatureDeviation (largest |share of a value in a
 * group − its share in the table| over groups, rounds and values), the same three for a random allocation with
 * equal group sizes and the same seed (prefixed random_), the same for a GroupSelect-like baseline keeping the
 * best of 100 shuffles per round (prefixed shuffles100_; --no-shuffles skips it), with --ilp the same for the
 * Barrett et al.-style baseline (greedy rounds, each an integer program under diversity constraints, HiGHS with
 * --ilp-seconds per round; prefixed ilp_, with ilp_seconds and each round's solver status in the provenance), and seconds. Items: one {round, group, members} per group
 * (round and group 1-based, members = ids exactly as in the file).
 */
import { readFileSync } from 'node:fs';
import { DataError, type EvalArgs, type EvalItem, type EvalSuite } from '../harness.js';
import { allocate, allocationFigures, AllocationError, bestOfShuffles, parsePeopleTable } from '../../pipelines/allocation/index.js';
import { ilpRounds } from '../../pipelines/allocation/ilp.js';

function str(args: EvalArgs, name: string, fallback?: string): string {
  const v = args[name];
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (fallback !== undefined) return fallback;
  throw new DataError(`--${name} is required`);
}
function int(args: EvalArgs, name: string, fallback: number): number {
  const raw = args[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1) throw new DataError(`--${name} must be a positive whole number; got ${String(raw)}`);
  return v;
}

export const suite: EvalSuite = {
  name: 'breakouts',
  description: 'Breakout allocation over rounds (repeated pairs, distinct people met, feature balance) beside a random allocation with the same seed',
  usage: '--id-column ID --features f1,f2,… [--group-size 8] [--rounds 4] [--seed S] [--no-shuffles] [--ilp [--ilp-seconds 10]]',
  async run(ctx) {
    const idColumn = str(ctx.args, 'id-column');
    const features = str(ctx.args, 'features').split(',').map((f) => f.trim()).filter(Boolean);
    const groupSize = int(ctx.args, 'group-size', 8);
    const rounds = int(ctx.args, 'rounds', 4);
    const seed = str(ctx.args, 'seed', 'plenary');
    let text: string;
    try {
      text = readFileSync(ctx.data, 'utf8');
    } catch (e) {
      throw new DataError(`cannot read ${ctx.data}: ${(e as Error).message}`);
    }
    try {
      const people = parsePeopleTable(text, idColumn, features);
      ctx.log(`${people.length} people, features ${features.join(', ')}, groups of ${groupSize}, ${rounds} rounds, seed ${seed}`);
      const res = allocate({ people, features, groupSize, rounds, seed });
      const sizes = res.rounds[0].map((g) => g.members.length);
      const shuffles = ctx.args['no-shuffles'] === true ? null : allocationFigures(bestOfShuffles(people, features, sizes, rounds, seed), people, features);
      const ilp = ctx.args.ilp === true ? await ilpRounds(people, features, sizes, rounds, { timeLimitSeconds: int(ctx.args, 'ilp-seconds', 10) }) : null;
      const ilpFigures = ilp && ilp.rounds.length === rounds ? allocationFigures(ilp.rounds, people, features) : null;
      if (ilp) ctx.log(`ILP rounds: ${ilp.status.join(', ')} in ${ilp.seconds.toFixed(1)} s`);
      const items: EvalItem[] = res.rounds.flatMap((round, r) => round.map((g) => ({ name: `round ${r + 1} group ${g.group + 1}`, round: r + 1, group: g.group + 1, members: g.members })));
      const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
      return {
        metrics: {
          repeatedPairs: res.figures.repeatedPairs,
          meanDistinctMet: r6(res.figures.meanDistinctMet),
          maxFeatureDeviation: r6(res.figures.maxFeatureDeviation),
          random_repeatedPairs: res.random.repeatedPairs,
          random_meanDistinctMet: r6(res.random.meanDistinctMet),
          random_maxFeatureDeviation: r6(res.random.maxFeatureDeviation),
          ...(shuffles
            ? { shuffles100_repeatedPairs: shuffles.repeatedPairs, shuffles100_meanDistinctMet: r6(shuffles.meanDistinctMet), shuffles100_maxFeatureDeviation: r6(shuffles.maxFeatureDeviation) }
            : {}),
          ...(ilpFigures
            ? { ilp_repeatedPairs: ilpFigures.repeatedPairs, ilp_meanDistinctMet: r6(ilpFigures.meanDistinctMet), ilp_maxFeatureDeviation: r6(ilpFigures.maxFeatureDeviation), ilp_seconds: r6(ilp!.seconds) }
            : {}),
          seconds: r6(res.provenance.seconds),
        },
        items,
        provenance: { ...res.provenance, ...(ilp ? { ilp_status: ilp.status } : {}), featureDeviation: res.figures.featureDeviation, random_featureDeviation: res.random.featureDeviation, people: people.length },
      };
    } catch (e) {
      if (e instanceof AllocationError) throw new DataError(`${ctx.data}: ${e.message}`);
      throw e;
    }
  },
};
