import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { axeViolations, hasChromium, launchBrowser, listen } from '../../testing/browser.js';

/**
 * The ballot pages in a real browser (Debian's chromium) at 360 px: a facilitator creates a ranked ballot with a
 * quorum through the form; a member (in French) votes, changes their vote with the receipt kept by the browser;
 * the facilitator sees turnout against quorum, closes, and sees the results with the pairwise matrix; the member
 * finds their ballot by receipt in the public list. axe on every screen.
 */

let s: TestService;
let browser: Browser;
let closeServer: (() => void) | undefined;
let base: string;

async function axe(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `horizontal overflow at 360 px on ${page.url()}`).toBeLessThanOrEqual(0);
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

const viewport = { width: 360, height: 800 };

describe.skipIf(!hasChromium)('ballot pages in a browser', () => {
  it('a member votes, changes their vote and finds their receipt after close; a facilitator sees turnout against quorum and the results', async () => {
    const a = s.assemblyId;
    const f = await browser.newPage({ locale: 'en-GB', bypassCSP: true, viewport });
    await f.goto(`${base}/signin`);
    await f.fill('#username', 'facilitator');
    await f.fill('#password', 'facilitator-password-123');
    await Promise.all([f.waitForNavigation(), f.click('form[action="/signin"] button[type=submit]')]);
    await f.goto(`${base}/facilitate/${a}/ballots`);
    await axe(f);
    await f.fill('#b-title', 'Final vote on mobility');
    await f.selectOption('#b-method', 'schulze');
    await f.fill('#b-options', 'Bike lanes\nNight buses\nCar-free centre');
    await f.fill('#b-quorum', '50');
    await f.fill('#b-closes', new Date(Date.now() + 86_400_000).toISOString().slice(0, 16));
    await Promise.all([f.waitForNavigation(), f.click('form[action$="/ballots"] button[type=submit]')]);
    const ballotUrl = f.url();
    const ballotId = ballotUrl.split('/').pop()!;
    expect(await f.locator('[data-turnout]').getAttribute('data-turnout')).toBe('0');

    // a member, in French, joins and votes
    const p = await browser.newPage({ locale: 'fr-FR', bypassCSP: true, viewport });
    await p.goto(`${base}/join?code=${s.codes[0]}`);
    await p.fill('#pseudonym', 'Camille');
    await p.selectOption('#language', 'fr');
    await Promise.all([p.waitForNavigation(), p.click('form[action="/join"] button[type=submit]')]);
    await p.goto(`${base}/a/${a}/ballots/${ballotId}`);
    expect(await p.locator('html').getAttribute('lang')).toBe('fr');
    expect(await p.locator('h1').textContent()).toBe('Final vote on mobility');
    await axe(p);
    await p.selectOption('#v-o1', '1');
    await p.selectOption('#v-o2', '2');
    await Promise.all([p.waitForNavigation(), p.click('form[action$="/vote"] button[type=submit]')]);
    const receipt = await p.locator('[data-receipt]').getAttribute('data-receipt');
    expect(receipt).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    expect(await p.locator('[data-receipt]').textContent()).toContain('Votre code de reçu');
    await axe(p);
    // change the vote: the browser kept the receipt, the form carries it
    expect(await p.inputValue('#receipt')).toBe(receipt);
    await p.selectOption('#v-o3', '1');
    await p.selectOption('#v-o1', '2');
    await Promise.all([p.waitForNavigation(), p.click('form[action$="/vote"] button[type=submit]')]);
    expect(await p.locator('[data-receipt]').getAttribute('data-receipt')).toBe(receipt);

    // the facilitator sees turnout against quorum (1 of 2 members = 50 %: met), closes, sees the results
    await f.goto(ballotUrl);
    expect(await f.locator('[data-turnout]').getAttribute('data-turnout')).toBe('1');
    expect(await f.locator('[data-turnout]').getAttribute('data-eligible')).toBe('2');
    expect(await f.locator('[data-quorum-met]').getAttribute('data-quorum-met')).toBe('yes');
    await axe(f);
    await Promise.all([f.waitForNavigation(), f.click('form[action$="/close"] button[type=submit]')]);
    expect(await f.locator('[data-status]').getAttribute('data-status')).toBe('closed');
    expect(await f.locator('[data-winners]').textContent()).toContain('Car-free centre');
    expect(await f.locator('table[data-matrix=pairwise] tbody tr').count()).toBe(3);
    await axe(f);

    // the member finds their ballot by receipt after close, as changed
    await p.goto(`${base}/a/${a}/ballots/${ballotId}`);
    await Promise.all([p.waitForNavigation(), p.click('form[method=get] button[type=submit]')]);
    expect(await p.locator('[data-found]').textContent()).toContain('Car-free centre > Bike lanes');
    await axe(p);
    await p.goto(`${base}/a/${a}/ballots/${ballotId}/list`);
    expect(await p.locator(`table[data-public-list] code:text("${receipt}")`).count()).toBe(1);
    await axe(p);
  }, 120_000);
});
