/**
 * `plenary serve --http-workers 2`: two HTTP processes (node:cluster) share the port and the SQLite file. Votes sent
 * concurrently through both land exactly once each (transactions take the write lock first, so a process never
 * fails with SQLITE_BUSY after another one committed), and a SIGTERM stops the primary and its workers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { buildService } from './build.js';
import { buildConfig, ConfigSchema } from './config.js';
import { ctxFor } from './deps.js';
import { createConversation } from './modules/conversations/service.js';
import { createApiToken } from './platform/auth/sessions.js';
import { assemblies, memberships, users } from './platform/db/schema.js';
import { newId } from './platform/ids.js';
import { freePort } from './testing/net.js';

describe('serve --http-workers 2 (node:cluster over one SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plenary-cluster-'));
  let child: ChildProcess | null = null;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves from two processes, loses no concurrent vote, and stops on SIGTERM', async () => {
    // seed: 40 participants with tokens, a conversation with 30 accepted statements
    const config = buildConfig(ConfigSchema.parse({ dataDir: dir, logLevel: 'silent', jobWorkers: 0 }));
    const { deps } = buildService(config, { logger: pino({ level: 'silent' }) });
    const db = deps.db;
    const assemblyId = newId('asm_');
    db.insert(assemblies).values({ id: assemblyId, slug: 'cluster-test', title: 'Cluster test' }).run();
    const tokens: string[] = [];
    for (let i = 0; i < 40; i++) {
      const uid = newId('u_');
      db.insert(users).values({ id: uid, role: 'participant', displayName: `P${i}` }).run();
      db.insert(memberships).values({ assemblyId, userId: uid, pseudonym: `P${i}` }).run();
      tokens.push(createApiToken(db, uid, 'test').token);
    }
    const staff = { kind: 'user' as const, id: 'test', role: 'admin' as const, displayName: 'test', language: 'en', via: 'token' as const, assemblyIds: [] };
    const conv = createConversation(ctxFor(deps, staff), assemblyId, { topic: 'Cluster', moderation: 'post', recomputeEvery: 0 });
    const ins = db.$client.prepare("insert into statements (conversation_id, tid, author_id, text, status) values (?, ?, null, ?, 'accepted')");
    for (let j = 0; j < 30; j++) ins.run(conv.id, j, `Statement ${j}`);
    const statementIds = (db.$client.prepare('select id from statements where conversation_id = ? order by id').all(conv.id) as { id: number }[]).map((r) => r.id);

    const port = await freePort();
    let out = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--http-workers', '2', '--port', String(port), '--data-dir', dir], {
      env: { ...process.env, LOG_LEVEL: 'info', PLENARY_JOB_WORKERS: '0', PLENARY_PUBLIC_WRITE_RATE_LIMIT: '100000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    const base = `http://127.0.0.1:${port}`;
    const until = Date.now() + 60_000;
    while ((out.match(/"msg":"Plenary is running at/g) ?? []).length < 2) {
      if (Date.now() > until) throw new Error(`the cluster did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    // every participant votes on every statement, 40 requests in flight at a time
    const jobs = tokens.flatMap((t, p) => statementIds.map((s, k) => ({ t, s, vote: [1, -1, 0][(p + k) % 3] })));
    const statuses: number[] = [];
    for (let i = 0; i < jobs.length; i += 40) {
      const res = await Promise.all(
        jobs.slice(i, i + 40).map((j) =>
          fetch(`${base}/api/assemblies/${assemblyId}/conversations/${conv.id}/votes`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${j.t}` },
            body: JSON.stringify({ statementId: j.s, vote: j.vote }),
          }).then((r) => r.status),
        ),
      );
      statuses.push(...res);
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const rows = db.$client.prepare('select count(*) as n from votes where conversation_id = ?').get(conv.id) as { n: number };
    const events = db.$client.prepare('select vote_events as e from conversations where id = ?').get(conv.id) as { e: number };
    expect(rows.n).toBe(jobs.length);
    expect(events.e).toBe(jobs.length);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect((out.match(/"msg":"shutting down"/g) ?? []).length).toBe(2);
    db.$client.close();
  }, 120_000);
});
