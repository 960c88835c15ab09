import { Worker } from 'node:worker_threads';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import type { JobEvent } from './platform/jobs/index.js';

/** Messages between the HTTP thread and the job thread (job-thread.ts). */
export type ToJobThread = { type: 'wake' } | { type: 'stop'; deadlineMs: number };
export type FromJobThread = { type: 'ready' } | { type: 'event'; event: JobEvent } | { type: 'stopped' };

export interface JobRunner {
  /** 'thread' or 'inline' (what runs, after the in-memory fallback), or 'off' */
  readonly mode: 'thread' | 'inline' | 'off';
  stop(opts?: { deadlineMs?: number }): Promise<void>;
}

/**
 * Starts the service's job workers as `config.jobRunner` says. 'thread': a worker thread builds its own service
 * (its own SQLite connection to the same WAL file, its own models and warm math cache) and runs the job loop there;
 * this thread keeps its queue for enqueueing (in the request's transaction) and tells the job thread to look at once
 * when a job is queued; the job thread's events are relayed here for SSE. Leases make this safe exactly as between
 * processes: a thread that dies leaves its jobs to be re-leased when their lease expires (the restarted thread
 * resumes them from their checkpoints in SQLite). A dead thread is restarted after a second.
 */
export function startJobRunner(config: Config, deps: Deps): JobRunner {
  if (config.jobWorkers <= 0) return { mode: 'off', stop: async () => {} };
  if (config.jobRunner === 'inline' || config.dbFile === ':memory:') {
    if (config.jobRunner === 'thread') deps.logger.warn({}, 'in-memory database: job workers run on the HTTP thread');
    deps.jobs.start({ concurrency: config.jobWorkers });
    return { mode: 'inline', stop: (o) => deps.jobs.stop({ deadlineMs: o?.deadlineMs ?? 10_000 }) };
  }
  const log = deps.logger.child({ component: 'job-thread' });
  let worker: Worker | null = null;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  const spawn = () => {
    const w = new Worker(new URL('./job-thread.mjs', import.meta.url), { workerData: { config }, name: 'plenary-jobs' });
    worker = w;
    w.on('message', (m: FromJobThread) => {
      if (m.type === 'event') deps.jobs.relay(m.event);
    });
    w.on('error', (err) => log.error({ err }, 'job thread failed'));
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      if (stopping) return;
      log.error({ code }, 'job thread exited; starting another (its jobs are re-leased when their leases expire)');
      restartTimer = setTimeout(spawn, 1000);
    });
  };
  spawn();
  const unsubscribe = deps.jobs.subscribe('*', (ev) => {
    if (ev.status === 'queued') worker?.postMessage({ type: 'wake' } satisfies ToJobThread);
  });
  return {
    mode: 'thread',
    async stop(o) {
      stopping = true;
      unsubscribe();
      if (restartTimer) clearTimeout(restartTimer);
      const w = worker;
      if (!w) return;
      const deadlineMs = o?.deadlineMs ?? 10_000;
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.postMessage({ type: 'stop', deadlineMs } satisfies ToJobThread);
      const timer = setTimeout(() => void w.terminate(), deadlineMs + 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
