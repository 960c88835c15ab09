import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from './registry.js';
import type { BackendDescriptor, ModelRegistry, ModelsConfig, Provenance } from './types.js';
import { ModelError } from './types.js';
import { cosine } from './util.js';

const fx = JSON.parse(readFileSync(new URL('../fixtures/text/assembly-fr-en.json', import.meta.url), 'utf8'));
const pairs: Array<[string, string]> = readFileSync(new URL('../fixtures/text/tatoeba-fr-en-40.tsv', import.meta.url), 'utf8')
  .trimEnd()
  .split('\n')
  .map((l) => l.split('\t') as [string, string]);

const cfg: ModelsConfig = { modelsDir: '/nonexistent-models-dir', prefer: {}, threads: 2, languages: [] };

function expectProvenance(p: Provenance, task: string, backend: string) {
  expect(p.task).toBe(task);
  expect(p.backend).toBe(backend);
  expect(p.modelId).toBeTruthy();
  expect(p.version).toBeTruthy();
  expect(p.params).toBeTypeOf('object');
}

describe('offline tier through the registry', () => {
  let reg: ModelRegistry;
  beforeAll(() => {
    reg = createRegistry(cfg, { skipAudio: true });
  });
  afterAll(() => reg.close());

  it('identifies French and English', async () => {
    const lid = await reg.get('languageId');
    expect(await reg.get('languageId')).toBe(lid); // loaded once, shared
    const items: Array<[string, string]> = fx.languageId;
    const r = await lid.identify(items.map((x) => x[0]));
    const correct = r.output.filter((g, i) => g.lang === items[i][1]).length;
    expect(correct).toBeGreaterThanOrEqual(items.length - 1);
    expectProvenance(r.provenance, 'languageId', 'fasttext-wasm');
    expect(r.provenance.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    // Tatoeba French side
    const fr = await lid.identify(pairs.map((p) => p[0]));
    expect(fr.output.filter((g) => g.lang === 'fr').length).toBeGreaterThanOrEqual(36);
  });

  it('restricts language id to the assembly languages', async () => {
    const r2 = createRegistry({ ...cfg, languages: ['fr', 'en'] }, { skipAudio: true });
    try {
      const lid = await r2.get('languageId');
      // short or ambiguous text stays within the configured languages…
      const short = await lid.identify(['ok', 'non', 'Ja', 'Bus gratuit', 'Free buses']);
      for (const g of short.output) expect(['fr', 'en']).toContain(g.lang);
      expect(short.output.map((g) => g.lang).slice(3)).toEqual(['fr', 'en']);
      // …but text clearly in another language is reported as such, so callers flag it as unsupported (not translated)
      const other = await lid.identify(['Hola, ¿cómo estás? Muy bien, gracias.', 'Buongiorno a tutti quanti.', 'Der öffentliche Verkehr sollte kostenlos sein.']);
      expect(other.output.map((g) => g.lang)).toEqual(['es', 'it', 'de']);
      for (const g of other.output) expect(g.confidence).toBeGreaterThanOrEqual(0.9);
      expect(other.provenance.params.restrictTo).toEqual(['fr', 'en']);
    } finally {
      await r2.close();
    }
  });

  it('embeds English with 512-d vectors; paraphrases are closer than non-paraphrases', async () => {
    const emb = await reg.get('embedder');
    expect(emb.dimensions).toBe(512);
    expect(emb.languages).toEqual(['en']);
    const en = pairs.slice(0, 10).map((p) => p[1]);
    const r = await emb.embed(['Public transport should be free for young people.', 'Buses and trains ought to cost nothing for the youth.', ...en]);
    expect(r.output).toHaveLength(12);
    for (const v of r.output) expect(v).toHaveLength(512);
    const para = cosine(r.output[0], r.output[1]);
    const others = r.output.slice(2).map((v) => cosine(r.output[0], v));
    expect(para).toBeGreaterThan(Math.max(...others));
    expectProvenance(r.provenance, 'embedder', 'use-lite-onnx');
    expect(r.provenance.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    // same text, same vector, whatever the batch it is in (length-sorted batches restored to input order)
    const again = await emb.embed([en[3], 'x', en[0]]);
    expect(cosine(again.output[0], r.output[5])).toBeCloseTo(1, 5);
    expect(cosine(again.output[2], r.output[2])).toBeCloseTo(1, 5);
  });

  it('translates fr→en and en→fr with sentence splitting and protected spans', async () => {
    const tr = await reg.get('translator');
    expect(tr.provenance.backend).toBe('apertium');
    expect(tr.pairs).toEqual(expect.arrayContaining([['fr', 'en'], ['en', 'fr']]));
    const fr = pairs.slice(0, 10).map((p) => p[0]);
    const r = await tr.translate(fr, 'fr', 'en');
    expect(r.output).toHaveLength(10);
    expect(r.output[0].toLowerCase()).toContain('god');
    expectProvenance(r.provenance, 'translator', 'apertium');
    expect(r.provenance.params).toMatchObject({ from: 'fr', to: 'en' });
    // every sentence's output comes from one installed pivot (one pivot when only the Spanish pairs are installed)
    const pivots = (r.provenance.params.pivots as Record<string, string[]>)['fr>en'];
    const chosen = r.provenance.params.chosenPivots as Record<string, number>;
    expect(Object.values(chosen).reduce((a, b) => a + b, 0)).toBe(10);
    for (const p of Object.keys(chosen)) expect(pivots).toContain(p);
    for (const o of r.output) expect(o).not.toMatch(/(^|\s)[*#@]\p{L}/u);

    const ms = (await tr.translate([fx.multiSentence.fr], 'fr', 'en')).output[0];
    expect(ms.split(/(?<=[.!?])\s+/)).toHaveLength(fx.multiSentence.sentences);

    for (const p of fx.protected as Array<{ fr: string; names: string[]; keep: string[] }>) {
      const out = (await tr.translate([p.fr], 'fr', 'en', { protectedNames: p.names })).output[0];
      for (const k of p.keep) expect(out).toContain(k);
      expect(out).not.toMatch(/ZQX\d+Z/i);
    }
    const back = await tr.translate(['The meeting starts at nine. Everyone may speak.'], 'en', 'fr');
    expect(back.output[0]).toMatch(/réunion|rencontre/i);
    await expect(tr.translate(['hola'], 'es', 'en')).rejects.toMatchObject({ code: 'UNSUPPORTED_LANGUAGE' });
  }, 300_000);

  it('keeps the plain Apertium chain as a separate backend', async () => {
    const r2 = createRegistry({ ...cfg, prefer: { translator: 'apertium-plain' } }, { skipAudio: true });
    try {
      const tr = await r2.get('translator');
      expect(tr.provenance.backend).toBe('apertium-plain');
      const p = fx.protected[1];
      const out = (await tr.translate([p.fr], 'fr', 'en')).output[0];
      expect(out).not.toContain('@marie'); // the plain chain translates the mention (that is what the enhanced one fixes)
    } finally {
      await r2.close();
    }
  });

  it('summarises with sentence-level citations, merging near-duplicates across documents', async () => {
    const sum = await reg.get('summarizer');
    expect(sum.provenance.backend).toBe('centroid-mmr');
    const docs: Array<{ id: string; text: string }> = fx.summaryDocs;
    const r = await sum.summarize(docs, { maxSentences: 4 });
    expect(r.output.length).toBeGreaterThan(0);
    expect(r.output.length).toBeLessThanOrEqual(4);
    const allSentences = docs.map((d) => d.text).join(' ');
    for (const s of r.output) {
      expect(s.sourceIds.length).toBeGreaterThan(0);
      expect(allSentences).toContain(s.text);
      // the first id is the document the sentence comes from
      expect(docs.find((d) => d.id === s.sourceIds[0])!.text).toContain(s.text);
    }
    // the bus sentence appears (near-)verbatim in c1 and c3: if chosen it must cite both
    const bus = r.output.find((s) => /every ten minutes/.test(s.text));
    if (bus) expect(new Set(bus.sourceIds)).toEqual(new Set(['c1', 'c3']));
    // no two picked sentences are the near-duplicate pair
    expect(r.output.filter((s) => /every ten minutes/.test(s.text)).length).toBeLessThanOrEqual(1);
    expectProvenance(r.provenance, 'summarizer', 'centroid-mmr');
    // a sentence repeated in three documents is central and must be picked and cite all three
    const rep = await sum.summarize(
      [
        { id: 'a', text: 'Buses should be free for everyone in town. I also like parks.' },
        { id: 'b', text: 'Buses should be free for everyone in town! Taxes are high.' },
        { id: 'c', text: 'Buses should be free for everyone in the town. Schools need repairs.' },
        { id: 'd', text: 'The library opens too late on Sundays.' },
      ],
      { maxSentences: 2 },
    );
    const top = rep.output.find((s) => /Buses should be free/.test(s.text));
    expect(top).toBeDefined();
    expect(new Set(top!.sourceIds)).toEqual(new Set(['a', 'b', 'c']));
  });

  it('summarises French by translating for the embedding only', async () => {
    const sum = await reg.get('summarizer');
    const r = await sum.summarize(
      [
        { id: 'f1', text: 'Les bus devraient passer toutes les dix minutes. Beaucoup de gens n’ont pas de voiture.' },
        { id: 'f2', text: 'La taxe carbone est injuste pour les habitants des campagnes.' },
      ],
      { maxSentences: 2, language: 'fr' },
    );
    expect(r.provenance.params.translatedVia).toBe('apertium');
    for (const s of r.output) expect(['Les bus', 'Beaucoup', 'La taxe'].some((w) => s.text.startsWith(w))).toBe(true);
  }, 300_000);

  it('has ots as a second summariser backend', async () => {
    const r2 = createRegistry({ ...cfg, prefer: { summarizer: 'ots' } }, { skipAudio: true });
    try {
      const sum = await r2.get('summarizer');
      const docs: Array<{ id: string; text: string }> = fx.summaryDocs;
      const r = await sum.summarize(docs, { maxSentences: 3, language: 'en' });
      expect(r.output.length).toBeGreaterThan(0);
      expect(r.output.length).toBeLessThanOrEqual(3);
      for (const s of r.output) {
        expect(s.sourceIds.length).toBeGreaterThan(0);
        for (const id of s.sourceIds) expect(docs.find((d) => d.id === id)!.text.replace(/\s+/g, ' ')).toContain(s.text.replace(/[.!?]$/, ''));
      }
      expectProvenance(r.provenance, 'summarizer', 'ots');
    } finally {
      await r2.close();
    }
  });

  it('scores sentiment', async () => {
    const s = await reg.get('sentiment');
    const r = await s.score([...fx.sentiment.positive, ...fx.sentiment.negative, '']);
    expect(r.output[0]).toBeGreaterThan(0.3);
    expect(r.output[1]).toBeGreaterThan(0.3);
    expect(r.output[2]).toBeLessThan(-0.3);
    expect(r.output[3]).toBeLessThan(-0.3);
    expect(r.output[4]).toBe(0);
    expectProvenance(r.provenance, 'sentiment', 'vader');
  });

  it('classifies stance few-shot over the embeddings', async () => {
    const st = await reg.get('stance');
    const examples = (fx.stance.examples as Array<[string, string]>).map(([text, label]) => ({ text, label }));
    const tests: Array<[string, string]> = fx.stance.tests;
    const r = await st.classify(tests.map((t) => t[0]), examples);
    const correct = r.output.filter((o, i) => o.label === tests[i][1]).length;
    expect(correct).toBeGreaterThanOrEqual(3);
    for (const o of r.output) {
      const total = Object.values(o.scores).reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(1, 5);
    }
    expectProvenance(r.provenance, 'stance', 'centroid-embeddings');
    await expect(st.classify(['x'], [{ text: 'a', label: 'only' }])).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('reports status for every backend and the system tools', async () => {
    const status = await reg.status();
    const chosen = (task: string) => status.find((s) => s.task === task && s.chosen)?.backend;
    expect(chosen('languageId')).toBe('fasttext-wasm');
    expect(chosen('embedder')).toBe('use-lite-onnx');
    // the TF.js runtime of the same model stays available as the fallback
    const tfjs = status.find((s) => s.task === 'embedder' && s.backend === 'use-lite-tfjs')!;
    expect(tfjs.available).toBe(true);
    expect(tfjs.chosen).toBe(false);
    expect(chosen('translator')).toBe('apertium');
    expect(chosen('summarizer')).toBe('centroid-mmr');
    const tf = status.find((s) => s.task === 'embedder' && s.backend === 'transformers.js')!;
    expect(tf.available).toBe(false);
    expect(tf.tier).toBe('production');
    expect(tf.reason).toBeTruthy();
    expect(tf.fix).toMatch(/models pull/);
    const plain = status.find((s) => s.backend === 'apertium-plain')!;
    expect(plain.available).toBe(true);
    expect(plain.chosen).toBe(false);
    const tools = await reg.tools();
    const ap = tools.find((t) => t.name === 'apertium')!;
    expect(ap.available).toBe(true);
    expect(ap.version).toMatch(/fr-es/);
    for (const name of ['ots', 'ffmpeg', 'pocketsphinx', 'espeak-ng']) expect(tools.map((t) => t.name)).toContain(name);
  });
});

describe('registry choice and missing backends', () => {
  const fake = (backend: string, rank: number, available: boolean, tier: 'offline' | 'production' = 'offline'): BackendDescriptor<'sentiment'> => ({
    task: 'sentiment',
    backend,
    modelId: `${backend}-model`,
    tier,
    rank,
    probe: async () => (available ? { available: true } : { available: false, reason: `${backend} not installed`, fix: `apt-get install -y ${backend}` }),
    create: async () => ({
      provenance: { task: 'sentiment', backend, modelId: `${backend}-model`, version: '1', weightsSha256: null, params: {} },
      languages: ['en'],
      score: async (t: string[]) => ({ output: t.map(() => 0), provenance: { task: 'sentiment', backend, modelId: 'm', version: '1', weightsSha256: null, params: {} } }),
    }),
  });

  it('picks the highest-ranked available backend, production before offline', async () => {
    const reg = createRegistry(cfg, { descriptors: [fake('low', 1, true), fake('prod', 100, true, 'production'), fake('gone', 1000, false)] });
    expect((await reg.get('sentiment')).provenance.backend).toBe('prod');
    const st = (await reg.status()).filter((s) => s.task === 'sentiment');
    expect(st.find((s) => s.backend === 'gone')).toMatchObject({ available: false, chosen: false, fix: 'apt-get install -y gone' });
    expect(st.find((s) => s.backend === 'low')!.reason).toMatch(/prod is preferred/);
  });

  it('honours cfg.prefer and fails (no silent fallback) when the preferred one is missing', async () => {
    const ok = createRegistry({ ...cfg, prefer: { sentiment: 'low' } }, { descriptors: [fake('low', 1, true), fake('prod', 100, true)] });
    expect((await ok.get('sentiment')).provenance.backend).toBe('low');
    const bad = createRegistry({ ...cfg, prefer: { sentiment: 'gone' } }, { descriptors: [fake('low', 1, true), fake('gone', 5, false)] });
    const err = await bad.get('sentiment').catch((e) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect(err.code).toBe('MISSING_BACKEND');
    expect(err.fix).toBe('apt-get install -y gone');
    const unknown = createRegistry({ ...cfg, prefer: { sentiment: 'nope' } }, { descriptors: [fake('low', 1, true)] });
    await expect(unknown.get('sentiment')).rejects.toMatchObject({ code: 'MISSING_BACKEND', message: expect.stringMatching(/not a known backend/) });
  });

  it('throws MISSING_BACKEND naming the package when nothing is available, and retries later', async () => {
    let installed = false;
    const d = fake('vaderish', 1, false);
    const flaky: BackendDescriptor<'sentiment'> = { ...d, probe: async () => (installed ? { available: true } : d.probe(cfg)) };
    const reg = createRegistry(cfg, { descriptors: [flaky] });
    const err = await reg.get('sentiment').catch((e) => e);
    expect(err).toMatchObject({ code: 'MISSING_BACKEND', fix: 'apt-get install -y vaderish' });
    expect(err.message).toMatch(/vaderish not installed/);
    installed = true;
    expect((await reg.get('sentiment')).provenance.backend).toBe('vaderish');
    await expect(reg.get('textGenerator')).rejects.toMatchObject({ code: 'MISSING_BACKEND' });
  });

  it('loads each task once even under concurrent get()', async () => {
    let creates = 0;
    const d = fake('once', 1, true);
    const counted: BackendDescriptor<'sentiment'> = { ...d, create: async (c) => (creates++, d.create(c)) };
    const reg = createRegistry(cfg, { descriptors: [counted] });
    const [a, b] = await Promise.all([reg.get('sentiment'), reg.get('sentiment')]);
    expect(a).toBe(b);
    expect(creates).toBe(1);
    await reg.close();
    await expect(reg.get('sentiment')).rejects.toMatchObject({ code: 'MODEL_FAILED' });
  });
});
