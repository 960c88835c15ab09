import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareRuns, lowerMedian, majorityJudgment, majorityValueRuns, tallyGrades } from './mj.js';

/** Naive majority value: remove the lower median one at a time. */
function naiveValue(counts: number[]): number[] {
  const c = [...counts];
  const out: number[] = [];
  for (;;) {
    const g = lowerMedian(c);
    if (g < 0) return out;
    out.push(g);
    c[g]--;
  }
}
const expand = (runs: Array<[number, bigint]>) => runs.flatMap(([g, r]) => new Array<number>(Number(r)).fill(g));

describe('majority judgment', () => {
  it('majority value in runs equals one-at-a-time removal (random tallies)', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let t = 0; t < 300; t++) {
      const counts = Array.from({ length: 2 + Math.floor(rnd() * 5) }, () => Math.floor(rnd() * 6));
      expect(expand(majorityValueRuns(counts.map(BigInt))), counts.join(',')).toEqual(naiveValue(counts));
    }
  });
  it('lower median for an even number of grades', () => {
    expect(lowerMedian([1, 1])).toBe(0);
    expect(lowerMedian([0, 2, 2])).toBe(1);
    expect(lowerMedian([0, 0, 0])).toBe(-1);
  });
  it('breaks ties as Balinski–Laraki (PNAS 2007 style example)', () => {
    // both have majority grade "good"; A has more above than B has below → A first
    const r = majorityJudgment({ grades: ['bad', 'fair', 'good', 'very good'], options: { B: [2, 2, 3, 3], A: [1, 2, 3, 4], C: [1, 2, 3, 4] } });
    expect(r.results.map((x) => x.majorityGradeName)).toEqual(['good', 'good', 'good']);
    expect(r.ranking).toEqual([['A', 'C'], ['B']]);
    expect(compareRuns(majorityValueRuns([1n, 2n, 3n, 4n]), majorityValueRuns([2n, 2n, 3n, 3n]))).toBeGreaterThan(0);
  });
  it('compares options graded by different numbers of voters after normalising', () => {
    // A: 1 bad 1 good (total 2); B: 2 bad 2 good (total 4) → same distribution, tied after scaling
    const r = majorityJudgment({ grades: ['bad', 'good'], options: { A: [1, 1], B: [2, 2], C: [1, 2] } });
    expect(r.ranking).toEqual([['C'], ['A', 'B']]);
  });
  it('rejects grades off the scale', () => {
    expect(() => tallyGrades(['a', 'b'], ['x'], [{ x: 2 }])).toThrow(/outside the scale/);
    expect(() => majorityJudgment({ grades: ['a', 'b'], options: { x: [1, 2, 3] } })).toThrow(/expected 2 counts/);
  });
});

describe("CCC measures: published majority grades, and how 'Pas d'avis' (-1) counts", () => {
  const measures = JSON.parse(readFileSync(new URL('../../fixtures/ballots/ccc/ccc_measures_with_votes.json', import.meta.url), 'utf8')) as Array<{
    mj_counts_per_grade: Record<string, number> | null;
    mj_majority_grade: number | null;
  }>;
  const voted = measures.filter((m) => m.mj_counts_per_grade && Object.values(m.mj_counts_per_grade).some((x) => x > 0));
  const grade = (counts: Record<string, number>, scale: string[]) => {
    const r = majorityJudgment({ grades: scale, options: { m: scale.map((g) => counts[g] ?? 0) } });
    return Number(r.results[0].majorityGradeName);
  };
  it('reproduces all 76 published majority grades when -1 is the lowest grade', () => {
    expect(voted).toHaveLength(76);
    for (const m of voted) expect(grade(m.mj_counts_per_grade!, ['-1', '1', '2', '3', '4', '5'])).toBe(m.mj_majority_grade);
  });
  it('does not reproduce them when -1 is left out (so it must count, as the lowest grade)', () => {
    const misses = voted.filter((m) => grade(m.mj_counts_per_grade!, ['1', '2', '3', '4', '5']) !== m.mj_majority_grade);
    expect(misses.length).toBeGreaterThan(0);
  });
});
