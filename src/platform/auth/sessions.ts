import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { apiTokens, memberships, sessions, users } from '../db/schema.js';
import { newId, randomToken, sha256 } from '../ids.js';
import type { Actor } from '../context.js';

export const SESSION_COOKIE = 'plenary_session';

export function createSession(db: Db, userId: string, ttlHours: number, now = new Date()): { cookie: string; csrf: string; expiresAt: Date } {
  const cookie = randomToken(32);
  const csrf = randomToken(24);
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000);
  db.insert(sessions).values({ idHash: sha256(cookie), userId, csrfToken: csrf, expiresAt: expiresAt.toISOString() }).run();
  return { cookie, csrf, expiresAt };
}

export function revokeSession(db: Db, cookie: string): void {
  db.delete(sessions).where(eq(sessions.idHash, sha256(cookie))).run();
}

function actorFor(db: Db, userId: string, via: 'session' | 'token'): Actor | null {
  const u = db.select().from(users).where(eq(users.id, userId)).get();
  if (!u || u.disabled) return null;
  const assemblyIds =
    u.role === 'participant' ? db.select({ a: memberships.assemblyId }).from(memberships).where(eq(memberships.userId, u.id)).all().map((r) => r.a) : [];
  return { kind: 'user', id: u.id, role: u.role, displayName: u.displayName, language: u.language, via, assemblyIds };
}

export function resolveSession(db: Db, cookie: string, now = new Date()): { actor: Actor; csrf: string } | null {
  const s = db
    .select()
    .from(sessions)
    .where(and(eq(sessions.idHash, sha256(cookie)), gt(sessions.expiresAt, now.toISOString())))
    .get();
  if (!s) return null;
  const actor = actorFor(db, s.userId, 'session');
  return actor ? { actor, csrf: s.csrfToken } : null;
}

/** API tokens look like `pln_<random>`; only their sha256 is stored. */
export function createApiToken(db: Db, userId: string, name: string): { id: string; token: string } {
  const token = `pln_${randomToken(30)}`;
  const id = newId('tok_');
  db.insert(apiTokens).values({ id, userId, name, tokenHash: sha256(token) }).run();
  return { id, token };
}

export function resolveToken(db: Db, token: string): Actor | null {
  const t = db.select().from(apiTokens).where(eq(apiTokens.tokenHash, sha256(token))).get();
  if (!t) return null;
  db.update(apiTokens).set({ lastUsedAt: new Date().toISOString() }).where(eq(apiTokens.id, t.id)).run();
  return actorFor(db, t.userId, 'token');
}
