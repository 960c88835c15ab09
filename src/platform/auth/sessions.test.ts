/**
 * The credential cache (sessions.ts) must never outlive a change to who may do what: every case below resolves a
 * credential (so it is cached), changes the database — through this connection or another one on the same file — and
 * expects the very next resolution to see the change.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, testDb, type Db } from '../db/client.js';
import { createApiToken, createSession, resolveSession, resolveTokenState } from './sessions.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function seed(db: Db, role = 'participant') {
  db.$client.exec("insert or ignore into assemblies (id, slug, title) values ('a1', 'a1', 'A1'), ('a2', 'a2', 'A2')");
  db.$client.prepare("insert into users (id, role, display_name) values ('u1', ?, 'Ann')").run(role);
  db.$client.exec("insert into memberships (assembly_id, user_id, pseudonym) values ('a1', 'u1', 'Ann')");
  return { token: createApiToken(db, 'u1', 't').token, session: createSession(db, 'u1', 12).cookie };
}

const epoch = (db: Db) => db.$client.prepare('select n from auth_epoch').pluck().get() as number;
const actorOf = (db: Db, token: string, now?: Date) => {
  const s = resolveTokenState(db, token, now);
  return 'actor' in s ? s.actor : s.problem;
};

describe('credential cache', () => {
  it('returns the same (frozen) actor for a repeated token until something changes', () => {
    const db = testDb();
    const { token } = seed(db);
    const a = actorOf(db, token);
    expect(actorOf(db, token)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => (a as { assemblyIds: string[] }).assemblyIds.push('x')).toThrow();
  });

  it('a revoked, deleted or re-dated token is refused on the next request', () => {
    const db = testDb();
    const { token } = seed(db);
    actorOf(db, token);
    db.$client.exec("update api_tokens set revoked_at = '2026-01-01T00:00:00Z'");
    expect(actorOf(db, token)).toBe('revoked');
    db.$client.exec('update api_tokens set revoked_at = null');
    expect(actorOf(db, token)).toMatchObject({ id: 'u1' });
    db.$client.exec("update api_tokens set expires_at = '2000-01-01T00:00:00Z'");
    expect(actorOf(db, token)).toBe('expired');
    db.$client.exec('update api_tokens set expires_at = null');
    actorOf(db, token);
    db.$client.exec('delete from api_tokens');
    expect(actorOf(db, token)).toBe('unknown');
  });

  it('a cached token still expires on time', () => {
    const db = testDb();
    const { token } = seed(db);
    const now = new Date();
    actorOf(db, token, now);
    expect(actorOf(db, token, new Date(now.getTime() + 91 * 86400_000))).toBe('expired');
  });

  it('memberships, roles and a disabled account show on the next request', () => {
    const db = testDb();
    const { token, session } = seed(db);
    expect(actorOf(db, token)).toMatchObject({ assemblyIds: ['a1'] });
    db.$client.exec("insert into memberships (assembly_id, user_id, pseudonym) values ('a2', 'u1', 'Ann2')");
    expect([...(actorOf(db, token) as { assemblyIds: string[] }).assemblyIds].sort()).toEqual(['a1', 'a2']);
    db.$client.exec("delete from memberships where assembly_id = 'a1'");
    expect(actorOf(db, token)).toMatchObject({ assemblyIds: ['a2'] });
    db.$client.exec("update users set role = 'facilitator'");
    db.$client.exec("insert into staff_roles (assembly_id, user_id, role) values ('a2', 'u1', 'co-facilitator')");
    expect(resolveSession(db, session)?.actor).toMatchObject({ role: 'facilitator', staffRoles: { a2: 'co-facilitator' } });
    db.$client.exec("update staff_roles set role = 'researcher'");
    expect(resolveSession(db, session)?.actor).toMatchObject({ staffRoles: { a2: 'researcher' } });
    db.$client.exec('update users set disabled = 1');
    expect(actorOf(db, token)).toBe('unknown');
    expect(resolveSession(db, session)).toBeNull();
  });

  it('an ended session is refused on the next request; a cached session still expires on time', () => {
    const db = testDb();
    const { session } = seed(db);
    const now = new Date();
    expect(resolveSession(db, session, now)?.actor).toMatchObject({ id: 'u1' });
    expect(resolveSession(db, session, new Date(now.getTime() + 13 * 3600_000))).toBeNull();
    expect(resolveSession(db, session, now)?.actor).toMatchObject({ id: 'u1' });
    db.$client.exec('delete from sessions');
    expect(resolveSession(db, session, now)).toBeNull();
  });

  it('sees a revocation made by another connection (another process or the job thread) on the same file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plenary-auth-'));
    const a = openDb(join(dir, 'db.sqlite'));
    const b = openDb(join(dir, 'db.sqlite'));
    cleanups.push(() => {
      a.$client.close();
      b.$client.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const { token } = seed(a);
    expect(actorOf(a, token)).toMatchObject({ id: 'u1' });
    b.$client.exec("update api_tokens set revoked_at = '2026-01-01T00:00:00Z'");
    expect(actorOf(a, token)).toBe('revoked');
  });

  it("a token's last-use write does not invalidate cached actors (it is not an access change)", () => {
    const db = testDb();
    const { token } = seed(db);
    const before = epoch(db);
    actorOf(db, token); // first use: writes last_used_at
    expect(db.$client.prepare('select last_used_at from api_tokens').pluck().get()).toBeTruthy();
    expect(epoch(db)).toBe(before);
  });
});
