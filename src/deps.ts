import type { Logger } from 'pino';
import type { ModelRegistry } from '../models/types.js';
import type { Config } from './config.js';
import type { Actor, Ctx } from './platform/context.js';
import type { Db } from './platform/db/client.js';
import type { Clock } from './platform/ids.js';
import type { JobQueue } from './platform/jobs/index.js';
import type { ReviewQueue } from './platform/review/queue.js';
import type { ReviewRegistry } from './platform/review/registry.js';

/** Everything the app is built from. Tests build it with an in-memory db and fake or real models. */
export interface Deps {
  config: Config;
  db: Db;
  logger: Logger;
  clock: Clock;
  models: ModelRegistry;
  jobs: JobQueue;
  review: ReviewQueue;
  reviewKinds: ReviewRegistry;
}

export function ctxFor(deps: Deps, actor: Actor, logger?: Logger): Ctx {
  return { db: deps.db, actor, clock: deps.clock, logger: logger ?? deps.logger, config: deps.config };
}
