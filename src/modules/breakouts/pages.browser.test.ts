import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { MODULES } from '../index.js';
import type { TranscriptPayload } from './domain.js';
import { breakoutsModule } from './module.js';
import { moreMembers, runAll, setupGroup, sha, tempDir } from './testkit.js';
import { axeViolations, hasChromium, launchBrowser, listen } from '../../testing/browser.js';

/**
 * The breakouts pages in a real browser (Debian's chromium): the facilitator uploads a real WAV through the page's
 * chunked uploader (64 KiB chunks, so the incremental SHA-256 spans several), the server stores it with the
 * checksum the browser computed; then, on the transcript review page, a segment's play button moves the player.
 */
const WAV = fileURLToPath(new URL('../../../fixtures/audio/two-speakers-a.wav', import.meta.url));

let s: TestService;
let browser: Browser;
let closeServer: (() => void) | undefined;
let base: string;

async function axe(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
}

beforeAll(async () => {
  s = await testService({ config: { dataDir: tempDir() }, modules: [...MODULES.filter((m) => m.name !== 'breakouts'), breakoutsModule({ limits: { chunkBytes: 64 * 1024 } })] });
  ({ base, close: closeServer } = await listen(s.app));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  closeServer?.();
});

describe.skipIf(!hasChromium)('breakouts pages in a browser', () => {
  it('uploads a recording through the page with a matching sha256, and seeks the player from a transcript segment', async () => {
    const { ada } = moreMembers(s);
    const { api, groupId } = await setupGroup(s, [ada]);
    const bytes = new Uint8Array(readFileSync(WAV));
    expect(bytes.length).toBeGreaterThan(3 * 64 * 1024); // several chunks

    const f = await browser.newPage({ locale: 'en-GB', bypassCSP: true });
    await f.goto(`${base}/signin`);
    await f.fill('#username', 'facilitator');
    await f.fill('#password', 'facilitator-password-123');
    await Promise.all([f.waitForNavigation(), f.click('form[action="/signin"] button[type=submit]')]);
    await f.goto(`${base}/facilitate/${s.assemblyId}/breakouts/groups/${groupId}`);
    await f.setInputFiles('#uf', WAV);
    await f.selectOption('#um', ada);
    // the page reloads once the upload is complete and verified
    await Promise.all([f.waitForNavigation({ timeout: 30_000 }), f.click('form[data-uploader] button[type=submit]')]);
    expect(await f.locator('[data-track]').count()).toBe(1);
    await axe(f);
    const group = (await (await s.call('facilitator', 'GET', `${api}/groups/${groupId}`)).json()) as { tracks: Array<{ sha256: string; sizeBytes: number; memberId: string }> };
    expect(group.tracks).toHaveLength(1);
    expect(group.tracks[0]).toMatchObject({ sha256: sha(bytes), sizeBytes: bytes.length, memberId: ada });

    // transcribe (fake models) and open the review page
    await s.call('facilitator', 'POST', `${api}/groups/${groupId}/transcribe`, {});
    await runAll(s);
    const item = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'transcript', status: ['pending'] })[0];
    const segments = (item.payload as TranscriptPayload).segments;
    const last = segments[segments.length - 1];
    expect(last.start).toBeGreaterThan(1);
    await f.goto(`${base}/facilitate/${s.assemblyId}/breakouts/transcripts/${item.id}`);
    const player = f.locator('audio[data-player="0"]');
    expect(await player.evaluate((a: HTMLAudioElement) => a.currentTime)).toBe(0);
    await f.click(`tr[data-segment="${last.index}"] button[data-seek]`);
    await f.waitForFunction((at) => Math.abs((document.querySelector('audio[data-player="0"]') as HTMLAudioElement).currentTime - at) < 0.5, last.start, { timeout: 10_000 });
    // the audio really loaded through the Range route (not just a remembered seek position)
    await f.waitForFunction(() => (document.querySelector('audio[data-player="0"]') as HTMLAudioElement).readyState >= 1, undefined, { timeout: 10_000 });
    expect(await player.evaluate((a: HTMLAudioElement) => a.duration)).toBeGreaterThan(last.start);
  });
});
