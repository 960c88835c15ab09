import { describe, expect, it } from 'vitest';
import { ctxFor } from '../../deps.js';
import { createApiToken } from '../../platform/auth/sessions.js';
import { PUBLIC } from '../../platform/context.js';
import { testService } from '../../testing/service.js';
import { createInvitations, join } from '../identity/service.js';
import { opinionChange } from './domain.js';

type Problem = { status: number; detail: string };
const QUESTIONS = [
  { key: 'trust', kind: 'scale', label: 'Trust in the assembly', min: 1, max: 5 },
  { key: 'tax', kind: 'single', label: 'A carbon tax?', choices: ['yes', 'no', 'unsure'] },
  { key: 'modes', kind: 'multiple', label: 'How do you travel?', choices: ['car', 'bike', 'bus'] },
  { key: 'why', kind: 'text', label: 'Why?' },
];

async function setup(extra: number) {
  const s = await testService();
  const admin = ctxFor(s.deps, { kind: 'user', id: s.users.admin, role: 'admin', displayName: 'A', language: 'en', via: 'token', assemblyIds: [] });
  const { codes } = createInvitations(admin, s.assemblyId, { count: extra });
  const tokens = [s.tokens.participant, ...codes.map((code, i) => createApiToken(s.db, join(ctxFor(s.deps, PUBLIC), { code, pseudonym: `M${i}`, language: 'en' }).user.id, 't').token)];
  const as = (i: number, method: string, path: string, body?: unknown) =>
    s.app.request(path, { method, headers: { authorization: `Bearer ${tokens[i]}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const api = `/api/assemblies/${s.assemblyId}/surveys`;
  const mk = async (phase: string) => ((await (await s.call('facilitator', 'POST', api, { title: `${phase} survey`, phase, questions: QUESTIONS })).json()) as { id: string }).id;
  return { s, as, api, pre: await mk('pre'), post: await mk('post') };
}

describe('surveys', () => {
  it('members answer once; researchers get opinion change per question in aggregate only', async () => {
    const { s, as, api, pre, post } = await setup(5);
    const before = [1, 2, 3, 2, 1, 4];
    const after = [3, 2, 4, 4, 2, 4];
    for (let i = 0; i < 6; i++) {
      expect((await as(i, 'POST', `${api}/${pre}/answers`, { answers: { trust: before[i], tax: 'no', modes: ['car', 'bus'], why: 'x' } })).status).toBe(200);
      expect((await as(i, 'POST', `${api}/${post}/answers`, { answers: { trust: after[i], tax: i < 3 ? 'yes' : 'no', modes: ['bus', 'car'] } })).status).toBe(200);
    }
    const again = await as(0, 'POST', `${api}/${pre}/answers`, { answers: { trust: 5 } });
    expect([again.status, ((await again.json()) as Problem).detail]).toEqual([409, expect.stringMatching(/already answered/)]);
    // aggregates: researchers and facilitators; never members
    expect((await as(0, 'GET', `${api}/${pre}/change?post=${post}`)).status).toBe(403);
    expect((await s.call('facilitator', 'GET', `${api}/${pre}/change?post=${post}`)).status).toBe(200);
    const r = (await (await s.call('researcher', 'GET', `${api}/${pre}/change?post=${post}`)).json()) as { respondentsBoth: number; questions: Array<Record<string, unknown>> };
    expect(r.respondentsBoth).toBe(6);
    const by = Object.fromEntries(r.questions.map((q) => [q.key, q]));
    expect(by.trust).toMatchObject({ paired: 6, meanPre: 13 / 6, meanPost: 19 / 6, meanShift: 1, shareChanged: 4 / 6, withheld: false });
    expect(by.tax).toMatchObject({ shareChanged: 0.5, meanShift: null });
    expect(by.modes).toMatchObject({ shareChanged: 0 }); // the same set in another order is no change
    expect(by.why).toMatchObject({ paired: 0, withheld: true, shareChanged: null });
    expect(JSON.stringify(r)).not.toMatch(/u_|userId/);
  });

  it('refuses answers off the question, and writes nothing', async () => {
    const { s, as, api, pre } = await setup(0);
    for (const [answers, pattern] of [
      [{ trust: 9 }, /whole number from 1 to 5/],
      [{ tax: 'maybe' }, /Choose one of the given answers/],
      [{ modes: ['car', 'car'] }, /each at most once/],
      [{ nope: 1 }, /not a question/],
      [{}, /at least one question/],
    ] as const) {
      const r = await as(0, 'POST', `${api}/${pre}/answers`, { answers });
      expect(r.status).toBe(422);
      expect(((await r.json()) as Problem).detail).toMatch(pattern);
    }
    expect(((await (await as(0, 'GET', `${api}/${pre}`)).json()) as { answered: boolean }).answered).toBe(false);
    const bad = await s.call('facilitator', 'POST', api, { title: 'x', phase: 'pre', questions: [{ key: 'a', kind: 'single', label: 'A', choices: ['only'] }] });
    expect(bad.status).toBe(422);
  });

  it('withholds a question answered by fewer than five members in both surveys', () => {
    const q = [{ key: 'k', kind: 'scale' as const, label: 'K', min: 0, max: 10 }];
    const pairs = [1, 2, 3, 4].map((v) => ({ pre: { k: v }, post: { k: v + 1 } }));
    expect(opinionChange(q, q, pairs)[0]).toMatchObject({ paired: 4, withheld: true, meanShift: null });
    expect(opinionChange(q, q, pairs, 4)[0]).toMatchObject({ withheld: false, meanShift: 1, shareChanged: 1 });
  });
});
