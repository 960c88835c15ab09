/**
 * Majority judgment, implemented from M. Balinski and R. Laraki, "A theory of measuring, electing, and ranking",
 * PNAS 104 (2007) 8720–8725, and their book "Majority Judgment" (MIT Press, 2010).
 *
 * - Grades are a scale from worst to best (configurable: any list of names, index 0 = worst).
 * - Majority grade = the lower median: with the n grades sorted from worst to best, the one at position
 *   ⌊(n − 1) / 2⌋ (0-based), i.e. for an even n the lower of the two middle grades.
 * - Ties are broken by the majority value (Balinski–Laraki): remove one majority grade from each tied option and
 *   compare the new majority grades; repeat. The sequence of majority grades removed, compared lexicographically,
 *   orders the options; options with equal sequences (identical tallies) stay tied.
 * - Options graded by different numbers of voters: their tallies are first scaled to a common total (the least
 *   common multiple of the totals, each tally multiplied by lcm / its total), as MieuxVoter's libraries do for
 *   "normalised" tallies; the comparison then works on equal totals. Exact, in BigInt.
 *
 * The majority value is computed in runs (grade, how many times it is removed in a row), so tallies of millions of
 * voters cost O(grades) per option rather than O(voters).
 */
import { BallotError, type Tiers } from './types.js';

export interface GradeTally {
  /** grade names, worst first */
  grades: string[];
  /** option → count per grade (same order as `grades`) */
  options: Record<string, number[]>;
}

export interface MjOptionResult {
  option: string;
  counts: number[];
  total: number;
  /** index of the majority grade in `grades` (−1 when nobody graded the option) */
  majorityGrade: number;
  majorityGradeName: string | null;
  /** share of grades strictly above / below the majority grade (the majority gauge's p and q) */
  above: number;
  below: number;
}

export interface MjResult {
  method: 'mj';
  grades: string[];
  options: string[];
  results: MjOptionResult[];
  ranking: Tiers;
  winners: string[];
}

/** Index of the lower median grade of a tally (−1 for an empty tally). */
export function lowerMedian(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return -1;
  const m = Math.floor((total - 1) / 2);
  let cum = 0;
  for (let g = 0; g < counts.length; g++) {
    cum += counts[g];
    if (cum > m) return g;
  }
  return counts.length - 1;
}

/** Majority value as runs [grade, times removed in a row], from a tally already scaled to the common total. */
export function majorityValueRuns(counts: readonly bigint[]): Array<[number, bigint]> {
  const c = [...counts];
  let total = c.reduce((a, b) => a + b, 0n);
  const runs: Array<[number, bigint]> = [];
  while (total > 0n) {
    const m = (total - 1n) / 2n;
    let below = 0n;
    let g = 0;
    while (below + c[g] <= m) below += c[g++];
    const above = total - below - c[g];
    // g stays the lower median for the k-th removal (k = 0-based) while k ≤ c[g] − 1, k ≤ total − 1 − 2·below
    // and, when some grades lie above, k ≤ total − 2·above (derived from below ≤ ⌊(T−k−1)/2⌋ < below + c[g] − k)
    let k = c[g] - 1n;
    const k1 = total - 1n - 2n * below;
    if (k1 < k) k = k1;
    if (above > 0n) {
      const k2 = total - 2n * above;
      if (k2 < k) k = k2;
    }
    const r = k + 1n;
    runs.push([g, r]);
    c[g] -= r;
    total -= r;
  }
  return runs;
}

/** Compares two majority values (equal totals); > 0 when a is better. */
export function compareRuns(a: Array<[number, bigint]>, b: Array<[number, bigint]>): number {
  let i = 0;
  let j = 0;
  let ra = a[0]?.[1] ?? 0n;
  let rb = b[0]?.[1] ?? 0n;
  while (i < a.length && j < b.length) {
    if (a[i][0] !== b[j][0]) return a[i][0] - b[j][0];
    const step = ra < rb ? ra : rb;
    ra -= step;
    rb -= step;
    if (ra === 0n && ++i < a.length) ra = a[i][1];
    if (rb === 0n && ++j < b.length) rb = b[j][1];
  }
  return 0;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Majority judgment over per-grade tallies. */
export function majorityJudgment(tally: GradeTally): MjResult {
  const { grades } = tally;
  if (grades.length < 2) throw new BallotError('a grade scale needs at least two grades');
  if (new Set(grades).size !== grades.length) throw new BallotError('the grade scale names a grade twice');
  const names = Object.keys(tally.options);
  for (const name of names) {
    const c = tally.options[name];
    if (!Array.isArray(c) || c.length !== grades.length) throw new BallotError(`option "${name}": expected ${grades.length} counts (one per grade), got ${Array.isArray(c) ? c.length : typeof c}`);
    if (c.some((x) => !Number.isInteger(x) || x < 0)) throw new BallotError(`option "${name}": counts must be whole numbers ≥ 0`);
  }
  const totals = names.map((n) => BigInt(tally.options[n].reduce((a, b) => a + b, 0)));
  const graded = totals.filter((t) => t > 0n);
  const lcm = graded.reduce((l, t) => (l / gcd(l, t)) * t, 1n);
  const runs = names.map((n, i) => (totals[i] > 0n ? majorityValueRuns(tally.options[n].map((x) => (BigInt(x) * lcm) / totals[i])) : []));
  const results: MjOptionResult[] = names.map((option, i) => {
    const counts = tally.options[option];
    const total = Number(totals[i]);
    const g = lowerMedian(counts);
    const sum = (from: number, to: number) => counts.slice(from, to).reduce((a, b) => a + b, 0);
    return {
      option,
      counts: [...counts],
      total,
      majorityGrade: g,
      majorityGradeName: g >= 0 ? grades[g] : null,
      above: total > 0 ? sum(g + 1, grades.length) / total : 0,
      below: total > 0 ? sum(0, g) / total : 0,
    };
  });
  // options nobody graded come last; the others by majority value, best first
  const order = names.map((_, i) => i).sort((a, b) => {
    if (totals[a] === 0n || totals[b] === 0n) return (totals[a] === 0n ? 1 : 0) - (totals[b] === 0n ? 1 : 0) || a - b;
    return compareRuns(runs[b], runs[a]) || a - b;
  });
  const ranking: Tiers = [];
  let prev = -1;
  for (const i of order) {
    const tied = prev >= 0 && (totals[i] === 0n ? totals[prev] === 0n : totals[prev] > 0n && compareRuns(runs[i], runs[prev]) === 0);
    if (tied) ranking[ranking.length - 1].push(names[i]);
    else ranking.push([names[i]]);
    prev = i;
  }
  return { method: 'mj', grades: [...grades], options: names, results, ranking, winners: ranking[0] ?? [] };
}

/** Builds per-grade tallies from individual grade ballots (option → grade index), checking the scale. */
export function tallyGrades(grades: string[], options: string[], ballots: Array<Record<string, number>>): GradeTally {
  const out: Record<string, number[]> = Object.fromEntries(options.map((o) => [o, new Array<number>(grades.length).fill(0)]));
  ballots.forEach((b, bi) => {
    for (const [o, g] of Object.entries(b)) {
      if (!(o in out)) throw new BallotError(`ballot ${bi + 1}: unknown option "${o}"`);
      if (!Number.isInteger(g) || g < 0 || g >= grades.length) throw new BallotError(`ballot ${bi + 1}: grade ${g} for "${o}" is outside the scale (0 to ${grades.length - 1})`);
      out[o][g]++;
    }
  });
  return { grades: [...grades], options: out };
}
