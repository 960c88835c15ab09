import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { invalid, notFound } from '../errors.js';
import { isTerminal, toEvent, type JobEvent, type JobQueue, type JobStatus, type SseOptions } from './types.js';

/**
 * Streams job state as Server-Sent Events (`event: job`, `data: JobEvent` JSON, increasing `id`).
 *
 * - `{ jobId }`: the job's current state first (so a reconnecting client starts from the truth in the database), then
 *   each change; the stream ends after the job reaches succeeded / failed / cancelled.
 * - `{ assemblyId }`: every queued or running job of the assembly first, then each change of any of its jobs; ends
 *   when the client disconnects.
 *
 * Changes arrive from the queue's in-process events and, as a fallback for jobs run by another process, from a
 * database re-read every `pollMs`. Unchanged states are not repeated. A `: keep-alive` comment goes out every
 * `heartbeatMs`. Authorisation is the caller's job: check the actor may see the job/assembly before calling this.
 * Throws AppError NOT_FOUND (before any byte is sent) when the job does not exist or is not in `assemblyId`.
 */
export async function jobEventsSse(queue: JobQueue, c: Context, opts: SseOptions): Promise<Response> {
  const { jobId, assemblyId } = opts;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const pollMs = opts.pollMs ?? 1000;
  if (!jobId && !assemblyId) throw invalid('Say which job or assembly to follow.', [{ path: 'jobId', message: 'jobId or assemblyId is required' }]);
  if (jobId) {
    const row = queue.get(jobId);
    if (!row || (assemblyId !== undefined && row.assemblyId !== assemblyId)) throw notFound('Job', jobId);
  }

  return streamSSE(c, async (stream) => {
    const pending: JobEvent[] = [];
    const last = new Map<string, { sig: string; status: JobStatus }>();
    let wakeUp: (() => void) | null = null;
    let closed = false;
    const notify = () => {
      const w = wakeUp;
      wakeUp = null;
      w?.();
    };
    const push = (ev: JobEvent) => {
      if (assemblyId !== undefined && ev.assemblyId !== assemblyId) return;
      if (jobId !== undefined && ev.id !== jobId) return;
      const sig = JSON.stringify([ev.status, ev.progress, ev.message, ev.attempts, ev.error]);
      if (last.get(ev.id)?.sig === sig) return;
      last.set(ev.id, { sig, status: ev.status });
      pending.push(ev);
      notify();
    };
    const onClose = () => {
      closed = true;
      notify();
    };
    stream.onAbort(onClose);
    c.req.raw.signal?.addEventListener('abort', onClose, { once: true });

    const poll = () => {
      if (jobId) {
        const row = queue.get(jobId);
        if (row) push(toEvent(row));
        return;
      }
      const active = queue.list({ assemblyId, status: ['queued', 'running'], limit: 500 });
      const seen = new Set(active.map((r) => r.id));
      for (const r of active.reverse()) push(toEvent(r));
      // jobs we showed as active that are no longer: fetch their final state
      for (const [id, s] of last) {
        if (seen.has(id) || isTerminal(s.status)) continue;
        const row = queue.get(id);
        if (row) push(toEvent(row));
      }
    };

    const unsubscribe = queue.subscribe(jobId ?? '*', push);
    try {
      poll(); // the current state first
      let seq = 0;
      let lastPoll = Date.now();
      let lastBeat = Date.now();
      while (!closed) {
        while (pending.length && !closed) {
          const ev = pending.shift() as JobEvent;
          await stream.writeSSE({ event: 'job', id: String(++seq), data: JSON.stringify(ev), ...(seq === 1 ? { retry: 3000 } : {}) });
          if (jobId && isTerminal(ev.status)) return;
        }
        if (closed) break;
        const wait = Math.min(lastPoll + pollMs, lastBeat + heartbeatMs) - Date.now();
        if (wait > 0) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(() => {
              wakeUp = null;
              resolve();
            }, wait);
            wakeUp = () => {
              clearTimeout(t);
              resolve();
            };
          });
        }
        if (closed) break;
        const n = Date.now();
        if (n >= lastBeat + heartbeatMs) {
          await stream.write(': keep-alive\n\n');
          lastBeat = n;
        }
        if (n >= lastPoll + pollMs) {
          poll();
          lastPoll = n;
        }
      }
    } finally {
      unsubscribe();
      c.req.raw.signal?.removeEventListener('abort', onClose);
    }
  });
}
