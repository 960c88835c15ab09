/**
 * Consensus candidates: statements whose support is broad across clusters and stances.
 *
 * Score (documented in docs of the map, `consensus` stage params):
 *  - support(s) = contributions j (of a seeded sample of at most `sample` points) with cos(s, j) ≥ τ,
 *    τ = the `quantile` (default 0.95) of the cosine similarities of random pairs of the same sample — an
 *    adaptive threshold, so it means the same thing for lexical and semantic vectors;
 *  - a cluster "supports" s when it holds at least `minPerCluster` (default 2) of the support and the mean
 *    polarity of those members is ≥ 0 (sentiment score, and stance not in `negativeStances` when known);
 *  - clusterBreadth = supporting clusters / all clusters; nonNegativeShare = share of the support whose
 *    polarity is ≥ 0;
 *  - score = clusterBreadth × nonNegativeShare; a candidate needs clusterBreadth ≥ `minBreadth` (0.5) and
 *    nonNegativeShare ≥ `minNonNegative` (0.6).
 * With votes: voteScore = min over voter groups of (agree + 1) / (agree + disagree + 2) (Laplace-smoothed
 * agreement; one group when votes carry none); statements with ≥ `minVotes` votes need voteScore ≥ 0.6, and
 * the final score is the mean of the text score and voteScore.
 */
import type { ConsensusCandidate, VoteRecord } from '../text/types.js';

export const CONSENSUS_VERSION = '1.0.0';

export interface ConsensusOptions {
  seed: number;
  sample?: number;
  quantile?: number;
  minPerCluster?: number;
  minBreadth?: number;
  minNonNegative?: number;
  minVotes?: number;
  negativeStances?: string[];
  max?: number;
}

export interface ConsensusInput {
  ids: string[];
  texts: string[];
  /** L2-normalised */
  vectors: Float32Array[];
  clusters: ArrayLike<number>;
  k: number;
  sentiment: Array<number | null>;
  stance: Array<string | null>;
  /** indices of the statements to score (e.g. key statements); default all */
  candidates?: number[];
  votes?: VoteRecord[];
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function voteScores(votes: VoteRecord[]): Map<string, { score: number; n: number }> {
  const acc = new Map<string, Map<string, { a: number; d: number }>>();
  for (const v of votes) {
    const g = v.group ?? '*';
    const byGroup = acc.get(v.contributionId) ?? new Map();
    const e = byGroup.get(g) ?? { a: 0, d: 0 };
    if (v.vote === 1) e.a++;
    else if (v.vote === -1) e.d++;
    byGroup.set(g, e);
    acc.set(v.contributionId, byGroup);
  }
  const out = new Map<string, { score: number; n: number }>();
  for (const [id, byGroup] of acc) {
    let min = 1;
    let n = 0;
    for (const e of byGroup.values()) {
      min = Math.min(min, (e.a + 1) / (e.a + e.d + 2));
      n += e.a + e.d;
    }
    out.set(id, { score: min, n });
  }
  return out;
}

export function consensusCandidates(input: ConsensusInput, opts: ConsensusOptions): { candidates: ConsensusCandidate[]; threshold: number } {
  const n = input.ids.length;
  if (n < 3 || input.k < 2) return { candidates: [], threshold: NaN };
  const rand = rng(opts.seed);
  const m = Math.min(n, opts.sample ?? 5000);
  // seeded sample without replacement
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  const sample = Array.from(perm.subarray(0, m));
  const pairs: number[] = [];
  for (let t = 0; t < Math.min(20_000, m * 10); t++) {
    const a = sample[Math.floor(rand() * m)];
    const b = sample[Math.floor(rand() * m)];
    if (a !== b) pairs.push(dot(input.vectors[a], input.vectors[b]));
  }
  pairs.sort((x, y) => x - y);
  const tau = pairs.length ? pairs[Math.min(pairs.length - 1, Math.floor((opts.quantile ?? 0.95) * pairs.length))] : 0.5;
  const neg = new Set(opts.negativeStances ?? ['oppose', 'against', 'disagree', 'contre']);
  const polarity = (j: number): number | null => {
    const st = input.stance[j];
    if (st !== null && neg.has(st)) return -1;
    return input.sentiment[j];
  };
  const votes = input.votes && input.votes.length ? voteScores(input.votes) : null;
  const cands = input.candidates ?? Array.from({ length: n }, (_, i) => i);
  const minPer = opts.minPerCluster ?? 2;
  const out: ConsensusCandidate[] = [];
  for (const c of cands) {
    const vc = input.vectors[c];
    const perCluster = new Map<number, { n: number; pol: number; polN: number }>();
    let support = 0;
    let nonNeg = 0;
    let polKnown = 0;
    for (const j of sample) {
      if (j === c) continue;
      if (dot(vc, input.vectors[j]) < tau) continue;
      support++;
      const e = perCluster.get(input.clusters[j]) ?? { n: 0, pol: 0, polN: 0 };
      e.n++;
      const p = polarity(j);
      if (p !== null) {
        e.pol += p;
        e.polN++;
        polKnown++;
        if (p >= 0) nonNeg++;
      }
      perCluster.set(input.clusters[j], e);
    }
    let supporting = 0;
    for (const e of perCluster.values()) if (e.n >= minPer && (e.polN === 0 || e.pol / e.polN >= 0)) supporting++;
    const breadth = supporting / input.k;
    const nonNegShare = polKnown ? nonNeg / polKnown : 1;
    const vs = votes?.get(input.ids[c]);
    const voteScore = vs && vs.n >= (opts.minVotes ?? 5) ? vs.score : null;
    if (breadth < (opts.minBreadth ?? 0.5) || nonNegShare < (opts.minNonNegative ?? 0.6)) continue;
    if (voteScore !== null && voteScore < 0.6) continue;
    const textScore = breadth * nonNegShare;
    out.push({
      contributionId: input.ids[c],
      text: input.texts[c],
      score: Number((voteScore === null ? textScore : (textScore + voteScore) / 2).toFixed(6)),
      clusterBreadth: Number(breadth.toFixed(6)),
      nonNegativeShare: Number(nonNegShare.toFixed(6)),
      supportSize: support,
      voteScore: voteScore === null ? null : Number(voteScore.toFixed(6)),
    });
  }
  out.sort((a, b) => b.score - a.score || (a.contributionId < b.contributionId ? -1 : 1));
  return { candidates: out.slice(0, opts.max ?? 20), threshold: tau };
}
