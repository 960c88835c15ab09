import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ModelError } from '../../../models/types.js';
import { testDb, type Db } from '../db/client.js';
import { jobs } from '../db/schema.js';
import { AppError } from '../errors.js';
import { createJobQueue } from './queue.js';
import { createTestTables } from './testing/jobs.js';
import { until } from './testing/util.js';
import { JobAbort, LeaseLostError, type JobEvent, type JobLogger, type JobQueue, type JobQueueOptions } from './types.js';

// a pino logger must satisfy the queue's logger interface
const _pinoFits: JobLogger = pino({ level: 'silent' });

const T0 = Date.UTC(2025, 0, 1);
const queues: JobQueue[] = [];
afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.stop({ deadlineMs: 200 })));
});

function setup(over: Partial<JobQueueOptions> = {}) {
  const db = over.db ?? testDb();
  createTestTables(db);
  let t = T0;
  const clock = { now: () => t, advance: (ms: number) => (t += ms) };
  const queue = createJobQueue({ db, clock: clock.now, leaseSeconds: 30, random: () => 0.5, retryBaseMs: 1000, pollMs: 20, ...over });
  queues.push(queue);
  return { db, queue, clock };
}

const effects = (db: Db, jobId?: string) =>
  db.all<{ job_id: string; worker: string }>(
    jobId ? sql`SELECT job_id, worker FROM test_effect WHERE job_id = ${jobId}` : sql`SELECT job_id, worker FROM test_effect`,
  );

const effect = (jobId: string, worker = 'w') =>
  sql`INSERT INTO test_effect (job_id, worker, started_from, processed) VALUES (${jobId}, ${worker}, 0, 1)`;

describe('enqueue', () => {
  it('validates the payload against the registered schema and lists the fields', () => {
    const { db, queue: q } = setup();
    q.register('t.echo', { payload: z.object({ text: z.string(), n: z.number().int() }), handler: async () => null });
    try {
      q.enqueue(db, { type: 't.echo', payload: { text: 3 } });
      expect.unreachable();
    } catch (e) {
      const err = e as AppError;
      expect(err.code).toBe('VALIDATION');
      expect(err.extra.errors?.map((f) => f.path).sort()).toEqual(['payload.n', 'payload.text']);
    }
    expect(() => q.enqueue(db, { type: 't.nope', payload: {} })).toThrow(/Unknown job type 't.nope'/);
    expect(db.select().from(jobs).all()).toHaveLength(0);
  });

  it('returns the existing job for a repeated idempotency key, and rejects the key for another type', () => {
    const { db, queue } = setup();
    queue.register('t.a', { payload: z.object({ x: z.number() }), handler: async () => null });
    queue.register('t.b', { payload: z.object({}), handler: async () => null });
    const first = queue.enqueue(db, { type: 't.a', payload: { x: 1 }, idempotencyKey: 'k1', assemblyId: 'as1', createdBy: 'u1' });
    const again = queue.enqueue(db, { type: 't.a', payload: { x: 2 }, idempotencyKey: 'k1' });
    expect(again.id).toBe(first.id);
    expect(again.payload).toEqual({ x: 1 });
    expect(() => queue.enqueue(db, { type: 't.b', payload: {}, idempotencyKey: 'k1' })).toThrow(/already belongs/);
    const other = queue.enqueue(db, { type: 't.a', payload: { x: 3 } });
    const noKey = queue.enqueue(db, { type: 't.a', payload: { x: 3 } });
    expect(new Set([first.id, other.id, noKey.id]).size).toBe(3);
    expect(db.select().from(jobs).all()).toHaveLength(3);
    expect(first).toMatchObject({ status: 'queued', attempts: 0, maxAttempts: 5, assemblyId: 'as1', createdBy: 'u1', runAfter: T0 });
  });

  it('runs inside the caller transaction: rolled back with it, and no event for a rolled-back job', async () => {
    const { db, queue } = setup();
    const job = queue.register('t.a', { payload: z.object({ x: z.number() }), handler: async () => null });
    const events: JobEvent[] = [];
    queue.subscribe('*', (e) => events.push(e));
    expect(() =>
      db.transaction((tx) => {
        job.enqueue(tx, { payload: { x: 1 }, idempotencyKey: 'rolled' });
        tx.run(effect('outer'));
        throw new Error('caller fails');
      }),
    ).toThrow('caller fails');
    const kept = db.transaction((tx) => {
      tx.run(effect('outer2'));
      return job.enqueue(tx, { payload: { x: 2 }, idempotencyKey: 'kept' });
    });
    await sleep(5);
    expect(db.select().from(jobs).all().map((r) => r.idempotencyKey)).toEqual(['kept']);
    expect(effects(db).map((r) => r.job_id)).toEqual(['outer2']);
    expect(events.map((e) => [e.id, e.status])).toEqual([[kept.id, 'queued']]);
  });
});

describe('running jobs', () => {
  it('writes effects and success together in complete(); result stored; progress 1', async () => {
    const { db, queue } = setup();
    const job = queue.register('t.ok', {
      payload: z.object({ name: z.string(), n: z.number().default(7) }),
      handler: async (ctx) => ctx.complete((tx) => (tx.run(effect(ctx.job.id)), { hello: ctx.job.payload.name, n: ctx.job.payload.n })),
    });
    const row = job.enqueue(db, { payload: { name: 'x', n: 7 } });
    const done = await queue.runNext();
    expect(done).toMatchObject({ id: row.id, status: 'succeeded', attempts: 1, progress: 1, result: { hello: 'x', n: 7 }, leaseOwner: null });
    expect(done?.finishedAt).toBe(new Date(T0).toISOString());
    expect(effects(db, row.id)).toHaveLength(1);
    expect(await queue.runNext()).toBeNull();
  });

  it('stores the return value of a handler that does not call complete()', async () => {
    const { db, queue } = setup();
    queue.register('t.ret', { payload: z.object({}), handler: async () => ({ answer: 42 }) });
    queue.enqueue(db, { type: 't.ret', payload: {} });
    expect(await queue.runNext()).toMatchObject({ status: 'succeeded', result: { answer: 42 } });
  });

  it('retries transient errors with exponential backoff (deterministic jitter), then succeeds', async () => {
    const { db, queue, clock } = setup({ random: () => 0.5 });
    let calls = 0;
    queue.register('t.flaky', {
      payload: z.object({}),
      handler: async (ctx) => {
        calls++;
        if (calls === 1) throw new AppError('UNAVAILABLE', 'model server busy');
        if (calls === 2) throw new ModelError('MODEL_FAILED', 'onnx hiccup', undefined, true);
        return ctx.complete((tx) => tx.run(effect(ctx.job.id)).changes);
      },
    });
    const { id } = queue.enqueue(db, { type: 't.flaky', payload: {} });

    const r1 = await queue.runNext();
    // attempt 1 failed: d = 1000·2^0, jitter 0.5 → 500 + 0.5·500
    expect(r1).toMatchObject({ status: 'queued', attempts: 1, error: 'model server busy', runAfter: T0 + 750, leaseOwner: null });
    expect(await queue.runNext()).toBeNull(); // not due yet
    clock.advance(749);
    expect(await queue.runNext()).toBeNull();
    clock.advance(1);
    const r2 = await queue.runNext();
    // attempt 2 failed: d = 2000 → 1000 + 0.5·1000
    expect(r2).toMatchObject({ status: 'queued', attempts: 2, error: 'onnx hiccup', runAfter: T0 + 750 + 1500 });
    clock.advance(1500);
    const r3 = await queue.runNext();
    expect(r3).toMatchObject({ id, status: 'succeeded', attempts: 3, error: null, result: 1 });
    expect(effects(db, id)).toHaveLength(1);
  });

  it('gives up on transient errors after maxAttempts', async () => {
    const { db, queue, clock } = setup();
    queue.register('t.down', { payload: z.object({}), maxAttempts: 2, handler: async () => Promise.reject(new AppError('UNAVAILABLE', 'still down')) });
    queue.enqueue(db, { type: 't.down', payload: {} });
    expect(await queue.runNext()).toMatchObject({ status: 'queued', attempts: 1 });
    clock.advance(60_000);
    expect(await queue.runNext()).toMatchObject({ status: 'failed', attempts: 2, error: 'still down (gave up after 2 attempts)' });
  });

  it('fails permanent errors at once, without retry', async () => {
    const { db, queue, clock } = setup();
    let calls = 0;
    queue.register('t.bad', {
      payload: z.object({}),
      handler: async () => {
        calls++;
        throw new ModelError('BAD_INPUT', 'audio is not 16 kHz');
      },
    });
    queue.enqueue(db, { type: 't.bad', payload: {} });
    expect(await queue.runNext()).toMatchObject({ status: 'failed', attempts: 1, error: 'audio is not 16 kHz' });
    clock.advance(3_600_000);
    expect(await queue.runNext()).toBeNull();
    expect(calls).toBe(1);
  });

  it('aborts a run that exceeds its timeout and treats it as transient', async () => {
    const { db, queue } = setup({ abortGraceMs: 50 });
    let reason: unknown;
    queue.register('t.slow', {
      payload: z.object({}),
      timeoutSeconds: 0.05,
      handler: async (ctx) => {
        await new Promise((r) => ctx.signal.addEventListener('abort', r));
        reason = ctx.signal.reason;
        throw ctx.signal.reason;
      },
    });
    queue.enqueue(db, { type: 't.slow', payload: {} });
    const r = await queue.runNext();
    expect(reason).toBeInstanceOf(JobAbort);
    expect((reason as JobAbort).kind).toBe('timeout');
    expect(r).toMatchObject({ status: 'queued', attempts: 1, error: 'Timed out after 0.05 s' });
  });

  it('a handler that ignores the abort is abandoned after the grace period, and its late complete() writes nothing', async () => {
    const { db, queue } = setup({ abortGraceMs: 30 });
    let late: unknown;
    queue.register('t.deaf', {
      payload: z.object({}),
      timeoutSeconds: 0.02,
      maxAttempts: 1,
      handler: async (ctx) => {
        await sleep(150);
        try {
          ctx.complete((tx) => tx.run(effect(ctx.job.id)));
        } catch (e) {
          late = e;
        }
      },
    });
    const { id } = queue.enqueue(db, { type: 't.deaf', payload: {} });
    expect(await queue.runNext()).toMatchObject({ status: 'failed', error: 'Timed out after 0.02 s (gave up after 1 attempts)' });
    await until(() => late, 'the late complete() to throw', 2000);
    expect(late).toBeInstanceOf(LeaseLostError);
    expect(effects(db, id)).toHaveLength(0);
  });
});

describe('cancellation', () => {
  it('cancels a queued job at once; a finished job is a CONFLICT; an unknown one NOT_FOUND', async () => {
    const { db, queue } = setup();
    queue.register('t.a', { payload: z.object({}), handler: async () => 'ran' });
    const { id } = queue.enqueue(db, { type: 't.a', payload: {} });
    expect(queue.cancel(id, 'u1')).toMatchObject({ status: 'cancelled', cancelRequested: true });
    expect(await queue.runNext()).toBeNull();
    expect(() => queue.cancel(id, 'u1')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => queue.cancel('job_missing', 'u1')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('aborts a running job; it ends cancelled (not failed) and complete() is refused', async () => {
    const { db, queue } = setup();
    let seen: unknown;
    queue.register('t.long', {
      payload: z.object({}),
      handler: async (ctx) => {
        ctx.progress(0.1, 'working');
        await new Promise((r) => ctx.signal.addEventListener('abort', r));
        seen = ctx.signal.reason;
        ctx.complete((tx) => tx.run(effect(ctx.job.id))); // throws JobCancelledError
      },
    });
    const { id } = queue.enqueue(db, { type: 't.long', payload: {} });
    const run = queue.runNext();
    await until(() => queue.get(id)?.progressMessage === 'working', 'the handler to start');
    expect(queue.cancel(id, 'u1')).toMatchObject({ status: 'running', cancelRequested: true });
    expect(await run).toMatchObject({ id, status: 'cancelled', error: null, leaseOwner: null });
    expect((seen as JobAbort).kind).toBe('cancelled');
    expect(effects(db, id)).toHaveLength(0);
  });
});

describe('progress events', () => {
  it('throttles progress writes and events, and emits the lifecycle in order', async () => {
    const { db, queue } = setup({ progressIntervalMs: 50 });
    queue.register('t.prog', {
      payload: z.object({}),
      handler: async (ctx) => {
        for (let i = 1; i <= 10; i++) ctx.progress(i / 10, `step ${i}`); // a burst: 1 write now, 1 trailing
        await sleep(120);
        ctx.progress(2, 'clamped');
        await sleep(10);
        return ctx.complete(() => 'ok');
      },
    });
    const all: JobEvent[] = [];
    const one: JobEvent[] = [];
    queue.subscribe('*', (e) => all.push(e));
    const { id } = queue.enqueue(db, { type: 't.prog', payload: {} });
    const unsubscribe = queue.subscribe(id, (e) => one.push(e));
    queue.start({ concurrency: 1 });
    await until(() => queue.get(id)?.status === 'succeeded', 'the job to succeed');
    await sleep(5);
    const seq = one.map((e) => [e.status, e.progress, e.message]);
    // the burst of 10 gives 2 events (the first at once, the last one trailing); the 'clamped' report may be
    // throttled into the final state when complete() comes within the interval, but is never lost
    const clamped = seq.filter((e) => e[2] === 'clamped' && e[0] === 'running');
    expect(seq).toEqual([
      ['queued', 0, null],
      ['running', 0, null],
      ['running', 0.1, 'step 1'],
      ['running', 1, 'step 10'],
      ...clamped,
      ['succeeded', 1, 'clamped'],
    ]);
    expect(clamped.length).toBeLessThanOrEqual(1);
    expect(queue.get(id)).toMatchObject({ progress: 1, progressMessage: 'clamped' });
    expect(all).toEqual(one);
    unsubscribe();
    const n = one.length;
    queue.enqueue(db, { type: 't.prog', payload: {} });
    await sleep(5);
    expect(one).toHaveLength(n);
    expect(all.length).toBeGreaterThan(n);
  });
});

describe('leases', () => {
  it('re-claims a job whose lease expired; the stale worker cannot write its effect', async () => {
    const db = testDb();
    createTestTables(db);
    const tA = T0;
    let tB = T0;
    const a = createJobQueue({ db, clock: () => tA, leaseSeconds: 10, workerId: 'A' });
    const b = createJobQueue({ db, clock: () => tB, leaseSeconds: 10, workerId: 'B' });
    queues.push(a, b);
    let releaseA!: () => void;
    const gateA = new Promise<void>((r) => (releaseA = r));
    let aError: unknown;
    a.register('t.job', {
      payload: z.object({}),
      handler: async (ctx) => {
        ctx.checkpoint.set({ step: 1 });
        await gateA; // A "hangs" (a stalled or partitioned worker)
        try {
          ctx.complete((tx) => tx.run(effect(ctx.job.id, 'A')));
        } catch (e) {
          aError = e;
          throw e;
        }
      },
    });
    let bSawCheckpoint: unknown;
    b.register('t.job', {
      payload: z.object({}),
      handler: async (ctx) => {
        bSawCheckpoint = ctx.checkpoint.get();
        return ctx.complete((tx) => tx.run(effect(ctx.job.id, 'B')).changes);
      },
    });
    const { id } = a.enqueue(db, { type: 't.job', payload: {} });
    const runA = a.runNext();
    await until(() => a.get(id)?.checkpoint, 'A to checkpoint');
    expect(await b.runNext()).toBeNull(); // lease still valid
    tB = T0 + 10_001; // B's clock passes A's lease expiry
    const doneB = await b.runNext();
    expect(doneB).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(bSawCheckpoint).toEqual({ step: 1 });
    releaseA();
    expect(await runA).toMatchObject({ status: 'succeeded', attempts: 2 }); // A leaves B's result alone
    expect(aError).toBeInstanceOf(LeaseLostError);
    expect(effects(db, id).map((r) => r.worker)).toEqual(['B']);
  });

  it('fails a job whose lease keeps expiring once maxAttempts claims are used', async () => {
    const { db, queue } = setup();
    queue.register('t.x', { payload: z.object({}), maxAttempts: 2, handler: async () => null });
    const { id } = queue.enqueue(db, { type: 't.x', payload: {} });
    // simulate two workers that died holding the job
    db.update(jobs).set({ status: 'running', attempts: 2, leaseOwner: 'dead:1', leaseExpiresAt: T0 - 1 }).run();
    expect(await queue.runNext()).toBeNull();
    expect(queue.get(id)).toMatchObject({ status: 'failed', error: 'Gave up after 2 attempts (last worker lost its lease)' });
  });

  it('stop() aborts running handlers with reason shutdown and releases their lease without using an attempt', async () => {
    const { db, queue } = setup();
    let reason: unknown;
    queue.register('t.long', {
      payload: z.object({}),
      handler: async (ctx) => {
        ctx.checkpoint.set({ half: true });
        await new Promise((r) => ctx.signal.addEventListener('abort', r));
        reason = ctx.signal.reason;
        throw reason;
      },
    });
    const { id } = queue.enqueue(db, { type: 't.long', payload: {} });
    queue.start();
    await until(() => queue.get(id)?.checkpoint, 'the handler to start');
    await queue.stop({ deadlineMs: 500 });
    expect((reason as JobAbort).kind).toBe('shutdown');
    expect(queue.get(id)).toMatchObject({ status: 'queued', attempts: 0, leaseOwner: null, checkpoint: { half: true } });
  });
});
