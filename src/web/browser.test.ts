import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildService } from '../build.js';
import { testConfig } from '../config.js';
import { openDb } from '../platform/db/client.js';
import { DEMO, seedDemo } from '../seed/demo.js';
import type { Deps } from '../deps.js';

/**
 * The whole product loop in a real browser (Debian's chromium through playwright-core), with the real offline
 * models: a job drafts a summary; a participant sees nothing; a facilitator signs in and approves it; only then
 * does the participant see it; the approved text's machine translation is reviewed before the French reader
 * sees it, labelled as machine-translated. Every page passes an axe-core accessibility check.
 */
const CHROMIUM = process.env.PLENARY_CHROMIUM ?? '/usr/bin/chromium';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let server: ServerType;
let deps: Deps;
let base: string;
let dir: string;
let assemblyId: string;

async function axe(page: Page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] },
    });
    return r.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
  });
  expect(result, `accessibility violations on ${page.url()}`).toEqual([]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plenary-browser-'));
  const config = testConfig({ dataDir: dir });
  const built = buildService(config, { db: openDb(join(dir, 'plenary.sqlite')), logger: pino({ level: 'silent' }) });
  deps = built.deps;
  assemblyId = (await seedDemo(deps)).assemblyId;
  // the demo seed queued a summary job: run it with the real summarizer
  const job = await deps.jobs.runNext();
  expect(job?.status, job?.error ?? '').toBe('succeeded');
  deps.jobs.start({ concurrency: 1 });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: built.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  await deps?.jobs.stop({ deadlineMs: 2000 });
  await deps?.models.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser: review gate end to end', () => {
  it('a participant sees a summary only after a facilitator approves it, then a reviewed French translation', async () => {
    const participant = await browser.newPage({ locale: 'en-GB', bypassCSP: true });
    await participant.goto(`${base}/`);
    await axe(participant);
    await participant.fill('#code', DEMO.codes[0]);
    await participant.fill('#pseudonym', 'Walker');
    await participant.click('form[action="/join"] button[type=submit]');
    await participant.waitForURL(`**/a/${assemblyId}`);
    await expect.poll(() => participant.locator('[data-testid=no-publications]').count()).toBe(1);
    await axe(participant);

    const facilitator = await browser.newPage({ locale: 'en-GB', bypassCSP: true });
    await facilitator.goto(`${base}/signin`);
    await facilitator.fill('#username', 'facilitator');
    await facilitator.fill('#password', 'plenary-facilitator');
    await facilitator.click('form[action="/signin"] button[type=submit]');
    await facilitator.waitForURL(`**/facilitate/${assemblyId}`);
    expect(await facilitator.locator('[data-count=pending]').textContent()).toBe('1');
    await axe(facilitator);
    await facilitator.click('tr[data-item] a');
    await facilitator.waitForURL(/\/review\//);
    const proposed = await facilitator.locator('[data-desk-render] .desk-sentence-text').first().textContent();
    expect(proposed).toBeTruthy();
    await axe(facilitator);
    await facilitator.click('form[action$="/approve"] button');
    await facilitator.waitForURL(`**/facilitate/${assemblyId}`);

    await participant.reload();
    const article = participant.locator('article.publication');
    await expect.poll(() => article.count()).toBe(1);
    const firstSentence = proposed!.replace(/\s*\[[^\]]*\]\s*$/, '').trim();
    expect(await article.textContent()).toContain(firstSentence);
    expect(await article.locator('.badge.machine').count()).toBe(0);

    // the approval queued a machine translation; it is a review item, invisible to French readers until approved
    await participant.click('a[hreflang=fr]');
    await expect.poll(() => participant.locator('html').getAttribute('lang')).toBe('fr');
    expect(await participant.locator('article.publication').getAttribute('lang')).toBe('en');
    await expect
      .poll(async () => {
        await facilitator.reload();
        return facilitator.locator('[data-count=pending]').textContent();
      }, { timeout: 30_000 })
      .toBe('1');
    await facilitator.click('tr[data-item] a');
    await facilitator.click('form[action$="/approve"] button');
    await facilitator.waitForURL(`**/facilitate/${assemblyId}`);
    await participant.reload();
    const fr = participant.locator('article.publication');
    expect(await fr.getAttribute('lang')).toBe('fr');
    expect(await fr.locator('.badge.machine').textContent()).toContain('Traduction automatique');
    await axe(participant);
  });

  it('shows live job progress on the dashboard and a readable error for a bad sign-in', async () => {
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${base}/signin`);
    await page.fill('#username', 'facilitator');
    await page.fill('#password', 'wrong-password');
    await page.click('form[action="/signin"] button[type=submit]');
    expect(await page.locator('[role=alert]').textContent()).toContain('Wrong username or password');
    await page.fill('#password', 'plenary-facilitator');
    await page.click('form[action="/signin"] button[type=submit]');
    await page.waitForURL(`**/facilitate/${assemblyId}`);
    deps.jobs.enqueue(deps.db, {
      type: 'publications.summarize',
      assemblyId,
      payload: { subject: 'live', title: 'Live', language: 'en', maxSentences: 2, docs: [{ id: 'x1', text: 'Trams should run all night at weekends.' }, { id: 'x2', text: 'Weekend night trams would help shift workers.' }] },
    });
    await expect.poll(() => page.locator('tr[id^=job-] .type', { hasText: 'publications.summarize' }).count(), { timeout: 20_000 }).toBeGreaterThan(1);
    await expect.poll(() => page.locator('tr[id^=job-] .status', { hasText: 'succeeded' }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
  });

  it('every area page a facilitator or a participant opens passes axe-core', async () => {
    const staff = await browser.newPage({ bypassCSP: true });
    await staff.goto(`${base}/signin`);
    await staff.fill('#username', 'facilitator');
    await staff.fill('#password', 'plenary-facilitator');
    await staff.click('form[action="/signin"] button[type=submit]');
    await staff.waitForURL(`**/facilitate/${assemblyId}`);
    const staffLinks = await staff.locator('nav.areas a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')!));
    expect(staffLinks.length).toBeGreaterThanOrEqual(5);
    for (const href of staffLinks) {
      const res = await staff.goto(`${base}${href}`);
      expect(res?.status(), href).toBe(200);
      await axe(staff);
    }
    const member = await browser.newPage({ bypassCSP: true });
    await member.goto(`${base}/join`);
    await member.fill('#code', DEMO.codes[1]);
    await member.fill('#pseudonym', 'Rambler');
    await member.click('form[action="/join"] button[type=submit]');
    await member.waitForURL(`**/a/${assemblyId}`);
    const memberLinks = await member.locator('nav.areas a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')!));
    expect(memberLinks.length).toBeGreaterThanOrEqual(4);
    for (const href of memberLinks) {
      const res = await member.goto(`${base}${href}`);
      expect(res?.status(), href).toBe(200);
      await axe(member);
    }
  });
});
