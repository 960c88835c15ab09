import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { runJob } from './testkit.js';
import { axeViolations, hasChromium, launchBrowser, listen } from '../../testing/browser.js';

/**
 * The open-data pages in Chromium at 360 px, in French and English, with axe: the facilitator makes a package and
 * publishes it, the public page links the zip, the admin's import page names the problem of a bad file.
 */

let s: TestService;
let browser: Browser;
let closeServer: (() => void) | undefined;
let base: string;

async function axe(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
}

const fitsWidth = async (p: Page) => {
  const wide = await p.evaluate(() => Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('[style*="overflow"]')).map((e) => `${e.tagName}.${e.className}#${e.id}`).slice(0, 5));
  expect(wide, p.url()).toEqual([]);
  return p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
};

async function signIn(p: Page, who: 'admin' | 'facilitator') {
  await p.goto(`${base}/signin`);
  await p.fill('#username', who);
  await p.fill('#password', `${who}-password-123`);
  await Promise.all([p.waitForNavigation(), p.click('form[action="/signin"] button[type=submit]')]);
}

beforeAll(async () => {
  s = await testService({ config: { dataDir: mkdtempSync(join(tmpdir(), 'plenary-od-')) } });
  ({ base, close: closeServer } = await listen(s.app));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  closeServer?.();
});

describe.skipIf(!hasChromium)('open-data pages in a browser', () => {
  it('make, publish and download a package; public page in fr and en; import page refuses a bad file', async () => {
    const f = await browser.newPage({ locale: 'fr-FR', viewport: { width: 360, height: 740 }, bypassCSP: true });
    await signIn(f, 'facilitator');
    await f.goto(`${base}/facilitate/${s.assemblyId}/opendata?lang=fr`);
    expect(await f.locator('h1').textContent()).toBe('Données ouvertes');
    await f.selectOption('#od-status', 'final');
    await Promise.all([f.waitForNavigation(), f.click('form[action$="/opendata/exports"] button[type=submit]')]);
    const job = s.deps.jobs.list({ assemblyId: s.assemblyId, type: 'opendata.export' })[0];
    expect((await runJob(s, job.id)).status).toBe('succeeded');
    await f.goto(`${base}/facilitate/${s.assemblyId}/opendata?lang=fr`);
    expect(await f.locator('[data-export]').count()).toBe(1);
    expect(await f.locator('[data-export]').textContent()).toContain('terminée');
    expect(await fitsWidth(f)).toBe(true);
    await axe(f);
    await Promise.all([f.waitForNavigation(), f.click('[data-export] form button[type=submit]')]);
    await f.goto(`${base}/facilitate/${s.assemblyId}/opendata?lang=fr`);
    expect(await f.locator('[data-export]').textContent()).toContain('publié');

    const pub = await browser.newPage({ viewport: { width: 360, height: 740 }, bypassCSP: true, acceptDownloads: true });
    for (const lang of ['fr', 'en'] as const) {
      await pub.goto(`${base}/p/test-assembly/opendata?lang=${lang}`);
      expect(await pub.locator('html').getAttribute('lang')).toBe(lang);
      expect(await pub.locator('h1').textContent()).toContain(lang === 'fr' ? 'Données ouvertes' : 'Open data');
      expect(await pub.locator('[data-testid="interim"]').count()).toBe(0);
      expect(await fitsWidth(pub)).toBe(true);
      await axe(pub);
    }
    const [download] = await Promise.all([pub.waitForEvent('download'), pub.click('[data-testid="od-download"]')]);
    expect(download.suggestedFilename()).toBe('test-assembly-open-data.zip');

    const a = await browser.newPage({ locale: 'en-GB', viewport: { width: 360, height: 740 }, bypassCSP: true });
    await signIn(a, 'admin');
    await a.goto(`${base}/admin/opendata/import`);
    await axe(a);
    await a.setInputFiles('#od-package', { name: 'bad.zip', mimeType: 'application/zip', buffer: Buffer.from('this is not a zip file') });
    await Promise.all([a.waitForNavigation(), a.click('form[action="/admin/opendata/imports"] button[type=submit]')]);
    expect(await a.locator('#import-error').textContent()).toContain('not a zip archive');
    expect(await fitsWidth(a)).toBe(true);
    await axe(a);
  }, 120_000);
});
