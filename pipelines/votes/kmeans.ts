/**
 * Weighted k-means in two dimensions (points as interleaved x, y in a Float64Array), k-means++ seeding from a
 * seeded PRNG, best of several starts, and the weighted silhouette used to choose k.
 */
import type { Prng } from './prng.js';

export interface KmeansResult {
  /** k × 2 interleaved */
  centers: Float64Array;
  assign: Int32Array;
  /** weighted sum of squared distances to the assigned centre */
  inertia: number;
  iterations: number;
}

function d2(p: Float64Array, i: number, c: Float64Array, k: number): number {
  const dx = p[2 * i] - c[2 * k], dy = p[2 * i + 1] - c[2 * k + 1];
  return dx * dx + dy * dy;
}

/** k-means++ seeding, weighted by point weight. Picks distinct locations while there are any. */
export function kmeansPlusPlus(points: Float64Array, weights: Float64Array | null, k: number, rng: Prng): Float64Array {
  const n = points.length / 2;
  const centers = new Float64Array(k * 2);
  const dist = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights ? weights[i] : 1;
  // first centre: weighted uniform
  let r = rng.next() * total, first = n - 1;
  for (let i = 0; i < n; i++) { r -= weights ? weights[i] : 1; if (r < 0) { first = i; break; } }
  centers[0] = points[2 * first]; centers[1] = points[2 * first + 1];
  for (let i = 0; i < n; i++) dist[i] = d2(points, i, centers, 0);
  for (let c = 1; c < k; c++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += dist[i] * (weights ? weights[i] : 1);
    let pick = -1;
    if (sum > 0) {
      let t = rng.next() * sum;
      for (let i = 0; i < n; i++) {
        const w = dist[i] * (weights ? weights[i] : 1);
        if (w <= 0) continue;
        t -= w;
        pick = i;
        if (t < 0) break;
      }
    } else pick = rng.int(n);
    centers[2 * c] = points[2 * pick]; centers[2 * c + 1] = points[2 * pick + 1];
    for (let i = 0; i < n; i++) { const d = d2(points, i, centers, c); if (d < dist[i]) dist[i] = d; }
  }
  return centers;
}

/**
 * Lloyd iterations from the given centres (copied). Empty clusters are re-seeded at the worst-fitted point, unless
 * `reseedEmpty` is false (then they keep their centre and may stay empty).
 */
export function lloyd(points: Float64Array, weights: Float64Array | null, init: Float64Array, maxIterations = 300, reseedEmpty = true): KmeansResult {
  const n = points.length / 2, k = init.length / 2;
  const centers = Float64Array.from(init);
  const assign = new Int32Array(n).fill(-1);
  const sx = new Float64Array(k), sy = new Float64Array(k), sw = new Float64Array(k);
  const best = new Float64Array(n);
  const order = new Array<number>(k), sortedX = new Float64Array(k);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    let changed = false;
    // centres sorted by x: search outward from the point's x and stop once dx² exceeds the best distance.
    // Ties go to the lowest centre index, exactly as a full scan would.
    for (let c = 0; c < k; c++) order[c] = c;
    order.sort((a, b) => centers[2 * a] - centers[2 * b] || a - b);
    for (let c = 0; c < k; c++) sortedX[c] = centers[2 * order[c]];
    for (let i = 0; i < n; i++) {
      const px = points[2 * i], py = points[2 * i + 1];
      let lo = 0, hi = k;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (sortedX[mid] < px) lo = mid + 1; else hi = mid; }
      let bk = -1, bd = Infinity;
      let l = lo - 1, r = lo;
      while (l >= 0 || r < k) {
        const dl = l >= 0 ? px - sortedX[l] : Infinity, dr = r < k ? sortedX[r] - px : Infinity;
        const useLeft = dl <= dr;
        const dxx = useLeft ? dl : dr;
        if (dxx * dxx > bd) break;
        const c = useLeft ? order[l--] : order[r++];
        const dx = px - centers[2 * c], dy = py - centers[2 * c + 1];
        const d = dx * dx + dy * dy;
        if (d < bd || (d === bd && c < bk)) { bd = d; bk = c; }
      }
      best[i] = bd;
      if (assign[i] !== bk) { assign[i] = bk; changed = true; }
    }
    sx.fill(0); sy.fill(0); sw.fill(0);
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i] : 1, c = assign[i];
      sx[c] += w * points[2 * i]; sy[c] += w * points[2 * i + 1]; sw[c] += w;
    }
    let reseeded = false;
    for (let c = 0; c < k; c++) {
      if (sw[c] > 0) { centers[2 * c] = sx[c] / sw[c]; centers[2 * c + 1] = sy[c] / sw[c]; continue; }
      if (!reseedEmpty) continue;
      // empty cluster: move it to the point farthest from its centre (deterministic)
      let wi = -1, wd = -1;
      for (let i = 0; i < n; i++) if (best[i] > wd) { wd = best[i]; wi = i; }
      if (wi >= 0 && wd > 0) {
        centers[2 * c] = points[2 * wi]; centers[2 * c + 1] = points[2 * wi + 1];
        best[wi] = 0;
        reseeded = true;
      }
    }
    if (!changed && !reseeded && iterations > 0) break;
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += (weights ? weights[i] : 1) * d2(points, i, centers, assign[i]);
  return { centers, assign, inertia, iterations };
}

/**
 * Best (lowest inertia) of `starts` k-means++ runs, plus the warm starts given. Ties keep the earliest run,
 * warm starts first, so a previous solution that is still optimal is kept.
 */
export function bestKmeans(points: Float64Array, weights: Float64Array | null, k: number, starts: number, rng: Prng, warm: readonly Float64Array[] = []): KmeansResult {
  let best: KmeansResult | null = null;
  for (const w of warm) {
    if (w.length !== 2 * k) continue;
    const r = lloyd(points, weights, w);
    if (!best || r.inertia < best.inertia * (1 - 1e-12)) best = r;
  }
  for (let s = 0; s < starts; s++) {
    const r = lloyd(points, weights, kmeansPlusPlus(points, weights, k, rng));
    if (!best || r.inertia < best.inertia * (1 - 1e-12)) best = r;
  }
  if (!best) throw new Error('bestKmeans: no start');
  return best;
}

/**
 * Weighted silhouette: each point stands for `weight` identical members. a(i) and b(i) are weighted mean
 * distances (a point's own extra members count at distance 0 in a(i)); s = Σ wᵢ sᵢ / Σ wᵢ.
 */
export function silhouette(points: Float64Array, weights: Float64Array | null, assign: Int32Array, k: number): number {
  const n = points.length / 2;
  const sumD = new Float64Array(k), sumW = new Float64Array(k);
  let total = 0, acc = 0;
  for (let i = 0; i < n; i++) {
    sumD.fill(0); sumW.fill(0);
    const wi = weights ? weights[i] : 1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const w = weights ? weights[j] : 1;
      const d = Math.sqrt((points[2 * i] - points[2 * j]) ** 2 + (points[2 * i + 1] - points[2 * j + 1]) ** 2);
      sumD[assign[j]] += w * d; sumW[assign[j]] += w;
    }
    const own = assign[i];
    const ownW = sumW[own] + (wi - 1);
    let s = 0;
    if (ownW > 0) {
      const a = sumD[own] / ownW;
      let b = Infinity;
      for (let c = 0; c < k; c++) if (c !== own && sumW[c] > 0) b = Math.min(b, sumD[c] / sumW[c]);
      if (Number.isFinite(b)) s = Math.max(a, b) > 0 ? (b - a) / Math.max(a, b) : 0;
    }
    acc += wi * s; total += wi;
  }
  return total > 0 ? acc / total : 0;
}
