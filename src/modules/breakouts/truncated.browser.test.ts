import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { ffmpeg, moreMembers, setupGroup, tempDir } from './testkit.js';
import { hasChromium, launchBrowser, listen } from '../../testing/browser.js';

/** The upload form in a real browser (Debian's chromium) says, in French, that a stored recording looks cut short. */
let s: TestService;
let browser: Browser;
let closeServer: (() => void) | undefined;
let base: string;

beforeAll(async () => {
  s = await testService({ config: { dataDir: tempDir() } });
  ({ base, close: closeServer } = await listen(s.app));
  if (hasChromium) browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  closeServer?.();
});

describe.skipIf(!hasChromium)('a truncated recording uploaded through the page', () => {
  it('is stored and the page says it looks cut short, in the page language', async () => {
    const { ada } = moreMembers(s);
    const { groupId } = await setupGroup(s, [ada]);
    const dir = tempDir();
    const whole = ffmpeg(dir, 'talk.ogg', ['-f', 'lavfi', '-i', 'sine=frequency=220:duration=12', '-f', 'lavfi', '-i', 'anoisesrc=d=12:a=0.05', '-filter_complex', 'amix=inputs=2', '-c:a', 'libopus', '-b:a', '18k']);
    const f = await browser.newPage({ locale: 'fr-FR', viewport: { width: 360, height: 800 } });
    await f.goto(`${base}/signin?lang=fr`);
    await f.fill('#username', 'facilitator');
    await f.fill('#password', 'facilitator-password-123');
    await Promise.all([f.waitForNavigation(), f.click('form[action="/signin"] button[type=submit]')]);
    await f.goto(`${base}/facilitate/${s.assemblyId}/breakouts/groups/${groupId}?lang=fr`);
    await f.setInputFiles('#uf', { name: 'coupe.ogg', mimeType: 'audio/ogg', buffer: Buffer.from(whole.subarray(0, 3000)) });
    await f.click('form[data-uploader] button[type=submit]');
    const status = f.locator('[data-upload-status]');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/Enregistré, mais « coupe\.ogg » semble tronqué : seules \d,\d s d’audio/);
    const group = (await (await s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/breakouts/groups/${groupId}`)).json()) as { tracks: Array<{ filename: string }> };
    expect(group.tracks.map((t) => t.filename)).toEqual(['coupe.ogg']);
  });
});
