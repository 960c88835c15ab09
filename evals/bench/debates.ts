/**
 * A debate with 10,000 comments: how long the first page takes to render, through the real service (createApp,
 * SQLite WAL on a temp file, @hono/node-server on 127.0.0.1, a participant's API token), sequential requests.
 *
 *   npm run bench -- debates [--comments 10000] [--threads-share 0.25] [--requests 60] [--no-save]
 *
 * The comments are written through the service's own verb (addComment: one transaction each, counters, audit,
 * notifications of 20 subscribers), a realistic mix: a quarter top-level, the rest replies to a random earlier
 * comment (recent ones more likely), 20–900 characters, 2 % hidden by a facilitator. Target: the first page
 * (HTML) in ≤ 200 ms. Baseline in the same run: the same requests after dropping the thread indexes
 * (debate_comments_threads, _root, _parent), which shows what the indexes buy.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { buildService } from '../../src/build.js';
import { buildConfig, ConfigSchema } from '../../src/config.js';
import { ctxFor } from '../../src/deps.js';
import { createApiToken } from '../../src/platform/auth/sessions.js';
import { assemblies, memberships, users } from '../../src/platform/db/schema.js';
import { newId } from '../../src/platform/ids.js';
import { subscriptionsApi } from '../../src/platform/subscriptions/index.js';
import { addComment, createDebate, hideComment } from '../../src/modules/debates/service.js';
import type { Bench, BenchResult, EvalArgs } from '../harness.js';

const num = (args: EvalArgs, k: string, d: number) => (typeof args[k] === 'string' ? Number(args[k]) : d);

/** mulberry32: a small seeded PRNG so every run writes the same debate */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ('the city centre cars buses bikes air noise shops children school parking delivery trade elderly access ' +
  'cost tax budget pollution health street square market tram night weekend residents visitors jobs safety ' +
  'je pense que nous devrions la ville les voitures mais aussi pour contre parce que').split(' ');

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const round = (x: number) => Math.round(x * 10) / 10;

export const bench: Bench = {
  name: 'debates',
  description: 'first page of a 10,000-comment debate over HTTP (HTML and JSON), with and without the thread indexes',
  async run(args, log): Promise<BenchResult> {
    const N = num(args, 'comments', 10_000);
    const share = num(args, 'threads-share', 0.25);
    const R = num(args, 'requests', 60);
    const load0 = loadavg().map((x) => x.toFixed(2)).join(' ');
    const dir = mkdtempSync(join(tmpdir(), 'plenary-debates-'));
    const config = buildConfig(ConfigSchema.parse({ dataDir: dir, logLevel: 'silent', jobWorkers: 0 }));
    const { app, deps } = buildService(config, { logger: pino({ level: 'silent' }) });
    const db = deps.db;
    const rand = rng(42);
    try {
      const assemblyId = newId('asm_');
      db.insert(assemblies).values({ id: assemblyId, slug: `bench-${assemblyId}`, title: 'Bench assembly' }).run();
      const members: string[] = [];
      db.transaction((tx) => {
        for (let i = 0; i < 300; i++) {
          const id = newId('u_');
          tx.insert(users).values({ id, role: 'participant', displayName: `Member ${i}` }).run();
          tx.insert(memberships).values({ assemblyId, userId: id, pseudonym: `Member ${i}` }).run();
          members.push(id);
        }
      });
      const facilitator = newId('u_');
      db.insert(users).values({ id: facilitator, role: 'facilitator', displayName: 'Facilitator' }).run();
      const fac = ctxFor(deps, { kind: 'user', id: facilitator, role: 'facilitator', displayName: 'Facilitator', language: 'en', via: 'token', assemblyIds: [] });
      const actor = (i: number) => ctxFor(deps, { kind: 'user', id: members[i], role: 'participant', displayName: `Member ${i}`, language: 'en', via: 'token', assemblyIds: [assemblyId] });
      const debate = createDebate(fac, assemblyId, { title: 'Should the city centre be car-free?', description: 'A bench debate.' });
      db.transaction((tx) => {
        for (let i = 0; i < 20; i++) subscriptionsApi.subscribe(tx, { userId: members[i], assemblyId, subject: `debate:${debate.id}` });
      });
      log(`writing ${N} comments through addComment (SQLite file ${config.dbFile})`);
      const t0 = performance.now();
      const ids: number[] = [];
      const hidden = new Set<number>();
      const alignments = ['in_favour', 'against', 'neutral'] as const;
      for (let i = 0; i < N; i++) {
        const len = 20 + Math.floor(rand() ** 2 * 880);
        let body = '';
        while (body.length < len) body += `${WORDS[Math.floor(rand() * WORDS.length)]} `;
        const top = i === 0 || rand() < share;
        // replies: recent comments are more likely to be answered
        let parentId: number | null = null;
        while (!top && (parentId === null || hidden.has(parentId))) parentId = ids[Math.max(0, ids.length - 1 - Math.floor(rand() ** 3 * ids.length))];
        const c = addComment(actor(Math.floor(rand() * members.length)), null, assemblyId, debate.id, { body: body.trim(), alignment: alignments[Math.floor(rand() * 3)], parentId });
        ids.push(c.id);
        if (i > 0 && rand() < 0.02) {
          hideComment(fac, assemblyId, debate.id, c.id, 'Off topic.');
          hidden.add(c.id);
        }
        if (i % 2000 === 1999) log(`  ${i + 1} comments`);
      }
      const writeSeconds = (performance.now() - t0) / 1000;
      const stats = db.$client.prepare('select count(*) as n, sum(depth = 0) as threads, max(depth) as maxDepth, sum(status = \'hidden\') as hidden from debate_comments where debate_id = ?').get(debate.id) as Record<string, number>;
      log(`  ${stats.n} comments, ${stats.threads} threads, depth ≤ ${stats.maxDepth}, ${stats.hidden} hidden; written in ${writeSeconds.toFixed(1)} s`);

      const token = createApiToken(db, members[0], 'bench').token;
      const server = await new Promise<{ close(): void; base: string }>((resolve) => {
        const srv = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve({ close: () => srv.close(), base: `http://127.0.0.1:${info.port}` }));
      });
      const lastThread = (db.$client.prepare('select id from debate_comments where debate_id = ? and depth = 0 order by id desc limit 21').all(debate.id) as { id: number }[]).at(-1)!.id;
      const paths = {
        firstPageHtml: `/a/${assemblyId}/debates/${debate.id}`,
        firstPageJson: `/api/assemblies/${assemblyId}/debates/${debate.id}/comments`,
        lastPageHtml: `/a/${assemblyId}/debates/${debate.id}?after=${lastThread}`,
      };
      const time = async (path: string) => {
        const ms: number[] = [];
        let bytes = 0;
        for (let i = 0; i < R + 5; i++) {
          const t = performance.now();
          const res = await fetch(server.base + path, { headers: { authorization: `Bearer ${token}`, accept: path.startsWith('/api') ? 'application/json' : 'text/html' } });
          const body = await res.text();
          if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
          if (i >= 5) ms.push(performance.now() - t);
          bytes = body.length;
        }
        return { p50: round(pct(ms, 50)), p95: round(pct(ms, 95)), max: round(Math.max(...ms)), kb: round(bytes / 1024) };
      };
      const figures: Record<string, number | string> = { comments: stats.n, threads: stats.threads, maxDepth: stats.maxDepth, hidden: stats.hidden, writeSeconds: round(writeSeconds), requestsEach: R };
      const rows: Array<Record<string, number | string>> = [];
      for (const [name, path] of Object.entries(paths)) {
        const r = await time(path);
        log(`  ${name}: p50 ${r.p50} ms, p95 ${r.p95} ms, max ${r.max} ms (${r.kb} KB)`);
        rows.push({ variant: 'indexed', request: name, ...r });
        figures[`${name}P50Ms`] = r.p50;
        figures[`${name}P95Ms`] = r.p95;
      }
      db.$client.exec('drop index debate_comments_threads; drop index debate_comments_root; drop index debate_comments_parent; analyze;');
      for (const [name, path] of Object.entries(paths)) {
        const r = await time(path);
        log(`  without thread indexes, ${name}: p50 ${r.p50} ms, p95 ${r.p95} ms`);
        rows.push({ variant: 'no thread indexes (baseline)', request: name, ...r });
        figures[`baselineNoIndex_${name}P50Ms`] = r.p50;
      }
      server.close();
      const load1 = loadavg().map((x) => x.toFixed(2)).join(' ');
      figures.loadavgStart = load0;
      figures.loadavgEnd = load1;
      const target = Number(figures.firstPageHtmlP95Ms) <= 200 ? 'met' : 'MISSED';
      const result: BenchResult = {
        name: 'debates',
        figures,
        rows,
        notes: [
          `First page (HTML, ${rows[0].kb} KB): p95 ${figures.firstPageHtmlP95Ms} ms — the ≤ 200 ms target is ${target}.`,
          `Load average (1/5/15 min) ${load0} at start, ${load1} at the end (/proc/loadavg; the machine is shared).`,
        ],
      };
      if (args['no-save'] !== true) save(result, { N, share, R });
      return result;
    } finally {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

function save(r: BenchResult, params: { N: number; share: number; R: number }) {
  const machine = `${cpus().length} cores / ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.versions.node}`;
  writeFileSync(new URL('./results/debates.json', import.meta.url), JSON.stringify({ date: new Date().toISOString(), machine, params, ...r }, null, 2) + '\n');
  const md = new URL('./RESULTS.md', import.meta.url);
  const cur = existsSync(md) ? readFileSync(md, 'utf8') : '# Benchmark results\n';
  const section = [
    `## debates (first page of a 10,000-comment debate) — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- Machine: ${machine}. Command: \`npm run bench -- debates --comments ${params.N} --threads-share ${params.share} --requests ${params.R}\`. Raw output: \`evals/bench/results/debates.json\`.`,
    '- Setup: the real app on @hono/node-server (127.0.0.1), SQLite WAL on a temp file, comments written through addComment; sequential GETs with a participant\'s API token, 5 warm-up requests dropped.',
    ...(r.notes ?? []).map((n) => `- ${n}`),
    '',
    '| variant | request | p50 ms | p95 ms | max ms | KB |',
    '|---|---|---|---|---|---|',
    ...(r.rows ?? []).map((x) => `| ${x.variant} | ${x.request} | ${x.p50} | ${x.p95} | ${x.max} | ${x.kb} |`),
    '',
    `Corpus: ${r.figures.comments} comments, ${r.figures.threads} threads, depth ≤ ${r.figures.maxDepth}, ${r.figures.hidden} hidden; written in ${r.figures.writeSeconds} s.`,
    '',
  ].join('\n');
  const re = /## debates \(first page of a 10,000-comment debate\)[\s\S]*?(?=\n## |$)/;
  writeFileSync(md, re.test(cur) ? cur.replace(re, section.trimEnd() + '\n') : cur.trimEnd() + '\n\n' + section);
}
