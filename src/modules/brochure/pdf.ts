import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { CHROMIUM_FIX, CHROMIUM_PATHS, findChromium } from '../../platform/chromium.js';

/**
 * Print-to-PDF with headless Chromium (Debian's `chromium`, as the browser tests use it) through playwright-core's
 * page.pdf(). A job opens a session (a fresh browser context: no JavaScript, no network), prints each language, and
 * closes it. The browser itself stays up for `idleMs` after the last session (starting Chromium is a third of a
 * generation's time on a loaded machine), then exits; a crashed browser is started again on the next session.
 */
export interface PdfSession {
  print(html: string, footer: { of: string }): Promise<Uint8Array>;
  close(): Promise<void>;
}
export interface PdfEngine {
  /** the Chromium executable found, or null (the HTML view still works; a PDF request is refused) */
  executable(): string | null;
  open(): Promise<PdfSession>;
}

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The real engine. `paths` lets a test point it at a missing executable; `idleMs: 0` closes the browser with each session. */
export function chromiumEngine(paths: readonly string[] = CHROMIUM_PATHS, opts: { idleMs?: number } = {}): PdfEngine {
  const idleMs = opts.idleMs ?? 120_000;
  let browser: Promise<Browser> | null = null;
  let sessions = 0;
  let idle: NodeJS.Timeout | null = null;
  const shut = () => {
    const b = browser;
    browser = null;
    void b?.then((x) => x.close()).catch(() => undefined);
  };
  const launch = (executablePath: string) => {
    if (!browser) {
      const p = chromium.launch({ executablePath, args: ARGS, timeout: 60_000 });
      browser = p;
      p.then((b) => b.on('disconnected', () => browser === p && (browser = null)), () => browser === p && (browser = null));
    }
    return browser;
  };
  const release = () => {
    if (--sessions > 0) return;
    if (idleMs <= 0) return shut();
    idle = setTimeout(shut, idleMs);
    idle.unref();
  };
  return {
    executable: () => findChromium(paths),
    async open() {
      const executablePath = findChromium(paths);
      if (!executablePath) throw new Error(`Chromium is not installed: ${CHROMIUM_FIX}`);
      if (idle) clearTimeout(idle);
      idle = null;
      sessions++;
      let context: BrowserContext;
      try {
        // the document is self-contained: nothing may be fetched while printing (evidence links stay links)
        context = await (await launch(executablePath)).newContext({ javaScriptEnabled: false, offline: true });
        await context.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
      } catch (e) {
        release();
        throw e;
      }
      let closed = false;
      return {
        async print(html, footer) {
          const page = await context.newPage();
          try {
            await page.setContent(html, { waitUntil: 'load', timeout: 60_000 });
            const pdf = await page.pdf({
              format: 'A4',
              printBackground: true,
              preferCSSPageSize: true,
              outline: true,
              tagged: true,
              displayHeaderFooter: true,
              headerTemplate: '<span></span>',
              footerTemplate: `<div style="font-size:8pt;width:100%;text-align:center;color:#444"><span class="pageNumber"></span> ${footer.of.replace(/[<>&]/g, '')} <span class="totalPages"></span></div>`,
            });
            return new Uint8Array(pdf);
          } finally {
            await page.close().catch(() => undefined);
          }
        },
        async close() {
          if (closed) return;
          closed = true;
          await context.close().catch(() => undefined);
          release();
        },
      };
    },
  };
}
