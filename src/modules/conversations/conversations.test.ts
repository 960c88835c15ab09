import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePolisExport } from '../../../pipelines/votes/polis-csv.js';
import { testService, type TestService } from '../../testing/service.js';
import { convexHull, jaccard, pickNext, trigrams, type OpinionMapPayload } from './domain.js';
import { plantedPolis } from './testing.js';
import { GROUP_COLOURS } from './svg.js';

type Json = any;
const base = (s: TestService, id: string) => `/api/assemblies/${s.assemblyId}/conversations/${id}`;

async function ok(res: Response, status = 200): Promise<Json> {
  const body = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${body}`);
  return body ? JSON.parse(body) : null;
}

async function problem(res: Response, status: number): Promise<Json> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return res.json();
}

async function newConversation(s: TestService, body: Record<string, unknown> = {}): Promise<string> {
  const cv = await ok(await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/conversations`, { topic: 'Transport in our town', ...body }), 201);
  return cv.id;
}

const seed = async (s: TestService, id: string, text: string) => (await ok(await s.call('facilitator', 'POST', `${base(s, id)}/seed-statements`, { text }), 201)).id as number;
const vote = (s: TestService, id: string, statementId: number, v: unknown) => s.call('participant', 'POST', `${base(s, id)}/votes`, { statementId, vote: v });
const voteRows = (s: TestService, id: string) => (s.db.$client.prepare('select count(*) as n from votes where conversation_id = ?').get(id) as { n: number }).n;

let s: TestService;
beforeAll(async () => {
  s = await testService();
});

describe('conversations: statements, moderation, votes', () => {
  it('moderation: pending statements are hidden from routing until accepted; meta and rejected handled', async () => {
    const id = await newConversation(s, { moderation: 'pre' });
    const a = await seed(s, id, 'More buses in the evening.');
    const st = await ok(await s.call('participant', 'POST', `${base(s, id)}/statements`, { text: 'Close the centre to cars on Sundays.' }), 201);
    expect(st.status).toBe('pending');
    expect(st.author).toBe('Tester');
    // the queue shows it to facilitators; participants are not routed to it
    const queue = await ok(await s.call('facilitator', 'GET', `${base(s, id)}/statements?status=pending`));
    expect(queue.map((q: Json) => q.id)).toEqual([st.id]);
    const next = await ok(await s.call('participant', 'GET', `${base(s, id)}/next`));
    expect(next.statement.id).toBe(a);
    await problem(await vote(s, id, st.id, 1), 409);
    // accept → votable; meta flag; reject → not votable
    await ok(await s.call('facilitator', 'POST', `${base(s, id)}/statements/${st.id}/moderation`, { status: 'accepted', isMeta: true }));
    const all = await ok(await s.call('facilitator', 'GET', `${base(s, id)}/statements`));
    expect(all.find((x: Json) => x.id === st.id)).toMatchObject({ status: 'accepted', isMeta: true });
    await ok(await s.call('facilitator', 'POST', `${base(s, id)}/statements/${a}/moderation`, { status: 'rejected' }));
    const before = voteRows(s, id);
    const p = await problem(await vote(s, id, a, 1), 409);
    expect(p.detail).toMatch(/rejected/);
    expect(voteRows(s, id)).toBe(before);
    // post-moderation conversations show statements at once
    const id2 = await newConversation(s, { moderation: 'post' });
    const st2 = await ok(await s.call('participant', 'POST', `${base(s, id2)}/statements`, { text: 'Free bikes for students.' }), 201);
    expect(st2.status).toBe('accepted');
  });

  it('last vote wins: one row per statement and participant, counters follow', async () => {
    const id = await newConversation(s);
    const a = await seed(s, id, 'A tram line to the hospital.');
    expect((await ok(await vote(s, id, a, 1))).previous).toBeNull();
    expect((await ok(await vote(s, id, a, -1))).previous).toBe(1);
    const last = await ok(await vote(s, id, a, 0));
    expect(last).toMatchObject({ previous: -1, vote: 0, voteEvents: 3 });
    expect(voteRows(s, id)).toBe(1);
    const st = (await ok(await s.call('facilitator', 'GET', `${base(s, id)}/statements`)))[0];
    expect(st.votes).toEqual({ agree: 0, disagree: 0, pass: 1 });
    const mine = await ok(await s.call('participant', 'GET', base(s, id)));
    expect(mine.mine.votes).toEqual([{ statementId: a, vote: 0 }]);
  });

  it('bad input is a problem+json and writes nothing', async () => {
    const id = await newConversation(s);
    const a = await seed(s, id, 'Lower fares for the young.');
    for (const v of [2, -2, '1', 0.5, null]) await problem(await vote(s, id, a, v), 422);
    await problem(await vote(s, id, 999_999, 1), 404);
    await problem(await s.call('participant', 'POST', `${base(s, id)}/votes`, { statementId: a, vote: 1, extra: true }), 422);
    await problem(await s.call('participant', 'POST', `${base(s, id)}/statements`, { text: 'no' }), 422);
    const other = await newConversation(s);
    const b = await seed(s, other, 'A statement from another conversation.');
    await problem(await vote(s, id, b, 1), 404);
    expect(voteRows(s, id)).toBe(0);
    // facilitators cannot vote, participants cannot moderate
    await problem(await s.call('facilitator', 'POST', `${base(s, id)}/votes`, { statementId: a, vote: 1 }), 403);
    await problem(await s.call('participant', 'POST', `${base(s, id)}/statements/${a}/moderation`, { status: 'rejected' }), 403);
  });

  it('routing returns each unseen accepted statement once, then nothing; picks are reproducible', async () => {
    const id = await newConversation(s);
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) ids.push(await seed(s, id, `Seed statement number ${i} about transport`));
    await ok(await s.call('facilitator', 'POST', `${base(s, id)}/statements/${ids[3]}/moderation`, { status: 'rejected' }));
    const seen: number[] = [];
    for (;;) {
      const n1 = await ok(await s.call('participant', 'GET', `${base(s, id)}/next`));
      const n2 = await ok(await s.call('participant', 'GET', `${base(s, id)}/next`));
      expect(n2.statement?.id).toBe(n1.statement?.id); // same state → same pick
      if (!n1.statement) break;
      expect(seen).not.toContain(n1.statement.id);
      seen.push(n1.statement.id);
      await ok(await vote(s, id, n1.statement.id, seen.length % 2 ? 1 : -1));
    }
    expect(seen.sort((x, y) => x - y)).toEqual(ids.filter((x) => x !== ids[3]));
  });

  it('routing is weighted: a high-priority statement is picked more often', () => {
    const c = [
      { id: 1, isMeta: false, agree: 0, disagree: 0, pass: 30, extremity: 0 },
      { id: 2, isMeta: false, agree: 0, disagree: 0, pass: 0, extremity: 0 },
    ];
    let two = 0;
    for (let i = 0; i < 200; i++) if (pickNext(c, 1234, i)?.id === 2) two++;
    expect(two).toBeGreaterThan(170);
    expect(pickNext([], 1, 1)).toBeNull();
  });

  it('warns about near-duplicates of accepted statements while writing', async () => {
    const id = await newConversation(s);
    await seed(s, id, 'We need more bicycle lanes in the city centre.');
    await seed(s, id, 'Parking should be free on Saturdays.');
    const hits = await ok(await s.call('participant', 'GET', `${base(s, id)}/similar?text=${encodeURIComponent('we need more bike lanes in the city centre')}`));
    expect(hits).toHaveLength(1);
    expect(hits[0].text).toMatch(/bicycle lanes/);
    expect(await ok(await s.call('participant', 'GET', `${base(s, id)}/similar?text=${encodeURIComponent('Schools should start later')}`))).toEqual([]);
    expect(jaccard(trigrams('abc def'), trigrams('ABC déf!'))).toBe(1);
  });
});

describe('Pol.is interchange', () => {
  it('imports a Pol.is export (JSON), keeps attribution, and exports the same files', async () => {
    const id = await newConversation(s);
    const exp = plantedPolis({ participants: 20, statements: 8, rejected: [2] });
    const res = await ok(await s.call('facilitator', 'POST', `${base(s, id)}/imports`, { comments: exp.comments, votes: exp.votes, participantsVotes: exp.participantsVotes, source: 'https://example.org/polis' }), 201);
    expect(res).toMatchObject({ statements: 8, participants: 20 });
    expect(res.attribution.text).toMatch(/CC BY 4.0/);
    const cv = await ok(await s.call('participant', 'GET', base(s, id)));
    expect(cv.conversation.attribution.source).toBe('https://example.org/polis');
    const out = await ok(await s.call('facilitator', 'GET', `${base(s, id)}/export`));
    expect(out.files['comments.csv']).toBe(exp.comments);
    expect(out.files['votes.csv']).toBe(exp.votes);
    expect(out.files['participants-votes.csv']).toBe(exp.participantsVotes);
    const csv = await s.call('researcher', 'GET', `${base(s, id)}/export/votes.csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toBe(exp.votes);
    // the participant page shows the attribution
    const html = await (await s.call('participant', 'GET', `/a/${s.assemblyId}/conversations/${id}`, undefined, { accept: 'text/html' })).text();
    expect(html).toContain('The Computational Democracy Project');
    // importing twice is refused
    await problem(await s.call('facilitator', 'POST', `${base(s, id)}/imports`, { comments: exp.comments, votes: exp.votes }), 409);
  });

  it('imports multipart uploads', async () => {
    const id = await newConversation(s);
    const exp = plantedPolis({ participants: 12, statements: 5, seed: 3 });
    const fd = new FormData();
    fd.append('comments.csv', new File([exp.comments], 'comments.csv', { type: 'text/csv' }));
    fd.append('participants-votes.csv', new File([exp.participantsVotes], 'participants-votes.csv', { type: 'text/csv' }));
    const res = await s.app.request(`${base(s, id)}/imports`, { method: 'POST', headers: { authorization: `Bearer ${s.tokens.facilitator}` }, body: fd });
    expect((await ok(res, 201)).statements).toBe(5);
    const out = await ok(await s.call('facilitator', 'GET', `${base(s, id)}/export`));
    expect(out.files['participants-votes.csv']).toBe(exp.participantsVotes);
  });

  it('malformed CSV: names file and line, writes nothing', async () => {
    const id = await newConversation(s);
    const exp = plantedPolis({ participants: 12, statements: 5 });
    const lines = exp.votes.split('\n');
    lines[2] = lines[2].replace(/,-?[01]$/, ',7');
    const p = await problem(await s.call('facilitator', 'POST', `${base(s, id)}/imports`, { comments: exp.comments, votes: lines.join('\n') }), 422);
    expect(p.detail).toContain('votes.csv line 3');
    expect(p.errors[0]).toMatchObject({ path: 'votes.csv:3' });
    // a vote on a comment that does not exist
    const bad = exp.votes.trimEnd().split('\n');
    bad.push('1700099999999,x,99,1,1');
    const p2 = await problem(await s.call('facilitator', 'POST', `${base(s, id)}/imports`, { comments: exp.comments, votes: bad.join('\n') }), 422);
    expect(p2.detail).toMatch(new RegExp(`votes.csv line ${bad.length}: .*comment-id 99`));
    await problem(await s.call('facilitator', 'POST', `${base(s, id)}/imports`, { votes: exp.votes }), 422);
    await problem(await s.call('facilitator', 'POST', `${base(s, id)}/imports`, 'a,b', { 'content-type': 'text/plain' }), 415);
    expect(await ok(await s.call('facilitator', 'GET', `${base(s, id)}/statements`))).toEqual([]);
    expect(voteRows(s, id)).toBe(0);
  });

  const fixtureDirs = existsSync('fixtures/polis') ? readdirSync('fixtures/polis', { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join('fixtures/polis', d.name, 'comments.csv'))) : [];
  it.runIf(fixtureDirs.length > 0)('round-trips the committed Pol.is fixture (final votes, comments, moderation)', async () => {
    const dir = join('fixtures/polis', fixtureDirs[0].name);
    const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : undefined);
    const input = { comments: read('comments.csv')!, votes: read('votes.csv'), participantsVotes: read('participants-votes.csv') };
    const id = await newConversation(s);
    await ok(await s.call('facilitator', 'POST', `${base(s, id)}/imports`, input), 201);
    const out = await ok(await s.call('facilitator', 'GET', `${base(s, id)}/export`));
    const a = parsePolisExport({ 'comments.csv': input.comments, 'participants-votes.csv': input.participantsVotes });
    const b = parsePolisExport({ 'comments.csv': out.files['comments.csv'], 'participants-votes.csv': out.files['participants-votes.csv'] });
    const key = (e: typeof a) => e.comments!.rows.map((r) => [r.commentId, r.authorId, r.moderated, r.body]).sort((x, y) => Number(x[0]) - Number(y[0]));
    expect(key(b)).toEqual(key(a));
    if (a.participantsVotes) {
      const votesOf = (e: typeof a) => new Map(e.participantsVotes!.rows.map((r) => [r.participant, JSON.stringify(Object.fromEntries(e.participantsVotes!.commentColumns.map((c, k) => [c, r.votes[k]]).filter(([, v]) => v !== null)))]));
      const va = votesOf(a), vb = votesOf(b);
      for (const [pid, v] of va) if (v !== '{}') expect(vb.get(pid)).toBe(v);
    }
  });
});

describe('opinion map: recompute, review, publish', () => {
  let id: string;
  let itemId: string;
  beforeAll(async () => {
    id = await newConversation(s, { recomputeEvery: 0 });
  });

  it('too small to cluster: 412 from the API, and a job answers "not enough votes" without a review item', async () => {
    const a = await seed(s, id, 'Buses should be free.');
    await ok(await vote(s, id, a, 1));
    const p = await problem(await s.call('facilitator', 'POST', `${base(s, id)}/recompute`), 412);
    expect(p.detail).toMatch(/Not enough votes yet/);
    const job = s.deps.jobs.enqueue(s.db, { type: 'conversations.recompute', assemblyId: s.assemblyId, payload: { conversationId: id, voteEvents: 1 } });
    await s.deps.jobs.runNext();
    const done = s.deps.jobs.get(job.id)!;
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ status: 'not-enough-votes' });
    expect(s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'opinion-map' })).toEqual([]);
  });

  it('a recompute with the real pipeline submits ONE pending opinion map that participants cannot see', async () => {
    // planted conversation: imported Pol.is camps, plus the test participant voting with camp 0
    const id2 = await newConversation(s, { recomputeEvery: 0 });
    const exp = plantedPolis({ participants: 40, statements: 12, seed: 11 });
    await ok(await s.call('facilitator', 'POST', `${base(s, id2)}/imports`, { comments: exp.comments, participantsVotes: exp.participantsVotes }), 201);
    const stmts = await ok(await s.call('facilitator', 'GET', `${base(s, id2)}/statements`));
    for (const st of stmts) await ok(await vote(s, id2, st.id, st.tid < 6 ? 1 : -1));
    id = id2;
    const job = await ok(await s.call('facilitator', 'POST', `${base(s, id)}/recompute`), 202);
    const again = await ok(await s.call('facilitator', 'POST', `${base(s, id)}/recompute`), 202);
    expect(again.id).toBe(job.id); // idempotent per vote count
    await s.deps.jobs.runNext();
    const done = s.deps.jobs.get(job.id)!;
    expect(done.status, String(done.error)).toBe('succeeded');
    expect(done.result).toMatchObject({ status: 'ok', k: 2 });
    const items = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'opinion-map', status: ['pending'] });
    expect(items).toHaveLength(1);
    itemId = items[0].id;
    const map = items[0].payload as OpinionMapPayload;
    // the planted camps are the two groups
    const byExt = new Map((s.db.$client.prepare('select id, external_id from conversation_participants where conversation_id = ?').all(id) as { id: number; external_id: number | null }[]).map((r) => [r.id, r.external_id]));
    const groupOfCamp = [new Set<number>(), new Set<number>()];
    for (const p of map.participants) {
      const ext = byExt.get(p.participantId);
      if (ext != null && p.group >= 0) groupOfCamp[exp.camp(ext)].add(p.group);
    }
    expect(groupOfCamp[0].size).toBe(1);
    expect(groupOfCamp[1].size).toBe(1);
    expect([...groupOfCamp[0]][0]).not.toBe([...groupOfCamp[1]][0]);
    expect(map.groups.every((g) => g.representative.length > 0)).toBe(true);
    const prov = items[0].provenance as Json;
    expect(prov).toMatchObject({ stage: 'conversations.opinion-map', seed: expect.any(Number), inputHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // participants: no map yet, in JSON or on the page
    await problem(await s.call('participant', 'GET', `${base(s, id)}/map`), 404);
    await problem(await s.call('participant', 'GET', `${base(s, id)}/map.svg`), 404);
    const html = await (await s.call('participant', 'GET', `/a/${s.assemblyId}/conversations/${id}`, undefined, { accept: 'text/html' })).text();
    expect(html).toContain('data-testid="no-map"');
    expect(html).not.toContain('<svg');
    // facilitators see the draft
    const fac = await (await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/conversations/${id}`, undefined, { accept: 'text/html' })).text();
    expect(fac).toContain(`data-map-item="${itemId}"`);
    const draft = await (await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/conversations/${id}/maps/${itemId}`, undefined, { accept: 'text/html' })).text();
    expect(draft).toContain('<svg');
  });

  it('labelling publishes the edited map (diff kept); participants then see it and where they sit', async () => {
    const res = await ok(await s.call('facilitator', 'POST', `${base(s, id)}/maps/${itemId}/labels`, { labels: { '0': 'Green streets', '1': 'Car users' } }));
    expect(res.status).toBe('edited');
    expect(String(res.diff)).toContain('Green streets');
    const pub = await ok(await s.call('participant', 'GET', `${base(s, id)}/map`));
    expect(pub.map.groups.map((g: Json) => g.label).sort()).toEqual(['Car users', 'Green streets']);
    expect(pub.you).not.toBeNull();
    expect(pub.edited).toBe(true);
    const svgRes = await s.call('participant', 'GET', `${base(s, id)}/map.svg`);
    expect(svgRes.headers.get('content-type')).toContain('image/svg+xml');
    const svg = await svgRes.text();
    expect(svg).toMatch(/<title id="opinion-map-title">Opinion map: /);
    expect(svg).toMatch(/<desc id="opinion-map-desc">.*2 opinion groups/);
    expect(svg).toContain('data-you="true"');
    expect((svg.match(/class="hull"/g) ?? []).length).toBe(2);
    const fr = await (await s.call('participant', 'GET', `${base(s, id)}/map.svg?lang=fr`)).text();
    expect(fr).toContain('Carte des opinions');
    const html = await (await s.call('participant', 'GET', `/a/${s.assemblyId}/conversations/${id}`, undefined, { accept: 'text/html' })).text();
    expect(html).toContain('Green streets');
    expect(html).toMatch(/data-you-group="\d"/);
  });

  it('a later recompute warm-starts from the stored state; approving publishes it', async () => {
    const stmts = await ok(await s.call('facilitator', 'GET', `${base(s, id)}/statements?status=accepted`));
    await ok(await vote(s, id, stmts[0].id, 0));
    const job = await ok(await s.call('facilitator', 'POST', `${base(s, id)}/recompute`), 202);
    await s.deps.jobs.runNext();
    expect(s.deps.jobs.get(job.id)!.result).toMatchObject({ status: 'ok' });
    const item = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'opinion-map', status: ['pending'] })[0];
    expect((item.provenance as Json).params.warmStart).toBe(true);
    await ok(await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/review/${item.id}/approve`));
    const pub = await ok(await s.call('participant', 'GET', `${base(s, id)}/map`));
    expect(pub.reviewItemId).toBe(item.id);
  });

  it('automatic recompute after N votes, debounced by the idempotency key', async () => {
    const id3 = await newConversation(s, { recomputeEvery: 2 });
    const a = await seed(s, id3, 'Statement one for the trigger.');
    const b = await seed(s, id3, 'Statement two for the trigger.');
    expect((await ok(await vote(s, id3, a, 1))).recomputeJobId).toBeNull();
    const r2 = await ok(await vote(s, id3, b, 1));
    expect(r2.recomputeJobId).toEqual(expect.any(String));
    // a facilitator asking at the same vote count gets the same job (412 here: too few voters, checked first)
    const jobs = s.deps.jobs.list({ assemblyId: s.assemblyId, type: 'conversations.recompute' }).filter((j) => (j.payload as Json).conversationId === id3);
    expect(jobs).toHaveLength(1);
  });
});

describe('pages and rendering', () => {
  it('facilitator and participant pages render in both languages; form votes work', async () => {
    const id = await newConversation(s);
    const a = await seed(s, id, 'Night buses on weekends.');
    for (const lang of ['en', 'fr']) {
      const list = await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/conversations?lang=${lang}`, undefined, { accept: 'text/html' });
      expect(list.status).toBe(200);
      expect(await list.text()).toContain(lang === 'fr' ? 'Lancer une conversation' : 'Start a conversation');
      const pp = await (await s.call('participant', 'GET', `/a/${s.assemblyId}/conversations/${id}?lang=${lang}`, undefined, { accept: 'text/html' })).text();
      expect(pp).toContain(lang === 'fr' ? 'Pas d’accord' : 'Disagree');
      expect(pp).toContain('Night buses on weekends.');
    }
    const res = await s.call('participant', 'POST', `/a/${s.assemblyId}/conversations/${id}/vote`, `statementId=${a}&vote=-1`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(303);
    expect(voteRows(s, id)).toBe(1);
    const after = await (await s.call('participant', 'GET', `/a/${s.assemblyId}/conversations/${id}`, undefined, { accept: 'text/html' })).text();
    expect(after).toContain('data-testid="all-voted"');
    const js = await s.call('public', 'GET', '/assets/conversations.js');
    expect(js.headers.get('content-type')).toContain('javascript');
  });

  it('group colours have at least 3:1 contrast on white; hulls are convex', () => {
    const lum = (hex: string) => {
      const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    for (const col of GROUP_COLOURS) expect(1.05 / (lum(col) + 0.05)).toBeGreaterThanOrEqual(3);
    expect(convexHull([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 0.5]])).toEqual([[0, 0], [2, 0], [2, 2], [0, 2]]);
  });
});

describe('Pol.is import seeds the opinion-map state', () => {
  // own service: this test leaves review items that the recompute tests above must not see
  let t: TestService;
  beforeAll(async () => {
    t = await testService();
  });

  it('an import stores the state replayed from votes.csv\'s history (or, without timestamps, from participants in join order); the first recompute continues from it', async () => {
    const mathState = (cid: string) => (t.db.$client.prepare('select math_state from conversations where id = ?').get(cid) as { math_state: string | null }).math_state;
    const exp = plantedPolis({ participants: 40, statements: 12, seed: 5 });
    const id = await newConversation(t, { recomputeEvery: 0 });
    await ok(await t.call('facilitator', 'POST', `${base(t, id)}/imports`, { comments: exp.comments, votes: exp.votes }), 201);
    const state = JSON.parse(mathState(id)!);
    expect(state).toMatchObject({ version: 1, nParticipants: 40, nStatements: 12, shownK: 2 });
    expect(state.updates).toBeGreaterThan(1); // votes 1 s apart over ~7 minutes: several one-minute updates
    expect(state.baseMembers).toHaveLength(state.inConv.length);
    // without a vote history (participants-votes.csv only) a stand-in history is replayed: participants in pid order
    const id2 = await newConversation(t, { recomputeEvery: 0 });
    await ok(await t.call('facilitator', 'POST', `${base(t, id2)}/imports`, { comments: exp.comments, participantsVotes: exp.participantsVotes }), 201);
    const state2 = JSON.parse(mathState(id2)!);
    expect(state2).toMatchObject({ version: 1, nParticipants: 40, nStatements: 12, shownK: 2 });
    expect(state2.updates).toBeGreaterThan(1); // one participant per update, clustered once enough have arrived
    const histories = (t.db.$client.prepare("select data from audit_log where action = 'conversation.import'").all() as { data: string }[])
      .map((r) => JSON.parse(r.data).history);
    expect(histories.slice(-2)).toEqual(['votes.csv', 'join-order']);
    // the recompute warm-starts from the replayed state and finds the planted camps
    const job = await ok(await t.call('facilitator', 'POST', `${base(t, id)}/recompute`), 202);
    await t.deps.jobs.runNext();
    expect(t.deps.jobs.get(job.id)!.result).toMatchObject({ status: 'ok', k: 2 });
    const item = t.deps.review.list(t.db, { assemblyId: t.assemblyId, kind: 'opinion-map', status: ['pending'] }).find((i) => i.subject === `conversation:${id}`)!;
    expect((item.provenance as Json).params.warmStart).toBe(true);
    const map = item.payload as OpinionMapPayload;
    const byExt = new Map((t.db.$client.prepare('select id, external_id from conversation_participants where conversation_id = ?').all(id) as { id: number; external_id: number }[]).map((r) => [r.id, r.external_id]));
    const groupsOfCamp = [new Set<number>(), new Set<number>()];
    for (const p of map.participants) if (p.group >= 0) groupsOfCamp[exp.camp(byExt.get(p.participantId)!)].add(p.group);
    expect(groupsOfCamp.map((g) => g.size)).toEqual([1, 1]);
    expect([...groupsOfCamp[0]][0]).not.toBe([...groupsOfCamp[1]][0]);
  });

  it('a long history replay does not hold the event loop: other work runs while an import replays', async () => {
    const exp = plantedPolis({ participants: 400, statements: 20, seed: 11 });
    const id = await newConversation(t, { recomputeEvery: 0 });
    let ticks = 0, longest = 0, last = performance.now();
    const timer = setInterval(() => { const now = performance.now(); longest = Math.max(longest, now - last); last = now; ticks++; }, 5);
    const t0 = performance.now();
    try {
      await ok(await t.call('facilitator', 'POST', `${base(t, id)}/imports`, { comments: exp.comments, participantsVotes: exp.participantsVotes }), 201);
    } finally {
      clearInterval(timer);
    }
    const took = performance.now() - t0;
    expect(took).toBeGreaterThan(300); // long enough for the check to mean something (the replay runs ~200 updates)
    expect(ticks).toBeGreaterThan(took / 200); // a 5 ms timer got through many times during the import
    expect(longest).toBeLessThan(took / 2);
  });

  it('two imports into one conversation at once: one lands, the other is refused (409) and nothing is mixed', async () => {
    // large enough that both replays yield to the event loop, so both pass the first check before either writes
    const a = plantedPolis({ participants: 400, statements: 20, seed: 12 }), b = plantedPolis({ participants: 300, statements: 16, seed: 13 });
    const id = await newConversation(t, { recomputeEvery: 0 });
    const [ra, rb] = await Promise.all([
      t.call('facilitator', 'POST', `${base(t, id)}/imports`, { comments: a.comments, participantsVotes: a.participantsVotes }),
      t.call('facilitator', 'POST', `${base(t, id)}/imports`, { comments: b.comments, participantsVotes: b.participantsVotes }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([201, 409]);
    const n = t.db.$client.prepare('select count(*) n from conversation_participants where conversation_id = ?').get(id) as { n: number };
    expect(n.n).toBe(ra.status === 201 ? 400 : 300);
  });

});
