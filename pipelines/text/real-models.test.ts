/**
 * The text map with the REAL offline models through the registry (fastText language id, Apertium fr→en,
 * USE-lite embeddings, VADER, centroid stance): 42 fixture contributions, a few seconds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../models/registry.js';
import { buildTextMap } from './build.js';
import { loadTextMapFixture } from './fixture.js';
import { verifyCitations } from '../summaries/index.js';

const fx = loadTextMapFixture();
const registry = createRegistry({ modelsDir: 'models-dir', prefer: {}, threads: 1, languages: ['en', 'fr'] }, { skipAudio: true });
afterAll(() => registry.close());

describe('buildTextMap with the real offline models', () => {
  it('identifies, translates, embeds and clusters the fixture by topic, with valid citations', async () => {
    const deps = {
      languageId: await registry.get('languageId'),
      translator: await registry.get('translator'),
      embedder: await registry.get('embedder'),
      sentiment: await registry.get('sentiment'),
      stance: await registry.get('stance'),
    };
    const map = await buildTextMap({ contributions: fx.contributions.map((c) => ({ id: c.id, text: c.text })) }, deps, { seed: 3, mode: 'semantic', k: 3 });
    const french = fx.contributions.filter((c) => c.lang === 'fr').map((c) => c.id);
    const byId = new Map(map.contributions.map((c) => [c.id, c]));
    const frDetected = french.filter((id) => byId.get(id)!.lang === 'fr');
    expect(frDetected.length).toBeGreaterThanOrEqual(french.length - 2);
    for (const id of frDetected) {
      expect(byId.get(id)!.translated).toBe(true);
      expect(byId.get(id)!.pivotText).not.toBe(byId.get(id)!.text);
    }
    // purity against the hand-made topics
    const topic = new Map(fx.contributions.map((c) => [c.id, c.topic]));
    let agree = 0;
    for (const cl of map.clusters.filter((c) => c.level === 1)) {
      const counts = new Map<string, number>();
      for (const id of cl.memberIds) counts.set(topic.get(id)!, (counts.get(topic.get(id)!) ?? 0) + 1);
      agree += Math.max(...counts.values());
    }
    expect(agree / map.contributions.length).toBeGreaterThanOrEqual(0.85);
    expect(verifyCitations(map).ok).toBe(true);
    const embed = map.provenance.find((p) => p.stage === 'embed')!;
    expect(embed.weightsSha256[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(map.provenance.find((p) => p.stage === 'translate')!.modelIds[0]).toMatch(/apertium/);
    expect(map.clusters.every((c) => c.sentiment !== null && c.stance !== null)).toBe(true);
  });
});
