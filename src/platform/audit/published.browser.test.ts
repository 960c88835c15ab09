import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { recordAudit } from './audit.js';

/** The public transparency page with the audit log's signed head, in Debian's chromium: both languages, 360 px, axe. */
const CHROMIUM = '/usr/bin/chromium';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let s: TestService;
let browser: Browser;
let server: ServerType;
let base: string;

beforeAll(async () => {
  s = await testService();
  s.db.transaction((tx) => recordAudit(tx, { actorId: null, action: 'test', subject: 'x' }));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: s.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
  if (existsSync(CHROMIUM)) browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe.skipIf(!existsSync(CHROMIUM))('transparency page with the signed audit head', () => {
  it('fits 360 px, passes axe, in French and English', async () => {
    const head = (await (await s.call('public', 'GET', '/.well-known/plenary-audit-head')).json()) as { seq: number; signature: string };
    for (const [lang, title] of [['fr', 'Journal d’audit : dernière tête signée'], ['en', 'Audit log: latest signed head']]) {
      const p = await browser.newPage({ locale: lang, viewport: { width: 360, height: 800 }, bypassCSP: true });
      await p.goto(`${base}/p/test-assembly/sortition?lang=${lang}`);
      await expect(p.locator('#audit-head').textContent()).resolves.toBe(title);
      await expect(p.locator('[data-audit-head] [data-signature]').textContent()).resolves.toBe(head.signature);
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await p.addScriptTag({ content: axeSource });
      const violations = await p.evaluate(async () => {
        const r = await (window as unknown as { axe: { run: (o: object) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
        return r.violations.map((v) => `${v.id} (${v.nodes.length})`);
      });
      expect(violations).toEqual([]);
      await p.close();
    }
  });
});
