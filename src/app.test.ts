import { hc } from 'hono/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { invitations, memberships, users } from './platform/db/schema.js';
import type { reviewRoutes } from './modules/review/http.js';
import type { assemblyRoutes } from './modules/assemblies/http.js';
import { testService, type TestService } from './testing/service.js';

let s: TestService;
beforeAll(async () => {
  s = await testService({ config: { bodyLimit: 2_000 } });
});

async function problem(res: Response) {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as { status: number; title: string; detail: string; code: string; errors?: { path: string; message: string }[]; requestId?: string };
}

describe('bad input becomes a problem a person understands', () => {
  it('malformed JSON → 400', async () => {
    const res = await s.call('admin', 'POST', '/api/assemblies', '{"slug": "x",');
    expect(res.status).toBe(400);
    const p = await problem(res);
    expect(p.detail).toMatch(/not valid JSON/);
    expect(p.requestId).toBeTruthy();
  });

  it('unknown fields → 422 naming each field path', async () => {
    const res = await s.call('admin', 'POST', '/api/assemblies', { slug: 'new-one', title: 'New one', colour: 'red', extra: 1 });
    expect(res.status).toBe(422);
    const p = await problem(res);
    expect(p.errors?.map((e) => e.path).sort()).toEqual(['colour', 'extra']);
  });

  it('invalid values → 422 naming the field', async () => {
    const res = await s.call('admin', 'POST', '/api/assemblies', { slug: 'Not A Slug', title: 'ok title' });
    expect(res.status).toBe(422);
    expect((await problem(res)).errors?.[0].path).toBe('slug');
  });

  it('oversized body → 413', async () => {
    const res = await s.call('admin', 'POST', '/api/assemblies', { slug: 'big', title: 'x'.repeat(5_000) });
    expect(res.status).toBe(413);
    expect((await problem(res)).detail).toMatch(/larger than/);
  });

  it('wrong content type → 415', async () => {
    const res = await s.call('admin', 'POST', '/api/assemblies', 'slug=x', { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect((await problem(res)).detail).toMatch(/application\/json/);
  });

  it('missing credentials → 401, bad token → 401, wrong role → 403', async () => {
    expect((await s.call('public', 'GET', `/api/assemblies/${s.assemblyId}/review`)).status).toBe(401);
    const bad = await s.app.request(`/api/assemblies/${s.assemblyId}/review`, { headers: { authorization: 'Bearer pln_nope' } });
    expect(bad.status).toBe(401);
    expect((await problem(bad)).detail).toMatch(/unknown or was revoked/);
    const forbidden = await s.call('participant', 'GET', `/api/assemblies/${s.assemblyId}/review`);
    expect(forbidden.status).toBe(403);
    expect((await problem(forbidden)).detail).toMatch(/participant/);
  });

  it('unknown ids → 404', async () => {
    expect((await s.call('admin', 'GET', `/api/assemblies/nope/review`)).status).toBe(404);
    // staff hold roles per assembly (issue 13): a facilitator learns nothing about assemblies that are not theirs
    expect((await s.call('facilitator', 'GET', `/api/assemblies/nope/review`)).status).toBe(403);
    expect((await s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/review/ri_nope`)).status).toBe(404);
    const res = await s.call('admin', 'GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect((await problem(res)).detail).toMatch(/nothing at GET/);
  });

  it('a join with a taken pseudonym writes nothing and leaves the code usable', async () => {
    const before = { users: s.db.select().from(users).all().length, members: s.db.select().from(memberships).all().length };
    const res = await s.call('public', 'POST', '/api/auth/join', { code: s.codes[0], pseudonym: 'Tester', language: 'en' });
    expect(res.status).toBe(409);
    expect((await problem(res)).detail).toMatch(/pseudonym is already taken/);
    expect(s.db.select().from(users).all().length).toBe(before.users);
    expect(s.db.select().from(memberships).all().length).toBe(before.members);
    expect(s.db.select().from(invitations).all().filter((i) => i.usedBy).length).toBe(1);
    const ok = await s.call('public', 'POST', '/api/auth/join', { code: s.codes[0].toLowerCase(), pseudonym: 'Second', language: 'fr' });
    expect(ok.status).toBe(201);
    // the used code is now Second's key (issue 12): another pseudonym is refused, the same one signs back in
    const again = await s.call('public', 'POST', '/api/auth/join', { code: s.codes[0], pseudonym: 'Third', language: 'fr' });
    expect(again.status).toBe(401);
    expect((await problem(again)).detail).toMatch(/another pseudonym/);
  });

  it('deciding an item twice → 409 and the first decision stands', async () => {
    const prov = { stage: 't', version: '1', inputHash: 'h' };
    const item = s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'summary', subject: 'twice', title: 't', payload: { title: 't', language: 'en', sentences: [{ text: 'a', sourceIds: ['c'] }] }, provenance: prov }));
    expect((await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/review/${item.id}/reject`, { reason: 'no' })).status).toBe(200);
    const res = await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/review/${item.id}/approve`);
    expect(res.status).toBe(409);
    expect((await problem(res)).detail).toMatch(/already rejected/);
  });

  it('unknown review statuses are named', async () => {
    const res = await s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/review?status=pending,bogus`);
    expect(res.status).toBe(422);
    expect((await problem(res)).detail).toMatch(/'bogus'/);
  });
});

describe('sessions and CSRF', () => {
  it('signs in with a cookie; unsafe requests need the CSRF token', async () => {
    const res = await s.call('public', 'POST', '/api/auth/signin', { username: 'facilitator', password: 'facilitator-password-123' });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const jar = cookie.split(';')[0];
    const noToken = await s.app.request(`/api/assemblies/${s.assemblyId}/invitations`, { method: 'POST', headers: { cookie: jar, 'content-type': 'application/json' }, body: JSON.stringify({ count: 1 }) });
    expect(noToken.status).toBe(403);
    expect((await problem(noToken)).detail).toMatch(/CSRF/);
    const withToken = await s.app.request(`/api/assemblies/${s.assemblyId}/invitations`, { method: 'POST', headers: { cookie: jar, 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify({ count: 1 }) });
    expect(withToken.status).toBe(201);
  });

  it('wrong passwords are rate limited', async () => {
    const t = await testService({ config: { signinRateLimit: 3 } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await t.call('public', 'POST', '/api/auth/signin', { username: 'admin', password: 'wrong' })).status);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
  });
});

describe('typed client (hono/client)', () => {
  it('lists and approves through the typed API', async () => {
    const fetchApp = ((input: RequestInfo | URL, init?: RequestInit) => s.app.request(input instanceof Request ? input : String(input), init)) as typeof fetch;
    const headers = { authorization: `Bearer ${s.tokens.facilitator}` };
    const api = hc<ReturnType<typeof reviewRoutes>>('http://plenary.test/api', { fetch: fetchApp, headers });
    const assemblies = hc<ReturnType<typeof assemblyRoutes>>('http://plenary.test/api', { fetch: fetchApp, headers: { authorization: `Bearer ${s.tokens.admin}` } });
    const one = await assemblies.assemblies[':assemblyId'].$get({ param: { assemblyId: s.assemblyId } });
    expect(one.status).toBe(200);
    if (one.status === 200) expect((await one.json()).slug).toBe('test-assembly');
    const prov = { stage: 't', version: '1', inputHash: 'h' };
    const item = s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'summary', subject: 'typed', title: 't', payload: { title: 't', language: 'en', sentences: [{ text: 'typed', sourceIds: ['c'] }] }, provenance: prov }));
    const list = await api.assemblies[':assemblyId'].review.$get({ param: { assemblyId: s.assemblyId }, query: {} });
    expect(list.status).toBe(200);
    if (list.status === 200) expect((await list.json()).items.map((i) => i.id)).toContain(item.id);
    const ok = await api.assemblies[':assemblyId'].review[':itemId'].approve.$post({ param: { assemblyId: s.assemblyId, itemId: item.id } });
    expect(ok.status).toBe(200);
    if (ok.status === 200) expect((await ok.json()).status).toBe('approved');
  });
});

describe('operations', () => {
  it('serves /healthz, /readyz naming every backend, and OpenAPI 3.1', async () => {
    expect((await s.app.request('/healthz')).status).toBe(200);
    const ready = (await (await s.app.request('/readyz')).json()) as { ready: boolean; backends: { task: string }[] };
    expect(ready.ready).toBe(true);
    expect(ready.backends.map((b) => b.task)).toContain('translator');
    const doc = (await (await s.app.request('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/assemblies/{assemblyId}/review/{itemId}/approve');
    const docs = await s.app.request('/docs');
    expect(await docs.text()).toContain('/assemblies/{assemblyId}/review');
  });
});
