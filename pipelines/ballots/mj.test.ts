import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareGauges, lowerMedian, majorityGauge, majorityJudgment, tallyGrades } from './mj.js';

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

describe('majority judgment', () => {
  it('the iterated gauge orders tallies exactly as the lexicographic majority value (equal totals, random)', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const lex = (a: number[], b: number[]) => a.map((x, i) => x - b[i]).find((d) => d !== 0) ?? 0;
    let disagreements = 0;
    let decided = 0;
    for (let t = 0; t < 3000; t++) {
      const grades = 2 + Math.floor(rnd() * 4);
      const voters = 1 + Math.floor(rnd() * 12);
      const make = () => {
        const c = new Array<number>(grades).fill(0);
        for (let i = 0; i < voters; i++) c[Math.floor(rnd() * grades)]++;
        return c;
      };
      const a = make();
      const b = make();
      const want = Math.sign(lex(naiveValue(a), naiveValue(b)));
      if (want !== 0) decided++;
      if (Math.sign(compareGauges(majorityGauge(a), majorityGauge(b))) !== want) disagreements++;
    }
    expect(decided).toBeGreaterThan(2000);
    expect(disagreements).toBe(0);
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
    expect(naiveValue([1, 2, 3, 4]).join('') > naiveValue([2, 2, 3, 3]).join('')).toBe(true);
  });
  it('compares options graded by different numbers of voters after normalising', () => {
    // A: 1 bad 1 good (total 2); B: 2 bad 2 good (total 4) → same distribution, tied after scaling
    const r = majorityJudgment({ grades: ['bad', 'good'], options: { A: [1, 1], B: [2, 2], C: [1, 2] } });
    expect(r.ranking).toEqual([['C'], ['A', 'B']]);
    // same majority grade; 3/7 ≈ 43 % above beats 4/10 = 40 % above although 4 votes > 3: shares, not raw counts
    const s = majorityJudgment({ grades: ['bad', 'ok', 'good'], options: { big: [2, 4, 4], small: [1, 3, 3] } });
    expect(s.ranking).toEqual([['small'], ['big']]);
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
