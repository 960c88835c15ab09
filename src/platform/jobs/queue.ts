import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { and, desc, eq, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbOrTx, Tx } from '../db/client.js';
import { jobs } from '../db/schema.js';
import { conflict, invalid, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { jobEventsSse } from './sse.js';
import {
  JobAbort,
  JobCancelledError,
  LeaseLostError,
  isTerminal,
  isTransient,
  toEvent,
  type EnqueueInput,
  type JobContext,
  type JobDefinition,
  type JobEvent,
  type JobListener,
  type JobLogger,
  type JobQueue,
  type JobQueueOptions,
  type JobRow,
  type JobType,
  type ListJobsInput,
} from './types.js';

/*
 * A durable job queue in the `jobs` table.
 *
 * Lifecycle: queued → running → succeeded | failed | cancelled; a transient failure goes back to queued with a later
 * run_after. A worker claims a job with one compare-and-swap UPDATE … RETURNING (SQLite serialises writers, and the
 * WHERE clause re-checks that the row is still claimable), writing a lease token `<workerId>:<nonce>` and an expiry.
 * A heartbeat extends the lease while the handler runs and reads the cancel flag. A job whose lease expired (its
 * worker died) is claimable again; its handler resumes from the checkpoint. Every write a run makes is guarded by its
 * lease token, and the handler's effects go through complete(), which writes them and marks the job succeeded in one
 * transaction — so a run that lost its lease can never commit effects, and effects are written exactly once.
 *
 * Heartbeats are timers: a handler that blocks the event loop (long synchronous CPU work) for longer than the lease
 * lets the lease expire. Keep synchronous stretches well under leaseSeconds (or raise it).
 */

const noopLogger: JobLogger = { info() {}, warn() {}, error() {}, child: () => noopLogger };

interface Registered {
  def: JobDefinition<z.ZodType>;
}

interface RunState {
  ac: AbortController;
  /** how long the handler may take to settle once the signal is aborted */
  graceMs: number;
  completed: boolean;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

const errMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function createJobQueue(opts: JobQueueOptions): JobQueue {
  const db = opts.db;
  const clock = opts.clock ?? Date.now;
  const now = (): number => {
    const v = clock();
    return typeof v === 'number' ? v : v.getTime();
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const random = opts.random ?? Math.random;
  const logger = opts.logger ?? noopLogger;
  if (!(opts.leaseSeconds > 0)) throw new Error('createJobQueue: leaseSeconds must be positive');
  const leaseMs = Math.max(1, Math.round(opts.leaseSeconds * 1000));
  const workerId = opts.workerId ?? `w${process.pid}-${randomBytes(3).toString('hex')}`;
  const pollMs = opts.pollMs ?? 500;
  const retryBaseMs = opts.retryBaseMs ?? 1000;
  const retryMaxMs = opts.retryMaxMs ?? 300_000;
  const progressIntervalMs = opts.progressIntervalMs ?? 250;
  const abortGraceMs = opts.abortGraceMs ?? 2000;

  const registry = new Map<string, Registered>();
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  /** jobs whose handler runs in this process */
  const running = new Map<string, RunState>();
  /** promises of execute() calls, awaited by stop() */
  const inflight = new Set<Promise<unknown>>();
  let loop: { concurrency: number; stopping: boolean; timer?: NodeJS.Timeout; immediate?: NodeJS.Immediate } | null = null;

  // ---------- events ----------
  function emit(ev: JobEvent) {
    emitter.emit(`job:${ev.id}`, ev);
    emitter.emit('*', ev);
  }
  function emitRow(row: JobRow | null | undefined) {
    if (row) emit(toEvent(row));
  }

  function subscribe(id: string, listener: JobListener): () => void {
    const name = id === '*' ? '*' : `job:${id}`;
    const wrapped = (ev: JobEvent) => {
      try {
        listener(ev);
      } catch (err) {
        logger.warn({ err, jobId: ev.id }, 'job event listener threw');
      }
    };
    emitter.on(name, wrapped);
    return () => {
      emitter.off(name, wrapped);
    };
  }

  // ---------- reads ----------
  function get(id: string): JobRow | null {
    return db.select().from(jobs).where(eq(jobs.id, id)).get() ?? null;
  }

  function list(input: ListJobsInput = {}): JobRow[] {
    const where: SQL[] = [];
    if (input.assemblyId !== undefined) where.push(eq(jobs.assemblyId, input.assemblyId));
    if (input.type !== undefined) where.push(eq(jobs.type, input.type));
    if (input.status !== undefined) {
      const statuses = Array.isArray(input.status) ? input.status : [input.status];
      where.push(inArray(jobs.status, statuses));
    }
    const limit = Math.min(Math.max(1, Math.floor(input.limit ?? 50)), 500);
    return db
      .select()
      .from(jobs)
      .where(where.length ? and(...where) : undefined)
      .orderBy(desc(jobs.createdAt), desc(jobs.id))
      .limit(limit)
      .all();
  }

  // ---------- register / enqueue ----------
  function register<S extends z.ZodType>(type: string, def: JobDefinition<S>): JobType<z.input<S>> {
    if (registry.has(type)) throw new Error(`Job type '${type}' is already registered`);
    if (def.maxAttempts !== undefined && !(Number.isInteger(def.maxAttempts) && def.maxAttempts >= 1)) {
      throw new Error(`Job type '${type}': maxAttempts must be an integer ≥ 1`);
    }
    registry.set(type, { def: def as unknown as JobDefinition<z.ZodType> });
    return {
      type,
      enqueue: (dbx, input) => enqueue(dbx, { ...input, type }),
    };
  }

  function enqueue(dbx: DbOrTx, input: EnqueueInput): JobRow {
    const reg = registry.get(input.type);
    if (!reg) {
      const known = [...registry.keys()].sort().join(', ') || '(none)';
      throw invalid(`Unknown job type '${input.type}'.`, [{ path: 'type', message: `registered types: ${known}` }]);
    }
    const parsed = reg.def.payload.safeParse(input.payload);
    if (!parsed.success) {
      throw invalid(
        `Invalid payload for job type '${input.type}'.`,
        parsed.error.issues.map((i) => ({ path: ['payload', ...i.path].map(String).join('.'), message: i.message })),
      );
    }
    const t = now();
    const runAfter = input.runAfter === undefined ? t : typeof input.runAfter === 'number' ? input.runAfter : input.runAfter.getTime();
    const key = input.idempotencyKey ?? null;
    // store what the caller gave (validated); the handler gets the schema's parsed output at run time
    const inserted = dbx
      .insert(jobs)
      .values({
        id: newId('job_'),
        type: input.type,
        assemblyId: input.assemblyId ?? null,
        payload: input.payload ?? null,
        idempotencyKey: key,
        status: 'queued',
        maxAttempts: reg.def.maxAttempts ?? 5,
        runAfter,
        createdBy: input.createdBy ?? null,
        createdAt: iso(t),
        updatedAt: iso(t),
      })
      .onConflictDoNothing({ target: jobs.idempotencyKey })
      .returning()
      .get();
    if (!inserted) {
      const existing = dbx.select().from(jobs).where(eq(jobs.idempotencyKey, key as string)).get();
      if (!existing) throw new Error(`enqueue: idempotency key '${key}' conflicted but no job holds it`);
      if (existing.type !== input.type) {
        throw conflict(`Idempotency key '${key}' already belongs to a '${existing.type}' job.`);
      }
      return existing;
    }
    // after the caller's transaction: it is synchronous, so by then it has committed or rolled back
    setImmediate(() => {
      const row = get(inserted.id);
      if (!row) return; // rolled back
      // a worker may have claimed it already (its own events then tell the story); never emit 'queued' after 'running'
      if (row.status === 'queued' && row.attempts === 0) emitRow(row);
      wake();
    });
    return inserted;
  }

  // ---------- claim ----------
  function claim(): JobRow | null {
    const types = [...registry.keys()];
    if (!types.length) return null;
    for (let guard = 0; guard < 20; guard++) {
      const t = now();
      const token = `${workerId}:${randomBytes(4).toString('hex')}`;
      const due = or(
        and(eq(jobs.status, 'queued'), lte(jobs.runAfter, t)),
        and(eq(jobs.status, 'running'), lt(jobs.leaseExpiresAt, t)),
      );
      const pick = db
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(inArray(jobs.type, types), due))
        .orderBy(jobs.runAfter, jobs.createdAt)
        .limit(1);
      const row = db
        .update(jobs)
        .set({
          status: 'running',
          leaseOwner: token,
          leaseExpiresAt: t + leaseMs,
          attempts: sql`${jobs.attempts} + 1`,
          updatedAt: iso(t),
        })
        .where(and(inArray(jobs.id, pick), due))
        .returning()
        .get();
      if (!row) return null;
      const own = and(eq(jobs.id, row.id), eq(jobs.leaseOwner, token), eq(jobs.status, 'running'));
      if (row.cancelRequested) {
        // cancelled while its previous worker was dead
        emitRow(db.update(jobs).set(terminal('cancelled', t)).where(own).returning().get());
        continue;
      }
      if (row.attempts > row.maxAttempts) {
        // only reachable by re-claiming expired leases: the job keeps killing its worker
        const error = `Gave up after ${row.maxAttempts} attempts (last worker lost its lease)`;
        emitRow(db.update(jobs).set({ ...terminal('failed', t), error }).where(own).returning().get());
        logger.warn({ jobId: row.id, jobType: row.type }, error);
        continue;
      }
      return row;
    }
    return null;
  }

  function terminal(status: 'succeeded' | 'failed' | 'cancelled', t: number) {
    return { status, leaseOwner: null, leaseExpiresAt: null, finishedAt: iso(t), updatedAt: iso(t) } as const;
  }

  // ---------- run one claimed job ----------
  async function execute(row: JobRow): Promise<JobRow | null> {
    const reg = registry.get(row.type);
    const token = row.leaseOwner as string;
    const own = and(eq(jobs.id, row.id), eq(jobs.leaseOwner, token), eq(jobs.status, 'running'));
    const log = logger.child({ jobId: row.id, jobType: row.type, attempt: row.attempts });
    const ac = new AbortController();
    const st: RunState = { ac, graceMs: abortGraceMs, completed: false };
    running.set(row.id, st);
    emitRow(row);
    const abort = (kind: JobAbort['kind'], message: string) => {
      if (!ac.signal.aborted) ac.abort(new JobAbort(kind, message));
    };
    const leaseLost = () => ac.signal.aborted && (ac.signal.reason as JobAbort).kind === 'lease-lost';

    // progress, throttled (real time, not the injected clock, so a frozen test clock still flushes)
    let lastWrite = 0;
    let pending: { p: number; m: string | null } | null = null;
    let progressTimer: NodeJS.Timeout | undefined;
    let message = row.progressMessage;
    const flushProgress = () => {
      progressTimer = undefined;
      if (!pending || st.completed || leaseLost()) return;
      const { p, m } = pending;
      pending = null;
      lastWrite = Date.now();
      try {
        const r = db.update(jobs).set({ progress: p, progressMessage: m, updatedAt: iso(now()) }).where(own).returning().get();
        if (r) emitRow(r);
        else abort('lease-lost', 'lease lost while reporting progress');
      } catch (err) {
        log.warn({ err }, 'progress write failed');
      }
    };

    // heartbeat: extend the lease, notice cancel requests made from other processes
    const heartbeat = setInterval(
      () => {
        try {
          const r = db.update(jobs).set({ leaseExpiresAt: now() + leaseMs }).where(own).returning({ c: jobs.cancelRequested }).get();
          if (!r) abort('lease-lost', 'lease lost (heartbeat found another owner)');
          else if (r.c) abort('cancelled', 'Cancelled');
        } catch (err) {
          log.warn({ err }, 'heartbeat failed; retrying on the next beat');
        }
      },
      Math.max(10, Math.floor(leaseMs / 3)),
    );
    heartbeat.unref();
    const timeoutMs = reg?.def.timeoutSeconds ? reg.def.timeoutSeconds * 1000 : 0;
    const timeout = timeoutMs
      ? setTimeout(() => abort('timeout', `Timed out after ${reg!.def.timeoutSeconds} s`), timeoutMs)
      : undefined;
    timeout?.unref();

    let checkpointValue: unknown = row.checkpoint ?? null;
    let outcome: Outcome;
    try {
      if (!reg) throw new Error(`No handler registered for '${row.type}'`);
      const parsed = reg.def.payload.safeParse(row.payload);
      if (!parsed.success) throw new Error(`Stored payload no longer matches the schema: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      const ctx: JobContext<unknown> = {
        job: {
          id: row.id,
          type: row.type,
          payload: parsed.data,
          attempts: row.attempts,
          maxAttempts: row.maxAttempts,
          assemblyId: row.assemblyId,
          createdBy: row.createdBy,
        },
        signal: ac.signal,
        db,
        logger: log,
        progress(fraction, msg) {
          if (st.completed) return;
          const p = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
          if (msg !== undefined) message = msg;
          pending = { p, m: message };
          const wait = lastWrite + progressIntervalMs - Date.now();
          if (wait <= 0) flushProgress();
          else if (!progressTimer) progressTimer = setTimeout(flushProgress, wait);
        },
        checkpoint: {
          get: <T>() => checkpointValue as T | null,
          set(value: unknown, tx?: Tx) {
            if (st.completed) throw new Error('checkpoint.set() after complete()');
            const r = (tx ?? db)
              .update(jobs)
              .set({ checkpoint: value ?? null, updatedAt: iso(now()) })
              .where(own)
              .returning({ id: jobs.id })
              .get();
            if (!r) {
              abort('lease-lost', 'lease lost while saving a checkpoint');
              throw new LeaseLostError(row.id);
            }
            checkpointValue = value ?? null;
          },
        },
        complete<R>(fn: (tx: Tx) => R): R {
          if (st.completed) throw new Error('complete() was already called for this job');
          if (leaseLost()) throw new LeaseLostError(row.id);
          const r = db.transaction(
            (tx) => {
              const cur = tx.select({ c: jobs.cancelRequested }).from(jobs).where(own).get();
              if (!cur) throw new LeaseLostError(row.id);
              if (cur.c) throw new JobCancelledError(row.id);
              const value = fn(tx);
              if (value && typeof (value as { then?: unknown }).then === 'function') {
                throw new TypeError('complete() takes a synchronous function (better-sqlite3 transactions are synchronous)');
              }
              const t = now();
              tx.update(jobs)
                .set({ ...terminal('succeeded', t), progress: 1, progressMessage: message, result: value === undefined ? null : value, error: null })
                .where(own)
                .run();
              return value;
            },
            { behavior: 'immediate' },
          );
          st.completed = true;
          return r;
        },
      };
      const value = await settle(Promise.resolve().then(() => reg.def.handler(ctx)), st);
      outcome = { ok: true, value };
    } catch (err) {
      outcome = { ok: false, err };
    } finally {
      clearInterval(heartbeat);
      if (timeout) clearTimeout(timeout);
      if (progressTimer) clearTimeout(progressTimer);
      if (pending && !st.completed) flushProgress(); // the last report, unthrottled, before the final state
      running.delete(row.id);
    }
    return finish(row, own, st, outcome, log);
  }

  /** the handler's promise, or — once the signal is aborted — a rejection after the grace period */
  function settle(p: Promise<unknown>, st: RunState): Promise<unknown> {
    const signal = st.ac.signal;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        timer = setTimeout(() => reject(signal.reason), st.graceMs);
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        if (timer) clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      p.then(
        (v) => {
          done();
          resolve(v);
        },
        (e) => {
          done();
          reject(e);
        },
      );
    });
  }

  function finish(row: JobRow, own: SQL | undefined, st: RunState, outcome: Outcome, log: JobLogger): JobRow | null {
    const t = now();
    const reason = st.ac.signal.aborted ? (st.ac.signal.reason as JobAbort) : null;
    const write = (set: Partial<typeof jobs.$inferInsert>, extra?: SQL) => {
      const r = db.update(jobs).set(set).where(and(own, extra)).returning().get();
      if (r) emitRow(r);
      return r ?? null;
    };
    if (st.completed) {
      emitRow(get(row.id));
      if (!outcome.ok) log.warn({ err: outcome.err }, 'handler threw after complete(); the job stays succeeded');
      log.info({}, 'job succeeded');
      return get(row.id);
    }
    const err = outcome.ok ? null : outcome.err;
    if (reason?.kind === 'lease-lost' || err instanceof LeaseLostError) {
      log.warn({}, 'lease lost; another worker owns this job now');
      return get(row.id);
    }
    if (reason?.kind === 'cancelled' || err instanceof JobCancelledError) {
      log.info({}, 'job cancelled');
      return write({ ...terminal('cancelled', t) }) ?? get(row.id);
    }
    if (outcome.ok) {
      const value = outcome.value === undefined ? null : outcome.value;
      const done = write({ ...terminal('succeeded', t), progress: 1, result: value, error: null }, eq(jobs.cancelRequested, false));
      if (done) {
        log.info({}, 'job succeeded');
        return done;
      }
      // cancel requested in the meantime (another process), or lease lost
      const cancelled = write({ ...terminal('cancelled', t) }, eq(jobs.cancelRequested, true));
      if (!cancelled) log.warn({}, 'lease lost before the result could be stored');
      return cancelled ?? get(row.id);
    }
    if (reason?.kind === 'shutdown') {
      // give the job back without spending an attempt; it resumes from its checkpoint
      log.info({}, 'released on shutdown');
      return write({
        status: 'queued',
        leaseOwner: null,
        leaseExpiresAt: null,
        attempts: sql`max(${jobs.attempts} - 1, 0)` as unknown as number,
        runAfter: t,
        updatedAt: iso(t),
      });
    }
    const timedOut = reason?.kind === 'timeout';
    const transient = timedOut || isTransient(err);
    const message = timedOut ? reason.message : errMessage(err);
    if (transient && row.attempts < row.maxAttempts) {
      const delay = backoffMs(row.attempts);
      log.warn({ err, delayMs: delay }, `transient failure, retry ${row.attempts + 1}/${row.maxAttempts} in ${delay} ms`);
      return write({
        status: 'queued',
        leaseOwner: null,
        leaseExpiresAt: null,
        runAfter: t + delay,
        error: message,
        updatedAt: iso(t),
      });
    }
    const final = transient ? `${message} (gave up after ${row.attempts} attempts)` : message;
    log.error({ err }, 'job failed');
    return write({ ...terminal('failed', t), error: final });
  }

  /** delay before the next run after `attempt` failed runs: base·2^(attempt−1), capped, jittered into [d/2, d) */
  function backoffMs(attempt: number): number {
    const d = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(d / 2 + random() * (d / 2));
  }

  // ---------- loop ----------
  function track(p: Promise<unknown>) {
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  }

  function clearScheduled() {
    if (!loop) return;
    if (loop.timer) clearTimeout(loop.timer);
    if (loop.immediate) clearImmediate(loop.immediate);
    loop.timer = loop.immediate = undefined;
  }

  /** run fill() after `ms`; 0 = on the check phase, after earlier setImmediate callbacks such as enqueue's event */
  function schedule(ms: number) {
    if (!loop || loop.stopping) return;
    clearScheduled();
    if (ms <= 0) loop.immediate = setImmediate(fill);
    else loop.timer = setTimeout(fill, ms);
  }

  function wake() {
    schedule(0);
  }

  function fill() {
    if (!loop || loop.stopping) return;
    clearScheduled();
    while (loop && !loop.stopping && running.size < loop.concurrency) {
      let row: JobRow | null;
      try {
        row = claim();
      } catch (err) {
        logger.error({ err }, 'claiming a job failed');
        break;
      }
      if (!row) break;
      const p = execute(row)
        .catch((err) => logger.error({ err, jobId: row!.id }, 'job runner crashed'))
        .finally(() => wake());
      track(p);
    }
    schedule(pollMs);
  }

  function start({ concurrency = 1 }: { concurrency?: number } = {}) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('start: concurrency must be an integer ≥ 1');
    if (loop && !loop.stopping) {
      loop.concurrency = concurrency;
    } else {
      loop = { concurrency, stopping: false };
    }
    logger.info({ workerId, concurrency, types: [...registry.keys()] }, 'job runner started');
    wake();
  }

  async function stop({ deadlineMs = 10_000 }: { deadlineMs?: number } = {}) {
    if (loop) {
      clearScheduled();
      loop.stopping = true;
    }
    for (const st of running.values()) {
      st.graceMs = deadlineMs;
      if (!st.ac.signal.aborted) st.ac.abort(new JobAbort('shutdown', 'Worker is shutting down'));
    }
    await Promise.allSettled([...inflight]);
    loop = null;
    logger.info({ workerId }, 'job runner stopped');
  }

  async function runNext(): Promise<JobRow | null> {
    const row = claim();
    if (!row) return null;
    const p = execute(row);
    track(p);
    return p;
  }

  // ---------- cancel ----------
  function cancel(id: string, actorId: string | null): JobRow {
    for (let i = 0; i < 3; i++) {
      const row = get(id);
      if (!row) throw notFound('Job', id);
      if (isTerminal(row.status)) throw conflict(`Job '${id}' already ${row.status}.`);
      const t = now();
      let updated: JobRow | undefined;
      if (row.status === 'queued') {
        updated = db
          .update(jobs)
          .set({ ...terminal('cancelled', t), cancelRequested: true })
          .where(and(eq(jobs.id, id), eq(jobs.status, 'queued')))
          .returning()
          .get();
      } else if (row.leaseExpiresAt !== null && row.leaseExpiresAt < t) {
        // running, but its worker is gone: nobody will see the flag, so finish it here
        updated = db
          .update(jobs)
          .set({ ...terminal('cancelled', t), cancelRequested: true })
          .where(and(eq(jobs.id, id), eq(jobs.status, 'running'), eq(jobs.leaseOwner, row.leaseOwner as string)))
          .returning()
          .get();
      } else {
        updated = db
          .update(jobs)
          .set({ cancelRequested: true, updatedAt: iso(t) })
          .where(and(eq(jobs.id, id), eq(jobs.status, 'running')))
          .returning()
          .get();
        const local = running.get(id);
        if (updated && local && !local.ac.signal.aborted) local.ac.abort(new JobAbort('cancelled', 'Cancelled'));
      }
      if (updated) {
        logger.info({ jobId: id, actorId, status: updated.status }, 'job cancel requested');
        emitRow(updated);
        return updated;
      }
      // the row changed under us (claimed or finished); look again
    }
    throw conflict(`Job '${id}' changed while cancelling; try again.`);
  }

  const queue: JobQueue = {
    workerId,
    types: () => [...registry.keys()].sort(),
    register,
    enqueue,
    start,
    stop,
    runNext,
    get,
    list,
    cancel,
    subscribe,
    wake,
    relay: emit,
    sseResponse: (c, o) => jobEventsSse(queue, c, o),
  };
  return queue;
}

