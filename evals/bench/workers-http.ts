/**
 * Participant reads and votes over HTTP, side by side: the Node service (createApp on @hono/node-server, SQLite WAL on
 * a temp file) and the Cloudflare Workers target on local workerd (Miniflare, the bundle `wrangler deploy` uploads,
 * one SQLite Durable Object for the assembly behind the Worker). Both are set up the same way, through their HTTP
 * API: the demo seeded, a conversation with S statements, P members who joined with invitation codes (cookie sessions).
 *
 *   npm run bench -- workers-http [--participants 40] [--statements 60] [--seconds 10] [--connections 16]
 *
 * Phases (autocannon in a worker thread, `--seconds` each): reads (`GET …/conversations/{id}/next` and
 * `GET …/conversations/{id}`, the participant's voting screen), then votes (`POST …/votes`). Afterwards each target's
 * vote count is checked: every 2xx vote is one vote event in the conversation (none lost, none doubled).
 * Local workerd is not Cloudflare's network: the figures compare the two engines on one loaded machine, nothing more.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { buildService } from '../../src/build.js';
import { buildConfig, ConfigSchema } from '../../src/config.js';
import { seedDemo } from '../../src/seed/demo.js';
import { freePort } from '../../src/testing/net.js';
import { startLocalWorker } from '../../src/worker/harness.js';
import type { Bench, BenchResult, EvalArgs } from '../harness.js';

const num = (args: EvalArgs, k: string, d: number) => (typeof args[k] === 'string' ? Number(args[k]) : d);

interface Target {
  name: string;
  url: string;
  voteEvents(conversationId: string): Promise<number>;
  stop(): Promise<void>;
}

async function nodeTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-workers-bench-'));
  const config = buildConfig(ConfigSchema.parse({ dataDir: dir, logLevel: 'silent', jobWorkers: 0, publicWriteRateLimit: 100_000_000, joinRateLimit: 100_000 }));
  const { app, deps } = buildService(config, { logger: pino({ level: 'silent' }) });
  await seedDemo(deps);
  const port = await freePort();
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  return {
    name: 'node',
    url: `http://127.0.0.1:${port}`,
    voteEvents: async (id) => (deps.db.$client.prepare('select vote_events as n from conversations where id = ?').get(id) as { n: number }).n,
    async stop() {
      server.close();
      deps.db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function workerTarget(assemblyOf: () => string): Promise<Target> {
  const w = await startLocalWorker({ test: true, vars: { PLENARY_PUBLIC_WRITE_RATE_LIMIT: '100000000', PLENARY_AUTH_CACHE_SECONDS: '5' } });
  return {
    name: 'worker',
    url: w.url,
    async voteEvents(id) {
      const r = await fetch(`${w.url}/__test/sql`, { method: 'POST', headers: { 'x-plenary-test-assembly': assemblyOf() }, body: JSON.stringify({ sql: 'select vote_events as n from conversations where id = ?', params: [id] }) });
      return ((await r.json()) as { n: number }[])[0].n;
    },
    stop: () => w.stop(),
  };
}

/** the same set-up on both, through the API */
async function setUp(url: string, P: number, S: number) {
  const post = async (path: string, body: unknown, s?: { cookie: string; csrf: string }) => {
    const r = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}) }, body: JSON.stringify(body) });
    if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return { json: (await r.json()) as Record<string, unknown>, cookie: /plenary_session=[^;]+/.exec(r.headers.get('set-cookie') ?? '')?.[0] ?? '' };
  };
  const si = await post('/api/auth/signin', { username: 'facilitator', password: 'plenary-facilitator' });
  const fac = { cookie: si.cookie, csrf: String(si.json.csrfToken) };
  const list = (await (await fetch(`${url}/api/assemblies`, { headers: { cookie: fac.cookie } })).json()) as { id: string; slug: string }[];
  const assemblyId = list.find((a) => a.slug === 'demo-mobility')!.id;
  const A = `/api/assemblies/${assemblyId}`;
  const conv = String((await post(`${A}/conversations`, { topic: 'Load test conversation', recomputeEvery: 0 }, fac)).json.id);
  const statementIds: number[] = [];
  for (let i = 0; i < S; i++) statementIds.push(Number((await post(`${A}/conversations/${conv}/seed-statements`, { text: `Load test statement number ${i}` }, fac)).json.id));
  const codes = (await post(`${A}/invitations`, { count: P }, fac)).json.codes as string[];
  const sessions = [];
  for (const [i, code] of codes.entries()) {
    const j = await post('/api/auth/join', { code, pseudonym: `Load${i}` });
    sessions.push({ cookie: j.cookie, csrf: String(j.json.csrfToken) });
  }
  return { assemblyId, conv, statementIds, sessions, A };
}

function load(data: Record<string, unknown>): Promise<{ duration: number; ok: number; errors: number; timeouts: number; total: number; p50: number; p99: number; statusCounts: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./workers-http-load.mjs', import.meta.url), { workerData: data });
    w.once('message', (m: { error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m as never)));
    w.once('error', reject);
  });
}

export const bench: Bench = {
  name: 'workers-http',
  description: 'participant reads and votes: Node service vs the Workers target on local workerd, side by side',
  async run(args, log): Promise<BenchResult> {
    const P = num(args, 'participants', 40);
    const S = num(args, 'statements', 60);
    const seconds = num(args, 'seconds', 10);
    const connections = num(args, 'connections', 16);
    const rows: Array<Record<string, number | string>> = [];
    const figures: Record<string, number | string> = { participants: P, statements: S, seconds, connections, 'loadavg before': loadavg().map((x) => x.toFixed(2)).join(' ') };
    let assemblyId = '';
    for (const make of [nodeTarget, () => workerTarget(() => assemblyId)]) {
      const t0 = performance.now();
      const t = await make();
      log(`${t.name}: started in ${Math.round(performance.now() - t0)} ms at ${t.url}; setting up ${P} members, ${S} statements`);
      try {
        const s = await setUp(t.url, P, S);
        assemblyId = s.assemblyId;
        const base = { url: t.url, sessions: s.sessions, statementIds: s.statementIds, seconds, connections, seed: 7 };
        const reads = await load({ ...base, method: 'GET', paths: [`${s.A}/conversations/${s.conv}/next`, `${s.A}/conversations/${s.conv}`] });
        const before = await t.voteEvents(s.conv);
        const votes = await load({ ...base, method: 'POST', paths: [`${s.A}/conversations/${s.conv}/votes`] });
        const after = await t.voteEvents(s.conv);
        for (const [phase, r] of [['reads', reads], ['votes', votes]] as const) {
          const answered = Object.values(r.statusCounts).reduce((a, b) => a + b, 0);
          rows.push({ target: t.name, phase, 'req/s (2xx)': Math.round(r.ok / r.duration), p50_ms: r.p50, p99_ms: r.p99, '2xx': r.ok, 'other statuses': answered - r.ok, 'cut at the end': r.total - answered, errors: r.errors + r.timeouts, statuses: JSON.stringify(r.statusCounts) });
        }
        figures[`${t.name} reads/s`] = Math.round(reads.ok / reads.duration);
        figures[`${t.name} reads p99 ms`] = reads.p99;
        figures[`${t.name} votes/s`] = Math.round(votes.ok / votes.duration);
        figures[`${t.name} votes p99 ms`] = votes.p99;
        // requests still in flight when the run stopped were sent but never answered: the server may have stored them
        const cut = votes.total - Object.values(votes.statusCounts).reduce((a, b) => a + b, 0);
        const events = after - before;
        figures[`${t.name} vote events vs 2xx`] = `${events} events, ${votes.ok} 2xx, ${cut} cut: ${events >= votes.ok && events <= votes.ok + cut ? 'consistent' : 'INCONSISTENT'}`;
        log(`${t.name}: reads ${figures[`${t.name} reads/s`]}/s p99 ${reads.p99} ms; votes ${figures[`${t.name} votes/s`]}/s p99 ${votes.p99} ms`);
      } finally {
        await t.stop();
      }
    }
    figures['loadavg after'] = loadavg().map((x) => x.toFixed(2)).join(' ');
    return { name: 'workers-http', figures, rows, notes: ['Same machine, same client, sequential phases; local workerd runs the Worker and its Durable Objects in one process.'] };
  },
};
