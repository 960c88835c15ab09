import { beforeAll, describe, expect, it } from 'vitest';
import { ctxFor } from '../../deps.js';
import { createApiToken } from '../../platform/auth/sessions.js';
import { PUBLIC } from '../../platform/context.js';
import { testService, type TestService } from '../../testing/service.js';
import { createInvitations, join } from '../identity/service.js';

/**
 * Survey pages through the service: a facilitator builds a questionnaire in the form (a draft members cannot see),
 * opens it; members answer once (a second answer is refused with a sentence, in their language); researchers and
 * facilitators read opinion change in aggregate, withheld under five members; members cannot.
 */
let s: TestService;
let tokens: string[];
const a = () => s.assemblyId;
const form = (path: string, fields: Array<[string, string]>, token: string) =>
  s.app.request(path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: new URLSearchParams(fields).toString() });
const get = (path: string, token: string) => s.app.request(path, { headers: { authorization: `Bearer ${token}`, accept: 'text/html' } });
const surveyCount = () => (s.db.$client.prepare('select count(*) as n from surveys').get() as { n: number }).n;
const QUESTIONS: Array<[string, string]> = [
  ['label_1', 'Do you trust the assembly?'], ['kind_1', 'scale'], ['min_1', '1'], ['max_1', '5'], ['key_1', 'trust'],
  ['label_2', 'A carbon tax?'], ['kind_2', 'single'], ['choices_2', 'yes\nno\nunsure'], ['key_2', 'tax'],
  ['label_3', 'How do you travel?'], ['kind_3', 'multiple'], ['choices_3', 'car\nbike\nbus'], ['key_3', 'modes'],
  ['label_4', 'Why?'], ['kind_4', 'text'], ['key_4', 'why'],
];

async function create(phase: 'pre' | 'post', title: string): Promise<string> {
  const r = await form(`/facilitate/${a()}/surveys`, [['title', title], ['phase', phase], ...QUESTIONS], s.tokens.facilitator);
  expect(r.status, await r.clone().text()).toBe(303);
  return r.headers.get('location')!.split('/').pop()!;
}

beforeAll(async () => {
  s = await testService();
  const admin = ctxFor(s.deps, { kind: 'user', id: s.users.admin, role: 'admin', displayName: 'A', language: 'en', via: 'token', assemblyIds: [] });
  const { codes } = createInvitations(admin, s.assemblyId, { count: 5 });
  tokens = [s.tokens.participant, ...codes.map((code, i) => createApiToken(s.db, join(ctxFor(s.deps, PUBLIC), { code, pseudonym: `Member ${i}`, language: 'fr' }).user.id, 't').token)];
}, 60_000);

describe('survey pages', () => {
  let pre: string;
  let post: string;
  it('a facilitator creates a draft in the form; members do not see it until it is opened', async () => {
    pre = await create('pre', 'Before we start');
    const draft = await (await get(`/facilitate/${a()}/surveys/${pre}`, s.tokens.facilitator)).text();
    expect(draft).toContain('data-status="draft"');
    for (const key of ['trust', 'tax', 'modes', 'why']) expect(draft).toContain(`data-question="${key}"`);
    expect(await (await get(`/a/${a()}/surveys`, tokens[0])).text()).not.toContain('Before we start');
    expect((await get(`/a/${a()}/surveys/${pre}`, tokens[0])).status).toBe(404);
    expect((await form(`/facilitate/${a()}/surveys/${pre}/open`, [], s.tokens.facilitator)).status).toBe(303);
    const page = await (await get(`/a/${a()}/surveys/${pre}`, tokens[0])).text();
    expect(page).toContain('name="q_trust"');
    expect(page).toContain('type="checkbox"');
    expect(page).toContain('<textarea');
    expect(await (await get(`/a/${a()}/surveys`, tokens[0])).text()).toContain('Before we start');
  });

  it('bad questions are refused with a sentence in the reader’s language, and nothing is created', async () => {
    const before = surveyCount();
    const en = await form(`/facilitate/${a()}/surveys`, [['title', 'Broken'], ['phase', 'pre'], ['label_1', 'Pick'], ['kind_1', 'single'], ['choices_1', 'only one']], s.tokens.facilitator);
    expect(en.status).toBe(422);
    const html = await en.text();
    expect(html).toContain('Question “Pick” needs at least two distinct choices');
    expect(html).toContain('value="Broken"'); // what was typed is kept
    const fr = await form(`/facilitate/${a()}/surveys?lang=fr`, [['title', 'Cassé'], ['phase', 'pre'], ['label_1', 'Échelle'], ['kind_1', 'scale'], ['min_1', '5'], ['max_1', '1']], s.tokens.facilitator);
    expect(fr.status).toBe(422);
    expect(await fr.text()).toContain('La question « Échelle » a besoin d’une échelle aux bornes entières');
    expect((await form(`/facilitate/${a()}/surveys`, [['title', 'Empty'], ['phase', 'pre']], s.tokens.facilitator)).status).toBe(422);
    expect(surveyCount()).toBe(before);
  });

  it('a member answers once; a second answer is refused with a clear message; a wrong answer keeps what was typed', async () => {
    const bad = await form(`/a/${a()}/surveys/${pre}`, [['q_trust', '9'], ['q_why', 'Because']], tokens[0]);
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('give a whole number from 1 to 5');
    expect(badHtml).toContain('Because');
    const ok = await form(`/a/${a()}/surveys/${pre}`, [['q_trust', '2'], ['q_tax', 'no'], ['q_modes', 'car'], ['q_modes', 'bus'], ['q_why', 'Because']], tokens[0]);
    expect(ok.status).toBe(303);
    const after = await (await get(`/a/${a()}/surveys/${pre}`, tokens[0])).text();
    expect(after).toContain('data-answered');
    expect(after).not.toContain('name="q_trust"');
    const again = await form(`/a/${a()}/surveys/${pre}`, [['q_trust', '5']], tokens[0]);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('You have already answered this survey. Each member answers once, and answers cannot be changed afterwards.');
    const fr = await form(`/a/${a()}/surveys/${pre}?lang=fr`, [['q_trust', '5']], tokens[0]);
    expect(fr.status).toBe(409);
    expect(await fr.text()).toContain('Vous avez déjà répondu à ce questionnaire.');
    // the API says the same in problem+json
    const api = await s.app.request(`/api/assemblies/${a()}/surveys/${pre}/answers`, { method: 'POST', headers: { authorization: `Bearer ${tokens[0]}`, 'content-type': 'application/json' }, body: JSON.stringify({ answers: { trust: 3 } }) });
    expect(api.status).toBe(409);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });

  it('researchers and facilitators see opinion change in aggregate (withheld under five); members cannot', async () => {
    // the post survey made from the pre one: same questions, same keys
    const copy = await form(`/facilitate/${a()}/surveys/${pre}/copy`, [], s.tokens.facilitator);
    expect(copy.status).toBe(303);
    post = copy.headers.get('location')!.split('/').pop()!;
    expect((await form(`/facilitate/${a()}/surveys/${post}/open`, [], s.tokens.facilitator)).status).toBe(303);
    const results = async () => (await get(`/facilitate/${a()}/surveys/results?pre=${pre}&post=${post}`, s.tokens.facilitator)).text();
    await form(`/a/${a()}/surveys/${post}`, [['q_trust', '4'], ['q_tax', 'yes']], tokens[0]);
    const few = await results();
    expect(few).toMatch(/data-question="trust" data-withheld="yes"/);
    expect(few).not.toContain('data-shift');
    const before = [2, 1, 3, 2, 1, 4], after = [4, 2, 4, 4, 2, 4];
    for (let i = 1; i < 6; i++) {
      expect((await form(`/a/${a()}/surveys/${pre}`, [['q_trust', String(before[i])], ['q_tax', 'no']], tokens[i])).status).toBe(303);
      expect((await form(`/a/${a()}/surveys/${post}`, [['q_trust', String(after[i])], ['q_tax', i < 3 ? 'yes' : 'no']], tokens[i])).status).toBe(303);
    }
    const html = await results();
    expect(html).toContain('data-both="6"');
    // trust: means 13/6 → 20/6, shift +7/6 ≈ 1.17, 5 of 6 changed; tax: 3 of 6 changed (members 0, 1, 2)
    expect(html).toMatch(/data-question="trust" data-withheld="no">[\s\S]*?2\.17 → 3\.33[\s\S]*?data-shift[^>]*>\+1\.17<[\s\S]*?data-share-changed[^>]*>83 %</);
    expect(html).toMatch(/data-question="tax" data-withheld="no">[\s\S]*?data-share-changed[^>]*>50 %</);
    expect(html).toMatch(/data-question="modes" data-withheld="yes"/);
    const fr = await (await get(`/facilitate/${a()}/surveys/results?pre=${pre}&post=${post}&lang=fr`, s.tokens.researcher)).text();
    expect(fr).toContain('2,17 → 3,33');
    expect(fr).toContain('Non communiqué');
    expect((await get(`/facilitate/${a()}/surveys/results`, tokens[0])).status).toBe(403);
    expect(html).not.toMatch(/Member \d|Tester/);
  });

  it('a closed survey takes no more answers', async () => {
    expect((await form(`/facilitate/${a()}/surveys/${post}/close`, [], s.tokens.facilitator)).status).toBe(303);
    const late = await s.app.request(`/api/assemblies/${a()}/surveys/${post}/answers`, { method: 'POST', headers: { authorization: `Bearer ${tokens[5]}`, 'content-type': 'application/json' }, body: JSON.stringify({ answers: { trust: 3 } }) });
    // the member joined in French: the API's problem+json says it in their language (web/i18n inReaderLanguage)
    expect([late.status, ((await late.json()) as { detail: string }).detail]).toEqual([409, 'Ce questionnaire est clos : il n’accepte plus de réponses.']);
    expect(await (await get(`/a/${a()}/surveys/${post}`, tokens[0])).text()).toContain('data-answered');
  });
});
