import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { axeViolations, hasChromium, launchBrowser, listen } from '../../testing/browser.js';

/**
 * Debates in a real browser (Debian's chromium) at 360 px: a member subscribes, comments with an alignment,
 * replies, and sees the notification of another member's comment; HTML in a comment stays text; a facilitator
 * drafts a summary, reviews it as members will see it and approves it; the member then sees it, labelled as
 * machine-made (and not before). axe on every page.
 */

let s: TestService;
let browser: Browser;
let closeServer: (() => void) | undefined;
let base: string;

async function axe(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
}

/** nothing wider than the 360 px viewport */
async function fits(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `horizontal scroll on ${page.url()}`).toBeLessThanOrEqual(360);
}

beforeAll(async () => {
  s = await testService();
  ({ base, close: closeServer } = await listen(s.app));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  closeServer?.();
});

describe.skipIf(!hasChromium)('debates pages in a browser', () => {
  it('comment with an alignment, reply, subscribe, notification, inert HTML, then a reviewed summary', async () => {
    const api = `/api/assemblies/${s.assemblyId}/debates`;
    const d = (await (await s.call('facilitator', 'POST', api, { title: 'Should the city centre be car-free?', description: 'Air, noise, shops.' })).json()) as { id: string };
    const url = `${base}/a/${s.assemblyId}/debates/${d.id}`;

    const m = await browser.newPage({ locale: 'en-GB', bypassCSP: true, viewport: { width: 360, height: 780 } });
    await m.goto(`${base}/join`);
    await m.fill('#code', s.codes[0]);
    await m.fill('#pseudonym', 'Ada');
    await m.click('form[action="/join"] button[type=submit]');
    await m.waitForURL(`**/a/${s.assemblyId}`);
    await m.click(`a[href="/a/${s.assemblyId}/debates"]`);
    await m.click(`a[href="/a/${s.assemblyId}/debates/${d.id}"]`);
    await axe(m);
    await fits(m);

    // subscribe
    await Promise.all([m.waitForNavigation(), m.click('form[data-subscription="off"] button[type=submit]')]);
    expect(await m.locator('form[data-subscription="on"]').count()).toBe(1);

    // an empty comment is refused by the browser (required); an over-long one is cut by maxlength — the server's messages are tested in the API tests
    await m.fill('#comment-body', 'Fewer cars means cleaner air for the children walking to school.');
    await m.check('#al-in_favour');
    await Promise.all([m.waitForNavigation(), m.click('form[action$="/comments"] button[type=submit] >> nth=0')]);
    await m.goto(url);
    const mine = m.locator('li[data-comment][data-depth="0"]').first();
    expect(await mine.locator('[data-alignment]').first().getAttribute('data-alignment')).toBe('in_favour');
    expect(await m.locator('[data-counts] [data-alignment="in_favour"] strong').textContent()).toBe('1');

    // another member writes (through the API), with HTML that must stay text
    const other = (await (await s.call('participant', 'POST', `${api}/${d.id}/comments`, { body: '<script>window.__xss = 1</script><b>Shops</b> will suffer.', alignment: 'against' })).json()) as { id: number };
    await m.goto(url);
    const theirs = m.locator(`li[data-comment="${other.id}"] .body`).first();
    expect(await theirs.textContent()).toBe('<script>window.__xss = 1</script><b>Shops</b> will suffer.');
    expect(await m.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await m.locator(`li[data-comment="${other.id}"] b`).count()).toBe(0);

    // reply to it
    await Promise.all([m.waitForNavigation(), m.click(`a[data-reply="${other.id}"]`)]);
    await m.fill(`#c${other.id}-body`, 'Shops in car-free streets often sell more.');
    await m.check(`#c${other.id}-al-neutral`);
    await Promise.all([m.waitForNavigation(), m.click(`form#reply-${other.id} button[type=submit]`)]);
    const reply = m.locator(`li[data-comment="${other.id}"] li[data-depth="1"]`);
    expect(await reply.count()).toBe(1);
    expect(await reply.locator('.body').textContent()).toBe('Shops in car-free streets often sell more.');
    await axe(m);
    await fits(m);

    // the notification of a subscriber
    await s.call('participant', 'POST', `${api}/${d.id}/comments`, { body: 'Buses would need new routes.', alignment: 'neutral' });
    await m.goto(`${base}/a/${s.assemblyId}/notifications`);
    const note = m.locator('li[data-notification][data-read="no"] a', { hasText: 'Tester commented in “Should the city centre be car-free?”' });
    // Tester's two comments since Ada subscribed (the HTML one and this one); Ada's own comment and reply notify nobody
    expect(await note.count()).toBe(2);
    await axe(m);
    await fits(m);
    await Promise.all([m.waitForNavigation(), note.first().click()]);
    expect(await m.locator('.body', { hasText: 'Buses would need new routes.' }).count()).toBe(1);

    // French page: French labels
    await m.goto(`${url}?lang=fr`);
    expect(await m.locator('#counts-h').textContent()).toBe('Commentaires par position');
    expect(await m.locator('label[for="al-against"]').textContent()).toContain('Contre');
    await axe(m);

    // a facilitator drafts a summary, reviews it as members will see it, approves it
    const f = await browser.newPage({ locale: 'en-GB', bypassCSP: true });
    await f.goto(`${base}/signin`);
    await f.fill('#username', 'facilitator');
    await f.fill('#password', 'facilitator-password-123');
    await Promise.all([f.waitForNavigation(), f.click('form[action="/signin"] button[type=submit]')]);
    await f.goto(`${base}/facilitate/${s.assemblyId}/debates`);
    await axe(f);
    await Promise.all([f.waitForNavigation(), f.click(`article[data-debate="${d.id}"] form[action$="/summary"] button`)]);
    const job = await s.deps.jobs.runNext();
    expect(job?.status, job?.error ?? '').toBe('succeeded');
    await m.goto(url);
    expect(await m.locator('[data-summary]').count()).toBe(0); // not before approval
    await f.goto(`${base}/facilitate/${s.assemblyId}/debates`);
    await Promise.all([f.waitForNavigation(), f.click('a[data-draft]')]);
    expect(await f.locator('[data-summary] .badge.machine').count()).toBe(1);
    await axe(f);
    expect(await f.locator('main').textContent()).not.toContain('"sourceIds"'); // no JSON on the desk
    await Promise.all([f.waitForNavigation(), f.click('form[action$="/approve"] button')]);

    await m.goto(url);
    const summary = m.locator('[data-summary]');
    expect(await summary.count()).toBe(1);
    expect(await summary.locator('.badge.machine').textContent()).toContain('Made by a machine');
    expect(await summary.locator('.cite').first().textContent()).toMatch(/#\d+/);
    await axe(m);
    await fits(m);
  }, 120_000);

  it('a member proposes an amendment, a facilitator accepts it, and the paragraph history shows the diff', async () => {
    const api = `/api/assemblies/${s.assemblyId}/texts`;
    const t = (await (await s.call('facilitator', 'POST', api, { title: 'Report of the assembly', body: '# Transport\n\nThe centre should have fewer cars.' })).json()) as { id: string };
    const text = (await (await s.call('facilitator', 'GET', `${api}/${t.id}`)).json()) as { sections: Array<{ paragraphs: Array<{ id: number }> }> };
    const pid = text.sections[0].paragraphs[0].id;

    const m = await browser.newPage({ locale: 'fr-FR', bypassCSP: true, viewport: { width: 360, height: 780 } });
    await m.goto(`${base}/join`);
    await m.fill('#code', s.codes[1]);
    await m.fill('#pseudonym', 'Bram');
    await m.click('form[action="/join"] button[type=submit]');
    await m.waitForURL(`**/a/${s.assemblyId}`);
    await m.goto(`${base}/a/${s.assemblyId}/texts/${t.id}?lang=fr`);
    await axe(m);
    await fits(m);
    await Promise.all([m.waitForNavigation(), m.click(`[data-paragraph="${pid}"] a`)]);
    expect(await m.locator('#propose-h').textContent()).toBe('Proposer un amendement');
    await m.fill('#am-text', 'The centre should have far fewer cars by 2030.');
    await m.fill('#am-just', 'Une date rend la proposition concrète.');
    await Promise.all([m.waitForNavigation(), m.click('form[action$="/amendments"] button[type=submit]')]);
    expect(await m.locator('[data-amendment][data-status="open"]').count()).toBe(1);
    await axe(m);
    await fits(m);

    const f = await browser.newPage({ locale: 'en-GB', bypassCSP: true });
    await f.goto(`${base}/signin`);
    await f.fill('#username', 'facilitator');
    await f.fill('#password', 'facilitator-password-123');
    await Promise.all([f.waitForNavigation(), f.click('form[action="/signin"] button[type=submit]')]);
    await f.goto(`${base}/a/${s.assemblyId}/texts/${t.id}/paragraphs/${pid}`);
    await Promise.all([f.waitForNavigation(), f.click('button[data-accept]')]);
    expect(await f.locator('[data-amendment][data-status="accepted"]').count()).toBe(1);

    await m.reload();
    expect(await m.locator('[data-current]').textContent()).toBe('The centre should have far fewer cars by 2030.');
    const v2 = m.locator('li[data-version="2"]');
    expect(await v2.locator('ins').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('far')]));
    expect((await v2.locator('ins').allTextContents()).join('')).toContain('2030');
    await axe(m);
  }, 120_000);
});
