import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads process.env. Parsed once at start; everything else receives the frozen Config.
 * Flags (from the CLI) win over environment variables, which win over defaults.
 */
const boolish = z
  .union([z.boolean(), z.string()])
  .transform((v) => (typeof v === 'boolean' ? v : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase())));

export const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8787),
  host: z.string().default('127.0.0.1'),
  dataDir: z.string().default('./data'),
  demo: boolish.default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** largest JSON/form body accepted, bytes */
  bodyLimit: z.coerce.number().int().positive().default(1_000_000),
  /** largest upload chunk accepted (CSV, audio chunks), bytes */
  uploadLimit: z.coerce.number().int().positive().default(50_000_000),
  sessionTtlHours: z.coerce.number().positive().default(12),
  /** 'auto' = Secure cookies unless served over plain http on a loopback host */
  cookieSecure: z.enum(['auto', 'always', 'never']).default('auto'),
  /** staff sign-in attempts per address per minute (page and API together; failures also back off per account) */
  signinRateLimit: z.coerce.number().int().positive().default(10),
  /** join / come-back attempts with an invitation code per address per minute (page and API together) */
  joinRateLimit: z.coerce.number().int().positive().default(60),
  /** write requests (votes, statements, …; pages and API) per minute: per account when signed in, per address otherwise */
  publicWriteRateLimit: z.coerce.number().int().positive().default(600),
  /** behind a reverse proxy: read the client address from X-Forwarded-For (its right-most entry) */
  trustProxy: boolish.default(false),
  jobWorkers: z.coerce.number().int().min(0).max(16).default(1),
  /**
   * Where the job workers run (`serve`): 'thread' (default) in a worker thread with its own SQLite connection to the
   * same WAL file, so recomputes and model jobs never hold the HTTP event loop; the HTTP thread only enqueues.
   * 'inline': on the HTTP thread, as before (an in-memory database always runs inline: a thread cannot share it).
   */
  jobRunner: z.enum(['thread', 'inline']).default('thread'),
  /**
   * HTTP server processes (node:cluster) sharing the port and the SQLite file (WAL). One Node process serves HTTP on
   * one core; more processes use more cores. The first one also runs the job workers; rate limits are per process.
   */
  httpWorkers: z.coerce.number().int().min(1).max(16).default(1),
  jobLeaseSeconds: z.coerce.number().int().positive().default(60),
  modelsDir: z.string().optional(),
  modelThreads: z.coerce.number().int().min(1).max(16).default(2),
  languages: z
    .union([z.array(z.string()), z.string()])
    .transform((v) => (Array.isArray(v) ? v : v.split(',').map((s) => s.trim()).filter(Boolean)))
    .default(['fr', 'en']),
  defaultLanguage: z.enum(['fr', 'en']).default('en'),
  /** seed for everything random that must be reproducible (UMAP, k-means, demo data) */
  seed: z.coerce.number().int().default(42),
  /** base URL of a Jitsi-compatible video service; a group's room is `${videoBase}/${room name}` */
  videoBase: z.string().url().default('https://meet.jit.si'),
  /** notification e-mails go through this relay (smtp://host:port); unset: no e-mail is ever queued or sent */
  smtpUrl: z.string().url().optional(),
  /** the sender address of notification e-mails */
  mailFrom: z.string().default('plenary@localhost'),
});

export type ConfigInput = z.input<typeof ConfigSchema>;
export type Config = Readonly<z.output<typeof ConfigSchema>> & {
  readonly dbFile: string;
  readonly modelsDir: string;
  readonly uploadsDir: string;
};

const ENV: Record<string, keyof ConfigInput> = {
  PORT: 'port',
  HOST: 'host',
  PLENARY_DATA_DIR: 'dataDir',
  PLENARY_DEMO: 'demo',
  LOG_LEVEL: 'logLevel',
  PLENARY_BODY_LIMIT: 'bodyLimit',
  PLENARY_UPLOAD_LIMIT: 'uploadLimit',
  PLENARY_SESSION_TTL_HOURS: 'sessionTtlHours',
  PLENARY_COOKIE_SECURE: 'cookieSecure',
  PLENARY_SIGNIN_RATE_LIMIT: 'signinRateLimit',
  PLENARY_PUBLIC_WRITE_RATE_LIMIT: 'publicWriteRateLimit',
  PLENARY_JOIN_RATE_LIMIT: 'joinRateLimit',
  PLENARY_TRUST_PROXY: 'trustProxy',
  PLENARY_JOB_WORKERS: 'jobWorkers',
  PLENARY_JOB_RUNNER: 'jobRunner',
  PLENARY_HTTP_WORKERS: 'httpWorkers',
  PLENARY_JOB_LEASE_SECONDS: 'jobLeaseSeconds',
  PLENARY_MODELS_DIR: 'modelsDir',
  PLENARY_MODEL_THREADS: 'modelThreads',
  PLENARY_LANGUAGES: 'languages',
  PLENARY_SEED: 'seed',
  PLENARY_VIDEO_BASE: 'videoBase',
  PLENARY_SMTP_URL: 'smtpUrl',
  PLENARY_MAIL_FROM: 'mailFrom',
};

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env, flags: Partial<ConfigInput> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV)) if (env[name] !== undefined && env[name] !== '') raw[key] = env[name];
  Object.assign(raw, Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)));
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return buildConfig(parsed.data);
}

export function buildConfig(c: z.output<typeof ConfigSchema>): Config {
  const dataDir = c.dataDir === ':memory:' ? ':memory:' : resolve(c.dataDir);
  const inMemory = dataDir === ':memory:';
  return Object.freeze({
    ...c,
    dataDir,
    dbFile: inMemory ? ':memory:' : resolve(dataDir, 'plenary.sqlite'),
    modelsDir: c.modelsDir ? resolve(c.modelsDir) : inMemory ? resolve('models-dir') : resolve(dataDir, 'models'),
    uploadsDir: inMemory ? resolve('.tmp/uploads') : resolve(dataDir, 'uploads'),
  });
}

/** Config for tests: in-memory database, quiet logs, overridable. */
export function testConfig(overrides: Partial<ConfigInput> = {}): Config {
  return buildConfig(ConfigSchema.parse({ dataDir: ':memory:', logLevel: 'silent', jobWorkers: 0, ...overrides }));
}
