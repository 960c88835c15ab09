/** Shared by the clustering suites (topics, keypoints): model loading and one clustering run of the pipeline. */
import { kmeans } from 'ml-kmeans';
import { createRegistry } from '../../models/registry.js';
import type { ModelRegistry, TaskMap, TaskName } from '../../models/types.js';
import { buildTextMap } from '../../pipelines/text/build.js';
import { fitTfidf, csrRow } from '../../pipelines/text/lexical.js';
import type { ClusterSpace, EmbeddingMode, TextMapDeps } from '../../pipelines/text/types.js';
import type { EvalArgs } from '../harness.js';

export interface SuiteModels {
  registry: ModelRegistry;
  deps: TextMapDeps;
  /** provenance summary for the result */
  models: Record<string, string>;
  semantic: boolean;
}

/** Loads language id, translator and embedder through the registry; a missing embedder disables semantic mode. */
export async function loadModels(args: EvalArgs, log: (m: string) => void, tasks: TaskName[] = ['languageId', 'translator', 'embedder']): Promise<SuiteModels> {
  const registry = createRegistry(
    { modelsDir: typeof args['models-dir'] === 'string' ? args['models-dir'] : 'models-dir', prefer: {}, threads: 2, languages: ['en', 'fr'] },
    { skipAudio: true },
  );
  const deps: TextMapDeps = {};
  const models: Record<string, string> = {};
  let semantic = false;
  for (const t of tasks) {
    try {
      const m = (await registry.get(t)) as TaskMap[typeof t];
      (deps as Record<string, unknown>)[t] = m;
      models[t] = `${m.provenance.backend}:${m.provenance.modelId}@${m.provenance.version}`;
      if (t === 'embedder') semantic = true;
    } catch (e) {
      log(`model for ${t} unavailable: ${(e as Error).message}`);
    }
  }
  return { registry, deps, models, semantic };
}

export interface RunOptions {
  mode: EmbeddingMode;
  space: ClusterSpace;
  seed: number;
  k?: number | 'auto';
  /** the window k is chosen in (default: the pipeline's, pipelines/tuned.ts) */
  kMin?: number;
  kMax?: number;
}

/** Runs the real pipeline (buildTextMap) and returns its top-level cluster label per text. */
export async function pipelineLabels(texts: string[], deps: TextMapDeps, o: RunOptions): Promise<{ labels: string[]; k: number; silhouettes: Array<{ k: number; silhouette: number }> }> {
  const contributions = texts.map((text, i) => ({ id: String(i), text }));
  const map = await buildTextMap({ contributions }, { ...deps, sentiment: undefined, stance: undefined, summarizer: undefined }, {
    mode: o.mode,
    clusterSpace: o.space,
    seed: o.seed,
    k: o.k ?? 'auto',
    ...(o.kMin !== undefined ? { kMin: o.kMin } : {}),
    ...(o.kMax !== undefined ? { kMax: o.kMax } : {}),
    subtopicMinSize: 0,
    onInvalid: 'skip',
  });
  const byId = new Map(map.contributions.map((c) => [c.id, c.cluster]));
  const cluster = map.provenance.find((p) => p.stage === 'cluster');
  const silhouettes = ((cluster?.params as { silhouettes?: Array<{ k: number; silhouette: number }> } | undefined)?.silhouettes) ?? [];
  return { labels: texts.map((_, i) => byId.get(String(i)) ?? 'rejected'), k: map.clusters.length, silhouettes };
}

/** The plain baseline: TF-IDF (unigrams, no SVD) + ml-kmeans with k given, on the raw texts. */
export function baselineLabels(texts: string[], k: number, seed: number): number[] {
  const { matrix } = fitTfidf(texts, { bigrams: false });
  const data = texts.map((_, i) => Array.from(csrRow(matrix, i)));
  const kk = Math.max(1, Math.min(k, texts.length));
  return kmeans(data, kk, { seed, initialization: 'kmeans++' }).clusters;
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

export function round(x: number, d = 4): number {
  return Number.isFinite(x) ? Number(x.toFixed(d)) : x;
}
