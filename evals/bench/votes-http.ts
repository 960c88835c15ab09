/**
 * Vote ingestion over HTTP against the service as `npm start` runs it: `plenary serve` in a child process (SQLite WAL
 * file, the default job runner, so the recomputes queued every --recompute-every votes run during the burst), hammered
 * with autocannon (a worker thread of this process) by many participants, each with their own API token or session.
 *
 *   npm run bench -- votes-http [--participants 1000] [--statements 2000] [--requests 40000] [--connections 32]
 *     [--auth token|session] [--max-seconds 90] [--repeat 0.1] [--recompute-every 1000] [--http-workers 1]
 *     [--job-workers N] [--job-runner thread|inline] [--root DIR] [--label NAME] [--cpu-prof DIR]
 *
 * --root DIR runs the service from another checkout (e.g. `git worktree add /tmp/base6e 6e4fed8` with node_modules
 * linked), so an older commit is measured by the same driver in the same minutes. --job-workers / --job-runner are
 * passed as PLENARY_JOB_WORKERS / PLENARY_JOB_RUNNER; left out, the service's defaults apply.
 *
 * Figures: votes/s and latency percentiles (from every response), the count proving nothing was lost (every 2xx vote
 * is one vote event; rows + Σ changes = events; statement counters sum to the rows), the recomputes that finished
 * during the burst, and CPU seconds from /proc: the server (all its threads and processes) per 1,000 votes — a figure
 * that does not depend on how busy the shared machine is — its HTTP thread alone, and the load generator's share.
 * The per-account write limit is raised for the run (600/min by default; each participant sends ~40 votes/min here).
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Bench, BenchResult, EvalArgs } from '../harness.js';
import { mainThreadCpuSeconds, procLoadavg, seed, startServer, treeCpuSeconds } from './votes-http-server.js';

const num = (args: EvalArgs, k: string, d: number) => (typeof args[k] === 'string' ? Number(args[k]) : d);
const str = (args: EvalArgs, k: string) => (typeof args[k] === 'string' ? (args[k] as string) : undefined);
const r2 = (n: number) => Math.round(n * 100) / 100;

export const bench: Bench = {
  name: 'votes-http',
  description: 'vote ingestion over HTTP against `plenary serve` (autocannon → @hono/node-server → SQLite WAL), recomputes running, no-lost-vote count, CPU per 1,000 votes',
  async run(args, log): Promise<BenchResult> {
    const P = num(args, 'participants', 1000);
    const S = num(args, 'statements', 2000);
    const N = num(args, 'requests', 40_000);
    const connections = num(args, 'connections', 32);
    const maxSeconds = num(args, 'max-seconds', 90);
    const repeat = num(args, 'repeat', 0.1);
    const recomputeEvery = num(args, 'recompute-every', 1000);
    const httpWorkers = num(args, 'http-workers', 1);
    const auth = str(args, 'auth') ?? 'token';
    const root = resolve(str(args, 'root') ?? '.');
    const label = str(args, 'label') ?? (str(args, 'root') ? root : 'this checkout');
    const env: Record<string, string> = { PLENARY_PUBLIC_WRITE_RATE_LIMIT: '100000000' };
    if (str(args, 'job-workers')) env.PLENARY_JOB_WORKERS = str(args, 'job-workers')!;
    if (str(args, 'job-runner')) env.PLENARY_JOB_RUNNER = str(args, 'job-runner')!;
    const profDir = str(args, 'cpu-prof');
    if (profDir) mkdirSync(profDir, { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), 'plenary-votes-http-'));
    const server = await startServer({ root, dataDir: dir, env, httpWorkers, nodeFlags: profDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profDir)}`] : [] });
    try {
      log(`service: ${label}: plenary serve (pid ${server.child.pid}, port ${server.port}) ${JSON.stringify(env)}`);
      const t0 = performance.now();
      const fx = seed(join(dir, 'plenary.sqlite'), P, S, recomputeEvery);
      log(`setup: ${P} participants, ${S} statements in ${Math.round(performance.now() - t0)} ms`);
      // let the service settle before measuring (the job thread compiles and loads the service after the port opens):
      // wait until it uses under 5 % of a core over half a second, at most 120 s
      for (let t = Date.now(), c = treeCpuSeconds(server.child.pid!); Date.now() - t < 120_000; ) {
        await new Promise((r) => setTimeout(r, 500));
        const c2 = treeCpuSeconds(server.child.pid!);
        if (c2 - c < 0.025) break;
        c = c2;
      }
      const path = `/api/assemblies/${fx.assemblyId}/conversations/${fx.conversationId}/votes`;
      const loadBefore = procLoadavg();
      const startedIso = new Date().toISOString();
      const cpu0 = { server: treeCpuSeconds(server.child.pid!), http: mainThreadCpuSeconds(server.child.pid!), gen: process.cpuUsage() };
      const wall0 = performance.now();
      log(`autocannon: ${N} POST ${path}, ${connections} connections, auth ${auth}, at most ${maxSeconds} s; load ${loadBefore}`);
      const worker = new Worker(new URL('./votes-http-load.mjs', import.meta.url), {
        workerData: { url: `http://127.0.0.1:${server.port}`, path, tokens: auth === 'session' ? undefined : fx.tokens, cookies: auth === 'session' ? fx.cookies.map((c) => ({ cookie: `plenary_session=${c.cookie}`, csrf: c.csrf })) : undefined, statementIds: fx.statementIds, amount: N, connections, repeat, seed: 20_251_125, maxSeconds },
      });
      const { result, statusCounts, error } = await new Promise<any>((res, rej) => {
        worker.once('message', res);
        worker.once('error', rej);
      });
      const wall = (performance.now() - wall0) / 1000;
      const genCpu = process.cpuUsage(cpu0.gen);
      const serverCpu = treeCpuSeconds(server.child.pid!) - cpu0.server;
      const httpCpu = mainThreadCpuSeconds(server.child.pid!) - cpu0.http;
      const loadAfter = procLoadavg();
      const endedIso = new Date().toISOString();
      await worker.terminate();
      if (error) throw new Error(`load generator failed: ${error}`);
      if (!result?.latency) throw new Error(`load generator returned no latency: ${JSON.stringify({ statusCounts, result }).slice(0, 2000)}`);
      await server.stop();

      const db = new Database(join(dir, 'plenary.sqlite'), { readonly: true });
      const rows = db.prepare('select count(*) as n, coalesce(sum(changes), 0) as ch from votes where conversation_id = ?').get(fx.conversationId) as { n: number; ch: number };
      const events = (db.prepare('select vote_events as e from conversations where id = ?').get(fx.conversationId) as { e: number }).e;
      const counters = (db.prepare('select coalesce(sum(agree_count + disagree_count + pass_count), 0) as t from statements where conversation_id = ?').get(fx.conversationId) as { t: number }).t;
      const jobs = db.prepare("select status, finished_at as f, result from jobs where type = 'conversations.recompute'").all() as { status: string; f: string | null; result: string | null }[];
      db.close();
      const during = jobs.filter((j) => j.status === 'succeeded' && j.f && j.f >= startedIso && j.f <= endedIso);
      const recomputeCpu = during.reduce((s, j) => {
        const c = (JSON.parse(j.result ?? 'null') as { cpuSeconds?: Record<string, number> } | null)?.cpuSeconds;
        return s + (c ? Object.values(c).reduce((a, b) => a + b, 0) : 0);
      }, 0);

      const ok2xx = result['2xx'] as number;
      let non2xx = 0;
      for (const [code, n] of Object.entries(statusCounts as Record<string, number>)) if (Number(code) < 200 || Number(code) >= 300) non2xx += n;
      // every acknowledged vote is stored (events ≥ 2xx), the stored state is consistent (rows + Σ changes = events,
      // counters = rows), and nothing beyond what was sent was stored; the difference events − 2xx are requests the
      // service stored whose answer was not counted: in flight when the run stopped, or answered after the client's
      // 10-s timeout
      const unanswered = events - ok2xx;
      const noLoss = rows.n + rows.ch === events && counters === rows.n && unanswered >= 0 && events <= result.totalRequests;
      const votesPerSecond = ok2xx / (result.duration || wall);
      const genSeconds = (genCpu.user + genCpu.system) / 1e6;
      const perK = (s: number) => r2((s / ok2xx) * 1000);
      const figures: Record<string, number | string> = {
        service: label,
        'job runner': env.PLENARY_JOB_WORKERS === '0' ? 'off' : (env.PLENARY_JOB_RUNNER ?? 'service default'),
        participants: P,
        statements: S,
        connections,
        auth,
        'responses 2xx': ok2xx,
        'responses non-2xx or errors': non2xx + (result.errors ?? 0) + (result.timeouts ?? 0),
        'duration s': r2(result.duration),
        'votes/s': Math.round(votesPerSecond),
        'req/s lowest 1-s sample': Math.round(result.requests.min),
        'latency p50 ms': result.latency.p50,
        'latency p90 ms': result.latency.p90,
        'latency p99 ms': result.latency.p99,
        'latency max ms': result.latency.max,
        'vote rows': rows.n,
        'Σ changes (last vote wins)': rows.ch,
        'vote events': events,
        'statement counters Σ': counters,
        'stored, answer not counted (in flight at stop or after a client timeout)': unanswered,
        'no vote lost': noLoss ? 'yes' : 'NO',
        'recompute jobs queued': jobs.length,
        'recomputes finished during the burst': during.length,
        'server CPU s (all threads)': r2(serverCpu),
        'server CPU s per 1,000 votes': perK(serverCpu),
        'HTTP thread CPU s per 1,000 votes': perK(httpCpu),
        'other threads CPU s per 1,000 votes (job thread, GC, libuv)': perK(serverCpu - httpCpu),
        // process.cpuUsage() spans inside the job: process-wide, so it also counts the HTTP thread meanwhile (inline
        // and thread alike); an upper bound on the recomputes' own CPU
        'recompute CPU s during the burst (job results, process-wide: upper bound)': r2(recomputeCpu),
        'load generator CPU s': r2(genSeconds),
        'load generator share of CPU used': `${Math.round((100 * genSeconds) / (genSeconds + serverCpu))} %`,
        'server CPU / wall (cores busy)': r2(serverCpu / wall),
        'loadavg before': loadBefore,
        'loadavg after': loadAfter,
        'target ≥ 2000 votes/s': votesPerSecond >= 2000 ? 'met' : 'missed',
        'target p99 < 100 ms': result.latency.p99 < 100 ? 'met' : 'missed',
      };
      const notes = [
        `${cpus().length} cores, Node ${process.versions.node}; /proc/loadavg ${loadBefore} before, ${loadAfter} after (other work on the same cores)`,
        `status codes: ${JSON.stringify(statusCounts)}`,
        `per-second 2xx+non-2xx: ${JSON.stringify(result.requests.perSecond)}`,
      ];
      log(JSON.stringify(figures));
      if (typeof args.out === 'string') writeFileSync(args.out, JSON.stringify({ date: startedIso, figures, notes }, null, 2) + '\n');
      return { name: 'votes-http', figures, notes };
    } finally {
      if (server.child.exitCode === null) await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
