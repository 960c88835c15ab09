import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * Starts the Worker locally on workerd, offline, for tests and benchmarks: `wrangler deploy --dry-run --outdir`
 * builds exactly what `wrangler deploy` would upload (our build script, then wrangler's bundling with nodejs_compat),
 * and Miniflare (wrangler's local runtime, the one `wrangler dev` uses) serves it with SQLite-backed Durable Objects
 * persisted in a temporary directory, on a loopback port.
 */
export interface LocalWorker {
  url: string;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../..');

export async function buildWorker(opts: { test?: boolean } = {}): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'plenary-worker-build-'));
  await promisify(execFile)('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', out], {
    cwd: ROOT,
    env: { ...process.env, PLENARY_WORKER_TEST: opts.test ? '1' : '0', WRANGLER_SEND_METRICS: 'false', CI: '1' },
    maxBuffer: 16 << 20,
  });
  return join(out, 'index.js');
}

/** Why workerd cannot run here, or null when it can (checked before building). */
export function workerdUnavailable(): string | null {
  if (process.platform !== 'linux' && process.platform !== 'darwin') return `workerd has no build for ${process.platform}`;
  const pkg = `@cloudflare/workerd-${process.platform}-${process.arch === 'x64' ? '64' : process.arch}`;
  if (!existsSync(join(ROOT, 'node_modules', pkg, 'bin', 'workerd'))) return `the workerd binary (${pkg}) is not installed`;
  return null;
}

export async function startLocalWorker(opts: { test?: boolean; demo?: boolean; script?: string; vars?: Record<string, string> } = {}): Promise<LocalWorker> {
  // PLENARY_WORKER_SCRIPT: reuse a bundle built before (while iterating on tests only; CI always builds)
  const script = opts.script ?? process.env.PLENARY_WORKER_SCRIPT ?? (await buildWorker(opts));
  const persist = mkdtempSync(join(tmpdir(), 'plenary-worker-state-'));
  const { Miniflare } = await import('miniflare');
  const options = {
    modules: true,
    scriptPath: script,
    modulesRoot: dirname(script),
    compatibilityDate: '2025-09-01',
    compatibilityFlags: ['nodejs_compat'],
    durableObjects: { ASSEMBLY: { className: 'AssemblyObject', useSQLite: true }, DIRECTORY: { className: 'DirectoryObject', useSQLite: true } },
    durableObjectsPersist: join(persist, 'do'),
    r2Buckets: ['BLOBS'],
    r2Persist: join(persist, 'r2'),
    bindings: {
      PLENARY_LANGUAGES: 'fr,en',
      LOG_LEVEL: 'warn',
      PLENARY_AUTH_CACHE_SECONDS: '0',
      ...(opts.demo === false ? {} : { PLENARY_DEMO: '1' }),
      ...(opts.test ? { PLENARY_TEST: '1' } : {}),
      ...opts.vars,
    },
    host: '127.0.0.1',
    port: 0,
    cf: false,
  };
  const mf = new Miniflare(options);
  const url = (await mf.ready).toString().replace(/\/$/, '');
  return {
    url,
    async stop() {
      await mf.dispose();
      rmSync(persist, { recursive: true, force: true });
    },
  };
}
