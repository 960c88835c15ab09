import { beforeAll, describe, expect, it } from 'vitest';
import { ctxFor } from '../../deps.js';
import { PUBLIC } from '../../platform/context.js';
import { testService, type TestService } from '../../testing/service.js';
import { addStatement, createConversation } from '../conversations/service.js';
import { join } from './service.js';

let s: TestService;
let conv: string;
beforeAll(async () => {
  s = await testService();
  const fac = ctxFor(s.deps, { kind: 'user', id: s.users.admin, role: 'admin', displayName: 'Test admin', language: 'en', via: 'token', assemblyIds: [] });
  conv = createConversation(fac, s.assemblyId, { topic: 'Transport' }).id;
  const member = join(ctxFor(s.deps, PUBLIC), { code: s.codes[0], pseudonym: 'Zoé Martin', language: 'fr' });
  const actor = { kind: 'user' as const, id: member.user.id, role: 'participant' as const, displayName: 'Zoé Martin', language: 'fr', via: 'session' as const, assemblyIds: [s.assemblyId] };
  addStatement(ctxFor(s.deps, actor), s.assemblyId, conv, 'More night buses please.');
});

describe('staff roles per assembly', () => {
  it('an admin grants a role on another assembly through the API; a co-facilitator may not publish or hand out codes', async () => {
    const b = s.otherAssemblyId;
    expect((await s.call('facilitator', 'GET', `/api/assemblies/${b}/review`)).status).toBe(403);
    expect((await s.call('facilitator', 'PUT', `/api/assemblies/${b}/staff/${s.users.facilitator}`, { role: 'co-facilitator' })).status).toBe(403);
    const grant = await s.call('admin', 'PUT', `/api/assemblies/${b}/staff/${s.users.facilitator}`, { role: 'co-facilitator' });
    expect(grant.status).toBe(200);
    expect((await s.call('facilitator', 'GET', `/api/assemblies/${b}/review`)).status).toBe(200);
    expect((await s.call('facilitator', 'POST', `/api/assemblies/${b}/invitations`, { count: 1 })).status).toBe(403);
    const staff = (await (await s.call('admin', 'GET', `/api/assemblies/${b}/staff`)).json()) as { userId: string; role: string }[];
    expect(staff).toEqual([expect.objectContaining({ userId: s.users.facilitator, role: 'co-facilitator' })]);
    expect((await s.call('admin', 'DELETE', `/api/assemblies/${b}/staff/${s.users.facilitator}`)).status).toBe(204);
    expect((await s.call('facilitator', 'GET', `/api/assemblies/${b}/review`)).status).toBe(403);
  });

  it('the admin page lists staff with their roles and grants a role, in French', async () => {
    const html = await (await s.call('admin', 'GET', '/admin/staff', undefined, { cookie: 'lang=fr' })).text();
    expect(html).toContain('Rôles de l’équipe par assemblée');
    expect(html).toContain('Test facilitator');
    const form = new URLSearchParams({ userId: s.users.researcher, assemblyId: s.otherAssemblyId, role: 'researcher' }).toString();
    const posted = await s.call('admin', 'POST', '/admin/staff', form, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(posted.status).toBe(303);
    const roles = (await (await s.call('admin', 'GET', `/api/assemblies/${s.otherAssemblyId}/staff`)).json()) as { userId: string; role: string }[];
    expect(roles).toContainEqual(expect.objectContaining({ userId: s.users.researcher, role: 'researcher' }));
    expect((await s.call('researcher', 'GET', '/api/assemblies')).status).toBe(200);
    expect(((await (await s.call('researcher', 'GET', '/api/assemblies')).json()) as unknown[]).length).toBe(2);
    // a facilitator cannot use the admin page
    expect((await s.call('facilitator', 'POST', '/admin/staff', form, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(403);
  });
});

describe('researchers read anonymised data', () => {
  it('sees statement authors as stable random ids, never pseudonyms; the facilitator sees the pseudonym', async () => {
    const path = `/api/assemblies/${s.assemblyId}/conversations/${conv}/statements`;
    const fac = (await (await s.call('facilitator', 'GET', path)).json()) as { author: string | null }[];
    expect(fac.map((x) => x.author)).toContain('Zoé Martin');
    const r1 = await s.call('researcher', 'GET', path);
    expect(r1.status).toBe(200);
    const text = await r1.text();
    expect(text).not.toContain('Zoé Martin');
    const authors = (JSON.parse(text) as { author: string | null }[]).map((x) => x.author).filter(Boolean);
    expect(authors[0]).toMatch(/^m-[0-9a-f]{12}$/);
    const again = (await (await s.call('researcher', 'GET', path)).json()) as { author: string | null }[];
    expect(again.map((x) => x.author).filter(Boolean)).toEqual(authors);
  });
});
