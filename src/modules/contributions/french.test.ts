import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelsFor } from '../../build.js';
import { testConfig } from '../../config.js';
import { testService, type TestService } from '../../testing/service.js';
import type { ModelRegistry } from '../../../models/types.js';
import type { TextMapPayload } from './domain.js';

/**
 * Issue 12, French first, with the REAL offline registry (fastText language id, Apertium fr→es→en for the pivot and
 * for the reviewed translation, lexical map): French contributions only → map → approved summaries. A French reader
 * reads the contributors' own sentences (never a round trip through the English pivot: "marchés publics" stays
 * "marchés publics"), labelled by nothing; an English reader reads the original labelled "in French — translation
 * awaiting review" until a facilitator approves the machine translation, then that translation, labelled as one.
 */
const FIXTURE = JSON.parse(readFileSync(new URL('../../../fixtures/text-map/contributions.json', import.meta.url), 'utf8')) as { contributions: Array<{ id: string; topic: string; lang: string; text: string }> };
const FRENCH = [
  ...FIXTURE.contributions.filter((c) => c.lang === 'fr').map((c) => c.text),
  'Renforcer les clauses environnementales dans les marchés publics.',
  'Les marchés publics devraient favoriser les entreprises locales.',
  'Publier tous les marchés publics de la commune en ligne.',
  'Des critères sociaux dans les marchés publics de la ville.',
];

let s: TestService;
let models: ModelRegistry;
const api = (rest: string) => `/api/assemblies/${s.assemblyId}${rest}`;
const approve = async (id: string) => expect((await s.call('facilitator', 'POST', api(`/review/${id}/approve`))).status).toBe(200);
async function runAll() {
  for (let j = await s.deps.jobs.runNext(); j; j = await s.deps.jobs.runNext()) expect(j.status, `${j.type}: ${j.error ?? ''}`).toBe('succeeded');
}
type Summaries = { summaries: Array<{ id: string; title: string; titleLanguage: string; language: string; origin: string; translationPending: boolean; sentences: Array<{ text: string; language: string; origin: string; sourceIds: string[] }> }> };
const read = async (lang: 'fr' | 'en') => (await (await s.call('participant', 'GET', api(`/summaries?lang=${lang}`))).json()) as Summaries;
const html = async (path: string, lang: 'fr' | 'en') => (await s.call('participant', 'GET', `${path}?lang=${lang}`, undefined, { accept: 'text/html' })).text();

beforeAll(async () => {
  models = modelsFor(testConfig());
  s = await testService({ models });
});
afterAll(async () => {
  await models.close();
});

describe('French contributions only → map → approved summaries (real models)', () => {
  it('French readers read the contributors’ own sentences; English readers a reviewed translation, labelled', async () => {
    for (const text of FRENCH) expect((await s.call('participant', 'POST', api('/contributions'), { text })).status).toBe(201);
    const mapRes = await s.call('facilitator', 'POST', api('/text-maps'), { mode: 'lexical' });
    expect(mapRes.status).toBe(202);
    await runAll();
    const job = s.deps.jobs.list({ type: 'contributions.map' })[0];
    const result = job.result as { mapItemId: string; summaryItemIds: string[] };
    const map = s.deps.review.get(s.db, result.mapItemId).payload as TextMapPayload;
    const frenchText = FRENCH.join(' ').toLowerCase();
    // cluster labels come from the French originals: every label word is a word the contributors wrote
    for (const c of map.clusters.filter((x) => x.level === 1)) {
      expect(c.labels.fr).toBe(c.label);
      for (const w of c.label.split(/[ ·]+/).filter(Boolean)) expect(frenchText).toContain(w.slice(0, Math.max(3, w.length - 1)));
    }
    await approve(result.mapItemId);
    for (const id of result.summaryItemIds) await approve(id);

    // French readers: verbatim quotes, in French, no label; the marchés stay marchés
    const fr = await read('fr');
    expect(fr.summaries.length).toBe(result.summaryItemIds.length);
    const sentencesFr = fr.summaries.flatMap((x) => x.sentences);
    for (const x of sentencesFr) {
      expect(FRENCH).toContain(x.text);
      expect(x).toMatchObject({ language: 'fr', origin: 'original' });
    }
    const frPage = await html(`/a/${s.assemblyId}/summaries`, 'fr');
    expect(frPage).not.toContain('halles');
    expect(frPage).not.toContain('Traduction automatique');

    // English readers, before any translation is approved: the French original, labelled, with the translation pending
    const before = await read('en');
    expect(before.summaries.every((x) => x.translationPending && x.sentences.every((y) => y.origin === 'untranslated' && y.language === 'fr'))).toBe(true);
    const enPending = await html(`/a/${s.assemblyId}/summaries`, 'en');
    expect(enPending).toContain('in French — translation awaiting review');
    expect(await html(`/a/${s.assemblyId}`, 'en')).toContain('in French — translation awaiting review'); // the home page shows the same

    // the machine translations (real Apertium) are drafted, reviewed and approved
    await runAll();
    const drafts = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'translation', status: ['pending'] });
    expect(drafts.length).toBe(result.summaryItemIds.length);
    for (const d of drafts) {
      const p = d.payload as { language: string; sentences: Array<{ text: string; translatedFrom?: string }> };
      expect(p.language).toBe('en');
      expect(p.sentences.every((x) => x.translatedFrom === 'fr')).toBe(true);
      await approve(d.id);
    }
    const en = await read('en');
    const sentencesEn = en.summaries.flatMap((x) => x.sentences);
    expect(sentencesEn.length).toBe(sentencesFr.length);
    for (const x of sentencesEn) {
      expect(x).toMatchObject({ language: 'en', origin: 'machine-reviewed' });
      expect(FRENCH).not.toContain(x.text);
    }
    expect(en.summaries.every((x) => x.origin === 'machine-translated' && !x.translationPending)).toBe(true);
    const enPage = await html(`/a/${s.assemblyId}/summaries`, 'en');
    expect(enPage).toContain('Machine translation reviewed by a facilitator');
    expect(enPage).not.toContain('translation awaiting review');
    // and the French reader still reads the originals
    expect((await read('fr')).summaries.flatMap((x) => x.sentences).every((x) => FRENCH.includes(x.text))).toBe(true);
  }, 120_000);
});
