import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from './all-schema.js';
import type { Db } from './client.js';

/**
 * A Durable Object's SQLite (`ctx.storage.sql`, synchronous like better-sqlite3) behind the part of better-sqlite3's
 * API that Plenary uses: `prepare(sql)` → statements with `run/get/all/iterate`, `raw()`, `pluck()`, `run().changes`,
 * and `transaction(fn)` with `.deferred/.immediate/.exclusive`. drizzle's better-sqlite3 session runs on it
 * unchanged, and so do the repositories' own prepared statements on `db.$client` (the vote hot path, sessions, the
 * vote matrix reader) — one adapter instead of two code paths. Node keeps the real better-sqlite3 (nothing changes there).
 *
 * Differences, by design of Durable Objects:
 * - transactions are `storage.transactionSync(fn)`; a nested transaction joins the outer one (SAVEPOINT statements
 *   are not allowed in a DO), so an inner error rolls back everything unless it is caught — Plenary's code never
 *   catches inside a nested transaction;
 * - an object has one thread: `.immediate()`/`.exclusive()` are the same as `.deferred()` (no other writer exists);
 * - `pragma()` is a no-op (a DO's SQLite has its own settings; foreign keys are enforced).
 */

/** The slice of Cloudflare's `SqlStorage` / `DurableObjectStorage` this adapter needs (types kept local). */
export interface SqlCursorLike extends Iterable<Record<string, unknown>> {
  toArray(): Record<string, unknown>[];
  raw(): Iterable<unknown[]> & { toArray(): unknown[][] };
  next(): IteratorResult<Record<string, unknown>>;
  readonly rowsWritten: number;
}
export interface DurableStorageLike {
  sql: { exec(query: string, ...bindings: unknown[]): SqlCursorLike; readonly databaseSize: number };
  transactionSync<T>(fn: () => T): T;
}

const bindable = (v: unknown): unknown => {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array) return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength);
  return v;
};
const params = (args: unknown[]): unknown[] => (args.length === 1 && Array.isArray(args[0]) ? args[0] : args).map(bindable);

class DoStatement {
  private rawMode = false;
  private pluckMode = false;
  readonly reader: boolean;
  constructor(
    private readonly client: DoSqliteClient,
    readonly source: string,
  ) {
    this.reader = /^\s*(select|with|pragma|values)\b/i.test(source) || /\breturning\b/i.test(source);
  }
  raw(on = true) {
    this.rawMode = on;
    if (on) this.pluckMode = false;
    return this;
  }
  pluck(on = true) {
    this.pluckMode = on;
    if (on) this.rawMode = false;
    return this;
  }
  private exec(args: unknown[]) {
    return this.client.storage.sql.exec(this.source, ...params(args));
  }
  private rows(args: unknown[]): Iterable<unknown> {
    const cur = this.exec(args);
    if (this.pluckMode) return mapIter(cur.raw(), (r) => r[0]);
    return this.rawMode ? cur.raw() : cur;
  }
  run(...args: unknown[]) {
    const cur = this.exec(args);
    for (const _ of cur.raw()); // drain: a RETURNING statement runs fully
    const r = this.client.storage.sql.exec('select changes() as c, last_insert_rowid() as r').raw().toArray()[0] as [number, number];
    return { changes: r[0], lastInsertRowid: r[1] };
  }
  get(...args: unknown[]) {
    for (const row of this.rows(args)) return row;
    return undefined;
  }
  all(...args: unknown[]) {
    return [...this.rows(args)];
  }
  iterate(...args: unknown[]) {
    return this.rows(args)[Symbol.iterator]();
  }
}

function* mapIter<A, B>(it: Iterable<A>, f: (a: A) => B): Generator<B> {
  for (const a of it) yield f(a);
}

export class DoSqliteClient {
  /** read by platform/db/group-commit: no savepoints here, each write commits alone */
  readonly durableObject = true;
  private depth = 0;
  readonly open = true;
  readonly memory = false;
  readonly name = 'durable-object';
  constructor(readonly storage: DurableStorageLike) {}
  get inTransaction() {
    return this.depth > 0;
  }
  prepare(source: string) {
    return new DoStatement(this, source);
  }
  exec(source: string) {
    this.storage.sql.exec(source);
    return this;
  }
  pragma() {
    return [];
  }
  transaction<A extends unknown[], R>(fn: (...args: A) => R) {
    const run = (...args: A): R => {
      if (this.depth > 0) return fn(...args);
      this.depth++;
      try {
        return this.storage.transactionSync(() => fn(...args));
      } finally {
        this.depth--;
      }
    };
    return Object.assign(run, { deferred: run, immediate: run, exclusive: run, default: run });
  }
  close() {}
}

/** A drizzle database over a Durable Object's SQLite, with the same type (and query API) as the Node service's Db. */
export function openDurableDb(storage: DurableStorageLike): Db {
  const client = new DoSqliteClient(storage) as unknown as Database.Database;
  return drizzle(client, { schema }) as Db;
}
