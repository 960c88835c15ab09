/**
 * Generator of hard, realistic sortition pools: many distinct feature profiles, as in the real pools of Flanigan et
 * al. (Nature 2021; sf_a … sf_e), whose respondent files are not public.
 *
 * Shape (defaults, SF_E_LIKE):
 * - 7 features with 2–6 values. Population marginals measured on the pairwise population shares that Flanigan et
 *   al. publish for sf_e (`data/sf_e_110/intersections.csv`, 2016 European Social Survey, UK; pseudonymised
 *   names a…g): each feature's marginal averaged over the pairs it appears in, rounded to 3 decimals. Feature c has
 *   12 values there; we merge them in pairs (c1+c2 → c1, …) to stay within 2–6 values.
 * - Correlations: a Gaussian copula whose correlation matrix is the Pearson correlation of the value codes measured
 *   on the same pairwise tables (|r| ≤ 0.19: the population is weakly correlated).
 * - Self-selection: the pool is not the population. Volunteers are accepted with a propensity exp(β·code) tilting
 *   two features (CHOSEN, not measured: the real pools are private): β_b = +0.35 per code step on b, β_e = −0.30 on
 *   e. This is what makes quotas bind unequally and LEXIMIN's levels many.
 * - Households of 1–3 people (shares 92 / 6 / 2 % of households, chosen: the public fixture has one person per
 *   address); housemates share feature c (region).
 * - Quotas like real ones: proportional to the POPULATION share with slack, min = ⌊k·s·(1 − slack)⌋,
 *   max = ⌈k·s·(1 + slack)⌉ (slack 0.1 by default), min lowered to the pool count when the pool has fewer.
 */
import { Rng } from './random.js';
import type { Person, Pool, Quotas } from './types.js';

export interface FeatureModel {
  name: string;
  values: string[];
  /** population share of each value (sums to 1) */
  shares: number[];
  /** self-selection tilt per value-code step (0: none) */
  beta: number;
}

export interface PoolModel {
  features: FeatureModel[];
  /** correlation matrix of the Gaussian copula, features × features */
  correlation: number[][];
  /** share of households with 1, 2, 3 members */
  householdSizes: [number, number, number];
  /** index of the feature housemates share, or −1 */
  sharedFeature: number;
}

/** Measured on sf_e's intersections.csv (see the header); betas and household sizes chosen. */
export const SF_E_LIKE: PoolModel = {
  features: [
    { name: 'a', values: ['a1', 'a2', 'a3'], shares: [0.491, 0.505, 0.004], beta: 0 },
    { name: 'b', values: ['b1', 'b2', 'b3', 'b4'], shares: [0.216, 0.247, 0.246, 0.291], beta: 0.35 },
    { name: 'c', values: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'], shares: [0.154, 0.158, 0.176, 0.266, 0.133, 0.113], beta: 0 },
    { name: 'd', values: ['d1', 'd2', 'd3'], shares: [0.18, 0.377, 0.443], beta: 0 },
    { name: 'e', values: ['e1', 'e2', 'e3', 'e4', 'e5'], shares: [0.253, 0.467, 0.225, 0.038, 0.017], beta: -0.3 },
    { name: 'f', values: ['f1', 'f2'], shares: [0.897, 0.103], beta: 0 },
    { name: 'g', values: ['g1', 'g2'], shares: [0.752, 0.248], beta: 0 },
  ],
  correlation: [
    [1, 0.03, 0.03, 0.01, -0.13, 0, 0.01],
    [0.03, 1, 0.08, -0.12, 0.17, -0.15, 0.19],
    [0.03, 0.08, 1, 0.07, -0.03, -0.03, 0.09],
    [0.01, -0.12, 0.07, 1, -0.17, 0.07, 0.04],
    [-0.13, 0.17, -0.03, -0.17, 1, -0.01, -0.03],
    [0, -0.15, -0.03, 0.07, -0.01, 1, -0.11],
    [0.01, 0.19, 0.09, 0.04, -0.03, -0.11, 1],
  ],
  householdSizes: [0.92, 0.06, 0.02],
  sharedFeature: 2,
};

export interface GenerateOptions {
  people: number;
  panelSize: number;
  seed?: string;
  model?: PoolModel;
  /** relative quota slack (default 0.1) */
  slack?: number;
}

export interface GeneratedPool {
  pool: Pool;
  quotas: Quotas;
  /** distinct feature profiles in the pool */
  profiles: number;
  households: number;
}

/** Lower-triangular Cholesky factor; throws when the matrix is not positive definite. */
export function cholesky(a: number[][]): number[][] {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (s <= 0) throw new Error('correlation matrix is not positive definite');
        l[i][i] = Math.sqrt(s);
      } else l[i][j] = s / l[j][j];
    }
  }
  return l;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 on erf; error < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function gaussian(rng: Rng): number {
  // Box–Muller
  const u = Math.max(rng.next(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

function codeOf(u: number, shares: number[]): number {
  let acc = 0;
  for (let i = 0; i < shares.length; i++) {
    acc += shares[i];
    if (u < acc) return i;
  }
  return shares.length - 1;
}

/** One population member's value codes; `fixed` forces one feature (housemates). */
function sampleCodes(rng: Rng, model: PoolModel, chol: number[][], fixed?: { feature: number; code: number }): number[] {
  const F = model.features.length;
  for (let attempt = 0; ; attempt++) {
    const z = Array.from({ length: F }, () => gaussian(rng));
    const codes = model.features.map((f, i) => {
      let x = 0;
      for (let j = 0; j <= i; j++) x += chol[i][j] * z[j];
      return codeOf(normalCdf(x), f.shares);
    });
    if (fixed === undefined || codes[fixed.feature] === fixed.code || attempt > 200) {
      if (fixed !== undefined) codes[fixed.feature] = fixed.code;
      return codes;
    }
  }
}

/** Volunteer propensity in (0, 1]: exp(Σ β_f·code_f) normalised by its maximum. */
function propensity(model: PoolModel, codes: number[]): number {
  let log = 0;
  let max = 0;
  model.features.forEach((f, i) => {
    log += f.beta * codes[i];
    max += Math.max(0, f.beta * (f.values.length - 1));
  });
  return Math.exp(log - max);
}

/** A pool of `people` volunteers and quotas for a panel of `panelSize` (see the header for the shape). */
export function generatePool(options: GenerateOptions): GeneratedPool {
  const model = options.model ?? SF_E_LIKE;
  const rng = new Rng(options.seed ?? 'plenary-pool');
  const slack = options.slack ?? 0.1;
  const chol = cholesky(model.correlation);
  const people: Person[] = [];
  let households = 0;
  const toFeatures = (codes: number[]) => Object.fromEntries(model.features.map((f, i) => [f.name, f.values[codes[i]]]));
  while (people.length < options.people) {
    let head: number[];
    do head = sampleCodes(rng, model, chol);
    while (rng.next() >= propensity(model, head));
    const u = rng.next();
    const size = Math.min(options.people - people.length, u < model.householdSizes[0] ? 1 : u < model.householdSizes[0] + model.householdSizes[1] ? 2 : 3);
    const household = `h${households++}`;
    for (let m = 0; m < size; m++) {
      const codes = m === 0 || model.sharedFeature < 0 ? head : sampleCodes(rng, model, chol, { feature: model.sharedFeature, code: head[model.sharedFeature] });
      const id = `p${String(people.length).padStart(5, '0')}`;
      people.push(size > 1 ? { id, features: toFeatures(codes), household } : { id, features: toFeatures(codes) });
    }
  }
  const pool: Pool = { people, categories: model.features.map((f) => f.name) };
  const k = options.panelSize;
  const rows = model.features.flatMap((f) =>
    f.values.map((value, i) => {
      const inPool = people.filter((p) => p.features[f.name] === value).length;
      const ideal = k * f.shares[i];
      const min = Math.min(inPool, Math.floor(ideal * (1 - slack)));
      const max = Math.max(min, Math.min(inPool, Math.ceil(ideal * (1 + slack))));
      return { category: f.name, value, min, max };
    }),
  );
  const profiles = new Set(people.map((p) => pool.categories.map((c) => p.features[c]).join('|'))).size;
  return { pool, quotas: { rows }, profiles, households };
}

/** OpenDLP / Flanigan et al. layout: respondents.csv (features, id, household) and categories.csv. */
export function poolToCsv(generated: GeneratedPool): { respondents: string; categories: string } {
  const { pool, quotas } = generated;
  const header = ['id', ...pool.categories, 'address'].join(',');
  const lines = pool.people.map((p) => [p.id, ...pool.categories.map((c) => p.features[c]), p.household ?? `solo-${p.id}`].join(','));
  const categories = ['category,feature,min,max', ...quotas.rows.map((q) => `${q.category},${q.value},${q.min},${q.max}`)].join('\n');
  return { respondents: `${[header, ...lines].join('\n')}\n`, categories: `${categories}\n` };
}
