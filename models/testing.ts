/**
 * Deterministic fake models for orchestration tests of other modules (jobs, services, pipelines' callers).
 * `createFakeRegistry(overrides)` returns a ModelRegistry whose every task is a cheap, deterministic fake
 * with provenance backend 'fake'; pass real or custom models in `overrides` to replace single tasks, or
 * `null` to make a task missing (get() then throws ModelError('MISSING_BACKEND') like the real registry).
 */
import { createHash } from 'node:crypto';
import type {
  BackendStatus,
  Embedder,
  LanguageId,
  ModelRegistry,
  Provenance,
  Sentiment,
  Stance,
  Summarizer,
  TaskMap,
  TaskName,
  TextGenerator,
  Transcriber,
  Translator,
  VoiceActivity,
} from './types.js';
import { ModelError } from './types.js';
import { cosine, normalize } from './util.js';
import { splitSentences } from './text.js';

const prov = (task: TaskName, params: Record<string, unknown> = {}): Provenance => ({
  task,
  backend: 'fake',
  modelId: `fake-${task}`,
  version: '0',
  weightsSha256: null,
  params,
});

/** A deterministic 64-d bag-of-words hash embedding: texts sharing words are close. */
export function fakeEmbedding(text: string, dims = 64): Float32Array {
  const v = new Float32Array(dims);
  for (const w of text.toLowerCase().match(/\p{L}+|\p{N}+/gu) ?? []) {
    const h = createHash('sha1').update(w).digest();
    v[h[0] % dims] += 1;
    v[h[1] % dims] += h[2] % 2 ? 0.5 : -0.5;
  }
  return normalize(v);
}

const FR_WORDS = /\b(le|la|les|des|est|une|et|je|nous|vous|pour|dans|pas|que|qui)\b/i;

export function fakeModels(): { [K in TaskName]: TaskMap[K] } {
  const embedder: Embedder = {
    provenance: prov('embedder'),
    dimensions: 64,
    languages: ['*'],
    embed: async (texts) => ({ output: texts.map((t) => fakeEmbedding(t)), provenance: prov('embedder', { count: texts.length }) }),
  };
  const languageId: LanguageId = {
    provenance: prov('languageId'),
    identify: async (texts) => ({
      output: texts.map((t) => (FR_WORDS.test(t) ? { lang: 'fr', confidence: 0.9 } : { lang: 'en', confidence: 0.9 })),
      provenance: prov('languageId'),
    }),
  };
  const translator: Translator = {
    provenance: prov('translator'),
    pairs: [
      ['fr', 'en'],
      ['en', 'fr'],
    ],
    translate: async (texts, from, to) => ({
      output: texts.map((t) => (from === to ? t : `[${from}→${to}] ${t}`)),
      provenance: prov('translator', { from, to }),
    }),
  };
  const summarizer: Summarizer = {
    provenance: prov('summarizer'),
    summarize: async (docs, opts) => {
      const max = opts?.maxSentences ?? 3;
      const sents = docs.flatMap((d) => splitSentences(d.text).map((s) => ({ text: s, id: d.id })));
      const picked = sents.slice(0, max).map((s) => ({
        text: s.text,
        sourceIds: [s.id, ...sents.filter((o) => o.id !== s.id && o.text.toLowerCase() === s.text.toLowerCase()).map((o) => o.id)],
      }));
      return { output: picked, provenance: prov('summarizer', { maxSentences: max }) };
    },
  };
  const sentiment: Sentiment = {
    provenance: prov('sentiment'),
    languages: ['*'],
    score: async (texts) => ({
      output: texts.map((t) => {
        const pos = (t.match(/\b(good|great|love|agree|bon|bien|super)\b/gi) ?? []).length;
        const neg = (t.match(/\b(bad|hate|terrible|disagree|mauvais|nul)\b/gi) ?? []).length;
        return pos === neg ? 0 : Math.tanh(pos - neg);
      }),
      provenance: prov('sentiment'),
    }),
  };
  const stance: Stance = {
    provenance: prov('stance'),
    classify: async (texts, examples) => {
      const labels = [...new Set(examples.map((e) => e.label))];
      return {
        output: texts.map((t) => {
          const v = fakeEmbedding(t);
          const scores: Record<string, number> = {};
          for (const l of labels) {
            const sims = examples.filter((e) => e.label === l).map((e) => cosine(v, fakeEmbedding(e.text)));
            scores[l] = Math.max(...sims);
          }
          const label = labels.reduce((a, b) => (scores[b] > scores[a] ? b : a), labels[0]);
          return { label, scores };
        }),
        provenance: prov('stance'),
      };
    },
  };
  const transcriber: Transcriber = {
    provenance: prov('transcriber'),
    languages: ['en', 'fr'],
    transcribe: async (audio, opts) => {
      if (!['en', 'fr'].includes(opts.language)) throw new ModelError('UNSUPPORTED_LANGUAGE', `fake transcriber: ${opts.language}`);
      const seconds = audio.length / 16000;
      return { output: seconds > 0 ? [{ start: 0, end: seconds, text: `fake transcript (${seconds.toFixed(1)} s)` }] : [], provenance: prov('transcriber') };
    },
  };
  const voiceActivity: VoiceActivity = {
    provenance: prov('voiceActivity'),
    detect: async (audio, sampleRate) => {
      // regions where |x| > 0.05 in 30 ms frames
      const frame = Math.max(1, Math.round(sampleRate * 0.03));
      const out: Array<{ start: number; end: number }> = [];
      let cur: { start: number; end: number } | null = null;
      for (let i = 0; i < audio.length; i += frame) {
        let peak = 0;
        for (let k = i; k < Math.min(audio.length, i + frame); k++) peak = Math.max(peak, Math.abs(audio[k]));
        const t0 = i / sampleRate;
        const t1 = Math.min(audio.length, i + frame) / sampleRate;
        if (peak > 0.05) {
          if (cur && t0 - cur.end < 0.2) cur.end = t1;
          else out.push((cur = { start: t0, end: t1 }));
        }
      }
      return { output: out, provenance: prov('voiceActivity') };
    },
  };
  const textGenerator: TextGenerator = {
    provenance: prov('textGenerator'),
    generate: async (prompt) => ({ output: `fake: ${prompt.slice(0, 40)}`, provenance: prov('textGenerator') }),
  };
  return { languageId, embedder, translator, summarizer, sentiment, stance, transcriber, voiceActivity, textGenerator };
}

export function createFakeRegistry(overrides: Partial<{ [K in TaskName]: TaskMap[K] | null }> = {}): ModelRegistry {
  const models = { ...fakeModels(), ...overrides } as { [K in TaskName]: TaskMap[K] | null };
  const calls: TaskName[] = [];
  return {
    async get<T extends TaskName>(task: T): Promise<TaskMap[T]> {
      calls.push(task);
      const m = models[task];
      if (!m) throw new ModelError('MISSING_BACKEND', `fake registry: ${task} is missing`, `install a backend for ${task}`);
      return m as TaskMap[T];
    },
    async status(): Promise<BackendStatus[]> {
      return (Object.keys(models) as TaskName[]).map((task) => ({
        task,
        backend: models[task]?.provenance.backend ?? 'fake',
        modelId: models[task]?.provenance.modelId ?? '',
        tier: 'offline',
        available: !!models[task],
        chosen: !!models[task],
        ...(models[task] ? {} : { reason: 'removed by the test', fix: `install a backend for ${task}` }),
      }));
    },
    async tools() {
      return [];
    },
    async close() {
      for (const m of Object.values(models)) await m?.close?.();
    },
  };
}
