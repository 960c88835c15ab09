import { createServer, type Server } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import { ctxFor } from '../../deps.js';
import { createApiToken } from '../../platform/auth/sessions.js';
import { PUBLIC } from '../../platform/context.js';
import { testService, type TestService } from '../../testing/service.js';
import { join as joinAssembly } from '../identity/service.js';
import { COMMENT_MAX } from './domain.js';

let s: TestService;
let api: string;
let ada: ReturnType<typeof member>;

function member(t: TestService, code: string, pseudonym: string) {
  const id = joinAssembly(ctxFor(t.deps, PUBLIC), { code, pseudonym, language: 'en' }).user.id;
  const token = createApiToken(t.db, id, 'test').token;
  return { id, call: (method: string, path: string, body?: unknown) => t.call('public', method, path, body, { authorization: `Bearer ${token}` }) };
}

async function openDebate(t = s, title = 'Should the city centre be car-free?') {
  const res = await t.call('facilitator', 'POST', `/api/assemblies/${t.assemblyId}/debates`, { title, description: 'Traffic, air, shops.' });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function comment(who: 'participant' | 'facilitator' | typeof ada, debateId: string, body: unknown) {
  const path = `${api}/${debateId}/comments`;
  return typeof who === 'string' ? s.call(who, 'POST', path, body) : who.call('POST', path, body);
}

const problem = async (res: Response) => ({ status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as { detail: string; code: string } });

beforeEach(async () => {
  s = await testService();
  api = `/api/assemblies/${s.assemblyId}/debates`;
  ada = member(s, s.codes[0], 'Ada');
});

describe('debates', () => {
  it('a member proposes a theme, others support it once, a facilitator opens it; rejected proposals say why', async () => {
    const res = await s.call('participant', 'POST', api, { title: 'Night buses on weekends', description: 'Young people need them.' });
    expect(res.status).toBe(201);
    const d = (await res.json()) as { id: string; status: string; proposedBy: string };
    expect(d).toMatchObject({ status: 'proposed', proposedBy: 'Tester' });
    // no comments before approval
    expect((await problem(await comment(ada, d.id, { body: 'Yes!', alignment: 'in_favour' }))).status).toBe(409);
    expect((await ada.call('POST', `${api}/${d.id}/supports`)).status).toBe(200);
    const dup = await problem(await ada.call('POST', `${api}/${d.id}/supports`));
    expect(dup).toMatchObject({ status: 409, type: expect.stringContaining('application/problem+json'), body: { detail: 'You already support this proposal.' } });
    expect((await s.call('participant', 'POST', `${api}/${d.id}/decision`, { decision: 'open' })).status).toBe(403);
    const opened = (await (await s.call('facilitator', 'POST', `${api}/${d.id}/decision`, { decision: 'open' })).json()) as { status: string };
    expect(opened.status).toBe('open');

    const p2 = (await (await ada.call('POST', api, { title: 'Ban all cars tomorrow' })).json()) as { id: string };
    expect((await problem(await s.call('facilitator', 'POST', `${api}/${p2.id}/decision`, { decision: 'reject' }))).status).toBe(422);
    await s.call('facilitator', 'POST', `${api}/${p2.id}/decision`, { decision: 'reject', reason: 'Covered by the car-free debate.' });
    const mine = (await (await ada.call('GET', api)).json()) as Array<{ id: string; status: string; decisionReason: string }>;
    expect(mine.find((x) => x.id === p2.id)).toMatchObject({ status: 'rejected', decisionReason: 'Covered by the car-free debate.' });
    const others = (await (await s.call('participant', 'GET', api)).json()) as Array<{ id: string }>;
    expect(others.map((x) => x.id)).not.toContain(p2.id);
    expect((await s.call('participant', 'GET', `${api}/${p2.id}`)).status).toBe(404);
  });

  it('threads replies to any depth, counts per alignment, pages threads by keyset and continues deep threads', async () => {
    const id = await openDebate();
    const top = (await (await comment('participant', id, { body: 'Cleaner air for everyone.', alignment: 'in_favour' })).json()) as { id: number };
    let parent = top.id;
    for (let depth = 1; depth <= 5; depth++) {
      const r = await comment(depth % 2 ? ada : 'participant', id, { body: `Reply at depth ${depth}`, alignment: depth % 2 ? 'against' : 'neutral', parentId: parent });
      expect(r.status).toBe(201);
      parent = ((await r.json()) as { id: number; depth: number }).id;
    }
    for (let i = 0; i < 24; i++) await comment(ada, id, { body: `Thread ${i}`, alignment: 'neutral' });
    const d = (await (await s.call('participant', 'GET', `${api}/${id}`)).json()) as { debate: { counts: Record<string, number>; threads: number } };
    expect(d.debate.counts).toEqual({ in_favour: 1, against: 3, neutral: 26 });
    expect(d.debate.threads).toBe(25);

    type Node = { id: number; depth: number; body: string; replies: Node[]; more: boolean };
    const page1 = (await (await s.call('participant', 'GET', `${api}/${id}/comments`)).json()) as { threads: Node[]; next: number | null };
    expect(page1.threads).toHaveLength(20);
    // levels 0..3 are shown under the thread (at least 3 levels of replies); level 3 says there is more
    let n = page1.threads[0];
    const depths = [n.depth];
    while (n.replies.length) depths.push((n = n.replies[0]).depth);
    expect(depths).toEqual([0, 1, 2, 3]);
    expect(n.more).toBe(true);
    const page2 = (await (await s.call('participant', 'GET', `${api}/${id}/comments?after=${page1.next}`)).json()) as { threads: Node[]; next: number | null };
    expect(page2.threads.map((t) => t.body)).toEqual(['Thread 19', 'Thread 20', 'Thread 21', 'Thread 22', 'Thread 23']);
    expect(page2.next).toBeNull();
    // the deep part continues on the comment's own page
    const deep = (await (await s.call('participant', 'GET', `${api}/${id}/comments/${n.id}`)).json()) as { comment: Node };
    expect(deep.comment.replies[0].replies[0].body).toBe('Reply at depth 5');
  });

  it('refuses bad comments with problem+json that says the limit, and keeps HTML inert', async () => {
    const id = await openDebate();
    const empty = await problem(await comment('participant', id, { body: '   \n ', alignment: 'neutral' }));
    expect(empty).toMatchObject({ status: 422, type: expect.stringContaining('application/problem+json'), body: { detail: 'A comment cannot be empty.' } });
    const long = await problem(await comment('participant', id, { body: 'x'.repeat(COMMENT_MAX + 1), alignment: 'neutral' }));
    expect(long.status).toBe(422);
    expect(long.body.detail).toContain('at most 5,000 characters; this one has 5,001');
    expect((await problem(await comment('participant', id, { body: 'ok', alignment: 'maybe' }))).status).toBe(422);
    expect((await problem(await comment('participant', id, { body: 'ok', alignment: 'neutral', parentId: 999999 }))).status).toBe(404);
    // nothing was written by the refused requests
    const d = (await (await s.call('participant', 'GET', `${api}/${id}`)).json()) as { debate: { counts: Record<string, number> } };
    expect(d.debate.counts).toEqual({ in_favour: 0, against: 0, neutral: 0 });

    const xss = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const c = (await (await comment('participant', id, { body: xss, alignment: 'against' })).json()) as { body: string };
    expect(c.body).toBe(xss); // kept as typed in the API (JSON), escaped on pages
  });

  it('moderation: members report with a reason, once; a facilitator hides with a reason the author sees; no replies to hidden or deleted comments; exports keep hidden comments marked', async () => {
    const id = await openDebate();
    const c = (await (await comment(ada, id, { body: 'Rude words here.', alignment: 'against' })).json()) as { id: number };
    const other = (await (await comment(ada, id, { body: 'I take it back.', alignment: 'neutral' })).json()) as { id: number };
    const rep = `${api}/${id}/comments/${c.id}/reports`;
    expect((await s.call('participant', 'POST', rep, { reason: 'other' })).status).toBe(422); // 'other' needs details
    expect((await s.call('participant', 'POST', rep, { reason: 'offensive' })).status).toBe(201);
    expect((await problem(await s.call('participant', 'POST', rep, { reason: 'spam' }))).body.detail).toContain('already reported');
    expect((await ada.call('POST', rep, { reason: 'spam' })).status).toBe(409); // not one's own
    const queue = (await (await s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/debate-reports`)).json()) as Array<{ comment: { id: number }; reports: unknown[] }>;
    expect(queue).toHaveLength(1);
    expect(queue[0].comment.id).toBe(c.id);

    const mod = `${api}/${id}/comments/${c.id}/moderation`;
    expect((await s.call('participant', 'POST', mod, { action: 'hide', reason: 'x' })).status).toBe(403);
    expect((await s.call('facilitator', 'POST', mod, { action: 'hide' })).status).toBe(422);
    expect((await s.call('facilitator', 'POST', mod, { action: 'hide', reason: 'Insulting another member.' })).status).toBe(200);
    expect((await (await s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/debate-reports`)).json()) as unknown[]).toHaveLength(0);

    type Node = { id: number; body: string | null; status: string; hiddenReason: string | null };
    const seenBy = async (call: (m: string, p: string) => Response | Promise<Response>) => ((await (await call('GET', `${api}/${id}/comments`)).json()) as { threads: Node[] }).threads.find((t) => t.id === c.id)!;
    expect(await seenBy((m, p) => s.call('participant', m, p))).toMatchObject({ status: 'hidden', body: null, hiddenReason: null });
    expect(await seenBy(ada.call)).toMatchObject({ status: 'hidden', body: 'Rude words here.', hiddenReason: 'Insulting another member.' });
    const d = (await (await s.call('participant', 'GET', `${api}/${id}`)).json()) as { debate: { counts: Record<string, number> } };
    expect(d.debate.counts).toEqual({ in_favour: 0, against: 0, neutral: 1 });

    const hiddenReply = await problem(await comment('participant', id, { body: 'Reply', alignment: 'neutral', parentId: c.id }));
    expect(hiddenReply).toMatchObject({ status: 409, body: { detail: 'This comment was hidden by a facilitator: it cannot be replied to.' } });
    expect((await s.call('participant', 'DELETE', `${api}/${id}/comments/${other.id}`)).status).toBe(403);
    expect((await ada.call('DELETE', `${api}/${id}/comments/${other.id}`)).status).toBe(200);
    expect((await problem(await comment('participant', id, { body: 'Reply', alignment: 'neutral', parentId: other.id }))).status).toBe(410);

    const exp = (await (await s.call('facilitator', 'GET', `${api}/${id}/export`)).json()) as { comments: Array<{ id: number; status: string; hiddenReason: string | null; body: string }> };
    expect(exp.comments.find((x) => x.id === c.id)).toMatchObject({ status: 'hidden', hiddenReason: 'Insulting another member.', body: 'Rude words here.' });
    expect(exp.comments.find((x) => x.id === other.id)).toMatchObject({ status: 'deleted', body: '' });
    const csv = await (await s.call('facilitator', 'GET', `${api}/${id}/export?format=csv`)).text();
    expect(csv).toContain(`"${c.id}","","0","Ada","against","hidden","Insulting another member."`);
    expect((await s.call('participant', 'GET', `${api}/${id}/export`)).status).toBe(403);
  });

  it('subscribers get an in-app notification of new comments (not of their own); without SMTP nothing is queued to send', async () => {
    const id = await openDebate();
    expect((await s.call('participant', 'PUT', `${api}/${id}/subscription`, {})).status).toBe(200);
    // an e-mail address is refused when the service does not send e-mail, rather than silently ignored
    expect((await problem(await s.call('participant', 'PUT', `${api}/${id}/subscription`, { email: 'me@example.org' }))).status).toBe(422);
    await comment('participant', id, { body: 'My own comment.', alignment: 'neutral' });
    const c = (await (await comment(ada, id, { body: 'A new argument.', alignment: 'against' })).json()) as { id: number };
    await comment(ada, id, { body: 'And a reply.', alignment: 'against', parentId: c.id });
    const notes = `/api/assemblies/${s.assemblyId}/notifications`;
    const got = (await (await s.call('participant', 'GET', notes)).json()) as { unread: number; items: Array<{ message: string; url: string; read: boolean }> };
    expect(got.unread).toBe(2);
    expect(got.items[1].message).toBe('Ada commented in “Should the city centre be car-free?”');
    expect(got.items[0].message).toBe('Ada replied in “Should the city centre be car-free?”');
    expect(got.items[1].url).toBe(`/a/${s.assemblyId}/debates/${id}/comments/${c.id}`);
    expect(((await (await ada.call('GET', notes)).json()) as { unread: number }).unread).toBe(0);
    expect(s.db.$client.prepare("select count(*) as n from jobs where type = 'notifications.email'").get()).toEqual({ n: 0 });
    expect(((await (await s.call('participant', 'POST', `${notes}/read`, {})).json()) as { marked: number }).marked).toBe(2);
    expect(((await (await s.call('participant', 'GET', notes)).json()) as { unread: number }).unread).toBe(0);
    await s.call('participant', 'DELETE', `${api}/${id}/subscription`);
    await comment(ada, id, { body: 'Unheard.', alignment: 'neutral' });
    expect(((await (await s.call('participant', 'GET', notes)).json()) as { unread: number }).unread).toBe(0);
  });
});

describe('notification e-mail with SMTP configured', () => {
  it('queues one e-mail per subscriber who left an address and delivers it to the relay', async () => {
    const received: string[] = [];
    const server: Server = createServer((sock) => {
      let data = false;
      let buf = '';
      sock.write('220 test ESMTP\r\n');
      sock.on('data', (d) => {
        buf += d.toString();
        let i;
        while ((i = buf.indexOf('\r\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (data) {
            if (line === '.') {
              data = false;
              sock.write('250 queued\r\n');
            } else received.push(line);
          } else if (line.startsWith('EHLO')) sock.write('250-test\r\n250 8BITMIME\r\n');
          else if (line === 'DATA') {
            data = true;
            sock.write('354 go\r\n');
          } else if (line === 'QUIT') sock.end('221 bye\r\n');
          else sock.write('250 ok\r\n');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const t = await testService({ config: { smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'assembly@example.org' } });
      s = t;
      api = `/api/assemblies/${t.assemblyId}/debates`;
      const bob = member(t, t.codes[0], 'Bob');
      const id = await openDebate(t);
      await t.call('participant', 'PUT', `${api}/${id}/subscription`, { email: 'tester@example.org' });
      await bob.call('PUT', `${api}/${id}/subscription`, {}); // no address: in-app only
      await t.call('facilitator', 'POST', `${api}/${id}/comments`, { body: 'Welcome to the debate.', alignment: 'neutral' });
      const job = await t.deps.jobs.runNext();
      expect(job?.status).toBe('succeeded');
      expect(await t.deps.jobs.runNext()).toBeFalsy();
      expect(received).toContain('To: <tester@example.org>');
      expect(received.some((l) => l.includes('Test facilitator commented in'))).toBe(true);
    } finally {
      server.close();
    }
  });
});
