import { beforeEach, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { breakoutIdeas } from '../breakouts/schema.js';
import { laggingGroups, nextRound, roundsOf } from './ideas-domain.js';
import { twoRounds } from './testkit.js';

let s: TestService;
const api = () => `/api/assemblies/${s.assemblyId}`;
const asFac = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => s.call('facilitator', method, `${api()}${path}`, body, headers);
const json = async <T = Record<string, unknown>>(r: Response) => (await r.json()) as T;

interface GroupIdeas {
  group: { round: number };
  canMark: boolean;
  received: Array<{ id: string; text: string; language: string | null; discussed: boolean; origin: { groupId: string; groupName: string; round: number } }>;
}
interface Flow {
  ideas: Array<{ id: string; text: string; targetRound: number; groups: Array<{ groupId: string; seen: boolean; discussed: boolean }> }>;
  groups: Array<{ groupId: string; round: number; received: number; seen: number; discussed: number; lagging: boolean }>;
}

beforeEach(async () => {
  s = await testService();
});

describe('ideas carried from group to group', () => {
  it('a typed idea travels through the review queue to the groups of the next round, which mark it discussed; the flow shows it', async () => {
    const { r2, A, C, D, fac2 } = await twoRounds(s);
    const shared = await asFac('POST', `/deliberation/groups/${A}/ideas`, { text: '  Free buses   on Sundays ' });
    expect(shared.status).toBe(201);
    const draft = await json<{ reviewItemId: string; status: string; targetSessionId: string; originRound: number; targetRound: number }>(shared);
    expect(draft).toMatchObject({ status: 'pending', targetSessionId: r2, originRound: 1, targetRound: 2 });

    // a draft is seen by nobody: the receiving group's page is empty until a facilitator approves it
    expect((await json<GroupIdeas>(await s.call('participant', 'GET', `${api()}/deliberation/groups/${C}/ideas`))).received).toEqual([]);
    expect((await asFac('POST', `/review/${draft.reviewItemId}/approve`)).status).toBe(200);

    const seen = await json<GroupIdeas>(await s.call('participant', 'GET', `${api()}/deliberation/groups/${C}/ideas`));
    expect(seen.received).toHaveLength(1);
    expect(seen.received[0]).toMatchObject({ text: 'Free buses on Sundays', discussed: false, origin: { groupId: A, groupName: 'A', round: 1 } });
    expect(seen.canMark).toBe(false); // members read; their facilitators mark
    const ideaId = seen.received[0].id;
    // the origin group does not receive its own idea
    expect((await json<GroupIdeas>(await asFac('GET', `/deliberation/groups/${A}/ideas`))).received).toEqual([]);

    // marking: a member cannot; the test facilitator leads D, not C; C's facilitator can, once
    expect((await s.call('participant', 'POST', `${api()}/deliberation/groups/${C}/ideas/${ideaId}/discussed`)).status).toBe(403);
    const notTheirs = await asFac('POST', `/deliberation/groups/${C}/ideas/${ideaId}/discussed`);
    expect(notTheirs.status).toBe(403);
    expect(notTheirs.headers.get('content-type')).toContain('application/problem+json');
    expect((await json<{ detail: string }>(notTheirs)).detail).toBe('Only the facilitators of C can mark an idea as discussed by it; you are not one of them.');
    const ok = await fac2.call('POST', `${api()}/deliberation/groups/${C}/ideas/${ideaId}/discussed`);
    expect(ok.status).toBe(200);
    const again = await fac2.call('POST', `${api()}/deliberation/groups/${C}/ideas/${ideaId}/discussed`);
    expect(again.status).toBe(409);
    expect(await json(again)).toMatchObject({ detail: 'C already marked this idea as discussed.', discussedAt: (await json<{ discussedAt: string }>(ok)).discussedAt });
    const origin = await asFac('POST', `/deliberation/groups/${A}/ideas/${ideaId}/discussed`);
    expect(origin.status).toBe(422);
    expect((await json<{ detail: string }>(origin)).detail).toBe('This idea was shared with the groups of round 2, not with A (round 1).');
    expect((await json<GroupIdeas>(await s.call('participant', 'GET', `${api()}/deliberation/groups/${C}/ideas`))).received[0].discussed).toBe(true);

    const flow = await json<Flow>(await asFac('GET', '/deliberation/ideas/flow'));
    expect(flow.ideas).toHaveLength(1);
    expect(flow.ideas[0].targetRound).toBe(2);
    expect(flow.ideas[0].groups).toEqual([
      { groupId: C, groupName: 'C', seen: true, discussed: true },
      { groupId: D, groupName: 'D', seen: false, discussed: false },
    ]);
    expect(flow.groups.find((g) => g.groupId === D)).toMatchObject({ round: 2, received: 1, seen: 0, discussed: 0 });
    expect(flow.groups.find((g) => g.groupId === A)).toMatchObject({ round: 1, received: 0 });
    // members cannot read the flow
    expect((await s.call('participant', 'GET', `${api()}/deliberation/ideas/flow`)).status).toBe(403);
  });

  it('an edited idea travels with the reviewer’s words; a rejected one never reaches the groups', async () => {
    const { A, C } = await twoRounds(s);
    const a = await json<{ reviewItemId: string }>(await asFac('POST', `/deliberation/groups/${A}/ideas`, { text: 'Bus gratuits le dimanch', language: 'fr' }));
    const b = await json<{ reviewItemId: string }>(await asFac('POST', `/deliberation/groups/${A}/ideas`, { text: 'Something off-topic' }));
    const item = s.deps.review.get(s.db, a.reviewItemId);
    expect((await asFac('POST', `/review/${a.reviewItemId}/edit`, { payload: { ...(item.payload as object), text: 'Bus gratuits le dimanche' } })).status).toBe(200);
    expect((await asFac('POST', `/review/${b.reviewItemId}/reject`, { reason: 'Not an idea from the discussion' })).status).toBe(200);
    const seen = await json<GroupIdeas>(await s.call('participant', 'GET', `${api()}/deliberation/groups/${C}/ideas`));
    expect(seen.received.map((r) => [r.text, r.language])).toEqual([['Bus gratuits le dimanche', 'fr']]);
  });

  it('refuses sharing into a round that does not exist or is not later, by someone not leading the group, and twice the same extracted idea', async () => {
    const { r1, A, B, C, fac2 } = await twoRounds(s);
    const noRound = await asFac('POST', `/deliberation/groups/${A}/ideas`, { text: 'x', targetSessionId: 'bs_nope' });
    expect(noRound.status).toBe(422);
    expect(noRound.headers.get('content-type')).toContain('application/problem+json');
    expect(await json(noRound)).toMatchObject({ detail: "There is no round (breakout session) 'bs_nope' in this assembly; an idea can only be shared into a round that exists.", errors: [{ path: 'targetSessionId' }] });
    // in French for a French reader (the same sentence from the catalogue)
    const fr = await asFac('POST', `/deliberation/groups/${A}/ideas?lang=fr`, { text: 'x', targetSessionId: 'bs_nope' });
    expect((await json<{ detail: string }>(fr)).detail).toBe("Il n'y a pas de tour (session en petits groupes) « bs_nope » dans cette assemblée ; une idée ne peut être transmise qu'à un tour qui existe.");
    const backwards = await fac2.call('POST', `${api()}/deliberation/groups/${C}/ideas`, { text: 'x', targetSessionId: r1 });
    expect((await json<{ detail: string }>(backwards)).detail).toBe('Ideas travel forward: round 1 is not after round 2, where C met.');
    const noNext = await fac2.call('POST', `${api()}/deliberation/groups/${C}/ideas`, { text: 'x' });
    expect(noNext.status).toBe(422);
    expect((await json<{ detail: string }>(noNext)).detail).toBe("There is no round after round 2 yet: create the next breakout session, then share C's idea.");
    const notLead = await asFac('POST', `/deliberation/groups/${B}/ideas`, { text: 'x' });
    expect(notLead.status).toBe(403);
    expect((await asFac('POST', `/deliberation/groups/${A}/ideas`, { text: '   ' })).status).toBe(422);
    expect((await asFac('POST', `/deliberation/groups/${A}/ideas`, { text: 'y'.repeat(2001) })).status).toBe(422);
    expect((await asFac('POST', `/deliberation/groups/${A}/ideas`, {})).status).toBe(422);
    expect((await asFac('POST', `/deliberation/groups/${A}/ideas`, { breakoutIdeaId: 'bi_nope' })).status).toBe(422);
    // nothing was written by the refusals
    expect(s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'shared-idea' })).toEqual([]);
    // an idea extracted from A's approved transcript: shared once per round
    s.db.insert(breakoutIdeas).values({ id: 'bi_1', assemblyId: s.assemblyId, sessionId: r1, groupId: A, transcriptId: 'bt_1', reviewItemId: 'ri_x', subject: 'idea:1', kind: 'proposal', text: 'Night trains', quote: 'we need night trains', start: 1, end: 2, language: 'en' }).run();
    const once = await json<{ reviewItemId: string }>(await asFac('POST', `/deliberation/groups/${A}/ideas`, { breakoutIdeaId: 'bi_1' }));
    expect(s.deps.review.get(s.db, once.reviewItemId).payload).toMatchObject({ text: 'Night trains', source: 'transcript', sourceIdeaId: 'bi_1' });
    expect((await asFac('POST', `/review/${once.reviewItemId}/approve`)).status).toBe(200);
    const twice = await asFac('POST', `/deliberation/groups/${A}/ideas`, { breakoutIdeaId: 'bi_1' });
    expect(twice.status).toBe(409);
    expect((await json<{ detail: string }>(twice)).detail).toBe('This idea was already shared with round 2.');
    expect((await json<GroupIdeas>(await s.call('participant', 'GET', `${api()}/deliberation/groups/${C}/ideas`))).received.map((r) => r.text)).toEqual(['Night trains']);
    // an unknown idea to mark: 404
    expect((await fac2.call('POST', `${api()}/deliberation/groups/${C}/ideas/si_nope/discussed`)).status).toBe(404);
  });

  it('a member outside the group cannot read its ideas', async () => {
    const { A } = await twoRounds(s);
    const res = await s.call('participant', 'GET', `${api()}/deliberation/groups/${A}/ideas`);
    expect(res.status).toBe(403);
    expect((await json<{ detail: string }>(res)).detail).toBe('You are not in A; its ideas are shown to its members and facilitators.');
  });
});

describe('rounds and lagging groups (pure)', () => {
  it('orders rounds by start, then creation', () => {
    const r = roundsOf([
      { id: 'b', startsAt: '2030-01-08T00:00:00Z', createdAt: '2029-01-01' },
      { id: 'a', startsAt: '2030-01-01T00:00:00Z', createdAt: '2029-01-02' },
      { id: 'c', startsAt: null, createdAt: '2031-01-01' },
    ]);
    expect([...r]).toEqual([['a', 1], ['b', 2], ['c', 3]]);
    expect(nextRound(r, 'a')).toBe('b');
    expect(nextRound(r, 'c')).toBeUndefined();
  });
  it('flags a group well below its round’s median, not one idea behind, not across rounds', () => {
    const g = (groupId: string, round: number, count: number) => ({ groupId, round, count });
    expect([...laggingGroups([g('a', 1, 6), g('b', 1, 6), g('c', 1, 2), g('d', 1, 5)])]).toEqual(['c']);
    expect([...laggingGroups([g('a', 1, 3), g('b', 1, 2), g('c', 2, 0), g('d', 2, 0)])]).toEqual([]);
    expect([...laggingGroups([g('a', 1, 2), g('b', 1, 2), g('c', 1, 0)])]).toEqual(['c']);
  });
});
