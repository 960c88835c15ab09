/**
 * Sentiment with VADER (npm `vader-sentiment`, lexicon + rules, English). Compound polarity in [-1, 1].
 * Cheap (thousands of sentences a second): runs on the main thread in chunks, yielding between chunks.
 * French and other languages: callers translate to English first (`languages` is ['en']).
 */
import type { BackendDescriptor, Result, Sentiment } from '../types.js';
import { ModelError } from '../types.js';
import { makeProvenance, packageDir, packageVersion, withParams, yieldToLoop } from '../util.js';

const PKG = 'vader-sentiment';
const FIX = `npm install --save ${PKG}@1.1.3`;
const CHUNK = 500;

interface Vader {
  SentimentIntensityAnalyzer: { polarity_scores(t: string): { compound: number } };
}

export async function createVaderSentiment(): Promise<Sentiment> {
  let vader: Vader;
  try {
    const mod = (await import(PKG)) as unknown as { default?: Vader } & Vader;
    vader = mod.default ?? mod;
  } catch (e) {
    throw new ModelError('MISSING_BACKEND', `sentiment needs the npm package ${PKG}: ${(e as Error).message}`, FIX);
  }
  const provenance = makeProvenance('sentiment', 'vader', 'vader-lexicon', packageVersion(PKG), null, { score: 'compound' });
  return {
    provenance,
    languages: ['en'],
    async score(texts: string[]): Promise<Result<number[]>> {
      const output: number[] = [];
      for (let i = 0; i < texts.length; i++) {
        const t = texts[i].trim();
        output.push(t ? vader.SentimentIntensityAnalyzer.polarity_scores(t).compound : 0);
        if ((i + 1) % CHUNK === 0) await yieldToLoop();
      }
      return { output, provenance: withParams(provenance, { count: texts.length }) };
    },
  };
}

export const vaderSentiment: BackendDescriptor<'sentiment'> = {
  task: 'sentiment',
  backend: 'vader',
  modelId: 'vader-lexicon',
  tier: 'offline',
  rank: 10,
  async probe() {
    return packageDir(PKG) ? { available: true } : { available: false, reason: `npm ${PKG} not installed`, fix: FIX };
  },
  create: () => createVaderSentiment(),
};
