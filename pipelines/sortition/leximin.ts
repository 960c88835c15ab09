/**
 * LEXIMIN and maximin selection by column generation (Flanigan, Gölz, Gupta, Hennig, Procaccia, "Fair algorithms
 * for selecting citizens' assemblies", Nature 596, 2021, Methods), implemented from the paper:
 *
 * 1. Cover: find panels until every group is on some panel, or proven unable to be (weights 1 on uncovered
 *    groups; a best panel of weight 0 proves the rest can never sit). Those get probability 0.
 * 2. Repeat until every group is fixed: solve the restricted dual LP (see LeximinDual) over the panels found so
 *    far; price with the panel MILP maximising Σ_g y_g·c_g/n_g. If the best panel beats ŷ by more than ε, add it and
 *    resolve; otherwise the restricted optimum z is optimal (within ε) and every unfixed group with y_g > 0 is
 *    tight in every optimal solution (complementary slackness), so it is fixed at z.
 * 3. Solve the primal LP over all panels found for a distribution meeting every fixed probability.
 *
 * Maximin stops after the first fixing step and asks every group for at least the maximin value.
 *
 * The optimisation runs over groups of interchangeable people (see groupPool); each group's probability is its
 * expected seats divided by its size, and within a group every member is equally likely.
 */
import type { Highs } from 'highs';
import { LeximinDual, PanelMilp, distributionForTargets, panelKey, type GroupPanel, type PanelSpace } from './solver.js';

export interface ColumnGenerationOptions {
  /** maximin: stop after the first level */
  maximinOnly?: boolean;
  /** pricing tolerance: stop when the best panel's dual value exceeds ŷ by at most this much (default 1e-7) */
  epsilon?: number;
  /** dual weights above this count as positive when fixing (default 1e-7) */
  fixThreshold?: number;
  /** safety limit on pricing rounds (default 100000) */
  maxRounds?: number;
  log?: (message: string) => void;
  /** try a swap local search before each pricing MILP (default true) */
  heuristic?: boolean;
  /** give up (throw ColumnGenerationTimeout) after this many seconds */
  maxSeconds?: number;
  /** extra HiGHS options for the pricing MILP */
  milpOptions?: Record<string, number | string | boolean>;
}

export interface GroupDistribution {
  panels: GroupPanel[];
  weights: number[];
  /** probability of each member of each group */
  groupProbabilities: number[];
  stats: Record<string, number>;
}

export class ColumnGenerationTimeout extends Error {
  constructor(
    readonly seconds: number,
    readonly progress: { levels: number; fixedGroups: number; panels: number; lastLevelValue: number | null },
  ) {
    super(`column generation stopped after ${seconds.toFixed(0)} s (${progress.levels} levels done, ${progress.panels} panels)`);
    this.name = 'ColumnGenerationTimeout';
  }
}

/** Returns null when no feasible panel exists. */
export function columnGeneration(h: Highs, space: PanelSpace, options: ColumnGenerationOptions = {}): GroupDistribution | null {
  const t0 = performance.now();
  const epsilon = options.epsilon ?? 1e-7;
  const fixThreshold = options.fixThreshold ?? 1e-7;
  const maxRounds = options.maxRounds ?? 100_000;
  const log = options.log ?? (() => {});
  const sizes = space.grouped.groups.map((g) => g.length);
  const G = sizes.length;
  const milp = new PanelMilp(h, space, options.milpOptions);
  const dual = new LeximinDual(h, sizes);
  try {
    const panels: GroupPanel[] = [];
    const keys = new Set<string>();
    const addPanel = (panel: GroupPanel): boolean => {
      const key = panelKey(panel);
      if (keys.has(key)) return false;
      keys.add(key);
      panels.push(panel);
      dual.addPanel(panel);
      return true;
    };

    // 1. cover
    const covered = new Uint8Array(G);
    let coverRounds = 0;
    for (;;) {
      const w = new Float64Array(G);
      let uncovered = 0;
      for (let g = 0; g < G; g++) if (!covered[g]) {
        w[g] = 1;
        uncovered++;
      }
      if (uncovered === 0) break;
      const best = milp.best(w);
      coverRounds++;
      if (best === null) return null;
      addPanel(best.panel);
      let newly = 0;
      for (const [g] of best.panel) if (!covered[g]) {
        covered[g] = 1;
        newly++;
      }
      if (newly === 0) break;
    }

    const fixed = new Float64Array(G).fill(Number.NaN);
    let unfixedCount = G;
    for (let g = 0; g < G; g++) if (!covered[g]) {
      fixed[g] = 0;
      dual.fix(g, 0);
      unfixedCount--;
    }
    const impossible = G - unfixedCount;
    if (impossible > 0) log(`${impossible} group(s) cannot sit on any feasible panel: probability 0`);

    // 2. leximin levels
    let rounds = 0;
    let levels = 0;
    let stalled = 0;
    let lastLevelValue: number | null = null;
    let heuristicColumns = 0;
    const swap = options.heuristic === false ? null : new SwapSearch(space);
    while (unfixedCount > 0) {
      const elapsed = (performance.now() - t0) / 1000;
      if (options.maxSeconds !== undefined && elapsed > options.maxSeconds) {
        throw new ColumnGenerationTimeout(elapsed, { levels, fixedGroups: G - unfixedCount, panels: panels.length, lastLevelValue });
      }
      const { y, yHat, objective } = dual.solve();
      const weights = new Float64Array(G);
      for (let g = 0; g < G; g++) weights[g] = y[g] / sizes[g];
      rounds++;
      if (swap !== null) {
        // heuristic pricing first: improve the best known panel by swaps
        let start = panels[0];
        let startValue = -Infinity;
        for (const p of panels) {
          let v = 0;
          for (const [g, c] of p) v += weights[g] * c;
          if (v > startValue) {
            startValue = v;
            start = p;
          }
        }
        const found = swap.improve(start, weights);
        if (found.value > yHat + epsilon && addPanel(found.panel)) {
          heuristicColumns++;
          continue;
        }
      }
      const best = milp.best(weights);
      if (best === null) throw new Error('panel MILP became infeasible during column generation');
      if (best.value > yHat + epsilon && rounds < maxRounds) {
        if (addPanel(best.panel)) continue;
        stalled++; // a known panel priced as improving: numerical noise, accept the level as converged
      }
      // level converged: z = objective; fix the groups whose dual weight is positive
      const z = Math.max(0, Math.min(1, objective));
      const fixAt = Math.max(0, z - 1e-10);
      let fixedNow = 0;
      let maxY = -1;
      let argMax = -1;
      for (let g = 0; g < G; g++) {
        if (!Number.isNaN(fixed[g])) continue;
        if (y[g] > maxY) {
          maxY = y[g];
          argMax = g;
        }
        if (y[g] > fixThreshold) {
          fixed[g] = fixAt;
          dual.fix(g, fixAt);
          fixedNow++;
        }
      }
      if (fixedNow === 0 && argMax >= 0) {
        fixed[argMax] = fixAt;
        dual.fix(argMax, fixAt);
        fixedNow = 1;
      }
      unfixedCount -= fixedNow;
      levels++;
      lastLevelValue = z;
      log(`level ${levels}: probability ${(z * 100).toFixed(4)}% fixed for ${fixedNow} group(s), ${unfixedCount} left, ${panels.length} panels`);
      if (options.maximinOnly) {
        for (let g = 0; g < G; g++) if (Number.isNaN(fixed[g])) fixed[g] = fixAt;
        unfixedCount = 0;
      }
    }

    // 3. primal distribution
    const tLp = performance.now();
    const { weights, shortfall } = distributionForTargets(h, panels, sizes, fixed);
    const lpSeconds = (performance.now() - tLp) / 1000;
    const groupProbabilities = new Array<number>(G).fill(0);
    const support: GroupPanel[] = [];
    const supportWeights: number[] = [];
    panels.forEach((panel, j) => {
      if (weights[j] <= 0) return;
      support.push(panel);
      supportWeights.push(weights[j]);
      for (const [g, c] of panel) groupProbabilities[g] += (weights[j] * c) / sizes[g];
    });
    return {
      panels: support,
      weights: supportWeights,
      groupProbabilities,
      stats: {
        groups: G,
        coverRounds,
        pricingRounds: rounds,
        heuristicColumns,
        levels,
        panelsGenerated: panels.length,
        panelsInSupport: support.length,
        milpCalls: milp.calls,
        milpSeconds: milp.seconds,
        lpSolves: dual.solves,
        lpSeconds: dual.seconds + lpSeconds,
        stalled,
        finalShortfall: shortfall,
        impossibleGroups: impossible,
        seconds: (performance.now() - t0) / 1000,
      },
    };
  } finally {
    milp.dispose();
    dual.dispose();
  }
}

/**
 * Cheap pricing heuristic: from a start panel, make the best single-seat swap (one seat moves from group g to
 * group h) that keeps every quota and one-per-household and raises Σ w_g·c_g, until none does. A panel it finds
 * with dual value above ŷ + ε is a valid new column; the exact MILP still decides when a level has converged.
 */
export class SwapSearch {
  private readonly G: number;
  private readonly R: number;
  private readonly min: number[];
  private readonly max: number[];
  private readonly sizes: number[];
  private readonly rows: number[][];
  private readonly householdOf: Int32Array;
  private readonly H: number;

  constructor(space: PanelSpace) {
    this.G = space.grouped.groups.length;
    this.R = space.quotas.rows.length;
    this.min = space.quotas.rows.map((q) => q.min);
    this.max = space.quotas.rows.map((q) => q.max);
    this.sizes = space.grouped.groups.map((g) => g.length);
    this.rows = space.grouped.groupRows;
    this.householdOf = new Int32Array(this.G).fill(-1);
    space.grouped.householdGroups.forEach((hh, i) => hh.forEach((g) => (this.householdOf[g] = i)));
    this.H = space.grouped.householdGroups.length;
  }

  improve(start: GroupPanel, w: ArrayLike<number>, maxMoves = 200): { panel: GroupPanel; value: number } {
    const c = new Int32Array(this.G);
    for (const [g, n] of start) c[g] = n;
    const count = new Int32Array(this.R);
    const hh = new Int32Array(this.H);
    for (let g = 0; g < this.G; g++) {
      if (c[g] === 0) continue;
      for (const r of this.rows[g]) count[r] += c[g];
      if (this.householdOf[g] >= 0) hh[this.householdOf[g]] += c[g];
    }
    const rowSet = this.rows.map((rs) => new Set(rs));
    for (let move = 0; move < maxMoves; move++) {
      let bestGain = 1e-12;
      let bestOut = -1;
      let bestIn = -1;
      for (let g = 0; g < this.G; g++) {
        if (c[g] === 0) continue;
        // can a seat leave g? rows of g lose one
        for (let h = 0; h < this.G; h++) {
          if (h === g || c[h] >= this.sizes[h]) continue;
          const gain = w[h] - w[g];
          if (gain <= bestGain) continue;
          let ok = true;
          for (const r of this.rows[h]) if (!rowSet[g].has(r) && count[r] + 1 > this.max[r]) ok = false;
          if (ok) for (const r of this.rows[g]) if (!rowSet[h].has(r) && count[r] - 1 < this.min[r]) ok = false;
          const hH = this.householdOf[h];
          if (ok && hH >= 0 && hh[hH] - (this.householdOf[g] === hH ? 1 : 0) + 1 > 1) ok = false;
          if (!ok) continue;
          bestGain = gain;
          bestOut = g;
          bestIn = h;
        }
      }
      if (bestOut < 0) break;
      c[bestOut]--;
      c[bestIn]++;
      for (const r of this.rows[bestOut]) count[r]--;
      for (const r of this.rows[bestIn]) count[r]++;
      if (this.householdOf[bestOut] >= 0) hh[this.householdOf[bestOut]]--;
      if (this.householdOf[bestIn] >= 0) hh[this.householdOf[bestIn]]++;
    }
    const panel: GroupPanel = [];
    let value = 0;
    for (let g = 0; g < this.G; g++) if (c[g] > 0) {
      panel.push([g, c[g]]);
      value += w[g] * c[g];
    }
    return { panel, value };
  }
}
