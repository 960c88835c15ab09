/**
 * The job runner of `serve`: by default a worker thread with its own SQLite connection to the same file. These tests
 * start the real thread on a temporary database: the HTTP side only enqueues, the thread runs the job, its events
 * come back for SSE, a job left running by a dead worker is re-leased when its lease expires and finished, and
 * `stop` hands unfinished work back to SQLite for the next start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildService } from './build.js';
import { buildConfig, ConfigSchema, type ConfigInput } from './config.js';
import { ctxFor } from './deps.js';
import { startJobRunner, type JobRunner } from './job-runner.js';
import { createConversation } from './modules/conversations/service.js';
import { RECOMPUTE_JOB } from './modules/conversations/domain.js';
import { assemblies } from './platform/db/schema.js';
import type { JobEvent } from './platform/jobs/index.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function service(over: Partial<ConfigInput> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-job-thread-'));
  const config = buildConfig(ConfigSchema.parse({ dataDir: dir, logLevel: 'silent', jobWorkers: 1, jobLeaseSeconds: 1, ...over }));
  const { deps } = buildService(config, { logger: pino({ level: 'silent' }) });
  cleanups.push(() => {
    deps.db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });
  deps.db.insert(assemblies).values({ id: 'asm_1', slug: 'a1', title: 'A1' }).run();
  const staff = { kind: 'user' as const, id: 'admin', role: 'admin' as const, displayName: 'admin', language: 'en', via: 'token' as const, assemblyIds: [] };
  const conv = createConversation(ctxFor(deps, staff), 'asm_1', { topic: 'Thread test' });
  const enqueue = (voteEvents: number) => deps.jobs.enqueue(deps.db, { type: RECOMPUTE_JOB, assemblyId: 'asm_1', payload: { conversationId: conv.id, voteEvents } });
  return { config, deps, enqueue };
}

function run(r: JobRunner) {
  cleanups.push(() => r.stop({ deadlineMs: 2000 }));
  return r;
}

async function until(ok: () => boolean, what: string, ms = 90_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('job runner in a worker thread (the default)', () => {
  it('runs a job the HTTP side queued, on its own connection, and relays its events', async () => {
    const s = service();
    const events: JobEvent[] = [];
    s.deps.jobs.subscribe('*', (e) => events.push(e));
    const runner = run(startJobRunner(s.config, s.deps));
    expect(runner.mode).toBe('thread');
    const job = s.enqueue(1);
    await until(() => s.deps.jobs.get(job.id)?.status === 'succeeded', 'the thread to run the recompute');
    // too few votes is an answer, not an error: the handler really ran (in the thread: this side never started a loop)
    expect(s.deps.jobs.get(job.id)?.result).toMatchObject({ status: 'not-enough-votes' });
    await until(() => events.some((e) => e.id === job.id && e.status === 'succeeded'), 'the relayed event');
    expect(events.filter((e) => e.id === job.id).map((e) => e.status)).toEqual(expect.arrayContaining(['queued', 'running', 'succeeded']));
  }, 180_000); // a thread loads the whole service (tsx): ~20 s on a loaded 2-core machine

  it('re-leases a job whose worker died (lease expired) and finishes it; work queued while stopped runs at the next start', async () => {
    const s = service();
    const orphan = s.enqueue(1);
    // as a crashed thread leaves it: running, leased by someone gone, lease already expired
    s.deps.db.$client.prepare("update jobs set status = 'running', lease_owner = 'dead-thread:1', lease_expires_at = ?, attempts = 1 where id = ?").run(Date.now() - 1, orphan.id);
    const first = startJobRunner(s.config, s.deps);
    await until(() => s.deps.jobs.get(orphan.id)?.status === 'succeeded', 'the orphaned job to be re-leased');
    expect(s.deps.jobs.get(orphan.id)?.attempts).toBe(2);
    await first.stop({ deadlineMs: 2000 });
    const queued = s.enqueue(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.deps.jobs.get(queued.id)?.status).toBe('queued'); // nobody runs jobs while stopped
    run(startJobRunner(s.config, s.deps));
    await until(() => s.deps.jobs.get(queued.id)?.status === 'succeeded', 'the queued job after a restart');
  }, 180_000);

  it("'inline' and an in-memory database run on the HTTP thread; zero workers run nothing", async () => {
    const s = service({ jobRunner: 'inline' });
    const inline = run(startJobRunner(s.config, s.deps));
    expect(inline.mode).toBe('inline');
    const job = s.enqueue(1);
    await until(() => s.deps.jobs.get(job.id)?.status === 'succeeded', 'the inline runner');
    const mem = buildConfig(ConfigSchema.parse({ dataDir: ':memory:', logLevel: 'silent', jobWorkers: 1 }));
    expect(mem.jobRunner).toBe('thread');
    const off = startJobRunner({ ...s.config, jobWorkers: 0 }, s.deps);
    expect(off.mode).toBe('off');
  });
});
