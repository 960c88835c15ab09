import type { Logger } from 'pino';
import type { ModelRegistry } from '../models/types.js';
import { createApp } from './app.js';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import type { Module } from './modules/index.js';
import type { Db } from './platform/db/client.js';
import { systemClock, type Clock } from './platform/ids.js';
import { createJobQueue } from './platform/jobs/index.js';
import { ReviewQueue } from './platform/review/queue.js';
import { ReviewRegistry } from './platform/review/registry.js';

/**
 * Deps and the app from an open database, a model registry and a logger. Shared by the Node service (build.ts, which
 * opens better-sqlite3 and the local model registry) and the Workers target (src/worker/service.ts: a Durable Object's
 * SQLite, no local models) — so both run the same createApp, and this file imports nothing Node-only.
 */
export function assembleService(config: Config, parts: { db: Db; models: ModelRegistry; logger: Logger; clock?: Clock; modules?: Module[]; workerId?: string }) {
  const { db, logger } = parts;
  const reviewKinds = new ReviewRegistry();
  const clock = parts.clock ?? systemClock;
  const deps: Deps = {
    config,
    db,
    logger,
    clock,
    models: parts.models,
    jobs: createJobQueue({ db, logger, leaseSeconds: config.jobLeaseSeconds, clock: () => clock(), workerId: parts.workerId }),
    review: new ReviewQueue(reviewKinds),
    reviewKinds,
  };
  const app = createApp(deps, parts.modules);
  return { app, deps };
}
