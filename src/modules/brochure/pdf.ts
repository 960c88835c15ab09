import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_FIX, CHROMIUM_PATHS, findChromium } from '../../platform/chromium.js';

/**
 * Print-to-PDF with headless Chromium (Debian's `chromium`, as the browser tests use it) through playwright-core's
 * page.pdf(). The brochure job opens one browser, prints each language, and closes it.
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

/** The real engine. `paths` lets a test point it at a missing executable. */
export function chromiumEngine(paths: readonly string[] = CHROMIUM_PATHS): PdfEngine {
  return {
    executable: () => findChromium(paths),
    async open() {
      const executablePath = findChromium(paths);
      if (!executablePath) throw new Error(`Chromium is not installed: ${CHROMIUM_FIX}`);
      const browser: Browser = await chromium.launch({ executablePath, args: ARGS, timeout: 60_000 });
      // the document is self-contained: nothing may be fetched while printing (evidence links stay links)
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      await context.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
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
          await browser.close().catch(() => undefined);
        },
      };
    },
  };
}
