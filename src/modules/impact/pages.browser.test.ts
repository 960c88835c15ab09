import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { finalRecommendation } from './testing.js';
import { axeViolations, hasChromium, launchBrowser, listen } from '../../testing/browser.js';

/**
 * Impact pages in Chromium at 360 px, French and English, with axe: a facilitator adds a timeline entry (and is told,
 * in French, what is wrong with a bad source); the public page, signed out, shows it and filters by status.
 */

let s: TestService;
let browser: Browser;
let closeServer: (() => void) | undefined;
let base: string;
let rec: string;
let other: string;

async function axe(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
}

const fitsWidth = async (p: Page) => {
  const wide = await p.evaluate(() => Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('[style*="overflow"]')).map((e) => `${e.tagName}.${e.className}#${e.id}`).slice(0, 5));
  expect(wide, p.url()).toEqual([]);
  return p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
};

beforeAll(async () => {
  s = await testService();
  rec = finalRecommendation(s, 'Buses every ten minutes on the main lines');
  other = finalRecommendation(s, 'Safe cycle lanes on every main road');
  ({ base, close: closeServer } = await listen(s.app));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  closeServer?.();
});

describe.skipIf(!hasChromium)('impact pages in a browser', () => {
  it('staff add an entry; the public page, signed out, shows it and filters by status', async () => {
    const f = await browser.newPage({ locale: 'fr-FR', viewport: { width: 360, height: 740 }, bypassCSP: true });
    await f.goto(`${base}/signin`);
    await f.fill('#username', 'facilitator');
    await f.fill('#password', 'facilitator-password-123');
    await Promise.all([f.waitForNavigation(), f.click('form[action="/signin"] button[type=submit]')]);
    await f.goto(`${base}/facilitate/${s.assemblyId}/impact?lang=fr`);
    expect(await f.locator('h1').textContent()).toBe('Suivi des suites données');
    await axe(f);
    await Promise.all([f.waitForNavigation(), f.click(`[data-impact="${rec}"] a`)]);
    // a source that is not a link: refused in French, what was typed is kept
    await f.fill('#entry-date', '2026-11-02');
    await f.fill('#entry-text', 'Le conseil a voté le budget des nouvelles lignes.');
    await f.fill('#entry-sources', 'procès-verbal du conseil');
    await f.selectOption('#entry-status', 'in_progress');
    await f.fill('#entry-progress', '40');
    await Promise.all([f.waitForNavigation(), f.click('form[action*="/entries"] button[type=submit]')]);
    expect(await f.locator('#entry-error').textContent()).toContain('n’est pas un lien web');
    expect(await f.inputValue('#entry-text')).toBe('Le conseil a voté le budget des nouvelles lignes.');
    expect(await fitsWidth(f)).toBe(true);
    await axe(f);
    await f.fill('#entry-sources', 'https://example.org/conseil/2026-11-02 Procès-verbal');
    await Promise.all([f.waitForNavigation(), f.click('form[action*="/entries"] button[type=submit]')]);
    expect(await f.locator('[data-entry]').count()).toBe(1);
    expect(await f.locator('[data-progress]').textContent()).toBe('40 %');
    await f.fill('#theme', 'Transports publics');
    await Promise.all([f.waitForNavigation(), f.click('form[action*="/theme"] button[type=submit]')]);
    await f.fill('#resp-text', 'La région accepte et financera dès 2027.');
    await f.fill('#resp-date', '2026-10-15');
    await f.fill('#resp-url', 'https://example.org/region/reponse');
    await Promise.all([f.waitForNavigation(), f.click('form[action*="/response"] button[type=submit]')]);
    expect(await f.locator('[data-response]').textContent()).toContain('La région accepte');
    await axe(f);

    // signed out
    const pub = await browser.newPage({ viewport: { width: 360, height: 740 }, bypassCSP: true });
    for (const lang of ['fr', 'en'] as const) {
      await pub.goto(`${base}/p/test-assembly/impact?lang=${lang}`);
      expect(await pub.locator('html').getAttribute('lang')).toBe(lang);
      expect(await pub.locator('[data-impact]').count()).toBe(2);
      const card = pub.locator(`[data-impact="${rec}"]`);
      expect(await card.textContent()).toContain('Le conseil a voté le budget');
      expect(await card.textContent()).toContain('La région accepte');
      expect(await card.locator('[data-status-label]').textContent()).toBe(lang === 'fr' ? 'en cours' : 'in progress');
      expect(await fitsWidth(pub)).toBe(true);
      await axe(pub);
    }
    // filter by status with the form (no script): the address carries the filter and can be shared
    await pub.selectOption('#f-status', 'in_progress');
    await Promise.all([pub.waitForNavigation(), pub.click('form[role=search] button[type=submit]')]);
    expect(pub.url()).toContain('status=in_progress');
    expect(pub.url()).toContain('lang=en');
    expect(await pub.locator('[data-impact]').count()).toBe(1);
    expect(await pub.locator(`[data-impact="${rec}"]`).count()).toBe(1);
    await pub.goto(`${base}/p/test-assembly/impact?status=not_started&lang=fr`);
    expect(await pub.locator('[data-impact]').count()).toBe(1);
    expect(await pub.locator(`[data-impact="${other}"]`).count()).toBe(1);
    expect(await pub.locator('#f-status').inputValue()).toBe('not_started');
    await pub.goto(`${base}/p/test-assembly/impact?theme=${encodeURIComponent('Transports publics')}`);
    expect(await pub.locator('[data-impact]').count()).toBe(1);
    await axe(pub);
  }, 120_000);
});
