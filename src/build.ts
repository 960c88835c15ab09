import type { Logger } from 'pino';
import type { ModelRegistry } from '../models/types.js';
import { createRegistry } from '../models/registry.js';
import { assembleService } from './build-deps.js';
import type { Config } from './config.js';
import type { Module } from './modules/index.js';
import { openDb, type Db } from './platform/db/client.js';
import type { Clock } from './platform/ids.js';
import { createLogger } from './platform/logger.js';

/** The model registry for this service's config. */
export function modelsFor(config: Config): ModelRegistry {
  return createRegistry({ modelsDir: config.modelsDir, prefer: {}, threads: config.modelThreads, languages: config.languages });
}

/** Builds deps and the app. Tests pass their own db/models/logger; the server passes nothing. */
export function buildService(config: Config, over: { db?: Db; models?: ModelRegistry; logger?: Logger; clock?: Clock; modules?: Module[] } = {}) {
  return assembleService(config, {
    db: over.db ?? openDb(config.dbFile),
    models: over.models ?? modelsFor(config),
    logger: over.logger ?? createLogger(config.logLevel),
    clock: over.clock,
    modules: over.modules,
  });
}
