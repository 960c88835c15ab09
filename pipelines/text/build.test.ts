import { describe, expect, it } from 'vitest';
import { buildTextMap } from './build.js';
import { memoryTextMapCache } from './cache.js';
import { loadTextMapFixture } from './fixture.js';
import { fakeEmbedder, fakeLanguageId, fakeSentiment, fakeStance, fakeTranslator } from './testing.js';
import { verifyCitations } from '../summaries/index.js';
import { TextMapError } from './types.js';
import type { TextMap } from './types.js';

const fx = loadTextMapFixture();
const input = { contributions: fx.contributions.map((c) => ({ id: c.id, text: c.text })) };
const topicOf = new Map(fx.contributions.map((c) => [c.id, c.topic]));
const deps = () => ({
  languageId: fakeLanguageId(),
  translator: fakeTranslator(fx.translations),
  sentiment: fakeSentiment(),
  stance: fakeStance(),
});

function purity(map: TextMap): number {
  let s = 0;
  for (const cl of map.clusters.filter((c) => c.level === 1)) {
    const counts = new Map<string, number>();
    for (const id of cl.memberIds) counts.set(topicOf.get(id)!, (counts.get(topicOf.get(id)!) ?? 0) + 1);
    s += Math.max(...counts.values());
  }
  return s / map.contributions.length;
}

describe('buildTextMap, lexical mode end to end (fixture: 42 contributions, 3 topics, en + fr)', async () => {
  const progress: number[] = [];
  const map = await buildTextMap(input, deps(), { seed: 7, mode: 'lexical', k: 3, onProgress: (f) => progress.push(f) });

  it('recovers the three topics with k = 3: every cluster holds exactly one topic', () => {
    expect(map.clusters.filter((c) => c.level === 1).length).toBe(3);
    expect(purity(map)).toBe(1);
  });
  it('with k by silhouette, keeps the school-food topic together and apart', async () => {
    const auto = await buildTextMap(input, deps(), { seed: 7, mode: 'lexical' });
    const foodIds = fx.contributions.filter((c) => c.topic === 'food').map((c) => c.id).sort();
    expect(auto.clusters.length).toBeGreaterThanOrEqual(2);
    expect(auto.clusters.some((c) => [...c.memberIds].sort().join() === foodIds.join())).toBe(true);
  });
  it('detects French, translates it through the translator and keeps the original text', () => {
    const t10 = map.contributions.find((c) => c.id === 't10')!;
    expect(t10).toMatchObject({ lang: 'fr', translated: true, text: fx.contributions.find((c) => c.id === 't10')!.text, pivotText: 'We need more buses in the evening and protected cycle lanes.' });
    expect(map.contributions.filter((c) => c.translated).length).toBe(fx.contributions.filter((c) => c.lang === 'fr').length);
  });
  it('groups the near-duplicate t09 with t01 and gives it the same place', () => {
    const t09 = map.contributions.find((c) => c.id === 't09')!;
    const t01 = map.contributions.find((c) => c.id === 't01')!;
    expect(t09.duplicateOf).toBe('t01');
    expect([t09.cluster, t09.x, t09.y]).toEqual([t01.cluster, t01.x, t01.y]);
  });
  it('labels clusters with their distinctive keywords', () => {
    const kw = (topic: string) => {
      const cl = map.clusters.find((c) => c.level === 1 && topicOf.get(c.memberIds[0]) === topic)!;
      return cl.keywords.map((k) => k.term);
    };
    expect(kw('food').some((t) => ['canteen', 'school', 'food', 'meal'].includes(t))).toBe(true);
    expect(kw('parks').some((t) => ['park', 'tree'].includes(t))).toBe(true);
    expect(kw('transport').some((t) => ['bus', 'cycle', 'bike', 'lane'].includes(t))).toBe(true);
  });
  it('quotes key statements verbatim in the language they were written in, never the pivot translation', () => {
    const original = new Map(fx.contributions.map((c) => [c.id, c]));
    const statements = map.clusters.flatMap((c) => c.keyStatements);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      const c = original.get(s.contributionId!)!;
      expect(s.text).toBe(c.text);
      expect(s.lang).toBe(c.lang);
    }
    expect(statements.some((s) => s.lang === 'fr')).toBe(true);
  });
  it('labels each cluster per language from the originals of that language', () => {
    const fr = new Set(fx.contributions.filter((c) => c.lang === 'fr').map((c) => c.id));
    const withFrench = map.clusters.filter((c) => c.level === 1 && c.memberIds.some((id) => fr.has(id)));
    expect(withFrench.length).toBeGreaterThan(0);
    for (const cl of withFrench) {
      const frenchText = cl.memberIds.filter((id) => fr.has(id)).map((id) => fx.contributions.find((c) => c.id === id)!.text.toLowerCase()).join(' ');
      const kws = cl.keywordsByLang.fr;
      expect(kws.length).toBeGreaterThan(0);
      // every French keyword is words of the French originals (not of their English translation)
      for (const k of kws) for (const w of k.term.split(' ')) expect(frenchText).toContain(w.slice(0, Math.max(3, w.length - 1)));
    }
    for (const cl of map.clusters.filter((c) => c.level === 1 && !c.memberIds.some((id) => fr.has(id)))) expect(cl.keywordsByLang.fr).toBeUndefined();
  });
  it('cites only members of the cluster in every key statement (100 %)', () => {
    const r = verifyCitations(map);
    expect(r.ok).toBe(true);
    expect(r.statements).toBeGreaterThanOrEqual(3);
    for (const cl of map.clusters) expect(new Set(cl.keyStatements.flatMap((s) => s.sourceIds))).toEqual(new Set(cl.memberIds));
  });
  it('reports sentiment and stance distributions per cluster', () => {
    for (const cl of map.clusters) {
      expect(cl.sentiment!.positive + cl.sentiment!.neutral + cl.sentiment!.negative).toBe(cl.sentiment!.n);
      expect(Object.values(cl.stance!.counts).reduce((a, b) => a + b, 0)).toBe(cl.stance!.n);
    }
  });
  it('carries provenance for every stage and reports monotone progress up to 1', () => {
    expect(map.provenance.map((p) => p.stage)).toEqual(['normalise', 'language', 'translate', 'embed', 'cluster', 'reduce', 'label', 'polarity', 'summaries', 'consensus']);
    for (const p of map.provenance) expect(p.inputHash).toMatch(/^[0-9a-f]{64}$/);
    expect(map.provenance.find((p) => p.stage === 'translate')!.modelIds).toEqual(['fake:fake-table@0']);
    expect(progress.every((f, i) => i === 0 || f >= progress[i - 1])).toBe(true);
    expect(progress.at(-1)).toBe(1);
  });
  it('is deterministic: same input and seed → the same map', async () => {
    const again = await buildTextMap(input, deps(), { seed: 7, mode: 'lexical', k: 3 });
    const strip = (m: TextMap) => JSON.stringify({ ...m, stats: Object.fromEntries(Object.entries(m.stats).filter(([k]) => !k.startsWith('ms_'))) });
    expect(strip(again)).toBe(strip(map));
  });
});

describe('buildTextMap, semantic mode and caching', () => {
  it('reuses cached embeddings and translations on a rerun with new contributions', async () => {
    const cache = memoryTextMapCache();
    const d1 = { ...deps(), embedder: fakeEmbedder(), cache };
    await buildTextMap(input, d1, { seed: 1, mode: 'semantic' });
    expect(d1.embedder.texts).toBe(new Set(fx.contributions.map((c) => c.en ?? c.text).filter((t, i, a) => i === a.indexOf(t) && t !== fx.contributions[8].text)).size);
    const d2 = { ...deps(), embedder: fakeEmbedder(), cache };
    const more = { contributions: [...input.contributions, { id: 'n1', text: 'Les bus de nuit sont une bonne idée.' }, { id: 'n2', text: 'Benches in the park are broken.' }] };
    const map = await buildTextMap(more, d2, { seed: 1, mode: 'semantic' });
    expect(d2.embedder.texts).toBe(2);
    expect(d2.translator.texts).toBe(1);
    expect(map.stats.embeddingCacheHits).toBe(41);
    expect(map.stats.translationCacheHits).toBe(17);
    expect(verifyCitations(map).ok).toBe(true);
  });
  it('embeds each distinct text once: exact and near-duplicates, and translations that coincide, share one vector', async () => {
    const base = input.contributions.slice(0, 20);
    const en = base.find((c) => !/[éèà]| les | des /.test(c.text))!;
    const withDups = {
      contributions: [
        ...base,
        { id: 'exact', text: en.text },
        { id: 'case', text: `  ${en.text.toUpperCase()}!! ` },
        { id: 'near', text: `${en.text} yes` },
        { id: 'tr1', text: 'Le parc est fermé.' },
        { id: 'tr2', text: 'Le jardin est fermé.' },
      ],
    };
    const d = { ...deps(), translator: fakeTranslator({ ...fx.translations, 'Le parc est fermé.': 'The park is closed.', 'Le jardin est fermé.': 'The park is closed.' }), embedder: fakeEmbedder(), stance: undefined };
    const map = await buildTextMap(withDups, d, { seed: 1, mode: 'semantic' });
    const pivots = new Set(map.contributions.filter((c) => c.duplicateOf === null).map((c) => c.pivotText));
    expect(map.contributions.find((c) => c.id === 'exact')!.duplicateOf).toBe(en.id);
    expect(map.contributions.find((c) => c.id === 'case')!.duplicateOf).toBe(en.id);
    expect(d.embedder.texts).toBe(pivots.size);
    expect(d.embedder.texts).toBeLessThan(map.contributions.filter((c) => c.duplicateOf === null).length);
  });
});

describe('buildTextMap, bad input', () => {
  it('fails before any model call on an empty or enormous contribution, naming them', async () => {
    const d = deps();
    const bad = { contributions: [...input.contributions, { id: 'empty', text: '   ' }, { id: 'huge', text: 'a'.repeat(20_000) }] };
    await expect(buildTextMap(bad, d, { mode: 'lexical' })).rejects.toMatchObject({ name: 'TextMapError', ids: ['empty', 'huge'] });
    expect((d.languageId as unknown as { calls: number }).calls).toBe(0);
  });
  it('rejects a missing contributions field and a semantic run without an embedder', async () => {
    await expect(buildTextMap({} as never, deps())).rejects.toMatchObject({ code: 'MISSING_FIELD' });
    await expect(buildTextMap(input, deps(), { mode: 'semantic' })).rejects.toMatchObject({ code: 'MISSING_MODEL' });
  });
  it('flags and keeps unsupported languages and broken encodings', async () => {
    const more = { contributions: [...input.contributions, { id: 'ja', text: '公園にもっと木を植えてください' }, { id: 'enc', text: 'Le caf\uFFFD de la gare est fermé, il faut des bus' }] };
    const map = await buildTextMap(more, deps(), { mode: 'lexical', seed: 2 });
    // no ja→en pair: set apart (kept, flagged, untranslated), in no cluster
    expect(map.contributions.find((c) => c.id === 'ja')).toBeUndefined();
    expect(map.apart).toEqual([{ id: 'ja', text: '公園にもっと木を植えてください', lang: 'ja', langConfidence: 0.95, flags: ['unsupported-language'], duplicateOf: null }]);
    expect(map.clusters.some((c) => c.memberIds.includes('ja'))).toBe(false);
    expect(map.stats.unsupported).toBe(1);
    expect(map.contributions.find((c) => c.id === 'enc')!.flags).toContain('broken-encoding');
    expect(map.contributions).toHaveLength(more.contributions.length - 1);
  });
  it('never translates a language outside opts.languages, even with a translation pair: flagged and set apart', async () => {
    const d = deps();
    const detected = (await fakeLanguageId().identify(input.contributions.map((c) => c.text))).output.map((g) => g.lang);
    const french = input.contributions.filter((_, i) => detected[i] === 'fr').map((c) => c.id);
    const dup = { id: 'fr-dup', text: input.contributions.find((c) => c.id === french[0])!.text };
    const map = await buildTextMap({ contributions: [...input.contributions, dup] }, d, { mode: 'lexical', seed: 2, languages: ['en'] });
    expect(french.length).toBeGreaterThan(3);
    expect((d.translator as unknown as { texts: number }).texts).toBe(0);
    expect(map.stats.translated).toBe(0);
    expect(map.apart.map((a) => a.id).sort()).toEqual([...french, 'fr-dup'].sort());
    expect(map.apart.every((a) => a.flags.includes('unsupported-language') && a.lang === 'fr')).toBe(true);
    expect(map.apart.find((a) => a.id === 'fr-dup')!.duplicateOf).not.toBeNull();
    expect(map.contributions.every((c) => c.lang === 'en' && !c.translated)).toBe(true);
    expect(map.clusters.flatMap((c) => (c.level === 1 ? c.memberIds : [])).sort()).toEqual(map.contributions.map((c) => c.id).sort());
    expect(verifyCitations(map).ok).toBe(true);
    // with French allowed, the same input is translated and mapped whole
    const all = await buildTextMap({ contributions: [...input.contributions, dup] }, deps(), { mode: 'lexical', seed: 2, languages: ['en', 'fr'] });
    expect(all.apart).toEqual([]);
    expect(all.stats.translated).toBeGreaterThan(3);
    // nothing left to map: a clear error naming them
    await expect(buildTextMap({ contributions: input.contributions.filter((c) => french.includes(c.id)) }, deps(), { mode: 'lexical', languages: ['en'] })).rejects.toMatchObject({ code: 'EMPTY_INPUT' });
  });
  it('handles tiny inputs (1 and 3 contributions) without models', async () => {
    const one = await buildTextMap({ contributions: [{ id: 'a', text: 'hello world' }] }, {}, { mode: 'lexical' });
    expect(one.clusters.map((c) => c.memberIds)).toEqual([['a']]);
    const three = await buildTextMap({ contributions: [{ id: 'a', text: 'buses at night' }, { id: 'b', text: 'trees in parks' }, { id: 'c', text: 'school meals' }] }, {}, { mode: 'lexical' });
    expect(three.clusters.flatMap((c) => c.memberIds).sort()).toEqual(['a', 'b', 'c']);
    expect(verifyCitations(three).ok).toBe(true);
    expect(three.contributions.every((c) => c.flags.includes('uncertain-language'))).toBe(true);
  });
  it('stops with ABORTED when the signal fires', async () => {
    const ac = new AbortController();
    const p = buildTextMap(input, deps(), { mode: 'lexical', signal: ac.signal, onProgress: (f) => f > 0.3 && ac.abort() });
    await expect(p).rejects.toBeInstanceOf(TextMapError);
    await expect(p).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
