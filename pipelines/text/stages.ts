/**
 * Model-backed stages: language id, translation to the pivot language, semantic embeddings. Each takes
 * the model interfaces as arguments, batches, consults the content-hash cache, reports progress, honours
 * the AbortSignal and returns provenance built from the models' Result<T>.provenance.
 */
import type { Embedder, LanguageId, Provenance, Translator } from '../../models/types.js';
import type { ContributionFlag, KeyValueCache, StageProvenance } from './types.js';
import { TextMapError } from './types.js';
import { hashInput, l2normalize, sha256, stageProvenance, throwIfAborted, tick } from './util.js';

export const LANGUAGE_VERSION = '1.0.0';
export const TRANSLATE_VERSION = '1.0.0';
export const EMBED_VERSION = '1.0.0';

interface Common {
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export interface LanguageResult {
  langs: string[];
  confidence: number[];
  flags: ContributionFlag[][];
  provenance: StageProvenance;
}

/** Language per text; `hints[i]` (given by the caller) wins over the model. */
export async function identifyLanguages(
  texts: string[],
  hints: Array<string | undefined>,
  languageId: LanguageId | undefined,
  opts: Common & { pivot: string; minConfidence?: number },
): Promise<LanguageResult> {
  const n = texts.length;
  const langs = new Array<string>(n);
  const confidence = new Array<number>(n).fill(1);
  const flags: ContributionFlag[][] = Array.from({ length: n }, () => []);
  const todo: number[] = [];
  for (let i = 0; i < n; i++) {
    if (hints[i]) langs[i] = hints[i]!;
    else todo.push(i);
  }
  const models: Provenance[] = [];
  const minConf = opts.minConfidence ?? 0.4;
  if (todo.length && !languageId) {
    for (const i of todo) {
      langs[i] = opts.pivot;
      confidence[i] = 0;
      flags[i].push('uncertain-language');
    }
  } else if (todo.length && languageId) {
    const bs = opts.batchSize ?? 1000;
    for (let s = 0; s < todo.length; s += bs) {
      throwIfAborted(opts.signal);
      const batch = todo.slice(s, s + bs);
      const r = await languageId.identify(batch.map((i) => texts[i]));
      models.push(r.provenance);
      batch.forEach((i, q) => {
        const g = r.output[q];
        langs[i] = g?.lang || 'und';
        confidence[i] = g?.confidence ?? 0;
        if (confidence[i] < minConf) flags[i].push('uncertain-language');
      });
      opts.onProgress?.(Math.min(1, (s + bs) / todo.length));
      await tick();
    }
  }
  return {
    langs,
    confidence,
    flags,
    provenance: stageProvenance('language', LANGUAGE_VERSION, hashInput({ texts, hints }), { minConfidence: minConf, pivot: opts.pivot }, null, models),
  };
}

export interface TranslateResult {
  pivotTexts: string[];
  translated: boolean[];
  flags: ContributionFlag[][];
  cacheHits: number;
  translatedCount: number;
  provenance: StageProvenance;
}

/** Whether the translator can take `lang` to the pivot language. */
export function hasPivotPair(translator: Translator, lang: string, pivot: string): boolean {
  return translator.pairs.some(([f, t]) => f === lang && t === pivot);
}

export function translationKey(t: Translator, from: string, to: string, text: string): string {
  const p = t.provenance;
  return sha256(`translation|${p.backend}|${p.modelId}|${p.version}|${p.weightsSha256 ?? ''}|${from}|${to}|${text}`);
}

/** Translates texts not in the pivot language; languages without a pair are flagged and kept as they are. */
export async function translateToPivot(
  texts: string[],
  langs: string[],
  translator: Translator | undefined,
  opts: Common & { pivot: string; cache?: KeyValueCache<string>; concurrency?: number },
): Promise<TranslateResult> {
  const n = texts.length;
  const pivotTexts = texts.slice();
  const translated = new Array<boolean>(n).fill(false);
  const flags: ContributionFlag[][] = Array.from({ length: n }, () => []);
  const byLang = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    if (langs[i] === opts.pivot) continue;
    if (!translator) {
      flags[i].push('untranslated');
      continue;
    }
    if (!hasPivotPair(translator, langs[i], opts.pivot)) {
      flags[i].push('unsupported-language');
      continue;
    }
    const list = byLang.get(langs[i]) ?? [];
    list.push(i);
    byLang.set(langs[i], list);
  }
  const models: Provenance[] = [];
  let hits = 0;
  let done = 0;
  const total = [...byLang.values()].reduce((a, l) => a + l.length, 0);
  const bs = opts.batchSize ?? 2000;
  for (const [lang, idx] of [...byLang.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const keys = idx.map((i) => translationKey(translator!, lang, opts.pivot, texts[i]));
    const cached = opts.cache ? await opts.cache.get(keys) : idx.map(() => undefined);
    const missIdx: number[] = [];
    idx.forEach((i, q) => {
      const c = cached[q];
      if (c !== undefined) {
        pivotTexts[i] = c;
        translated[i] = true;
        hits++;
      } else missIdx.push(q);
    });
    done += idx.length - missIdx.length;
    const batches: number[][] = [];
    for (let s = 0; s < missIdx.length; s += bs) batches.push(missIdx.slice(s, s + bs));
    const results: Array<{ output: string[]; provenance: Provenance } | undefined> = new Array(batches.length);
    let next = 0;
    // `concurrency` batches in flight (the translator runs child processes: both cores stay busy)
    const worker = async () => {
      while (next < batches.length) {
        const b = next++;
        throwIfAborted(opts.signal);
        const batch = batches[b];
        const r = await translator!.translate(batch.map((q) => texts[idx[q]]), lang, opts.pivot);
        if (r.output.length !== batch.length) {
          throw new TextMapError('MISSING_MODEL', `translator returned ${r.output.length} texts for ${batch.length}`);
        }
        results[b] = r;
        done += batch.length;
        opts.onProgress?.(total ? done / total : 1);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 2, batches.length)) }, worker));
    const entries: Array<[string, string]> = [];
    batches.forEach((batch, b) => {
      const r = results[b]!;
      models.push(r.provenance);
      batch.forEach((q, p) => {
        pivotTexts[idx[q]] = r.output[p];
        translated[idx[q]] = true;
        entries.push([keys[q], r.output[p]]);
      });
    });
    if (opts.cache && entries.length) await opts.cache.set(entries);
    await tick();
  }
  if (translator && hits > 0 && models.length === 0) models.push(translator.provenance);
  return {
    pivotTexts,
    translated,
    flags,
    cacheHits: hits,
    translatedCount: total,
    provenance: stageProvenance('translate', TRANSLATE_VERSION, hashInput({ texts, langs }), { pivot: opts.pivot, batchSize: bs, concurrency: opts.concurrency ?? 2 }, null, models),
  };
}

export function embeddingKey(e: Embedder, text: string): string {
  const p = e.provenance;
  return sha256(`embedding|${p.backend}|${p.modelId}|${p.version}|${p.weightsSha256 ?? ''}|${text}`);
}

export interface EmbedResult {
  vectors: Float32Array[];
  cacheHits: number;
  provenance: StageProvenance;
}

/** Semantic embeddings (L2-normalised), cached by content hash. */
export async function embedSemantic(
  texts: string[],
  embedder: Embedder,
  opts: Common & { cache?: KeyValueCache<Float32Array> },
): Promise<EmbedResult> {
  const n = texts.length;
  const keys = texts.map((t) => embeddingKey(embedder, t));
  const cached = opts.cache ? await opts.cache.get(keys) : new Array<Float32Array | undefined>(n).fill(undefined);
  const vectors = new Array<Float32Array>(n);
  const miss: number[] = [];
  // identical texts are embedded once
  const firstByKey = new Map<string, number>();
  const sameAs = new Map<number, number>();
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const c = cached[i];
    if (c !== undefined) {
      vectors[i] = l2normalize(c);
      hits++;
      continue;
    }
    const f = firstByKey.get(keys[i]);
    if (f !== undefined) sameAs.set(i, f);
    else {
      firstByKey.set(keys[i], i);
      miss.push(i);
    }
  }
  const models: Provenance[] = [];
  const bs = opts.batchSize ?? 256;
  for (let s = 0; s < miss.length; s += bs) {
    throwIfAborted(opts.signal);
    const batch = miss.slice(s, s + bs);
    const r = await embedder.embed(batch.map((i) => texts[i]));
    models.push(r.provenance);
    const entries: Array<[string, Float32Array]> = [];
    batch.forEach((i, q) => {
      const v = r.output[q];
      if (!v || v.length !== embedder.dimensions) throw new TextMapError('MISSING_MODEL', `embedder returned a bad vector for text ${i}`);
      vectors[i] = l2normalize(v);
      entries.push([keys[i], v]);
    });
    if (opts.cache) await opts.cache.set(entries);
    opts.onProgress?.(Math.min(1, (s + bs) / miss.length));
    await tick();
  }
  for (const [i, f] of sameAs) vectors[i] = vectors[f];
  if (hits > 0 && models.length === 0) models.push(embedder.provenance);
  return {
    vectors,
    cacheHits: hits,
    provenance: stageProvenance('embed', EMBED_VERSION, hashInput(texts), { mode: 'semantic', dimensions: embedder.dimensions, batchSize: bs }, null, models),
  };
}
