/** Small pure helpers for the text pipelines: hashing, seeded randomness, vectors, provenance. */
import { createHash } from 'node:crypto';
import type { Provenance } from '../../models/types.js';
import type { StageProvenance } from './types.js';
import { TextMapError } from './types.js';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with sorted keys (stable hash input); typed arrays become plain arrays. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
    }
    return v;
  });
}

export function hashInput(value: unknown): string {
  return sha256(canonicalJson(value));
}

/** mulberry32: small, fast, seeded PRNG with uniform output in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = (seed >>> 0) ^ 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviates from a uniform PRNG (Box–Muller). */
export function gaussian(rand: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = rand();
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Seeded sample of m distinct indices out of n, returned sorted (partial Fisher–Yates). */
export function sampleIndices(n: number, m: number, rand: () => number): number[] {
  if (m >= n) return Array.from({ length: n }, (_, i) => i);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return Array.from(idx.subarray(0, m)).sort((a, b) => a - b);
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** L2-normalised copy (zero vectors stay zero). */
export function l2normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const out = new Float32Array(v.length);
  if (s === 0) return out;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * inv;
  return out;
}

export function meanVector(vectors: Float32Array[], indices: number[]): Float32Array {
  const d = vectors[indices[0]]?.length ?? 0;
  const m = new Float32Array(d);
  for (const i of indices) {
    const v = vectors[i];
    for (let j = 0; j < d; j++) m[j] += v[j];
  }
  for (let j = 0; j < d; j++) m[j] /= Math.max(1, indices.length);
  return m;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TextMapError('ABORTED', 'text map cancelled');
}

/** Yields to the event loop so abort signals and progress output get through long loops. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Stage provenance from the model provenances a stage collected. */
export function stageProvenance(
  stage: string,
  version: string,
  input: unknown,
  params: Record<string, unknown>,
  seed: number | null,
  models: Provenance[] = [],
): StageProvenance {
  const seen = new Map<string, Provenance>();
  for (const m of models) seen.set(`${m.task}|${m.backend}|${m.modelId}|${m.version}|${m.weightsSha256}`, m);
  const uniq = [...seen.values()];
  return {
    stage,
    version,
    modelIds: uniq.map((m) => `${m.backend}:${m.modelId}@${m.version}`),
    weightsSha256: uniq.map((m) => m.weightsSha256),
    params,
    seed,
    inputHash: typeof input === 'string' ? input : hashInput(input),
    models: uniq,
  };
}
