import { beforeEach, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';

let s: TestService;
let api: string;

beforeEach(async () => {
  s = await testService();
  api = `/api/assemblies/${s.assemblyId}/recommendations`;
});

const body = async <T>(res: Response) => (await res.json()) as T;
type Rec = { id: string; version: number; status: string; proposal: string; costs: string; debateId: string };

describe('recommendations', () => {
  it('versions every field with author and time, refuses stale edits, diffs versions, and has its own comments', async () => {
    const created = await s.call('participant', 'POST', api, { title: 'Car-free city centre', drafterKind: 'working_party', drafterName: 'Mobility working party', proposal: 'Close the centre to private cars.' });
    expect(created.status).toBe(201);
    const rec = await body<Rec>(created);
    expect(rec).toMatchObject({ version: 1, status: 'draft' });

    const e1 = await body<Rec>(await s.call('facilitator', 'PATCH', `${api}/${rec.id}`, { baseVersion: 1, proposal: 'Close the centre to private cars on weekends.', costs: 'About 2 M€ for signs and buses.' }));
    expect(e1.version).toBe(2);
    // someone still editing version 1 is told, and nothing is overwritten
    const stale = await s.call('participant', 'PATCH', `${api}/${rec.id}`, { baseVersion: 1, proposal: 'Something else.' });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { detail: string }).detail).toContain('Test facilitator');
    expect((await body<Rec>(await s.call('participant', 'GET', `${api}/${rec.id}`))).proposal).toBe('Close the centre to private cars on weekends.');
    // an edit that changes nothing makes no version
    expect((await body<Rec>(await s.call('participant', 'PATCH', `${api}/${rec.id}`, { baseVersion: 2, costs: 'About 2 M€ for signs and buses.' }))).version).toBe(2);

    const versions = await body<Array<{ version: number; author: string; changed: string[] }>>(await s.call('participant', 'GET', `${api}/${rec.id}/versions`));
    expect(versions.map((v) => [v.version, v.author])).toEqual([[2, 'Test facilitator'], [1, 'Tester']]);
    expect(versions[0].changed.sort()).toEqual(['costs', 'proposal']);
    const diff = await body<Record<string, Array<{ op: string; text: string }>>>(await s.call('participant', 'GET', `${api}/${rec.id}/diff?from=1&to=2`));
    expect(diff.proposal.filter((p) => p.op === 'added').map((p) => p.text.trim()).join(' ')).toContain('on weekends');
    expect(Object.keys(diff).sort()).toEqual(['costs', 'proposal']);
    expect((await s.call('participant', 'GET', `${api}/${rec.id}/diff?from=2&to=1`)).status).toBe(422);

    // comments live in an attached debate (not listed among debates)
    const c = await s.call('participant', 'POST', `/api/assemblies/${s.assemblyId}/debates/${rec.debateId}/comments`, { body: 'Weekends only is a good start.', alignment: 'in_favour' });
    expect(c.status).toBe(201);
    const listed = await body<Array<{ id: string }>>(await s.call('participant', 'GET', `/api/assemblies/${s.assemblyId}/debates`));
    expect(listed.map((d) => d.id)).not.toContain(rec.debateId);
  });

  it('moves through draft → under discussion → final → put to the vote, by facilitators only; final texts are frozen', async () => {
    const rec = await body<Rec>(await s.call('facilitator', 'POST', api, { title: 'Night buses', drafterKind: 'group', drafterName: 'Group A' }));
    const to = (role: 'participant' | 'facilitator', status: string) => s.call(role, 'POST', `${api}/${rec.id}/status`, { status });
    expect((await to('participant', 'under_discussion')).status).toBe(403);
    expect((await to('facilitator', 'final')).status).toBe(409);
    expect((await to('facilitator', 'under_discussion')).status).toBe(200);
    expect((await to('facilitator', 'final')).status).toBe(200);
    expect((await s.call('participant', 'PATCH', `${api}/${rec.id}`, { baseVersion: 1, proposal: 'late' })).status).toBe(409);
    expect((await to('facilitator', 'put_to_vote')).status).toBe(200);
    expect((await to('facilitator', 'under_discussion')).status).toBe(409);
  });

  it('checks fields: limits in words, evidence as http(s) links, HTML kept as text', async () => {
    const bad = await s.call('participant', 'POST', api, { title: 'Ok title', drafterKind: 'group', drafterName: 'G', proposal: 'x' });
    expect(bad.status).toBe(422);
    const long = await s.call('participant', 'POST', api, { title: 'Ok title', drafterKind: 'group', drafterName: 'Group', proposal: 'x'.repeat(4001) });
    expect(((await long.json()) as { detail: string }).detail).toBe('The field “proposal” can be at most 4,000 characters; it has 4,001.');
    const ev = await s.call('participant', 'POST', api, { title: 'Ok title', drafterKind: 'group', drafterName: 'Group', evidence: 'https://example.org/study A study\njavascript:alert(1)' });
    expect(((await ev.json()) as { detail: string }).detail).toBe('Evidence line 2 must start with a web link (http:// or https://), then an optional title.');
    const html = await body<Rec>(await s.call('participant', 'POST', api, { title: 'Ok <b>title</b>', drafterKind: 'group', drafterName: 'Group', proposal: '<script>x()</script>' }));
    const page = await (await s.call('participant', 'GET', `/a/${s.assemblyId}/recommendations/${html.id}`, undefined, { accept: 'text/html' })).text();
    expect(page).toContain('&lt;script&gt;x()&lt;/script&gt;');
    expect(page).not.toContain('<script>x()');
  });
});
