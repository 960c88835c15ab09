import { beforeEach, describe, expect, it } from 'vitest';
import { ctxFor } from '../../deps.js';
import { createApiToken } from '../../platform/auth/sessions.js';
import { PUBLIC } from '../../platform/context.js';
import { testService, type TestService } from '../../testing/service.js';
import { join as joinAssembly } from '../identity/service.js';

let s: TestService;
let api: string;
let textId: string;
let paras: number[];
let ada: (method: string, path: string, body?: unknown) => Response | Promise<Response>;

const body = async <T>(res: Response | Promise<Response>) => (await (await res).json()) as T;
type Amendment = { id: number; status: string; conflict: boolean; baseVersion: number; supports: number; result: string | null };
type Detail = { paragraph: { body: string; version: number; status: string }; history: Array<{ version: number; author: string; note: string | null; diff: Array<{ op: string; text: string }> | null }>; amendments: Amendment[] };

beforeEach(async () => {
  s = await testService();
  const id = joinAssembly(ctxFor(s.deps, PUBLIC), { code: s.codes[0], pseudonym: 'Ada', language: 'en' }).user.id;
  const token = createApiToken(s.db, id, 'test').token;
  ada = (method, path, b) => s.call('public', method, path, b, { authorization: `Bearer ${token}` });
  api = `/api/assemblies/${s.assemblyId}/texts`;
  const t = await body<{ id: string }>(s.call('facilitator', 'POST', api, { title: 'Report of the assembly', body: 'Intro paragraph.\n\n# Transport\n\nThe centre should have fewer cars.\n\nBuses should run at night.' }));
  textId = t.id;
  const text = await body<{ sections: Array<{ title: string; paragraphs: Array<{ id: number }> }> }>(s.call('participant', 'GET', `${api}/${textId}`));
  expect(text.sections.map((x) => [x.title, x.paragraphs.length])).toEqual([['', 1], ['Transport', 2]]);
  paras = text.sections.flatMap((x) => x.paragraphs.map((p) => p.id));
});

const amend = (who: 'participant' | 'ada', paragraphId: number, b: unknown) => (who === 'ada' ? ada : (m: string, p: string, x?: unknown) => s.call('participant', m, p, x))('POST', `${api}/${textId}/paragraphs/${paragraphId}/amendments`, b);
const decide = (id: number, b: unknown) => s.call('facilitator', 'POST', `${api}/${textId}/amendments/${id}/decision`, b);
const detail = (id: number) => body<Detail>(s.call('participant', 'GET', `${api}/${textId}/paragraphs/${id}`));

describe('participatory texts and amendments', () => {
  it('a member proposes, others support once and discuss, a facilitator accepts: a new version with its diff, visible to all', async () => {
    const a = await body<Amendment>(amend('participant', paras[1], { kind: 'replace', text: 'The centre should have far fewer cars by 2030.', justification: 'A date makes it concrete.' }));
    expect(a).toMatchObject({ status: 'open', baseVersion: 1, conflict: false });
    expect((await ada('POST', `${api}/${textId}/amendments/${a.id}/supports`)).status).toBe(200);
    const dup = await ada('POST', `${api}/${textId}/amendments/${a.id}/supports`);
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as { detail: string }).detail).toBe('You already support this amendment.');
    expect((await s.call('participant', 'POST', `${api}/${textId}/amendments/${a.id}/supports`)).status).toBe(409); // own amendment
    expect((await ada('POST', `${api}/${textId}/amendments/${a.id}/comments`, { body: 'Good idea.' })).status).toBe(201);
    expect((await body<unknown[]>(s.call('participant', 'GET', `${api}/${textId}/amendments/${a.id}/comments`))).length).toBe(1);
    expect((await s.call('participant', 'POST', `${api}/${textId}/amendments/${a.id}/decision`, { decision: 'accept' })).status).toBe(403);

    const acc = await body<Amendment>(decide(a.id, { decision: 'accept' }));
    expect(acc).toMatchObject({ status: 'accepted', result: 'v2', supports: 1 });
    const d = await detail(paras[1]);
    expect(d.paragraph).toMatchObject({ body: 'The centre should have far fewer cars by 2030.', version: 2 });
    expect(d.history.map((h) => [h.version, h.author, h.note])).toEqual([[2, 'Tester', `amendment:${a.id}`], [1, 'Test facilitator', 'created']]);
    expect(d.history[0].diff!.filter((p) => p.op === 'added').map((p) => p.text).join('')).toContain('far');
    expect(d.history[0].diff!.filter((p) => p.op === 'added').map((p) => p.text).join('')).toContain('by 2030');
    // the public is not a member: the history is for the assembly's members
    expect((await s.call('public', 'GET', `${api}/${textId}/paragraphs/${paras[1]}`)).status).toBe(401);
  });

  it('two amendments to one paragraph: accepting the second after the first is a conflict, nothing lost; its author rebases and it is accepted', async () => {
    const a1 = await body<Amendment>(amend('participant', paras[2], { kind: 'replace', text: 'Buses should run all night.', justification: 'Night workers.' }));
    const a2 = await body<Amendment>(amend('ada', paras[2], { kind: 'replace', text: 'Buses and trams should run at night.', justification: 'Trams too.' }));
    const [r1, r2] = await Promise.all([decide(a1.id, { decision: 'accept' }), decide(a2.id, { decision: 'accept' })]);
    expect(r1.status).toBe(200);
    expect(r2.status).toBe(409);
    expect(((await r2.json()) as { detail: string }).detail).toContain('Its author can rebase it');
    let d = await detail(paras[2]);
    expect(d.paragraph).toMatchObject({ body: 'Buses should run all night.', version: 2 });
    expect(d.amendments.find((x) => x.id === a2.id)).toMatchObject({ status: 'open', conflict: true, baseVersion: 1 });
    expect((await s.call('participant', 'POST', `${api}/${textId}/amendments/${a2.id}/rebase`, {})).status).toBe(403); // not the author
    const rebased = await body<Amendment>(ada('POST', `${api}/${textId}/amendments/${a2.id}/rebase`, { text: 'Buses and trams should run all night.' }));
    expect(rebased).toMatchObject({ conflict: false, baseVersion: 2 });
    expect((await decide(a2.id, { decision: 'accept' })).status).toBe(200);
    d = await detail(paras[2]);
    expect(d.paragraph).toMatchObject({ body: 'Buses and trams should run all night.', version: 3 });
    expect(d.history).toHaveLength(3);
  });

  it('insert after, delete, then amendments to the deleted paragraph are refused; rejections carry a reason; bad input is problem+json', async () => {
    const ins = await body<Amendment>(amend('participant', paras[1], { kind: 'insert_after', text: 'Delivery vans keep access in the morning.', justification: 'Shops.' }));
    const accepted = await body<Amendment>(decide(ins.id, { decision: 'accept' }));
    const text = await body<{ sections: Array<{ paragraphs: Array<{ id: number; body: string }> }> }>(s.call('participant', 'GET', `${api}/${textId}`));
    expect(text.sections[1].paragraphs.map((p) => p.body)).toEqual(['The centre should have fewer cars.', 'Delivery vans keep access in the morning.', 'Buses should run at night.']);
    expect(accepted.result).toBe(`paragraph:${text.sections[1].paragraphs[1].id}`);

    const del = await body<Amendment>(amend('ada', paras[0], { kind: 'delete', justification: 'Says nothing.' }));
    const pending = await body<Amendment>(amend('participant', paras[0], { kind: 'replace', text: 'A better intro.', justification: 'Clearer.' }));
    await decide(del.id, { decision: 'accept' });
    expect((await detail(paras[0])).paragraph.status).toBe('deleted');
    const refused = await amend('participant', paras[0], { kind: 'replace', text: 'Again.', justification: 'x' });
    expect(refused.status).toBe(410);
    expect(((await refused.json()) as { detail: string }).detail).toBe('This paragraph was deleted: it can no longer be amended.');
    expect((await decide(pending.id, { decision: 'accept' })).status).toBe(410);
    expect((await detail(paras[0])).amendments.find((x) => x.id === pending.id)).toMatchObject({ status: 'open', conflict: true });

    const r = await body<Amendment>(amend('participant', paras[2], { kind: 'replace', text: 'Buses should never run.', justification: 'Noise.' }));
    expect((await decide(r.id, { decision: 'reject' })).status).toBe(422);
    expect(await body<{ status: string; decisionReason: string }>(decide(r.id, { decision: 'reject', reason: 'Against the assembly’s vote.' }))).toMatchObject({ status: 'rejected', decisionReason: 'Against the assembly’s vote.' });

    expect((await amend('participant', paras[2], { kind: 'replace', text: 'x', justification: '  ' })).status).toBe(422);
    const long = await amend('participant', paras[2], { kind: 'replace', text: 'y'.repeat(5001), justification: 'long' });
    expect(((await long.json()) as { detail: string }).detail).toBe('A paragraph can be at most 5,000 characters; this one has 5,001.');
    expect((await amend('participant', paras[2], { kind: 'replace', text: 'Buses should run at night.', justification: 'same' })).status).toBe(422);
    const html = await body<{ proposedText: string }>(amend('participant', paras[2], { kind: 'replace', text: '<img src=x onerror=alert(1)>', justification: '<b>x</b>' }));
    expect(html.proposedText).toBe('<img src=x onerror=alert(1)>');
    const page = await (await s.call('participant', 'GET', `/a/${s.assemblyId}/texts/${textId}/paragraphs/${paras[2]}`, undefined, { accept: 'text/html' })).text();
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img src=x');
  });
});
