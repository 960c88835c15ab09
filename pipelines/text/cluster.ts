/**
 * Clustering: k-means (ml-kmeans, seeded, k-means++) on L2-normalised vectors; k chosen by the mean
 * silhouette (cosine distance) over a seeded sample; a fit sample for large n, then every point assigned
 * to its nearest centroid and the centroids refined by a few Lloyd passes over all points.
 */
import { kmeans } from 'ml-kmeans';
import { sampleIndices, seededRandom } from './util.js';
import { TEXT_MAP_K } from '../tuned.js';

export interface ClusterOptions {
  seed: number;
  /** fixed k or 'auto' */
  k?: number | 'auto';
  kMin?: number;
  kMax?: number;
  /** points k-means is fitted on (default 20,000) */
  fitSample?: number;
  /** points each candidate k is fitted on when choosing k (default 4,000) */
  selectSample?: number;
  /** points the silhouette is computed on (default 2,000) */
  silhouetteSample?: number;
  /** Lloyd passes over all points after fitting on a sample (default 3) */
  refinePasses?: number;
  /** distance for the silhouette: cosine (L2-normalised embeddings, default) or euclidean (UMAP space) */
  metric?: 'cosine' | 'euclidean';
  /**
   * vectors the silhouette is computed on instead of the clustered ones (parallel to them; cosine, L2-normalised):
   * the embeddings when k-means runs in a UMAP space. UMAP (minDist 0) packs points into a few well-separated blobs,
   * so a silhouette measured there rewards too few clusters; measured on the embeddings it does not.
   */
  silhouetteVectors?: Float32Array[];
}

export interface ClusterResult {
  labels: Int32Array;
  k: number;
  centroids: Float32Array[];
  /** silhouette per candidate k (auto) */
  silhouettes: Array<{ k: number; silhouette: number }>;
  silhouette: number | null;
}

/** Default upper bound for k: grows slowly with n (≈ √(n/2), between 2 and 30; pipelines/tuned.ts). */
export function defaultKMax(n: number): number {
  return Math.max(2, Math.min(TEXT_MAP_K.kMaxCap, Math.floor(Math.sqrt(n / TEXT_MAP_K.kMaxDivisor))));
}

/**
 * Default lower bound for k: ⌈√(n/8)⌉, between 2 and 12 (and at most kMax) — about 4 for 100 contributions, 9 for
 * 600, 12 from 1,000 on (pipelines/tuned.ts). The silhouette alone collapses to 2–4 clusters at every size
 * (measured: ArgKP k ≈ 3 for 4–8 key points, 100,000 contributions k = 3); with this floor it still chooses, but
 * among overview-sized maps.
 */
export function defaultKMin(n: number, kMax = defaultKMax(n)): number {
  return Math.max(2, Math.min(kMax, TEXT_MAP_K.kMinCap, Math.ceil(Math.sqrt(n / TEXT_MAP_K.kMinDivisor))));
}

function toArrays(vectors: Float32Array[], idx: number[]): number[][] {
  return idx.map((i) => Array.from(vectors[i]));
}

function nearest(v: Float32Array, centroids: Float32Array[]): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const m = centroids[c];
    let d = 0;
    for (let j = 0; j < v.length; j++) {
      const t = v[j] - m[j];
      d += t * t;
    }
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** Pairwise cosine distances of the sample (row-major m × m), computed once for every candidate k. */
function distanceMatrix(vectors: Float32Array[], idx: number[], metric: 'cosine' | 'euclidean' = 'cosine'): Float32Array {
  const m = idx.length;
  if (metric === 'euclidean') {
    const d = new Float32Array(m * m);
    for (let a = 0; a < m; a++) {
      const va = vectors[idx[a]];
      for (let b = a + 1; b < m; b++) {
        const vb = vectors[idx[b]];
        let s = 0;
        for (let j = 0; j < va.length; j++) s += (va[j] - vb[j]) ** 2;
        d[a * m + b] = d[b * m + a] = Math.sqrt(s);
      }
    }
    return d;
  }
  const d = new Float32Array(m * m);
  for (let a = 0; a < m; a++) {
    const va = vectors[idx[a]];
    for (let b = a + 1; b < m; b++) {
      const vb = vectors[idx[b]];
      let s = 0;
      for (let j = 0; j < va.length; j++) s += va[j] * vb[j];
      const dist = 1 - s;
      d[a * m + b] = dist;
      d[b * m + a] = dist;
    }
  }
  return d;
}

/** Mean silhouette of labels over a precomputed distance matrix. Singletons score 0 (Rousseeuw). */
export function silhouetteFromDistances(d: Float32Array, labels: ArrayLike<number>, k: number): number {
  const m = labels.length;
  const sums = new Float64Array(k);
  const sizes = new Int32Array(k);
  for (let i = 0; i < m; i++) sizes[labels[i]]++;
  let total = 0;
  for (let i = 0; i < m; i++) {
    sums.fill(0);
    for (let j = 0; j < m; j++) if (j !== i) sums[labels[j]] += d[i * m + j];
    const own = labels[i];
    if (sizes[own] <= 1) continue;
    const a = sums[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c] > 0) b = Math.min(b, sums[c] / sizes[c]);
    if (!Number.isFinite(b)) continue;
    const s = (b - a) / Math.max(a, b);
    total += Number.isFinite(s) ? s : 0;
  }
  return m > 0 ? total / m : 0;
}

/** Mean silhouette (cosine distance) of a labelling: exact for small inputs, on a sample for large ones. */
export function silhouette(
  vectors: Float32Array[],
  labels: ArrayLike<number>,
  opts: { seed?: number; sample?: number; metric?: 'cosine' | 'euclidean' } = {},
): number {
  const idx = sampleIndices(vectors.length, opts.sample ?? 2000, seededRandom(opts.seed ?? 0));
  const k = Math.max(...Array.from(labels)) + 1;
  return silhouetteFromDistances(distanceMatrix(vectors, idx, opts.metric), idx.map((i) => labels[i]), k);
}

/** Restarts of k-means (best inertia kept): many for small inputs, one for very large ones. */
export function defaultInits(n: number): number {
  return Math.max(1, Math.min(8, Math.floor(8000 / Math.max(1, n))));
}

function runKmeans(vectors: Float32Array[], idx: number[], k: number, seed: number, inits = defaultInits(idx.length)): { centroids: Float32Array[]; labels: number[] } {
  const data = toArrays(vectors, idx);
  let best: { centroids: Float32Array[]; labels: number[] } | null = null;
  let bestInertia = Infinity;
  for (let r = 0; r < inits; r++) {
    const res = kmeans(data, k, { seed: seed + 1009 * r, initialization: 'kmeans++', maxIterations: 100 });
    let inertia = 0;
    for (let i = 0; i < data.length; i++) {
      const c = res.centroids[res.clusters[i]];
      const x = data[i];
      for (let j = 0; j < x.length; j++) inertia += (x[j] - c[j]) ** 2;
    }
    if (inertia < bestInertia - 1e-9) {
      bestInertia = inertia;
      best = { centroids: res.centroids.map((c) => Float32Array.from(c)), labels: res.clusters };
    }
  }
  return best!;
}

/** k-means with k by silhouette; deterministic for a given seed. */
export function clusterVectors(vectors: Float32Array[], opts: ClusterOptions): ClusterResult {
  const n = vectors.length;
  if (n === 0) return { labels: new Int32Array(0), k: 0, centroids: [], silhouettes: [], silhouette: null };
  const rand = seededRandom(opts.seed);
  const fitIdx = sampleIndices(n, opts.fitSample ?? 20_000, rand);
  const selIdx = sampleIndices(fitIdx.length, Math.min(opts.selectSample ?? 4000, fitIdx.length), rand).map((i) => fitIdx[i]);
  const silPos = sampleIndices(selIdx.length, Math.min(opts.silhouetteSample ?? 2000, selIdx.length), rand);
  const silIdx = silPos.map((p) => selIdx[p]);
  const distinct = countDistinct(vectors, fitIdx, 1000);
  let k: number;
  const silhouettes: Array<{ k: number; silhouette: number }> = [];
  let fit: { centroids: Float32Array[]; labels: number[] } | null = null;
  if (opts.k !== undefined && opts.k !== 'auto') {
    k = Math.max(1, Math.min(opts.k, distinct));
    fit = runKmeans(vectors, fitIdx, k, opts.seed);
  } else {
    const kMax = Math.min(opts.kMax ?? defaultKMax(n), distinct, silIdx.length - 1);
    const kMin = Math.min(opts.kMin ?? 2, kMax);
    if (kMax < 2) {
      k = 1;
      fit = runKmeans(vectors, fitIdx, 1, opts.seed);
    } else {
      const d = opts.silhouetteVectors ? distanceMatrix(opts.silhouetteVectors, silIdx, 'cosine') : distanceMatrix(vectors, silIdx, opts.metric);
      let bestS = -Infinity;
      let bestFit: { centroids: Float32Array[]; labels: number[] } | null = null;
      // candidate k: every k up to 12, then steps of ~15 % (keeps the search cheap for large kMax)
      const ks: number[] = [];
      for (let c = kMin; c <= kMax; c = c < 12 ? c + 1 : Math.max(c + 1, Math.round(c * 1.15))) ks.push(c);
      for (const c of ks) {
        const r = runKmeans(vectors, selIdx, c, opts.seed);
        const s = silhouetteFromDistances(d, silPos.map((p) => r.labels[p]), c);
        silhouettes.push({ k: c, silhouette: s });
        if (s > bestS + 1e-9) {
          bestS = s;
          bestFit = r;
        }
      }
      k = bestFit!.centroids.length;
      fit = selIdx.length === fitIdx.length ? bestFit : runKmeans(vectors, fitIdx, k, opts.seed);
    }
  }
  let centroids = fit!.centroids;
  const labels = new Int32Array(n);
  if (fitIdx.length === n) {
    fit!.labels.forEach((c, i) => (labels[i] = c));
  } else {
    for (let pass = 0; pass < (opts.refinePasses ?? 3); pass++) {
      for (let i = 0; i < n; i++) labels[i] = nearest(vectors[i], centroids);
      centroids = recomputeCentroids(vectors, labels, centroids);
    }
    for (let i = 0; i < n; i++) labels[i] = nearest(vectors[i], centroids);
  }
  const relabelled = relabelBySize(labels, centroids);
  const best = silhouettes.find((s) => s.k === k);
  return { labels: relabelled.labels, centroids: relabelled.centroids, k, silhouettes, silhouette: best ? best.silhouette : null };
}

function recomputeCentroids(vectors: Float32Array[], labels: Int32Array, prev: Float32Array[]): Float32Array[] {
  const d = prev[0].length;
  const sums = prev.map(() => new Float64Array(d));
  const counts = new Int32Array(prev.length);
  for (let i = 0; i < vectors.length; i++) {
    const c = labels[i];
    counts[c]++;
    const v = vectors[i];
    const s = sums[c];
    for (let j = 0; j < d; j++) s[j] += v[j];
  }
  return prev.map((p, c) => (counts[c] === 0 ? p : Float32Array.from(sums[c], (x) => x / counts[c])));
}

/** Cluster 0 = largest (ties by smallest first member index); empty clusters removed. */
function relabelBySize(labels: Int32Array, centroids: Float32Array[]): { labels: Int32Array; centroids: Float32Array[] } {
  const k = centroids.length;
  const size = new Int32Array(k);
  const first = new Int32Array(k).fill(-1);
  labels.forEach((c, i) => {
    size[c]++;
    if (first[c] < 0) first[c] = i;
  });
  const order = Array.from({ length: k }, (_, c) => c)
    .filter((c) => size[c] > 0)
    .sort((a, b) => size[b] - size[a] || first[a] - first[b]);
  const map = new Int32Array(k);
  order.forEach((c, i) => (map[c] = i));
  return { labels: labels.map((c) => map[c]), centroids: order.map((c) => centroids[c]) };
}

function countDistinct(vectors: Float32Array[], idx: number[], cap: number): number {
  const seen = new Set<string>();
  for (const i of idx) {
    seen.add(Array.from(vectors[i].subarray(0, 16), (x) => x.toFixed(5)).join(','));
    if (seen.size >= cap) break;
  }
  return seen.size;
}

/**
 * Labels for every point from labels on a sample: sampled points keep theirs, the others go to the nearest
 * (cosine) centroid of the sampled clusters in the embedding space. Vectors L2-normalised.
 */
export function assignFromSample(vectors: Float32Array[], sampleIdx: number[], sampleLabels: ArrayLike<number>, k: number): Int32Array {
  const n = vectors.length;
  const d = vectors[0]?.length ?? 0;
  const sums = Array.from({ length: k }, () => new Float64Array(d));
  sampleIdx.forEach((g, p) => {
    const s = sums[sampleLabels[p]];
    const v = vectors[g];
    for (let j = 0; j < d; j++) s[j] += v[j];
  });
  const centroids = sums.map((s) => Float32Array.from(s));
  const labels = new Int32Array(n).fill(-1);
  sampleIdx.forEach((g, p) => (labels[g] = sampleLabels[p]));
  for (let i = 0; i < n; i++) {
    if (labels[i] >= 0) continue;
    const v = vectors[i];
    let best = 0;
    let bestS = -Infinity;
    for (let c = 0; c < k; c++) {
      const m = centroids[c];
      let s = 0;
      for (let j = 0; j < d; j++) s += v[j] * m[j];
      if (s > bestS) {
        bestS = s;
        best = c;
      }
    }
    labels[i] = best;
  }
  return labels;
}

/** Renumbers labels so that 0 is the largest cluster (ties: earliest first member); drops empty ones. */
export function relabelLabelsBySize(labels: Int32Array, k: number): { labels: Int32Array; k: number } {
  const size = new Int32Array(k);
  const first = new Int32Array(k).fill(-1);
  labels.forEach((c, i) => {
    size[c]++;
    if (first[c] < 0) first[c] = i;
  });
  const order = Array.from({ length: k }, (_, c) => c)
    .filter((c) => size[c] > 0)
    .sort((a, b) => size[b] - size[a] || first[a] - first[b]);
  const map = new Int32Array(k);
  order.forEach((c, i) => (map[c] = i));
  return { labels: labels.map((c) => map[c]), k: order.length };
}
