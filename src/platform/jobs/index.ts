/**
 * Durable SQLite jobs: idempotent enqueue (inside the caller's transaction), leases with heartbeats, retries with
 * backoff for transient errors only, cancellation, checkpoints, progress events and an SSE helper.
 *
 * @example
 * ```ts
 * const jobs = createJobQueue({ db, clock, logger, leaseSeconds: config.jobLeaseSeconds });
 * const summarise = jobs.register('summaries.run', {
 *   payload: z.object({ conversationId: z.string() }),
 *   handler: async (ctx) => {
 *     const done = ctx.checkpoint.get<{ parts: string[] }>()?.parts ?? [];   // resume after a crash
 *     for (const part of remaining(done)) {
 *       if (ctx.signal.aborted) throw ctx.signal.reason;                     // cancel / shutdown / timeout
 *       done.push(await summarisePart(part));
 *       ctx.checkpoint.set({ parts: done });
 *       ctx.progress(done.length / total, `part ${done.length}/${total}`);
 *     }
 *     return ctx.complete((tx) => submitForReview(tx, { jobId: ctx.job.id, parts: done })); // effects: once
 *   },
 * });
 * db.transaction((tx) => { summarise.enqueue(tx, { payload, idempotencyKey, assemblyId, createdBy }); recordAudit(tx, …); });
 * if (config.jobWorkers > 0) jobs.start({ concurrency: config.jobWorkers });
 * // on shutdown: await jobs.stop();   routes: (c) => jobs.sseResponse(c, { jobId })
 * ```
 */
export { createJobQueue } from './queue.js';
export { jobEventsSse } from './sse.js';
export {
  JobAbort,
  JobCancelledError,
  LeaseLostError,
  TERMINAL_STATUSES,
  isTerminal,
  isTransient,
  jobView,
  toEvent,
  type EnqueueInput,
  type JobContext,
  type JobDefinition,
  type JobEvent,
  type JobInfo,
  type JobListener,
  type JobLogger,
  type JobQueue,
  type JobQueueOptions,
  type JobRow,
  type JobStatus,
  type JobType,
  type JobView,
  type ListJobsInput,
  type SseOptions,
  type StartOptions,
  type StopOptions,
} from './types.js';
