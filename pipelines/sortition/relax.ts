/**
 * Infeasible quotas: find the smallest relaxation. A MILP over seat counts per group with slack on every
 * minimum and maximum:
 *
 *   minimise Σ_r (s⁻_r + s⁺_r)
 *   s.t. Σ_g c_g = k;  Σ_{g∈r} c_g + s⁻_r ≥ min_r;  Σ_{g∈r} c_g − s⁺_r ≤ max_r;  Σ_{g∈h} c_g ≤ 1 per household;
 *        0 ≤ c_g ≤ |g| integer;  0 ≤ s⁻_r ≤ min_r;  s⁺_r ≥ 0.
 *
 * Seat counts are integers, so the slacks are whole numbers at the optimum: each row with slack gets a proposed
 * new min (min − s⁻) or max (max + s⁺). An optimum of 0 means the quotas are feasible. The proposal is one
 * smallest relaxation (in total seats); others of equal size may exist.
 */
import type { Highs } from 'highs';
import type { GroupedPool } from './pool.js';
import type { QuotaRelaxation, Quotas } from './types.js';

export interface QuotaDiagnosis {
  feasible: boolean;
  /** total seats of relaxation needed (0 when feasible) */
  totalRelaxation: number;
  relaxations: QuotaRelaxation[];
  /** a panel (seat counts per group) meeting the relaxed quotas */
  panel: Array<[number, number]>;
}

export function diagnoseGrouped(h: Highs, grouped: GroupedPool, quotas: Quotas, panelSize: number): QuotaDiagnosis {
  const G = grouped.groups.length;
  const R = quotas.rows.length;
  const numCols = G + 2 * R; // c_g, s⁻_r, s⁺_r
  const rows: Array<{ lower: number; upper: number; idx: number[]; val: number[] }> = [];
  rows.push({ lower: panelSize, upper: panelSize, idx: Array.from({ length: G }, (_, g) => g), val: new Array(G).fill(1) });
  const members: number[][] = quotas.rows.map(() => []);
  grouped.groupRows.forEach((rs, g) => rs.forEach((r) => members[r].push(g)));
  quotas.rows.forEach((q, r) => {
    rows.push({ lower: q.min, upper: h.infinity, idx: [...members[r], G + r], val: [...members[r].map(() => 1), 1] });
    rows.push({ lower: -h.infinity, upper: q.max, idx: [...members[r], G + R + r], val: [...members[r].map(() => 1), -1] });
  });
  for (const hh of grouped.householdGroups) {
    const idx = [...hh].sort((a, b) => a - b);
    rows.push({ lower: -h.infinity, upper: 1, idx, val: idx.map(() => 1) });
  }
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of rows) {
    indices.push(...row.idx);
    values.push(...row.val);
    starts.push(indices.length);
  }
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  const integrality = new Int32Array(numCols);
  for (let g = 0; g < G; g++) {
    colUpper[g] = grouped.groups[g].length;
    integrality[g] = h.constants.variableType.integer;
  }
  for (let r = 0; r < R; r++) {
    colCost[G + r] = 1;
    colUpper[G + r] = quotas.rows[r].min;
    colCost[G + R + r] = 1;
    colUpper[G + R + r] = h.infinity;
  }
  const model = h.createModel({
    numCols,
    numRows: rows.length,
    sense: h.constants.objectiveSense.minimize,
    colCost,
    colLower,
    colUpper,
    rowLower: rows.map((r) => r.lower),
    rowUpper: rows.map((r) => r.upper),
    matrix: { format: 'csr', numRows: rows.length, numCols, starts, indices, values },
    integrality,
  });
  try {
    model.options.set({ output_flag: false, random_seed: 0 });
    const result = model.run();
    if (result.modelStatus !== 7) throw new Error(`HiGHS (quota relaxation) ended with status ${result.modelStatus}: the panel size cannot be reached even with relaxed quotas`);
    const x = model.getSolution().colValue;
    const relaxations: QuotaRelaxation[] = [];
    let total = 0;
    quotas.rows.forEach((q, r) => {
      const lower = Math.round(x[G + r]);
      const upper = Math.round(x[G + R + r]);
      if (lower > 0 || upper > 0) {
        relaxations.push({ category: q.category, value: q.value, min: q.min, max: q.max, newMin: q.min - lower, newMax: q.max + upper });
        total += lower + upper;
      }
    });
    const panel: Array<[number, number]> = [];
    for (let g = 0; g < G; g++) {
      const c = Math.round(x[g]);
      if (c > 0) panel.push([g, c]);
    }
    return { feasible: total === 0, totalRelaxation: total, relaxations, panel };
  } finally {
    model.dispose();
  }
}
