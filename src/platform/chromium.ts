import { accessSync, constants } from 'node:fs';

/** Where Debian, Ubuntu and Chrome put a Chromium the service can drive headless (brochure PDFs; /readyz reports it). */
export const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
export const CHROMIUM_FIX = 'apt-get install -y chromium (npm run setup installs it)';

/** The first executable of `paths`, or null. */
export function findChromium(paths: readonly string[] = CHROMIUM_PATHS): string | null {
  for (const p of paths) {
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}
