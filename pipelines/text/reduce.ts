/**
 * Dimension reduction with UMAP (umap-js, seeded PRNG: a constant `random` makes it hang). For large inputs
 * UMAP is fitted on a seeded sample and every other point is placed at the similarity-weighted mean of its
 * nearest fitted neighbours among at most 256 fitted points of the same cluster / sub-topic (when labels
 * are given: cheap, and keeps clusters together on the map).
 */
import { UMAP } from 'umap-js';
import { sampleIndices, seededRandom, throwIfAborted, tick } from './util.js';

export interface ReduceOptions {
  seed: number;
  dims?: number;
  /** fit on at most this many points (default 5,000) */
  sample?: number;
  nNeighbors?: number;
  minDist?: number;
  /** optional labels: neighbours for placing non-sampled points are searched within the same label */
  labels?: ArrayLike<number>;
  signal?: AbortSignal;
  onEpoch?: (fraction: number) => void;
}

function cosineDistance(a: number[], b: number[]): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 1 : 1 - s / Math.sqrt(na * nb);
}

/** UMAP fitted on a seeded sample only: the sample's indices (sorted) and their coordinates. */
export async function fitUmapSample(vectors: Float32Array[], opts: ReduceOptions): Promise<{ fitIdx: number[]; coords: number[][] }> {
  const n = vectors.length;
  const dims = opts.dims ?? 2;
  const rand = seededRandom(opts.seed);
  const fitIdx = sampleIndices(n, opts.sample ?? 5000, rand);
  if (fitIdx.length < 4) return { fitIdx, coords: fitIdx.map((_, i) => Array.from({ length: dims }, (_, d) => (d === 0 ? i : 0))) };
  const nNeighbors = Math.max(2, Math.min(opts.nNeighbors ?? 15, fitIdx.length - 1));
  const umap = new UMAP({
    nComponents: dims,
    nNeighbors,
    minDist: opts.minDist ?? 0.1,
    random: seededRandom(opts.seed + 1),
    distanceFn: cosineDistance,
  });
  const data = fitIdx.map((i) => Array.from(vectors[i]));
  const epochs = umap.initializeFit(data);
  for (let e = 0; e < epochs; e++) {
    umap.step();
    if (e % 25 === 0) {
      throwIfAborted(opts.signal);
      opts.onEpoch?.(e / epochs);
      await tick();
    }
  }
  return { fitIdx, coords: umap.getEmbedding().map((r) => r.slice()) };
}

/** Low-dimensional coordinates (n × dims), deterministic for a seed. */
export async function reduceUmap(vectors: Float32Array[], opts: ReduceOptions): Promise<number[][]> {
  const n = vectors.length;
  const dims = opts.dims ?? 2;
  if (n === 0) return [];
  if (n < 4) return vectors.map((_, i) => Array.from({ length: dims }, (_, d) => (d === 0 ? i : 0)));
  const { fitIdx, coords: fitted } = await fitUmapSample(vectors, opts);
  const out: number[][] = new Array(n);
  fitIdx.forEach((g, p) => (out[g] = fitted[p]));
  if (fitIdx.length === n) return out;
  // place the others from their k nearest fitted neighbours (cosine), within the same label when given
  const byLabel = new Map<number, number[]>();
  fitIdx.forEach((g, p) => {
    const lab = opts.labels ? opts.labels[g] : 0;
    const list = byLabel.get(lab) ?? [];
    list.push(p);
    byLabel.set(lab, list);
  });
  // at most 256 candidates per label (evenly spaced over the fitted members, deterministic)
  const cap = (list: number[]) => (list.length <= 256 ? list : Array.from({ length: 256 }, (_, j) => list[Math.floor((j * list.length) / 256)]));
  for (const [lab, list] of byLabel) byLabel.set(lab, cap(list));
  const all = cap(fitIdx.map((_, p) => p));
  const kNear = 8;
  const isFitted = new Uint8Array(n);
  for (const g of fitIdx) isFitted[g] = 1;
  for (let i = 0; i < n; i++) {
    if (isFitted[i]) continue;
    if (i % 2000 === 0) {
      throwIfAborted(opts.signal);
      await tick();
    }
    const cand = (opts.labels ? byLabel.get(opts.labels[i]) : undefined) ?? all;
    const v = vectors[i];
    const bestS = new Float64Array(kNear).fill(-Infinity);
    const bestP = new Int32Array(kNear).fill(-1);
    for (const p of cand) {
      const u = vectors[fitIdx[p]];
      let s = 0;
      for (let j = 0; j < v.length; j++) s += v[j] * u[j];
      if (s <= bestS[kNear - 1]) continue;
      let q = kNear - 1;
      while (q > 0 && bestS[q - 1] < s) {
        bestS[q] = bestS[q - 1];
        bestP[q] = bestP[q - 1];
        q--;
      }
      bestS[q] = s;
      bestP[q] = p;
    }
    const pos = new Array(dims).fill(0);
    let wsum = 0;
    for (let q = 0; q < kNear; q++) {
      if (bestP[q] < 0) continue;
      const w = Math.max(1e-6, 1 + bestS[q]);
      const f = fitted[bestP[q]];
      for (let d = 0; d < dims; d++) pos[d] += w * f[d];
      wsum += w;
    }
    out[i] = pos.map((x) => (wsum > 0 ? x / wsum : 0));
  }
  return out;
}
