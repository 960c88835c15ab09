import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testDb } from '../db/client.js';
import { AppError } from '../errors.js';
import { createJobQueue } from './queue.js';
import type { JobEvent, JobQueue } from './types.js';

interface Frame {
  event?: string;
  id?: string;
  data?: JobEvent;
  comment?: string;
}

function parseFrames(text: string): Frame[] {
  return text
    .split('\n\n')
    .filter((b) => b.trim())
    .map((block) => {
      const f: Frame = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) f.comment = line.slice(1).trim();
        else if (line.startsWith('event: ')) f.event = line.slice(7);
        else if (line.startsWith('id: ')) f.id = line.slice(4);
        else if (line.startsWith('data: ')) f.data = JSON.parse(line.slice(6)) as JobEvent;
      }
      return f;
    });
}

/** reads the body until `stop(text so far)` or the stream ends; returns the text and whether the server closed it */
async function readUntil(res: Response, stop: (text: string) => boolean = () => false, timeoutMs = 5000) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const dec = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`SSE timeout; got: ${text}`)), Math.max(1, deadline - Date.now()))),
    ]);
    if (chunk.done) return { text, ended: true };
    text += dec.decode(chunk.value, { stream: true });
    if (stop(text)) {
      await reader.cancel();
      return { text, ended: false };
    }
  }
}

const queues: JobQueue[] = [];
afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.stop({ deadlineMs: 200 })));
});

function setup(opts: { heartbeatMs?: number; pollMs?: number } = {}) {
  const db = testDb();
  const queue = createJobQueue({ db, leaseSeconds: 30, pollMs: 20, progressIntervalMs: 1 });
  queues.push(queue);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  queue.register('t.sse', {
    payload: z.object({}),
    handler: async (ctx) => {
      ctx.progress(0.25, 'a quarter');
      await gate;
      ctx.progress(0.75, 'three quarters');
      await new Promise((r) => setTimeout(r, 5));
      return ctx.complete(() => 'done');
    },
  });
  const app = new Hono();
  app.get('/jobs/:id/events', (c) => queue.sseResponse(c, { jobId: c.req.param('id'), ...opts }));
  app.get('/assemblies/:a/jobs/events', (c) => queue.sseResponse(c, { assemblyId: c.req.param('a'), ...opts }));
  app.onError((err, c) => c.json({ code: (err as AppError).code }, err instanceof AppError ? (err.status as 404) : 500));
  return { db, queue, app, release };
}

describe('sseResponse', () => {
  it('streams the current state first, then each change, and ends when the job finishes', async () => {
    const { db, queue, app, release } = setup({ heartbeatMs: 40 });
    const { id } = queue.enqueue(db, { type: 't.sse', payload: {}, assemblyId: 'as1' });
    const res = await app.request(`/jobs/${id}/events`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reading = readUntil(res);
    queue.start();
    // the job waits at its gate long enough for heartbeats, then finishes
    await new Promise((r) => setTimeout(r, 120));
    release();
    const { text, ended } = await reading;
    expect(ended).toBe(true);
    const frames = parseFrames(text);
    const events = frames.filter((f) => f.event === 'job');
    expect(events[0].data).toMatchObject({ id, status: 'queued', progress: 0, assemblyId: 'as1' });
    expect(events.map((f) => Number(f.id))).toEqual(events.map((_, i) => i + 1));
    expect(events.map((f) => [f.data?.status, f.data?.progress, f.data?.message])).toEqual([
      ['queued', 0, null],
      ['running', 0, null],
      ['running', 0.25, 'a quarter'],
      ['running', 0.75, 'three quarters'],
      ['succeeded', 1, 'three quarters'],
    ]);
    expect(frames.filter((f) => f.comment === 'keep-alive').length).toBeGreaterThanOrEqual(1);
    expect(text).toContain('retry: 3000');
  });

  it('sends only the final state for a finished job, and 404 for an unknown one', async () => {
    const { db, queue, app, release } = setup();
    const { id } = queue.enqueue(db, { type: 't.sse', payload: {} });
    release();
    await queue.runNext();
    const { text, ended } = await readUntil(await app.request(`/jobs/${id}/events`));
    expect(ended).toBe(true);
    expect(parseFrames(text).map((f) => f.data?.status)).toEqual(['succeeded']);
    const missing = await app.request('/jobs/job_nope/events');
    expect(missing.status).toBe(404);
  });

  it('sees changes made by another queue on the same database through its poll', async () => {
    const { db, queue, app } = setup({ pollMs: 30 });
    const { id } = queue.enqueue(db, { type: 't.sse', payload: {} });
    const other = createJobQueue({ db, leaseSeconds: 30 }); // another "process": its events do not reach `queue`
    queues.push(other);
    other.register('t.sse', { payload: z.object({}), handler: async () => 'elsewhere' });
    const reading = readUntil(await app.request(`/jobs/${id}/events`));
    await new Promise((r) => setTimeout(r, 10));
    await other.runNext();
    const { text, ended } = await reading;
    expect(ended).toBe(true);
    const statuses = parseFrames(text).map((f) => f.data?.status);
    expect(statuses[0]).toBe('queued');
    expect(statuses.at(-1)).toBe('succeeded');
  });

  it('streams an assembly: active jobs first, then changes of its jobs only; stops on disconnect', async () => {
    const { db, queue, app, release } = setup();
    const a1 = queue.enqueue(db, { type: 't.sse', payload: {}, assemblyId: 'as1' });
    const b1 = queue.enqueue(db, { type: 't.sse', payload: {}, assemblyId: 'as2' });
    const res = await app.request('/assemblies/as1/jobs/events');
    release();
    queue.start({ concurrency: 2 });
    const { text, ended } = await readUntil(res, (t) => t.includes('"status":"succeeded"'));
    expect(ended).toBe(false); // an assembly stream only ends when the client leaves
    const events = parseFrames(text).map((f) => f.data as JobEvent);
    expect(events[0]).toMatchObject({ id: a1.id, status: 'queued' });
    expect(events.every((e) => e.assemblyId === 'as1')).toBe(true);
    expect(events.some((e) => e.id === b1.id)).toBe(false);
    expect(events.at(-1)).toMatchObject({ id: a1.id, status: 'succeeded' });
  });
});
