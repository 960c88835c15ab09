/** Test helpers for the deliberation module (used by its *.test.ts files only). */
import { ctxFor } from '../../deps.js';
import { PUBLIC } from '../../platform/context.js';
import { users } from '../../platform/db/schema.js';
import { newId, sha256 } from '../../platform/ids.js';
import type { TestService } from '../../testing/service.js';
import { createApiToken } from '../../platform/auth/sessions.js';
import { hashPassword } from '../../platform/auth/password.js';
import { createInvitations, join } from '../identity/service.js';
import { grantStaffRole } from '../identity/staff-roles.js';
import { sortitionPeople, sortitionPools } from '../sortition/schema.js';

const sys = (s: TestService) => ctxFor(s.deps, { kind: 'user', id: s.users.admin, role: 'admin', displayName: 'admin', language: 'en', via: 'token', assemblyIds: [] });

/**
 * n members who came through sortition (features from a pool, linked by their invitation code like a real
 * confirmation), pseudonyms M01…, and `staff` extra facilitators besides the test admin and facilitator.
 */
export function panel(s: TestService, n: number, opts: { staff?: number; features?: (i: number) => Record<string, string> } = {}) {
  const features = opts.features ?? ((i: number) => ({ gender: i % 2 ? 'woman' : 'man', age: ['young', 'middle', 'old'][i % 3] }));
  const { codes } = createInvitations(sys(s), s.assemblyId, { count: n });
  const poolId = newId('pool_');
  s.db.insert(sortitionPools).values({ id: poolId, assemblyId: s.assemblyId, name: 'test pool', source: 'import', panelSize: n, categories: Object.keys(features(0)), quotas: [] }).run();
  s.db.insert(sortitionPeople).values(codes.map((code, i) => ({ poolId, personId: `p${i}`, features: features(i), invitationHash: sha256(code), status: 'confirmed' as const }))).run();
  const memberIds = codes.map((code, i) => join(ctxFor(s.deps, PUBLIC), { code, pseudonym: `M${String(i + 1).padStart(2, '0')}`, language: 'en' }).user.id);
  const staffIds = Array.from({ length: opts.staff ?? 0 }, (_, i) =>
    s.db.insert(users).values({ id: newId('u_'), role: 'facilitator', username: `fac${i}-${newId('')}`, displayName: `Facilitator ${i + 1}`, passwordHash: 'x' }).returning().get().id,
  );
  return { memberIds, staffIds: [s.users.facilitator, s.users.admin, ...staffIds] };
}

/**
 * Another facilitator of the test assembly (a staff role granted there) who can sign in with `password` and call the
 * API with their own token.
 */
export async function anotherFacilitator(s: TestService, username = 'facilitator2', language = 'en') {
  const password = `${username}-password-123`;
  const id = s.db.insert(users).values({ id: newId('u_'), role: 'facilitator', username, displayName: `Facilitator ${username}`, language, passwordHash: await hashPassword(password) }).returning().get().id;
  grantStaffRole(sys(s), s.assemblyId, id, 'facilitator');
  const token = createApiToken(s.db, id, 'test').token;
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    s.app.request(path, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { id, username, password, call };
}

/**
 * Two rounds for the idea tests: round 1 ("Week 1") has groups A (led by the test facilitator) and B (led by a second
 * facilitator, whose account reads `fac2Language`); round 2 ("Week 2") has C (second facilitator; the test participant
 * sits in it) and D (test facilitator).
 */
export async function twoRounds(s: TestService, opts: { fac2Language?: string } = {}) {
  const { memberIds } = panel(s, 6);
  const fac2 = await anotherFacilitator(s, 'facilitator2', opts.fac2Language);
  const post = async (path: string, body: unknown) => ((await (await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}${path}`, body)).json()) as { id: string }).id;
  const r2 = await post('/breakouts/sessions', { title: 'Week 2', startsAt: '2030-01-08T18:00:00Z' }); // created first: rounds follow the start
  const r1 = await post('/breakouts/sessions', { title: 'Week 1', startsAt: '2030-01-01T18:00:00Z' });
  const group = (sid: string, name: string, lead: string, members: string[]) => post(`/breakouts/sessions/${sid}/groups`, { name, leadFacilitatorId: lead, memberIds: members });
  const A = await group(r1, 'A', s.users.facilitator, memberIds.slice(0, 3));
  const B = await group(r1, 'B', fac2.id, [...memberIds.slice(3, 6), s.users.participant]);
  const C = await group(r2, 'C', fac2.id, [memberIds[0], memberIds[3], s.users.participant]);
  const D = await group(r2, 'D', s.users.facilitator, [memberIds[1], memberIds[4]]);
  return { r1, r2, A, B, C, D, fac2, memberIds };
}
