import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium } from '../platform/chromium.js';

/**
 * What every browser test shares: Debian's chromium (PLENARY_CHROMIUM overrides the path), the app served on a
 * loopback port, and axe-core's WCAG 2.1 AA rules run in the page.
 */
export const CHROMIUM = process.env.PLENARY_CHROMIUM ?? findChromium() ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Serves `app` on 127.0.0.1 at a free port; `base` is its origin. */
export function listen(app: { fetch: (req: Request) => Response | Promise<Response> }): Promise<{ base: string; close: () => void }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({ base: `http://127.0.0.1:${info.port}`, close: () => server.close() });
    });
  });
}

let axeSource: string | undefined;

/** axe-core's WCAG 2 A/AA and 2.1 AA violations on the page, as "rule (impact, n nodes)". */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] },
    });
    return r.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
  });
}

/** How far the page scrolls sideways beyond its viewport, in CSS pixels (0 when it does not). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
}
