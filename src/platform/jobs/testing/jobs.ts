import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { JobQueue } from '../types.js';

/**
 * Job types shared by the tests and by the child-process worker (worker.ts), so both sides run the same handler.
 * Their effects go to throw-away tables created here with raw SQL; they are not part of the schema.
 */
export const CRASH_JOB = 'test.crash';
export const RACE_JOB = 'test.race';

export function createTestTables(db: Db): void {
  db.$client.exec(`
    CREATE TABLE IF NOT EXISTS test_effect (job_id TEXT NOT NULL, worker TEXT NOT NULL, started_from INTEGER NOT NULL, processed INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS test_starts (job_id TEXT NOT NULL, worker TEXT NOT NULL, at INTEGER NOT NULL);
  `);
}

/**
 * Resumable slow work: `segments` steps of `segmentMs`, a checkpoint after each, the effect written by complete().
 * Its result says where this run started, so a test can tell a resume from a restart.
 */
export function registerCrashJob(queue: JobQueue, { segmentMs }: { segmentMs: number }) {
  return queue.register(CRASH_JOB, {
    payload: z.object({ segments: z.number().int().positive() }),
    maxAttempts: 3,
    handler: async (ctx) => {
      const { segments } = ctx.job.payload;
      const startedFrom = ctx.checkpoint.get<{ done: number }>()?.done ?? 0;
      let done = startedFrom;
      while (done < segments) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        await sleep(segmentMs);
        done += 1;
        ctx.checkpoint.set({ done });
        ctx.progress(done / segments, `segment ${done}/${segments}`);
      }
      return ctx.complete((tx) => {
        tx.run(
          sql`INSERT INTO test_effect (job_id, worker, started_from, processed) VALUES (${ctx.job.id}, ${queue.workerId}, ${startedFrom}, ${segments - startedFrom})`,
        );
        return { startedFrom, processed: segments - startedFrom };
      });
    },
  });
}

/** Short job for claim races: records every handler start, waits a little, writes its effect once. */
export function registerRaceJob(queue: JobQueue, { workMs }: { workMs: number }) {
  return queue.register(RACE_JOB, {
    payload: z.object({ n: z.number().int() }),
    handler: async (ctx) => {
      ctx.db.run(sql`INSERT INTO test_starts (job_id, worker, at) VALUES (${ctx.job.id}, ${queue.workerId}, ${Date.now()})`);
      await sleep(workMs);
      ctx.complete((tx) => {
        tx.run(sql`INSERT INTO test_effect (job_id, worker, started_from, processed) VALUES (${ctx.job.id}, ${queue.workerId}, 0, 1)`);
      });
    },
  });
}
