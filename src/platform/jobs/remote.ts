import { and, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { recordAudit } from '../audit/audit.js';
import type { Db, DbOrTx } from '../db/client.js';
import { jobs } from '../db/schema.js';
import { AppError, notFound } from '../errors.js';
import type { ReviewQueue, SubmitInput } from '../review/queue.js';
import type { JobRow } from './types.js';

/**
 * Leases for workers in another process or on another machine (`plenary worker --remote`), over HTTP: the same
 * `jobs` table and the same compare-and-swap claim as the in-process queue (queue.ts), with the lease token handed
 * to the worker. Every later call names the token; once the lease has expired and another worker took the job, the
 * stale worker's heartbeat, completion or failure is refused (CONFLICT) and nothing it sends is written. A remote
 * worker's effects are review drafts (what every analysis job produces) and the job's result, written with the job's
 * success in one transaction.
 */
export interface RemoteLease {
  job: { id: string; type: string; payload: unknown; attempts: number; maxAttempts: number; assemblyId: string | null; createdBy: string | null; checkpoint: unknown };
  leaseToken: string;
  leaseExpiresAt: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const stale = (jobId: string) =>
  new AppError('CONFLICT', `Job ${jobId}: this worker's lease has expired or the job was given to another worker; its result was not recorded.`, { jobId });

/** Claims the oldest due job of the assembly among `types` (queued and due, or running with an expired lease). */
export function leaseRemote(db: Db, input: { assemblyId: string; types: string[]; workerId: string; leaseSeconds: number; now: number }): RemoteLease | null {
  for (let guard = 0; guard < 20; guard++) {
    const t = input.now;
    const token = `remote:${input.workerId}:${randomBytes(6).toString('hex')}`;
    const due = or(and(eq(jobs.status, 'queued'), lte(jobs.runAfter, t)), and(eq(jobs.status, 'running'), lt(jobs.leaseExpiresAt, t)));
    const scope = and(eq(jobs.assemblyId, input.assemblyId), inArray(jobs.type, input.types), due);
    const pick = db.select({ id: jobs.id }).from(jobs).where(scope).orderBy(jobs.runAfter, jobs.createdAt).limit(1);
    const row = db
      .update(jobs)
      .set({ status: 'running', leaseOwner: token, leaseExpiresAt: t + input.leaseSeconds * 1000, attempts: sql`${jobs.attempts} + 1`, updatedAt: iso(t) })
      .where(and(inArray(jobs.id, pick), due))
      .returning()
      .get();
    if (!row) return null;
    const own = and(eq(jobs.id, row.id), eq(jobs.leaseOwner, token));
    if (row.cancelRequested) {
      db.update(jobs).set({ status: 'cancelled', leaseOwner: null, leaseExpiresAt: null, finishedAt: iso(t), updatedAt: iso(t) }).where(own).run();
      continue;
    }
    if (row.attempts > row.maxAttempts) {
      db.update(jobs).set({ status: 'failed', error: `Gave up after ${row.maxAttempts} attempts (last worker lost its lease)`, leaseOwner: null, leaseExpiresAt: null, finishedAt: iso(t), updatedAt: iso(t) }).where(own).run();
      continue;
    }
    return {
      job: { id: row.id, type: row.type, payload: row.payload, attempts: row.attempts, maxAttempts: row.maxAttempts, assemblyId: row.assemblyId, createdBy: row.createdBy, checkpoint: row.checkpoint ?? null },
      leaseToken: token,
      leaseExpiresAt: iso(t + input.leaseSeconds * 1000),
    };
  }
  return null;
}

function owned(db: DbOrTx, assemblyId: string, jobId: string, token: string, now: number): JobRow {
  const row = db.select().from(jobs).where(eq(jobs.id, jobId)).get();
  if (!row || row.assemblyId !== assemblyId) throw notFound('Job', jobId);
  if (row.leaseOwner !== token || row.status !== 'running' || (row.leaseExpiresAt ?? 0) < now) throw stale(jobId);
  return row;
}

/** Extends the lease; reports progress; tells the worker when a facilitator asked to cancel. */
export function heartbeatRemote(db: Db, input: { assemblyId: string; jobId: string; leaseToken: string; leaseSeconds: number; now: number; progress?: number; message?: string | null; checkpoint?: unknown }) {
  return db.transaction((tx) => {
    const row = owned(tx, input.assemblyId, input.jobId, input.leaseToken, input.now);
    const leaseExpiresAt = input.now + input.leaseSeconds * 1000;
    tx.update(jobs)
      .set({
        leaseExpiresAt,
        ...(input.progress !== undefined ? { progress: Math.min(1, Math.max(0, input.progress)) } : {}),
        ...(input.message !== undefined ? { progressMessage: input.message } : {}),
        ...(input.checkpoint !== undefined ? { checkpoint: input.checkpoint } : {}),
        updatedAt: iso(input.now),
      })
      .where(and(eq(jobs.id, row.id), eq(jobs.leaseOwner, input.leaseToken)))
      .run();
    return { leaseExpiresAt: iso(leaseExpiresAt), cancelRequested: row.cancelRequested };
  });
}

/** Writes the worker's review drafts and marks the job succeeded, in one transaction; refused for a stale lease. */
export function completeRemote(db: Db, review: ReviewQueue, input: { assemblyId: string; jobId: string; leaseToken: string; now: number; result: unknown; drafts: (Omit<SubmitInput, 'assemblyId' | 'jobId'> & { localId?: string })[]; actorId: string | null }): JobRow {
  return db.transaction((tx) => {
    const row = owned(tx, input.assemblyId, input.jobId, input.leaseToken, input.now);
    const done = { leaseOwner: null, leaseExpiresAt: null, finishedAt: iso(input.now), updatedAt: iso(input.now) };
    if (row.cancelRequested) {
      return tx.update(jobs).set({ ...done, status: 'cancelled' }).where(eq(jobs.id, row.id)).returning().get()!;
    }
    const ids = input.drafts.map(({ localId: _l, ...d }) => review.submit(tx, { ...d, assemblyId: input.assemblyId, jobId: row.id }).id);
    // the worker's result names its drafts by the ids its private database gave them: name them by ours
    let text = input.result === undefined ? undefined : JSON.stringify(input.result);
    input.drafts.forEach((d, i) => {
      if (d.localId && text) text = text.split(JSON.stringify(d.localId)).join(JSON.stringify(ids[i]));
    });
    const result = text === undefined ? (ids.length === 1 ? ids[0] : ids) : (JSON.parse(text) as unknown);
    recordAudit(tx, { actorId: input.actorId, action: 'job.remote-complete', subject: `job:${row.id}`, data: { type: row.type, drafts: ids.length } });
    return tx.update(jobs).set({ ...done, status: 'succeeded', progress: 1, result: result ?? null, error: null }).where(eq(jobs.id, row.id)).returning().get()!;
  });
}

/** A failed run: a transient error is retried later with backoff while attempts remain; any other error fails the job. */
export function failRemote(db: Db, input: { assemblyId: string; jobId: string; leaseToken: string; now: number; error: string; transient: boolean; retryBaseMs?: number }): JobRow {
  return db.transaction((tx) => {
    const row = owned(tx, input.assemblyId, input.jobId, input.leaseToken, input.now);
    const base = { leaseOwner: null, leaseExpiresAt: null, error: input.error.slice(0, 2000), updatedAt: iso(input.now) };
    if (input.transient && row.attempts < row.maxAttempts) {
      const d = Math.min(300_000, (input.retryBaseMs ?? 1000) * 2 ** (row.attempts - 1));
      return tx.update(jobs).set({ ...base, status: 'queued', runAfter: input.now + d }).where(eq(jobs.id, row.id)).returning().get()!;
    }
    return tx.update(jobs).set({ ...base, status: 'failed', finishedAt: iso(input.now) }).where(eq(jobs.id, row.id)).returning().get()!;
  });
}
