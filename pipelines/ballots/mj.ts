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
 * - Options graded by different numbers of voters: compared as if their tallies were scaled to a common total
 *   (MieuxVoter's "normalised" tallies), which the iterated majority gauge below does exactly by comparing shares.
 *
 * The comparison costs O(grades²) per option whatever the number of voters (see `majorityGauge`).
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

/** One step of the majority gauge: majority grade, side of the larger group (+1 above, −1 below, 0 none), its size. */
export interface GaugeStep {
  grade: number;
  sign: number;
  size: number;
  total: number;
}

/**
 * The iterated majority gauge of a tally: at each step the lower median grade g, and the larger of the groups
 * strictly above (p) and strictly below (q) it (below wins a tie, as the lower median leans down); then g's voters
 * are merged into the nearest grade on that larger side and the step repeats, at most once per grade. Comparing
 * these steps (grade, then + before −, then larger p / smaller q as shares of each option's total) orders options
 * exactly as the lexicographic majority value of Balinski–Laraki does for equal totals (checked against one-by-one
 * removal on 3,000 random pairs in mj.test.ts), and, being in shares, compares options of different totals as if
 * their tallies were scaled to a common total.
 */
export function majorityGauge(counts: readonly number[]): GaugeStep[] {
  const c = [...counts];
  const total = c.reduce((a, b) => a + b, 0);
  const steps: GaugeStep[] = [];
  if (total === 0) return steps;
  for (let s = 0; s < c.length; s++) {
    const g = lowerMedian(c);
    let above = 0;
    let below = 0;
    for (let i = 0; i < c.length; i++) {
      if (i > g) above += c[i];
      else if (i < g) below += c[i];
    }
    if (above === 0 && below === 0) {
      steps.push({ grade: g, sign: 0, size: 0, total });
      break;
    }
    const up = above > below;
    steps.push({ grade: g, sign: up ? 1 : -1, size: up ? above : below, total });
    let h = up ? g + 1 : g - 1;
    while (c[h] === 0) h += up ? 1 : -1;
    c[h] += c[g];
    c[g] = 0;
  }
  return steps;
}

/** Compares two iterated gauges; > 0 when a is better. Exact: shares compared by cross-multiplication. */
export function compareGauges(a: GaugeStep[], b: GaugeStep[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x.grade !== y.grade) return x.grade - y.grade;
    if (x.sign !== y.sign) return x.sign - y.sign;
    const d = x.size * y.total - y.size * x.total;
    if (d !== 0) return x.sign > 0 ? d : -d;
  }
  return 0;
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
  const totals = names.map((n) => tally.options[n].reduce((a, b) => a + b, 0));
  const gauges = names.map((n) => majorityGauge(tally.options[n]));
  const results: MjOptionResult[] = names.map((option, i) => {
    const counts = tally.options[option];
    const total = totals[i];
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
    if (totals[a] === 0 || totals[b] === 0) return (totals[a] === 0 ? 1 : 0) - (totals[b] === 0 ? 1 : 0) || a - b;
    return compareGauges(gauges[b], gauges[a]) || a - b;
  });
  const ranking: Tiers = [];
  let prev = -1;
  for (const i of order) {
    const tied = prev >= 0 && (totals[i] === 0 ? totals[prev] === 0 : totals[prev] > 0 && compareGauges(gauges[i], gauges[prev]) === 0);
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
