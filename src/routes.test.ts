import { beforeAll, describe, expect, it } from 'vitest';
import { can, ROLES, type Role } from './platform/auth/permissions.js';
import { endpoints, fillPath } from './testing/routes.js';
import { testService, type TestService } from './testing/service.js';
import { routeSamples } from './testing/samples.js';

let s: TestService;
let samples: Record<string, string>;
beforeAll(async () => {
  s = await testService();
  samples = routeSamples(s);
});

describe('every route', () => {
  it('declares exactly one action through requireAction', () => {
    const unguarded = endpoints(s.app).filter((e) => !e.action);
    expect(unguarded.map((e) => `${e.method} ${e.path}`)).toEqual([]);
  });

  it('answers each role as the permission table says (401 anonymous, 403 forbidden, otherwise served)', async () => {
    const failures: string[] = [];
    for (const e of endpoints(s.app)) {
      for (const role of ROLES as readonly Role[]) {
        const path = fillPath(e.path, samples);
        const res = await s.call(role, e.method, path, e.method === 'GET' ? undefined : {});
        // a guard denial is a 401/403 problem naming the action; other 401s (a wrong password) are answers, not denials
        let deniedAction: string | undefined;
        if ((res.status === 401 || res.status === 403) && res.headers.get('content-type')?.includes('problem+json')) deniedAction = ((await res.json()) as { action?: string }).action;
        else await res.body?.cancel();
        const allowed = can(role, e.action!);
        const denied = deniedAction === e.action;
        if (!allowed && !denied) failures.push(`${role} ${e.method} ${path}: expected 401/403, got ${res.status}`);
        if (!allowed && role === 'public' && res.status !== 401) failures.push(`public ${e.method} ${path}: expected 401, got ${res.status}`);
        if (allowed && denied) failures.push(`${role} ${e.method} ${path}: expected to be served, got ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('keeps staff to their assemblies: a facilitator or researcher of A gets 403 on every assembly-scoped route of B; an admin does not', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const e of endpoints(s.app)) {
      if (!e.path.includes(':assemblyId') || can('public', e.action!)) continue;
      const path = fillPath(e.path, { ...samples, assemblyId: s.otherAssemblyId });
      for (const role of ['facilitator', 'researcher', 'admin'] as const) {
        if (!can(role, e.action!)) continue;
        checked++;
        const res = await s.call(role, e.method, path, e.method === 'GET' ? undefined : {});
        const denied = res.status === 403 && res.headers.get('content-type')?.includes('problem+json') && ((await res.json()) as { action?: string }).action === e.action;
        if (!denied) await res.body?.cancel().catch(() => undefined);
        if (role !== 'admin' && !denied) failures.push(`${role} of A ${e.method} ${path}: expected 403, got ${res.status}`);
        if (role === 'admin' && denied) failures.push(`admin ${e.method} ${path}: denied`);
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it('lists to staff only the assemblies where they hold a role', async () => {
    const ids = async (role: 'facilitator' | 'researcher' | 'admin') => ((await (await s.call(role, 'GET', '/api/assemblies')).json()) as { id: string }[]).map((a) => a.id);
    expect(await ids('facilitator')).toEqual([s.assemblyId]);
    expect(await ids('researcher')).toEqual([s.assemblyId]);
    expect(await ids('admin')).toEqual(expect.arrayContaining([s.assemblyId, s.otherAssemblyId]));
  });

  it('keeps participants out of assemblies they do not belong to', async () => {
    const res = await s.call('participant', 'GET', `/api/assemblies/${s.otherAssemblyId}/publications`);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
