import { describe, expect, it } from 'vitest';
import { ctxFor } from '../../deps.js';
import { createApiToken } from '../../platform/auth/sessions.js';
import { PUBLIC } from '../../platform/context.js';
import { testService } from '../../testing/service.js';
import { mapSubject } from '../contributions/domain.js';
import { createInvitations, join } from '../identity/service.js';

/**
 * Free-text survey answers through the contributions module's text-map pipeline: imported without their authors as
 * contributions of their own topic (only new answers on a second send), the same text-map job drafts a map that waits
 * in the review queue and opens on the same desk; bad requests are refused with a problem and change nothing.
 */
const ANSWERS = [
  'More buses at night and safer cycle lanes.',
  'Cheaper public transport for young people.',
  'Safer cycle lanes on the main roads, please.',
  'Trees and shade in the school streets.',
  'Night buses to the villages around the town.',
  'Shade and water fountains in the squares.',
];

describe('survey free-text answers to the text map', () => {
  it('imports the answers without authors, queues the text map, and the draft goes to review', async () => {
    const s = await testService();
    const admin = ctxFor(s.deps, { kind: 'user', id: s.users.admin, role: 'admin', displayName: 'A', language: 'en', via: 'token', assemblyIds: [] });
    const { codes } = createInvitations(admin, s.assemblyId, { count: 6 });
    const users = [s.users.participant, ...codes.map((code, i) => join(ctxFor(s.deps, PUBLIC), { code, pseudonym: `Member ${i}`, language: 'en' }).user.id)];
    const tokens = users.map((u) => createApiToken(s.db, u, 't').token);
    const api = `/api/assemblies/${s.assemblyId}/surveys`;
    const sv = (await (await s.call('facilitator', 'POST', api, { title: 'After the assembly', phase: 'post', questions: [{ key: 'ideas', kind: 'text', label: 'What should change?' }, { key: 'trust', kind: 'scale', label: 'Trust', min: 1, max: 5 }] })).json()) as { id: string };
    const answer = (i: number, body: Record<string, unknown>) => s.app.request(`${api}/${sv.id}/answers`, { method: 'POST', headers: { authorization: `Bearer ${tokens[i]}`, 'content-type': 'application/json' }, body: JSON.stringify({ answers: body }) });
    for (let i = 0; i < 4; i++) expect((await answer(i, { ideas: ANSWERS[i], trust: 3 })).status).toBe(200);
    expect((await answer(4, { trust: 4 })).status).toBe(200); // no text: not counted
    const send = (key: string) => s.call('facilitator', 'POST', `${api}/${sv.id}/questions/${key}/text-map`);
    const contributions = () => s.db.$client.prepare("select text, author_id as authorId, author_label as authorLabel, external_id as externalId, topic from contributions order by external_id").all() as Array<Record<string, string | null>>;
    const jobs = () => (s.db.$client.prepare('select count(*) as n from jobs').get() as { n: number }).n;
    const before = jobs();
    const few = await send('ideas');
    expect(few.status).toBe(412);
    expect(((await few.json()) as { detail: string }).detail).toBe('Only 4 member(s) answered “What should change?”; the text map needs at least 5 answers.');
    expect((await send('trust')).status).toBe(422);
    expect((await send('nope')).status).toBe(404);
    expect((await s.call('participant', 'POST', `${api}/${sv.id}/questions/ideas/text-map`)).status).toBe(403);
    expect([contributions().length, jobs()]).toEqual([0, before]);

    expect((await answer(5, { ideas: ANSWERS[4] })).status).toBe(200);
    const sent = await send('ideas');
    expect(sent.status).toBe(202);
    const body = (await sent.json()) as { topic: string; answers: number; imported: number; jobId: string };
    expect(body).toMatchObject({ topic: 'After the assembly — What should change?', answers: 5, imported: 5 });
    const rows = contributions();
    expect(rows.map((r) => r.text).sort()).toEqual(ANSWERS.slice(0, 5).sort());
    for (const r of rows) {
      expect([r.authorId, r.authorLabel, r.topic]).toEqual([null, null, body.topic]);
      for (const u of users) expect(r.externalId).not.toContain(u);
    }
    for (let i = 0; i < 20 && (await s.deps.jobs.runNext()); i++);
    expect(s.deps.jobs.get(body.jobId)!.status, String(s.deps.jobs.get(body.jobId)!.error)).toBe('succeeded');
    const items = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'text-map', status: ['pending'] });
    const item = items.find((i) => i.subject === mapSubject(s.assemblyId, body.topic));
    expect(item).toBeDefined();
    const desk = await (await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/review/${item!.id}`, undefined, { accept: 'text/html' })).text();
    expect(desk).toContain('data-text-map');
    const page = await (await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/surveys/${sv.id}`, undefined, { accept: 'text/html' })).text();
    expect(page).toContain(`/review/${item!.id}`);

    // a second send imports only the answer that came since
    expect((await answer(6, { ideas: ANSWERS[5] })).status).toBe(200);
    const again = (await (await send('ideas')).json()) as { answers: number; imported: number };
    expect(again).toMatchObject({ answers: 6, imported: 1 });
    expect(contributions()).toHaveLength(6);
  });
});
