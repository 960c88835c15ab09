/**
 * votes-service: the opinion map as a facilitator waits for it, through the running service's own storage and job
 * runner — not the math on a matrix already in memory (that is `votes`).
 *
 *   npm run bench -- votes-service [--participants 100000] [--statements 10000] [--votes 10000000] [--seed 1]
 *                                  [--new-votes 1000] [--out FILE.json]
 *
 * 1. A child process writes the conversation into the service's SQLite file (votes-service-load.ts: heavy-tailed
 *    participation and fewer votes on later statements, as measured on the public Pol.is exports).
 * 2. The service starts on that file with its default job worker; a facilitator asks for the first map
 *    (requestRecompute → the job runner → conversations.recompute → a review draft): `firstMapSeconds`.
 * 3. The service is stopped and started again (a restart: the warm matrix is gone, the stored math state is not);
 *    members cast `--new-votes` votes through the vote verb; the next map is timed: `coldRecomputeSeconds`
 *    (a cold read of every vote + the warm-started math + the draft).
 * 4. `--new-votes` more votes, the next map: `incrementalRecomputeSeconds` (reads only the new votes).
 * Each time runs from the request to the review draft being stored; `peakRssMB` is this process's (the service's)
 * peak resident set; the loader's is apart. Targets (issue 18): cold ≤ 20 s, incremental ≤ 2 s, ≤ 2 GB.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { buildService } from '../../src/build.js';
import { buildConfig, ConfigSchema, type Config } from '../../src/config.js';
import { ctxFor, type Deps } from '../../src/deps.js';
import type { Actor } from '../../src/platform/context.js';
import { memberships, users } from '../../src/platform/db/schema.js';
import { newId } from '../../src/platform/ids.js';
import { requestRecompute, vote } from '../../src/modules/conversations/service.js';
import { createPrng } from '../../pipelines/votes/prng.js';
import type { Bench, BenchResult, EvalArgs } from '../harness.js';

const num = (args: EvalArgs, k: string, d: number) => (typeof args[k] === 'string' ? Number(args[k]) : d);
const here = dirname(fileURLToPath(import.meta.url));
const admin: Actor = { kind: 'user', id: 'bench-admin', role: 'admin', displayName: 'bench', language: 'en', via: 'token', assemblyIds: [] };

async function waitForJob(deps: Deps, id: string) {
  for (;;) {
    const row = deps.jobs.get(id)!;
    if (row.status === 'succeeded') return row;
    if (row.status === 'failed' || row.status === 'cancelled') throw new Error(`job ${id} ${row.status}: ${JSON.stringify(row.error ?? row.result)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** One map, timed from the facilitator's request to the stored review draft. */
async function timedMap(deps: Deps, assemblyId: string, conversationId: string) {
  const t0 = performance.now();
  const job = requestRecompute(ctxFor(deps, admin), deps.jobs, assemblyId, conversationId);
  const requestSeconds = (performance.now() - t0) / 1000;
  const row = await waitForJob(deps, job.id);
  const seconds = (performance.now() - t0) / 1000;
  const result = row.result as { status: string; reviewItemId?: string; k?: number; seconds?: { read: number; math: number; draft: number } };
  if (result.status !== 'ok' || !result.reviewItemId) throw new Error(`no draft: ${JSON.stringify(result)}`);
  const item = deps.db.$client.prepare('select length(payload) as bytes, provenance from review_items where id = ?').get(result.reviewItemId) as { bytes: number; provenance: string };
  const prov = JSON.parse(item.provenance) as { params: { load: string; voteWatermark: number } };
  return { seconds, requestSeconds, phases: result.seconds!, k: result.k ?? 0, draftBytes: item.bytes, load: prov.params.load, watermark: prov.params.voteWatermark };
}

/** `n` votes by fresh members through the service's vote verb (10 each, random statements). */
function castVotes(deps: Deps, assemblyId: string, conversationId: string, n: number, seed: number) {
  const rng = createPrng(seed, 5);
  const stmts = (deps.db.$client.prepare('select id from statements where conversation_id = ?').raw().all(conversationId) as [number][]).map((r) => r[0]);
  const t0 = performance.now();
  for (let m = 0; m * 10 < n; m++) {
    const uid = newId('u_');
    deps.db.insert(users).values({ id: uid, role: 'participant', displayName: `Bench member ${seed}-${m}` }).run();
    deps.db.insert(memberships).values({ assemblyId, userId: uid, pseudonym: `Bench member ${seed}-${m}` }).run();
    const ctx = ctxFor(deps, { kind: 'user', id: uid, role: 'participant', displayName: 'm', language: 'en', via: 'token', assemblyIds: [assemblyId] });
    for (let k = 0; k < Math.min(10, n - m * 10); k++) vote(ctx, deps.jobs, assemblyId, conversationId, { statementId: stmts[rng.int(stmts.length)], vote: [1, -1, 0][rng.int(3)] });
  }
  return (performance.now() - t0) / 1000;
}

function start(config: Config) {
  const { deps } = buildService(config, { logger: pino({ level: 'silent' }) });
  deps.jobs.start({ concurrency: config.jobWorkers });
  return deps;
}

async function stop(deps: Deps) {
  await deps.jobs.stop({ deadlineMs: 10_000 });
  deps.db.$client.close();
}

export const bench: Bench = {
  name: 'votes-service',
  description: 'opinion map through the service: SQLite → job runner → review draft; cold after a restart and incremental',
  async run(args, log): Promise<BenchResult> {
    const P = num(args, 'participants', 100_000), S = num(args, 'statements', 10_000), V = num(args, 'votes', 10_000_000);
    const seed = num(args, 'seed', 1), newVotes = num(args, 'new-votes', 1000);
    // --keep DIR: load into DIR once and keep it; later runs with the same DIR copy its loaded file instead of loading
    const keep = typeof args.keep === 'string' ? resolve(args.keep) : null;
    const dir = mkdtempSync(join(tmpdir(), 'plenary-votes-service-'));
    try {
      const config = buildConfig(ConfigSchema.parse({ dataDir: dir, logLevel: 'silent', jobWorkers: 1 }));
      const load0 = loadavg()[0];
      const kept = keep ? join(keep, `loaded-${P}-${S}-${V}-${seed}`) : null;
      let loaded: { assemblyId: string; conversationId: string; votes: number; seconds: number };
      if (kept && existsSync(join(kept, 'loaded.json'))) {
        copyFileSync(join(kept, 'plenary.sqlite'), config.dbFile);
        loaded = JSON.parse(readFileSync(join(kept, 'loaded.json'), 'utf8'));
        log(`reusing ${loaded.votes} votes loaded earlier into ${kept}`);
      } else {
        log(`loading ${P} participants × ${S} statements, ~${V} votes into ${config.dbFile} (child process)`);
        await start(config).jobs.stop(); // creates and migrates the file the way the service does
        const child = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'votes-service-load.ts'), config.dbFile, String(P), String(S), String(V), String(seed)], { encoding: 'utf8', maxBuffer: 1 << 20 });
        if (child.status !== 0) throw new Error(`loader failed: ${child.stderr}`);
        loaded = JSON.parse(child.stdout.trim().split('\n').at(-1)!);
        log(`loaded ${loaded.votes} votes in ${loaded.seconds.toFixed(1)} s`);
        if (kept) {
          mkdirSync(kept, { recursive: true });
          copyFileSync(config.dbFile, join(kept, 'plenary.sqlite'));
          writeFileSync(join(kept, 'loaded.json'), JSON.stringify(loaded));
        }
      }

      let deps = start(config);
      const first = await timedMap(deps, loaded.assemblyId, loaded.conversationId);
      log(`first map ever (no stored state): ${first.seconds.toFixed(2)} s, k = ${first.k}`);
      await stop(deps);

      deps = start(config); // restart: the matrix cache is empty, the stored math state is not
      const ingest1 = castVotes(deps, loaded.assemblyId, loaded.conversationId, newVotes, seed + 1);
      const cold = await timedMap(deps, loaded.assemblyId, loaded.conversationId);
      log(`after a restart and ${newVotes} new votes: ${cold.seconds.toFixed(2)} s (${cold.load} read)`);
      const ingest2 = castVotes(deps, loaded.assemblyId, loaded.conversationId, newVotes, seed + 2);
      const inc = await timedMap(deps, loaded.assemblyId, loaded.conversationId);
      log(`incremental after ${newVotes} more votes: ${inc.seconds.toFixed(2)} s (${inc.load} read)`);
      for (const [name, r] of [['first', first], ['cold', cold], ['incremental', inc]] as const) log(`  ${name}: request ${r.requestSeconds.toFixed(3)} s, read ${r.phases.read} s, math ${r.phases.math} s, draft ${r.phases.draft} s`);
      await stop(deps);
      const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
      const metrics = {
        votes: loaded.votes, participants: P, statements: S,
        loadSeconds: +loaded.seconds.toFixed(1),
        firstMapSeconds: +first.seconds.toFixed(2),
        coldRecomputeSeconds: +cold.seconds.toFixed(2),
        incrementalRecomputeSeconds: +inc.seconds.toFixed(2),
        coldReadSeconds: cold.phases.read, coldMathSeconds: cold.phases.math, coldDraftSeconds: cold.phases.draft,
        incrementalReadSeconds: inc.phases.read, incrementalMathSeconds: inc.phases.math, incrementalDraftSeconds: inc.phases.draft,
        coldRequestSeconds: +cold.requestSeconds.toFixed(3),
        incrementalRequestSeconds: +inc.requestSeconds.toFixed(3),
        newVotesPerSecondInProcess: Math.round((2 * newVotes) / (ingest1 + ingest2)),
        draftMB: +(inc.draftBytes / 1e6).toFixed(1),
        peakRssMB,
        k: inc.k,
        coldLoad: cold.load, incrementalLoad: inc.load,
        loadAvgStart: +load0.toFixed(2), loadAvgEnd: +loadavg()[0].toFixed(2),
        machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB`,
      };
      if (typeof args.out === 'string') {
        mkdirSync(dirname(resolve(args.out)), { recursive: true });
        writeFileSync(resolve(args.out), JSON.stringify({ bench: 'votes-service', date: new Date().toISOString(), metrics }, null, 2) + '\n');
      }
      return {
        name: 'votes-service',
        figures: metrics,
        notes: [
          'times run from the facilitator\'s request to the stored review draft, through SQLite (WAL file) and the job runner',
          'cold = first map after a service restart (every vote read again; the stored PCA/k-means state warm-starts the math)',
          'not covered: HTTP and page rendering of the draft, approval, the published map\'s page',
        ],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
