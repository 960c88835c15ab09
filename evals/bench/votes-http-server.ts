/**
 * The service under test for votes-http.ts: `plenary serve` (exactly what `npm start` runs) in a child process, from
 * this checkout or from another one (`--root DIR`, e.g. a `git worktree` of an older commit), its data written
 * straight into its SQLite file (the same tables at every commit this bench compares), and its CPU time read from
 * /proc so that the server's cost per vote is measured apart from the load generator's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort } from '../../src/testing/net.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = (bytes: number) => randomBytes(bytes).toString('base64url');

export interface ServerOptions {
  root: string;
  dataDir: string;
  env: Record<string, string>;
  httpWorkers: number;
  /** extra node flags for the server (e.g. --cpu-prof) */
  nodeFlags: string[];
}

export interface RunningServer {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const port = await freePort();
  const args = [...o.nodeFlags, ...process.execArgv, join(o.root, 'src/cli.ts'), 'serve', '--port', String(port), '--data-dir', o.dataDir];
  if (o.httpWorkers > 1) args.push('--http-workers', String(o.httpWorkers));
  const child = spawn(process.execPath, args, { cwd: o.root, env: { ...process.env, LOG_LEVEL: 'warn', ...o.env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitReady(`http://127.0.0.1:${port}/healthz`, 120_000, child);
  return {
    child,
    port,
    async stop() {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
    },
  };
}

async function waitReady(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited (code ${child.exitCode}) before answering ${url}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > until) throw new Error(`the service did not answer ${url} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface Fixture {
  assemblyId: string;
  conversationId: string;
  statementIds: number[];
  tokens: string[];
  cookies: { cookie: string; csrf: string }[];
}

/**
 * An assembly, P participants (members, each with an API token and a signed-in session), a post-moderated
 * conversation that queues a recompute every `recomputeEvery` votes, and S accepted statements — written in one
 * transaction into the running service's database (WAL: the service keeps serving meanwhile).
 */
export function seed(dbFile: string, P: number, S: number, recomputeEvery: number): Fixture {
  const db = new Database(dbFile);
  db.pragma('busy_timeout = 10000');
  const suffix = token(6).toLowerCase().replace(/[^a-z0-9]/g, 'x');
  const assemblyId = `asm_bench${suffix}`;
  const conversationId = `conv_bench${suffix}`;
  const tokens: string[] = [];
  const cookies: { cookie: string; csrf: string }[] = [];
  const expires = new Date(Date.now() + 12 * 3600_000).toISOString();
  const tokenExpires = new Date(Date.now() + 90 * 86400_000).toISOString();
  const tokenCols = (db.prepare('pragma table_info(api_tokens)').all() as { name: string }[]).some((c) => c.name === 'expires_at');
  db.transaction(() => {
    db.prepare('insert into assemblies (id, slug, title) values (?, ?, ?)').run(assemblyId, `bench-${suffix}`, 'Bench assembly');
    const u = db.prepare("insert into users (id, role, display_name) values (?, 'participant', ?)");
    const m = db.prepare('insert into memberships (assembly_id, user_id, pseudonym) values (?, ?, ?)');
    const t = tokenCols
      ? db.prepare('insert into api_tokens (id, user_id, name, token_hash, expires_at) values (?, ?, ?, ?, ?)')
      : db.prepare('insert into api_tokens (id, user_id, name, token_hash) values (?, ?, ?, ?)');
    const s = db.prepare('insert into sessions (id_hash, user_id, csrf_token, expires_at) values (?, ?, ?, ?)');
    for (let i = 0; i < P; i++) {
      const uid = `u_bench${suffix}${i}`;
      u.run(uid, `P${i}`);
      m.run(assemblyId, uid, `P${i}`);
      const tok = `pln_${token(30)}`;
      if (tokenCols) t.run(`tok_bench${suffix}${i}`, uid, 'bench', sha256(tok), tokenExpires);
      else t.run(`tok_bench${suffix}${i}`, uid, 'bench', sha256(tok));
      tokens.push(tok);
      const cookie = token(32), csrf = token(24);
      s.run(sha256(cookie), uid, csrf, expires);
      cookies.push({ cookie, csrf });
    }
    db.prepare("insert into conversations (id, assembly_id, topic, moderation, status, recompute_every) values (?, ?, 'Benchmark conversation', 'post', 'open', ?)").run(conversationId, assemblyId, recomputeEvery);
    const st = db.prepare("insert into statements (conversation_id, tid, author_id, text, status) values (?, ?, null, ?, 'accepted')");
    for (let j = 0; j < S; j++) st.run(conversationId, j, `Benchmark statement ${j}`);
  })();
  const statementIds = (db.prepare('select id from statements where conversation_id = ? order by id').all(conversationId) as { id: number }[]).map((r) => r.id);
  db.close();
  return { assemblyId, conversationId, statementIds, tokens, cookies };
}

// ---------- CPU time from /proc (Linux) ----------

const TICK = 100; // USER_HZ: clock ticks per second in /proc/<pid>/stat (100 on Linux x86-64 and arm64)

function statCpu(path: string): number {
  try {
    const s = readFileSync(path, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
    return (Number(f[11]) + Number(f[12])) / TICK; // utime (14), stime (15)
  } catch {
    return 0; // exited
  }
}

function parentOf(pid: number): number {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

/** CPU seconds (user + system, every thread) of a process and its live descendants (node:cluster HTTP processes). */
export function treeCpuSeconds(pid: number): number {
  const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const inTree = (p: number): boolean => {
    for (let q = p, guard = 0; q > 1 && guard < 64; q = parentOf(q), guard++) if (q === pid) return true;
    return false;
  };
  return pids.filter(inTree).reduce((sum, p) => sum + statCpu(`/proc/${p}/stat`), 0);
}

/** CPU seconds of a process's main thread alone (the HTTP event loop; not the job worker thread or libuv's pool). */
export const mainThreadCpuSeconds = (pid: number): number => statCpu(`/proc/${pid}/task/${pid}/stat`);

export const procLoadavg = (): string => readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).join(' ');
