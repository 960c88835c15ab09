/**
 * Two principal components of the mean-imputed vote matrix, by block power iteration over the sparse matrix.
 *
 * Imputing an unseen vote by its statement's mean and then centring makes that cell exactly 0, so the centred
 * matrix X̃ has the same sparsity as the votes: X̃[i][j] = x_ij − μ_j where participant i voted on j, else 0.
 * We iterate V ← orth(X̃ᵀ X̃ V) with a Rayleigh–Ritz rotation each step, never forming a dense matrix.
 */
import type { VoteMatrix } from './matrix.js';
import type { Prng } from './prng.js';

export interface PcaOptions {
  /** 1 for statements taking part in the math, 0 for excluded ones (rejected, meta) */
  active: Uint8Array;
  /** start vectors (e.g. the previous run's components); random when absent */
  start?: readonly [ArrayLike<number>, ArrayLike<number>] | null;
  rng: Prng;
  maxIterations?: number;
  /** stop when 1 − |cos(v_old, v_new)| < tolerance for both components */
  tolerance?: number;
}

export interface PcaResult {
  /** column means over the votes cast (pass = 0); 0 for excluded or unvoted statements */
  center: Float64Array;
  comps: [Float64Array, Float64Array];
  /** variance captured by each component (eigenvalues of X̃ᵀX̃ / rows) */
  eigenvalues: [number, number];
  iterations: number;
  converged: boolean;
}

export function columnMeans(m: VoteMatrix, active: Uint8Array): { mean: Float64Array; count: Int32Array } {
  const sum = new Float64Array(m.nStatements);
  const count = new Int32Array(m.nStatements);
  const { col, val } = m;
  for (let e = 0; e < col.length; e++) {
    const j = col[e];
    sum[j] += val[e];
    count[j]++;
  }
  const mean = new Float64Array(m.nStatements);
  for (let j = 0; j < m.nStatements; j++) mean[j] = active[j] && count[j] > 0 ? sum[j] / count[j] : 0;
  return { mean, count };
}

/**
 * w = X̃ᵀ X̃ v for two vectors at once, v and w interleaved (v[2j], v[2j+1]). The centred value of an entry is
 * computed on the fly as (x − μ_j)·active_j, so no per-entry array beyond the votes themselves is needed.
 */
function gramTimes(m: VoteMatrix, mu: Float64Array, act: Float64Array, v: Float64Array, w: Float64Array): void {
  w.fill(0);
  const { rowPtr, col, val } = m;
  for (let i = 0; i < m.nParticipants; i++) {
    const a = rowPtr[i], b = rowPtr[i + 1];
    let u1 = 0, u2 = 0;
    for (let e = a; e < b; e++) {
      const j = col[e];
      const c = (val[e] - mu[j]) * act[j];
      u1 += c * v[2 * j];
      u2 += c * v[2 * j + 1];
    }
    if (u1 === 0 && u2 === 0) continue;
    for (let e = a; e < b; e++) {
      const j = col[e];
      const c = (val[e] - mu[j]) * act[j];
      w[2 * j] += c * u1;
      w[2 * j + 1] += c * u2;
    }
  }
}

/** Centred value of entry e (0 for excluded statements). */
export function centredValue(m: VoteMatrix, mu: Float64Array, active: Uint8Array, e: number): number {
  const j = m.col[e];
  return active[j] ? m.val[e] - mu[j] : 0;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function normalise(a: Float64Array): number {
  const n = Math.sqrt(dot(a, a));
  if (n > 0) for (let i = 0; i < a.length; i++) a[i] /= n;
  return n;
}

/** Orthonormalise (a, b) in place by Gram–Schmidt; returns false when degenerate. */
function orthonormalise(a: Float64Array, b: Float64Array): boolean {
  if (normalise(a) === 0) return false;
  const d = dot(a, b);
  for (let i = 0; i < b.length; i++) b[i] -= d * a[i];
  // second pass for numerical safety
  const d2 = dot(a, b);
  for (let i = 0; i < b.length; i++) b[i] -= d2 * a[i];
  return normalise(b) !== 0;
}

export function sparsePca(m: VoteMatrix, opts: PcaOptions): PcaResult {
  const S = m.nStatements;
  const { active, rng } = opts;
  const maxIterations = opts.maxIterations ?? 1000;
  const tolerance = opts.tolerance ?? 1e-10;
  const { mean } = columnMeans(m, active);
  const act = new Float64Array(S);
  for (let j = 0; j < S; j++) act[j] = active[j] ? 1 : 0;
  const vv = new Float64Array(2 * S), ww = new Float64Array(2 * S);
  let v1 = new Float64Array(S), v2 = new Float64Array(S);
  const start = opts.start;
  for (let j = 0; j < S; j++) {
    // fresh random entries where the previous components have none (new statements) or no start at all
    const r1 = rng.next() - 0.5, r2 = rng.next() - 0.5;
    const s1 = start && j < start[0].length ? start[0][j] : NaN;
    const s2 = start && j < start[1].length ? start[1][j] : NaN;
    v1[j] = active[j] ? (Number.isFinite(s1) ? s1 : r1 * 1e-3 * (start ? 1 : 1000)) : 0;
    v2[j] = active[j] ? (Number.isFinite(s2) ? s2 : r2 * 1e-3 * (start ? 1 : 1000)) : 0;
  }
  if (!orthonormalise(v1, v2)) {
    // degenerate start (e.g. previous comps all zero): fall back to random
    for (let j = 0; j < S; j++) { v1[j] = active[j] ? rng.next() - 0.5 : 0; v2[j] = active[j] ? rng.next() - 0.5 : 0; }
    orthonormalise(v1, v2);
  }
  const w1 = new Float64Array(S), w2 = new Float64Array(S);
  let lambda: [number, number] = [0, 0];
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    for (let j = 0; j < S; j++) { vv[2 * j] = v1[j]; vv[2 * j + 1] = v2[j]; }
    gramTimes(m, mean, act, vv, ww);
    for (let j = 0; j < S; j++) { w1[j] = ww[2 * j]; w2[j] = ww[2 * j + 1]; }
    // Rayleigh–Ritz on span(v1, v2): H = Vᵀ A V (2×2 symmetric)
    const h11 = dot(v1, w1), h12 = 0.5 * (dot(v1, w2) + dot(v2, w1)), h22 = dot(v2, w2);
    const tr = h11 + h22, det = h11 * h22 - h12 * h12;
    const disc = Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
    const l1 = tr / 2 + disc, l2 = tr / 2 - disc;
    // eigenvector of H for l1
    let q1x: number, q1y: number;
    if (Math.abs(h12) > 1e-300) { q1x = l1 - h22; q1y = h12; } else if (h11 >= h22) { q1x = 1; q1y = 0; } else { q1x = 0; q1y = 1; }
    const qn = Math.hypot(q1x, q1y);
    q1x /= qn; q1y /= qn;
    const q2x = -q1y, q2y = q1x;
    // new basis = orth(W Q)
    const n1 = new Float64Array(S), n2 = new Float64Array(S);
    for (let j = 0; j < S; j++) {
      n1[j] = w1[j] * q1x + w2[j] * q1y;
      n2[j] = w1[j] * q2x + w2[j] * q2y;
    }
    if (!orthonormalise(n1, n2)) {
      lambda = [Math.max(l1, 0), Math.max(l2, 0)];
      converged = true;
      break;
    }
    const c1 = Math.abs(dot(n1, v1)), c2 = Math.abs(dot(n2, v2));
    // align signs with the previous iterate so the sequence converges, not only up to sign
    if (dot(n1, v1) < 0) for (let j = 0; j < S; j++) n1[j] = -n1[j];
    if (dot(n2, v2) < 0) for (let j = 0; j < S; j++) n2[j] = -n2[j];
    v1 = n1; v2 = n2;
    lambda = [l1, l2];
    if (1 - c1 < tolerance && 1 - c2 < tolerance) { converged = true; break; }
  }
  // deterministic sign: follow the start vectors when given, else make the largest-magnitude entry positive
  for (const [k, v] of [[0, v1], [1, v2]] as const) {
    let sign = 1;
    if (start && start[k].length > 0) {
      let d = 0;
      for (let j = 0; j < Math.min(S, start[k].length); j++) d += v[j] * (Number.isFinite(start[k][j]) ? start[k][j] : 0);
      if (d < 0) sign = -1;
      else if (d === 0) sign = largestPositive(v);
    } else sign = largestPositive(v);
    if (sign < 0) for (let j = 0; j < S; j++) v[j] = -v[j];
  }
  const rows = Math.max(1, m.nParticipants);
  return { center: mean, comps: [v1, v2], eigenvalues: [lambda[0] / rows, lambda[1] / rows], iterations, converged };
}

function largestPositive(v: Float64Array): number {
  let best = 0, bi = -1;
  for (let j = 0; j < v.length; j++) if (Math.abs(v[j]) > best + 1e-12) { best = Math.abs(v[j]); bi = j; }
  return bi >= 0 && v[bi] < 0 ? -1 : 1;
}
