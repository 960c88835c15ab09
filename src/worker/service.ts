import { eq } from 'drizzle-orm';
import bundled from 'virtual:plenary-files';
import { ModelError, type ModelRegistry } from '../../models/types.js';
import { assembleService } from '../build-deps.js';
import { buildConfig, ConfigSchema } from '../config.js';
import type { Deps } from '../deps.js';
import type { App } from '../app.js';
import { openDurableDb, type DurableStorageLike } from '../platform/db/do-sqlite.js';
import { assemblies } from '../platform/db/schema.js';
import { createLogger } from '../platform/logger.js';
import { seedDemo } from '../seed/demo.js';
import { AUTH_EPOCH_DDL } from '../platform/db/auth-epoch.js';
import { migrateDurable } from './migrations.js';
import type { WorkerEnv } from './types.js';

/**
 * One Durable Object's Plenary: its SQLite (migrated on first use), the same createApp(deps) as the Node service,
 * no local models (analysis jobs are leased by Node workers over the job API), no job loop (the queue keeps leases).
 */
export interface ObjectService {
  app: App;
  deps: Deps;
  storage: DurableStorageLike;
}

/** Model tasks are not run on Workers: they are queued as jobs for Node workers. */
const remoteOnlyModels: ModelRegistry = {
  async get(task) {
    throw new ModelError('MISSING_BACKEND', `The ${task} model does not run on Cloudflare Workers.`, 'Run a Node worker: plenary worker --remote <URL> --token <T>');
  },
  status: async () => [],
  tools: async () => [],
  close: async () => {},
};

export function workerConfig(env: WorkerEnv) {
  return buildConfig(
    ConfigSchema.parse({
      dataDir: '/data',
      logLevel: env.LOG_LEVEL ?? 'warn',
      jobWorkers: 0,
      trustProxy: true, // the Worker passes the client's address in x-forwarded-for
      demo: env.PLENARY_DEMO,
      languages: env.PLENARY_LANGUAGES,
      publicWriteRateLimit: env.PLENARY_PUBLIC_WRITE_RATE_LIMIT,
      cookieSecure: 'auto',
    }),
  );
}

export async function openObjectService(storage: DurableStorageLike, env: WorkerEnv, name: string): Promise<ObjectService> {
  await migrateDurable(storage, bundled);
  storage.sql.exec('create table if not exists worker_mirror (hash text primary key, kind text not null)');
  // the credential cache's counter and triggers (platform/db/auth-epoch.ts), created at start-up as on Node
  for (const q of AUTH_EPOCH_DDL) storage.sql.exec(q);
  const config = workerConfig(env);
  const db = openDurableDb(storage);
  const { app, deps } = assembleService(config, { db, models: remoteOnlyModels, logger: createLogger(config.logLevel), workerId: `do-${name}` });
  return { app, deps, storage };
}

/** Creates the demo in this database (the directory does it once; assembly objects adopt their rows from it). */
export async function ensureDemo(svc: ObjectService): Promise<{ created: boolean; assemblyId: string }> {
  return seedDemo(svc.deps);
}

export const assemblyExists = (svc: ObjectService, id: string) => !!svc.deps.db.select({ id: assemblies.id }).from(assemblies).where(eq(assemblies.id, id)).get();
