/**
 * Lexical embeddings: sparse TF-IDF (sublinear tf, smoothed idf, L2 rows) followed by a truncated SVD
 * computed with the randomized range finder of Halko, Martinsson & Tropp (2011, Alg. 4.4: power iterations
 * with re-orthonormalisation), then an exact eigen-decomposition (cyclic Jacobi) of the small l × l matrix
 * B Bᵀ. Document coordinates are U Σ (as LSA), each row L2-normalised.
 */
import { tokenize } from './tokenize.js';
import { gaussian, sampleIndices, seededRandom } from './util.js';

/** Compressed sparse rows. */
export interface Csr {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
}

export interface TfidfModel {
  vocabulary: Map<string, number>;
  idf: Float32Array;
}

export interface TfidfOptions {
  /** minimum document frequency (default: 2 when ≥ 50 documents, else 1) */
  minDf?: number;
  /** maximum document frequency share (default 0.5 when ≥ 50 documents, else 1) */
  maxDfShare?: number;
  /** add word bigrams (default true) */
  bigrams?: boolean;
  /** keep the most frequent terms only (default 50,000) */
  maxFeatures?: number;
  sublinearTf?: boolean;
}

function terms(text: string, bigrams: boolean): string[] {
  const toks = tokenize(text);
  if (!bigrams) return toks;
  const out = toks.slice();
  for (let i = 0; i + 1 < toks.length; i++) out.push(`${toks[i]} ${toks[i + 1]}`);
  return out;
}

export function fitTfidf(texts: string[], opts: TfidfOptions = {}): { model: TfidfModel; matrix: Csr } {
  const n = texts.length;
  const bigrams = opts.bigrams ?? true;
  const minDf = opts.minDf ?? (n >= 50 ? 2 : 1);
  const maxDf = Math.max(1, Math.floor((opts.maxDfShare ?? (n >= 50 ? 0.5 : 1)) * n));
  const df = new Map<string, number>();
  const docTerms: string[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = terms(texts[i], bigrams);
    docTerms[i] = t;
    for (const w of new Set(t)) df.set(w, (df.get(w) ?? 0) + 1);
  }
  let kept = [...df.entries()].filter(([, f]) => f >= minDf && f <= maxDf);
  const maxFeatures = opts.maxFeatures ?? 50_000;
  if (kept.length > maxFeatures) {
    kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    kept = kept.slice(0, maxFeatures);
  }
  kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const vocabulary = new Map<string, number>();
  const idf = new Float32Array(kept.length);
  kept.forEach(([w, f], j) => {
    vocabulary.set(w, j);
    idf[j] = Math.log((1 + n) / (1 + f)) + 1;
  });
  const model = { vocabulary, idf };
  return { model, matrix: transformTfidf(model, docTerms, opts.sublinearTf ?? true) };
}

/** TF-IDF rows for pre-tokenised documents (or texts). */
export function transformTfidf(model: TfidfModel, docs: string[][] | string[], sublinear = true, bigrams = true): Csr {
  const n = docs.length;
  const indptr = new Int32Array(n + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = docs[i];
    const t = typeof d === 'string' ? terms(d, bigrams) : d;
    const counts = new Map<number, number>();
    for (const w of t) {
      const j = model.vocabulary.get(w);
      if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
    }
    const cols = [...counts.keys()].sort((a, b) => a - b);
    let norm = 0;
    const start = val.length;
    for (const j of cols) {
      const tf = counts.get(j)!;
      const v = (sublinear ? 1 + Math.log(tf) : tf) * model.idf[j];
      idx.push(j);
      val.push(v);
      norm += v * v;
    }
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let k = start; k < val.length; k++) val[k] *= inv;
    }
    indptr[i + 1] = val.length;
  }
  return { rows: n, cols: model.idf.length, indptr, indices: Int32Array.from(idx), data: Float32Array.from(val) };
}

export function csrRow(m: Csr, i: number): Float32Array {
  const out = new Float32Array(m.cols);
  for (let k = m.indptr[i]; k < m.indptr[i + 1]; k++) out[m.indices[k]] = m.data[k];
  return out;
}

/** Y (rows × l, row-major) = A · X (cols × l, row-major). */
function csrTimesDense(a: Csr, x: Float64Array, l: number): Float64Array {
  const y = new Float64Array(a.rows * l);
  for (let i = 0; i < a.rows; i++) {
    const yo = i * l;
    for (let k = a.indptr[i]; k < a.indptr[i + 1]; k++) {
      const v = a.data[k];
      const xo = a.indices[k] * l;
      for (let c = 0; c < l; c++) y[yo + c] += v * x[xo + c];
    }
  }
  return y;
}

/** Z (cols × l) = Aᵀ · Y (rows × l). */
function csrTransposeTimesDense(a: Csr, y: Float64Array, l: number): Float64Array {
  const z = new Float64Array(a.cols * l);
  for (let i = 0; i < a.rows; i++) {
    const yo = i * l;
    for (let k = a.indptr[i]; k < a.indptr[i + 1]; k++) {
      const v = a.data[k];
      const zo = a.indices[k] * l;
      for (let c = 0; c < l; c++) z[zo + c] += v * y[yo + c];
    }
  }
  return z;
}

/**
 * In-place orthonormalisation of the l columns of a row-major n × l matrix by CholeskyQR2 (Fukaya et al.
 * 2014): G = QᵀQ accumulated row by row (cache-friendly), G = RᵀR, Q ← Q R⁻¹, done twice for stability.
 * Columns that are numerically dependent are zeroed (their pivot is tiny).
 */
function orthonormalize(q: Float64Array, n: number, l: number, passes = 2): void {
  for (let pass = 0; pass < passes; pass++) {
    const g = new Float64Array(l * l);
    for (let i = 0; i < n; i++) {
      const o = i * l;
      for (let a = 0; a < l; a++) {
        const qa = q[o + a];
        if (qa === 0) continue;
        const ga = a * l;
        for (let b = a; b < l; b++) g[ga + b] += qa * q[o + b];
      }
    }
    // Cholesky of G (upper R, G = RᵀR)
    const r = new Float64Array(l * l);
    let maxDiag = 0;
    for (let a = 0; a < l; a++) maxDiag = Math.max(maxDiag, g[a * l + a]);
    const tiny = Math.max(1e-300, maxDiag * 1e-13);
    for (let a = 0; a < l; a++) {
      let d = g[a * l + a];
      for (let k = 0; k < a; k++) d -= r[k * l + a] * r[k * l + a];
      if (d <= tiny) {
        r[a * l + a] = 0; // dependent column: dropped
        continue;
      }
      const rd = Math.sqrt(d);
      r[a * l + a] = rd;
      for (let b = a + 1; b < l; b++) {
        let v = g[a * l + b];
        for (let k = 0; k < a; k++) v -= r[k * l + a] * r[k * l + b];
        r[a * l + b] = v / rd;
      }
    }
    // Q ← Q R⁻¹ row by row (forward substitution on each row: x R = q_row)
    const row = new Float64Array(l);
    for (let i = 0; i < n; i++) {
      const o = i * l;
      for (let b = 0; b < l; b++) {
        const rbb = r[b * l + b];
        if (rbb === 0) {
          row[b] = 0;
          continue;
        }
        let v = q[o + b];
        for (let a = 0; a < b; a++) v -= row[a] * r[a * l + b];
        row[b] = v / rbb;
      }
      for (let b = 0; b < l; b++) q[o + b] = row[b];
    }
  }
}

/** Eigen-decomposition of a symmetric l × l matrix (cyclic Jacobi). Returns eigenvalues and column eigenvectors. */
export function jacobiEigen(s: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q] * a[p * l + q];
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * l + q] - a[p * l + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p];
          const akq = a[k * l + q];
          a[k * l + p] = c * akp - sn * akq;
          a[k * l + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k];
          const aqk = a[q * l + k];
          a[p * l + k] = c * apk - sn * aqk;
          a[q * l + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p];
          const vkq = v[k * l + q];
          v[k * l + p] = c * vkp - sn * vkq;
          v[k * l + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = a[i * l + i];
  return { values, vectors: v };
}

export interface SvdResult {
  /** U Σ rows (n × k), not normalised */
  coords: Float32Array[];
  singularValues: number[];
  k: number;
  /** right singular vectors V (cols × k, row-major): project any TF-IDF row r as r · V = its U Σ row */
  components: Float64Array;
}

/** Randomized truncated SVD of a sparse matrix: top k singular triplets (coordinates U Σ). */
export function randomizedSvd(a: Csr, k: number, opts: { seed: number; oversample?: number; powerIterations?: number }): SvdResult {
  const kk = Math.max(1, Math.min(k, a.rows - 1, a.cols - 1));
  const l = Math.min(kk + (opts.oversample ?? 10), a.rows, a.cols);
  const g = gaussian(seededRandom(opts.seed));
  const omega = new Float64Array(a.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = g();
  let y = csrTimesDense(a, omega, l);
  const iters = opts.powerIterations ?? 3;
  orthonormalize(y, a.rows, l, iters === 0 ? 2 : 1);
  for (let it = 0; it < iters; it++) {
    const z = csrTransposeTimesDense(a, y, l);
    orthonormalize(z, a.cols, l, 1);
    y = csrTimesDense(a, z, l);
    orthonormalize(y, a.rows, l, it === iters - 1 ? 2 : 1);
  }
  // B = Qᵀ A (l × cols) stored as Bᵀ = Aᵀ Q (cols × l); S = B Bᵀ (l × l)
  const bt = csrTransposeTimesDense(a, y, l);
  const s = new Float64Array(l * l);
  for (let r = 0; r < a.cols; r++) {
    const o = r * l;
    for (let i = 0; i < l; i++) {
      const bi = bt[o + i];
      if (bi === 0) continue;
      for (let j = i; j < l; j++) s[i * l + j] += bi * bt[o + j];
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) s[i * l + j] = s[j * l + i];
  const { values, vectors } = jacobiEigen(s, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((p, q) => values[q] - values[p] || p - q);
  const top = order.slice(0, kk);
  // U Σ = Q · U_B · Σ ; with U_B Σ = eigenvectors scaled by sqrt(λ): coords_i = Σ_c Q[i,c] · V[c, top_j] · σ_j
  const sigma = top.map((j) => Math.sqrt(Math.max(0, values[j])));
  // sign convention: make the largest-magnitude loading of each component positive (deterministic)
  const signs = top.map((j) => {
    let best = 0;
    for (let c = 0; c < l; c++) if (Math.abs(vectors[c * l + j]) > Math.abs(best)) best = vectors[c * l + j];
    return best < 0 ? -1 : 1;
  });
  // V = Aᵀ Q U_B Σ⁻¹ = Bᵀ U_B Σ⁻¹ (cols × kk), then U Σ = A V
  const components = new Float64Array(a.cols * kk);
  for (let r = 0; r < a.cols; r++) {
    const o = r * l;
    for (let t = 0; t < kk; t++) {
      if (sigma[t] === 0) continue;
      const j = top[t];
      let sum = 0;
      for (let c = 0; c < l; c++) sum += bt[o + c] * vectors[c * l + j];
      components[r * kk + t] = (sum / sigma[t]) * signs[t];
    }
  }
  const coords = projectCsr(a, components, kk);
  return { coords, singularValues: sigma, k: kk, components };
}

/** Rows of A projected on the components (n × k). */
export function projectCsr(a: Csr, components: Float64Array, k: number): Float32Array[] {
  const out: Float32Array[] = new Array(a.rows);
  const acc = new Float64Array(k);
  for (let i = 0; i < a.rows; i++) {
    acc.fill(0);
    for (let p = a.indptr[i]; p < a.indptr[i + 1]; p++) {
      const v = a.data[p];
      const o = a.indices[p] * k;
      for (let t = 0; t < k; t++) acc[t] += v * components[o + t];
    }
    out[i] = Float32Array.from(acc);
  }
  return out;
}

function csrRows(a: Csr, rows: number[]): Csr {
  const indptr = new Int32Array(rows.length + 1);
  let nnz = 0;
  rows.forEach((r, i) => {
    nnz += a.indptr[r + 1] - a.indptr[r];
    indptr[i + 1] = nnz;
  });
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  rows.forEach((r, i) => {
    indices.set(a.indices.subarray(a.indptr[r], a.indptr[r + 1]), indptr[i]);
    data.set(a.data.subarray(a.indptr[r], a.indptr[r + 1]), indptr[i]);
  });
  return { rows: rows.length, cols: a.cols, indptr, indices, data };
}

/**
 * TF-IDF + truncated SVD + L2 rows: the lexical embedding of a corpus. The SVD is fitted on a seeded sample
 * of at most `fitSample` documents (default 20,000) and every document is projected on its components.
 */
export function lexicalEmbeddings(
  texts: string[],
  opts: { dims?: number; seed: number; tfidf?: TfidfOptions; fitSample?: number },
): { vectors: Float32Array[]; vocabularySize: number; dims: number; explained: number[] } {
  const { matrix } = fitTfidf(texts, opts.tfidf);
  if (matrix.cols < 2 || texts.length < 3) {
    // degenerate corpus: use the raw TF-IDF rows
    const vectors = texts.map((_, i) => csrRow(matrix, i));
    return { vectors, vocabularySize: matrix.cols, dims: matrix.cols, explained: [] };
  }
  const fitRows = sampleIndices(matrix.rows, opts.fitSample ?? 20_000, seededRandom(opts.seed + 17));
  const fitMatrix = fitRows.length === matrix.rows ? matrix : csrRows(matrix, fitRows);
  const svd = randomizedSvd(fitMatrix, opts.dims ?? 100, { seed: opts.seed });
  const coords = fitMatrix === matrix ? svd.coords : projectCsr(matrix, svd.components, svd.k);
  const vectors = coords.map((r) => {
    let s = 0;
    for (let i = 0; i < r.length; i++) s += r[i] * r[i];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let i = 0; i < r.length; i++) r[i] *= inv;
    return r;
  });
  return { vectors, vocabularySize: matrix.cols, dims: svd.k, explained: svd.singularValues };
}
