import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import type { OpinionMapPayload } from '../conversations/domain.js';
import type { TextMapPayload } from '../contributions/domain.js';
import { pendingOpinionMap, pendingTextMap } from './testing.js';
import { axeViolations, hasChromium, launchBrowser, listen } from '../../testing/browser.js';

/**
 * The review desk in a real browser (Debian's chromium), in English at 1280 px and in French at 360 px, each page
 * checked with axe-core, for JSON text and for sideways scrolling: a facilitator reviews an opinion map (sees the
 * map, names two groups in the form, publishes) and a text map (renames a cluster, publishes); the second text map
 * is shown beside the approved one.
 */

let s: TestService;
let browser: Browser;
let closeServer: (() => void) | undefined;
let base: string;

async function axe(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
}

/** The page as read (every <details> opened): no JSON text anywhere, and nothing wider than the window. */
async function readable(page: Page) {
  const r = await page.evaluate(() => {
    document.querySelectorAll('details').forEach((d) => (d.open = true));
    return { text: document.body.innerText, scroll: document.documentElement.scrollWidth, width: window.innerWidth };
  });
  expect(r.text).not.toMatch(/"[\w$-]+"\s*:|\{\s*"|\[\s*\{/);
  expect(r.scroll, 'the desk scrolls sideways').toBeLessThanOrEqual(r.width);
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = false)));
}

/** The decision bar stays at the top of the window while the reviewer reads down the page. */
async function actionsStayAtHand(page: Page) {
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const box = await page.locator('[data-desk-actions]').boundingBox();
  expect(box).not.toBeNull();
  expect(box!.y).toBeLessThanOrEqual(1);
  expect(await page.locator('[data-approve]').isVisible()).toBe(true);
  await page.evaluate(() => window.scrollTo(0, 0));
}

async function signIn(lang: 'en' | 'fr', width: number) {
  const page = await browser.newPage({ locale: lang === 'fr' ? 'fr-FR' : 'en-GB', viewport: { width, height: 800 }, bypassCSP: true });
  await page.goto(`${base}/signin`);
  await page.fill('#username', 'facilitator');
  await page.fill('#password', 'facilitator-password-123');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/signin"] button[type=submit]')]);
  await page.goto(`${base}/lang/${lang}?next=/signin`);
  return page;
}

const deskUrl = (id: string) => `${base}/facilitate/${s.assemblyId}/review/${id}`;

beforeAll(async () => {
  s = await testService();
  ({ base, close: closeServer } = await listen(s.app));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  closeServer?.();
});

const cases = [
  { lang: 'en', width: 1280, names: ['Green streets', 'Car users'], cluster: 'Trees and shade', publish: 'Publish my edit', approve: 'Approve and publish' },
  { lang: 'fr', width: 360, names: ['Rues vertes', 'Automobilistes'], cluster: 'Arbres et ombre', publish: 'Publier ma version', approve: 'Approuver et publier' },
] as const;

describe.skipIf(!hasChromium)('the review desk in a browser', () => {
  for (const c of cases) {
    it(`${c.lang} at ${c.width} px: an opinion map (sees it, names two groups in the form, publishes) and a text map (renames a cluster, publishes)`, async () => {
      const mapId = await pendingOpinionMap(s, `Transport (${c.lang})`);
      const page = await signIn(c.lang, c.width);

      // ---- the opinion map ----
      await page.goto(deskUrl(mapId));
      expect(await page.locator('html').getAttribute('lang')).toBe(c.lang);
      await expect.poll(() => page.locator('[data-desk-render] svg.opinion-map').isVisible()).toBe(true);
      expect(await page.locator('[data-desk-render] section[data-group]').count()).toBe(2);
      expect(await page.locator('[data-approve]').textContent()).toBe(c.approve);
      await readable(page);
      await actionsStayAtHand(page);
      await axe(page);
      if (process.env.DESK_SHOTS) await page.screenshot({ path: `${process.env.DESK_SHOTS}/opinion-map-${c.lang}-${c.width}.png`, fullPage: true });
      await page.click('a[href="#desk-edit"]');
      await page.fill('#edit-label-0', c.names[0]);
      await page.fill('#edit-label-1', c.names[1]);
      await page.fill('#edit-desc-0', c.lang === 'fr' ? 'Des arbres, des parcs et le vélo d’abord' : 'Trees, parks and cycling first');
      await Promise.all([page.waitForURL(`**/facilitate/${s.assemblyId}`), page.click(`[data-publish-edit] >> text=${c.publish}`)]);
      const map = s.deps.review.get(s.db, mapId);
      expect(map.status).toBe('edited');
      expect((map.editedPayload as OpinionMapPayload).groups.map((g) => g.label)).toEqual([...c.names]);
      // the decided desk shows the named groups in the picture and what the reviewer changed
      await page.goto(deskUrl(mapId));
      expect(await page.locator('[data-desk-render] svg.opinion-map').textContent()).toContain(c.names[0]);
      expect(await page.locator('[data-desk-compare] tr[data-change=changed]').count()).toBe(2);
      await readable(page);
      await axe(page);

      // ---- the text map ----
      const textId = await textMapDraft();
      await page.goto(deskUrl(textId));
      await expect.poll(() => page.locator('[data-desk-render] svg.text-map').isVisible()).toBe(true);
      expect(await page.locator('[data-desk-render] [data-cluster]').count()).toBeGreaterThan(1);
      if (c.lang === 'fr') expect(await page.locator('[data-desk-compare] table').count()).toBe(1); // the approved English-run map beside this draft
      await readable(page);
      await actionsStayAtHand(page);
      await axe(page);
      if (process.env.DESK_SHOTS) await page.screenshot({ path: `${process.env.DESK_SHOTS}/text-map-${c.lang}-${c.width}.png`, fullPage: true });
      const first = (s.deps.review.get(s.db, textId).payload as TextMapPayload).clusters.find((x) => x.level === 1)!;
      await page.click('a[href="#desk-edit"]');
      await page.fill(`#edit-label-${first.id}`, c.cluster);
      await Promise.all([page.waitForURL(`**/facilitate/${s.assemblyId}`), page.click('[data-publish-edit]')]);
      const tm = s.deps.review.get(s.db, textId);
      expect(tm.status).toBe('edited');
      expect((tm.editedPayload as TextMapPayload).clusters.find((x) => x.id === first.id)!.label).toBe(c.cluster);
      await page.goto(deskUrl(textId));
      expect(await page.locator(`[data-desk-render] [data-cluster="${first.id}"] [data-cluster-label]`).textContent()).toBe(c.cluster);
      await axe(page);
      await page.close();
    }, 120_000);
  }

  it('fr at 360 px: a summary reads sentence by sentence, each one\'s cited contributions opening in place', async () => {
    let sum = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'summary', status: ['pending'] })[0];
    if (!sum) {
      await textMapDraft();
      sum = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'summary', status: ['pending'] })[0];
    }
    const page = await signIn('fr', 360);
    await page.goto(deskUrl(sum.id));
    const first = page.locator('[data-desk-render] li[data-sentence="0"]');
    const cited = (sum.payload as { sentences: Array<{ sourceIds: string[] }> }).sentences[0].sourceIds[0];
    const text = (s.db.$client.prepare('select text from contributions where id = ?').get(cited) as { text: string }).text;
    expect(await first.locator(`[data-source="${cited}"]`).isVisible()).toBe(false); // folded until asked for
    await first.locator('details.desk-cite > summary').click();
    expect(await first.locator(`[data-source="${cited}"] blockquote`).first().textContent()).toBe(text);
    await readable(page);
    await actionsStayAtHand(page);
    await axe(page);
    if (process.env.DESK_SHOTS) await page.screenshot({ path: `${process.env.DESK_SHOTS}/summary-fr-360.png`, fullPage: true });
    await page.close();
  }, 120_000);
});

/** The first call imports the fixture and drafts a map; later calls draft a new map of the same contributions. */
let imported = false;
async function textMapDraft(): Promise<string> {
  if (!imported) {
    imported = true;
    return pendingTextMap(s);
  }
  const res = await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/text-maps`, { mode: 'lexical' });
  expect(res.status).toBe(202);
  for (let i = 0; i < 50 && (await s.deps.jobs.runNext()); i++);
  return s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'text-map', status: ['pending'] })[0].id;
}
