/**
 * Production tier: transformers.js (`@huggingface/transformers@3.8.1`, the maintained successor of
 * @xenova/transformers; v3 adds dtype selection and onnxruntime-node 1.21) on weights a user put in
 * cfg.modelsDir, in the Hugging Face layout `<modelsDir>/<org>/<name>/{config.json, tokenizer.json,
 * tokenizer_config.json, onnx/model_quantized.onnx | onnx/model.onnx}`. Remote loading is off: nothing is
 * ever downloaded here (see models/cli.ts `pullModel` for the explicit download command).
 *
 * - embedder: feature-extraction, mean pooling + L2 normalisation; e5 models get the "query: " prefix.
 * - translator: Marian (`*opus-mt-<src>-<tgt>`: one model per direction) or NLLB / M2M100 (many pairs).
 * - textGenerator: a decoder-only causal LM (gpt2, llama, qwen2, phi3, mistral, gemma …) exported with a KV cache
 *   as onnx/model(_quantized).onnx; raw completion of the prompt (no chat template), greedy or seeded sampling.
 * Inference runs in onnxruntime-node's native kernels (with its own intra-op threads), but on the calling JavaScript
 * thread: onnxruntime-node 1.21's `session.run` only defers the synchronous native call with setImmediate, so each
 * batch holds the thread while it runs, and onnxruntime-node must not be used from a worker thread while the main
 * thread uses it too (microsoft/onnxruntime#24486 aborts the process). So the registry creates these adapters in a
 * child process of their own (models/remote.ts: same factories, methods forwarded over IPC): a real model's batch
 * never stalls the service's event loop. Batches are bounded so memory stays flat.
 *
 * Which model: cfg.prefer[task] = 'transformers.js:<org>/<name>' picks one; otherwise the first model found
 * in modelsDir whose config.json model_type fits the task (known good ids first).
 */
import { randomInt } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BackendDescriptor, Embedder, ModelsConfig, Result, TaskMap, TextGenerator, TranslateOptions, Translator } from '../types.js';
import { remoteModel } from '../remote.js';
import { ModelError } from '../types.js';
import { splitSentences } from '../text.js';
import { fileExists, makeProvenance, packageDir, packageVersion, Semaphore, sha256Files, withParams } from '../util.js';

const PKG = '@huggingface/transformers';
const NPM_FIX = `npm install --save ${PKG}@3.8.1`;
const BACKEND = 'transformers.js';

const ENCODER_TYPES = new Set(['bert', 'xlm-roberta', 'roberta', 'mpnet', 'distilbert', 'camembert', 'electra', 'deberta-v2', 'nomic_bert', 'modernbert']);
const TRANSLATION_TYPES = new Set(['marian', 'm2m_100', 'nllb', 'mbart']);
/**
 * config.json model_type values transformers.js 3.8.1 loads for 'text-generation' (its MODEL_FOR_CAUSAL_LM_MAPPING_NAMES,
 * DecoderOnly: one session `model`), minus mbart (served as a translator here), trocr (image input) and phi3_v
 * (multimodal).
 */
const CAUSAL_LM_TYPES = new Set([
  'gpt2', 'gptj', 'gpt_neo', 'gpt_neox', 'gpt_bigcode', 'codegen', 'bloom', 'jais', 'llama', 'llama4_text', 'nanochat', 'arcee',
  'lfm2', 'smollm3', 'exaone', 'olmo', 'olmo2', 'mobilellm', 'granite', 'granitemoehybrid', 'cohere', 'gemma', 'gemma2',
  'vaultgemma', 'gemma3_text', 'helium', 'glm', 'openelm', 'qwen2', 'qwen3', 'phi', 'phi3', 'mpt', 'opt', 'mistral',
  'ministral', 'ministral3', 'ernie4_5', 'starcoder2', 'falcon', 'stablelm', 'modernbert-decoder',
]);
const PREFERRED_EMBEDDERS = ['Xenova/multilingual-e5-small', 'Xenova/multilingual-e5-base', 'Xenova/paraphrase-multilingual-MiniLM-L12-v2', 'Xenova/LaBSE'];
const PREFERRED_TRANSLATORS = ['Xenova/opus-mt-fr-en', 'Xenova/opus-mt-en-fr', 'Xenova/nllb-200-distilled-600M', 'Xenova/m2m100_418M'];
const PREFERRED_GENERATORS = ['onnx-community/Qwen2.5-0.5B-Instruct', 'HuggingFaceTB/SmolLM2-360M-Instruct', 'HuggingFaceTB/SmolLM2-135M-Instruct', 'Xenova/gpt2'];
const NLLB_CODES: Record<string, string> = { fr: 'fra_Latn', en: 'eng_Latn', de: 'deu_Latn', es: 'spa_Latn', it: 'ita_Latn', nl: 'nld_Latn' };

export interface LocalModel {
  id: string;
  dir: string;
  modelType: string;
  /** onnx files present, relative to dir */
  onnx: string[];
  config: Record<string, unknown>;
}

/** Models in the Hugging Face layout under modelsDir (`<org>/<name>/config.json` or `<name>/config.json`). */
export async function discoverModels(modelsDir: string): Promise<LocalModel[]> {
  const found: LocalModel[] = [];
  const tryDir = async (id: string) => {
    const dir = path.join(modelsDir, id);
    const cfgFile = path.join(dir, 'config.json');
    if (!(await fileExists(cfgFile))) return false;
    let config: Record<string, unknown>;
    try {
      config = JSON.parse(await readFile(cfgFile, 'utf8')) as Record<string, unknown>;
    } catch {
      return true;
    }
    let onnx: string[] = [];
    try {
      onnx = (await readdir(path.join(dir, 'onnx'))).filter((f) => f.endsWith('.onnx')).map((f) => `onnx/${f}`);
    } catch {
      /* no onnx folder */
    }
    found.push({ id, dir, modelType: String(config.model_type ?? ''), onnx, config });
    return true;
  };
  let top: string[];
  try {
    top = await readdir(modelsDir);
  } catch {
    return [];
  }
  for (const a of top.sort()) {
    if (a.startsWith('.')) continue;
    const st = await stat(path.join(modelsDir, a)).catch(() => null);
    if (!st?.isDirectory()) continue;
    if (await tryDir(a)) continue;
    for (const b of (await readdir(path.join(modelsDir, a)).catch(() => [] as string[])).sort()) {
      if (!b.startsWith('.')) await tryDir(`${a}/${b}`);
    }
  }
  return found;
}

type Task = 'embedder' | 'translator' | 'textGenerator';

function pinnedId(cfg: ModelsConfig, task: Task): string | null {
  const pref = cfg.prefer?.[task];
  if (!pref || !pref.startsWith(`${BACKEND}:`)) return null;
  return pref.slice(BACKEND.length + 1);
}

const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];

/** Files a model needs for a task; returns the missing ones (relative paths). */
async function missingFiles(m: LocalModel, layout: 'single' | 'seq2seq'): Promise<string[]> {
  const miss: string[] = [];
  for (const f of REQUIRED) if (!(await fileExists(path.join(m.dir, f)))) miss.push(f);
  if (layout === 'single') {
    if (!m.onnx.includes('onnx/model_quantized.onnx') && !m.onnx.includes('onnx/model.onnx')) miss.push('onnx/model_quantized.onnx (or onnx/model.onnx)');
  } else {
    const has = (base: string) => m.onnx.includes(`onnx/${base}_quantized.onnx`) || m.onnx.includes(`onnx/${base}.onnx`);
    if (!has('encoder_model')) miss.push('onnx/encoder_model_quantized.onnx (or encoder_model.onnx)');
    if (!has('decoder_model_merged')) miss.push('onnx/decoder_model_merged_quantized.onnx (or decoder_model_merged.onnx)');
  }
  return miss;
}

function dtypeFor(m: LocalModel, base: string): { dtype: 'q8' | 'fp32'; files: string[] } {
  return m.onnx.includes(`onnx/${base}_quantized.onnx`)
    ? { dtype: 'q8', files: [`onnx/${base}_quantized.onnx`] }
    : { dtype: 'fp32', files: [`onnx/${base}.onnx`] };
}

const TASK_TYPES: Record<Task, Set<string>> = { embedder: ENCODER_TYPES, translator: TRANSLATION_TYPES, textGenerator: CAUSAL_LM_TYPES };
const TASK_PREFERRED: Record<Task, string[]> = { embedder: PREFERRED_EMBEDDERS, translator: PREFERRED_TRANSLATORS, textGenerator: PREFERRED_GENERATORS };
const TASK_KIND_NAME: Record<Task, string> = { embedder: 'encoder', translator: 'translation', textGenerator: 'causal LM (text-generation)' };
/** ONNX files a model of the task needs: one model file (encoder, causal LM) or an encoder and a merged decoder */
const TASK_LAYOUT: Record<Task, 'single' | 'seq2seq'> = { embedder: 'single', translator: 'seq2seq', textGenerator: 'single' };
const pullFix = (cfg: ModelsConfig, id: string) => `plenary models pull ${id} --models-dir ${cfg.modelsDir}`;

/** The model a task would use and whether its files are all there; otherwise why not and what to run. */
async function usableModel(cfg: ModelsConfig, task: Task): Promise<{ model: LocalModel } | { model?: undefined; reason: string; fix: string }> {
  const { model, reason } = await pickModel(cfg, task);
  if (!model) return { reason: reason!, fix: pullFix(cfg, TASK_PREFERRED[task][0]) };
  const miss = await missingFiles(model, TASK_LAYOUT[task]);
  if (miss.length) return { reason: `${model.id} lacks ${miss.join(', ')}`, fix: pullFix(cfg, model.id) };
  return { model };
}

/** usableModel, or MISSING_BACKEND naming the adapter, the reason and the fix. */
async function requireModel(cfg: ModelsConfig, task: Task, label: string): Promise<LocalModel> {
  const u = await usableModel(cfg, task);
  if (!u.model) throw new ModelError('MISSING_BACKEND', `${label}: ${u.reason}`, u.fix);
  return u.model;
}

async function pickModel(cfg: ModelsConfig, task: Task): Promise<{ model?: LocalModel; reason?: string }> {
  const models = await discoverModels(cfg.modelsDir);
  const pin = pinnedId(cfg, task);
  const fits = (m: LocalModel) => TASK_TYPES[task].has(m.modelType);
  if (pin) {
    const m = models.find((x) => x.id === pin);
    if (!m) return { reason: `model ${pin} not found in ${cfg.modelsDir}` };
    if (!fits(m)) return { reason: `model ${pin} has model_type '${m.modelType}', not usable for ${task}` };
    return { model: m };
  }
  const preferred = TASK_PREFERRED[task];
  const candidates = models.filter(fits).sort((a, b) => rankOf(preferred, a.id) - rankOf(preferred, b.id));
  if (!candidates.length) return { reason: `no ${TASK_KIND_NAME[task]} model in ${cfg.modelsDir || '(models dir not set)'}` };
  return { model: candidates[0] };
}

function rankOf(list: string[], id: string): number {
  const i = list.indexOf(id);
  return i < 0 ? list.length : i;
}

let envLock = new Semaphore(1);
/** transformers.js keeps its settings in one global `env`: set them and create the pipeline under a lock. */
async function loadPipeline(
  task: 'feature-extraction' | 'translation' | 'text-generation',
  cfg: ModelsConfig,
  id: string,
  dtype: string | Record<string, string>,
): Promise<any> {
  let tf: any;
  try {
    tf = await import(PKG);
  } catch (e) {
    throw new ModelError('MISSING_BACKEND', `the production tier needs npm ${PKG}: ${(e as Error).message}`, NPM_FIX);
  }
  return envLock.run(async () => {
    tf.env.allowRemoteModels = false;
    tf.env.allowLocalModels = true;
    tf.env.localModelPath = path.resolve(cfg.modelsDir) + path.sep;
    try {
      return await tf.pipeline(task, id, { dtype, device: 'cpu' });
    } catch (e) {
      throw new ModelError('MODEL_FAILED', `transformers.js could not load ${id} from ${cfg.modelsDir}: ${(e as Error).message}`);
    }
  });
}
/** test hook: a fresh lock (vitest isolates modules per file anyway) */
export function _resetEnvLock(): void {
  envLock = new Semaphore(1);
}

function isMultilingual(m: LocalModel): boolean {
  const declared = (m.config.plenary as { languages?: string[] } | undefined)?.languages;
  if (declared && declared.length > 1) return true;
  return /multilingual|labse|xlm|e5-(small|base|large)$/i.test(m.id) || m.modelType === 'xlm-roberta';
}

export async function createTransformersEmbedder(cfg: ModelsConfig, opts: { batchSize?: number } = {}): Promise<Embedder> {
  const m = await requireModel(cfg, 'embedder', 'transformers.js embedder');
  const { dtype, files } = dtypeFor(m, 'model');
  const sha = await sha256Files(files.map((f) => path.join(m.dir, f)), m.dir);
  const extractor = await loadPipeline('feature-extraction', cfg, m.id, dtype);
  const hidden = Number(m.config.hidden_size ?? m.config.d_model ?? 0);
  const prefix = /e5/i.test(m.id) ? 'query: ' : '';
  const batchSize = opts.batchSize ?? 16;
  const provenance = makeProvenance('embedder', BACKEND, m.id, `${PKG}@${packageVersion(PKG)}`, sha, {
    pooling: 'mean',
    normalize: true,
    dtype,
    ...(prefix ? { prefix } : {}),
  });
  const sem = new Semaphore(1);
  let closed = false;
  return {
    provenance,
    dimensions: hidden,
    languages: isMultilingual(m) ? ['*'] : ['en'],
    async embed(texts: string[]): Promise<Result<Float32Array[]>> {
      if (closed) throw new ModelError('MODEL_FAILED', 'embedder is closed');
      const output: Float32Array[] = [];
      await sem.run(async () => {
        for (let i = 0; i < texts.length; i += batchSize) {
          const batch = texts.slice(i, i + batchSize).map((t) => prefix + (t.trim() || ' '));
          const tensor = await extractor(batch, { pooling: 'mean', normalize: true });
          const [n, d] = tensor.dims as number[];
          const data = tensor.data as Float32Array;
          for (let k = 0; k < n; k++) output.push(Float32Array.from(data.subarray(k * d, (k + 1) * d)));
        }
      });
      return { output, provenance: withParams(provenance, { count: texts.length }) };
    },
    async close() {
      if (closed) return;
      closed = true;
      await extractor.dispose?.();
    },
  };
}

/**
 * Plenary language → the code transformers.js takes as src_lang/tgt_lang, for a many-to-many model: only the
 * languages whose code is among the tokenizer's special tokens (transformers.js rejects any other code). The
 * tokenizer class decides the code form: NllbTokenizer `fra_Latn` (NLLB_CODES), M2M100Tokenizer `__fr__` (passed
 * as `fr`). Other tokenizers (e.g. mBART's `fr_XX`) give no codes: such a model is reported as skipped.
 */
async function languageCodes(m: LocalModel): Promise<Map<string, string>> {
  const codes = new Map<string, string>();
  let special: string[] = [];
  let tokenizerClass = '';
  try {
    const tj = JSON.parse(await readFile(path.join(m.dir, 'tokenizer.json'), 'utf8')) as { added_tokens?: Array<{ content: string; special?: boolean }> };
    const tc = JSON.parse(await readFile(path.join(m.dir, 'tokenizer_config.json'), 'utf8')) as { tokenizer_class?: string; additional_special_tokens?: unknown[] };
    special = [...(tj.added_tokens ?? []).filter((t) => t.special).map((t) => t.content), ...(tc.additional_special_tokens ?? []).filter((t): t is string => typeof t === 'string')];
    tokenizerClass = String(tc.tokenizer_class ?? '').replace(/Fast$/, '');
  } catch {
    return codes;
  }
  const has = new Set(special);
  if (tokenizerClass === 'NllbTokenizer') {
    for (const [lang, code] of Object.entries(NLLB_CODES)) if (has.has(code)) codes.set(lang, code);
  } else if (tokenizerClass === 'M2M100Tokenizer') {
    for (const t of has) {
      const mm = /^__([a-z]{2,3})__$/.exec(t);
      if (mm) codes.set(mm[1], mm[1]);
    }
  }
  return codes;
}

function translationPairs(m: LocalModel, codes: Map<string, string> | undefined): Array<readonly [string, string]> {
  if (m.modelType === 'marian') {
    const mm = /opus-mt-([a-z]{2,3})-([a-z]{2,3})$/i.exec(m.id);
    return mm ? [[mm[1].toLowerCase(), mm[2].toLowerCase()] as const] : [];
  }
  const langs = [...(codes?.keys() ?? [])].sort();
  return langs.flatMap((a) => langs.filter((b) => b !== a).map((b) => [a, b] as const));
}

const SEQ2SEQ_FILES = ['encoder_model', 'decoder_model_merged'] as const;
/** transformers.js session name → dtype, per file (an encoder_model_quantized.onnx may sit beside an fp32 decoder). */
function seq2seqDtypes(m: LocalModel): Record<string, string> {
  return Object.fromEntries(SEQ2SEQ_FILES.map((base) => [base, dtypeFor(m, base).dtype]));
}

export interface TransformersTranslatorOptions {
  /** generation limit per sentence, in target tokens including the final </s> (default 256) */
  maxNewTokens?: number;
}

export async function createTransformersTranslator(cfg: ModelsConfig, opts: TransformersTranslatorOptions = {}): Promise<Translator> {
  const maxNewTokens = opts.maxNewTokens ?? 256;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) throw new ModelError('BAD_INPUT', `transformers.js translator: maxNewTokens must be a positive integer, got ${maxNewTokens}`);
  const all = (await discoverModels(cfg.modelsDir)).filter((m) => TRANSLATION_TYPES.has(m.modelType));
  const pin = pinnedId(cfg, 'translator');
  const chosen = pin ? all.filter((m) => m.id === pin) : all;
  const usable: LocalModel[] = [];
  const problems: string[] = [];
  const incomplete: string[] = [];
  const langCodes = new Map<string, Map<string, string>>();
  for (const m of chosen) {
    const miss = await missingFiles(m, TASK_LAYOUT.translator);
    if (miss.length) {
      problems.push(`${m.id} lacks ${miss.join(', ')}`);
      incomplete.push(m.id);
      continue;
    }
    if (m.modelType !== 'marian') langCodes.set(m.id, await languageCodes(m));
    if (translationPairs(m, langCodes.get(m.id)).length) usable.push(m);
    else if (m.modelType !== 'marian') problems.push(`${m.id}: no language codes Plenary knows found among its tokenizer's special tokens`);
  }
  if (!usable.length) {
    throw new ModelError(
      'MISSING_BACKEND',
      `transformers.js translator: ${problems.join('; ') || `no translation model in ${cfg.modelsDir}`}`,
      incomplete.length
        ? incomplete.map((id) => pullFix(cfg, id)).join('; ')
        : `plenary models pull Xenova/opus-mt-fr-en --models-dir ${cfg.modelsDir} (and Xenova/opus-mt-en-fr)`,
    );
  }
  const byPair = new Map<string, LocalModel>();
  // known good ids first; otherwise a dedicated one-pair model (Marian) before a many-to-many one for its direction
  const dedicated = (m: LocalModel) => (m.modelType === 'marian' ? 0 : 1);
  for (const m of usable.sort((a, b) => rankOf(PREFERRED_TRANSLATORS, a.id) - rankOf(PREFERRED_TRANSLATORS, b.id) || dedicated(a) - dedicated(b))) {
    for (const [f, t] of translationPairs(m, langCodes.get(m.id))) if (!byPair.has(`${f}>${t}`)) byPair.set(`${f}>${t}`, m);
  }
  const shas: string[] = [];
  for (const m of new Set(byPair.values())) {
    const files = SEQ2SEQ_FILES.map((base) => path.join(m.dir, dtypeFor(m, base).files[0]));
    shas.push(await sha256Files(files, m.dir));
  }
  const pipelines = new Map<string, Promise<any>>();
  const getPipe = (m: LocalModel) => {
    let p = pipelines.get(m.id);
    if (!p) {
      p = loadPipeline('translation', cfg, m.id, seq2seqDtypes(m));
      pipelines.set(m.id, p);
    }
    return p;
  };
  const ids = [...new Set(byPair.values())].map((m) => m.id);
  const provenance = makeProvenance('translator', BACKEND, ids.join('+'), `${PKG}@${packageVersion(PKG)}`, shas.length === 1 ? shas[0] : shas.join(','), {
    sentenceSplit: true,
    maxNewTokens,
  });
  const sem = new Semaphore(1);
  return {
    provenance,
    pairs: [...byPair.keys()].map((k) => k.split('>') as unknown as readonly [string, string]),
    async translate(texts: string[], from: string, to: string, _opts?: TranslateOptions): Promise<Result<string[]>> {
      if (from === to) return { output: [...texts], provenance: withParams(provenance, { from, to, identity: true }) };
      const m = byPair.get(`${from}>${to}`);
      if (!m) {
        const skipped = problems.length ? ` (skipped: ${problems.join('; ')})` : '';
        throw new ModelError('UNSUPPORTED_LANGUAGE', `transformers.js: no model for ${from}→${to}${skipped}`);
      }
      const pipe = await getPipe(m);
      const codes = langCodes.get(m.id);
      const extra = m.modelType === 'marian' ? {} : { src_lang: codes?.get(from), tgt_lang: codes?.get(to) };
      const output = await sem.run(async () => {
        const res: string[] = [];
        for (const text of texts) {
          const paras = text.split(/\r?\n/);
          const outParas: string[] = [];
          for (const para of paras) {
            const sents = splitSentences(para);
            if (!sents.length) continue;
            let r: Array<{ translation_text: string }>;
            try {
              r = (await pipe(sents, { max_new_tokens: maxNewTokens, ...extra })) as Array<{ translation_text: string }>;
            } catch (e) {
              throw new ModelError('MODEL_FAILED', `transformers.js: translating with ${m.id} failed (are its ONNX files a matching export?): ${(e as Error).message}`);
            }
            outParas.push(r.map((x) => x.translation_text.trim()).join(' '));
          }
          res.push(outParas.join('\n'));
        }
        return res;
      });
      return { output, provenance: withParams(provenance, { from, to, modelId: m.id, dtype: seq2seqDtypes(m) }) };
    },
    async close() {
      for (const p of pipelines.values()) await (await p.catch(() => null))?.dispose?.();
    },
  };
}

/** default maxNewTokens, and the hard cap on it (a call asking for more gets the cap, reported in provenance) */
const DEFAULT_MAX_NEW_TOKENS = 128;
const MAX_NEW_TOKENS_CAP = 1024;
/** sampling draws among this many most likely tokens (the default top_k of transformers.js's own sampler) */
const SAMPLE_TOP_K = 50;
/** context assumed when neither config.json nor tokenizer_config.json declares one */
const DEFAULT_CONTEXT = 2048;

export interface TransformersTextGeneratorOptions {
  /** maxNewTokens for calls that give none (default 128; at most 1024) */
  maxNewTokens?: number;
}

/** The model's context window in tokens: the smallest positive length its config and tokenizer declare. */
function contextLength(m: LocalModel, tokenizerMax: unknown): number {
  const c = m.config;
  const declared = [c.n_positions, c.max_position_embeddings, c.n_ctx, c.seq_length, c.max_sequence_length, tokenizerMax]
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 1 && n < 1e7);
  return declared.length ? Math.min(...declared) : DEFAULT_CONTEXT;
}

/** 32-bit PRNG (a Weyl sequence through murmur3's 32-bit finaliser): uniform floats in [0, 1), reproducible per seed. */
function seededUniform(seed: number): () => number {
  const s = BigInt(seed);
  let state = Number(BigInt.asUintN(32, s) ^ BigInt.asUintN(32, s >> 32n)) >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 2 ** 32;
  };
}

/** Index drawn from softmax(row / temperature) restricted to the topK largest entries (ties: lower index first). */
function sampleIndex(row: Float32Array, temperature: number, topK: number, uniform: () => number): number {
  const top: number[] = []; // indices, by decreasing value
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (v === -Infinity || Number.isNaN(v)) continue;
    if (top.length === topK && v <= row[top[topK - 1]]) continue;
    let j = Math.min(top.length, topK - 1);
    while (j > 0 && row[top[j - 1]] < v) j--;
    top.splice(j, 0, i);
    if (top.length > topK) top.pop();
  }
  if (!top.length) return 0;
  const max = row[top[0]];
  const weights = top.map((i) => Math.exp((row[i] - max) / temperature));
  let r = uniform() * weights.reduce((a, b) => a + b, 0);
  for (let k = 0; k < top.length; k++) {
    r -= weights[k];
    if (r < 0) return top[k];
  }
  return top[top.length - 1];
}

/**
 * A logits processor (transformers.js calls each entry of generate()'s `logits_processor` with the ids so far and
 * the next-token logits [batch, vocab], after its own processors) that draws the next token with a seeded PRNG and
 * masks every other logit, so the library's greedy step then takes exactly the drawn token.
 */
function seededSamplingProcessor(seed: number, temperature: number) {
  const uniform = seededUniform(seed);
  return (_ids: bigint[][], logits: { dims: number[]; data: Float32Array }) => {
    const vocab = logits.dims[logits.dims.length - 1];
    for (let off = 0; off < logits.data.length; off += vocab) {
      const row = logits.data.subarray(off, off + vocab);
      const chosen = sampleIndex(row, temperature, SAMPLE_TOP_K, uniform);
      row.fill(-Infinity);
      row[chosen] = 0;
    }
    return logits;
  };
}

/**
 * Text generation with a local decoder-only causal LM (config.json model_type in CAUSAL_LM_TYPES; files
 * onnx/model_quantized.onnx (q8) or onnx/model.onnx (fp32) exported with a KV cache, plus an external-data file
 * `<file>_data` when the model has one), through transformers.js's text-generation pipeline (its model and
 * tokenizer; its generate() loop, with the cache).
 *
 * generate(prompt, { maxNewTokens, temperature, seed }):
 * - the prompt is completed as raw text: no chat template is applied (instruction models get their template
 *   from the caller, if at all). An empty or blank prompt is BAD_INPUT.
 * - maxNewTokens: default opts.maxNewTokens ?? 128, at most 1024; the model may stop earlier at its
 *   end-of-sequence token. Prompt + new tokens must fit the context (the smallest of config n_positions /
 *   max_position_embeddings / n_ctx and tokenizer model_max_length): when they do not, maxNewTokens is lowered
 *   while the prompt keeps at least half of the context (or all of itself), and the prompt keeps its LAST tokens
 *   (the text nearest to the continuation; a leading BOS the tokenizer adds stays). provenance.params says what
 *   ran: maxNewTokens (requestedMaxNewTokens when lowered), promptTokens, promptTokensDropped, newTokens.
 * - temperature 0 or absent: greedy decoding, deterministic (same model, prompt and limit → same text).
 * - temperature > 0: sampling among the 50 most likely tokens of softmax(logits / temperature). transformers.js
 *   3.8.1's own sampler (MultinomialSampler) draws with Math.random() and takes no seed, so it is never used:
 *   generation always runs the library's greedy loop, and a logits processor draws the token itself from a
 *   seeded PRNG (seededSamplingProcessor). The same seed, prompt, options and model give the same text (on the
 *   same onnxruntime build: float kernels may differ across CPUs). Without a seed, one is drawn at random and
 *   reported in provenance.params.seed, so any sampled draft can be reproduced.
 * - processors the model's generation_config.json asks for (repetition_penalty, no_repeat_ngram_size, bad words,
 *   min length) still apply; its do_sample / temperature / top_k / top_p / num_beams do not (the call decides).
 * Returns only the continuation: the decoded text after the (possibly truncated) prompt, special tokens
 * skipped; it may start with a space.
 */
export async function createTransformersTextGenerator(cfg: ModelsConfig, opts: TransformersTextGeneratorOptions = {}): Promise<TextGenerator> {
  const defaultMax = opts.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS;
  if (!Number.isInteger(defaultMax) || defaultMax < 1) throw new ModelError('BAD_INPUT', `transformers.js text generator: maxNewTokens must be a positive integer, got ${defaultMax}`);
  const m = await requireModel(cfg, 'textGenerator', 'transformers.js text generator');
  const { dtype, files } = dtypeFor(m, 'model');
  const weightFiles = [...files];
  for (const f of files) if (await fileExists(path.join(m.dir, `${f}_data`))) weightFiles.push(`${f}_data`);
  const sha = await sha256Files(weightFiles.map((f) => path.join(m.dir, f)), m.dir);
  let pipe: any;
  try {
    pipe = await loadPipeline('text-generation', cfg, m.id, dtype);
  } catch (e) {
    if (e instanceof ModelError && e.code === 'MODEL_FAILED') {
      throw new ModelError('MODEL_FAILED', `transformers.js text generator: ${files.join(', ')} of ${m.id} could not be loaded (${e.message})`, pullFix(cfg, m.id));
    }
    throw e;
  }
  const tf: any = await import(PKG);
  const tokenizer = pipe.tokenizer;
  const context = contextLength(m, tokenizer.model_max_length);
  const addBos = Boolean(tokenizer.add_bos_token);
  const provenance = makeProvenance('textGenerator', BACKEND, m.id, `${PKG}@${packageVersion(PKG)}`, sha, { dtype, context });
  const sem = new Semaphore(1);
  let closed = false;
  const bad = (msg: string) => new ModelError('BAD_INPUT', `transformers.js text generator: ${msg}`);
  return {
    provenance,
    async generate(prompt: string, o: { maxNewTokens?: number; temperature?: number; seed?: number } = {}): Promise<Result<string>> {
      if (closed) throw new ModelError('MODEL_FAILED', 'text generator is closed');
      if (typeof prompt !== 'string' || !prompt.trim()) throw bad('the prompt is empty');
      const requested = o.maxNewTokens ?? defaultMax;
      if (!Number.isInteger(requested) || requested < 1) throw bad(`maxNewTokens must be a positive integer, got ${requested}`);
      const temperature = o.temperature ?? 0;
      if (!Number.isFinite(temperature) || temperature < 0) throw bad(`temperature must be a finite number ≥ 0, got ${temperature}`);
      if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) throw bad(`seed must be an integer, got ${o.seed}`);
      const greedy = temperature === 0;
      const seed = greedy ? undefined : (o.seed ?? randomInt(2 ** 31 - 1));
      return sem.run(async () => {
        let ids = (tokenizer.encode(prompt, { add_special_tokens: addBos }) as number[]).map(Number);
        // prompt + new tokens must fit the context: new tokens give way only down to half of it
        const maxNewTokens = Math.min(requested, MAX_NEW_TOKENS_CAP, context - Math.min(ids.length, Math.ceil(context / 2)));
        const budget = context - maxNewTokens;
        let dropped = 0;
        if (ids.length > budget) {
          const keep = addBos && ids[0] === tokenizer.bos_token_id ? 1 : 0;
          dropped = ids.length - budget;
          ids = [...ids.slice(0, keep), ...ids.slice(ids.length - (budget - keep))];
        }
        if (!ids.length) throw bad('the prompt gives no tokens');
        const tensor = (values: number[]) => new tf.Tensor('int64', BigInt64Array.from(values.map((v) => BigInt(v))), [1, values.length]);
        let all: number[];
        try {
          const out = await pipe.model.generate({
            input_ids: tensor(ids),
            attention_mask: tensor(ids.map(() => 1)),
            max_new_tokens: maxNewTokens,
            do_sample: false,
            num_beams: 1,
            num_return_sequences: 1,
            ...(seed === undefined ? {} : { logits_processor: [seededSamplingProcessor(seed, temperature)] }),
          });
          all = (out.tolist() as Array<Array<bigint | number>>)[0].map(Number);
        } catch (e) {
          throw new ModelError('MODEL_FAILED', `transformers.js: generating with ${m.id} failed (is ${files.join(', ')} a causal-LM export with a KV cache?): ${(e as Error).message}`);
        }
        const generated = all.slice(ids.length);
        let output = '';
        if (generated.length) {
          const decode = (x: number[]) => String(tokenizer.decode(x, { skip_special_tokens: true }));
          const full = decode(all);
          const head = decode(ids);
          output = full.startsWith(head) ? full.slice(head.length) : decode(generated);
        }
        return {
          output,
          provenance: withParams(provenance, {
            maxNewTokens,
            ...(requested !== maxNewTokens ? { requestedMaxNewTokens: requested } : {}),
            temperature,
            greedy,
            ...(seed === undefined ? {} : { seed, topK: SAMPLE_TOP_K }),
            promptTokens: ids.length,
            promptTokensDropped: dropped,
            newTokens: generated.length,
          }),
        };
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await pipe.dispose?.();
    },
  };
}

async function probe(cfg: ModelsConfig, task: Task) {
  if (!packageDir(PKG)) return { available: false, reason: `npm ${PKG} not installed`, fix: NPM_FIX };
  if (!cfg.modelsDir) return { available: false, reason: 'no models directory configured', fix: 'set models.dir and run plenary models pull <id>' };
  const u = await usableModel(cfg, task);
  if (!u.model) return { available: false, reason: u.reason, fix: u.fix };
  return { available: true, reason: `weights: ${u.model.id}` };
}

/**
 * The registry runs these adapters in a child process (models/remote.ts): onnxruntime-node holds the calling thread
 * for each batch, and a real model's batch takes long enough to stall the HTTP requests of the process running the
 * jobs. The child calls the same factory the tests call in-process.
 */
function inChildProcess<T extends Task>(factory: string, cfg: ModelsConfig, label: string) {
  return remoteModel<TaskMap[T]>({ module: import.meta.url, factory, args: [cfg], label });
}

export const transformersEmbedder: BackendDescriptor<'embedder'> = {
  task: 'embedder',
  backend: BACKEND,
  modelId: 'local encoder (e.g. Xenova/multilingual-e5-small)',
  tier: 'production',
  rank: 100,
  probe: (cfg) => probe(cfg, 'embedder'),
  create: (cfg) => inChildProcess<'embedder'>('createTransformersEmbedder', cfg, 'transformers.js embedder'),
};

export const transformersTranslator: BackendDescriptor<'translator'> = {
  task: 'translator',
  backend: BACKEND,
  modelId: 'local Marian / NLLB (e.g. Xenova/opus-mt-fr-en)',
  tier: 'production',
  rank: 100,
  probe: (cfg) => probe(cfg, 'translator'),
  create: (cfg) => inChildProcess<'translator'>('createTransformersTranslator', cfg, 'transformers.js translator'),
};

export const transformersTextGenerator: BackendDescriptor<'textGenerator'> = {
  task: 'textGenerator',
  backend: BACKEND,
  modelId: `local causal LM (e.g. ${PREFERRED_GENERATORS[0]})`,
  tier: 'production',
  rank: 100,
  probe: (cfg) => probe(cfg, 'textGenerator'),
  create: (cfg) => inChildProcess<'textGenerator'>('createTransformersTextGenerator', cfg, 'transformers.js text generator'),
};
