import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { recordAudit } from './audit.js';
import { axeViolations, hasChromium, launchBrowser, listen } from '../../testing/browser.js';

/** The public transparency page with the audit log's signed head, in Debian's chromium: both languages, 360 px, axe. */
let s: TestService;
let browser: Browser;
let closeServer: (() => void) | undefined;
let base: string;

beforeAll(async () => {
  s = await testService();
  s.db.transaction((tx) => recordAudit(tx, { actorId: null, action: 'test', subject: 'x' }));
  ({ base, close: closeServer } = await listen(s.app));
  if (hasChromium) browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  closeServer?.();
});

describe.skipIf(!hasChromium)('transparency page with the signed audit head', () => {
  it('fits 360 px, passes axe, in French and English', async () => {
    const head = (await (await s.call('public', 'GET', '/.well-known/plenary-audit-head')).json()) as { seq: number; signature: string };
    for (const [lang, title] of [['fr', 'Journal d’audit : dernière tête signée'], ['en', 'Audit log: latest signed head']]) {
      const p = await browser.newPage({ locale: lang, viewport: { width: 360, height: 800 }, bypassCSP: true });
      await p.goto(`${base}/p/test-assembly/sortition?lang=${lang}`);
      await expect(p.locator('#audit-head').textContent()).resolves.toBe(title);
      await expect(p.locator('[data-audit-head] [data-signature]').textContent()).resolves.toBe(head.signature);
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      const violations = await axeViolations(p);
      expect(violations).toEqual([]);
      await p.close();
    }
  });
});
