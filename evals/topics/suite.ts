/**
 * topics: clusters a labelled corpus with the text-map pipeline and scores the clusters against the labels.
 * Data: a JSON array or JSONL of records. `--text-field` / `--label-field` name the fields (auto-detected
 * otherwise); `--label-level N` keeps the first N parts of hierarchical labels written "A:B".
 * Metrics: nmi, purity (default mode: semantic when the embedder is available, else lexical; default
 * clustering space: 5-d UMAP), the same per mode (nmi_semantic, nmi_lexical, purity_…, ari_…), clustering on
 * the embeddings themselves (…_embedding_space), with k fixed to the number of labels (…_oracle_k), and the
 * plain baseline (TF-IDF + k-means, k = number of labels, raw text).
 */
import { readFileSync, statSync } from 'node:fs';
import type { EvalItem, EvalSuite } from '../harness.js';
import { DataError } from '../harness.js';
import { adjustedRandIndex, normalizedMutualInfo, purity } from './metrics.js';
import { baselineLabels, loadModels, pipelineLabels, round } from './common.js';
import type { ClusterSpace, EmbeddingMode } from '../../pipelines/text/types.js';
import { memoryTextMapCache } from '../../pipelines/text/cache.js';
import { CCC_VALIDATION_THEMES, inSplit, itemSplit, parseSplit, type Split } from '../splits.js';

/**
 * A record's split (evals/SPLITS.md): by its `theme` when it has one (listed validation themes, every other theme
 * test: unseen themes), else by the hash of its `id` (or of its text).
 */
export function recordSplit(r: Record<string, unknown>, text: string): Split {
  if (typeof r.theme === 'string') return CCC_VALIDATION_THEMES.includes(r.theme) ? 'validation' : 'test';
  return itemSplit(typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : text);
}

const TEXT_FIELDS = ['text', 'measure', 'statement', 'comment', 'argument', 'body', 'content', 'comment-body'];
const LABEL_FIELDS = ['label', 'topic', 'topics', 'objective_label', 'objective', 'theme', 'category'];

export function readRecords(file: string): Array<Record<string, unknown>> {
  let raw: string;
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
    raw = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataError(`topics: cannot read ${file}: ${(e as Error).message}`);
  }
  const trimmed = raw.trim();
  try {
    if (trimmed.startsWith('[')) return JSON.parse(trimmed) as Array<Record<string, unknown>>;
    return trimmed.split(/\r?\n/).filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  } catch (e) {
    throw new DataError(`topics: ${file} is neither a JSON array nor JSONL: ${(e as Error).message}`);
  }
}

function pickField(records: Array<Record<string, unknown>>, given: unknown, candidates: string[], what: string): string {
  if (typeof given === 'string') {
    if (!records.some((r) => typeof r[given] === 'string')) throw new DataError(`topics: no record has a string field '${given}' (${what})`);
    return given;
  }
  const f = candidates.find((c) => records.filter((r) => typeof r[c] === 'string').length >= records.length * 0.9);
  if (!f) throw new DataError(`topics: cannot find the ${what} field; give --${what}-field (fields: ${Object.keys(records[0] ?? {}).join(', ')})`);
  return f;
}

export const suite: EvalSuite = {
  name: 'topics',
  description: 'Topic clustering of a labelled corpus (text-map pipeline, semantic and lexical) vs labels: NMI, purity',
  usage: '--data <file.json|jsonl> [--split validation|test|all] [--text-field f] [--label-field f] [--label-level N] [--seed s] [--spaces embedding,umap] [--k-min a --k-max b]',
  async run(ctx) {
    const records = readRecords(ctx.data);
    if (records.length < 4) throw new DataError(`topics: ${ctx.data} has ${records.length} records (need ≥ 4)`);
    const textField = pickField(records, ctx.args['text-field'], TEXT_FIELDS, 'text');
    const labelField = pickField(records, ctx.args['label-field'], LABEL_FIELDS, 'label');
    const level = ctx.args['label-level'] ? Number(ctx.args['label-level']) : 0;
    const seed = ctx.args.seed ? Number(ctx.args.seed) : 42;
    const want = parseSplit(ctx.args);
    const rows = records.filter((r) => typeof r[textField] === 'string' && (r[textField] as string).trim() && typeof r[labelField] === 'string' && inSplit(recordSplit(r, r[textField] as string), want));
    if (rows.length < 4) throw new DataError(`topics: ${rows.length} usable records in the ${want} split of ${ctx.data} (need ≥ 4)`);
    const texts = rows.map((r) => r[textField] as string);
    const gold = rows.map((r) => {
      const l = r[labelField] as string;
      return level > 0 ? l.split(':').slice(0, level).join(':') : l;
    });
    const nLabels = new Set(gold).size;
    ctx.log(`topics: ${texts.length} records (split ${want}), ${nLabels} labels (fields ${textField} / ${labelField}${level ? `, level ${level}` : ''})`);
    // a k window other than the pipeline's default (e.g. the old one, to compare on the same split)
    const kWindow = { ...(ctx.args['k-min'] ? { kMin: Number(ctx.args['k-min']) } : {}), ...(ctx.args['k-max'] ? { kMax: Number(ctx.args['k-max']) } : {}) };
    const spaces = (typeof ctx.args.spaces === 'string' ? ctx.args.spaces.split(',') : ['umap', 'embedding']) as ClusterSpace[];
    const m = await loadModels(ctx.args, ctx.log);
    m.deps.cache = memoryTextMapCache();
    const metrics: Record<string, number> = { n: texts.length, labels: nLabels };
    const autoK: Record<string, number> = {};
    const items: EvalItem[] = [];
    const modes: EmbeddingMode[] = m.semantic ? ['semantic', 'lexical'] : ['lexical'];
    try {
      for (const mode of modes) {
        for (const space of spaces) {
          for (const k of ['auto', nLabels] as const) {
            const t0 = performance.now();
            const r = await pipelineLabels(texts, m.deps, { mode, space, seed, k, ...kWindow });
            const suffix = `${mode}${space === 'embedding' ? '_embedding_space' : ''}${k === 'auto' ? '' : '_oracle_k'}`;
            const nmi = normalizedMutualInfo(gold, r.labels);
            const pur = purity(gold, r.labels);
            const ari = adjustedRandIndex(gold, r.labels);
            metrics[`nmi_${suffix}`] = round(nmi);
            metrics[`purity_${suffix}`] = round(pur);
            metrics[`ari_${suffix}`] = round(ari);
            if (k === 'auto') autoK[suffix] = r.k;
            if (k === 'auto') metrics[`k_${mode}${space === 'embedding' ? '_embedding_space' : ''}`] = r.k;
            items.push({ name: suffix, mode, space, k: r.k, nmi: round(nmi), purity: round(pur), ari: round(ari), seconds: round((performance.now() - t0) / 1000, 2) });
            ctx.log(`topics: ${suffix}: k=${r.k} NMI ${nmi.toFixed(3)} purity ${pur.toFixed(3)} ARI ${ari.toFixed(3)}`);
          }
        }
      }
    } finally {
      await m.registry.close();
    }
    const def = m.semantic ? 'semantic' : 'lexical';
    metrics.nmi = metrics[`nmi_${def}`];
    metrics.purity = metrics[`purity_${def}`];
    metrics.ari = metrics[`ari_${def}`];
    const base = baselineLabels(texts, nLabels, seed);
    metrics.baseline_nmi = round(normalizedMutualInfo(gold, base));
    metrics.baseline_purity = round(purity(gold, base));
    metrics.baseline_ari = round(adjustedRandIndex(gold, base));
    items.push({ name: 'baseline', mode: 'tfidf+kmeans', space: 'tfidf', k: nLabels, nmi: metrics.baseline_nmi, purity: metrics.baseline_purity, ari: metrics.baseline_ari, seconds: null });
    // the fair comparison: the baseline not told the true k, given the k the default pipeline chose itself
    const kSame = autoK[def] ?? autoK[modes[0]];
    if (kSame !== undefined) {
      const b2 = baselineLabels(texts, kSame, seed);
      metrics.baseline_nmi_same_k = round(normalizedMutualInfo(gold, b2));
      metrics.baseline_ari_same_k = round(adjustedRandIndex(gold, b2));
      items.push({ name: 'baseline_same_k', mode: 'tfidf+kmeans', space: 'tfidf', k: kSame, nmi: metrics.baseline_nmi_same_k, purity: round(purity(gold, b2)), ari: metrics.baseline_ari_same_k, seconds: null });
    }
    return {
      metrics,
      items,
      provenance: { models: m.models, split: want, kWindow, splits: 'evals/SPLITS.md', seed, textField, labelField, labelLevel: level, defaultMode: def, spaces, baseline: 'TF-IDF (unigrams, raw text) + ml-kmeans, k = number of labels' },
    };
  },
};
