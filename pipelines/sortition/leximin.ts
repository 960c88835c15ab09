/**
 * LEXIMIN and maximin selection by column generation (Flanigan, Gölz, Gupta, Hennig, Procaccia, "Fair algorithms
 * for selecting citizens' assemblies", Nature 596, 2021, Methods), implemented from the paper, with the standard
 * column-generation accelerations of the literature (Lübbecke & Desrosiers, "Selected topics in column generation",
 * Oper. Res. 2005; Wentges, "Weighted Dantzig–Wolfe decomposition", ITOR 1997; Pessoa, Sadykov, Uchoa, Vanderbeck,
 * "In-out separation and column generation stabilization by dual price smoothing", 2013):
 *
 * 1. Cover: find panels until every group is on some panel, or proven unable to be (weights 1 on uncovered
 *    groups; a best panel of weight 0 proves the rest can never sit). Those get probability 0.
 * 2. Repeat until every group is fixed (one "level" per loop): solve the restricted dual LP (LeximinDual) over the
 *    panels found so far (all levels share them: the warm start). Its value z_R is achievable (a lower bound on the
 *    level's optimum z*). Price with the panel MILP maximising Σ_g π_g·c_g/n_g at the SMOOTHED duals
 *    π = α·π̄ + (1 − α)·y (π̄: the duals that gave the best bound so far; Wentges smoothing, α halved after a
 *    mis-price down to 0 so the exact duals y are always priced in the end). π is dual-feasible, so
 *    UB = bound(π) − Σ_{g fixed} f_g·π_g is an upper bound on z* (Lagrangian bound; bound(π) is the MILP's proven
 *    bound). A panel better than ŷ under y is a new column. The level stops when UB − z_R ≤ gapTolerance (a proven
 *    optimality gap), and the unfixed groups with y_g > 0 (tight in the restricted optimum) are fixed at z_R:
 *    their probability is final and enters the later levels as a constraint.
 * 3. Solve the primal LP over all panels found for a distribution meeting every fixed probability. Its shortfall
 *    must be 0: a level whose value the panels cannot reach is a stalled level, an error (LeximinStalledError),
 *    never taken as convergence.
 *
 * A swap local search proposes improving columns before each MILP (cheap; it never proves anything).
 * The optimisation runs over groups of interchangeable people (see groupPool).
 */
import type { Highs } from 'highs';
import { DEFAULT_GAP_TOLERANCE, addNeighbours, bestKnown, tryHeuristic, type LevelState } from './columns.js';
import { LeximinDual, PanelMilp, distributionForTargets, panelKey, relaxationBound, type CpuClock, type GroupPanel, type PanelSpace } from './solver.js';
import { SwapSearch } from './swap.js';

export { DEFAULT_GAP_TOLERANCE };
import { SortitionError } from './types.js';

export interface ColumnGenerationOptions {
  /** maximin: stop after the first level */
  maximinOnly?: boolean;
  /** a column must beat ŷ by more than this to be added (default 1e-9) */
  epsilon?: number;
  /** stop a level when its proven gap (upper bound − achieved value, in probability) is at most this (default 1e-6) */
  gapTolerance?: number;
  /** dual weights above this count as positive when fixing (default 1e-7) */
  fixThreshold?: number;
  /** Wentges smoothing factor α in [0, 1) (default 0.5; 0 = no stabilisation) */
  smoothing?: number;
  /** safety limit on pricing rounds in one level (default 20000) */
  maxRoundsPerLevel?: number;
  log?: (message: string) => void;
  /** try a swap local search before each pricing MILP (default true) */
  heuristic?: boolean;
  /** bound each level by the LP relaxation of the panel polytope (default true) */
  relaxationBound?: boolean;
  /** run the exact pricing MILP at least every this many rounds even while the heuristic finds columns (default 10) */
  milpEvery?: number;
  /** known panels the swap search starts from, per weight vector (default 3) */
  heuristicStarts?: number;
  /** improving single-swap neighbours of each new column added with it (default 0: on the 800-person pool 3 per column cost 20 CPU s for level 1 against 11 without) */
  neighbours?: number;
  /** CPU-seconds clock for the MILP/LP CPU figures in the stats (default: not tracked) */
  cpuClock?: CpuClock;
  /** give up (throw ColumnGenerationTimeout) after this many seconds */
  maxSeconds?: number;
  /** extra HiGHS options for the pricing MILP */
  milpOptions?: Record<string, number | string | boolean>;
  /** largest acceptable shortfall of the final distribution, summed over groups (default 1e-6) */
  shortfallTolerance?: number;
}

export interface GroupDistribution {
  panels: GroupPanel[];
  weights: number[];
  /** probability of each member of each group */
  groupProbabilities: number[];
  stats: Record<string, number>;
}

export interface ColumnGenerationProgress {
  levels: number;
  fixedGroups: number;
  groups: number;
  panels: number;
  lastLevelValue: number | null;
  /** the level being solved when stopped: achieved value and proven upper bound */
  currentLower: number | null;
  currentUpper: number | null;
}

/** The organiser's time limit was reached: no partial result is returned. */
export class ColumnGenerationTimeout extends SortitionError {
  constructor(
    /** the time limit */
    readonly seconds: number,
    readonly progress: ColumnGenerationProgress,
    readonly elapsedSeconds: number = seconds,
  ) {
    const gap = progress.currentLower !== null && progress.currentUpper !== null && Number.isFinite(progress.currentUpper)
      ? `; the current level had reached ${(progress.currentLower * 100).toFixed(3)} % with at most ${(progress.currentUpper * 100).toFixed(3)} % possible`
      : '';
    super(
      'TIME_LIMIT',
      `the fair selection (LEXIMIN) did not finish within the time limit of ${seconds.toFixed(0)} s (stopped after ${elapsedSeconds.toFixed(0)} s): ${progress.levels} level(s) done, ` +
        `${progress.fixedGroups} of ${progress.groups} groups of interchangeable people fixed, ${progress.panels} panels found${gap}. ` +
        'No partial result is used. To relax: raise the time limit, widen the tightest quotas (give minimums and maximums more slack), ' +
        'merge rarely used values of features with many values (fewer distinct profiles), or choose maximin (the first level only)',
    );
    this.name = 'ColumnGenerationTimeout';
  }
}

/** A level could not be closed: the panels found cannot reach the value it claimed, or no column makes progress. */
export class LeximinStalledError extends SortitionError {
  constructor(readonly level: number, readonly shortfall: number, detail: string) {
    super('STALLED', `LEXIMIN level ${level} stalled (${detail}); the result would not be the fair optimum, so none is returned`);
    this.name = 'LeximinStalledError';
  }
}

/** Returns null when no feasible panel exists. */
export function columnGeneration(h: Highs, space: PanelSpace, options: ColumnGenerationOptions = {}): GroupDistribution | null {
  const t0 = performance.now();
  const log = options.log ?? (() => {});
  const sizes = space.grouped.groups.map((g) => g.length);
  const G = sizes.length;
  const milp = new PanelMilp(h, space, options.milpOptions, options.cpuClock);
  const dual = new LeximinDual(h, sizes, options.cpuClock);
  try {
    const panels: GroupPanel[] = [];
    const keys = new Set<string>();
    const state: LevelState = {
      panels,
      hasPanel: (panel) => keys.has(panelKey(panel)),
      addPanel: (panel) => {
        const key = panelKey(panel);
        if (keys.has(key)) return false;
        keys.add(key);
        panels.push(panel);
        dual.addPanel(panel);
        return true;
      },
    };
    const cover = coverGroups(milp, state, G);
    if (cover === null) return null;
    const fixed = new Float64Array(G).fill(Number.NaN);
    let unfixedCount = G;
    for (let g = 0; g < G; g++) if (!cover.covered[g]) {
      fixed[g] = 0;
      dual.fix(g, 0);
      unfixedCount--;
    }
    const impossible = G - unfixedCount;
    if (impossible > 0) log(`${impossible} group(s) cannot sit on any feasible panel: probability 0`);

    const totals = { rounds: 0, heuristicColumns: 0, misprices: 0, maxGap: 0 };
    let levels = 0;
    let lastLevelValue: number | null = null;
    const swap = new SwapSearch(space);
    while (unfixedCount > 0) {
      const level = solveLevel({ h, space, milp, dual, state, swap, fixed, sizes, options, t0, totals, levels, lastLevelValue, unfixedCount });
      const fixAt = Math.max(0, Math.min(1, level.value));
      let fixedNow = 0;
      let argMax = -1;
      for (let g = 0; g < G; g++) {
        if (!Number.isNaN(fixed[g])) continue;
        if (argMax < 0 || level.y[g] > level.y[argMax]) argMax = g;
        if (level.y[g] > (options.fixThreshold ?? 1e-7)) {
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
      lastLevelValue = fixAt;
      totals.maxGap = Math.max(totals.maxGap, level.gap);
      log(`level ${levels}: probability ${(fixAt * 100).toFixed(4)}% (proven gap ${level.gap.toExponential(1)}) fixed for ${fixedNow} group(s), ${unfixedCount} left, ${panels.length} panels, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      if (options.maximinOnly) {
        for (let g = 0; g < G; g++) if (Number.isNaN(fixed[g])) fixed[g] = fixAt;
        unfixedCount = 0;
      }
    }

    // 3. primal distribution; the last level's shortfall is checked, never assumed
    const tLp = performance.now();
    const { weights, shortfall } = distributionForTargets(h, panels, sizes, fixed);
    if (shortfall > (options.shortfallTolerance ?? 1e-6)) {
      throw new LeximinStalledError(levels, shortfall, `the panels found reach the fixed probabilities only with a total shortfall of ${shortfall.toExponential(2)}`);
    }
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
        coverRounds: cover.rounds,
        pricingRounds: totals.rounds,
        heuristicColumns: totals.heuristicColumns,
        misprices: totals.misprices,
        levels,
        maxLevelGap: totals.maxGap,
        panelsGenerated: panels.length,
        panelsInSupport: support.length,
        milpCalls: milp.calls,
        milpSeconds: milp.seconds,
        lpSolves: dual.solves,
        lpSeconds: dual.seconds + lpSeconds,
        finalShortfall: shortfall,
        milpCpuSeconds: milp.cpu,
        lpCpuSeconds: dual.cpu,
        impossibleGroups: impossible,
        seconds: (performance.now() - t0) / 1000,
      },
    };
  } finally {
    milp.dispose();
    dual.dispose();
  }
}

function coverGroups(milp: PanelMilp, state: LevelState, G: number): { covered: Uint8Array; rounds: number } | null {
  const covered = new Uint8Array(G);
  let rounds = 0;
  for (;;) {
    const w = new Float64Array(G);
    let uncovered = 0;
    for (let g = 0; g < G; g++) if (!covered[g]) {
      w[g] = 1;
      uncovered++;
    }
    if (uncovered === 0) break;
    const best = milp.best(w, 0.5);
    rounds++;
    if (best === null) return null;
    state.addPanel(best.panel);
    let newly = 0;
    for (const [g] of best.panel) if (!covered[g]) {
      covered[g] = 1;
      newly++;
    }
    if (newly === 0) break;
  }
  return { covered, rounds };
}

interface LevelInput {
  h: Highs;
  space: PanelSpace;
  milp: PanelMilp;
  dual: LeximinDual;
  state: LevelState;
  swap: SwapSearch;
  fixed: Float64Array;
  sizes: number[];
  options: ColumnGenerationOptions;
  t0: number;
  totals: { rounds: number; heuristicColumns: number; misprices: number };
  levels: number;
  lastLevelValue: number | null;
  unfixedCount: number;
}

/** One LEXIMIN level: column generation until the proven gap closes. Returns the achieved value and the duals. */
function solveLevel(input: LevelInput): { value: number; y: Float64Array; gap: number } {
  const { milp, dual, state, swap, fixed, sizes, options, totals } = input;
  const G = sizes.length;
  const epsilon = options.epsilon ?? 1e-9;
  const tol = options.gapTolerance ?? DEFAULT_GAP_TOLERANCE;
  const alpha0 = options.smoothing ?? 0.5;
  const maxRounds = options.maxRoundsPerLevel ?? 20_000;
  // the LP relaxation of the panel polytope bounds the level from above (often tightly on large pools)
  // and its duals are a good first stability centre for the smoothing
  const relaxation = options.relaxationBound === false ? { bound: Number.POSITIVE_INFINITY, y: null } : relaxationBound(input.h, input.space, fixed);
  // `proof` is the dual point whose Lagrangian value is `upper`: when the gap closes, it is an ε-optimal dual of the
  // FULL master (not just of the restricted one), so its positive entries say which groups are final
  let upper = relaxation.y === null ? Number.POSITIVE_INFINITY : relaxation.bound;
  let center: Float64Array | null = relaxation.y;
  let proof: Float64Array | null = relaxation.y;
  let alpha = alpha0;
  let lower = 0;
  let heuristicStreak = 0;
  const milpEvery = options.milpEvery ?? 10;
  const neighbourLimit = options.neighbours ?? 0;
  for (let round = 0; ; round++) {
    const elapsed = (performance.now() - input.t0) / 1000;
    if (options.maxSeconds !== undefined && elapsed > options.maxSeconds) {
      throw new ColumnGenerationTimeout(options.maxSeconds, {
        levels: input.levels,
        fixedGroups: G - input.unfixedCount,
        groups: G,
        panels: state.panels.length,
        lastLevelValue: input.lastLevelValue,
        currentLower: lower,
        currentUpper: upper,
      }, elapsed);
    }
    if (round >= maxRounds) throw new LeximinStalledError(input.levels + 1, upper - lower, `no proof of optimality after ${maxRounds} pricing rounds; gap ${(upper - lower).toExponential(2)}`);
    const { y, yHat, objective } = dual.solve();
    lower = Math.max(0, objective);
    totals.rounds++;
    if (round > 0 && round % 50 === 0) options.log?.(`level ${input.levels + 1}: round ${round}, ${state.panels.length} panels, value ${lower.toFixed(6)}, bound ${upper.toFixed(6)}; MILP ${milp.calls} calls ${milp.cpu.toFixed(1)} CPU s, LP ${dual.solves} solves ${dual.iterations} iterations ${dual.cpu.toFixed(1)} CPU s`);
    const w = new Float64Array(G);
    for (let g = 0; g < G; g++) w[g] = y[g] / sizes[g];
    if (proof !== null && upper - lower <= tol) return { value: lower, y: proof, gap: Math.max(0, upper - lower) };
    // smoothed duals (Wentges): a convex combination of dual-feasible points is dual-feasible
    const pi = new Float64Array(G);
    for (let g = 0; g < G; g++) pi[g] = center === null ? y[g] : alpha * center[g] + (1 - alpha) * y[g];
    const wPi = new Float64Array(G);
    let fixedTerm = 0;
    for (let g = 0; g < G; g++) {
      wPi[g] = pi[g] / sizes[g];
      if (!Number.isNaN(fixed[g])) fixedTerm += fixed[g] * pi[g];
    }
    // cheap columns first (searched at the smoothed duals, kept if they improve at y); the MILP still runs every
    // `milpEvery` rounds for a bound
    if (options.heuristic !== false && heuristicStreak < milpEvery) {
      const added = tryHeuristic(swap, state, wPi, w, yHat + epsilon, neighbourLimit, options.heuristicStarts ?? 3);
      if (added > 0) {
        totals.heuristicColumns += added;
        heuristicStreak++;
        continue;
      }
    }
    heuristicStreak = 0;
    const best = milp.best(wPi, tol / 4, bestKnown(state.panels, wPi));
    if (best === null) throw new Error('panel MILP became infeasible during column generation');
    const lagrangian = best.bound - fixedTerm;
    if (lagrangian < upper) {
      upper = lagrangian;
      center = pi;
      proof = pi;
    }
    let vy = 0;
    for (const [g, c] of best.panel) vy += w[g] * c;
    const added = vy > yHat + epsilon && state.addPanel(best.panel);
    if (added) totals.heuristicColumns += addNeighbours(swap, state, best.panel, w, yHat + epsilon, neighbourLimit);
    if (proof !== null && upper - lower <= tol) return { value: lower, y: proof, gap: Math.max(0, upper - lower) };
    if (added) {
      alpha = alpha0;
      continue;
    }
    // mis-price: the smoothed point gave no column for y
    totals.misprices++;
    if (alpha > 0) {
      alpha = alpha < 0.05 ? 0 : alpha / 2;
      continue;
    }
    // exact duals priced, no new column and the gap is still open: a known panel priced as improving means the LP
    // and the MILP disagree (numerics), otherwise the MILP's bound is looser than its own gap — both are stalls
    throw new LeximinStalledError(
      input.levels + 1,
      upper - lower,
      state.hasPanel(best.panel) && vy > yHat + epsilon
        ? `the pricing problem returned a panel already in the LP as improving (by ${(vy - yHat).toExponential(2)}); gap ${(upper - lower).toExponential(2)}`
        : `no improving panel but the proven gap ${(upper - lower).toExponential(2)} exceeds the tolerance ${tol.toExponential(1)}`,
    );
  }
}
