/**
 * Entry points: selection probabilities by LEXIMIN, maximin or LEGACY, and quota diagnosis.
 */
import type { Highs } from 'highs';
import { columnGeneration, type ColumnGenerationOptions } from './leximin.js';
import { legacyMonteCarlo } from './legacy.js';
import { canonicalPool, canonicalQuotas, groupPool, inputSha256, validateSelectionInput } from './pool.js';
import { diagnoseGrouped, type QuotaDiagnosis } from './relax.js';
import { loadHighs, solverName } from './solver.js';
import { InfeasibleQuotasError, SORTITION_VERSION, type Algorithm, type PanelDistribution, type Pool, type Quotas, type SelectionResult } from './types.js';

export interface SelectOptions {
  /** default 'leximin' */
  algorithm?: Algorithm;
  /** seed for LEGACY's Monte-Carlo (default 'plenary') */
  seed?: string;
  /** LEGACY Monte-Carlo runs (default 10,000) */
  legacyRuns?: number;
  /** optimise over groups of interchangeable people (default true; same optimum, much faster) */
  compress?: boolean;
  /** column-generation pricing tolerance (default 1e-7) */
  epsilon?: number;
  /** LEXIMIN/maximin: stop with ColumnGenerationTimeout after this many seconds (default: no limit) */
  maxSeconds?: number;
  /** a loaded HiGHS instance to share (default: loaded once per process) */
  highs?: Highs;
  log?: (message: string) => void;
  /** LEXIMIN/maximin tuning (pricing heuristics, smoothing, level gap); the defaults are the tested ones */
  columnGeneration?: Omit<ColumnGenerationOptions, 'maximinOnly' | 'log' | 'maxSeconds'>;
}

/** The parameters that determine a selection result, as recorded in a draw. */
export interface SelectionParams {
  algorithm: Algorithm;
  compress: boolean;
  epsilon: number;
  legacyRuns: number;
  seed: string;
}

export function selectionParams(options: SelectOptions): SelectionParams {
  return {
    algorithm: options.algorithm ?? 'leximin',
    compress: options.compress ?? true,
    epsilon: options.epsilon ?? 1e-7,
    legacyRuns: options.legacyRuns ?? 10_000,
    seed: options.seed ?? 'plenary',
  };
}

/**
 * Selection probabilities and a distribution over feasible panels. Validates first (SortitionError naming rows
 * and categories); when the quotas admit no panel, throws InfeasibleQuotasError with the smallest relaxation.
 */
export async function selectPanel(pool: Pool, quotas: Quotas, panelSize: number, options: SelectOptions = {}): Promise<SelectionResult> {
  const t0 = performance.now();
  const params = selectionParams(options);
  validateSelectionInput(pool, quotas, panelSize);
  const cpool = canonicalPool(pool);
  const cquotas = canonicalQuotas(quotas);
  const h = options.highs ?? (await loadHighs());
  const inputHash = inputSha256(pool, quotas, panelSize);
  const provenance = {
    stage: 'sortition.select',
    version: SORTITION_VERSION,
    algorithm: params.algorithm,
    params: { ...params },
    seed: params.algorithm === 'legacy' ? params.seed : null,
    inputHash,
    solver: solverName(h),
  };

  if (params.algorithm === 'legacy') {
    let est;
    try {
      est = legacyMonteCarlo(cpool, cquotas, panelSize, { runs: params.legacyRuns, seed: params.seed });
    } catch (e) {
      const grouped = groupPool(cpool, cquotas, params.compress);
      const diag = diagnoseGrouped(h, grouped, cquotas, panelSize);
      if (!diag.feasible) throw infeasible(diag);
      throw e;
    }
    const probabilities: Record<string, number> = {};
    cpool.people.forEach((p, i) => (probabilities[p.id] = est.probabilities[i]));
    const distribution: PanelDistribution = {
      groups: cpool.people.map((p) => [p.id]),
      panels: est.panels.map((x) => x.panel.map((i) => [i, 1] as [number, number])),
      weights: est.panels.map((x) => x.count / est.runs),
    };
    return {
      algorithm: 'legacy',
      panelSize,
      probabilities,
      distribution,
      provenance,
      stats: { runs: est.runs, failures: est.failures, distinctPanels: est.panels.length, seconds: (performance.now() - t0) / 1000 },
    };
  }

  const grouped = groupPool(cpool, cquotas, params.compress);
  const result = columnGeneration(h, { grouped, quotas: cquotas, panelSize }, {
    ...options.columnGeneration,
    maximinOnly: params.algorithm === 'maximin',
    epsilon: params.epsilon,
    log: options.log,
    maxSeconds: options.maxSeconds,
  });
  if (result === null) throw infeasible(diagnoseGrouped(h, grouped, cquotas, panelSize));
  const probabilities: Record<string, number> = {};
  grouped.groups.forEach((members, g) => {
    for (const i of members) probabilities[cpool.people[i].id] = result.groupProbabilities[g];
  });
  return {
    algorithm: params.algorithm,
    panelSize,
    probabilities,
    distribution: {
      groups: grouped.groups.map((members) => members.map((i) => cpool.people[i].id)),
      panels: result.panels,
      weights: result.weights,
    },
    provenance,
    stats: { ...result.stats, seconds: (performance.now() - t0) / 1000 },
  };
}

function infeasible(diag: QuotaDiagnosis): InfeasibleQuotasError {
  const list = diag.relaxations.map((r) => `${r.category}=${r.value}: ${r.min}–${r.max} → ${r.newMin}–${r.newMax}`).join('; ');
  return new InfeasibleQuotasError(
    `no panel satisfies the quotas; smallest relaxation (${diag.totalRelaxation} seat${diag.totalRelaxation === 1 ? '' : 's'}): ${list}`,
    diag.relaxations,
    diag.relaxations.map((r) => ({ category: r.category, value: r.value, message: `relax ${r.min}–${r.max} to ${r.newMin}–${r.newMax}` })),
  );
}

/**
 * Whether the quotas admit a panel, and if not the smallest relaxation (total seats moved across all minimums
 * and maximums). Checks the input's form (SortitionError) but not whether quotas sum to k: that is diagnosed.
 */
export async function diagnoseQuotas(pool: Pool, quotas: Quotas, panelSize: number, options: { highs?: Highs } = {}): Promise<QuotaDiagnosis> {
  validateSelectionInput(pool, quotas, panelSize, { feasibilityChecks: false });
  const cpool = canonicalPool(pool);
  const cquotas = canonicalQuotas(quotas);
  const h = options.highs ?? (await loadHighs());
  return diagnoseGrouped(h, groupPool(cpool, cquotas, true), cquotas, panelSize);
}

/** Probabilities in an array aligned with `pool.people` (the caller's order). */
export function probabilitiesInOrder(pool: Pool, result: SelectionResult): number[] {
  return pool.people.map((p) => result.probabilities[p.id] ?? 0);
}

/**
 * Panels of the distribution that break a quota, the panel size or one-per-household (0 for a correct result).
 * Checks seat counts per quota value (the same whichever members of a group sit) and, for groups of one,
 * households.
 */
export function countQuotaViolations(pool: Pool, quotas: Quotas, distribution: PanelDistribution, panelSize: number): number {
  const byId = new Map(pool.people.map((p) => [p.id, p]));
  const rowIndex = new Map<string, number>();
  quotas.rows.forEach((q, r) => rowIndex.set(`${q.category}\u0000${q.value}`, r));
  let bad = 0;
  for (const panel of distribution.panels) {
    const counts = new Array<number>(quotas.rows.length).fill(0);
    let seats = 0;
    const households = new Map<string, number>();
    let ok = true;
    for (const [g, c] of panel) {
      const members = distribution.groups[g];
      if (c > members.length || c < 0 || !Number.isInteger(c)) ok = false;
      const first = byId.get(members[0]);
      if (!first) {
        ok = false;
        continue;
      }
      seats += c;
      for (const cat of pool.categories) {
        const r = rowIndex.get(`${cat}\u0000${first.features[cat]}`);
        if (r === undefined) ok = false;
        else counts[r] += c;
      }
      if (members.length === 1 && first.household !== undefined && c > 0) {
        households.set(first.household, (households.get(first.household) ?? 0) + 1);
      }
    }
    if (seats !== panelSize) ok = false;
    quotas.rows.forEach((q, r) => {
      if (counts[r] < q.min || counts[r] > q.max) ok = false;
    });
    for (const v of households.values()) if (v > 1) ok = false;
    if (!ok) bad++;
  }
  return bad;
}
