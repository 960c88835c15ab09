import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { axeViolations, hasChromium, launchBrowser, listen } from '../../testing/browser.js';

/**
 * The contributions pages in a real browser (Debian's chromium), each checked with axe-core: the facilitator builds
 * the map with the button and watches the job through SSE, opens a cluster; a participant contributes and reads
 * the (approved-only) summaries page.
 */
const FIXTURE = JSON.parse(readFileSync(new URL('../../../fixtures/text-map/contributions.json', import.meta.url), 'utf8')) as { contributions: Array<{ id: string; text: string }> };

let s: TestService;
let browser: Browser;
let closeServer: (() => void) | undefined;
let base: string;

async function axe(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
}

beforeAll(async () => {
  s = await testService();
  const body = FIXTURE.contributions.map((c) => JSON.stringify({ id: c.id, text: c.text })).join('\n');
  const up = await s.app.request(`/api/assemblies/${s.assemblyId}/contributions/imports?format=jsonl&textColumn=text&idColumn=id`, { method: 'POST', headers: { authorization: `Bearer ${s.tokens.facilitator}`, 'content-type': 'application/x-ndjson' }, body });
  expect(up.status).toBe(201);
  await s.deps.jobs.runNext();
  s.deps.jobs.start({ concurrency: 1 });
  ({ base, close: closeServer } = await listen(s.app));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  closeServer?.();
  await s?.deps.jobs.stop({ deadlineMs: 2000 });
});

describe.skipIf(!hasChromium)('contributions pages in a browser', () => {
  it('facilitator: build the map with live progress, open a cluster; participant: contribute, read summaries', async () => {
    const f = await browser.newPage({ locale: 'en-GB', bypassCSP: true });
    await f.goto(`${base}/signin`);
    await f.fill('#username', 'facilitator');
    await f.fill('#password', 'facilitator-password-123');
    await Promise.all([f.waitForNavigation(), f.click('form[action="/signin"] button[type=submit]')]);
    await f.goto(`${base}/facilitate/${s.assemblyId}/contributions`);
    expect(await f.locator('[data-testid=no-map]').count()).toBe(1);
    await axe(f);
    await f.selectOption('#map-mode', 'lexical');
    await Promise.all([f.waitForNavigation(), f.click('form[action$="/contributions/map"] button[type=submit]')]);
    // the job's row is updated from the SSE stream (status text 'succeeded') or was already done when rendered
    await f.waitForFunction(() => Array.from(document.querySelectorAll('[data-jobs-for] .status')).some((e) => e.textContent === 'succeeded' || e.textContent === 'done'), undefined, { timeout: 30_000 });
    await f.reload();
    expect(await f.locator('svg.text-map title').count()).toBe(1);
    await f.click('[data-cluster-row] a >> nth=0');
    expect(await f.locator('[data-selected-cluster]').count()).toBe(1);
    expect(await f.locator('[data-members] li').count()).toBeGreaterThan(0);
    await axe(f);

    const p = await browser.newPage({ locale: 'fr-FR', bypassCSP: true });
    await p.goto(`${base}/join?code=${s.codes[0]}`);
    await p.fill('#pseudonym', 'Camille');
    await p.selectOption('#language', 'fr');
    await Promise.all([p.waitForNavigation(), p.click('form[action="/join"] button[type=submit]')]);
    await p.goto(`${base}/a/${s.assemblyId}/contribute`);
    await axe(p);
    await p.fill('#contrib-text', 'Des fontaines d’eau potable dans les parcs.');
    await Promise.all([p.waitForNavigation(), p.click('form[action$="/contribute"] button[type=submit]')]);
    expect(await p.locator('[role=status]').count()).toBe(1);
    await p.goto(`${base}/a/${s.assemblyId}/summaries`);
    expect(await p.locator('[data-testid=no-summaries]').count()).toBe(1); // nothing approved yet
    await axe(p);
  });
});
