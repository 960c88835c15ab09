import pino from 'pino';
import { testClient } from 'hono/testing';
import { createFakeRegistry } from '../../models/testing.js';
import type { ModelRegistry } from '../../models/types.js';
import { buildService } from '../build.js';
import { testConfig, type ConfigInput } from '../config.js';
import { ctxFor } from '../deps.js';
import { createApiToken } from '../platform/auth/sessions.js';
import { PUBLIC } from '../platform/context.js';
import { testDb } from '../platform/db/client.js';
import { createAssembly } from '../modules/assemblies/service.js';
import { createInvitations, join } from '../modules/identity/service.js';
import { grantStaffRole } from '../modules/identity/staff-roles.js';
import { hashPassword } from '../platform/auth/password.js';
import { users as usersTable } from '../platform/db/schema.js';
import { newId, type Clock } from '../platform/ids.js';

const HASHES: Partial<Record<string, string>> = {};
import type { Role } from '../platform/auth/permissions.js';
import type { Module } from '../modules/index.js';

export type TestRole = Exclude<Role, 'public'>;

/**
 * A whole service on an in-memory database with one user per role (API tokens ready), an assembly the participant
 * belongs to, and another they do not. Models are fakes unless the test passes real ones.
 */
export async function testService(opts: { models?: ModelRegistry; config?: Partial<ConfigInput>; modules?: Module[]; clock?: Clock } = {}) {
  const config = testConfig(opts.config);
  const db = testDb();
  const { app, deps } = buildService(config, { db, models: opts.models ?? createFakeRegistry(), logger: pino({ level: 'silent' }), modules: opts.modules, clock: opts.clock });
  const sys = ctxFor(deps, { kind: 'user', id: 'system', role: 'admin', displayName: 'system', language: 'en', via: 'token', assemblyIds: [] });
  const assembly = createAssembly(sys, { slug: 'test-assembly', title: 'Test assembly', languages: ['en', 'fr'] });
  const other = createAssembly(sys, { slug: 'other-assembly', title: 'Other assembly', languages: ['en'] });
  const users: Record<TestRole, string> = { admin: '', facilitator: '', researcher: '', participant: '' };
  for (const role of ['admin', 'facilitator', 'researcher'] as const) {
    // hashing once per process keeps each test service cheap (scrypt is deliberately slow)
    HASHES[role] ??= await hashPassword(`${role}-password-123`);
    users[role] = db.insert(usersTable).values({ id: newId('u_'), role, username: role, displayName: `Test ${role}`, passwordHash: HASHES[role] }).returning().get().id;
  }
  // staff hold their role on the test assembly only (issue 13): the other assembly is someone else's
  for (const role of ['facilitator', 'researcher'] as const) grantStaffRole(sys, assembly.id, users[role], role);
  const { codes } = createInvitations(sys, assembly.id, { count: 3 });
  const joined = join(ctxFor(deps, PUBLIC), { code: codes[0], pseudonym: 'Tester', language: 'en' });
  users.participant = joined.user.id;
  const tokens = Object.fromEntries((Object.keys(users) as TestRole[]).map((r) => [r, createApiToken(db, users[r], 'test').token])) as Record<TestRole, string>;

  /** app.request with a role's bearer token (or none for the public) */
  const call = (role: Role, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: {
        ...(role !== 'public' ? { authorization: `Bearer ${tokens[role]}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });

  return { app, deps, db, config, assemblyId: assembly.id, otherAssemblyId: other.id, users, tokens, codes: codes.slice(1), call, client: testClient };
}

export type TestService = Awaited<ReturnType<typeof testService>>;
