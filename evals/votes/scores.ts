/**
 * Agreement between two labellings of the same items: Adjusted Rand Index (Hubert & Arabie 1985) and
 * Normalised Mutual Information (arithmetic-mean normalisation, as scikit-learn's default).
 */
import type { OpinionMapResult } from '../../pipelines/votes/opinion-map.js';

function contingency(a: ArrayLike<number>, b: ArrayLike<number>): { table: Map<string, number>; rows: Map<number, number>; cols: Map<number, number>; n: number } {
  if (a.length !== b.length) throw new Error(`labellings differ in length: ${a.length} vs ${b.length}`);
  const table = new Map<string, number>(), rows = new Map<number, number>(), cols = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const key = `${a[i]}|${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
  }
  return { table, rows, cols, n: a.length };
}

const comb2 = (x: number): number => (x * (x - 1)) / 2;

/** Adjusted Rand Index in [−1, 1]; 1 for identical partitions (up to renaming). Two single-cluster labellings give 1. */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const { table, rows, cols, n } = contingency(a, b);
  if (n < 2) return 1;
  let sumComb = 0, sumA = 0, sumB = 0;
  for (const v of table.values()) sumComb += comb2(v);
  for (const v of rows.values()) sumA += comb2(v);
  for (const v of cols.values()) sumB += comb2(v);
  const expected = (sumA * sumB) / comb2(n);
  const max = (sumA + sumB) / 2;
  if (max === expected) return 1; // both trivial (all one cluster or all singletons)
  return (sumComb - expected) / (max - expected);
}

/** Normalised mutual information in [0, 1]: I(A;B) / ((H(A) + H(B)) / 2); 1 when both labellings are trivial and equal. */
export function normalizedMutualInfo(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const { table, rows, cols, n } = contingency(a, b);
  if (n === 0) return 1;
  const h = (m: Map<number, number>) => { let s = 0; for (const v of m.values()) s -= (v / n) * Math.log(v / n); return s; };
  const ha = h(rows), hb = h(cols);
  let mi = 0;
  for (const [key, v] of table) {
    const [x, y] = key.split('|').map(Number);
    mi += (v / n) * Math.log((v * n) / (rows.get(x)! * cols.get(y)!));
  }
  const denom = (ha + hb) / 2;
  if (denom === 0) return 1;
  return Math.max(0, Math.min(1, mi / denom));
}

/** Spearman rank correlation (average ranks for ties). NaN when fewer than 2 pairs or a constant side. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new Error('spearman: lengths differ');
  const rank = (v: ArrayLike<number>): Float64Array => {
    const idx = Array.from({ length: v.length }, (_, i) => i).sort((i, j) => v[i] - v[j]);
    const r = new Float64Array(v.length);
    for (let s = 0; s < idx.length;) {
      let e = s;
      while (e + 1 < idx.length && v[idx[e + 1]] === v[idx[s]]) e++;
      for (let t = s; t <= e; t++) r[idx[t]] = (s + e) / 2 + 1;
      s = e + 1;
    }
    return r;
  };
  const n = x.length;
  if (n < 2) return NaN;
  const rx = rank(x), ry = rank(y);
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += rx[i]; my += ry[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { sxy += (rx[i] - mx) * (ry[i] - my); sxx += (rx[i] - mx) ** 2; syy += (ry[i] - my) ** 2; }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Whether two opinion-map runs gave the same groups (same k, same group for every participant; or the same failure). */
export function sameGroups(a: OpinionMapResult, b: OpinionMapResult): boolean {
  if (a.status !== 'ok' || b.status !== 'ok') return a.status === b.status;
  return a.k === b.k && a.participantGroup.every((g, i) => g === b.participantGroup[i]);
}
