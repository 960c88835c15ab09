import { drizzle } from 'drizzle-orm/durable-sqlite';
import { migrate } from 'drizzle-orm/durable-sqlite/migrator';
import type { DurableStorageLike } from '../platform/db/do-sqlite.js';

const DIR = 'src/platform/db/migrations';

/**
 * drizzle's durable-sqlite migrator config from the committed migrations (the same SQL files the Node service applies
 * with the better-sqlite3 migrator), given the repository's files by path (bundled by scripts/build-worker.mjs).
 */
export function migrationConfig(files: Record<string, string>) {
  const journal = JSON.parse(files[`${DIR}/meta/_journal.json`] ?? 'null') as { entries: { idx: number; when: number; tag: string; breakpoints: boolean }[] } | null;
  if (!journal) throw new Error(`migrations: ${DIR}/meta/_journal.json was not bundled`);
  const migrations: Record<string, string> = {};
  for (const e of journal.entries) {
    const sql = files[`${DIR}/${e.tag}.sql`];
    if (sql === undefined) throw new Error(`migrations: ${DIR}/${e.tag}.sql was not bundled`);
    migrations[`m${String(e.idx).padStart(4, '0')}`] = sql;
  }
  return { journal, migrations };
}

/** Applies the migrations not yet applied to this object's SQLite, in one transaction. */
export async function migrateDurable(storage: DurableStorageLike, files: Record<string, string>): Promise<void> {
  await migrate(drizzle(storage as never), migrationConfig(files));
}
