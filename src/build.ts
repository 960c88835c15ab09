import type { Logger } from 'pino';
import type { ModelRegistry } from '../models/types.js';
import { createRegistry } from '../models/registry.js';
import { createApp } from './app.js';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import type { Module } from './modules/index.js';
import { openDb, type Db } from './platform/db/client.js';
import { systemClock, type Clock } from './platform/ids.js';
import { createJobQueue } from './platform/jobs/index.js';
import { createLogger } from './platform/logger.js';
import { ReviewQueue } from './platform/review/queue.js';
import { ReviewRegistry } from './platform/review/registry.js';

/** The model registry for this service's config. */
export function modelsFor(config: Config): ModelRegistry {
  return createRegistry({ modelsDir: config.modelsDir, prefer: {}, threads: config.modelThreads, languages: config.languages });
}

/** Builds deps and the app. Tests pass their own db/models/logger; the server passes nothing. */
export function buildService(config: Config, over: { db?: Db; models?: ModelRegistry; logger?: Logger; clock?: Clock; modules?: Module[] } = {}) {
  const logger = over.logger ?? createLogger(config.logLevel);
  const db = over.db ?? openDb(config.dbFile);
  const reviewKinds = new ReviewRegistry();
  const clock = over.clock ?? systemClock;
  const deps: Deps = {
    config,
    db,
    logger,
    clock,
    models: over.models ?? modelsFor(config),
    jobs: createJobQueue({ db, logger, leaseSeconds: config.jobLeaseSeconds, clock: () => clock() }),
    review: new ReviewQueue(reviewKinds),
    reviewKinds,
  };
  const app = createApp(deps, over.modules);
  return { app, deps };
}
