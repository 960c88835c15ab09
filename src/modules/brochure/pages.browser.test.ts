import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { addRecommendations, pdfText, staffCtx } from './testkit.js';
import { axeViolations, hasChromium, launchBrowser, listen } from '../../testing/browser.js';

/**
 * The brochure pages in Chromium at 360 px, with axe: a facilitator makes a version in French, watches its progress
 * bar move, downloads the PDF (whose text holds a recommendation's title); the French pages show no English string
 * outside text marked lang="en"; the public page lists the version and the web view reads well on a phone.
 */
const EN = JSON.parse(readFileSync(new URL('./i18n/en.json', import.meta.url), 'utf8')) as Record<string, string>;
const FR = JSON.parse(readFileSync(new URL('./i18n/fr.json', import.meta.url), 'utf8')) as Record<string, string>;

let s: TestService;
let browser: Browser;
let closeServer: (() => void) | undefined;
let base: string;

async function axe(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
}

const fitsWidth = async (p: Page) => {
  const wide = await p.evaluate(() => Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('[style*="overflow"], .table-wrap')).map((e) => `${e.tagName}.${e.className}#${e.id}`).slice(0, 5));
  expect(wide, p.url()).toEqual([]);
  return p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
};

/** The page's text outside elements marked as another language than French. */
const frenchText = (p: Page) =>
  p.evaluate(() => {
    const out: string[] = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('script, style')) continue;
      if ((el.closest('[lang]')?.getAttribute('lang') ?? 'fr') === 'fr') out.push(n.textContent ?? '');
    }
    return out.join(' ');
  });

/** Every English string of this module that differs from its French (each literal piece of 12+ characters) is absent. */
function expectNoEnglish(text: string, where: string) {
  const found = Object.entries(EN)
    .filter(([k, v]) => FR[k] !== v)
    .flatMap(([, v]) => v.split(/\{\w+\}/).map((x) => x.trim()).filter((x) => x.length >= 12))
    .filter((frag) => text.includes(frag));
  expect(found, where).toEqual([]);
}

async function signIn(p: Page, who: 'admin' | 'facilitator') {
  await p.goto(`${base}/signin`);
  await p.fill('#username', who);
  await p.fill('#password', `${who}-password-123`);
  await Promise.all([p.waitForNavigation(), p.click('form[action="/signin"] button[type=submit]')]);
}

beforeAll(async () => {
  s = await testService({ config: { dataDir: mkdtempSync(join(tmpdir(), 'plenary-brochure-b-')) } });
  const c = staffCtx(s.deps, s.users.facilitator, s.assemblyId);
  addRecommendations(c, s.assemblyId, 4, { final: true });
  addRecommendations(c, s.assemblyId, 2, { final: true, lang: 'fr', offset: 4 });
  ({ base, close: closeServer } = await listen(s.app));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  closeServer?.();
});

describe.skipIf(!hasChromium)('brochure pages in a browser', () => {
  it('staff make a version, see its progress, download the PDF; French pages have no English; public page and view at 360 px', async () => {
    const f = await browser.newPage({ locale: 'fr-FR', viewport: { width: 360, height: 740 }, bypassCSP: true, acceptDownloads: true });
    await signIn(f, 'facilitator');
    await f.goto(`${base}/facilitate/${s.assemblyId}/brochure?lang=fr`);
    expect(await f.locator('h1').textContent()).toBe('Brochure des recommandations');
    await f.uncheck('input[name="languages"][value="en"]');
    await Promise.all([f.waitForNavigation(), f.click(`form[action$="/brochure"] button[type=submit]`)]);
    const job = s.deps.jobs.list({ assemblyId: s.assemblyId, type: 'brochure.generate' })[0];
    expect(job.status).toBe('queued');
    await f.waitForSelector(`#job-${job.id} progress`);
    // the page follows the job over server-sent events while it runs here
    const running = s.deps.jobs.runNext();
    await f.waitForFunction((id) => {
      const v = (document.querySelector(`#job-${id} progress`) as HTMLProgressElement | null)?.value ?? 0;
      return v > 0 && v < 100;
    }, job.id, { timeout: 60_000 });
    expect((await running)?.status).toBe('succeeded');
    await f.waitForFunction((id) => (document.querySelector(`#job-${id} progress`) as HTMLProgressElement | null)?.value === 100, job.id, { timeout: 30_000 });
    expectNoEnglish(await frenchText(f), 'staff page while running');

    await f.goto(`${base}/facilitate/${s.assemblyId}/brochure?lang=fr`);
    expect(await f.locator('[data-version]').count()).toBe(1);
    expect(await f.locator('[data-version]').textContent()).toContain('français');
    expect(await fitsWidth(f)).toBe(true);
    await axe(f);
    expectNoEnglish(await frenchText(f), 'staff page');
    const [download] = await Promise.all([f.waitForEvent('download'), f.click('[data-version] a[data-pdf]')]);
    expect(download.suggestedFilename()).toBe('test-assembly-brochure-v1-fr.pdf');
    const text = pdfText(readFileSync(await download.path()));
    expect(text).toContain('Recommandation 5 : créer des produits locaux dans les cantines');
    expect(text).toContain('Recommendation 1: create bus lanes on the ring road');

    // the web view of the drafts in French: English recommendations are marked lang="en" and labelled
    await f.goto(`${base}/facilitate/${s.assemblyId}/brochure/view?scope=drafts&lang=fr`);
    expect(await f.locator('html').getAttribute('lang')).toBe('fr');
    expect(await f.locator('article[lang="en"] .label').first().textContent()).toContain('Texte original en anglais');
    expectNoEnglish(await frenchText(f), 'French view');
    expect(await fitsWidth(f)).toBe(true);
    await axe(f);

    const pub = await browser.newPage({ viewport: { width: 360, height: 740 }, bypassCSP: true });
    for (const lang of ['fr', 'en'] as const) {
      await pub.goto(`${base}/p/test-assembly/brochure?lang=${lang}`);
      expect(await pub.locator('html').getAttribute('lang')).toBe(lang);
      expect(await pub.locator('[data-version]').count()).toBe(1);
      expect(await fitsWidth(pub)).toBe(true);
      await axe(pub);
      // the public reads the published version (made in French only here), not the live text
      await pub.goto(`${base}/p/test-assembly/brochure/view?lang=${lang}`);
      expect(await pub.locator('nav.toc a[href^="#rec-"]').count()).toBe(lang === 'fr' ? 6 : 0);
      expect(await pub.locator('[data-testid="no-public-version"]').count()).toBe(lang === 'fr' ? 0 : 1);
      expect(await fitsWidth(pub)).toBe(true);
      await axe(pub);
      if (lang === 'fr') expectNoEnglish(await frenchText(pub), 'public French view');
    }
    // drafts are not for the public
    const res = await pub.goto(`${base}/facilitate/${s.assemblyId}/brochure/view?scope=drafts&lang=en`);
    expect(res?.status()).toBe(401);
  }, 180_000);
});
