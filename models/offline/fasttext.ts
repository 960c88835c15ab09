/**
 * Language identification with fastText's lid.176 (inside npm `fasttext.wasm.js`, CC-BY-SA-3.0 model).
 * Fast (thousands of sentences a second) so it runs on the main thread in chunks, yielding between chunks.
 * When cfg.languages is set, guesses are restricted to those languages (probabilities renormalised
 * over the top-k that belong to them), so that short or mixed text is not sent off to a stray language — unless the
 * text is clearly in another language (at least OUTSIDE_MIN_CHARS long, its top guess at least OUTSIDE_MIN, the
 * assembly's languages together below INSIDE_MAX): then that language is reported, so callers flag the text as unsupported instead of translating German
 * as if it were French.
 */
import path from 'node:path';
import type { BackendDescriptor, LanguageGuess, LanguageId, ModelsConfig, Result } from '../types.js';
import { ModelError } from '../types.js';
import { makeProvenance, packageDir, packageVersion, sha256File, Semaphore, withParams, yieldToLoop } from '../util.js';

const PKG = 'fasttext.wasm.js';
const FIX = `npm install --save ${PKG}@1.0.0`;
const TOP_K = 20;
const OUTSIDE_MIN = 0.9;
const INSIDE_MAX = 0.1;
/** a word or two ("non", "ok") is too little evidence of another language */
const OUTSIDE_MIN_CHARS = 12;
const CHUNK = 200;

function modelFile(): string | null {
  const dir = packageDir(PKG);
  return dir ? path.join(dir, 'dist', 'fastText', 'models', 'lid.176.ftz') : null;
}

interface RawResult {
  alpha2: string | null;
  alpha3: string;
  possibility: number;
}
interface LidModel {
  load(): Promise<unknown>;
  identify(text: string, top: number): Promise<RawResult[]>;
}

export async function createFastTextLanguageId(cfg: ModelsConfig): Promise<LanguageId> {
  let mod: { getLIDModel: () => Promise<LidModel> };
  try {
    mod = (await import(PKG)) as unknown as typeof mod;
  } catch (e) {
    throw new ModelError('MISSING_BACKEND', `language id needs the npm package ${PKG}: ${(e as Error).message}`, FIX);
  }
  const lid = await mod.getLIDModel();
  await lid.load();
  const file = modelFile();
  const sha = file ? await sha256File(file) : null;
  const restrict = cfg.languages.map((l) => l.toLowerCase());
  const provenance = makeProvenance('languageId', 'fasttext-wasm', 'lid.176.ftz', packageVersion(PKG), sha, {
    restrictTo: restrict.length ? restrict : null,
    topK: TOP_K,
    outsideMin: OUTSIDE_MIN,
    insideMax: INSIDE_MAX,
  });
  const sem = new Semaphore(1);

  async function identifyOne(text: string): Promise<LanguageGuess> {
    const clean = text.replace(/\s+/g, ' ').trim();
    if (!clean) return { lang: 'und', confidence: 0 };
    const top = await lid.identify(clean, TOP_K);
    const guesses = top.map((r) => ({ lang: r.alpha2 ?? r.alpha3, p: r.possibility }));
    if (restrict.length === 0) {
      const g = guesses[0];
      return g ? { lang: g.lang, confidence: clamp01(g.p) } : { lang: 'und', confidence: 0 };
    }
    const inSet = guesses.filter((g) => restrict.includes(g.lang));
    const total = inSet.reduce((s, g) => s + g.p, 0);
    const best = guesses[0];
    if (best && clean.length >= OUTSIDE_MIN_CHARS && !restrict.includes(best.lang) && best.p >= OUTSIDE_MIN && total < INSIDE_MAX) {
      return { lang: best.lang, confidence: clamp01(best.p) }; // clearly another language: the caller flags it
    }
    if (inSet.length === 0 || total <= 0) {
      // none of the assembly's languages in the top-k: report the first configured language with 0 confidence
      return { lang: restrict[0], confidence: 0 };
    }
    return { lang: inSet[0].lang, confidence: clamp01(inSet[0].p / total) };
  }

  return {
    provenance,
    async identify(texts: string[]): Promise<Result<LanguageGuess[]>> {
      return sem.run(async () => {
        const output: LanguageGuess[] = [];
        for (let i = 0; i < texts.length; i++) {
          output.push(await identifyOne(texts[i]));
          if ((i + 1) % CHUNK === 0) await yieldToLoop();
        }
        return { output, provenance: withParams(provenance, { count: texts.length }) };
      });
    },
    async close() {
      /* wasm memory is released with the module */
    },
  };
}

function clamp01(x: number): number {
  return Math.max(0, Math.min(1, x));
}

export const fastTextLanguageId: BackendDescriptor<'languageId'> = {
  task: 'languageId',
  backend: 'fasttext-wasm',
  modelId: 'lid.176.ftz',
  tier: 'offline',
  rank: 10,
  async probe() {
    const file = modelFile();
    if (!file) return { available: false, reason: `npm package ${PKG} is not installed`, fix: FIX };
    return { available: true };
  },
  create: createFastTextLanguageId,
};
