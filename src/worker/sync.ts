import type { DurableStorageLike } from '../platform/db/do-sqlite.js';

/**
 * Rows that move between the directory object and an assembly object, in plain SQL over the objects' SQLite:
 * - an assembly's snapshot, exported by the directory when the assembly is created there (or seeded for the demo) and
 *   adopted by the assembly's own object, which owns it from then on;
 * - a signed-in person's credential (session or API token) and user row, mirrored into an assembly object on each
 *   request so that the app's own authenticate() finds them there.
 */
export type Row = Record<string, unknown>;
export interface Snapshot {
  assemblyId: string;
  tables: { name: string; rows: Row[] }[];
}
export interface Principal {
  kind: 'session' | 'token';
  hash: string;
  user: Row | null;
  credential: Row | null;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const all = (s: DurableStorageLike, sql: string, ...args: unknown[]) => s.sql.exec(sql, ...args).toArray();

function tablesWithAssemblyId(s: DurableStorageLike): string[] {
  const names = all(s, "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '\\_%' escape '\\' and name not in ('assemblies', 'users', 'worker_mirror')").map((r) => String(r.name));
  return names.filter((n) => (s.sql.exec(`select * from ${q(n)} limit 0`) as unknown as { columnNames: string[] }).columnNames.includes('assembly_id'));
}

/** Everything the directory holds about one assembly: its row, its members' and staff's user rows, its scoped rows. */
export function exportAssembly(s: DurableStorageLike, assemblyId: string): Snapshot | null {
  const a = all(s, 'select * from assemblies where id = ?', assemblyId);
  if (!a.length) return null;
  const users = all(
    s,
    'select * from users where id in (select user_id from memberships where assembly_id = ?1 union select user_id from staff_roles where assembly_id = ?1)',
    assemblyId,
  );
  const tables = [{ name: 'users', rows: users }, { name: 'assemblies', rows: a }];
  for (const t of tablesWithAssemblyId(s)) tables.push({ name: t, rows: all(s, `select * from ${q(t)} where assembly_id = ?`, assemblyId) });
  return { assemblyId, tables };
}

function insert(s: DurableStorageLike, table: string, row: Row, onConflict: 'ignore' | { pk: string }) {
  const cols = Object.keys(row);
  const head = `insert ${onConflict === 'ignore' ? 'or ignore ' : ''}into ${q(table)} (${cols.map(q).join(', ')}) values (${cols.map(() => '?').join(', ')})`;
  const tail = onConflict === 'ignore' ? '' : ` on conflict (${q(onConflict.pk)}) do update set ${cols.filter((c) => c !== onConflict.pk).map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`;
  s.sql.exec(head + tail, ...cols.map((c) => row[c] ?? null));
}

/** Writes a snapshot into an assembly object (idempotent: rows already there are kept). */
export function adoptAssembly(s: DurableStorageLike, snap: Snapshot): number {
  let n = 0;
  s.transactionSync(() => {
    s.sql.exec('pragma defer_foreign_keys = on');
    for (const t of snap.tables) {
      for (const row of t.rows) {
        insert(s, t.name, row, t.name === 'users' ? { pk: 'id' } : 'ignore');
        n++;
      }
    }
  });
  return n;
}

/** The directory's rows for a credential hash (whatever their state: the app decides whether they are valid). */
export function lookupPrincipal(s: DurableStorageLike, kind: Principal['kind'], hash: string): Principal {
  const credential = all(s, kind === 'session' ? 'select * from sessions where id_hash = ?' : 'select * from api_tokens where token_hash = ?', hash)[0] ?? null;
  const user = credential ? (all(s, 'select * from users where id = ?', credential.user_id)[0] ?? null) : null;
  return { kind, hash, user, credential: user ? credential : null };
}

/**
 * Mirrors a credential into this assembly object before the app authenticates the request. A credential the directory
 * no longer has (signed out) is removed here if it had been mirrored; credentials created here (a participant who
 * joined with an invitation code) are never touched.
 */
export function mirrorPrincipal(s: DurableStorageLike, p: Principal): void {
  s.transactionSync(() => {
    if (!p.credential || !p.user) {
      const was = all(s, 'select kind from worker_mirror where hash = ?', p.hash)[0];
      if (!was) return;
      s.sql.exec(p.kind === 'session' ? 'delete from sessions where id_hash = ?' : 'update api_tokens set revoked_at = coalesce(revoked_at, ?2) where token_hash = ?1', p.hash, ...(p.kind === 'token' ? [new Date().toISOString()] : []));
      s.sql.exec('delete from worker_mirror where hash = ?', p.hash);
      return;
    }
    insert(s, 'users', p.user, { pk: 'id' });
    insert(s, p.kind === 'session' ? 'sessions' : 'api_tokens', p.credential, { pk: p.kind === 'session' ? 'id_hash' : 'id' });
    s.sql.exec('insert or ignore into worker_mirror (hash, kind) values (?, ?)', p.hash, p.kind);
  });
}
