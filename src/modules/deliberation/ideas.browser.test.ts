import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { twoRounds } from './testkit.js';
import { axeViolations, hasChromium, launchBrowser, listen } from '../../testing/browser.js';

/**
 * Ideas from group to group in a real browser (Debian's chromium), at 360 px wide, axe on every page: the facilitator
 * of a round-1 group types an idea and approves it on the review desk (shown as the groups will see it); the
 * facilitator of a round-2 group, reading in French, sees it with its origin and marks it discussed; the idea flow
 * shows that group as having seen and discussed it.
 */

let s: TestService;
let browser: Browser;
let closeServer: (() => void) | undefined;
let base: string;

async function axe(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

async function signIn(locale: string, username: string, password: string) {
  const p = await browser.newPage({ locale, viewport: { width: 360, height: 800 }, bypassCSP: true });
  await p.goto(`${base}/signin`);
  await p.fill('#username', username);
  await p.fill('#password', password);
  await Promise.all([p.waitForNavigation(), p.click('form[action="/signin"] button[type=submit]')]);
  return p;
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

describe.skipIf(!hasChromium)('ideas from group to group in a browser', () => {
  it('a facilitator shares an idea, approves it on the desk; another group’s facilitator sees its origin and marks it discussed; the flow shows it', async () => {
    const { A, C, fac2 } = await twoRounds(s, { fac2Language: 'fr' });

    const f = await signIn('en-GB', 'facilitator', 'facilitator-password-123');
    await f.goto(`${base}/a/${s.assemblyId}/groups`);
    await Promise.all([f.waitForNavigation(), f.click(`a[data-group-ideas="${A}"]`)]);
    expect(await f.locator('[data-testid=no-ideas]').count()).toBe(1);
    await axe(f);
    // an empty idea is refused on the page with the reason; nothing is sent
    await f.fill('#idea-text', '   ');
    await Promise.all([f.waitForNavigation(), f.click('form[data-testid=share] button[type=submit]')]);
    expect(await f.textContent('[data-testid=error]')).toContain('The idea is empty');
    await f.fill('#idea-text', 'Free buses on Sundays, paid by a tourist tax');
    await Promise.all([f.waitForNavigation(), f.click('form[data-testid=share] button[type=submit]')]);
    expect(await f.locator('[data-testid=shared]').count()).toBe(1);
    await axe(f);

    // the review desk shows it as the receiving groups will: text, origin group and round, audience
    await Promise.all([f.waitForNavigation(), f.click('[data-testid=pending] a[data-review]')]);
    expect(await f.textContent('[data-shared-idea] [data-origin]')).toBe('From A, round 1 (Week 1)');
    expect(await f.locator('[data-target-round="2"]').count()).toBeGreaterThan(0);
    await axe(f);
    await Promise.all([f.waitForNavigation(), f.click('button[data-approve]')]);

    // the facilitator of C (round 2), reading in French
    const g = await signIn('fr-FR', fac2.username, fac2.password);
    await g.goto(`${base}/a/${s.assemblyId}/groups/${C}/ideas`);
    expect(await g.textContent('h1')).toBe('Idées des autres groupes — C, tour 2');
    const card = g.locator('[data-shared-idea]', { hasText: 'Free buses on Sundays' });
    expect(await card.locator('[data-origin]').textContent()).toBe('Venue de : A, tour 1 (Week 1)');
    await axe(g);
    await Promise.all([g.waitForNavigation(), card.locator('button[data-mark]').click()]);
    expect(await g.locator('[data-shared-idea]', { hasText: 'Free buses on Sundays' }).locator('[data-discussed]').textContent()).toBe('Discutée par ce groupe');
    await axe(g);

    // the idea flow: C saw and discussed it; D has not seen it yet
    await f.goto(`${base}/facilitate/${s.assemblyId}/deliberation/ideas`);
    const row = f.locator(`[data-flow-group="${C}"]`);
    expect(await row.getAttribute('data-seen')).toBe('yes');
    expect(await row.getAttribute('data-discussed')).toBe('yes');
    expect(await f.locator('[data-flow-group][data-seen="no"]').count()).toBe(1);
    await axe(f);
    await g.goto(`${base}/facilitate/${s.assemblyId}/deliberation/ideas`);
    expect(await g.textContent('h1')).toBe('Circulation des idées entre groupes');
    await axe(g);
  });
});
