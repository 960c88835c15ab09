import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctxFor } from '../../deps.js';
import { testService, type TestService } from '../../testing/service.js';
import { createInvitations } from '../identity/service.js';
import { panel } from './testkit.js';
import { axeViolations, hasChromium, launchBrowser, listen } from '../../testing/browser.js';

/**
 * The allocation in a real browser (Debian's chromium), at 360 px wide: a member joins; a facilitator allocates the
 * session from its page, sees the figures, moves a member by hand and publishes; the member then sees the join link
 * on their home page (the session starts in 5 minutes) and their group. axe runs on every page.
 */

let s: TestService;
let browser: Browser;
let closeServer: (() => void) | undefined;
let base: string;

async function axe(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
  // usable at 360 px: nothing wider than the screen
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

beforeAll(async () => {
  s = await testService({ config: { videoBase: 'https://video.example.org' } });
  ({ base, close: closeServer } = await listen(s.app));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  closeServer?.();
});

describe.skipIf(!hasChromium)('deliberation pages in a browser', () => {
  it('a facilitator allocates, adjusts and publishes; the member then sees their breakout room', async () => {
    const viewport = { width: 360, height: 800 };
    const p = await browser.newPage({ locale: 'fr-FR', viewport, bypassCSP: true });
    await p.goto(`${base}/join?code=${s.codes[0]}`);
    await p.fill('#pseudonym', 'Camille');
    await p.selectOption('#language', 'fr');
    await Promise.all([p.waitForNavigation(), p.click('form[action="/join"] button[type=submit]')]);
    panel(s, 14, { staff: 2 }); // with Tester and Camille: 16 members → 2 groups of 8, 4 facilitators
    const soon = new Date(Date.now() + 5 * 60_000).toISOString();
    const sid = ((await (await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/breakouts/sessions`, { title: 'Semaine 1', startsAt: soon })).json()) as { id: string }).id;

    await p.goto(`${base}/a/${s.assemblyId}/groups`);
    expect(await p.locator('[data-testid=no-groups]').count()).toBe(1); // nothing before publication
    await axe(p);

    const f = await browser.newPage({ locale: 'en-GB', viewport, bypassCSP: true });
    await f.goto(`${base}/signin`);
    await f.fill('#username', 'facilitator');
    await f.fill('#password', 'facilitator-password-123');
    await Promise.all([f.waitForNavigation(), f.click('form[action="/signin"] button[type=submit]')]);
    await f.goto(`${base}/facilitate/${s.assemblyId}/breakouts`);
    await Promise.all([f.waitForNavigation(), f.click(`a[data-allocate="${sid}"]`)]);
    await axe(f);
    await Promise.all([f.waitForNavigation(), f.click('form[data-testid=allocate] button[type=submit]')]);
    // the search runs as a job: the page shows its bar (and no second allocate form) until it is done
    expect(await f.getAttribute('[data-testid=allocation-job]', 'data-status')).toBe('queued');
    expect(await f.locator('[data-testid=allocation-job] progress').count()).toBe(1);
    expect(await f.locator('form[data-testid=allocate]').count()).toBe(0);
    await axe(f);
    expect((await s.deps.jobs.runNext())?.status).toBe('succeeded');
    await Promise.all([f.waitForNavigation(), f.click('[data-testid=allocation-refresh]')]);
    expect(await f.locator('[data-testid=allocation-job]').count()).toBe(0);
    expect(await f.locator('[data-testid=figures]').count()).toBe(1);
    expect(await f.locator('[data-group] li').count()).toBe(16);
    await axe(f);

    // move the first member of group 1 into group 2
    const mover = await f.locator('[data-group="0"] li').first().getAttribute('data-member');
    await f.selectOption('#mv-member', mover!);
    await f.selectOption('#mv-group', '1');
    await Promise.all([f.waitForNavigation(), f.click('form[data-testid=move] button[type=submit]')]);
    expect(await f.locator('[data-group="0"] li').count()).toBe(7);
    expect(await f.locator(`[data-group="1"] li[data-member="${mover}"]`).count()).toBe(1);
    await Promise.all([f.waitForNavigation(), f.click('[data-testid=publish]')]);
    expect(await f.locator('[data-testid=published]').count()).toBe(1);

    // the member: the join link on the home page (5 minutes before the start), their group on their page
    await p.goto(`${base}/a/${s.assemblyId}`);
    const href = await p.locator('[data-testid=join-now] a[data-room]').getAttribute('href');
    expect(href).toMatch(/^https:\/\/video\.example\.org\/plenary-[a-z2-7]{32}$/);
    await axe(p);
    await p.goto(`${base}/a/${s.assemblyId}/groups`);
    expect(await p.locator('[data-my-group] a[data-room]').getAttribute('href')).toBe(href);
    expect(await p.locator('[data-my-group] li', { hasText: 'Camille' }).count()).toBe(1);
    expect(await p.textContent('h1')).toBe('Mes groupes');
    await axe(p);
  });

  it('a member opens a material and finishes it, asks a question and supports another; a facilitator proposes the slate', async () => {
    const viewport = { width: 360, height: 800 };
    const api = `/api/assemblies/${s.assemblyId}`;
    const m = (await (await s.call('facilitator', 'POST', `${api}/learning/materials`, { kind: 'video', title: 'La mobilité en ville', url: 'https://video.example/talk', transcript: 'Bonjour à toutes et à tous.', language: 'fr', minutes: 12 })).json()) as { id: string };
    await s.call('participant', 'POST', `${api}/questions`, { text: 'Combien coûte une ligne de tram ?' });
    const p = await browser.newPage({ locale: 'fr-FR', viewport, bypassCSP: true });
    await p.goto(`${base}/join?code=${s.codes[1]}`);
    await p.fill('#pseudonym', 'Dominique');
    await p.selectOption('#language', 'fr');
    await Promise.all([p.waitForNavigation(), p.click('form[action="/join"] button[type=submit]')]);

    await p.goto(`${base}/a/${s.assemblyId}/learning`);
    expect(await p.textContent(`[data-material="${m.id}"] [data-progress]`)).toBe('pas encore ouvert');
    await axe(p);
    await Promise.all([p.waitForNavigation(), p.click(`[data-material="${m.id}"] a`)]);
    expect(await p.locator('[data-material-link]').getAttribute('href')).toBe('https://video.example/talk');
    await axe(p);
    await Promise.all([p.waitForNavigation(), p.click('form[action$="/finished"] button')]);
    expect(await p.locator('[data-testid=finished]').count()).toBe(1);
    await p.goto(`${base}/a/${s.assemblyId}/learning`);
    expect(await p.textContent(`[data-material="${m.id}"] [data-progress]`)).toBe('terminé');

    await p.goto(`${base}/a/${s.assemblyId}/questions`);
    await p.fill('#q-text', 'Qui paie les pistes cyclables ?');
    await Promise.all([p.waitForNavigation(), p.click('form[action$="/questions"] button[type=submit]')]);
    const other = p.locator('[data-question]', { hasText: 'tram' });
    await Promise.all([p.waitForNavigation(), other.locator('button').click()]);
    expect(await p.locator('[data-question]', { hasText: 'tram' }).locator('[data-supports]').textContent()).toBe('1 soutien(s)');
    // supporting twice is refused with a clear message (the button is still there, pressed)
    await Promise.all([p.waitForNavigation(), p.locator('[data-question]', { hasText: 'tram' }).locator('button').click()]);
    expect(await p.textContent('[data-testid=error]')).toContain('Vous soutenez déjà cette question.');
    await axe(p);

    const f = await browser.newPage({ locale: 'en-GB', viewport, bypassCSP: true });
    await f.goto(`${base}/signin`);
    await f.fill('#username', 'facilitator');
    await f.fill('#password', 'facilitator-password-123');
    await Promise.all([f.waitForNavigation(), f.click('form[action="/signin"] button[type=submit]')]);
    await f.goto(`${base}/facilitate/${s.assemblyId}/learning`);
    await Promise.all([f.waitForNavigation(), f.click('form[action$="/slate"] button[type=submit]')]);
    expect(await f.locator('[data-testid=slate] ol li').count()).toBe(2);
    await axe(f);
  });

  it('calendar: a facilitator adds a session in a time zone (a too-short training refused); a member checks in and subscribes; attendance pages pass axe', async () => {
    const viewport = { width: 360, height: 800 };
    const f = await browser.newPage({ locale: 'en-GB', viewport, bypassCSP: true });
    await f.goto(`${base}/signin`);
    await f.fill('#username', 'facilitator');
    await f.fill('#password', 'facilitator-password-123');
    await Promise.all([f.waitForNavigation(), f.click('form[action="/signin"] button[type=submit]')]);
    await f.goto(`${base}/facilitate/${s.assemblyId}/calendar`);
    await axe(f);
    // a training phase that is too short is refused on the page, with the reason
    await f.selectOption('#ph-kind', 'training');
    await f.fill('#ph-title', 'Digital skills');
    await f.fill('#ph-start', '2030-01-01');
    await f.fill('#ph-end', '2030-01-05');
    await Promise.all([f.waitForNavigation(), f.click('form[action$="/calendar/phases"] button[type=submit]')]);
    expect(await f.textContent('[data-testid=error]')).toContain('at least two weeks');
    // a plenary starting now in Paris time, created through the form (wall-clock time + zone → UTC)
    const now = new Date(Date.now() + 5 * 60_000);
    const paris = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(now).replace(' ', 'T');
    await f.selectOption('#ev-kind', 'plenary');
    await f.fill('#ev-title', 'Plénière du soir');
    await f.fill('#ev-start', paris);
    await f.selectOption('#ev-tz', 'Europe/Paris');
    await Promise.all([f.waitForNavigation(), f.click('form[action$="/calendar/sessions"] button[type=submit]')]);
    const sessions = (await (await s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/calendar/sessions`)).json()) as Array<{ id: string; startsAt: string; timeZone: string }>;
    const ev = sessions.find((e) => e.timeZone === 'Europe/Paris')!;
    expect(Math.abs(Date.parse(ev.startsAt) - now.getTime())).toBeLessThan(60_000);

    const p = await browser.newPage({ locale: 'fr-FR', viewport, bypassCSP: true });
    const { codes } = createInvitations(ctxFor(s.deps, { kind: 'user', id: s.users.admin, role: 'admin', displayName: 'admin', language: 'en', via: 'token', assemblyIds: [] }), s.assemblyId, { count: 1 });
    await p.goto(`${base}/join?code=${codes[0]}`);
    await p.fill('#pseudonym', 'Sacha');
    await p.selectOption('#language', 'fr');
    await Promise.all([p.waitForNavigation(), p.click('form[action="/join"] button[type=submit]')]);
    await p.goto(`${base}/a/${s.assemblyId}/calendar`);
    await axe(p);
    await Promise.all([p.waitForNavigation(), p.click(`[data-my-event="${ev.id}"] form button`)]);
    expect(await p.textContent(`[data-my-event="${ev.id}"]`)).toContain('Présence : présent·e');
    await Promise.all([p.waitForNavigation(), p.click('form[action$="/calendar/feed"] button')]);
    const feed = await p.inputValue('[data-testid=feed-url]');
    const ics = await (await fetch(feed)).text();
    expect(ics).toContain('SUMMARY:Plénière du soir');
    await axe(p);

    await f.goto(`${base}/facilitate/${s.assemblyId}/calendar/sessions/${ev.id}`);
    await axe(f);
    await f.goto(`${base}/facilitate/${s.assemblyId}/calendar`);
    expect(await f.locator('[data-testid=attendance-members] tr[data-needs-call]').count()).toBeGreaterThan(0);
  });
});
