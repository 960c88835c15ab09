import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { axeViolations, hasChromium, launchBrowser, listen } from '../../testing/browser.js';

/**
 * Members come back (issue 12), in a real browser (Debian's chromium), in English and in French: a member joins,
 * signs out, comes back with the code on their letter and their pseudonym in a new browser context (another
 * device), and someone with the same code and another pseudonym is refused and told to ask a facilitator. The
 * facilitator sees the last sign-in and reissues the code. Every page passes axe.
 */

let s: TestService;
let browser: Browser;
let closeServer: (() => void) | undefined;
let base: string;
const codeOf: Partial<Record<'en' | 'fr', string>> = {};

async function axe(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
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

const TEXT = {
  en: { refused: 'This code belongs to a member with another pseudonym', ask: 'ask a facilitator', signout: 'Sign out' },
  fr: { refused: 'Ce code appartient à un membre qui a un autre pseudonyme', ask: 'demandez de l’aide à l’équipe d’animation', signout: 'Se déconnecter' },
} as const;

async function enter(page: Page, code: string, pseudonym: string) {
  await page.goto(`${base}/join`);
  await page.fill('#code', code);
  await page.fill('#pseudonym', pseudonym);
  await page.click('form[action="/join"] button[type=submit]');
}

describe.skipIf(!hasChromium)('members come back, in a browser', () => {
  for (const lang of ['en', 'fr'] as const) {
    it(`(${lang}) signs out, comes back with code and pseudonym on a new context, refused with another pseudonym`, async () => {
      const { codes } = (await (await s.call('admin', 'POST', `/api/assemblies/${s.assemblyId}/invitations`, { count: 1 })).json()) as { codes: string[] };
      const code = codes[0];
      codeOf[lang] = code;
      const pseudonym = lang === 'fr' ? 'Amélie' : 'Oliver';
      const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';

      const first = await browser.newContext({ locale, bypassCSP: true });
      const p1 = await first.newPage();
      await enter(p1, code, pseudonym);
      await p1.waitForURL(`**/a/${s.assemblyId}`);
      expect(await p1.locator('html').getAttribute('lang')).toBe(lang);
      await p1.getByRole('button', { name: TEXT[lang].signout }).click();
      await p1.waitForURL(`${base}/`);
      expect((await first.cookies()).some((c) => c.name === 'plenary_session')).toBe(false);
      await first.close();

      // another device: a fresh context with no cookie
      const second = await browser.newContext({ locale, bypassCSP: true });
      const p2 = await second.newPage();
      await enter(p2, code.toLowerCase(), pseudonym.toUpperCase());
      await p2.waitForURL(`**/a/${s.assemblyId}`);
      await axe(p2);
      await second.close();

      const third = await browser.newContext({ locale, bypassCSP: true });
      const p3 = await third.newPage();
      await enter(p3, code, 'Someone Else');
      const error = p3.locator('#join-error');
      await error.waitFor();
      const text = await error.textContent();
      expect(text).toContain(TEXT[lang].refused);
      expect(text).toContain(TEXT[lang].ask);
      expect(new URL(p3.url()).pathname).toBe('/join');
      expect((await third.cookies()).some((c) => c.name === 'plenary_session')).toBe(false);
      await axe(p3);
      await third.close();
    }, 60_000);
  }

  it('(en, fr) the facilitator sees the last sign-in and reissues a code; the old code stops working', async () => {
    const ctx = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
    const f = await ctx.newPage();
    await f.goto(`${base}/signin`);
    await f.fill('#username', 'facilitator');
    await f.fill('#password', 'facilitator-password-123');
    await f.click('form[action="/signin"] button[type=submit]');
    await f.waitForURL(`**/facilitate/${s.assemblyId}`);
    await f.goto(`${base}/facilitate/${s.assemblyId}/members`);
    await axe(f);
    const row = f.locator('tr', { has: f.locator('th', { hasText: 'Amélie' }) });
    expect(await row.locator('[data-last-signin]').getAttribute('data-last-signin')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    await row.getByRole('button').click();
    const code = (await f.locator('[data-testid=new-code]').textContent())!.trim();
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await axe(f);
    await f.goto(`${base}/lang/en?next=/facilitate/${s.assemblyId}/members`);
    expect(await f.locator('h1').textContent()).toBe('Members and their sign-ins');
    await ctx.close();

    const m = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
    const p = await m.newPage();
    await enter(p, codeOf.fr!, 'Amélie');
    expect(await p.locator('#join-error').textContent()).toContain('Ce code a été remplacé par un nouveau');
    await enter(p, code, 'Amélie');
    await p.waitForURL(`**/a/${s.assemblyId}`);
    await m.close();
  }, 60_000);
});
