import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctxFor } from '../../deps.js';
import { PUBLIC } from '../../platform/context.js';
import { testService, type TestService } from '../../testing/service.js';
import { createInvitations, join } from '../identity/service.js';
import { answerSurvey } from './service.js';
import { axeViolations, hasChromium, launchBrowser, listen } from '../../testing/browser.js';

/**
 * Survey pages in a real browser (Debian's chromium) at 360 px: a facilitator creates a questionnaire in the form and
 * opens it; a member (in French) finds it from their home page, answers, and is refused a second answer with a
 * sentence; the facilitator sees opinion change in aggregate. axe on every screen.
 */

let s: TestService;
let browser: Browser;
let closeServer: (() => void) | undefined;
let base: string;
let others: string[];

async function axe(page: Page) {
  const violations = await axeViolations(page);
  expect(violations, `accessibility violations on ${page.url()}`).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `horizontal overflow at 360 px on ${page.url()}`).toBeLessThanOrEqual(0);
}

beforeAll(async () => {
  s = await testService();
  const admin = ctxFor(s.deps, { kind: 'user', id: s.users.admin, role: 'admin', displayName: 'A', language: 'en', via: 'token', assemblyIds: [] });
  const { codes } = createInvitations(admin, s.assemblyId, { count: 5 });
  others = codes.map((code, i) => join(ctxFor(s.deps, PUBLIC), { code, pseudonym: `Member ${i}`, language: 'fr' }).user.id);
  ({ base, close: closeServer } = await listen(s.app));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  closeServer?.();
});

const viewport = { width: 360, height: 800 };
const member = (id: string) => ctxFor(s.deps, { kind: 'user', id, role: 'participant', displayName: 'M', language: 'fr', via: 'token', assemblyIds: [s.assemblyId] });

describe.skipIf(!hasChromium)('survey pages in a browser', () => {
  it('a facilitator creates and opens a questionnaire; a member answers once; the facilitator sees opinion change in aggregate', async () => {
    const a = s.assemblyId;
    const f = await browser.newPage({ locale: 'en-GB', bypassCSP: true, viewport });
    await f.goto(`${base}/signin`);
    await f.fill('#username', 'facilitator');
    await f.fill('#password', 'facilitator-password-123');
    await Promise.all([f.waitForNavigation(), f.click('form[action="/signin"] button[type=submit]')]);
    await f.goto(`${base}/facilitate/${a}`);
    await Promise.all([f.waitForNavigation(), f.click(`a[href="/facilitate/${a}/surveys"]`)]);
    await axe(f);
    await f.fill('#s-title', 'Before we start');
    await f.fill('#s-label-1', 'Do you trust the assembly?');
    await f.selectOption('#s-kind-1', 'scale');
    await f.fill('#s-key-1', 'trust');
    await f.fill('#s-label-2', 'How do you travel?');
    await f.selectOption('#s-kind-2', 'multiple');
    await f.fill('#s-choices-2', 'Car\nBike\nBus');
    await f.fill('#s-label-3', 'What do you expect?');
    await f.selectOption('#s-kind-3', 'text');
    await Promise.all([f.waitForNavigation(), f.click('form[action$="/surveys"] button[type=submit]')]);
    expect(await f.locator('[data-status]').getAttribute('data-status')).toBe('draft');
    await axe(f);
    await Promise.all([f.waitForNavigation(), f.click('button[data-op=open]')]);
    expect(await f.locator('[data-status]').getAttribute('data-status')).toBe('open');
    const preId = f.url().split('/').pop()!;

    // a member, in French, from their home page
    const p = await browser.newPage({ locale: 'fr-FR', bypassCSP: true, viewport });
    await p.goto(`${base}/join?code=${s.codes[0]}`);
    await p.fill('#pseudonym', 'Camille');
    await p.selectOption('#language', 'fr');
    await Promise.all([p.waitForNavigation(), p.click('form[action="/join"] button[type=submit]')]);
    await p.goto(`${base}/a/${a}`);
    await Promise.all([p.waitForNavigation(), p.click(`a[href="/a/${a}/surveys"]`)]);
    expect(await p.locator('h1').textContent()).toBe('Questionnaires');
    await Promise.all([p.waitForNavigation(), p.click(`a[href="/a/${a}/surveys/${preId}"]`)]);
    await axe(p);
    await p.check('#q-trust-1'); // 2 on the 1–5 scale
    await p.check('#q-q2-0');
    await p.check('#q-q2-2');
    await p.fill('#q-q3', 'Des décisions suivies d’effet.');
    await Promise.all([p.waitForNavigation(), p.click(`form[action$="/surveys/${preId}"] button[type=submit]`)]);
    expect(await p.locator('[data-answered]').textContent()).toContain('vos réponses sont enregistrées');
    await axe(p);
    // the browser's back button and a second send: refused with a sentence, nothing changed
    await p.goBack();
    const sent = await p.evaluate(async (url) => {
      const csrf = (document.querySelector('input[name=_csrf]') as HTMLInputElement | null)?.value ?? '';
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, q_trust: '5' }).toString() });
      return { status: r.status, text: await r.text() };
    }, `${base}/a/${a}/surveys/${preId}`);
    expect(sent.status).toBe(409);
    expect(sent.text).toContain('Vous avez déjà répondu à ce questionnaire.');

    // the post survey, made from the pre one; five more members answer both (API), the member answers after
    await f.goto(`${base}/facilitate/${a}/surveys/${preId}`);
    await Promise.all([f.waitForNavigation(), f.click('button[data-op=copy]')]);
    await Promise.all([f.waitForNavigation(), f.click('button[data-op=open]')]);
    const postId = f.url().split('/').pop()!;
    for (const [i, id] of others.entries()) {
      answerSurvey(member(id), a, preId, { trust: 2 });
      answerSurvey(member(id), a, postId, { trust: i < 3 ? 4 : 2 });
    }
    await p.goto(`${base}/a/${a}/surveys/${postId}`);
    await p.check('#q-trust-3');
    await Promise.all([p.waitForNavigation(), p.click(`form[action$="/surveys/${postId}"] button[type=submit]`)]);
    await f.goto(`${base}/facilitate/${a}/surveys/results`);
    expect(await f.locator('[data-both]').getAttribute('data-both')).toBe('6');
    expect(await f.locator('tr[data-question=trust] [data-shift]').textContent()).toBe('+1.33');
    expect(await f.locator('tr[data-question=q2]').getAttribute('data-withheld')).toBe('yes');
    await axe(f);
  }, 120_000);
});
