/**
 * HiGHS (WebAssembly) models used by the sortition algorithms: the panel MILP (find a feasible panel that
 * maximises a weighted sum of seats, subject to quotas and one-per-household) and small LP helpers.
 * HiGHS in WASM is single-threaded and deterministic for a given build, which the reproducible draw relies on.
 */
import highsModule, { type Highs } from 'highs';
import type { GroupedPool } from './pool.js';
import type { Quotas } from './types.js';

type HighsModel = ReturnType<Highs['createModel']>;

// The package's types describe a CommonJS default export while Node's ESM import gets the `.mjs` build's
// default export: accept either shape.
const highsLoader = ((highsModule as unknown as { default?: unknown }).default ?? highsModule) as unknown as () => Promise<Highs>;

let loading: Promise<Highs> | null = null;

/** Loads the HiGHS WASM runtime once per process (~50–150 ms). Pass your own instance to the functions to share it. */
export function loadHighs(): Promise<Highs> {
  if (loading === null) loading = highsLoader();
  return loading;
}

export function solverName(h: Highs): string {
  return `highs-wasm ${h.version.string}`;
}

const STATUS_OPTIMAL = 7;

/**
 * A CPU-seconds clock (the caller's, e.g. from process.cpuUsage(): pipelines read no environment). The solvers run
 * on the calling thread, so deltas around a solve are its CPU time. Without one, CPU time is not tracked (0).
 */
export type CpuClock = () => number;
const noClock: CpuClock = () => 0;

/** A panel over groups: sparse [group, seats] pairs, group ascending. */
export type GroupPanel = Array<[number, number]>;

export function panelKey(panel: GroupPanel): string {
  return panel.map(([g, c]) => `${g}:${c}`).join(',');
}

export interface PanelSpace {
  grouped: GroupedPool;
  quotas: Quotas;
  panelSize: number;
}

/**
 * Persistent MILP over seat counts per group: 0 ≤ c_g ≤ |group|, Σ c_g = k, min_r ≤ Σ_{g∈r} c_g ≤ max_r for every
 * quota row r, Σ_{g∈h} c_g ≤ 1 for every shared household h. Only the objective changes between calls.
 */
export class PanelMilp {
  private readonly model: HighsModel;
  private readonly numGroups: number;
  private readonly sizes: number[];
  calls = 0;
  seconds = 0;
  cpu = 0;

  constructor(
    private readonly h: Highs,
    space: PanelSpace,
    extraOptions: Record<string, number | string | boolean> = {},
    private readonly cpuSeconds: CpuClock = noClock,
  ) {
    const { grouped, quotas, panelSize } = space;
    const G = grouped.groups.length;
    this.numGroups = G;
    this.sizes = grouped.groups.map((g) => g.length);
    const rowsEntries: number[][] = [];
    const rowLower: number[] = [];
    const rowUpper: number[] = [];
    // Σ c = k
    rowsEntries.push(Array.from({ length: G }, (_, g) => g));
    rowLower.push(panelSize);
    rowUpper.push(panelSize);
    // quota rows
    const members: number[][] = quotas.rows.map(() => []);
    grouped.groupRows.forEach((rows, g) => rows.forEach((r) => members[r].push(g)));
    quotas.rows.forEach((q, r) => {
      rowsEntries.push(members[r]);
      rowLower.push(q.min);
      rowUpper.push(q.max);
    });
    for (const hh of grouped.householdGroups) {
      rowsEntries.push([...hh].sort((a, b) => a - b));
      rowLower.push(-h.infinity);
      rowUpper.push(1);
    }
    const starts = [0];
    const indices: number[] = [];
    const values: number[] = [];
    for (const entries of rowsEntries) {
      for (const g of entries) {
        indices.push(g);
        values.push(1);
      }
      starts.push(indices.length);
    }
    this.model = h.createModel({
      numCols: G,
      numRows: rowsEntries.length,
      sense: h.constants.objectiveSense.maximize,
      colCost: new Float64Array(G),
      colLower: new Float64Array(G),
      colUpper: Float64Array.from(this.sizes),
      rowLower,
      rowUpper,
      matrix: { format: 'csr', numRows: rowsEntries.length, numCols: G, starts, indices, values },
      integrality: new Int32Array(G).fill(h.constants.variableType.integer),
    });
    this.model.options.set({ output_flag: false, mip_rel_gap: 1e-9, mip_abs_gap: 1e-10, random_seed: 0, ...extraOptions });
  }

  /**
   * Panel maximising Σ weights[g]·c_g, or null when no panel satisfies the quotas. `bound` is HiGHS's proven upper
   * bound on that maximum (= value when solved to optimality). With `absGap`, the MILP stops once the incumbent is
   * within absGap of the bound (in the weights' units). The weights are scaled to a largest of 1 for the solver.
   */
  best(weights: ArrayLike<number>, absGap?: number, start?: GroupPanel): { panel: GroupPanel; value: number; bound: number } | null {
    const t0 = performance.now();
    const c0 = this.cpuSeconds();
    if (start !== undefined) {
      // a known feasible panel as the incumbent: HiGHS checks it and prunes with its value from the first node
      const x = new Float64Array(this.numGroups);
      for (const [g, c] of start) x[g] = c;
      this.model.setSolution({ colValue: x });
    }
    let maxW = 0;
    for (let g = 0; g < this.numGroups; g++) maxW = Math.max(maxW, Math.abs(weights[g]));
    const scale = maxW > 0 ? 1 / maxW : 1;
    const scaled = new Float64Array(this.numGroups);
    for (let g = 0; g < this.numGroups; g++) scaled[g] = weights[g] * scale;
    this.model.changeColsCost({ kind: 'range', from: 0, to: this.numGroups - 1 }, scaled);
    if (absGap !== undefined) this.model.options.set({ mip_abs_gap: absGap * scale, mip_rel_gap: 1e-12 });
    const result = this.model.run();
    this.calls++;
    this.seconds += (performance.now() - t0) / 1000;
    this.cpu += this.cpuSeconds() - c0;
    if (result.modelStatus !== STATUS_OPTIMAL) {
      if (result.modelStatus === 8 || result.modelStatus === 9) return null;
      throw new Error(`HiGHS MILP ended with status ${result.modelStatus}`);
    }
    const x = this.model.getSolution().colValue;
    const panel: GroupPanel = [];
    let value = 0;
    for (let g = 0; g < this.numGroups; g++) {
      const c = Math.round(x[g]);
      if (c > 0) {
        panel.push([g, c]);
        value += weights[g] * c;
      }
    }
    let bound = value;
    try {
      const b = Number(this.model.info.get('mip_dual_bound'));
      if (Number.isFinite(b)) bound = Math.max(value, b / scale);
    } catch {
      // no bound reported (pure LP): the optimum is exact
    }
    return { panel, value, bound };
  }

  dispose(): void {
    this.model.dispose();
  }
}

/**
 * Persistent LP: the dual of "maximise the minimum probability of the unfixed groups, keeping fixed groups at
 * their fixed probability", over the panels found so far (Flanigan et al. 2021, Methods):
 *
 *   minimise  ŷ − Σ_{g fixed} f_g y_g
 *   s.t.      Σ_g (c_{jg}/n_g) y_g ≤ ŷ      for every panel j found so far
 *             Σ_{g unfixed} y_g = 1,  y ≥ 0,  ŷ free.
 *
 * Its optimum equals the restricted primal optimum z (LP duality); y are the dual weights for pricing.
 */
export class LeximinDual {
  private readonly model: HighsModel;
  private readonly G: number;
  private readonly sizes: number[];
  private rows = 1;
  seconds = 0;
  cpu = 0;
  solves = 0;
  iterations = 0;

  constructor(private readonly h: Highs, sizes: number[], private readonly cpuSeconds: CpuClock = noClock) {
    const G = sizes.length;
    this.G = G;
    this.sizes = sizes;
    const colLower = new Float64Array(G + 1);
    const colUpper = new Float64Array(G + 1).fill(h.infinity);
    colLower[G] = -h.infinity;
    const colCost = new Float64Array(G + 1);
    colCost[G] = 1;
    this.model = h.createModel({
      numCols: G + 1,
      numRows: 1,
      sense: h.constants.objectiveSense.minimize,
      colCost,
      colLower,
      colUpper,
      rowLower: [1],
      rowUpper: [1],
      matrix: { format: 'csr', numRows: 1, numCols: G + 1, starts: [0, G], indices: Array.from({ length: G }, (_, g) => g), values: new Array(G).fill(1) },
    });
    this.model.options.set({ output_flag: false, random_seed: 0, presolve: 'off', solver: 'simplex' });
  }

  addPanel(panel: GroupPanel): void {
    const indices = panel.map(([g]) => g);
    const values = panel.map(([g, c]) => c / this.sizes[g]);
    indices.push(this.G);
    values.push(-1);
    this.model.addRow(-this.h.infinity, 0, { indices, values });
    this.rows++;
  }

  /** Fix group g at probability f: drop it from the normalisation row, give it objective −f. */
  fix(g: number, f: number): void {
    this.model.changeCoefficient(0, g, 0);
    this.model.changeColCost(g, -f);
  }

  solve(): { y: Float64Array; yHat: number; objective: number } {
    const t0 = performance.now();
    const c0 = this.cpuSeconds();
    const result = this.model.run();
    this.solves++;
    this.seconds += (performance.now() - t0) / 1000;
    this.cpu += this.cpuSeconds() - c0;
    this.iterations += Number(this.model.info.get('simplex_iteration_count'));
    if (result.modelStatus !== STATUS_OPTIMAL) throw new Error(`HiGHS LP (leximin dual) ended with status ${result.modelStatus}`);
    const x = this.model.getSolution().colValue;
    return { y: x.slice(0, this.G), yHat: x[this.G], objective: this.model.getObjectiveValue() };
  }

  dispose(): void {
    this.model.dispose();
  }
}

/**
 * Distribution over the given panels whose group probabilities reach the targets as closely as possible:
 * minimise Σ d_g s.t. Σ_j π_j c_{jg}/n_g + d_g ≥ target_g, Σ π = 1, π, d ≥ 0.
 */
export function distributionForTargets(h: Highs, panels: GroupPanel[], sizes: number[], targets: ArrayLike<number>): { weights: number[]; shortfall: number } {
  const J = panels.length;
  const G = sizes.length;
  const active: number[] = [];
  for (let g = 0; g < G; g++) if (targets[g] > 0) active.push(g);
  const rowOf = new Map<number, number>();
  active.forEach((g, i) => rowOf.set(g, i + 1));
  const numCols = J + active.length;
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const panel of panels) {
    indices.push(0);
    values.push(1);
    for (const [g, c] of panel) {
      const r = rowOf.get(g);
      if (r !== undefined) {
        indices.push(r);
        values.push(c / sizes[g]);
      }
    }
    starts.push(indices.length);
  }
  active.forEach((_, i) => {
    indices.push(i + 1);
    values.push(1);
    starts.push(indices.length);
  });
  const colCost = new Float64Array(numCols);
  for (let i = J; i < numCols; i++) colCost[i] = 1;
  const rowLower = [1, ...active.map((g) => targets[g])];
  const rowUpper = [1, ...active.map(() => h.infinity)];
  const model = h.createModel({
    numCols,
    numRows: active.length + 1,
    sense: h.constants.objectiveSense.minimize,
    colCost,
    colLower: new Float64Array(numCols),
    colUpper: new Float64Array(numCols).fill(h.infinity),
    rowLower,
    rowUpper,
    matrix: { format: 'csc', numRows: active.length + 1, numCols, starts, indices, values },
  });
  try {
    model.options.set({ output_flag: false, random_seed: 0 });
    const result = model.run();
    if (result.modelStatus !== STATUS_OPTIMAL) throw new Error(`HiGHS LP (final distribution) ended with status ${result.modelStatus}`);
    const x = model.getSolution().colValue;
    const weights = Array.from(x.slice(0, J), (w) => (w > 1e-12 ? w : 0));
    const total = weights.reduce((s, w) => s + w, 0);
    return { weights: weights.map((w) => w / total), shortfall: model.getObjectiveValue() };
  } finally {
    model.dispose();
  }
}

/**
 * Upper bound on a LEXIMIN level from the LP relaxation of the panel polytope: the expected seat vector of any
 * distribution over panels lies in the convex hull of integer panels, inside {0 ≤ c_g ≤ n_g, Σc = k, quotas,
 * households}. So max z s.t. c in that polytope, c_g ≥ z·n_g for unfixed g, c_g ≥ f_g·n_g for fixed g, bounds the
 * level's optimum z*. One LP per level; tight when integrality matters little (large pools).
 */
export function relaxationBound(h: Highs, space: PanelSpace, fixed: ArrayLike<number>): { bound: number; y: Float64Array | null } {
  const { grouped, quotas, panelSize } = space;
  const G = grouped.groups.length;
  const sizes = grouped.groups.map((g) => g.length);
  const rows: Array<{ idx: number[]; val: number[]; lo: number; hi: number }> = [];
  rows.push({ idx: Array.from({ length: G }, (_, g) => g), val: new Array<number>(G).fill(1), lo: panelSize, hi: panelSize });
  const members: number[][] = quotas.rows.map(() => []);
  grouped.groupRows.forEach((rs, g) => rs.forEach((r) => members[r].push(g)));
  quotas.rows.forEach((q, r) => rows.push({ idx: members[r], val: members[r].map(() => 1), lo: q.min, hi: q.max }));
  for (const hh of grouped.householdGroups) {
    const idx = [...hh].sort((a, b) => a - b);
    rows.push({ idx, val: idx.map(() => 1), lo: -h.infinity, hi: 1 });
  }
  const colLower = new Float64Array(G + 1);
  const colUpper = Float64Array.from([...sizes, 1]);
  const firstGroupRow = rows.length;
  for (let g = 0; g < G; g++) {
    if (Number.isNaN(fixed[g])) rows.push({ idx: [g, G], val: [1, -sizes[g]], lo: 0, hi: h.infinity });
    else rows.push({ idx: [g], val: [1], lo: Math.min(sizes[g], Math.max(0, fixed[g] * sizes[g] - 1e-9)), hi: h.infinity });
  }
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const r of rows) {
    indices.push(...r.idx);
    values.push(...r.val);
    starts.push(indices.length);
  }
  const colCost = new Float64Array(G + 1);
  colCost[G] = 1;
  const model = h.createModel({
    numCols: G + 1,
    numRows: rows.length,
    sense: h.constants.objectiveSense.maximize,
    colCost,
    colLower,
    colUpper,
    rowLower: rows.map((r) => r.lo),
    rowUpper: rows.map((r) => r.hi),
    matrix: { format: 'csr', numRows: rows.length, numCols: G + 1, starts, indices, values },
  });
  try {
    model.options.set({ output_flag: false, random_seed: 0 });
    const result = model.run();
    if (result.modelStatus !== STATUS_OPTIMAL) return { bound: Number.POSITIVE_INFINITY, y: null };
    // the duals of the rows c_g ≥ z·n_g (and c_g ≥ f_g·n_g), times n_g, are a dual-feasible point of the master
    const duals = model.getSolution().rowDual;
    const y = new Float64Array(G);
    let sum = 0;
    for (let g = 0; g < G; g++) {
      y[g] = Math.abs(duals[firstGroupRow + g]) * sizes[g];
      if (Number.isNaN(fixed[g])) sum += y[g];
    }
    if (!(sum > 0)) return { bound: model.getObjectiveValue(), y: null };
    for (let g = 0; g < G; g++) y[g] /= sum;
    return { bound: model.getObjectiveValue(), y };
  } finally {
    model.dispose();
  }
}

