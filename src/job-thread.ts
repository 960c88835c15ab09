import { parentPort, workerData } from 'node:worker_threads';
import { buildService } from './build.js';
import type { Config } from './config.js';
import type { FromJobThread, ToJobThread } from './job-runner.js';

/**
 * The job thread: its own service (SQLite connection, models, job handlers with their warm caches) running the job
 * loop, away from the HTTP thread's event loop. See job-runner.ts.
 */
const port = parentPort!;
const { config } = workerData as { config: Config };
const { deps } = buildService(config);
const send = (m: FromJobThread) => port.postMessage(m);
deps.jobs.subscribe('*', (event) => send({ type: 'event', event }));
deps.jobs.start({ concurrency: config.jobWorkers });
port.on('message', (m: ToJobThread) => {
  if (m.type === 'wake') deps.jobs.wake();
  else if (m.type === 'stop') {
    void (async () => {
      await deps.jobs.stop({ deadlineMs: m.deadlineMs });
      await deps.models.close();
      deps.db.$client.close();
      send({ type: 'stopped' });
      port.close();
    })();
  }
});
send({ type: 'ready' });
