import cluster from 'node:cluster';
import { serve } from '@hono/node-server';
import type { Config } from './config.js';
import { buildService } from './build.js';
import { startJobRunner } from './job-runner.js';
import { seedDemo } from './seed/demo.js';

/**
 * With `httpWorkers` > 1 the process becomes a node:cluster primary: it migrates the database and seeds the demo
 * once, then forks that many HTTP processes sharing the port (connections are handed out round-robin) and the SQLite
 * file (WAL; writers take turns under busy_timeout). Process 0 also runs the job workers (in its job thread by
 * default: job-runner.ts); the others serve HTTP only.
 * The primary restarts a process that dies and passes SIGINT/SIGTERM on for a graceful stop.
 */
async function startPrimary(config: Config) {
  const { deps } = buildService(config); // opens SQLite and applies migrations, once
  if (config.demo) {
    const demo = await seedDemo(deps);
    if (demo.created) deps.logger.info({ assembly: demo.assemblyId }, 'demo assembly created');
  }
  await deps.models.close();
  // the primary's connection stays open (idle): the job queue may still publish events about the jobs seeding queued
  const log = deps.logger;
  let stopping = false;
  const fork = (index: number) => {
    const worker = cluster.fork({ PLENARY_WORKER_INDEX: String(index) });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      log.error({ index, code, signal }, 'HTTP process exited; starting another');
      setTimeout(() => fork(index), 1000);
    });
  };
  for (let i = 0; i < config.httpWorkers; i++) fork(i);
  log.info({ processes: config.httpWorkers }, 'HTTP processes started');
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    const check = setInterval(() => {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        clearInterval(check);
        process.exit(0);
      }
    }, 100);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** read config → open SQLite → migrate → build deps → serve + start the job runner (a worker thread by default). */
export async function startServer(config: Config) {
  if (config.httpWorkers > 1 && cluster.isPrimary) {
    await startPrimary(config);
    return null;
  }
  const index = cluster.isWorker ? Number(process.env.PLENARY_WORKER_INDEX ?? 0) : 0;
  if (index > 0) config = { ...config, jobWorkers: 0 }; // only the first HTTP process runs jobs
  const { app, deps } = buildService(config);
  const log = deps.logger;
  if (config.demo && !cluster.isWorker) { // with several HTTP processes, the primary seeded it
    const seeded = await seedDemo(deps);
    if (seeded.created) log.info({ assembly: seeded.assemblyId }, 'demo assembly created');
  }
  const jobRunner = startJobRunner(config, deps); // a worker thread by default (config.jobRunner)
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${info.port}`;
    log.info({ url, dataDir: config.dataDir, process: index, jobRunner: jobRunner.mode }, `Plenary is running at ${url}`);
    if (!config.logLevel.match(/silent/) && index === 0) process.stderr.write(`\nPlenary is running at ${url}${config.demo ? '  (demo: see README for sign-ins)' : ''}${cluster.isWorker ? `  (${config.httpWorkers} HTTP processes)` : ''}\n\n`);
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close();
    await jobRunner.stop({ deadlineMs: 10_000 });
    await deps.models.close();
    deps.db.$client.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return { server, deps, app };
}
