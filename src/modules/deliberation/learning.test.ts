import { beforeEach, describe, expect, it } from 'vitest';
import { createApiToken } from '../../platform/auth/sessions.js';
import { testService, type TestService } from '../../testing/service.js';
import { panel } from './testkit.js';

let s: TestService;
let ada: string;
let bram: string;
const api = () => `/api/assemblies/${s.assemblyId}`;
const asMember = (userId: string, method: string, path: string, body?: unknown) =>
  s.app.request(`${api()}${path}`, { method, headers: { authorization: `Bearer ${createApiToken(s.db, userId, 't').token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
const detail = async (r: Response) => ((await r.json()) as { detail: string }).detail;

beforeEach(async () => {
  s = await testService();
  [ada, bram] = panel(s, 2).memberIds;
});

describe('learning materials and progress', () => {
  it('needs captions or a transcript for a video; records opened and finished per member', async () => {
    const bare = await s.call('facilitator', 'POST', `${api()}/learning/materials`, { kind: 'video', title: 'Expert talk', url: 'https://video.example/talk', language: 'fr' });
    expect(bare.status).toBe(422);
    expect(await detail(bare)).toBe('A video needs captions or a transcript, so that everyone can follow it.');
    expect(await detail(await s.call('facilitator', 'POST', `${api()}/learning/materials`, { kind: 'reading', title: 'x', url: 'javascript:alert(1)', language: 'fr' }))).toBe("'javascript:alert(1)' is not a web link (http:// or https://).");
    const m = (await (await s.call('facilitator', 'POST', `${api()}/learning/materials`, { kind: 'video', title: 'Expert talk', url: 'https://video.example/talk', transcript: 'Bonjour.', language: 'fr', minutes: 12 })).json()) as { id: string };
    expect((await (await s.call('participant', 'GET', `${api()}/learning/materials`)).json()) as unknown[]).toMatchObject([{ id: m.id, opened: false, finished: false }]);
    await s.call('participant', 'POST', `${api()}/learning/materials/${m.id}/progress`, { state: 'opened' });
    await s.call('participant', 'POST', `${api()}/learning/materials/${m.id}/progress`, { state: 'finished' });
    await asMember(ada, 'POST', `/learning/materials/${m.id}/progress`, { state: 'opened' });
    expect((await (await s.call('participant', 'GET', `${api()}/learning/materials`)).json()) as unknown[]).toMatchObject([{ opened: true, finished: true }]);
    expect(await (await s.call('facilitator', 'GET', `${api()}/learning/progress`)).json()).toEqual([{ materialId: m.id, title: 'Expert talk', members: 3, opened: 2, finished: 1 }]);
  });
  it('learning tasks: one answer per member; facilitators pick answers to share, shown without names', async () => {
    const task = (await (await s.call('facilitator', 'POST', `${api()}/learning/tasks`, { prompt: 'The three most interesting things I learnt' })).json()) as { id: string };
    const sub = (await (await s.call('participant', 'POST', `${api()}/learning/tasks/${task.id}/submissions`, { text: 'Trams, bikes, buses' })).json()) as { id: string };
    expect((await s.call('participant', 'POST', `${api()}/learning/tasks/${task.id}/submissions`, { text: 'again' })).status).toBe(409);
    await asMember(ada, 'POST', `/learning/tasks/${task.id}/submissions`, { text: 'Not shared' });
    expect((await s.call('facilitator', 'POST', `${api()}/learning/submissions/${sub.id}/share`, { shared: true })).status).toBe(200);
    const seen = (await (await asMember(bram, 'GET', '/learning/tasks')).json()) as Array<Record<string, unknown>>;
    expect(seen).toEqual([{ id: task.id, prompt: 'The three most interesting things I learnt', phaseId: null, mine: null, shared: [{ id: sub.id, text: 'Trams, bikes, buses' }] }]);
  });
});

describe('expert Q&A', () => {
  it('refuses duplicate supports and supporting one’s own question', async () => {
    const q = (await (await s.call('participant', 'POST', `${api()}/questions`, { text: 'How much does a tram line cost?' })).json()) as { id: string };
    expect((await asMember(ada, 'POST', `/questions/${q.id}/support`)).status).toBe(200);
    const again = await asMember(ada, 'POST', `/questions/${q.id}/support`);
    expect(again.status).toBe(409);
    expect(await detail(again)).toBe('You already support this question.');
    expect(await detail(await s.call('participant', 'POST', `${api()}/questions/${q.id}/support`))).toBe('You asked this question; support other members’ questions.');
    const list = (await (await asMember(ada, 'GET', '/questions')).json()) as Array<Record<string, unknown>>;
    expect(list[0]).toMatchObject({ supports: 1, supportedByMe: true, mine: false });
    expect(Object.keys(list[0])).not.toContain('userId');
  });
  it('selects a fair slate: every group represented, shares shown; answers by text or link', async () => {
    // latest breakout session: Tester and Ada in group A, Bram in group B
    const b = `${api()}/breakouts`;
    const sid = ((await (await s.call('facilitator', 'POST', `${b}/sessions`, { title: 'W1' })).json()) as { id: string }).id;
    await s.call('facilitator', 'POST', `${b}/sessions/${sid}/groups`, { name: 'A', memberIds: [s.users.participant, ada] });
    await s.call('facilitator', 'POST', `${b}/sessions/${sid}/groups`, { name: 'B', memberIds: [bram] });
    const ask = async (userId: string, text: string) => ((await (await asMember(userId, 'POST', '/questions', { text })).json()) as { id: string }).id;
    const a1 = await ask(s.users.participant, 'Question A one?');
    const a2 = await ask(ada, 'Question A two?');
    const b1 = await ask(bram, 'Question B one?');
    await asMember(ada, 'POST', `/questions/${a1}/support`);
    await asMember(bram, 'POST', `/questions/${a1}/support`);
    await asMember(bram, 'POST', `/questions/${a2}/support`);
    const preview = (await (await s.call('facilitator', 'POST', `${api()}/questions/slate`, { size: 2 })).json()) as { selected: Array<{ id: string; group: string }>; groups: unknown[]; rule: string };
    expect(preview.selected.map((q) => q.id)).toEqual([a1, b1]); // most supported alone would be a1, a2
    expect(preview.groups).toEqual([
      { group: 'A', asked: 2, selected: 1, share: 0.5 },
      { group: 'B', asked: 1, selected: 1, share: 0.5 },
    ]);
    expect(((await (await s.call('participant', 'GET', `${api()}/questions`)).json()) as Array<{ status: string }>).every((q) => q.status === 'open')).toBe(true);
    await s.call('facilitator', 'POST', `${api()}/questions/slate`, { size: 2, apply: true });
    expect((await s.call('facilitator', 'POST', `${api()}/questions/${a1}/answer`, {})).status).toBe(422);
    expect(await (await s.call('facilitator', 'POST', `${api()}/questions/${a1}/answer`, { answerUrl: 'https://video.example/answer' })).json()).toMatchObject({ status: 'answered', answerUrl: 'https://video.example/answer' });
    const statuses = Object.fromEntries(((await (await s.call('participant', 'GET', `${api()}/questions`)).json()) as Array<{ id: string; status: string }>).map((q) => [q.id, q.status]));
    expect(statuses).toEqual({ [a1]: 'answered', [a2]: 'open', [b1]: 'selected' });
  });
});
