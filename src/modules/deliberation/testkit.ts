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
export async function anotherFacilitator(s: TestService, username = 'facilitator2') {
  const password = `${username}-password-123`;
  const id = s.db.insert(users).values({ id: newId('u_'), role: 'facilitator', username, displayName: `Facilitator ${username}`, passwordHash: await hashPassword(password) }).returning().get().id;
  grantStaffRole(sys(s), s.assemblyId, id, 'facilitator');
  const token = createApiToken(s.db, id, 'test').token;
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    s.app.request(path, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { id, username, password, call };
}
