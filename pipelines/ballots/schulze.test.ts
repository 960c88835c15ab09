import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schulze, type SchulzeVariant } from './schulze.js';
import { BallotError } from './types.js';

/** Schulze's worked examples as transcribed from Condorcet PHP's tests (MIT; fixtures/ATTRIBUTION.md). */
interface Example {
  id: string;
  candidates: string[];
  ballots: { ranking: string[][]; count: number }[];
  expected: Record<string, { winners?: string[]; ranking?: string[][]; strongest_paths?: Record<string, Record<string, number | { num: number; den: number }>> }>;
}
const examples = (
  JSON.parse(readFileSync(new URL('../../fixtures/ballots/schulze-paper/schulze_examples.json', import.meta.url), 'utf8')) as {
    examples: Example[];
  }
).examples;

const VARIANTS: Record<string, SchulzeVariant> = { 'schulze-winning': 'winning', 'schulze-margin': 'margin', 'schulze-ratio': 'ratio' };

describe('Schulze on the paper examples', () => {
  const cases = examples.flatMap((e) => Object.entries(e.expected).map(([m, exp]) => ({ e, m, exp })));
  it('covers all 22 expectations of the 20 elections', () => {
    expect(examples).toHaveLength(20);
    expect(cases).toHaveLength(22);
  });
  it.each(cases.map((c) => [`${c.e.id} ${c.m}`, c] as const))('%s', (_name, { e, m, exp }) => {
    const r = schulze({ options: e.candidates, ballots: e.ballots }, VARIANTS[m]);
    if (exp.winners) expect(r.winners).toEqual(exp.winners);
    if (exp.ranking) expect(r.ranking).toEqual(exp.ranking);
    if (exp.strongest_paths) {
      for (const [x, row] of Object.entries(exp.strongest_paths)) {
        for (const [y, want] of Object.entries(row)) {
          const got = r.pathFractions[e.candidates.indexOf(x)][e.candidates.indexOf(y)];
          if (typeof want === 'number') expect(got.num / got.den, `${x}→${y}`).toBe(want);
          else expect(got.num * want.den, `${x}→${y}`).toBe(want.num * got.den);
        }
      }
    }
  });
});

describe('Schulze details', () => {
  it('ties unranked options last and reports tied groups', () => {
    const r = schulze({ options: ['a', 'b', 'c', 'd'], ballots: [{ ranking: [['a']], count: 2 }, { ranking: [['b']], count: 2 }] });
    expect(r.pairwise[0]).toEqual([0, 2, 2, 2]);
    expect(r.pairwise[2]).toEqual([0, 0, 0, 0]);
    expect(r.ranking).toEqual([['a', 'b'], ['c', 'd']]);
    expect(r.winners).toEqual(['a', 'b']);
  });
  it('pairwise counts equal a direct count over random ballots with ties and unranked options', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const options = ['a', 'b', 'c', 'd', 'e', 'f'];
    const ballots = Array.from({ length: 200 }, () => {
      const shuffled = [...options].sort(() => rnd() - 0.5).slice(0, Math.floor(rnd() * 7));
      const ranking: string[][] = [];
      for (const o of shuffled) if (ranking.length > 0 && rnd() < 0.3) ranking[ranking.length - 1].push(o); else ranking.push([o]);
      return { ranking, count: 1 + Math.floor(rnd() * 3) };
    });
    const direct = options.map((x) => options.map((y) => ballots.reduce((sum, b) => {
      const rank = (o: string) => { const t = b.ranking.findIndex((tier) => tier.includes(o)); return t < 0 ? Infinity : t; };
      return sum + (rank(x) < rank(y) ? b.count : 0);
    }, 0)));
    expect(schulze({ options, ballots }).pairwise).toEqual(direct);
  });
  it('uses margins by default (example 10 elects A with margins, D with winning votes)', () => {
    const e = examples.find((x) => x.id === 'schulze-official-example-10')!;
    expect(schulze({ options: e.candidates, ballots: e.ballots }).winners).toEqual(['A']);
    expect(schulze({ options: e.candidates, ballots: e.ballots }, 'winning').winners).toEqual(['D']);
  });
  it('rejects repeated and unknown options', () => {
    expect(() => schulze({ options: ['a', 'b'], ballots: [{ ranking: [['a'], ['a']] }] })).toThrow(/ranked more than once/);
    expect(() => schulze({ options: ['a', 'b'], ballots: [{ ranking: [['z']] }] })).toThrow(BallotError);
  });
});
