import { describe, expect, it } from 'vitest';
import { testDb } from './client.js';
import { createGroupCommit } from './group-commit.js';

function table() {
  const db = testDb();
  const c = db.$client;
  c.exec('create table t (k integer primary key, v text not null); create table parent (id integer primary key); create table child (p integer references parent(id))');
  return { db, c, ins: c.prepare('insert into t (k, v) values (?, ?)'), count: () => c.prepare('select count(*) from t').pluck().get() as number };
}

describe('group commit', () => {
  it('commits the writes of one event-loop turn together, each answered with its own result after COMMIT', async () => {
    const { c, ins, count } = table();
    const g = createGroupCommit(c);
    const seen: boolean[] = [];
    const ps = [1, 2, 3].map((k) =>
      g.run(() => {
        seen.push(c.inTransaction);
        ins.run(k, `v${k}`);
        return k * 10;
      }),
    );
    expect(count()).toBe(0); // nothing runs before the turn ends
    expect(await Promise.all(ps)).toEqual([10, 20, 30]);
    expect(seen).toEqual([true, true, true]);
    expect(c.inTransaction).toBe(false);
    expect(count()).toBe(3);
  });

  it('a write that throws is rolled back alone (its nested transaction too) and rejects with its own error', async () => {
    const { c, ins, count } = table();
    const g = createGroupCommit(c);
    const a = g.run(() => ins.run(1, 'a'));
    const bad = g.run(() => {
      ins.run(2, 'b');
      c.transaction(() => ins.run(3, 'c'))();
      throw new Error('no such statement');
    });
    const dup = g.run(() => ins.run(1, 'again')); // primary key conflict with the first write
    const d = g.run(() => ins.run(4, 'd'));
    await expect(bad).rejects.toThrow('no such statement');
    await expect(dup).rejects.toThrow(/UNIQUE/);
    await a;
    await d;
    expect(c.prepare('select k from t order by k').pluck().all()).toEqual([1, 4]);
    expect(count()).toBe(2);
  });

  it('when COMMIT fails, every write of the batch is rolled back and every caller is told: nothing half-written', async () => {
    const { c, ins } = table();
    c.pragma('foreign_keys = ON');
    const g = createGroupCommit(c);
    const ok = g.run(() => ins.run(1, 'a'));
    const breaks = g.run(() => {
      c.pragma('defer_foreign_keys = ON'); // the violation below surfaces only at COMMIT
      c.prepare('insert into child (p) values (42)').run();
    });
    await expect(ok).rejects.toThrow(/FOREIGN KEY/);
    await expect(breaks).rejects.toThrow(/FOREIGN KEY/);
    expect(c.prepare('select count(*) from t').pluck().get()).toBe(0);
    expect(c.prepare('select count(*) from child').pluck().get()).toBe(0);
    expect(c.inTransaction).toBe(false);
    // the next batch works
    await g.run(() => ins.run(2, 'b'));
    expect(c.prepare('select k from t').pluck().all()).toEqual([2]);
  });

  it('flushes at once when a batch is full', async () => {
    const { c, ins, count } = table();
    const g = createGroupCommit(c, 2);
    const p1 = g.run(() => ins.run(1, 'a'));
    const p2 = g.run(() => ins.run(2, 'b'));
    expect(count()).toBe(2); // committed synchronously on the second write
    const p3 = g.run(() => ins.run(3, 'c'));
    expect(count()).toBe(2);
    await Promise.all([p1, p2, p3]);
    expect(count()).toBe(3);
  });
});
