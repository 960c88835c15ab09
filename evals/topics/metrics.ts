/**
 * Clustering and ranking scores, from their definitions:
 *  - ARI (Hubert & Arabie 1985) from the contingency table;
 *  - NMI = I(U;V) / mean(H(U), H(V)) (arithmetic normalisation, as scikit-learn's default);
 *  - purity = Σ_clusters max_label |cluster ∩ label| / n;
 *  - average precision of a ranking against a set of relevant items.
 */

function contingency(a: ArrayLike<string | number>, b: ArrayLike<string | number>) {
  if (a.length !== b.length) throw new Error(`label vectors differ in length (${a.length} vs ${b.length})`);
  const table = new Map<string, Map<string, number>>();
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  for (let i = 0; i < a.length; i++) {
    const x = String(a[i]);
    const y = String(b[i]);
    const r = table.get(x) ?? new Map<string, number>();
    r.set(y, (r.get(y) ?? 0) + 1);
    table.set(x, r);
    rows.set(x, (rows.get(x) ?? 0) + 1);
    cols.set(y, (cols.get(y) ?? 0) + 1);
  }
  return { table, rows, cols, n: a.length };
}

const comb2 = (x: number) => (x * (x - 1)) / 2;

export function adjustedRandIndex(truth: ArrayLike<string | number>, pred: ArrayLike<string | number>): number {
  const { table, rows, cols, n } = contingency(truth, pred);
  if (n < 2) return 1;
  let sumCells = 0;
  for (const r of table.values()) for (const c of r.values()) sumCells += comb2(c);
  let sumRows = 0;
  for (const c of rows.values()) sumRows += comb2(c);
  let sumCols = 0;
  for (const c of cols.values()) sumCols += comb2(c);
  const expected = (sumRows * sumCols) / comb2(n);
  const max = (sumRows + sumCols) / 2;
  if (max === expected) return 1; // both partitions trivial and identical in structure
  return (sumCells - expected) / (max - expected);
}

function entropy(counts: Iterable<number>, n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

export function normalizedMutualInfo(truth: ArrayLike<string | number>, pred: ArrayLike<string | number>): number {
  const { table, rows, cols, n } = contingency(truth, pred);
  if (n === 0) return 0;
  let mi = 0;
  for (const [x, r] of table) {
    for (const [y, c] of r) mi += (c / n) * Math.log((n * c) / (rows.get(x)! * cols.get(y)!));
  }
  const hu = entropy(rows.values(), n);
  const hv = entropy(cols.values(), n);
  if (hu === 0 && hv === 0) return 1;
  const denom = (hu + hv) / 2;
  return denom === 0 ? 0 : Math.max(0, mi / denom);
}

export function purity(truth: ArrayLike<string | number>, pred: ArrayLike<string | number>): number {
  const { table, n } = contingency(pred, truth);
  if (n === 0) return 0;
  let s = 0;
  for (const r of table.values()) s += Math.max(...r.values());
  return s / n;
}

/** Average precision of `ranked` (best first) against the relevant set; 0 when nothing is relevant. */
export function averagePrecision(ranked: string[], relevant: Set<string>): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  let sum = 0;
  ranked.forEach((id, i) => {
    if (relevant.has(id)) {
      hits++;
      sum += hits / (i + 1);
    }
  });
  return sum / relevant.size;
}
