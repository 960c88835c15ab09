import { describe, expect, it } from 'vitest';
import { buildTextMap } from './build.js';
import { defaultKMax, defaultKMin } from './cluster.js';
import { seededRandom } from './util.js';
import { adjustedRandIndex } from '../../evals/topics/metrics.js';

/** n texts over `topics` generated topics: each text draws 7 words from its topic's 10 and 2 from a shared pool. */
function corpus(topics: number, perTopic: number, seed: number) {
  const rand = seededRandom(seed);
  const syll = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'ze', 'pi', 'so', 'du', 'fe'];
  const word = () => Array.from({ length: 3 }, () => syll[Math.floor(rand() * syll.length)]).join('');
  const vocab = Array.from({ length: topics }, () => Array.from({ length: 10 }, word));
  const shared = Array.from({ length: 20 }, word);
  const out: Array<{ id: string; text: string; topic: number }> = [];
  for (let t = 0; t < topics; t++) {
    for (let i = 0; i < perTopic; i++) {
      const words = [...Array.from({ length: 7 }, () => vocab[t][Math.floor(rand() * 10)]), ...Array.from({ length: 2 }, () => shared[Math.floor(rand() * 20)])];
      out.push({ id: `t${t}-${i}`, text: words.join(' '), topic: t });
    }
  }
  return out;
}

describe('choosing k', () => {
  it('bounds grow with n: the floor keeps maps from collapsing to 2–3 clusters', () => {
    expect([20, 100, 600, 1000, 100_000].map((n) => defaultKMin(n))).toEqual([2, 4, 9, 12, 12]);
    expect([20, 100, 600, 1000, 100_000].map((n) => defaultKMax(n))).toEqual([3, 7, 17, 22, 30]);
    expect(defaultKMin(10, 2)).toBe(2);
  });

  it('finds the number of generated topics (6 topics × 20 texts, lexical mode), and obeys a k given', async () => {
    const c = corpus(6, 20, 3);
    const map = await buildTextMap({ contributions: c.map(({ id, text }) => ({ id, text, lang: 'en' })) }, {}, { mode: 'lexical', seed: 5, subtopicMinSize: 0 });
    const top = map.clusters.filter((x) => x.level === 1);
    const label = new Map(top.flatMap((x) => x.memberIds.map((id) => [id, x.id] as const)));
    expect(top).toHaveLength(6);
    expect(adjustedRandIndex(c.map((x) => x.topic), c.map((x) => label.get(x.id)!))).toBeGreaterThan(0.9);
    const cl = map.provenance.find((p) => p.stage === 'cluster')!;
    expect(cl.params).toMatchObject({ kMin: defaultKMin(120), kMax: defaultKMax(120), k: 6 });
    const fixed = await buildTextMap({ contributions: c.map(({ id, text }) => ({ id, text, lang: 'en' })) }, {}, { mode: 'lexical', seed: 5, subtopicMinSize: 0, k: 9, clusterSpace: 'embedding', umapSample: 60 });
    expect(fixed.clusters.filter((x) => x.level === 1)).toHaveLength(9);
  });
});
