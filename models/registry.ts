/**
 * STATUS (for the other engineers): the offline tier is usable. `createRegistry(cfg).get(task)` works for
 * 'languageId' (fastText lid.176), 'embedder' (USE lite, worker-thread pool), 'translator' (Apertium fr↔en,
 * enhanced; 'apertium-plain' via cfg.prefer.translator), 'summarizer' (centroid + MMR with citations; 'ots'
 * via cfg.prefer.summarizer), 'sentiment' (VADER) and 'stance' (nearest centroid over the embedder).
 * Production tier (transformers.js on weights in cfg.modelsDir) is chosen automatically when weights are present.
 * Audio tasks come from models/audio/index.ts (`audioBackends`) when that module exists.
 *
 * The registry: one list of BackendDescriptors; per task it picks cfg.prefer[task] when set (an unavailable
 * preferred backend is an error, never a silent fallback), else the available backend with the highest rank
 * (production ranks above offline). Each task is loaded lazily once and shared; every model method goes
 * through a small semaphore per model; heavy work runs in worker threads or child processes inside the adapters.
 */
import type {
  BackendDescriptor,
  BackendStatus,
  ModelRegistry,
  ModelsConfig,
  TaskMap,
  TaskName,
  ToolStatus,
  Translator,
} from './types.js';
import { ModelError } from './types.js';
import { Semaphore, runCommand, which } from './util.js';
import { fastTextLanguageId } from './offline/fasttext.js';
import { useEmbedder } from './offline/use.js';
import { useOnnxEmbedder } from './offline/use-onnx.js';
import { apertiumPlainTranslator, apertiumTranslator, installedModes } from './offline/apertium.js';
import { vaderSentiment } from './offline/vader.js';
import { createCentroidStance } from './offline/stance.js';
import { createCentroidMmrSummarizer, otsSummarizer } from './offline/summarizer.js';
import { transformersEmbedder, transformersTextGenerator, transformersTranslator } from './production/transformers.js';
import { audioBackends } from './audio/index.js';

export const ALL_TASKS: TaskName[] = [
  'languageId',
  'embedder',
  'translator',
  'summarizer',
  'transcriber',
  'voiceActivity',
  'sentiment',
  'stance',
  'textGenerator',
];

/** Calls per model at once (adapters queue further work internally: worker pool, apertium processes). */
const MODEL_CONCURRENCY = 4;

type Getter = <T extends TaskName>(task: T) => Promise<TaskMap[T]>;

/** Backends defined over other tasks (they load the embedder / translator through the registry). */
function derivedDescriptors(get: Getter, tryGet: <T extends TaskName>(task: T) => Promise<TaskMap[T] | null>): BackendDescriptor[] {
  const stance: BackendDescriptor<'stance'> = {
    task: 'stance',
    backend: 'centroid-embeddings',
    modelId: 'nearest-centroid over the chosen embedder',
    tier: 'offline',
    rank: 10,
    probe: async () => ({ available: true, reason: 'uses the embedder task' }),
    create: async () => createCentroidStance(await get('embedder')),
  };
  const summarizer: BackendDescriptor<'summarizer'> = {
    task: 'summarizer',
    backend: 'centroid-mmr',
    modelId: 'centroid-mmr over the chosen embedder',
    tier: 'offline',
    rank: 10,
    probe: async () => ({ available: true, reason: 'uses the embedder task' }),
    create: async () => createCentroidMmrSummarizer(await get('embedder'), () => tryGet('translator') as Promise<Translator | null>),
  };
  return [stance as BackendDescriptor, summarizer as BackendDescriptor];
}

/** The text backends this module defines (audio ones come from models/audio). */
export const textBackends: BackendDescriptor[] = [
  fastTextLanguageId as BackendDescriptor,
  useOnnxEmbedder as BackendDescriptor,
  useEmbedder as BackendDescriptor,
  transformersEmbedder as BackendDescriptor,
  apertiumTranslator as BackendDescriptor,
  apertiumPlainTranslator as BackendDescriptor,
  transformersTranslator as BackendDescriptor,
  transformersTextGenerator as BackendDescriptor,
  vaderSentiment as BackendDescriptor,
  otsSummarizer as BackendDescriptor,
];


export interface RegistryOptions {
  /** replaces the built-in descriptor list (tests); derived ones (stance, summarizer) are still added */
  descriptors?: BackendDescriptor[];
  /** skip models/audio (tests) */
  skipAudio?: boolean;
}

export function createRegistry(cfg: ModelsConfig, opts: RegistryOptions = {}): ModelRegistry {
  const loaded = new Map<TaskName, Promise<unknown>>();
  const instances: Array<{ close?: () => Promise<void> }> = [];
  let descriptorsPromise: Promise<BackendDescriptor[]> | null = null;
  let closed = false;

  const get: Getter = <T extends TaskName>(task: T) => registry.get(task);
  const tryGet = async <T extends TaskName>(task: T): Promise<TaskMap[T] | null> => {
    try {
      return await registry.get(task);
    } catch (e) {
      if (e instanceof ModelError && e.code === 'MISSING_BACKEND') return null;
      throw e;
    }
  };

  function descriptors(): Promise<BackendDescriptor[]> {
    descriptorsPromise ??= (async () => {
      const base = opts.descriptors ?? [...textBackends, ...(opts.skipAudio ? [] : audioBackends)];
      return [...base, ...derivedDescriptors(get, tryGet)];
    })();
    return descriptorsPromise;
  }

  async function probeAll(task: TaskName) {
    const ds = (await descriptors()).filter((d) => d.task === task);
    return Promise.all(
      ds.map(async (d) => {
        try {
          return { d, probe: await d.probe(cfg) };
        } catch (e) {
          return { d, probe: { available: false, reason: `probe failed: ${(e as Error).message}` } };
        }
      }),
    );
  }

  /** The descriptor get() would load for a task, or an error saying why none can be. */
  async function choose(task: TaskName): Promise<{ chosen: BackendDescriptor } | { error: ModelError }> {
    const probes = await probeAll(task);
    const pref = cfg.prefer?.[task];
    if (pref && pref !== 'auto') {
      const name = pref.split(':')[0];
      const hit = probes.find((p) => p.d.backend === name);
      if (!hit) {
        return {
          error: new ModelError(
            'MISSING_BACKEND',
            `config prefers backend '${pref}' for ${task}, which is not a known backend (known: ${probes.map((p) => p.d.backend).join(', ') || 'none'})`,
            `set models.prefer.${task} to one of: auto, ${probes.map((p) => p.d.backend).join(', ')}`,
          ),
        };
      }
      if (!hit.probe.available) {
        return {
          error: new ModelError(
            'MISSING_BACKEND',
            `config prefers backend '${pref}' for ${task}, but it is not available: ${hit.probe.reason ?? 'unavailable'}`,
            hit.probe.fix,
          ),
        };
      }
      return { chosen: hit.d };
    }
    const avail = probes.filter((p) => p.probe.available).sort((a, b) => b.d.rank - a.d.rank);
    if (avail.length) return { chosen: avail[0].d };
    if (!probes.length) {
      return { error: new ModelError('MISSING_BACKEND', `no backend is registered for ${task}`) };
    }
    const fixes = [...new Set(probes.map((p) => p.probe.fix).filter((f): f is string => !!f))];
    return {
      error: new ModelError(
        'MISSING_BACKEND',
        `no backend available for ${task}: ${probes.map((p) => `${p.d.backend} (${p.probe.reason ?? 'unavailable'})`).join('; ')}`,
        fixes.join(' — or — ') || undefined,
      ),
    };
  }

  const registry: ModelRegistry = {
    get<T extends TaskName>(task: T): Promise<TaskMap[T]> {
      if (closed) return Promise.reject(new ModelError('MODEL_FAILED', 'model registry is closed'));
      let p = loaded.get(task) as Promise<TaskMap[T]> | undefined;
      if (!p) {
        p = (async () => {
          const c = await choose(task);
          if ('error' in c) throw c.error;
          let instance = (await c.chosen.create(cfg)) as TaskMap[T];
          instances.push(instance);
          if (task === 'translator' && !(cfg.prefer?.translator && cfg.prefer.translator !== 'auto')) {
            instance = (await withFallbackPairs(instance as Translator, c.chosen, await probeAll('translator'), cfg, instances)) as TaskMap[T];
          }
          return guard(instance);
        })();
        loaded.set(task, p);
        // a failed load is not cached: a later call (after installing the package) retries
        p.catch(() => loaded.delete(task));
      }
      return p;
    },

    async status(): Promise<BackendStatus[]> {
      const rows: BackendStatus[] = [];
      const tasks = [...new Set([...ALL_TASKS, ...(await descriptors()).map((d) => d.task)])];
      for (const task of tasks) {
        const probes = await probeAll(task);
        const c = await choose(task);
        for (const { d, probe } of probes) {
          const chosen = 'chosen' in c && c.chosen === d;
          let reason = probe.reason;
          if (probe.available && !chosen) {
            reason = 'chosen' in c ? `available; ${c.chosen.backend} is preferred (config or higher rank)` : c.error.message;
          }
          rows.push({
            task,
            backend: d.backend,
            modelId: d.modelId,
            tier: d.tier,
            available: probe.available,
            chosen,
            ...(reason ? { reason } : {}),
            ...(probe.fix && !probe.available ? { fix: probe.fix } : {}),
            ...('languages' in probe && probe.languages ? { languages: probe.languages } : {}),
          });
        }
        if (!probes.length) {
          rows.push({
            task,
            backend: 'none',
            modelId: '',
            tier: 'offline',
            available: false,
            chosen: false,
            reason: 'error' in c ? c.error.message : 'no backend registered',
            ...('error' in c && c.error.fix ? { fix: c.error.fix } : {}),
          });
        }
      }
      return rows;
    },

    tools: () => systemTools(),

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.allSettled(loaded.values());
      await Promise.all(instances.map((m) => m.close?.().catch(() => undefined)));
      loaded.clear();
    },
  };
  return registry;
}

/** Wraps every method of a model (except close) in a per-model semaphore. */
/**
 * A translator that serves each language pair with the best backend that has it: a production model installed
 * for fr→en only must not make en→fr fail while Apertium could serve it. Results carry the provenance of the
 * backend that actually translated.
 */
async function withFallbackPairs(
  primary: Translator,
  chosen: BackendDescriptor,
  probes: Array<{ d: BackendDescriptor; probe: { available: boolean } }>,
  cfg: ModelsConfig,
  instances: unknown[],
): Promise<Translator> {
  const others = probes.filter((p) => p.probe.available && p.d !== chosen).sort((a, b) => b.d.rank - a.d.rank);
  const key = (a: string, b: string) => `${a}>${b}`;
  const has = new Set(primary.pairs.map(([a, b]) => key(a, b)));
  const fallbacks: Translator[] = [];
  for (const o of others) {
    if (o.d.backend === 'apertium-plain' && others.some((x) => x.d.backend === 'apertium')) continue;
    try {
      const t = (await o.d.create(cfg)) as Translator;
      if (t.pairs.some(([a, b]) => !has.has(key(a, b)))) {
        instances.push(t);
        fallbacks.push(t);
        for (const [a, b] of t.pairs) has.add(key(a, b));
      } else await t.close?.();
    } catch {
      /* a fallback that cannot load is simply not used */
    }
  }
  if (!fallbacks.length) return primary;
  const pairs = [...has].map((k) => k.split('>') as [string, string]);
  const route = (from: string, to: string) => [primary, ...fallbacks].find((t) => t.pairs.some(([a, b]) => a === from && b === to)) ?? primary;
  return {
    provenance: primary.provenance,
    pairs,
    translate: (texts, from, to, opts) => route(from, to).translate(texts, from, to, opts),
    close: async () => {
      await primary.close?.();
      for (const f of fallbacks) await f.close?.();
    },
  };
}

function guard<M extends object>(model: M): M {
  const sem = new Semaphore(MODEL_CONCURRENCY);
  return new Proxy(model, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || prop === 'close' || prop === 'constructor') return v;
      return (...args: unknown[]) => sem.run(() => Promise.resolve((v as (...a: unknown[]) => unknown).apply(target, args)));
    },
  });
}

async function dpkgVersion(pkg: string): Promise<string | undefined> {
  try {
    const r = await runCommand('dpkg-query', ['-W', '-f=${Version}', pkg], { timeoutMs: 5000 });
    return r.code === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** System tools outside npm, with the apt-get command that installs each. */
export async function systemTools(): Promise<ToolStatus[]> {
  const specs: Array<{ name: string; bin: string; deb: string; fix: string }> = [
    { name: 'apertium', bin: 'apertium', deb: 'apertium', fix: 'apt-get install -y apertium apertium-fr-es apertium-eng-spa apertium-fra-cat apertium-eng-cat apertium-eo-fr apertium-eo-en' },
    { name: 'ots', bin: 'ots', deb: 'ots', fix: 'apt-get install -y ots' },
    { name: 'ffmpeg', bin: 'ffmpeg', deb: 'ffmpeg', fix: 'apt-get install -y ffmpeg' },
    { name: 'pocketsphinx', bin: 'pocketsphinx_continuous', deb: 'pocketsphinx', fix: 'apt-get install -y pocketsphinx pocketsphinx-en-us' },
    { name: 'espeak-ng', bin: 'espeak-ng', deb: 'espeak-ng', fix: 'apt-get install -y espeak-ng' },
  ];
  return Promise.all(
    specs.map(async (s): Promise<ToolStatus> => {
      const found = await which(s.bin);
      if (!found) return { name: s.name, available: false, fix: s.fix };
      let version = await dpkgVersion(s.deb);
      if (s.name === 'apertium') {
        const modes = await installedModes();
        const needed = ['fr-es', 'es-fr', 'eng-spa', 'spa-eng'];
        const lacking = needed.filter((m) => !modes.includes(m));
        version = `${version ?? 'unknown'}; modes: ${modes.join(', ') || 'none'}`;
        if (lacking.length) return { name: s.name, available: false, version, fix: `${s.fix} (missing modes: ${lacking.join(', ')})` };
      }
      return { name: s.name, available: true, ...(version ? { version } : {}) };
    }),
  );
}
