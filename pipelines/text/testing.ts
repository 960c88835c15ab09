/**
 * Small deterministic fakes of the model interfaces for the pipeline's own tests (no vendor packages).
 * They follow the contracts of models/types.ts: Result<T> with provenance.
 */
import type { Embedder, LanguageId, Provenance, Sentiment, Stance, TaskName, Translator } from '../../models/types.js';

function prov(task: TaskName, modelId: string): Provenance {
  return { task, backend: 'fake', modelId, version: '0', weightsSha256: null, params: {} };
}

const FRENCH_HINTS = /\b(le|la|les|des|du|une|est|et|pour|dans|plus|il|faut|aux|sont|c'est|à)\b|[éèêàçù]/giu;

/** French if ≥ 2 French markers, else English. */
export function fakeLanguageId(): LanguageId & { calls: number } {
  const m = {
    calls: 0,
    provenance: prov('languageId', 'fake-lid'),
    async identify(texts: string[]) {
      m.calls++;
      return {
        output: texts.map((t) => {
          const hits = (t.match(FRENCH_HINTS) ?? []).length;
          return hits >= 2 ? { lang: 'fr', confidence: 0.9 } : /[\u3040-\u30ff\u4e00-\u9fff]/u.test(t) ? { lang: 'ja', confidence: 0.95 } : { lang: 'en', confidence: 0.8 };
        }),
        provenance: m.provenance,
      };
    },
  };
  return m;
}

/** Translator from a lookup table (fr→en); unknown texts come back prefixed so tests can see them. */
export function fakeTranslator(table: Record<string, string>): Translator & { calls: number; texts: number } {
  const t = {
    calls: 0,
    texts: 0,
    pairs: [['fr', 'en'] as const, ['en', 'fr'] as const],
    provenance: prov('translator', 'fake-table'),
    async translate(texts: string[], from: string, to: string) {
      t.calls++;
      t.texts += texts.length;
      return { output: texts.map((x) => (from === 'fr' && to === 'en' && table[x]) || `[${from}>${to}] ${x}`), provenance: t.provenance };
    },
  };
  return t;
}

/** Bag-of-hashed-words embedder (deterministic; similar words → similar vectors only by identity). */
export function fakeEmbedder(dimensions = 64): Embedder & { texts: number } {
  const e = {
    texts: 0,
    dimensions,
    languages: ['en'],
    provenance: prov('embedder', 'fake-hash-bow'),
    async embed(texts: string[]) {
      e.texts += texts.length;
      return {
        output: texts.map((t) => {
          const v = new Float32Array(dimensions);
          for (const w of t.toLowerCase().match(/\p{L}{3,}/gu) ?? []) {
            let h = 2166136261;
            for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619) >>> 0;
            v[h % dimensions] += 1;
          }
          return v;
        }),
        provenance: e.provenance,
      };
    },
  };
  return e;
}

const POS = ['good', 'safe', 'help', 'free', 'fresh', 'healthy', 'clean', 'cool', 'please', 'idea'];
const NEG = ['late', 'overcrowded', 'crowded', 'expensive', 'broken', 'old', 'salty', 'wasted', 'thrown', 'hunger', 'dirty'];

export function fakeSentiment(): Sentiment {
  return {
    languages: ['en'],
    provenance: prov('sentiment', 'fake-lexicon'),
    async score(texts: string[]) {
      return {
        output: texts.map((t) => {
          const w = t.toLowerCase().match(/\p{L}+/gu) ?? [];
          const s = w.filter((x) => POS.includes(x)).length - w.filter((x) => NEG.includes(x)).length;
          return Math.max(-1, Math.min(1, s / 2));
        }),
        provenance: prov('sentiment', 'fake-lexicon'),
      };
    },
  };
}

export function fakeStance(): Stance {
  return {
    provenance: prov('stance', 'fake-keyword'),
    async classify(texts: string[]) {
      return {
        output: texts.map((t) => {
          const label = /\b(not|against|stop|too)\b/i.test(t) ? 'oppose' : /\b(should|need|more|please)\b/i.test(t) ? 'support' : 'neutral';
          return { label, scores: { [label]: 1 } };
        }),
        provenance: prov('stance', 'fake-keyword'),
      };
    },
  };
}
