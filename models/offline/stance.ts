/**
 * Few-shot stance over sentence embeddings: nearest centroid. Each label's examples are embedded
 * (cached by text), averaged and normalised; a text gets the label of the most similar centroid, with
 * scores = softmax(cosine / temperature) over labels. Works with whichever Embedder the registry chose;
 * callers translate non-English text first when the embedder is English-only.
 */
import type { Embedder, Result, Stance, StanceExample, StanceResult } from '../types.js';
import { ModelError } from '../types.js';
import { cosine, makeProvenance, normalize, withParams } from '../util.js';

const TEMPERATURE = 0.05;
const CACHE_MAX = 5000;

export function createCentroidStance(embedder: Embedder): Stance {
  const cache = new Map<string, Float32Array>();
  const provenance = makeProvenance(
    'stance',
    'centroid-embeddings',
    `nearest-centroid over ${embedder.provenance.modelId}`,
    '1',
    embedder.provenance.weightsSha256,
    { method: 'nearest-centroid', temperature: TEMPERATURE, embedder: embedder.provenance.backend },
  );

  async function embedCached(texts: string[]): Promise<Float32Array[]> {
    const todo = [...new Set(texts.filter((t) => !cache.has(t)))];
    if (todo.length) {
      const { output } = await embedder.embed(todo);
      todo.forEach((t, i) => {
        if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
        cache.set(t, normalize(output[i]));
      });
    }
    return texts.map((t) => cache.get(t)!);
  }

  return {
    provenance,
    async classify(texts: string[], examples: StanceExample[]): Promise<Result<StanceResult[]>> {
      const labels = [...new Set(examples.map((e) => e.label))];
      if (labels.length < 2) throw new ModelError('BAD_INPUT', 'stance needs examples for at least two labels');
      const exVecs = await embedCached(examples.map((e) => e.text));
      const centroids = labels.map((label) => {
        const c = new Float32Array(embedder.dimensions);
        examples.forEach((e, i) => {
          if (e.label !== label) return;
          for (let d = 0; d < c.length; d++) c[d] += exVecs[i][d];
        });
        return normalize(c);
      });
      const { output: raw } = texts.length ? await embedder.embed(texts) : { output: [] as Float32Array[] };
      const output = raw.map((v) => {
        const sims = centroids.map((c) => cosine(v, c));
        const max = Math.max(...sims);
        const exps = sims.map((s) => Math.exp((s - max) / TEMPERATURE));
        const z = exps.reduce((a, b) => a + b, 0);
        const scores: Record<string, number> = {};
        labels.forEach((l, i) => (scores[l] = exps[i] / z));
        return { label: labels[sims.indexOf(max)], scores };
      });
      return { output, provenance: withParams(provenance, { labels, examples: examples.length, count: texts.length }) };
    },
  };
}
