/**
 * Vote ingestion over HTTP: the real service (createApp, SQLite in WAL mode on a temp file) served by
 * @hono/node-server on 127.0.0.1, hammered with autocannon by many participants, each with their own API token.
 *
 *   npm run bench -- votes-http [--participants 1000] [--statements 2000] [--requests 40000] [--connections 32] [--auth token|session]
 *                                [--max-seconds 60] [--repeat 0.1] [--http-workers 1] [--job-workers 1] [--no-write]
 *
 * --http-workers N (N > 1): the service runs as `plenary serve --http-workers N` in a child process (node:cluster,
 * N HTTP processes sharing the port and the SQLite file) instead of in the bench's own process.
 *
 * Targets: ≥ 2,000 votes/s sustained, p99 < 100 ms. Afterwards a count proves no vote was lost: every 2xx vote
 * response is one vote event (conversations.vote_events), and rows + Σ changes (last-vote-wins upserts) equals the
 * number of 2xx responses; statement counters sum to the number of rows.
 * The per-address public-write rate limit (600/min by default) is raised for the run: every request comes from
 * 127.0.0.1.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { Worker } from 'node:worker_threads';
import { buildService } from '../../src/build.js';
import { buildConfig, ConfigSchema } from '../../src/config.js';
import { createApiToken, createSession, SESSION_COOKIE } from '../../src/platform/auth/sessions.js';
import { assemblies, memberships, users } from '../../src/platform/db/schema.js';
import { newId } from '../../src/platform/ids.js';
import { freePort } from '../../src/testing/net.js';
import { createConversation } from '../../src/modules/conversations/service.js';
import { ctxFor } from '../../src/deps.js';
import type { Bench, BenchResult, EvalArgs } from '../harness.js';

const num = (args: EvalArgs, k: string, d: number) => (typeof args[k] === 'string' ? Number(args[k]) : d);

export const bench: Bench = {
  name: 'votes-http',
  description: 'vote ingestion over HTTP (autocannon → @hono/node-server → SQLite WAL), with a no-lost-vote count',
  async run(args, log): Promise<BenchResult> {
    const P = num(args, 'participants', 1000);
    const S = num(args, 'statements', 2000);
    const N = num(args, 'requests', 40_000);
    const connections = num(args, 'connections', 32);
    const maxSeconds = num(args, 'max-seconds', 60);
    const repeat = num(args, 'repeat', 0.1);
    const dir = mkdtempSync(join(tmpdir(), 'plenary-votes-http-'));
    // the default configuration runs one job worker in the (first) HTTP process: recomputes queued every 1,000 votes
    // run during the burst (--job-workers 0 measures ingestion alone, as this benchmark did before)
    const jobWorkers = num(args, 'job-workers', 1);
    const config = buildConfig(ConfigSchema.parse({ dataDir: dir, logLevel: 'silent', jobWorkers, publicWriteRateLimit: 100_000_000 }));
    const { app, deps } = buildService(config, { logger: pino({ level: 'silent' }) });
    const db = deps.db;
    log(`setup: ${P} participants with API tokens, ${S} statements (SQLite file ${config.dbFile}, journal ${String(db.$client.pragma('journal_mode', { simple: true }))})`);
    const t0 = performance.now();
    const assemblyId = newId('asm_');
    db.insert(assemblies).values({ id: assemblyId, slug: `bench-${assemblyId}`, title: 'Bench assembly' }).run();
    const tokens: string[] = [];
    const userIds: string[] = [];
    db.transaction((tx) => {
      for (let i = 0; i < P; i++) {
        const uid = newId('u_');
        tx.insert(users).values({ id: uid, role: 'participant', displayName: `P${i}` }).run();
        tx.insert(memberships).values({ assemblyId, userId: uid, pseudonym: `P${i}` }).run();
      }
    });
    for (const u of db.select({ id: users.id }).from(users).all()) {
      userIds.push(u.id);
      tokens.push(createApiToken(db, u.id, 'bench').token);
    }
    const staff = { kind: 'user' as const, id: 'bench', role: 'admin' as const, displayName: 'bench', language: 'en', via: 'token' as const, assemblyIds: [] };
    const conv = createConversation(ctxFor(deps, staff), assemblyId, { topic: 'Benchmark conversation', moderation: 'post', recomputeEvery: 1000 });
    const ins = db.$client.prepare("insert into statements (conversation_id, tid, author_id, text, status) values (?, ?, null, ?, 'accepted')");
    db.$client.transaction(() => {
      for (let j = 0; j < S; j++) ins.run(conv.id, j, `Benchmark statement ${j}`);
    })();
    const statementIds = (db.$client.prepare('select id from statements where conversation_id = ? order by id').all(conv.id) as { id: number }[]).map((r) => r.id);
    log(`setup took ${Math.round(performance.now() - t0)} ms`);

    const httpWorkers = num(args, 'http-workers', 1);
    let server: ReturnType<typeof serve> | null = null;
    let child: ChildProcess | null = null;
    let port: number;
    if (httpWorkers > 1) {
      port = await freePort();
      child = spawn(process.execPath, [...process.execArgv, 'src/cli.ts', 'serve', '--http-workers', String(httpWorkers), '--port', String(port), '--data-dir', dir], {
        env: { ...process.env, LOG_LEVEL: 'silent', PLENARY_JOB_WORKERS: String(jobWorkers), PLENARY_PUBLIC_WRITE_RATE_LIMIT: '100000000' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      await waitReady(`http://127.0.0.1:${port}/healthz`, 60_000);
      log(`service: plenary serve --http-workers ${httpWorkers} (child process ${child.pid}) on port ${port}`);
    } else {
      if (jobWorkers > 0) deps.jobs.start({ concurrency: jobWorkers });
      server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
      await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
      port = (server.address() as { port: number }).port;
    }
    const path = `/api/assemblies/${assemblyId}/conversations/${conv.id}/votes`;
    const auth = typeof args.auth === 'string' ? args.auth : 'token';
    // session cookies (+ CSRF header) or bearer tokens; both are real authentication paths of the service
    const cookies = auth === 'session' ? userIds.map((u) => { const s = createSession(db, u, 12); return { cookie: `${SESSION_COOKIE}=${s.cookie}`, csrf: s.csrf }; }) : undefined;
    log(`autocannon (worker thread): ${N} POST ${path}, ${connections} connections, auth ${auth}, at most ${maxSeconds} s`);
    const loadBefore = loadavg()[0];
    const started = performance.now();
    const worker = new Worker(new URL('./votes-http-load.mjs', import.meta.url), {
      workerData: { url: `http://127.0.0.1:${port}`, path, tokens: cookies ? undefined : tokens, cookies, statementIds, amount: N, connections, repeat, seed: 20_251_125, maxSeconds },
    });
    const { result, statusCounts, error } = await new Promise<any>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    if (error) throw new Error(`load generator failed: ${error}`);
    if (!result?.latency) throw new Error(`load generator returned no latency: ${JSON.stringify({ statusCounts, result }).slice(0, 2000)}`);
    let non2xx = 0;
    for (const [code, n] of Object.entries(statusCounts as Record<string, number>)) if (Number(code) < 200 || Number(code) >= 300) non2xx += n;
    const seconds = (performance.now() - started) / 1000;
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    if (jobWorkers > 0 && !child) await deps.jobs.stop({ deadlineMs: 30_000 });
    if (child) {
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }

    // the count: nothing lost, nothing doubled
    const ok2xx = result['2xx'] as number;
    const rows = (db.$client.prepare('select count(*) as n, coalesce(sum(changes), 0) as ch from votes where conversation_id = ?').get(conv.id) as { n: number; ch: number });
    const events = (db.$client.prepare('select vote_events as e from conversations where id = ?').get(conv.id) as { e: number }).e;
    const counters = (db.$client.prepare('select coalesce(sum(agree_count + disagree_count + pass_count), 0) as t from statements where conversation_id = ?').get(conv.id) as { t: number }).t;
    const recomputeJobs = (db.$client.prepare("select count(*) as n from jobs where type = 'conversations.recompute'").get() as { n: number }).n;
    const recomputesRun = (db.$client.prepare("select count(*) as n from jobs where type = 'conversations.recompute' and status in ('succeeded', 'failed')").get() as { n: number }).n;
    const noLoss = ok2xx === events && rows.n + rows.ch === ok2xx && counters === rows.n;
    const votesPerSecond = ok2xx / (result.duration || seconds);
    const figures: Record<string, number | string> = {
      participants: P,
      statements: S,
      connections,
      requests: result.requests.total,
      'responses 2xx': ok2xx,
      'responses non-2xx': non2xx + (result.errors ?? 0) + (result.timeouts ?? 0),
      'duration s': Math.round(result.duration * 100) / 100,
      'votes/s (2xx / duration)': Math.round(votesPerSecond),
      'req/s mean': Math.round(result.requests.average),
      'req/s lowest 1-s sample': Math.round(result.requests.min),
      'latency p50 ms': result.latency.p50,
      'latency p90 ms': result.latency.p90,
      'latency p99 ms': result.latency.p99,
      'latency max ms': result.latency.max,
      'vote rows': rows.n,
      'last-vote-wins updates (Σ changes)': rows.ch,
      'vote events': events,
      'statement counters Σ': counters,
      'recompute jobs queued (every 1000 votes)': recomputeJobs,
      'recompute jobs run (job workers)': `${recomputesRun} (${jobWorkers})`,
      'no vote lost': noLoss ? 'yes' : 'NO',
      'target ≥ 2000 votes/s': votesPerSecond >= 2000 ? 'met' : 'missed',
      'target p99 < 100 ms': result.latency.p99 < 100 ? 'met' : 'missed',
    };
    const notes = [
      `1-minute load average ${loadBefore.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end (other work on the same ${cpus().length} cores)`,
      `status codes: ${JSON.stringify(statusCounts)}`,
      'public-write rate limit raised to 100,000,000/min for the run (all requests come from 127.0.0.1; default 600/min)',
      httpWorkers > 1
        ? `service in a child process: plenary serve --http-workers ${httpWorkers} (node:cluster); autocannon in a worker thread of the bench process; auth: ${auth === 'session' ? 'session cookies + x-csrf-token' : 'one API token per participant'}`
        : `autocannon runs in a worker thread of the server's process (same machine, own event loop); auth: ${auth === 'session' ? 'session cookies + x-csrf-token' : 'one API token per participant'}`,
    ];
    log(JSON.stringify(figures));
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
    const out: BenchResult = { name: 'votes-http', figures, notes };
    if (args['no-write'] !== true && args['no-save'] !== true) writeResults(out, { P, S, N, connections, repeat, maxSeconds, httpWorkers }, auth);
    return out;
  },
};

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > until) throw new Error(`the service did not answer ${url} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function writeResults(r: BenchResult, params: Record<string, number>, auth: string) {
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${cpus().length} cores / ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.versions.node}`;
  const resultsDir = new URL('./results/', import.meta.url);
  writeFileSync(new URL('votes-http.json', resultsDir), JSON.stringify({ date: new Date().toISOString(), machine, params, ...r }, null, 2) + '\n');
  const md = new URL('./RESULTS.md', import.meta.url);
  const cur = existsSync(md) ? readFileSync(md, 'utf8') : '# Benchmark results\n';
  const cmd = `npm run bench -- votes-http --participants ${params.P} --statements ${params.S} --requests ${params.N} --connections ${params.connections} --auth ${auth}${params.httpWorkers > 1 ? ` --http-workers ${params.httpWorkers}` : ''}`;
  const section = [
    `## votes-http (vote ingestion over HTTP) — ${date}`,
    '',
    `- Machine: ${machine}. Command: \`${cmd}\`. Raw output: \`evals/bench/results/votes-http.json\`.`,
    `- Setup: the real app (createApp) on @hono/node-server, 127.0.0.1, SQLite WAL on a temp file; ${params.P} participants each with an API token, ${params.S} accepted statements; random votes (1/−1/0), ${Math.round(params.repeat * 100)} % re-votes of a recent pair (last vote wins).`,
    ...(r.notes ?? []).map((n) => `- ${n}`),
    '',
    '| figure | value |',
    '|---|---|',
    ...Object.entries(r.figures).map(([k, v]) => `| ${k} | ${v} |`),
    '',
  ].join('\n');
  const re = /## votes-http \(vote ingestion over HTTP\)[\s\S]*?(?=\n## |\n<!-- |$)/;
  const next = re.test(cur) ? cur.replace(re, section.trimEnd() + '\n') : cur.trimEnd() + '\n\n' + section;
  writeFileSync(md, next);
}
