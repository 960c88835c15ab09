import type { Context } from 'hono';
import type { z } from 'zod';
import type { Db, DbOrTx, Tx } from '../db/client.js';
import type { jobs } from '../db/schema.js';

export type JobRow = typeof jobs.$inferSelect;
export type JobStatus = JobRow['status'];
export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];
export const isTerminal = (s: JobStatus): boolean => TERMINAL_STATUSES.includes(s);

/** The pino methods the queue uses; a pino Logger satisfies it. */
export interface JobLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): JobLogger;
}

export interface JobQueueOptions {
  db: Db;
  /** epoch milliseconds or a Date (the service's `Clock` returns a Date); defaults to the system clock */
  clock?: () => number | Date;
  /** uniform [0, 1) source for retry jitter; inject a seeded one in tests; defaults to Math.random */
  random?: () => number;
  logger?: JobLogger;
  /** how long a claim lasts without a heartbeat; a crashed worker's jobs are re-claimed after this. Fractions allowed. */
  leaseSeconds: number;
  /** names this process in lease_owner (each claim appends its attempt number); random by default */
  workerId?: string;
  /** idle poll interval; enqueue in this process also wakes the loop at once. Default 500 ms. */
  pollMs?: number;
  /** first retry delay; doubles each attempt, capped at retryMaxMs, with jitter in [d/2, d). Default 1000 ms. */
  retryBaseMs?: number;
  /** Default 5 minutes. */
  retryMaxMs?: number;
  /** minimum interval between progress writes/events per job. Default 250 ms (≤ 4 per second). */
  progressIntervalMs?: number;
  /** after a cancel or timeout aborts the signal, how long the handler gets to settle before the worker moves on. Default 2000 ms. */
  abortGraceMs?: number;
}

export interface JobInfo<P> {
  id: string;
  type: string;
  payload: P;
  /** 1 on the first run; a run after a retry or a crash sees 2, 3 … */
  attempts: number;
  maxAttempts: number;
  assemblyId: string | null;
  createdBy: string | null;
}

export interface JobContext<P> {
  job: JobInfo<P>;
  /**
   * Aborted on cancellation, timeout, shutdown, or when this worker lost its lease.
   * `signal.reason` is a {@link JobAbort} saying which. Long handlers check it between steps.
   */
  signal: AbortSignal;
  /** report progress (fraction clamped to 0..1); throttled, persisted, and sent to subscribers */
  progress(fraction: number, message?: string): void;
  /**
   * Handler-owned resumable state kept in the job row. `get()` returns what the last run saved (null on a fresh job).
   * `set(value, tx?)` writes it at once, guarded by this run's lease (throws {@link LeaseLostError} if the lease
   * is gone); pass the caller's `tx` to save a partial effect and the checkpoint atomically.
   */
  checkpoint: {
    get<T = unknown>(): T | null;
    set(value: unknown, tx?: Tx): void;
  };
  db: Db;
  logger: JobLogger;
  /**
   * THE way to write a job's effects. Runs `fn(tx)` and marks the job succeeded (result = fn's return value)
   * in ONE synchronous IMMEDIATE transaction, guarded by this run's lease and by the cancel flag. If the lease was
   * lost (another worker owns the job) or a cancel was requested, the transaction rolls back and this throws, so
   * a job's effects are written exactly once even when a worker is killed mid-run and the job is re-run.
   * Call it at most once, as the handler's last step.
   */
  complete<R>(fn: (tx: Tx) => R): R;
}

export interface JobDefinition<S extends z.ZodType> {
  payload: S;
  /**
   * Put effects inside `ctx.complete(tx => …)`. A handler that returns without calling complete has its return
   * value stored as the job's result (and writes nothing else that must not be duplicated).
   * Throw an error with `transient: true` (AppError with `{ transient: true }` or code UNAVAILABLE, a transient
   * ModelError) to be retried with backoff; any other error fails the job at once.
   */
  handler: (ctx: JobContext<z.output<S>>) => Promise<unknown>;
  /** total runs allowed, including the first. Default 5. */
  maxAttempts?: number;
  /** abort the run after this long; counts as a transient failure. Default: none. */
  timeoutSeconds?: number;
}

export interface EnqueueInput {
  type: string;
  payload: unknown;
  /** a second enqueue with the same key returns the first job (whatever its status) instead of adding one */
  idempotencyKey?: string | null;
  assemblyId?: string | null;
  createdBy?: string | null;
  /** do not start before this time (epoch ms or Date) */
  runAfter?: number | Date;
}

/** What register() returns: the same enqueue, with the payload typed as the schema's input. */
export interface JobType<P> {
  readonly type: string;
  enqueue(db: DbOrTx, input: Omit<EnqueueInput, 'type' | 'payload'> & { payload: P }): JobRow;
}

export interface JobEvent {
  id: string;
  type: string;
  assemblyId: string | null;
  status: JobStatus;
  progress: number;
  message: string | null;
  attempts: number;
  error: string | null;
}

export type JobListener = (event: JobEvent) => void;

export interface ListJobsInput {
  assemblyId?: string;
  status?: JobStatus | JobStatus[];
  type?: string;
  /** default 50, at most 500 */
  limit?: number;
}

export interface SseOptions {
  /** stream one job: its current state first, then each change; ends when it finishes */
  jobId?: string;
  /** stream every job of an assembly: queued/running ones first, then each change; ends on disconnect */
  assemblyId?: string;
  /** comment line to keep proxies from closing the stream. Default 15 000 ms. */
  heartbeatMs?: number;
  /** also re-read the database this often, so changes made by another process are seen. Default 1000 ms. */
  pollMs?: number;
}

export interface StartOptions {
  /** handlers run at once in this process. Default 1. */
  concurrency?: number;
}

export interface StopOptions {
  /** how long running handlers get to finish or wind down after their signal is aborted. Default 10 000 ms. */
  deadlineMs?: number;
}

export interface JobQueue {
  readonly workerId: string;
  /** the job types registered in this process */
  types(): string[];
  register<S extends z.ZodType>(type: string, def: JobDefinition<S>): JobType<z.input<S>>;
  /** Synchronous, so it can run inside the caller's transaction. Throws AppError VALIDATION on a bad payload. */
  enqueue(db: DbOrTx, input: EnqueueInput): JobRow;
  start(opts?: StartOptions): void;
  stop(opts?: StopOptions): Promise<void>;
  /** Claim one due job and run it to the end, without the loop (tests, CLI). Null when nothing is due. */
  runNext(): Promise<JobRow | null>;
  get(id: string): JobRow | null;
  list(input?: ListJobsInput): JobRow[];
  /** Throws NOT_FOUND, or CONFLICT when the job already finished. Returns the row after the change. */
  cancel(id: string, actorId: string | null): JobRow;
  subscribe(id: string | '*', listener: JobListener): () => void;
  /** look for due jobs now instead of at the next poll (a job thread is told so when the HTTP thread enqueues) */
  wake(): void;
  /** pass on to this queue's subscribers an event that happened elsewhere (the job thread's runs, for SSE) */
  relay(event: JobEvent): void;
  sseResponse(c: Context, opts: SseOptions): Promise<Response>;
}

/** Why a handler's signal was aborted. */
export class JobAbort extends Error {
  constructor(readonly kind: 'cancelled' | 'shutdown' | 'timeout' | 'lease-lost', message: string) {
    super(message);
    this.name = 'JobAbort';
  }
}

/** Thrown by complete()/checkpoint.set() when this run no longer owns the job. */
export class LeaseLostError extends Error {
  constructor(readonly jobId: string) {
    super(`Job ${jobId}: lease lost; another worker owns it or it was finished`);
    this.name = 'LeaseLostError';
  }
}

/** Thrown by complete()/checkpoint.set() when a cancel was requested; the job ends 'cancelled'. */
export class JobCancelledError extends Error {
  constructor(readonly jobId: string) {
    super(`Job ${jobId} was cancelled`);
    this.name = 'JobCancelledError';
  }
}

/** Public shape of a job for HTTP responses (no lease internals). */
export function jobView(row: JobRow) {
  return {
    id: row.id,
    type: row.type,
    assemblyId: row.assemblyId,
    status: row.status,
    progress: row.progress,
    message: row.progressMessage,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    runAfter: row.runAfter ? new Date(row.runAfter).toISOString() : null,
    cancelRequested: row.cancelRequested,
    result: row.result,
    error: row.error,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    finishedAt: row.finishedAt,
  };
}
export type JobView = ReturnType<typeof jobView>;

export function toEvent(row: JobRow): JobEvent {
  return {
    id: row.id,
    type: row.type,
    assemblyId: row.assemblyId,
    status: row.status,
    progress: row.progress,
    message: row.progressMessage,
    attempts: row.attempts,
    error: row.error,
  };
}

/** True for errors that should be retried: anything with `transient === true` (AppError, ModelError, …). */
export function isTransient(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { transient?: unknown }).transient === true;
}
