import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import type { OpinionMapPayload } from '../conversations/domain.js';
import { pendingOpinionMap } from '../review/testing.js';
import { axeViolations, hasChromium, launchBrowser, listen } from '../../testing/browser.js';

/**
 * The support forecast in a real browser (Debian's chromium) at 360 px: a facilitator requests it on the ballot page
 * (the recommendations already linked to the statements with the same words), opens the draft from the page, reviews
 * it on the desk and approves it; a member (in French) then sees it on the ballot page, labelled as a forecast with
 * how it was made. axe on every screen.
 */

let s: TestService;
let browser: Browser;
let closeServer: (() => void) | undefined;
let base: string;
let ballotId: string;

async function axe(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `horizontal overflow at 360 px on ${page.url()}`).toBeLessThanOrEqual(0);
}

beforeAll(async () => {
  s = await testService();
  const mapItem = await pendingOpinionMap(s, 'Our streets');
  const approved = await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/review/${mapItem}/approve`);
  expect(approved.status).toBe(200);
  const convId = (s.deps.review.get(s.db, mapItem).payload as OpinionMapPayload).conversationId;
  const stmts = (await (await s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/conversations/${convId}/statements`)).json()) as Array<{ text: string }>;
  const b = await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/ballots`, { title: 'Final recommendations', method: 'threshold', threshold: 0.6, thresholdBase: 'cast', options: [stmts[0].text, stmts[11].text], closesAt: new Date(Date.now() + 86_400_000).toISOString() });
  ballotId = ((await b.json()) as { id: string }).id;
  ({ base, close: closeServer } = await listen(s.app));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  closeServer?.();
});

const viewport = { width: 360, height: 800 };

describe.skipIf(!hasChromium)('ballot forecast in a browser', () => {
  it('a facilitator requests, reviews and approves the forecast; a member then sees it on the ballot page', async () => {
    const a = s.assemblyId;
    const f = await browser.newPage({ locale: 'en-GB', bypassCSP: true, viewport });
    await f.goto(`${base}/signin`);
    await f.fill('#username', 'facilitator');
    await f.fill('#password', 'facilitator-password-123');
    await Promise.all([f.waitForNavigation(), f.click('form[action="/signin"] button[type=submit]')]);
    await f.goto(`${base}/facilitate/${a}/ballots/${ballotId}`);
    // the recommendations are linked to the statements with the same words; the threshold is the ballot's
    expect(await f.locator('#fc-link-o1 option:checked').textContent()).toMatch(/^#\d+ Statement number/);
    expect(await f.inputValue('#fc-threshold')).toBe('60');
    await axe(f);
    await Promise.all([f.waitForNavigation(), f.click('form[action$="/forecast"] button[type=submit]')]);
    expect(await f.locator('[data-forecast-card] [role=status]').textContent()).toContain('being computed');
    for (let i = 0; i < 5 && (await s.deps.jobs.runNext()); i++);
    await f.reload();
    await Promise.all([f.waitForNavigation(), f.click('[data-forecast-pending] a')]);
    expect(await f.locator('h1').textContent()).toContain('Support forecast — Final recommendations');
    expect(await f.locator('[data-forecast-table] tbody tr').count()).toBe(2);
    expect(await f.locator('[data-forecast-table] [data-verdict]').first().textContent()).toMatch(/^No/);
    await axe(f);
    await Promise.all([f.waitForNavigation(), f.click('[data-approve]')]);

    // a member, in French
    const p = await browser.newPage({ locale: 'fr-FR', bypassCSP: true, viewport });
    await p.goto(`${base}/join?code=${s.codes[0]}`);
    await p.fill('#pseudonym', 'Camille');
    await p.selectOption('#language', 'fr');
    await Promise.all([p.waitForNavigation(), p.click('form[action="/join"] button[type=submit]')]);
    await p.goto(`${base}/a/${a}/ballots/${ballotId}`);
    const section = p.locator('section[data-forecast]');
    expect(await section.locator('h2').textContent()).toBe('Prévision : soutien dans chaque groupe d’opinion');
    expect(await section.locator('.badge').textContent()).toBe('Prévision, pas un résultat');
    expect(await section.locator('[data-forecast-table] th[data-group]').count()).toBeGreaterThanOrEqual(2);
    await section.locator('[data-forecast-provenance] summary').click();
    expect(await section.locator('[data-forecast-provenance]').textContent()).toContain('Empreinte des données utilisées');
    await axe(p);
  }, 120_000);
});
