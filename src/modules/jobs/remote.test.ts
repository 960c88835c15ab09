import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRemoteWorker } from '../../cli/remote-worker.js';
import { SUMMARIZE_JOB } from '../publications/jobs.js';
import { testService, type TestService } from '../../testing/service.js';

/**
 * The job API for remote Node workers, on the Node service (the Worker's objects serve the same routes; see
 * src/worker/worker.test.ts): leases, heartbeats, a stale worker refused, tokens checked, drafts arriving in review.
 */
const docs = [
  { id: 'c1', text: 'Buses should run every ten minutes on the main lines.' },
  { id: 'c2', text: 'Safe cycle lanes would let children cycle to school.' },
];
const payload = { subject: 'session:1', title: 'Transport', language: 'en', maxSentences: 2, docs };
const prov = { stage: 'remote-test', version: '1', modelIds: ['fake'], weightsSha256: [null], params: {}, seed: null, inputHash: 'h' };

let s: TestService;
let t = Date.parse('2026-12-01T10:00:00Z');
const post = (path: string, body: unknown, token?: string) =>
  s.app.request(`/api/assemblies/${s.assemblyId}/worker/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

beforeAll(async () => {
  s = await testService({ clock: () => new Date(t) });
});

const enqueue = (key: string) => s.db.transaction((tx) => s.deps.jobs.enqueue(tx, { type: SUMMARIZE_JOB, assemblyId: s.assemblyId, idempotencyKey: key, payload, runAfter: t - 1 }));

describe('remote job API', () => {
  it('leases a job, refuses the stale worker once its lease expired and went to another, accepts the new one', async () => {
    const job = enqueue('k1');
    const a = await post('lease', { types: [SUMMARIZE_JOB], workerId: 'A', leaseSeconds: 10 }, s.tokens.facilitator);
    expect(a.status).toBe(200);
    const la = (await a.json()) as { job: { id: string; attempts: number }; leaseToken: string };
    expect(la.job.id).toBe(job.id);
    expect((await post('lease', { types: [SUMMARIZE_JOB], workerId: 'B', leaseSeconds: 10 }, s.tokens.facilitator)).status).toBe(204);
    const hb = await post(`jobs/${job.id}/heartbeat`, { leaseToken: la.leaseToken, leaseSeconds: 10, progress: 0.5 }, s.tokens.facilitator);
    expect(hb.status).toBe(200);
    t += 11_000; // A stops heartbeating: its lease expires and B takes the job
    const b = await post('lease', { types: [SUMMARIZE_JOB], workerId: 'B', leaseSeconds: 10 }, s.tokens.facilitator);
    const lb = (await b.json()) as { job: { id: string; attempts: number }; leaseToken: string };
    expect(lb.job).toMatchObject({ id: job.id, attempts: 2 });
    const draft = { kind: 'summary', subject: 'session:1', title: 'Transport', payload: { title: 'Transport', language: 'en', sentences: [{ text: 'STALE', sourceIds: ['c1'] }] }, sources: [], provenance: prov };
    const stale = await post(`jobs/${job.id}/complete`, { leaseToken: la.leaseToken, drafts: [draft] }, s.tokens.facilitator);
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    expect(((await stale.json()) as { detail: string }).detail).toMatch(/lease has expired/);
    const staleBeat = await post(`jobs/${job.id}/heartbeat`, { leaseToken: la.leaseToken }, s.tokens.facilitator);
    expect(staleBeat.status).toBe(409);
    const fresh = { ...draft, payload: { ...draft.payload, sentences: [{ text: 'FRESH', sourceIds: ['c1'] }] } };
    const ok = await post(`jobs/${job.id}/complete`, { leaseToken: lb.leaseToken, drafts: [fresh] }, s.tokens.facilitator);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'succeeded' });
    const items = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'summary' });
    expect(items.map((i) => JSON.stringify(i.payload))).toEqual([expect.stringContaining('FRESH')]);
    expect(JSON.stringify(items)).not.toContain('STALE');
  });

  it('retries a transient failure later and fails for good otherwise', async () => {
    const job = enqueue('k2');
    const l = (await (await post('lease', { types: [SUMMARIZE_JOB], workerId: 'A' }, s.tokens.admin)).json()) as { leaseToken: string };
    const r = await post(`jobs/${job.id}/fail`, { leaseToken: l.leaseToken, error: 'model busy', transient: true }, s.tokens.admin);
    expect(await r.json()).toMatchObject({ status: 'queued', error: 'model busy' });
    expect((await post('lease', { types: [SUMMARIZE_JOB], workerId: 'A' }, s.tokens.admin)).status).toBe(204); // backoff
    t += 5_000;
    const l2 = (await (await post('lease', { types: [SUMMARIZE_JOB], workerId: 'A' }, s.tokens.admin)).json()) as { leaseToken: string };
    const r2 = await post(`jobs/${job.id}/fail`, { leaseToken: l2.leaseToken, error: 'bad input', transient: false }, s.tokens.admin);
    expect(await r2.json()).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('refuses a missing, wrong or revoked token and roles without jobs.run, as problem+json', async () => {
    const body = { types: [SUMMARIZE_JOB], workerId: 'X' };
    for (const [token, status] of [[undefined, 401], ['pln_wrongwrongwrongwrong', 401], [s.tokens.participant, 403], [s.tokens.researcher, 403]] as const) {
      const r = await post('lease', body, token);
      expect(r.status, String(token)).toBe(status);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    const mine = (await (await s.app.request('/api/tokens', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${s.tokens.facilitator}` }, body: JSON.stringify({ name: 'worker' }) })).json()) as { id: string; token: string };
    expect((await post('lease', body, mine.token)).status).toBe(204);
    const del = await s.app.request(`/api/tokens/${mine.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${s.tokens.facilitator}` } });
    expect(del.status).toBeLessThan(300);
    const revoked = await post('lease', body, mine.token);
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { detail: string }).detail).toMatch(/revoked/);
    expect((await post('lease', { types: [], workerId: 'X' }, s.tokens.admin)).status).toBe(422);
  });
});

describe('plenary worker --remote', () => {
  let server: ReturnType<typeof serve>;
  let url = '';
  beforeAll(async () => {
    server = serve({ fetch: s.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it('leases the job over HTTP, runs the handler with its own models, and its draft waits for review', async () => {
    const job = enqueue('k3');
    const local = await testService(); // the worker's own process: fake models, private database
    const ran = await runRemoteWorker({ remote: url, token: s.tokens.facilitator, assemblies: [s.assemblyId], once: true, deps: local.deps, logger: { info() {}, warn() {}, error() {} } });
    expect(ran).toBe(1);
    const row = s.deps.jobs.get(job.id)!;
    expect(row.error).toBeNull();
    expect(row.status).toBe('succeeded');
    const item = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'summary', status: ['pending'] }).find((i) => i.jobId === job.id);
    expect(item).toBeDefined();
    expect(row.result).toBe(item!.id); // the worker's local id was replaced by the service's
    // approving it is the facilitator's decision, as for a job run in process
    const ok = await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/review/${item!.id}/approve`, {});
    expect(ok.status).toBe(200);
  });
});
