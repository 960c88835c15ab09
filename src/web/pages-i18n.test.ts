import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../platform/auth/permissions.js';
import { englishIn, readableText } from '../testing/page-text.js';
import { endpoints, fillPath } from '../testing/routes.js';
import { routeSamples } from '../testing/samples.js';
import { testService, type TestService } from '../testing/service.js';
import { CATALOGUES } from './i18n.js';
import { eq } from 'drizzle-orm';
import { assemblies, users } from '../platform/db/schema.js';

/**
 * Every page, in French, as each role, with data behind it: no English catalogue string (an `en` value that differs
 * from its `fr` value) and none of the English words pages used to write by hand may appear in what a French reader
 * reads (text and accessible names, leaving out elements marked lang="en"). Pages are enumerated from the app's
 * routes, as src/routes.test.ts enumerates the API, so a new page is checked without being listed here.
 */
// French contributions: English ones are legitimate on a French page when marked lang="en", but the review desk's raw
// source material (JSON) cannot mark them, and an English contribution saying "running" is not a page string
const FIXTURE = JSON.parse(readFileSync(new URL('../../fixtures/text-map/contributions.json', import.meta.url), 'utf8')) as { contributions: Array<{ text: string; lang: string }> };
const FRENCH = FIXTURE.contributions.filter((c) => c.lang === 'fr');

/** English words pages used to write without the catalogue (issue 12); also caught when they come back. */
const HAND_WRITTEN = ['Title', 'Model', 'pending', 'approved', 'rejected', 'edited', 'superseded', 'queued', 'running', 'succeeded', 'failed', 'Home', 'Error', 'summary', 'machine translation', 'facilitator', 'researcher'];

/** Pages that are not for participants' or staff's reading in French: the API reference (English by design). */
const NOT_PAGES = new Set(['/docs', '/openapi.json', '/healthz', '/readyz', '/lang/:lang', '/static/:file']);

let s: TestService;
let samples: Record<string, string>;
const api = (rest: string) => `/api/assemblies/${s.assemblyId}${rest}`;
async function drain() {
  for (let j = await s.deps.jobs.runNext(); j; j = await s.deps.jobs.runNext());
}

beforeAll(async () => {
  s = await testService();
  // staff names are data, not page strings: French names, so "Test facilitator" is not mistaken for an English label
  s.db.update(users).set({ displayName: 'Camille' }).run();
  // usernames and the second assembly's title are data too (the staff page lists them): French ones
  for (const [role, id] of Object.entries(s.users)) s.db.update(users).set({ username: `camille-${role.slice(0, 3)}` }).where(eq(users.id, id)).run();
  s.db.update(assemblies).set({ title: 'Autre assemblée' }).where(eq(assemblies.id, s.otherAssemblyId)).run();
  samples = routeSamples(s);
  // data behind the pages: contributions, a map with summaries, one approved (its translation pending), jobs
  for (const c of FRENCH) await s.call('participant', 'POST', api('/contributions'), { text: c.text });
  await s.call('facilitator', 'POST', api('/text-maps'), { mode: 'semantic' });
  await drain();
  const job = s.deps.jobs.list({ type: 'contributions.map' })[0];
  const r = job.result as { mapItemId: string; summaryItemIds: string[] };
  await s.call('facilitator', 'POST', api(`/review/${r.mapItemId}/approve`));
  await s.call('facilitator', 'POST', api(`/review/${r.summaryItemIds[0]}/approve`));
  await drain();
  samples.itemId = r.summaryItemIds[1] ?? samples.itemId;
}, 120_000);

function pageRoutes(): string[] {
  return [...new Set(endpoints(s.app).filter((e) => e.method === 'GET' && !e.path.startsWith('/api') && !NOT_PAGES.has(e.path)).map((e) => e.path))];
}

describe('every page in French', () => {
  it('enumerates the page routes (participants’, staff’s and public ones)', () => {
    const routes = pageRoutes();
    expect(routes).toEqual(expect.arrayContaining(['/', '/a/:assemblyId', '/a/:assemblyId/summaries', '/facilitate/:assemblyId']));
  });

  it('shows no English string to a French reader, as any role (error pages included)', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const path of pageRoutes()) {
      const url = fillPath(path, samples);
      for (const role of ROLES as readonly Role[]) {
        const res = await s.call(role, 'GET', `${url}${url.includes('?') ? '&' : '?'}lang=fr`, undefined, { accept: 'text/html' });
        if (!(res.headers.get('content-type') ?? '').includes('text/html')) {
          await res.body?.cancel();
          continue;
        }
        const html = await res.text();
        checked++;
        if (!html.includes('<html lang="fr"')) problems.push(`${role} ${url} (${res.status}): not a French page`);
        const english = englishIn(readableText(html, 'fr'), CATALOGUES.en, CATALOGUES.fr, HAND_WRITTEN);
        if (process.env.DUMP_PAGES) (await import('node:fs')).appendFileSync(process.env.DUMP_PAGES, `\n=== ${role} ${url} ${res.status}\n${readableText(html, 'fr')}\n`);
        if (english.length) problems.push(`${role} ${url} (${res.status}): ${english.join(', ')}`);
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  }, 120_000);

  it('catches English when there is some (the check can fail)', () => {
    const text = readableText('<html lang="fr"><body><h1>Title</h1><p lang="en">Nothing has been published yet.</p><p>Published summaries</p></body></html>', 'fr');
    expect(text).not.toContain('Nothing has been published');
    expect(englishIn(text, CATALOGUES.en, CATALOGUES.fr, HAND_WRITTEN)).toEqual(expect.arrayContaining(['participant.published: “Published summaries”', '“Title”']));
  });
});
