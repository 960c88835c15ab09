import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import Ajv from 'ajv';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeRegistry } from '../models/testing.js';
import { buildService } from './build.js';
import { testConfig } from './config.js';
import { ctxFor, type Deps } from './deps.js';
import { testDb } from './platform/db/client.js';
import { assembliesRepo } from './modules/assemblies/repo.js';
import { pdfText, runJob } from './modules/brochure/testkit.js';
import { checkPackage } from './modules/opendata/check.js';
import { importPackage } from './modules/opendata/importer.js';
import { unpackZip } from './modules/opendata/zip.js';
import { feedEntries, publicImpact } from './modules/impact/service.js';
import { download as downloadExport, requestExport } from './modules/opendata/service.js';
import { transparency } from './modules/sortition/service.js';
import { recommendationsRepo } from './modules/recommendations/repo.js';
import { DEMO, seedDemo } from './seed/demo.js';
import { axeViolations, hasChromium, launchBrowser, listen, sidewaysOverflow } from './testing/browser.js';
import { testService, type TestService } from './testing/service.js';

/**
 * Issue 17's full scenario on the demo assembly (`demo-mobility`, seeded the way `npx plenary seed-demo` does),
 * in Chromium: a panel is drawn, groups deliberate, a recommendation is written and amended (a new version), the
 * brochure is produced and its PDF downloaded, an impact entry reaches the public page signed out, and the open-data
 * export validates against the Frictionless 2.0 profiles and re-imports into a fresh instance with the same public
 * numbers. The test service runs jobs only when asked (runJob), as the module tests do.
 */
const TITLE = 'Buses every ten minutes on the main lines, evenings included';

const profile = (f: string) => JSON.parse(readFileSync(new URL(`../fixtures/frictionless-2.0/${f}`, import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true });
ajv.addFormat('textarea', () => true); // the profiles' only non-standard format is a UI hint
const validatePackage = ajv.compile(profile('datapackage.json'));
const validateResource = ajv.compile(profile('dataresource.json'));
const validateTableSchema = ajv.compile(profile('tableschema.json'));

let s: TestService;
let demoId: string;
let browser: Browser;
let base: string;
let close: () => void;

const admin = (deps: Deps) => ctxFor(deps, { kind: 'user', id: 'system', role: 'admin', displayName: 'admin', language: 'en', via: 'token', assemblyIds: [] });

async function ok<T = Record<string, unknown>>(res: Response, status = 200): Promise<T> {
  const body = await res.text();
  expect(res.status, body).toBe(status);
  return JSON.parse(body) as T;
}

/** axe finds nothing and the page does not scroll sideways (the pages are opened 360 px wide). */
async function axe(p: Page) {
  expect(await axeViolations(p), `accessibility violations on ${p.url()}`).toEqual([]);
  expect(await sidewaysOverflow(p), `sideways overflow on ${p.url()}`).toBe(0);
}

/** Submits the form matched by `selector` and waits for the page it leads to. */
async function submit(p: Page, selector: string) {
  await Promise.all([p.waitForNavigation(), p.click(`${selector} button[type=submit]`)]);
}

beforeAll(async () => {
  // the test service's facilitator ("facilitator", like the demo's) is granted the demo's facilitator role by the seed
  s = await testService({ config: { dataDir: mkdtempSync(join(tmpdir(), 'plenary-scenario-')) } });
  demoId = (await seedDemo(s.deps)).assemblyId;
  ({ base, close } = await listen(s.app));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  close?.();
});

describe.skipIf(!hasChromium)('one full scenario on the demo assembly', () => {
  it('draw → deliberate → amend → brochure PDF → public impact → open data that validates and re-imports', async () => {
    const t0 = Date.now();
    const A = `/api/assemblies/${demoId}`;
    const f = await browser.newPage({ locale: 'en-GB', viewport: { width: 360, height: 740 }, bypassCSP: true, acceptDownloads: true });
    await f.goto(`${base}/signin`);
    await f.fill('#username', 'facilitator');
    await f.fill('#password', 'facilitator-password-123');
    await submit(f, 'form[action="/signin"]');

    // 1. a panel is drawn. The pool's CSV import is sent through the API (the page's import goes through a column-mapping
    // preview; the file upload is the same service call); the selection run, commitment and draw go through the pages.
    const rows = ['id,gender,age'];
    for (let i = 0; i < 24; i++) rows.push(`r${i},${i % 3 === 0 ? 'm' : 'f'},${i % 4 === 0 ? '65+' : '18-64'}`);
    const fd = new FormData();
    fd.append('people', new Blob([rows.join('\n') + '\n'], { type: 'text/csv' }), 'people.csv');
    fd.append('quotas', new Blob(['category,value,min,max\ngender,f,3,3\ngender,m,3,3\nage,18-64,1,5\nage,65+,1,5\n'], { type: 'text/csv' }), 'quotas.csv');
    fd.append('panelSize', '6');
    fd.append('name', 'Town register');
    const pool = await ok<{ id: string }>(await s.app.request(`${A}/sortition/imports`, { method: 'POST', body: fd, headers: { authorization: `Bearer ${s.tokens.facilitator}` } }), 201);
    await f.goto(`${base}/facilitate/${demoId}/sortition/pools/${pool.id}`);
    await f.selectOption('#alg', 'leximin');
    await submit(f, `form[action$="/pools/${pool.id}/runs"]`);
    const selection = s.deps.jobs.list({ assemblyId: demoId, type: 'sortition.select' })[0];
    expect((await runJob(s.deps, selection.id)).status).toBe('succeeded');
    const runId = (selection.payload as { runId: string }).runId;
    await f.goto(`${base}/facilitate/${demoId}/sortition/runs/${runId}`);
    await submit(f, `form[action$="/runs/${runId}/commit"]`);
    await f.fill('#seed', 'lottery 2026-12-07: 4 8 15 16 23 42');
    await submit(f, `form[action$="/runs/${runId}/draw"]`);
    expect(f.url()).toContain(`/facilitate/${demoId}/sortition/draws/`);
    await axe(f);
    const drawn = transparency(admin(s.deps), DEMO.slug).pools[0];
    expect(drawn.probabilities!.sorted).toHaveLength(24);

    // 2. groups deliberate: two rounds of breakout groups of demo members; group A shares an idea, a facilitator
    // approves it in the review queue, and group C of the next round marks it discussed. Sessions, groups and ideas
    // are created through the API: the breakout desk pages are for running live sessions, not for setting them up.
    const members = assembliesRepo.members(s.db, demoId).map((m) => m.userId);
    const post = async (path: string, body: unknown, status = 201) => (await ok<{ id: string }>(await s.call('facilitator', 'POST', `${A}${path}`, body), status)).id;
    const r2 = await post('/breakouts/sessions', { title: 'Week 2', startsAt: '2030-01-08T18:00:00Z' });
    const r1 = await post('/breakouts/sessions', { title: 'Week 1', startsAt: '2030-01-01T18:00:00Z' });
    const groupA = await post(`/breakouts/sessions/${r1}/groups`, { name: 'A', leadFacilitatorId: s.users.facilitator, memberIds: members.slice(0, 6) });
    await post(`/breakouts/sessions/${r1}/groups`, { name: 'B', leadFacilitatorId: s.users.facilitator, memberIds: members.slice(6, 12) });
    const groupC = await post(`/breakouts/sessions/${r2}/groups`, { name: 'C', leadFacilitatorId: s.users.facilitator, memberIds: [...members.slice(0, 3), ...members.slice(6, 9)] });
    const shared = await ok<{ reviewItemId: string }>(await s.call('facilitator', 'POST', `${A}/deliberation/groups/${groupA}/ideas`, { text: 'Evening buses so people without a car can take evening jobs' }), 201);
    await ok(await s.call('facilitator', 'POST', `${A}/review/${shared.reviewItemId}/approve`));
    const received = await ok<{ received: { id: string; discussed: boolean }[] }>(await s.call('facilitator', 'GET', `${A}/deliberation/groups/${groupC}/ideas`));
    expect(received.received).toHaveLength(1);
    await ok(await s.call('facilitator', 'POST', `${A}/deliberation/groups/${groupC}/ideas/${received.received[0].id}/discussed`));
    const after = await ok<{ received: { discussed: boolean }[] }>(await s.call('facilitator', 'GET', `${A}/deliberation/groups/${groupC}/ideas`));
    expect(after.received[0].discussed).toBe(true);

    // 3. a recommendation is written on its page, amended there (a second version), and made final
    await f.goto(`${base}/a/${demoId}/recommendations`);
    await f.fill('#rec-title', TITLE);
    await f.selectOption('#rec-kind', 'group');
    await f.fill('#rec-drafter', 'Group A');
    await submit(f, `form[action="/a/${demoId}/recommendations"]`);
    const recId = f.url().split('/').pop()!.split('?')[0];
    await f.click('details.card summary'); // the edit form is folded away
    await f.fill('#f-proposal', 'Run buses every ten minutes on the main lines until 23:00.');
    await f.fill('#f-pros', 'People without a car can take evening jobs.');
    await submit(f, `form[action$="/recommendations/${recId}/edit"]`);
    const rec = recommendationsRepo.forAssembly(s.db, demoId).find((r) => r.id === recId)!;
    expect(rec.title).toBe(TITLE);
    expect(rec.version).toBe(2);
    expect(rec.proposal).toBe('Run buses every ten minutes on the main lines until 23:00.');
    await axe(f);
    for (const status of ['under_discussion', 'final']) {
      await f.selectOption('#rec-status', status);
      await submit(f, `form[action$="/recommendations/${recId}/status"]`);
    }
    expect(recommendationsRepo.forAssembly(s.db, demoId).find((r) => r.id === recId)!.status).toBe('final');

    // 4. the brochure is produced by its job from the staff page, and its PDF downloaded
    await f.goto(`${base}/facilitate/${demoId}/brochure?lang=en`);
    await f.uncheck('input[name="languages"][value="fr"]');
    await submit(f, 'form[action$="/brochure"]');
    const brochureJob = s.deps.jobs.list({ assemblyId: demoId, type: 'brochure.generate' })[0];
    expect((await runJob(s.deps, brochureJob.id)).status).toBe('succeeded');
    await f.goto(`${base}/facilitate/${demoId}/brochure?lang=en`);
    expect(await f.locator('[data-version]').count()).toBe(1);
    await axe(f);
    const [download] = await Promise.all([f.waitForEvent('download'), f.click('[data-version] a[data-pdf]')]);
    expect(pdfText(readFileSync(await download.path()))).toContain(TITLE);

    // 5. an impact entry is recorded on the staff page and appears on the public page, signed out
    await f.goto(`${base}/facilitate/${demoId}/impact?lang=en`);
    await Promise.all([f.waitForNavigation(), f.click(`[data-impact="${recId}"] a`)]);
    await f.fill('#entry-date', '2026-12-01');
    await f.fill('#entry-text', 'The council voted the budget for evening buses.');
    await f.fill('#entry-sources', 'https://example.org/council/2026-12-01 Minutes');
    await f.selectOption('#entry-status', 'in_progress');
    await f.fill('#entry-progress', '30');
    await submit(f, 'form[action*="/entries"]');
    expect(await f.locator('[data-entry]').count()).toBe(1);
    // a new page is a new browser context: no session cookie, as a signed-out reader
    const pub = await browser.newPage({ viewport: { width: 360, height: 740 }, bypassCSP: true, acceptDownloads: true });
    expect((await pub.goto(`${base}/facilitate/${demoId}/impact`))?.status()).toBe(401);
    await pub.goto(`${base}/p/${DEMO.slug}/impact?lang=en`);
    const card = pub.locator(`[data-impact="${recId}"]`);
    expect(await card.textContent()).toContain('The council voted the budget for evening buses.');
    expect(await card.locator('[data-status-label]').textContent()).toBe('in progress');
    await axe(pub);
    await pub.goto(`${base}/p/${DEMO.slug}/brochure?lang=en`);
    expect(await pub.locator('[data-version]').count()).toBe(1);
    await axe(pub);

    // 6. the open-data export is made from the staff page and published; the public page's zip validates and re-imports
    await f.goto(`${base}/facilitate/${demoId}/opendata?lang=en`);
    await f.selectOption('#od-status', 'final');
    await submit(f, 'form[action$="/opendata/exports"]');
    const exportJob = s.deps.jobs.list({ assemblyId: demoId, type: 'opendata.export' })[0];
    expect((await runJob(s.deps, exportJob.id)).status).toBe('succeeded');
    await f.goto(`${base}/facilitate/${demoId}/opendata?lang=en`);
    await submit(f, '[data-export] form');
    await pub.goto(`${base}/p/${DEMO.slug}/opendata?lang=en`);
    await axe(pub);
    const [zip] = await Promise.all([pub.waitForEvent('download'), pub.click('[data-testid="od-download"]')]);
    const bytes = new Uint8Array(readFileSync(await zip.path()));
    const files = unpackZip(bytes);
    const pkg = JSON.parse(files.get('datapackage.json')!) as { resources: { name: string; path: string; type?: string; schema?: object }[] };
    expect(validatePackage(pkg), ajv.errorsText(validatePackage.errors)).toBe(true);
    for (const r of pkg.resources) {
      expect(validateResource(r), `${r.name}: ${ajv.errorsText(validateResource.errors)}`).toBe(true);
      if (r.type === 'table') expect(validateTableSchema(r.schema), `${r.name}: ${ajv.errorsText(validateTableSchema.errors)}`).toBe(true);
    }
    expect(checkPackage(files).assembly.slug).toBe(DEMO.slug); // every CSV against its Table Schema, every file listed
    expect(files.get('recommendations/recommendations.csv')).toContain(TITLE);

    const fresh = buildService(testConfig(), { db: testDb(), models: createFakeRegistry(), logger: pino({ level: 'silent' }) }).deps;
    const imported = importPackage(admin(fresh), bytes);
    expect(imported.slug).toBe(DEMO.slug);
    const norm = (t: ReturnType<typeof transparency>) => {
      for (const p of t.pools) p.probabilities?.byValue.sort((x, y) => `${x.category}/${x.value}`.localeCompare(`${y.category}/${y.value}`));
      return t;
    };
    expect(norm(transparency(admin(fresh), DEMO.slug))).toEqual(norm(transparency(admin(s.deps), DEMO.slug)));
    const impactBefore = publicImpact(s.deps, DEMO.slug);
    expect(impactBefore.items.map((x) => [x.status, x.progress])).toEqual([['in_progress', 30]]);
    expect({ ...publicImpact(fresh, DEMO.slug), assembly: null }).toEqual({ ...impactBefore, assembly: null });
    const feed = (deps: Deps, id: string) => feedEntries(deps, id).map(({ recommendationId: _r, ...e }) => e);
    expect(feed(fresh, imported.assemblyId)).toEqual(feed(s.deps, demoId));
    expect(feed(s.deps, demoId).length).toBeGreaterThan(0);
    // exporting the archive again gives the same CSV tables, byte for byte
    const again = requestExport(admin(fresh), fresh.jobs, imported.assemblyId, { status: 'final' });
    expect((await runJob(fresh, again.job.id)).status).toBe('succeeded');
    const second = unpackZip(downloadExport(admin(fresh), imported.assemblyId, (fresh.jobs.get(again.job.id)!.result as { exportId: string }).exportId).bytes);
    const csv = [...files.keys()].filter((k) => k.endsWith('.csv')).sort();
    expect([...second.keys()].filter((k) => k.endsWith('.csv')).sort()).toEqual(csv);
    for (const k of csv) expect(second.get(k), k).toBe(files.get(k));
    console.log(`scenario took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 240_000);
});
