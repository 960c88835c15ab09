/**
 * keypoints: IBM ArgKP 2021 (arguments_*.csv, key_points_*.csv, labels_*.csv, every split in --data).
 *  - Clustering: per (topic, stance), the arguments matched to exactly one key point (label = 1) are
 *    clustered by the text-map pipeline (k chosen by the pipeline: silhouette of the embeddings over [kMin, kMax]); ARI and NMI against "argument → its key point",
 *    macro-averaged over the (topic, stance) groups.
 *  - Matching: every argument with ≥ 1 matched key point ranks the key points of its (topic, stance) by
 *    cosine similarity; mAP over arguments (relevant = its matched key points).
 * Both embedding modes (semantic: the registry's embedder; lexical: TF-IDF + SVD fitted on all arguments
 * and key points), clustering on the embeddings instead of the default 5-d UMAP space (…_embedding_space),
 * k = number of key points (…_oracle_k), and the
 * plain baseline: TF-IDF + k-means with k = number of key points; TF-IDF cosine for the matching.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { EvalItem, EvalSuite } from '../harness.js';
import { DataError } from '../harness.js';
import { adjustedRandIndex, averagePrecision, normalizedMutualInfo } from '../topics/metrics.js';
import { baselineLabels, loadModels, mean, pipelineLabels, round } from '../topics/common.js';
import { memoryTextMapCache } from '../../pipelines/text/cache.js';
import { inSplit, parseSplit, type Split, type SplitArg } from '../splits.js';
import { csrRow, fitTfidf, lexicalEmbeddings } from '../../pipelines/text/lexical.js';
import { embedSemantic } from '../../pipelines/text/stages.js';
import { l2normalize } from '../../pipelines/text/util.js';
import type { ClusterSpace, EmbeddingMode } from '../../pipelines/text/types.js';

type Row = Record<string, string>;

function readCsv(file: string, required: string[]): Row[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataError(`keypoints: cannot read ${file}: ${(e as Error).message}`);
  }
  const r = Papa.parse<Row>(text, { header: true, skipEmptyLines: true });
  const missing = required.filter((c) => !(r.meta.fields ?? []).includes(c));
  if (missing.length) throw new DataError(`keypoints: ${file} lacks column(s) ${missing.join(', ')}`);
  return r.data;
}

export interface ArgKpData {
  args: Map<string, { text: string; group: string }>;
  kps: Map<string, { text: string; group: string }>;
  /** arg id → matched key point ids */
  matches: Map<string, string[]>;
}

/** ArgKP's upstream files: train → validation, dev (and any other) → test (evals/SPLITS.md). */
export function argKpSplit(file: string): Split {
  return file === 'train' ? 'validation' : 'test';
}

export function readArgKp(dir: string, want: SplitArg = 'all'): ArgKpData {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (e) {
    throw new DataError(`keypoints: cannot read directory ${dir}: ${(e as Error).message}`);
  }
  const splits = files.filter((f) => /^arguments_.+\.csv$/.test(f)).map((f) => f.slice('arguments_'.length, -4)).filter((s) => inSplit(argKpSplit(s), want)).sort();
  if (splits.length === 0) throw new DataError(`keypoints: no arguments_*.csv in ${dir}${want === 'all' ? '' : ` for the ${want} split`}`);
  const data: ArgKpData = { args: new Map(), kps: new Map(), matches: new Map() };
  for (const s of splits) {
    for (const f of [`key_points_${s}.csv`, `labels_${s}.csv`]) if (!files.includes(f)) throw new DataError(`keypoints: ${f} missing in ${dir}`);
    for (const r of readCsv(path.join(dir, `arguments_${s}.csv`), ['arg_id', 'argument', 'topic', 'stance'])) {
      data.args.set(r.arg_id, { text: r.argument, group: `${r.topic}|${r.stance}` });
    }
    for (const r of readCsv(path.join(dir, `key_points_${s}.csv`), ['key_point_id', 'key_point', 'topic', 'stance'])) {
      data.kps.set(r.key_point_id, { text: r.key_point, group: `${r.topic}|${r.stance}` });
    }
    for (const r of readCsv(path.join(dir, `labels_${s}.csv`), ['arg_id', 'key_point_id', 'label'])) {
      if (String(r.label).trim() !== '1') continue;
      const l = data.matches.get(r.arg_id) ?? [];
      l.push(r.key_point_id);
      data.matches.set(r.arg_id, l);
    }
  }
  return data;
}

export const suite: EvalSuite = {
  name: 'keypoints',
  description: 'IBM ArgKP: clustering of arguments vs human key points (ARI, NMI) and key-point matching (mAP)',
  usage: '--data <kpm_data dir> [--split validation|test|all] [--seed s] [--spaces embedding,umap] [--max-groups n]',
  async run(ctx) {
    const d = readArgKp(ctx.data, parseSplit(ctx.args));
    const seed = ctx.args.seed ? Number(ctx.args.seed) : 42;
    const spaces = (typeof ctx.args.spaces === 'string' ? ctx.args.spaces.split(',') : ['umap', 'embedding']) as ClusterSpace[];
    const groups = new Map<string, string[]>();
    for (const [id, a] of d.args) {
      if (d.matches.get(id)?.length !== 1) continue;
      const g = groups.get(a.group) ?? [];
      g.push(id);
      groups.set(a.group, g);
    }
    let groupList = [...groups.entries()].filter(([, ids]) => ids.length >= 4).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    if (ctx.args['max-groups']) groupList = groupList.slice(0, Number(ctx.args['max-groups']));
    ctx.log(`keypoints: ${d.args.size} arguments, ${d.kps.size} key points, ${groupList.length} topic/stance groups`);
    const m = await loadModels(ctx.args, ctx.log);
    m.deps.cache = memoryTextMapCache();
    const modes: EmbeddingMode[] = m.semantic ? ['semantic', 'lexical'] : ['lexical'];
    const metrics: Record<string, number> = {};
    const items: EvalItem[] = [];
    const acc = new Map<string, { ari: number[]; nmi: number[]; k: number[] }>();
    const add = (key: string, ari: number, nmi: number, k: number) => {
      const e = acc.get(key) ?? { ari: [], nmi: [], k: [] };
      e.ari.push(ari);
      e.nmi.push(nmi);
      e.k.push(k);
      acc.set(key, e);
    };
    try {
      let gi = 0;
      for (const [group, ids] of groupList) {
        gi++;
        const texts = ids.map((id) => d.args.get(id)!.text);
        const gold = ids.map((id) => d.matches.get(id)![0]);
        const nKp = new Set(gold).size;
        const item: EvalItem = { name: group, arguments: ids.length, keyPoints: nKp };
        for (const mode of modes) {
          for (const space of spaces) {
            for (const k of ['auto', nKp] as const) {
              const r = await pipelineLabels(texts, m.deps, { mode, space, seed, k });
              const key = `${mode}${space === 'embedding' ? '_embedding_space' : ''}${k === 'auto' ? '' : '_oracle_k'}`;
              const ari = adjustedRandIndex(gold, r.labels);
              const nmi = normalizedMutualInfo(gold, r.labels);
              add(key, ari, nmi, r.k);
              item[`ari_${key}`] = round(ari);
            }
          }
        }
        const base = baselineLabels(texts, nKp, seed);
        add('baseline', adjustedRandIndex(gold, base), normalizedMutualInfo(gold, base), nKp);
        items.push(item);
        ctx.log(`keypoints: group ${gi}/${groupList.length} (${ids.length} args)`);
      }
      for (const [key, e] of acc) {
        const pre = key === 'baseline' ? 'baseline_' : '';
        const suf = key === 'baseline' ? '' : `_${key}`;
        metrics[`${pre}ari${suf}`] = round(mean(e.ari));
        metrics[`${pre}nmi${suf}`] = round(mean(e.nmi));
        if (key !== 'baseline' && !key.includes('oracle')) metrics[`k_mean${suf}`] = round(mean(e.k), 2);
      }
      // key-point matching
      const matchedArgs = [...d.args.keys()].filter((id) => (d.matches.get(id)?.length ?? 0) > 0);
      const kpIds = [...d.kps.keys()];
      const allIds = [...matchedArgs, ...kpIds];
      const allTexts = allIds.map((id) => (d.args.get(id) ?? d.kps.get(id))!.text);
      const vecs = new Map<string, Map<string, Float32Array>>();
      if (m.semantic) {
        ctx.log(`keypoints: embedding ${allTexts.length} texts for matching`);
        const r = await embedSemantic(allTexts, m.deps.embedder!, { cache: m.deps.cache.embeddings });
        vecs.set('semantic', new Map(allIds.map((id, i) => [id, r.vectors[i]])));
      }
      const lex = lexicalEmbeddings(allTexts, { seed, dims: 100 });
      vecs.set('lexical', new Map(allIds.map((id, i) => [id, lex.vectors[i]])));
      const { matrix } = fitTfidf(allTexts, { bigrams: false });
      vecs.set('baseline', new Map(allIds.map((id, i) => [id, l2normalize(csrRow(matrix, i))])));
      const kpsByGroup = new Map<string, string[]>();
      for (const [id, kp] of d.kps) kpsByGroup.set(kp.group, [...(kpsByGroup.get(kp.group) ?? []), id]);
      for (const [name, v] of vecs) {
        const aps = matchedArgs.map((a) => {
          const cands = kpsByGroup.get(d.args.get(a)!.group) ?? [];
          const va = v.get(a)!;
          const ranked = cands
            .map((k) => {
              const vk = v.get(k)!;
              let s = 0;
              for (let j = 0; j < va.length; j++) s += va[j] * vk[j];
              return { k, s };
            })
            .sort((x, y) => y.s - x.s || (x.k < y.k ? -1 : 1))
            .map((x) => x.k);
          return averagePrecision(ranked, new Set(d.matches.get(a)));
        });
        metrics[name === 'baseline' ? 'baseline_mAP' : `mAP_${name}`] = round(mean(aps));
      }
      metrics.matched_arguments = matchedArgs.length;
    } finally {
      await m.registry.close();
    }
    const def = m.semantic ? 'semantic' : 'lexical';
    metrics.ari = metrics[`ari_${def}`];
    metrics.nmi = metrics[`nmi_${def}`];
    metrics.mAP = metrics[`mAP_${def}`];
    metrics.groups = groupList.length;
    metrics.clustered_arguments = groupList.reduce((a, [, ids]) => a + ids.length, 0);
    return {
      metrics,
      items,
      provenance: {
        models: m.models,
        split: parseSplit(ctx.args),
        splits: 'evals/SPLITS.md',
        seed,
        defaultMode: def,
        spaces,
        protocol: 'clustering: arguments with exactly one matched key point, per topic/stance, macro-averaged; mAP: arguments with ≥ 1 match, key points of the same topic/stance ranked by cosine',
        baseline: 'TF-IDF (unigrams) + ml-kmeans, k = number of key points; TF-IDF cosine for mAP',
      },
    };
  },
};
