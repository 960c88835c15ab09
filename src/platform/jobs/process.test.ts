/**
 * Tests with real second processes on a file database: kill -9 recovery and claim races across processes.
 */
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../db/client.js';
import { jobs } from '../db/schema.js';
import { createJobQueue } from './queue.js';
import { createTestTables, registerCrashJob, registerRaceJob } from './testing/jobs.js';
import { killHard, spawnWorker, tempDir, until } from './testing/util.js';
import type { JobQueue } from './types.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function fileDb(): { db: Db; file: string } {
  const { dir, cleanup } = tempDir();
  const file = join(dir, 'jobs.sqlite');
  const db = openDb(file);
  createTestTables(db);
  cleanups.push(() => {
    db.$client.close();
    cleanup();
  });
  return { db, file };
}

function track(q: JobQueue) {
  cleanups.push(() => q.stop({ deadlineMs: 200 }));
  return q;
}
function trackChild(c: ChildProcess) {
  cleanups.push(() => killHard(c));
  return c;
}

describe('crash recovery (kill -9)', () => {
  it('re-claims the job after the worker process is killed, resumes from the checkpoint, writes its effect once', async () => {
    const { db, file } = fileDb();
    // the web side enqueues; it runs no worker yet
    const web = createJobQueue({ db, leaseSeconds: 0.5, workerId: 'recovery', pollMs: 20 });
    const crashJob = registerCrashJob(web, { segmentMs: 2 });
    const { id } = crashJob.enqueue(db, { payload: { segments: 50 } });

    const child = trackChild(await spawnWorker(file, 1, 'child'));
    const read = () => db.select().from(jobs).where(sql`${jobs.id} = ${id}`).get();
    await until(() => ((read()?.checkpoint as { done?: number } | null)?.done ?? 0) >= 5, 'the child to checkpoint 5 segments', 15_000);
    await killHard(child); // SIGKILL mid-run
    const atKill = read()!;
    const doneAtKill = (atKill.checkpoint as { done: number }).done;
    expect(atKill).toMatchObject({ status: 'running', attempts: 1 });
    expect(atKill.leaseOwner).toMatch(/^child:/);
    expect(doneAtKill).toBeGreaterThanOrEqual(5);
    expect(doneAtKill).toBeLessThan(50);
    expect(db.all(sql`SELECT * FROM test_effect`)).toHaveLength(0);

    // restart: a new worker on the same file picks the job up once the dead worker's lease (1 s) expires
    track(web).start({ concurrency: 1 });
    await until(() => read()?.status === 'succeeded', 'the job to finish after restart', 10_000);
    const final = read()!;
    expect(final.attempts).toBe(2);
    expect(final.result).toEqual({ startedFrom: doneAtKill, processed: 50 - doneAtKill });
    const rows = db.all<{ worker: string; started_from: number }>(sql`SELECT worker, started_from FROM test_effect WHERE job_id = ${id}`);
    expect(rows).toEqual([{ worker: 'recovery', started_from: doneAtKill }]);

    // nothing left to re-run, even after another lease period
    await web.stop();
    await new Promise((r) => setTimeout(r, 600));
    expect(await web.runNext()).toBeNull();
    expect(db.all(sql`SELECT * FROM test_effect`)).toHaveLength(1);
  });
});

describe('claims across processes', () => {
  it('two processes and two in-process queues drain 40 jobs; each handler runs exactly once', async () => {
    const { db, file } = fileDb();
    const makeQueue = (workerId: string) => {
      const q = track(createJobQueue({ db: openDb(file), leaseSeconds: 5, workerId, pollMs: 10 }));
      registerRaceJob(q, { workMs: 10 });
      return q;
    };
    const local = [makeQueue('local-a'), makeQueue('local-b')];
    const children = await Promise.all([spawnWorker(file, 5, 'proc-1'), spawnWorker(file, 5, 'proc-2')]);
    children.forEach(trackChild);
    const ids = db.transaction((tx) =>
      Array.from({ length: 40 }, (_, n) => local[0].enqueue(tx, { type: 'test.race', payload: { n } }).id),
    );
    // let a child claim first so the in-process queues join a race already under way
    await until(() => db.all(sql`SELECT 1 FROM test_starts`).length > 0, 'a child process to claim a job', 10_000);
    for (const q of local) q.start({ concurrency: 2 });
    await until(
      () => db.all<{ n: number }>(sql`SELECT count(*) AS n FROM jobs WHERE status = 'succeeded'`)[0].n === 40,
      'all 40 jobs to succeed',
      20_000,
    );
    const starts = db.all<{ job_id: string; worker: string }>(sql`SELECT job_id, worker FROM test_starts`);
    const effects = db.all<{ job_id: string; worker: string }>(sql`SELECT job_id, worker FROM test_effect`);
    expect(starts).toHaveLength(40);
    expect(new Set(starts.map((s) => s.job_id))).toEqual(new Set(ids));
    expect(effects).toHaveLength(40);
    expect(new Set(effects.map((e) => e.job_id)).size).toBe(40);
    const rows = db.select().from(jobs).all();
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    // several workers took part, in more than one process (the claims really raced)
    const byWorker = new Set(starts.map((s) => s.worker));
    expect(byWorker.size).toBeGreaterThanOrEqual(2);
    expect(byWorker.has('proc-1') || byWorker.has('proc-2')).toBe(true);
  });

  it('a cancel requested from another process reaches the running handler through the heartbeat', async () => {
    const { db, file } = fileDb();
    const worker = createJobQueue({ db, leaseSeconds: 0.3, workerId: 'worker' });
    track(worker);
    const job = registerCrashJob(worker, { segmentMs: 20 });
    const { id } = job.enqueue(db, { payload: { segments: 500 } });
    // the "web process": its own connection and queue, no worker loop
    const web = createJobQueue({ db: openDb(file), leaseSeconds: 0.3, workerId: 'web' });
    registerCrashJob(web, { segmentMs: 20 });
    const run = worker.runNext();
    await until(() => ((worker.get(id)?.checkpoint as { done?: number } | null)?.done ?? 0) >= 2, 'the job to start');
    expect(web.cancel(id, 'u1')).toMatchObject({ status: 'running', cancelRequested: true });
    const final = await run;
    expect(final).toMatchObject({ status: 'cancelled' });
    expect((final!.checkpoint as { done: number }).done).toBeLessThan(500);
    expect(db.all(sql`SELECT * FROM test_effect`)).toHaveLength(0);
  });
});
