import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../config.js';
import type { Deps } from '../deps.js';
import { assemblies, jobs } from '../platform/db/schema.js';
import type { SubmitInput } from '../platform/review/queue.js';
import type { RemoteLease } from '../platform/jobs/remote.js';
import type { ModelRegistry } from '../../models/types.js';

/**
 * `plenary worker --remote URL --token T [--assembly ID]… [--types a,b] [--once]`
 *
 * A Node worker for a Plenary that runs elsewhere (Cloudflare Workers, or another Node service): it leases due jobs
 * over the job API, runs each with the same handler and the local models as the embedded job runner (in a private
 * in-memory database holding the job and its assembly's row), heartbeats while it runs, and sends back the review
 * drafts the handler submitted, or the failure (transient ones are retried by the service). A lease lost meanwhile
 * (the job went to another worker) drops the result: the service refuses it anyway.
 *
 * Job types: by default those whose payload carries their whole input (see SELF_CONTAINED); a handler that reads the
 * assembly's tables would find them empty here.
 */
export const SELF_CONTAINED = ['publications.summarize'];

const HELP = 'usage: plenary worker --remote URL --token T [--assembly ID]… [--types a,b] [--lease-seconds 60] [--poll-ms 2000] [--once]';

export interface RemoteWorkerOptions {
  remote: string;
  token: string;
  assemblies?: string[];
  types?: string[];
  leaseSeconds?: number;
  pollMs?: number;
  once?: boolean;
  workerId?: string;
  /** tests pass a service built with fake models */
  deps?: Deps;
  models?: ModelRegistry;
  logger?: Log;
  signal?: AbortSignal;
}

interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
const consoleLog: Log = {
  info: (o, m) => process.stderr.write(`${m ?? ''} ${JSON.stringify(o)}\n`),
  warn: (o, m) => process.stderr.write(`warning: ${m ?? ''} ${JSON.stringify(o)}\n`),
  error: (o, m) => process.stderr.write(`error: ${m ?? ''} ${JSON.stringify(o)}\n`),
};

class RemoteError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function client(base: string, token: string) {
  const root = base.replace(/\/+$/, '');
  return async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T | null }> => {
    const res = await fetch(`${root}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 204) return { status: 204, data: null };
    const text = await res.text();
    if (!res.ok) {
      let detail = text;
      try {
        detail = (JSON.parse(text) as { detail?: string }).detail ?? text;
      } catch {
        /* not JSON */
      }
      throw new RemoteError(res.status, `${method} ${path}: ${res.status} ${detail}`);
    }
    return { status: res.status, data: JSON.parse(text) as T };
  };
}

/** Runs until the signal aborts (or, with `once`, until no job is due). Returns the number of jobs run. */
export async function runRemoteWorker(o: RemoteWorkerOptions): Promise<number> {
  const call = client(o.remote, o.token);
  const log = o.logger ?? consoleLog;
  let deps = o.deps;
  if (!deps) {
    const { buildService, modelsFor } = await import('../build.js');
    const config = loadConfig(process.env, { dataDir: ':memory:', jobWorkers: 0, logLevel: 'warn' });
    deps = buildService(config, { models: o.models ?? modelsFor(config) }).deps;
  }
  const d = deps;
  const types = (o.types?.length ? o.types : SELF_CONTAINED).filter((t) => d.jobs.types().includes(t));
  if (!types.length) throw new Error(`None of the job types asked for is registered here (registered: ${d.jobs.types().join(', ')}).`);
  const leaseSeconds = o.leaseSeconds ?? 60;
  const workerId = o.workerId ?? `node-${process.pid}`;
  const ids = o.assemblies?.length ? o.assemblies : ((await call<{ id: string }[]>('GET', '/api/assemblies')).data ?? []).map((a) => a.id);

  // drafts the handler submits are kept here as well as written locally
  let captured: (Omit<SubmitInput, 'assemblyId' | 'jobId'> & { localId: string })[] = [];
  const submit = d.review.submit.bind(d.review);
  d.review.submit = (tx, input) => {
    const { assemblyId: _a, jobId: _j, ...draft } = input;
    const item = submit(tx, input);
    captured.push({ ...draft, localId: item.id });
    return item;
  };

  async function ensureAssembly(id: string) {
    if (d.db.select({ id: assemblies.id }).from(assemblies).all().some((a) => a.id === id)) return;
    const a = (await call<typeof assemblies.$inferSelect>('GET', `/api/assemblies/${encodeURIComponent(id)}`)).data!;
    // the slug only has to be unique in this private database
    d.db.insert(assemblies).values({ id: a.id, slug: `remote:${a.id}`, title: a.title, question: a.question, languages: a.languages }).onConflictDoNothing().run();
  }

  async function runOne(assemblyId: string, lease: RemoteLease) {
    const base = `/api/assemblies/${encodeURIComponent(assemblyId)}/worker/jobs/${encodeURIComponent(lease.job.id)}`;
    await ensureAssembly(assemblyId);
    const j = lease.job;
    d.db.delete(jobs).where(eqId(j.id)).run();
    d.db.insert(jobs).values({ id: j.id, type: j.type, assemblyId, payload: j.payload as never, status: 'queued', attempts: j.attempts - 1, maxAttempts: j.maxAttempts, runAfter: 0, checkpoint: j.checkpoint as never, createdBy: null }).run();
    captured = [];
    let lost = false;
    const beat = setInterval(() => {
      const row = d.jobs.get(j.id);
      call<{ cancelRequested: boolean }>('POST', `${base}/heartbeat`, { leaseToken: lease.leaseToken, leaseSeconds, progress: row?.progress, message: row?.progressMessage ?? null })
        .then((r) => {
          if (r.data?.cancelRequested && row?.status === 'running') d.jobs.cancel(j.id, null);
        })
        .catch((e: unknown) => {
          if (e instanceof RemoteError && (e.status === 409 || e.status === 404)) {
            lost = true;
            if (d.jobs.get(j.id)?.status === 'running') d.jobs.cancel(j.id, null);
          } else log.warn({ err: String(e), jobId: j.id }, 'heartbeat failed; trying again');
        });
    }, Math.max(1000, (leaseSeconds * 1000) / 3));
    let row;
    try {
      row = await d.jobs.runNext();
    } finally {
      clearInterval(beat);
    }
    if (!row || row.id !== j.id) throw new Error(`local run of ${j.id} did not happen`);
    try {
      if (lost) log.warn({ jobId: j.id }, 'lease lost while running: result dropped');
      else if (row.status === 'succeeded' || row.status === 'cancelled') await call('POST', `${base}/complete`, { leaseToken: lease.leaseToken, result: row.status === 'succeeded' ? row.result : undefined, drafts: captured });
      else await call('POST', `${base}/fail`, { leaseToken: lease.leaseToken, error: row.error ?? 'failed', transient: row.status === 'queued' });
      log.info({ jobId: j.id, type: j.type, status: lost ? 'lease-lost' : row.status, drafts: captured.length }, 'remote job done');
    } catch (e) {
      if (e instanceof RemoteError && e.status === 409) log.warn({ jobId: j.id }, `result refused: ${e.message}`);
      else throw e;
    } finally {
      d.db.delete(jobs).where(eqId(j.id)).run();
    }
  }

  let ran = 0;
  while (!o.signal?.aborted) {
    let got = false;
    for (const id of ids) {
      const r = await call<RemoteLease>('POST', `/api/assemblies/${encodeURIComponent(id)}/worker/lease`, { types, workerId, leaseSeconds });
      if (!r.data) continue;
      got = true;
      await runOne(id, r.data);
      ran++;
    }
    if (!got) {
      if (o.once) break;
      await new Promise((res) => setTimeout(res, o.pollMs ?? 2000));
    }
  }
  return ran;
}

const eqId = (id: string) => eq(jobs.id, id);

export async function remoteWorkerCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { remote: { type: 'string' }, token: { type: 'string' }, assembly: { type: 'string', multiple: true }, types: { type: 'string' }, 'lease-seconds': { type: 'string' }, 'poll-ms': { type: 'string' }, once: { type: 'boolean' } },
  });
  const token = values.token ?? process.env.PLENARY_WORKER_TOKEN;
  if (!values.remote || !token) {
    process.stderr.write(`${HELP}\n(the token may also come from PLENARY_WORKER_TOKEN)\n`);
    return 2;
  }
  const ac = new AbortController();
  process.on('SIGINT', () => ac.abort());
  process.on('SIGTERM', () => ac.abort());
  const n = await runRemoteWorker({
    remote: values.remote,
    token,
    assemblies: values.assembly,
    types: values.types?.split(',').map((s) => s.trim()).filter(Boolean),
    leaseSeconds: values['lease-seconds'] ? Number(values['lease-seconds']) : undefined,
    pollMs: values['poll-ms'] ? Number(values['poll-ms']) : undefined,
    once: values.once,
    signal: ac.signal,
  });
  process.stdout.write(`${n} job(s) run\n`);
  return 0;
}
