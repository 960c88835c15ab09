/**
 * Small helpers shared by the adapters: a semaphore, file hashing (cached), command lookup,
 * child-process runs, provenance construction and event-loop yielding.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Provenance, TaskName } from './types.js';
import { ModelError } from './types.js';

/** Counting semaphore: at most `limit` holders at a time, FIFO. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {
    if (limit < 1) throw new Error('Semaphore limit must be ≥ 1');
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      const next = this.waiting.shift();
      if (next) next();
    }
  }
}

const hashCache = new Map<string, { mtimeMs: number; size: number; hash: string }>();

/** sha256 of one file, streamed; cached by path + mtime + size. */
export async function sha256File(file: string): Promise<string> {
  const st = await stat(file);
  const hit = hashCache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.hash;
  const hash = await new Promise<string>((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
  hashCache.set(file, { mtimeMs: st.mtimeMs, size: st.size, hash });
  return hash;
}

/**
 * One sha256 for a set of weight files: the sha256 of a single file, or, for several, the sha256 of
 * "<relative name>  <sha256>\n" lines sorted by name (stable whatever order the files are given in).
 */
export async function sha256Files(files: string[], base?: string): Promise<string> {
  if (files.length === 1) return sha256File(files[0]);
  const named: Array<[string, string]> = [];
  for (const f of files) named.push([base ? path.relative(base, f) : path.basename(f), await sha256File(f)]);
  return combineDigests(named);
}

/** The digest sha256Files gives several files, from their names and sha256 digests (sorted "name  digest" lines). */
export function combineDigests(named: Array<[string, string]>): string {
  if (named.length === 1) return named[0][1];
  const lines = named.map(([name, digest]) => `${name}  ${digest}`).sort();
  return createHash('sha256').update(lines.join('\n') + '\n').digest('hex');
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function fileExists(file: string): Promise<boolean> {
  try {
    await access(file, fsConstants.R_OK);
    return true;
  } catch {
    return false;
  }
}

const whichCache = new Map<string, string | null>();
/** Absolute path of an executable on PATH, or null. */
export async function which(cmd: string): Promise<string | null> {
  if (whichCache.has(cmd)) return whichCache.get(cmd) ?? null;
  let found: string | null = null;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cmd);
    try {
      await access(candidate, fsConstants.X_OK);
      found = candidate;
      break;
    } catch {
      /* next */
    }
  }
  whichCache.set(cmd, found);
  return found;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs a command (no shell unless argv[0] is 'sh'), feeding `input` on stdin; rejects on timeout. */
export function runCommand(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs) {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new ModelError('MODEL_FAILED', `${cmd} timed out after ${opts.timeoutMs} ms`, undefined, true));
      }, opts.timeoutMs);
    }
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code });
    });
    child.stdin.on('error', () => {
      /* reported through close/exit code */
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Lets the event loop run (HTTP requests) between chunks of synchronous work. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const require = createRequire(import.meta.url);
/** Version of an installed npm package, or 'unknown'. */
export function packageVersion(name: string): string {
  try {
    const pkgPath = require.resolve(`${name}/package.json`);
    return (require(pkgPath) as { version: string }).version;
  } catch {
    // some packages do not export package.json: walk up from the main entry
    try {
      let dir = path.dirname(require.resolve(name));
      for (let i = 0; i < 6; i++) {
        try {
          const pkg = require(path.join(dir, 'package.json')) as { name?: string; version?: string };
          if (pkg.name === name && pkg.version) return pkg.version;
        } catch {
          /* up */
        }
        dir = path.dirname(dir);
      }
    } catch {
      /* not installed */
    }
    return 'unknown';
  }
}

/** Directory of an installed npm package, or null when it is not installed. */
export function packageDir(name: string): string | null {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    try {
      let dir = path.dirname(require.resolve(name));
      for (let i = 0; i < 6; i++) {
        try {
          const pkg = require(path.join(dir, 'package.json')) as { name?: string };
          if (pkg.name === name) return dir;
        } catch {
          /* up */
        }
        dir = path.dirname(dir);
      }
    } catch {
      /* not installed */
    }
    return null;
  }
}

export function makeProvenance(
  task: TaskName,
  backend: string,
  modelId: string,
  version: string,
  weightsSha256: string | null,
  params: Record<string, unknown> = {},
): Provenance {
  return Object.freeze({ task, backend, modelId, version, weightsSha256, params: Object.freeze({ ...params }) });
}

/** Same provenance with call-specific params merged in. */
export function withParams(p: Provenance, params: Record<string, unknown>): Provenance {
  return { ...p, params: { ...p.params, ...params } };
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  n = Math.sqrt(n);
  if (n === 0) return v;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] / n;
  return out;
}

export function missing(what: string, fix: string): ModelError {
  return new ModelError('MISSING_BACKEND', what, fix);
}
