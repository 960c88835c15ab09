import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { TRANSLATE_JOB } from './machine.js';
import { addRecommendations, runJob, staffCtx } from './testkit.js';
import { TRANSLATION_KIND } from './translations.js';

/**
 * Machine translation of recommendations (fake translator: it prefixes "[en→fr]"): drafts go to the review queue,
 * readers see them only once approved (labelled), bullets and evidence links keep their shape, and one job at a time.
 */
describe('machine translations for the brochure', () => {
  let s: TestService;
  let ids: string[];
  const A = () => `/api/assemblies/${s.assemblyId}`;
  const frView = async () => (await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/brochure/view?scope=final&lang=fr`)).text();

  beforeAll(async () => {
    s = await testService({ config: { dataDir: mkdtempSync(join(tmpdir(), 'plenary-brochure-mt-')) } });
    ids = addRecommendations(staffCtx(s.deps, s.users.facilitator, s.assemblyId), s.assemblyId, 2, { final: true });
  });

  it('submits one draft per recommendation to review; nothing shows until approved, then it shows labelled', async () => {
    const [a, b] = await Promise.all([s.call('facilitator', 'POST', `${A()}/brochure/machine-translations`, { language: 'fr' }), s.call('facilitator', 'POST', `${A()}/brochure/machine-translations`, { language: 'fr' })]);
    const ja = (await a.json()) as { job: { id: string } };
    const jb = (await b.json()) as { job: { id: string } };
    expect(ja.job.id).toBe(jb.job.id);
    const done = await runJob(s.deps, ja.job.id);
    expect(done.status, done.error ?? '').toBe('succeeded');
    expect(done.result).toEqual({ submitted: 2 });
    const items = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: TRANSLATION_KIND, status: ['pending'] });
    expect(items).toHaveLength(2);
    const first = items.find((i) => (i.payload as { recommendationId: string }).recommendationId === ids[0])!;
    const fields = (first.payload as { fields: Record<string, string> }).fields;
    expect(fields.title).toBe('[en→fr] Recommendation 1: create bus lanes on the ring road');
    expect(fields.pros.split('\n')[0]).toMatch(/^- \[en→fr\] Benefit 1/);
    expect(fields.evidence.split('\n')).toEqual(['https://example.org/evidence/1 [en→fr] Expert briefing 1', 'https://example.org/survey/1']);

    expect(await frView()).not.toContain('[en→fr]');
    s.deps.review.approve(s.db, first.id, s.assemblyId, s.users.facilitator);
    const html = await frView();
    expect(html).toContain('[en→fr] Recommendation 1: create bus lanes on the ring road');
    expect(html).toContain('Traduction automatique, vérifiée par l’équipe');
    expect(html).toContain('Recommendation 2: create a night bus network'); // still pending: the original, labelled
    expect(html).not.toContain('[en→fr] Recommendation 2');
  });

  it('asks again only for what lacks an up-to-date translation, and says when there is nothing to translate', async () => {
    const res = await s.call('facilitator', 'POST', `${A()}/brochure/machine-translations`, { language: 'fr' });
    const done = await runJob(s.deps, ((await res.json()) as { job: { id: string } }).job.id);
    expect(done.result).toEqual({ submitted: 1 });
    const en = await s.call('facilitator', 'POST', `${A()}/brochure/machine-translations`, { language: 'en' });
    expect(en.status).toBe(412);
    expect(((await en.json()) as { detail: string }).detail).toContain('already written in');
    const de = await s.call('facilitator', 'POST', `${A()}/brochure/machine-translations`, { language: 'de' });
    expect(de.status).toBe(422);
    expect(s.deps.jobs.list({ assemblyId: s.assemblyId, type: TRANSLATE_JOB })).toHaveLength(2);
  });
});
