import { serve } from '@hono/node-server';
import type { Config } from './config.js';
import { buildService } from './build.js';
import { seedDemo } from './seed/demo.js';

/** read config → open SQLite → migrate → build deps → serve + start the job runner. */
export async function startServer(config: Config) {
  const { app, deps } = buildService(config);
  const log = deps.logger;
  if (config.demo) {
    const demo = await seedDemo(deps);
    if (demo.created) log.info({ assembly: demo.assemblyId }, 'demo assembly created');
  }
  if (config.jobWorkers > 0) deps.jobs.start({ concurrency: config.jobWorkers });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${info.port}`;
    log.info({ url, dataDir: config.dataDir }, `Plenary is running at ${url}`);
    if (!config.logLevel.match(/silent/)) process.stderr.write(`\nPlenary is running at ${url}${config.demo ? '  (demo: see README for sign-ins)' : ''}\n\n`);
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close();
    await deps.jobs.stop({ deadlineMs: 10_000 });
    await deps.models.close();
    deps.db.$client.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return { server, deps, app };
}
