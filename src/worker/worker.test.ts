import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRemoteWorker } from '../cli/remote-worker.js';
import { isParticipantVisible } from '../platform/auth/permissions.js';
import { GATE } from '../testing/gate-seed.js';
import { endpoints, fillPath } from '../testing/routes.js';
import { testService } from '../testing/service.js';
import { buildWorker, startLocalWorker, workerdUnavailable, type LocalWorker } from './harness.js';

/**
 * The Cloudflare Workers target, end to end, on local workerd (offline): the real bundle (`wrangler deploy --dry-run`)
 * served by Miniflare with SQLite Durable Objects, the demo seeded on first request. Skipped, saying why, only where
 * workerd cannot run on this machine.
 */
let w: LocalWorker | null = null;
let why: string | null = workerdUnavailable();
let assemblyId = '';

interface Session {
  cookie: string;
  csrf: string;
}
type Who = Session | 'public';

const call = async (who: Who, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${w!.url}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(who === 'public' ? {} : { cookie: who.cookie, 'x-csrf-token': who.csrf }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const cookieOf = (res: Response) => /plenary_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
async function signIn(username: string, password: string): Promise<Session> {
  const res = await call('public', 'POST', '/api/auth/signin', { username, password });
  expect(res.status).toBe(200);
  return { cookie: cookieOf(res), csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}
async function join(code: string, pseudonym: string): Promise<Session & { userId: string }> {
  const res = await call('public', 'POST', '/api/auth/join', { code, pseudonym });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  const b = (await res.json()) as { csrfToken: string; user: { id: string } };
  return { cookie: cookieOf(res), csrf: b.csrfToken, userId: b.user.id };
}
const sql = async (q: string, ...params: unknown[]) =>
  (await (await fetch(`${w!.url}/__test/sql`, { method: 'POST', headers: { 'x-plenary-test-assembly': assemblyId }, body: JSON.stringify({ sql: q, params }) })).json()) as Record<string, unknown>[];
const A = () => `/api/assemblies/${assemblyId}`;

let fac: Session;
let member: Session & { userId: string };

beforeAll(async () => {
  if (why) return;
  // a build error fails the suite (it is our code); only a runtime that cannot start here skips it
  const script = process.env.PLENARY_WORKER_SCRIPT ?? (await buildWorker({ test: true }));
  try {
    w = await startLocalWorker({ test: true, script });
  } catch (e) {
    why = `workerd did not start here: ${(e as Error).message.split('\n')[0]}`;
    return;
  }
  fac = await signIn('facilitator', 'plenary-facilitator');
  const list = (await (await call(fac, 'GET', '/api/assemblies')).json()) as { id: string; slug: string }[];
  assemblyId = list.find((a) => a.slug === 'demo-mobility')!.id;
  member = await join('DEMO-0000-0000-0001', 'Zinnia');
}, 600_000);
afterAll(async () => {
  if (why) console.warn(`Workers tests skipped: ${why}`);
  await w?.stop();
});

const live = (name: string, fn: () => Promise<void>, timeout = 120_000) =>
  it(name, async (ctx) => {
    if (!w) ctx.skip();
    await fn();
  }, timeout);

describe('Plenary on Workers (local workerd)', () => {
  live('sign-in: the demo sign-ins work; a wrong password is refused with problem+json', async () => {
    const bad = await call('public', 'POST', '/api/auth/signin', { username: 'facilitator', password: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const me = await call(fac, 'GET', '/api/me');
    expect(me.status).toBe(200);
    expect(await me.text()).toContain('"facilitator"');
  });

  live('roles: the facilitator reads the review queue, a member and the public cannot; the member sees the assembly', async () => {
    expect((await call(fac, 'GET', `${A()}/review`)).status).toBe(200);
    const m = await call(member, 'GET', `${A()}/review`);
    expect(m.status).toBe(403);
    expect(m.headers.get('content-type')).toContain('application/problem+json');
    expect((await call('public', 'GET', `${A()}/review`)).status).toBe(401);
    expect((await call(member, 'GET', `/a/${assemblyId}`, undefined, { accept: 'text/html' })).status).toBe(200);
  });

  live('contributions: a member writes one, the facilitator sees it; bad input is problem+json and writes nothing', async () => {
    const ok = await call(member, 'POST', `${A()}/contributions`, { text: 'Night buses on Fridays, please.' });
    expect(ok.status).toBe(201);
    const bad = await call(member, 'POST', `${A()}/contributions`, { text: 12 });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const all = (await (await call(fac, 'GET', `${A()}/contributions`)).json()) as unknown;
    expect(JSON.stringify(all)).toContain('Night buses on Fridays');
    expect(await sql('select count(*) as n from contributions where assembly_id = ?', assemblyId)).toEqual([{ n: 1 }]);
  });

  live('problem+json: unknown route, bad JSON, too large a body, a forged internal header', async () => {
    const nf = await call('public', 'GET', '/api/nothing-here');
    expect(nf.status).toBe(404);
    expect(nf.headers.get('content-type')).toContain('application/problem+json');
    const bad = await fetch(`${w!.url}${A()}/contributions`, { method: 'POST', headers: { cookie: member.cookie, 'x-csrf-token': member.csrf, 'content-type': 'application/json' }, body: '{"text": ' });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const big = await call(member, 'POST', `${A()}/contributions`, { text: 'x'.repeat(1_100_000) });
    expect(big.status).toBe(413);
    // a caller cannot claim to be someone through the Worker's internal header
    const forged = await call('public', 'GET', `${A()}/review`, undefined, { 'x-plenary-principal': encodeURIComponent(JSON.stringify({ kind: 'session', hash: 'x', user: { id: 'evil', role: 'admin' }, credential: null })) });
    expect(forged.status).toBe(401);
    expect((await call('public', 'GET', '/__internal/assemblies')).status).toBe(404);
  });

  live('a job leased by a Node worker (token from /api/tokens) comes back as a draft the facilitator approves; a revoked token is refused', async () => {
    const tok = (await (await call(fac, 'POST', '/api/tokens', { name: 'node worker' })).json()) as { id: string; token: string };
    const local = await testService(); // the Node worker's own process: its models (fakes here) and a private database
    const ran = await runRemoteWorker({ remote: w!.url, token: tok.token, assemblies: [assemblyId], once: true, deps: local.deps, logger: { info() {}, warn() {}, error() {} } });
    expect(ran).toBe(1); // the demo's summary job
    const jobs = (await (await call(fac, 'GET', `${A()}/jobs`)).json()) as { type: string; status: string; result: string }[];
    const job = jobs.find((j) => j.type === 'publications.summarize')!;
    expect(job.status).toBe('succeeded');
    const pending = (await (await call(fac, 'GET', `${A()}/review?status=pending`)).json()) as { items: { id: string; kind: string }[] };
    expect(pending.items.map((i) => i.id)).toContain(job.result);
    const ok = await call(fac, 'POST', `${A()}/review/${job.result}/approve`, {});
    expect(ok.status, await ok.clone().text()).toBe(200);
    const del = await call(fac, 'DELETE', `/api/tokens/${tok.id}`);
    expect(del.status).toBeLessThan(300);
    const refused = await fetch(`${w!.url}${A()}/worker/lease`, { method: 'POST', headers: { authorization: `Bearer ${tok.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ types: ['publications.summarize'], workerId: 'x' }) });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const wrong = await fetch(`${w!.url}${A()}/worker/lease`, { method: 'POST', headers: { authorization: 'Bearer pln_not-a-real-token-at-all', 'content-type': 'application/json' }, body: JSON.stringify({ types: ['publications.summarize'], workerId: 'x' }) });
    expect(wrong.status).toBe(401);
  });

  live('review gate: no participant or public route served by the Worker shows unreviewed machine output', async () => {
    const seeded = (await (await fetch(`${w!.url}/__test/seed`, { method: 'POST', headers: { 'x-plenary-test-assembly': assemblyId }, body: JSON.stringify({ assemblyId, participantId: member.userId }) })).json()) as { samples: Record<string, string>; kinds: string[] };
    expect(seeded.kinds.length).toBeGreaterThanOrEqual(6);
    const node = await testService(); // the same createApp: its routes are the Worker's routes
    const visible = endpoints(node.app).filter((e) => e.action && isParticipantVisible(e.action));
    expect(visible.length).toBeGreaterThan(5);
    const leaks: string[] = [];
    let sawApproved = false;
    for (const e of visible) {
      const path = fillPath(e.path, seeded.samples);
      for (const who of [member, 'public'] as const) {
        for (const accept of ['application/json', 'text/html']) {
          const res = await call(who, e.method, path, e.method === 'GET' ? undefined : {}, { accept });
          const body = path.endsWith('/events') ? '' : await res.text();
          if (path.endsWith('/events')) await res.body?.cancel();
          const label = `${who === 'public' ? 'public' : 'participant'} ${e.method} ${path}`;
          for (const c of GATE.canaries) if (body.includes(c)) leaks.push(`${label} shows ${c}`);
          for (const k of seeded.kinds) if (body.includes(GATE.kindCanary(k))) leaks.push(`${label} shows a pending ${k}`);
          if (body.includes(GATE.visible)) sawApproved = true;
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(sawApproved).toBe(true);
    // and the canaries are really in the object's database
    const staff = await (await call(fac, 'GET', `${A()}/review?status=pending,rejected,superseded`)).text();
    for (const c of GATE.canaries) expect(staff).toContain(c);
  }, 300_000);

  live('votes: none lost, none duplicated when the assembly object is restarted mid-burst', async () => {
    const conv = (await (await call(fac, 'POST', `${A()}/conversations`, { topic: 'Buses at night' })).json()) as { id: string };
    const statements: number[] = [];
    for (let i = 0; i < 5; i++) statements.push(((await (await call(fac, 'POST', `${A()}/conversations/${conv.id}/seed-statements`, { text: `Statement number ${i} about buses` })).json()) as { id: number }).id);
    const codes = ((await (await call(fac, 'POST', `${A()}/invitations`, { count: 12 })).json()) as { codes: string[] }).codes;
    const voters = [];
    for (const [i, code] of codes.entries()) voters.push(await join(code, `Voter${i}`));
    const want = new Map<string, number>(); // (participant, statement) → last acknowledged vote
    let restarted = false;
    const voteOnce = async (v: Session & { userId: string }, st: number, vote: number) => {
      for (let attempt = 0; attempt < 20; attempt++) {
        try {
          const r = await call(v, 'POST', `${A()}/conversations/${conv.id}/votes`, { statementId: st, vote });
          if (r.status === 200) {
            want.set(`${v.userId}:${st}`, vote);
            return;
          }
          await r.text();
        } catch {
          /* the connection broke while the object restarted: send the same vote again */
        }
        await new Promise((res) => setTimeout(res, 100));
      }
      throw new Error(`vote of ${v.userId} on ${st} never acknowledged`);
    };
    const instance = async () => ((await (await fetch(`${w!.url}/__test/instance`, { method: 'POST', headers: { 'x-plenary-test-assembly': assemblyId } })).json()) as { instance: string }).instance;
    const first = await instance();
    const burst = voters.flatMap((v, i) => statements.map((st, j) => () => voteOnce(v, st, ((i + j) % 3) - 1)));
    let ackedAtRestart = -1;
    // restart the assembly's object once a quarter of the votes are in, while the others are in flight
    const restart = (async () => {
      while (want.size < burst.length / 4) await new Promise((res) => setTimeout(res, 5));
      ackedAtRestart = want.size;
      await fetch(`${w!.url}/__test/abort`, { method: 'POST', headers: { 'x-plenary-test-assembly': assemblyId } });
      restarted = true;
    })();
    const queue = [...burst];
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    }));
    await restart;
    expect(restarted).toBe(true);
    expect(ackedAtRestart).toBeLessThan(burst.length / 2); // the restart came mid-burst
    expect(await instance()).not.toBe(first); // a new instance of the object answered after it
    expect(want.size).toBe(voters.length * statements.length);
    const rows = await sql('select p.user_id as u, v.statement_id as s, v.vote as vote from votes v join conversation_participants p on p.id = v.participant_id where v.conversation_id = ?', conv.id);
    expect(rows.length).toBe(want.size); // none lost, none duplicated
    for (const r of rows) expect(r.vote).toBe(want.get(`${r.u}:${r.s}`));
    // the per-statement counters agree with the rows (a replayed vote must not count twice)
    const counts = await sql(
      'select s.id as id, s.agree_count as a, s.disagree_count as d, s.pass_count as p, sum(v.vote = 1) as a2, sum(v.vote = -1) as d2, sum(v.vote = 0) as p2 from statements s join votes v on v.statement_id = s.id where s.conversation_id = ? group by s.id',
      conv.id,
    );
    for (const c of counts) expect([c.a, c.d, c.p]).toEqual([c.a2, c.d2, c.p2]);
  }, 300_000);
});
