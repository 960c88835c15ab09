import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODULES } from '../index.js';
import { editRecommendation, setStatus } from '../recommendations/service.js';
import { testService, type TestService } from '../../testing/service.js';
import { brochureModule } from './module.js';
import { chromiumEngine, type PdfEngine } from './pdf.js';
import { brochuresRoot, listVersions, requestBrochure, versionFile } from './service.js';
import { addRecommendations, drawnPool, pdfText, runJob, staffCtx } from './testkit.js';
import { setHumanTranslation, TRANSLATION_KIND } from './translations.js';

/**
 * The brochure through the service and the one job runner, printed by the real Debian Chromium and read back with
 * pdftotext: versions, languages and their labels, the public/staff split, and every bad input named in the issue.
 */

const withPdf = (pdf: PdfEngine) => MODULES.map((m) => (m.name === 'brochure' ? brochureModule({ pdf }) : m));
const dataDir = () => mkdtempSync(join(tmpdir(), 'plenary-brochure-'));
const problem = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as { detail: string };
};

describe('brochure', () => {
  let s: TestService;
  let ids: string[];
  const A = () => `/api/assemblies/${s.assemblyId}`;
  const ctx = () => staffCtx(s.deps, s.users.facilitator, s.assemblyId);

  beforeAll(async () => {
    s = await testService({ config: { dataDir: dataDir() } });
  });

  it('refuses a brochure with no recommendations in a sentence, and the web view says so too', async () => {
    const p = await problem(await s.call('facilitator', 'POST', `${A()}/brochure/versions`, { scope: 'final' }), 412);
    expect(p.detail).toMatch(/no final recommendation/);
    const view = await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/brochure/view?scope=final&lang=en`);
    expect(await view.text()).toContain('There is no final recommendation yet');
    expect(s.deps.jobs.list({ assemblyId: s.assemblyId })).toHaveLength(0);
  });

  it('prints a PDF per language whose text holds the recommendations’ titles, French headings in French, English ones labelled', async () => {
    await drawnPool(s, s.assemblyId, 40, 8);
    ids = addRecommendations(ctx(), s.assemblyId, 3, { final: true });
    addRecommendations(ctx(), s.assemblyId, 1, { offset: 7 }); // a draft: not in the final brochure
    const res = await s.call('facilitator', 'POST', `${A()}/brochure/versions`, { scope: 'final' });
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: { id: string } };
    const done = await runJob(s.deps, job.id);
    expect(done.status, done.error ?? '').toBe('succeeded');
    const versions = listVersions(ctx(), s.assemblyId);
    expect(versions.map((v) => [v.number, v.language, v.recommendationCount, v.scope])).toEqual([
      [1, 'en', 3, 'final'],
      [1, 'fr', 3, 'final'],
    ]);
    const en = pdfText(versionFile(ctx(), s.assemblyId, versions[0].id, 'pdf').bytes);
    expect(en).toContain('Recommendation 1: create bus lanes on the ring road');
    expect(en).toContain('Arguments against');
    expect(en).toContain('Contents');
    expect(en).not.toContain('Recommendation 8'); // the draft
    // selection statistics: pool and panel sizes, each feature's share of the pool and of the panel (4 of 8 are men)
    expect(en).toContain('8 members were drawn by lot from a pool of 40 people');
    expect(en).toMatch(/gender: m 35% \(14\) 50% \(4\) 4/);
    const fr = pdfText(versionFile(ctx(), s.assemblyId, versions[1].id, 'pdf').bytes);
    expect(fr).toContain('Sommaire');
    expect(fr).toContain('Arguments contre');
    expect(fr).toContain('Recommendation 2: create a night bus network'); // no translation: the original …
    expect(fr).toContain('Texte original en anglais'); // … labelled
    // the HTML kept beside it is what was printed
    const html = new TextDecoder().decode(versionFile(ctx(), s.assemblyId, versions[1].id, 'html').bytes);
    expect(html).toMatch(/^<!doctype html><html lang="fr">/);
    expect(html).toContain('lang="en"');
  }, 180_000);

  it('makes no new version when nothing changed, and one when a recommendation was translated; older versions stay downloadable', async () => {
    const again = await s.call('facilitator', 'POST', `${A()}/brochure/versions`, { scope: 'final' });
    const r1 = await runJob(s.deps, ((await again.json()) as { job: { id: string } }).job.id);
    expect(r1.result).toMatchObject({ unchanged: true });
    expect(listVersions(ctx(), s.assemblyId)).toHaveLength(2);

    setHumanTranslation(ctx(), s.assemblyId, ids[0], 'fr', { title: 'Recommandation 1 : des voies de bus sur le périphérique', proposal: 'La mairie crée des voies de bus.', rationale: 'Parce que.', pros: '- Plus rapide', cons: '- Moins de voitures', costs: '1 M€', implementers: 'La mairie', tradeoffs: 'Moins de place', evidence: 'https://example.org/e Étude' });
    const res = await s.call('facilitator', 'POST', `${A()}/brochure/versions`, { scope: 'final', languages: ['fr'] });
    const done = await runJob(s.deps, ((await res.json()) as { job: { id: string } }).job.id);
    expect(done.status, done.error ?? '').toBe('succeeded');
    const versions = listVersions(ctx(), s.assemblyId);
    expect(versions.map((v) => `${v.number}${v.language}`)).toEqual(['2fr', '1en', '1fr']);
    const fr2 = pdfText(versionFile(ctx(), s.assemblyId, versions[0].id, 'pdf').bytes);
    expect(fr2).toContain('Recommandation 1 : des voies de bus sur le périphérique');
    expect(fr2).toContain('Traduit par l’équipe');
    expect(fr2).not.toContain('Recommendation 1: create bus lanes');
    // version 1 is still there, unchanged
    expect(pdfText(versionFile(ctx(), s.assemblyId, versions[2].id, 'pdf').bytes)).toContain('Recommendation 1: create bus lanes on the ring road');
  }, 180_000);

  it('never shows an unreviewed machine translation, shows an approved one labelled, and drops a translation once the text is edited', async () => {
    const submit = (tx: Parameters<Parameters<typeof s.db.transaction>[0]>[0]) =>
      s.deps.review.submit(tx, {
        assemblyId: s.assemblyId, kind: TRANSLATION_KIND, subject: `recommendation:${ids[1]}:fr`, title: 'Traduction',
        payload: { recommendationId: ids[1], language: 'fr', sourceLanguage: 'en', sourceVersion: 1, fields: { title: 'Recommandation 2 : un réseau de bus de nuit', proposal: 'Des bus la nuit.', rationale: 'R', pros: 'P', cons: 'C', costs: 'Co', implementers: 'I', tradeoffs: 'T', evidence: 'https://example.org/x' } },
        provenance: { stage: 'translation', version: '1', inputHash: 'h' },
      });
    const item = s.db.transaction((tx) => submit(tx));
    const live = async () => (await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/brochure/view?scope=final&lang=fr`)).text();
    expect(await live()).not.toContain('un réseau de bus de nuit');
    s.deps.review.approve(s.db, item.id, s.assemblyId, s.users.facilitator);
    const approved = await live();
    expect(approved).toContain('Recommandation 2 : un réseau de bus de nuit');
    expect(approved).toContain('Traduction automatique, vérifiée par l’équipe');
    // the English original is edited: the French translation no longer matches, so the original shows, labelled
    setStatus(ctx(), s.assemblyId, ids[0], 'under_discussion');
    editRecommendation(ctx(), s.assemblyId, ids[0], { baseVersion: 1, costs: 'About €1.5 million a year.' });
    setStatus(ctx(), s.assemblyId, ids[0], 'final');
    const after = await live();
    expect(after).toContain('Recommendation 1: create bus lanes on the ring road');
    expect(after).not.toContain('des voies de bus sur le périphérique');
  });

  it('keeps drafts to the assembly’s staff; published (final) versions are public; unknown ones are 404 problems', async () => {
    const drafts = await s.call('facilitator', 'POST', `${A()}/brochure/versions`, { scope: 'drafts', languages: ['en'] });
    const done = await runJob(s.deps, ((await drafts.json()) as { job: { id: string } }).job.id);
    expect(done.status, done.error ?? '').toBe('succeeded');
    const all = (await (await s.call('facilitator', 'GET', `${A()}/brochure/versions`)).json()) as { id: string; scope: string; recommendationCount: number }[];
    const draft = all.find((v) => v.scope === 'drafts')!;
    expect(draft.recommendationCount).toBe(4);
    const pub = (await (await s.call('public', 'GET', `${A()}/brochure/versions`)).json()) as { id: string; scope: string }[];
    expect(pub.length).toBe(all.length - 1);
    expect(pub.every((v) => v.scope === 'final')).toBe(true);
    await problem(await s.call('public', 'GET', `${A()}/brochure/versions/${draft.id}/pdf`), 404);
    await problem(await s.call('participant', 'GET', `${A()}/brochure/versions/${draft.id}/pdf`), 404);
    const ok = await s.call('facilitator', 'GET', `${A()}/brochure/versions/${draft.id}/pdf`);
    expect(ok.headers.get('content-type')).toBe('application/pdf');
    const pubPdf = await s.call('public', 'GET', `${A()}/brochure/versions/${pub[0].id}/pdf`);
    expect(pubPdf.status).toBe(200);
    expect(Buffer.from(await pubPdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    await problem(await s.call('public', 'GET', `${A()}/brochure/versions/bro_nope/pdf`), 404);
    await problem(await s.call('facilitator', 'GET', `/api/assemblies/nope/brochure/versions`), 404);
    await problem(await s.call('admin', 'POST', `/api/assemblies/nope/brochure/versions`, {}), 404);
    await problem(await s.call('participant', 'POST', `${A()}/brochure/versions`, {}), 403);
    await problem(await s.call('public', 'GET', `/facilitate/${s.assemblyId}/brochure/view?scope=drafts`), 401);
  }, 180_000);

  it('makes one job when asked twice at once', async () => {
    const [a, b] = await Promise.all([s.call('facilitator', 'POST', `${A()}/brochure/versions`, {}), s.call('admin', 'POST', `${A()}/brochure/versions`, {})]);
    const ja = (await a.json()) as { job: { id: string }; reused: boolean };
    const jb = (await b.json()) as { job: { id: string }; reused: boolean };
    expect(ja.job.id).toBe(jb.job.id);
    expect([ja.reused, jb.reused].sort()).toEqual([false, true]);
    s.deps.jobs.cancel(ja.job.id, null);
  });
});

describe('brochure without Chromium, and with a printer that fails half-way', () => {
  it('without Chromium: the PDF request is a 503 problem naming the fix, the HTML view works, /readyz has a brochure line', async () => {
    const s = await testService({ config: { dataDir: dataDir() }, modules: withPdf(chromiumEngine(['/nonexistent/chromium'])) });
    addRecommendations(staffCtx(s.deps, s.users.facilitator, s.assemblyId), s.assemblyId, 2, { final: true });
    const p = await problem(await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/brochure/versions`, {}), 503);
    expect(p.detail).toContain('Chromium is not installed');
    const view = await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/brochure/view?scope=final&lang=en`);
    expect(view.status).toBe(200);
    expect(await view.text()).toContain('Recommendation 1: create bus lanes on the ring road');
    const page = await (await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/brochure?lang=fr`)).text();
    expect(page).toContain('Chromium n’est pas installé');
    const ready = (await (await s.call('public', 'GET', '/readyz')).json()) as { brochure: { pdf: boolean } };
    expect(ready.brochure).toHaveProperty('pdf');
  });

  it('a failure while printing the second language leaves no version and no file', async () => {
    const real = chromiumEngine();
    let printed = 0;
    const flaky: PdfEngine = {
      executable: () => '/usr/bin/chromium',
      async open() {
        const session = await real.open();
        return {
          async print(html, footer) {
            if (++printed === 2) throw new Error('printer on fire');
            return session.print(html, footer);
          },
          close: () => session.close(),
        };
      },
    };
    const s = await testService({ config: { dataDir: dataDir() }, modules: withPdf(flaky) });
    const c = staffCtx(s.deps, s.users.facilitator, s.assemblyId);
    addRecommendations(c, s.assemblyId, 2, { final: true });
    const { job } = requestBrochure(c, s.deps.jobs, flaky, s.assemblyId, {});
    let row = await runJob(s.deps, job.id);
    expect(row.status).toBe('failed');
    expect(row.error).toContain('printer on fire');
    expect(listVersions(c, s.assemblyId)).toEqual([]);
    const dir = join(brochuresRoot(c), s.assemblyId);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
    row = s.deps.jobs.get(job.id)!;
    expect(row.attempts).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
