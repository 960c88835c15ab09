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
 * queries each time, and keeps the actors it resolved in a small cache (below).
 */
interface Prepared {
  session: Database.Statement<[string, string]>;
  token: Database.Statement<[string]>;
  memberships: Database.Statement<[string]>;
  staffRoles: Database.Statement<[string]>;
  touchToken: Database.Statement<[string, string, string]>;
  /** null where the auth_epoch table is missing (a database not opened by openDb): no caching then */
  epoch: Database.Statement<[]> | null;
  cache: CredentialCache;
}

/**
 * Credential → actor, for the last CACHE_SIZE credentials seen on this connection (least recently used evicted).
 * An entry is used only while auth_epoch (db/auth-epoch.ts: bumped by triggers on every change to tokens, sessions,
 * users, memberships and staff roles, from any connection) still has the value read with it, and while the token or
 * session has not expired; so a revoked token, an ended session or a removed membership takes effect on the next
 * request exactly as without the cache. Only valid credentials are cached; unknown, revoked and expired ones are
 * looked up every time. Keyed by the credential itself (never stored anywhere but this process's memory), which
 * also saves hashing it per request.
 */
const CACHE_SIZE = 10_000;
interface Cached {
  epoch: number;
  actor: Actor;
  /** epoch ms; Infinity for tokens made before expiry existed */
  expiresAt: number;
  csrf?: string;
  tokenId?: string;
  lastUsedAt?: number;
}
class CredentialCache {
  private readonly m = new Map<string, Cached>();
  get(key: string): Cached | undefined {
    const e = this.m.get(key);
    if (e) {
      this.m.delete(key); // most recently used last
      this.m.set(key, e);
    }
    return e;
  }
  set(key: string, e: Cached): void {
    this.m.delete(key);
    this.m.set(key, e);
    if (this.m.size > CACHE_SIZE) this.m.delete(this.m.keys().next().value as string);
  }
  delete(key: string): void {
    this.m.delete(key);
  }
}

const PREPARED = new WeakMap<Database.Database, Prepared>();
function prepared(db: Db): Prepared {
  let p = PREPARED.get(db.$client);
  if (!p) {
    const c = db.$client;
    const userCols = 'u.id as id, u.role as role, u.display_name as displayName, u.language as language, u.disabled as disabled';
    let epoch: Database.Statement<[]> | null = null;
    try {
      epoch = c.prepare('select n from auth_epoch where id = 1').pluck();
    } catch {
      epoch = null;
    }
    p = {
      session: c.prepare(`select ${userCols}, s.csrf_token as csrf, s.expires_at as expiresAt from sessions s join users u on u.id = s.user_id where s.id_hash = ? and s.expires_at > ?`),
      token: c.prepare(
        `select ${userCols}, t.id as tokenId, t.last_used_at as lastUsedAt, t.expires_at as expiresAt, t.revoked_at as revokedAt from api_tokens t join users u on u.id = t.user_id where t.token_hash = ?`,
      ),
      memberships: c.prepare('select assembly_id as a from memberships where user_id = ?'),
      staffRoles: c.prepare('select assembly_id as a, role from staff_roles where user_id = ?'),
      touchToken: c.prepare('update api_tokens set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)'),
      epoch,
      cache: new CredentialCache(),
    };
    PREPARED.set(db.$client, p);
  }
  return p;
}

/** the current auth epoch, read before the credential (so a change committed in between is never cached as current) */
const readEpoch = (p: Prepared): number | null => (p.epoch ? (p.epoch.get() as number) : null);

interface UserRow {
  id: string;
  role: 'admin' | 'facilitator' | 'researcher' | 'participant';
  displayName: string;
  language: string;
  disabled: number;
}

/** A frozen actor: cached actors are shared between requests, so nothing downstream may change one. */
function actorFrom(db: Db, u: UserRow | undefined, via: 'session' | 'token'): Actor | null {
  if (!u || u.disabled) return null;
  const assemblyIds = u.role === 'participant' ? (prepared(db).memberships.all(u.id) as { a: string }[]).map((r) => r.a) : [];
  const actor: Actor = { kind: 'user', id: u.id, role: u.role, displayName: u.displayName, language: u.language, via, assemblyIds: Object.freeze(assemblyIds) as string[] };
  if (u.role === 'facilitator' || u.role === 'researcher') {
    actor.staffRoles = Object.freeze(Object.fromEntries((prepared(db).staffRoles.all(u.id) as { a: string; role: AssemblyStaffRole }[]).map((r) => [r.a, r.role])));
  }
  return Object.freeze(actor);
}

export function resolveSession(db: Db, cookie: string, now = new Date()): { actor: Actor; csrf: string } | null {
  const p = prepared(db);
  const epoch = readEpoch(p);
  const key = `s:${cookie}`;
  const hit = epoch === null ? undefined : p.cache.get(key);
  if (hit && hit.epoch === epoch && hit.expiresAt > now.getTime()) return { actor: hit.actor, csrf: hit.csrf! };
  if (hit) p.cache.delete(key);
  const row = p.session.get(sha256(cookie), now.toISOString()) as (UserRow & { csrf: string; expiresAt: string }) | undefined;
  const actor = actorFrom(db, row, 'session');
  if (!actor || !row) return null;
  if (epoch !== null) p.cache.set(key, { epoch, actor, csrf: row.csrf, expiresAt: Date.parse(row.expiresAt) });
  return { actor, csrf: row.csrf };
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
  const epoch = readEpoch(p);
  const key = `t:${token}`;
  const t = now.getTime();
  const hit = epoch === null ? undefined : p.cache.get(key);
  if (hit && hit.epoch === epoch && hit.expiresAt > t) {
    touch(p, hit.tokenId!, hit.lastUsedAt, now, (ms) => (hit.lastUsedAt = ms));
    return { actor: hit.actor };
  }
  if (hit) p.cache.delete(key);
  const row = p.token.get(sha256(token)) as (UserRow & { tokenId: string; lastUsedAt: string | null; expiresAt: string | null; revokedAt: string | null }) | undefined;
  if (!row) return { problem: 'unknown' };
  if (row.revokedAt) return { problem: 'revoked' };
  if (row.expiresAt && row.expiresAt <= now.toISOString()) return { problem: 'expired' };
  const lastUsed = row.lastUsedAt ? Date.parse(row.lastUsedAt) : undefined;
  let touched = lastUsed;
  touch(p, row.tokenId, lastUsed, now, (ms) => (touched = ms));
  const actor = actorFrom(db, row, 'token');
  if (!actor) return { problem: 'unknown' };
  if (epoch !== null) p.cache.set(key, { epoch, actor, tokenId: row.tokenId, lastUsedAt: touched, expiresAt: row.expiresAt ? Date.parse(row.expiresAt) : Infinity });
  return { actor };
}

/** record use at most once a minute: a write per request would serialise every API call on the database */
function touch(p: Prepared, tokenId: string, lastUsedAt: number | undefined, now: Date, done: (ms: number) => void): void {
  const t = now.getTime();
  if (lastUsedAt !== undefined && lastUsedAt >= t - 60_000) return;
  p.touchToken.run(now.toISOString(), tokenId, new Date(t - 60_000).toISOString());
  done(t);
}
