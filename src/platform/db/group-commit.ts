import type Database from 'better-sqlite3';

/**
 * Group commit for small hot writes (votes). Every write handed to `run` in the same turn of the event loop is
 * committed in ONE SQLite transaction, each write inside its own savepoint:
 * - a write that throws is rolled back to its savepoint and its promise rejects with its error (the others go on);
 * - the promises resolve only after COMMIT, so a write is acknowledged only once it is durable (as durable as the
 *   connection's synchronous setting makes any commit);
 * - if BEGIN or COMMIT fails, every write of the batch is rolled back and every promise rejects: nothing half-written.
 * A write function is synchronous (better-sqlite3) and may itself open a transaction: nested, it becomes a savepoint.
 *
 * Why: each commit writes the pages it touched to the WAL (votes and their two indexes, the statement's counters,
 * the conversation's event counter); requests that arrive together share those page writes and one BEGIN/COMMIT
 * instead of paying them each. Writes wait at most until the end of the current event-loop turn (setImmediate),
 * so no latency is added beyond the batch's own work.
 */
export interface GroupCommit {
  run<T>(fn: () => T): Promise<T>;
}

interface Item {
  fn: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

const MAX_BATCH = 256;
const BY_CLIENT = new WeakMap<Database.Database, GroupCommit>();

/** The group committer of a connection (one per connection, shared by every route that uses it). */
export function groupCommit(client: Database.Database): GroupCommit {
  // a Durable Object's SQLite (db/do-sqlite.ts) has no savepoints and one writer per object: each write commits alone
  if ((client as unknown as { durableObject?: boolean }).durableObject) return { run: async <T>(fn: () => T) => fn() };
  let g = BY_CLIENT.get(client);
  if (!g) BY_CLIENT.set(client, (g = createGroupCommit(client)));
  return g;
}

export function createGroupCommit(client: Database.Database, maxBatch = MAX_BATCH): GroupCommit {
  let pending: Item[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  const savepoint = client.prepare('SAVEPOINT group_commit_item');
  const release = client.prepare('RELEASE group_commit_item');
  const rollbackTo = client.prepare('ROLLBACK TO group_commit_item');

  function flush() {
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    const batch = pending;
    pending = [];
    if (!batch.length) return;
    const outcomes: { ok: boolean; v: unknown }[] = new Array(batch.length);
    try {
      client
        .transaction(() => {
          for (let i = 0; i < batch.length; i++) {
            savepoint.run();
            try {
              const v = batch[i].fn();
              release.run();
              outcomes[i] = { ok: true, v };
            } catch (e) {
              rollbackTo.run();
              release.run();
              outcomes[i] = { ok: false, v: e };
            }
          }
        })
        .immediate();
    } catch (e) {
      for (const it of batch) it.reject(e);
      return;
    }
    for (let i = 0; i < batch.length; i++) (outcomes[i].ok ? batch[i].resolve : batch[i].reject)(outcomes[i].v);
  }

  return {
    run<T>(fn: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        if (pending.length >= maxBatch) flush();
        else scheduled ??= setImmediate(flush);
      });
    },
  };
}
