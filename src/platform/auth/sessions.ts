import type Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { apiTokens, sessions } from '../db/schema.js';
import { newId, randomToken, sha256 } from '../ids.js';
import type { Actor, AssemblyStaffRole } from '../context.js';

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

/**
 * Actor resolution runs on every request, so it uses prepared statements cached per connection (one
 * indexed lookup for the credential and user, one for a participant's memberships) instead of building
 * queries each time.
 */
interface Prepared {
  session: Database.Statement<[string, string]>;
  token: Database.Statement<[string]>;
  memberships: Database.Statement<[string]>;
  staffRoles: Database.Statement<[string]>;
  touchToken: Database.Statement<[string, string, string]>;
}
const PREPARED = new WeakMap<Database.Database, Prepared>();
function prepared(db: Db): Prepared {
  let p = PREPARED.get(db.$client);
  if (!p) {
    const c = db.$client;
    const userCols = 'u.id as id, u.role as role, u.display_name as displayName, u.language as language, u.disabled as disabled';
    p = {
      session: c.prepare(`select ${userCols}, s.csrf_token as csrf from sessions s join users u on u.id = s.user_id where s.id_hash = ? and s.expires_at > ?`),
      token: c.prepare(
        `select ${userCols}, t.id as tokenId, t.last_used_at as lastUsedAt, t.expires_at as expiresAt, t.revoked_at as revokedAt from api_tokens t join users u on u.id = t.user_id where t.token_hash = ?`,
      ),
      memberships: c.prepare('select assembly_id as a from memberships where user_id = ?'),
      staffRoles: c.prepare('select assembly_id as a, role from staff_roles where user_id = ?'),
      touchToken: c.prepare('update api_tokens set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)'),
    };
    PREPARED.set(db.$client, p);
  }
  return p;
}

interface UserRow {
  id: string;
  role: 'admin' | 'facilitator' | 'researcher' | 'participant';
  displayName: string;
  language: string;
  disabled: number;
}

function actorFrom(db: Db, u: UserRow | undefined, via: 'session' | 'token'): Actor | null {
  if (!u || u.disabled) return null;
  const assemblyIds = u.role === 'participant' ? (prepared(db).memberships.all(u.id) as { a: string }[]).map((r) => r.a) : [];
  const actor: Actor = { kind: 'user', id: u.id, role: u.role, displayName: u.displayName, language: u.language, via, assemblyIds };
  if (u.role === 'facilitator' || u.role === 'researcher') {
    actor.staffRoles = Object.fromEntries((prepared(db).staffRoles.all(u.id) as { a: string; role: AssemblyStaffRole }[]).map((r) => [r.a, r.role]));
  }
  return actor;
}

export function resolveSession(db: Db, cookie: string, now = new Date()): { actor: Actor; csrf: string } | null {
  const row = prepared(db).session.get(sha256(cookie), now.toISOString()) as (UserRow & { csrf: string }) | undefined;
  const actor = actorFrom(db, row, 'session');
  return actor && row ? { actor, csrf: row.csrf } : null;
}

/** API tokens look like `pln_<random>`; only their sha256 is stored. They expire (90 days unless said otherwise). */
export function createApiToken(db: Db, userId: string, name: string, opts: { days?: number; now?: Date } = {}): { id: string; token: string; expiresAt: string } {
  const token = `pln_${randomToken(30)}`;
  const id = newId('tok_');
  const now = opts.now ?? new Date();
  const expiresAt = new Date(now.getTime() + (opts.days ?? 90) * 86400_000).toISOString();
  db.insert(apiTokens).values({ id, userId, name, tokenHash: sha256(token), expiresAt, createdAt: now.toISOString() }).run();
  return { id, token, expiresAt };
}

export type TokenState = { actor: Actor } | { problem: 'unknown' | 'expired' | 'revoked' };

/** The actor behind a bearer token, or why there is none. */
export function resolveTokenState(db: Db, token: string, now = new Date()): TokenState {
  const p = prepared(db);
  const row = p.token.get(sha256(token)) as (UserRow & { tokenId: string; lastUsedAt: string | null; expiresAt: string | null; revokedAt: string | null }) | undefined;
  if (!row) return { problem: 'unknown' };
  if (row.revokedAt) return { problem: 'revoked' };
  if (row.expiresAt && row.expiresAt <= now.toISOString()) return { problem: 'expired' };
  const actor = touchAndResolve(db, row, now);
  return actor ? { actor } : { problem: 'unknown' };
}

function touchAndResolve(db: Db, row: UserRow & { tokenId: string; lastUsedAt: string | null }, now: Date): Actor | null {
  const p = prepared(db);
  // record use at most once a minute: a write per request would serialise every API call on the database
  const t = now.toISOString();
  if (!row.lastUsedAt || row.lastUsedAt < new Date(now.getTime() - 60_000).toISOString()) p.touchToken.run(t, row.tokenId, new Date(now.getTime() - 60_000).toISOString());
  return actorFrom(db, row, 'token');
}
