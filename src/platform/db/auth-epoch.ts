import type Database from 'better-sqlite3';

/**
 * A counter that every change to who-may-do-what bumps, kept by SQLite triggers so that no code path (any module,
 * any process or thread on the same file, a hand-run SQL fix) can change credentials without it: tokens revoked,
 * expired early, moved or deleted; sessions ended; users disabled, deleted or given another role or name; memberships
 * and staff roles added, changed or removed. The credential cache (auth/sessions.ts) trusts a cached actor only while
 * the counter still has the value it had when the actor was read, so a revocation takes effect on the very next
 * request, in every process. Inserting a token or session does not bump it (a new credential is not cached yet), nor
 * does a token's once-a-minute last_used_at write.
 *
 * Created at start-up with IF NOT EXISTS (idempotent, safe from several connections) rather than in a drizzle
 * migration: triggers are not part of drizzle's schema, so a regenerated migration would silently drop them.
 */
const BUMP = 'begin update auth_epoch set n = n + 1 where id = 1; end';
const TRIGGERS: [string, string][] = [
  ['auth_epoch_tokens_update', 'after update of user_id, token_hash, expires_at, revoked_at on api_tokens'],
  ['auth_epoch_tokens_delete', 'after delete on api_tokens'],
  ['auth_epoch_sessions_update', 'after update of id_hash, user_id, csrf_token, expires_at on sessions'],
  ['auth_epoch_sessions_delete', 'after delete on sessions'],
  ['auth_epoch_users_update', 'after update of id, role, display_name, language, disabled on users'],
  ['auth_epoch_users_delete', 'after delete on users'],
  ['auth_epoch_memberships_insert', 'after insert on memberships'],
  ['auth_epoch_memberships_update', 'after update of assembly_id, user_id on memberships'],
  ['auth_epoch_memberships_delete', 'after delete on memberships'],
  ['auth_epoch_staff_roles_insert', 'after insert on staff_roles'],
  ['auth_epoch_staff_roles_update', 'after update on staff_roles'],
  ['auth_epoch_staff_roles_delete', 'after delete on staff_roles'],
];

/** The statements that create the counter and its triggers (idempotent); Node and Durable Objects run the same. */
export const AUTH_EPOCH_DDL: readonly string[] = [
  'create table if not exists auth_epoch (id integer primary key check (id = 1), n integer not null)',
  'insert or ignore into auth_epoch (id, n) values (1, 0)',
  ...TRIGGERS.map(([name, when]) => `create trigger if not exists ${name} ${when} ${BUMP}`),
];

export function ensureAuthEpoch(sqlite: Database.Database): void {
  sqlite.transaction(() => {
    for (const q of AUTH_EPOCH_DDL) sqlite.exec(q);
  }).immediate();
}
