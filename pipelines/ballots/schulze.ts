/**
 * The Schulze method, implemented from M. Schulze, "A new monotonic, clone-independent, reversal symmetric, and
 * Condorcet-consistent single-winner election method", Social Choice and Welfare 36 (2011) 267–303.
 *
 * 1. Pairwise matrix d[X][Y] = number of voters who strictly prefer X to Y. Options a ballot does not rank are
 *    tied below every ranked option (so a voter ranking X prefers X to every unranked option, and says nothing
 *    between two unranked options).
 * 2. Link strength of X→Y (section 2.1 of the paper), only where X beats Y (d[X][Y] > d[Y][X]), else no link:
 *    - margin (the default here): d[X][Y] − d[Y][X];
 *    - winning votes: d[X][Y];
 *    - ratio: d[X][Y] / d[Y][X] (kept as an exact fraction; with d[Y][X] = 0 it is stronger than every finite
 *      ratio, and two such links compare by d[X][Y]).
 * 3. Strongest paths p[X][Y]: the strength of a path is its weakest link; p is the strongest path's strength,
 *    computed by the widest-path variant of Floyd–Warshall (O(n³)).
 * 4. X is ranked above Y when p[X][Y] > p[Y][X]. Schulze proves the relation p[X][Y] ≥ p[Y][X] is transitive,
 *    so options fall into tiers: the first tier holds the options no other option beats (the winners), the
 *    next tier those beaten only by the first, and so on. Options in one tier are tied.
 */
import { indexProfile, type IndexedProfile, type RankedProfile, type Tiers } from './types.js';

export type SchulzeVariant = 'margin' | 'winning' | 'ratio';

/** A strength as a fraction num/den (den = 1 for margin and winning votes; den = 0 means an unbeaten ratio). */
export interface Strength {
  num: number;
  den: number;
}

export interface SchulzeResult {
  method: 'schulze';
  variant: SchulzeVariant;
  options: string[];
  voters: number;
  /** pairwise[X][Y] = voters preferring X to Y, by option index */
  pairwise: number[][];
  /** strongest path strengths by option index (0 where there is no path); for ratio, see `pathFractions` */
  paths: number[][];
  /** exact strongest paths as fractions (ratio variant), by option index */
  pathFractions: Strength[][];
  ranking: Tiers;
  winners: string[];
}

/**
 * Pairwise preference counts d[X*n+Y], unranked options tied last. Only pairs of ranked options are visited:
 * with Dr[X][Y] = ballots ranking X strictly above Y (both ranked), T[X][Y] = ballots ranking X and Y in one tier
 * and R[X] = ballots ranking X, the ballots preferring X to Y are d[X][Y] = R[X] − Dr[Y][X] − T[X][Y] (X ranked
 * and Y either unranked or below X). O(Σ k²/2) for ballots ranking k options, instead of O(ballots × n²).
 */
export function pairwiseMatrix(p: IndexedProfile): Float64Array {
  const n = p.options.length;
  const dr = new Float64Array(n * n);
  const tie = new Float64Array(n * n);
  const ranked = new Float64Array(n);
  const { items, tierOf, start, counts } = p;
  let anyTie = false;
  for (let b = 0; b < counts.length; b++) {
    const c = counts[b];
    const end = start[b + 1];
    let i = start[b];
    while (i < end) {
      // the tier [i, j)
      let j = i + 1;
      while (j < end && tierOf[j] === tierOf[i]) j++;
      for (let x = i; x < j; x++) {
        const ox = items[x];
        ranked[ox] += c;
        const row = ox * n;
        for (let y = j; y < end; y++) dr[row + items[y]] += c;
        for (let y = i; y < j; y++) if (y !== x) {
          tie[row + items[y]] += c;
          anyTie = true;
        }
      }
      i = j;
    }
  }
  const d = new Float64Array(n * n);
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) {
      if (x !== y) d[x * n + y] = ranked[x] - dr[y * n + x] - (anyTie ? tie[x * n + y] : 0);
    }
  }
  return d;
}

function compare(a: Strength, b: Strength): number {
  if (a.den === 0 || b.den === 0) {
    if (a.den === 0 && b.den === 0) return a.num - b.num;
    return a.den === 0 ? (a.num > 0 ? 1 : 0) : b.num > 0 ? -1 : 0;
  }
  return a.num * b.den - b.num * a.den;
}

function link(dxy: number, dyx: number, variant: SchulzeVariant): Strength {
  if (dxy <= dyx) return { num: 0, den: 1 };
  if (variant === 'margin') return { num: dxy - dyx, den: 1 };
  if (variant === 'winning') return { num: dxy, den: 1 };
  return { num: dxy, den: dyx };
}

/** Strongest paths (widest-path Floyd–Warshall) over the link strengths. */
export function strongestPaths(d: Float64Array, n: number, variant: SchulzeVariant): Strength[][] {
  const p: Strength[][] = [];
  for (let x = 0; x < n; x++) {
    p.push([]);
    for (let y = 0; y < n; y++) p[x].push(x === y ? { num: 0, den: 1 } : link(d[x * n + y], d[y * n + x], variant));
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const pji = p[j][i];
      if (pji.num === 0) continue;
      for (let k = 0; k < n; k++) {
        if (k === i || k === j) continue;
        const via = compare(pji, p[i][k]) < 0 ? pji : p[i][k];
        if (compare(via, p[j][k]) > 0) p[j][k] = via;
      }
    }
  }
  return p;
}

/** Tiers from the strongest paths: X above Y iff p[X][Y] > p[Y][X]. */
export function rankFromPaths(options: string[], p: Strength[][]): Tiers {
  const left = new Set(options.map((_, i) => i));
  const out: Tiers = [];
  while (left.size > 0) {
    const tier = [...left].filter((x) => ![...left].some((y) => y !== x && compare(p[y][x], p[x][y]) > 0));
    // transitivity (Schulze 2011, section 4.1) guarantees a non-empty tier; guard against a broken invariant
    if (tier.length === 0) throw new Error('Schulze: no unbeaten option left (the beat relation is not transitive)');
    for (const x of tier) left.delete(x);
    out.push(tier.map((x) => options[x]));
  }
  return out;
}

export function schulzeIndexed(profile: IndexedProfile, variant: SchulzeVariant = 'margin'): SchulzeResult {
  const n = profile.options.length;
  const d = pairwiseMatrix(profile);
  const p = strongestPaths(d, n, variant);
  const ranking = rankFromPaths(profile.options, p);
  const rows = (f: (x: number, y: number) => number) => profile.options.map((_, x) => profile.options.map((__, y) => f(x, y)));
  return {
    method: 'schulze',
    variant,
    options: [...profile.options],
    voters: profile.voters,
    pairwise: rows((x, y) => d[x * n + y]),
    paths: rows((x, y) => (p[x][y].den === 0 ? Number.POSITIVE_INFINITY : p[x][y].num / p[x][y].den)),
    pathFractions: p,
    ranking,
    winners: ranking[0] ?? [],
  };
}

/** Schulze over a ranked profile (validated: unknown or repeated options raise a BallotError). */
export function schulze(profile: RankedProfile, variant: SchulzeVariant = 'margin'): SchulzeResult {
  return schulzeIndexed(indexProfile(profile), variant);
}
