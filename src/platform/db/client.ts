import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './all-schema.js';
import { ensureAuthEpoch } from './auth-epoch.js';

export type Schema = typeof schema;
export type Db = BetterSQLite3Database<Schema> & { $client: Database.Database };
/** the argument drizzle gives inside db.transaction(tx => …); same query API as Db */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Opens SQLite with the pragmas the service relies on, then applies committed migrations. */
export function openDb(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = drizzle(sqlite, { schema }) as Db;
  // Transactions take the write lock when they begin (BEGIN IMMEDIATE), so the busy timeout applies when several
  // processes share the file (`serve --http-workers N`): a deferred transaction that read before writing would
  // instead fail at once with SQLITE_BUSY once another process had committed in between.
  const deferredDefault = db.transaction.bind(db);
  db.transaction = ((fn: Parameters<Db['transaction']>[0], config?: Parameters<Db['transaction']>[1]) =>
    deferredDefault(fn, { behavior: 'immediate', ...config })) as Db['transaction'];
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  ensureAuthEpoch(sqlite);
  return db;
}

/** A fresh migrated in-memory database for tests. */
export function testDb(): Db {
  return openDb(':memory:');
}
