import { beforeEach, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { base32, joinState, roomName, roomUrl } from './domain.js';
import { panel } from './testkit.js';

let s: TestService;
const api = () => `/api/assemblies/${s.assemblyId}`;
const post = (path: string, body: unknown = {}) => s.call('facilitator', 'POST', `${api()}${path}`, body);
async function session(title: string, startsAt: string | null = null) {
  return ((await (await post('/breakouts/sessions', { title, startsAt })).json()) as { id: string }).id;
}
interface View {
  id: string;
  status: string;
  figures: { repeatedPairs: number; meanDistinctMet: number; maxFeatureDeviation: number };
  random: { repeatedPairs: number; maxFeatureDeviation: number };
  groups: Array<{ index: number; roomUrl: string | null; lead: { id: string }; coFacilitator: { id: string }; members: Array<{ memberId: string; pseudonym: string }> }>;
}

/** requests an allocation (a job: 202), runs the job, and reads the draft it wrote */
async function allocateNow(sid: string, body: unknown) {
  const res = await post(`/deliberation/sessions/${sid}/allocations`, body);
  expect(res.status).toBe(202);
  const job = (await res.json()) as { id: string; type: string; status: string };
  expect(job).toMatchObject({ type: 'deliberation.allocate', status: 'queued' });
  const ran = await s.deps.jobs.runNext();
  expect(ran).toMatchObject({ id: job.id, status: 'succeeded' });
  const { allocationId } = ran!.result as { allocationId: string };
  return (await (await s.call('facilitator', 'GET', `${api()}/deliberation/allocations/${allocationId}`)).json()) as View & { historySessions: number };
}

beforeEach(async () => {
  s = await testService({ config: { videoBase: 'https://video.example.org/' } });
});

describe('breakout allocation through the API', () => {
  it('allocates a draft, lets a facilitator move a member, publishes, and only then shows members their group and room', async () => {
    const { memberIds } = panel(s, 23, { staff: 4 }); // + the test participant = 24 members → 3 groups of 8, 6 facilitators
    const sid = await session('Week 1', '2030-01-01T18:00:00Z');
    const v = await allocateNow(sid, { groupSize: 8, features: ['gender', 'age'], seed: 'w1' });
    expect(v.status).toBe('draft');
    expect(v.groups.map((g) => g.members.length)).toEqual([8, 8, 8]);
    expect(new Set(v.groups.flatMap((g) => [g.lead.id, g.coFacilitator.id])).size).toBe(6);
    expect(v.figures.maxFeatureDeviation).toBeLessThanOrEqual(v.random.maxFeatureDeviation);
    expect(v.groups.every((g) => g.roomUrl === null)).toBe(true);

    // a draft is invisible to members and refused to them
    expect(await (await s.call('participant', 'GET', `${api()}/deliberation/my-groups`)).json()).toEqual([]);
    expect((await s.call('participant', 'GET', `${api()}/deliberation/allocations/${v.id}`)).status).toBe(403);

    // move one member of group 0 to group 1: sizes and figures follow
    const mover = v.groups[0].members[0].memberId;
    const moved = (await (await post(`/deliberation/allocations/${v.id}/moves`, { memberId: mover, toGroup: 1 })).json()) as View & { moves: number };
    expect(moved.groups.map((g) => g.members.length)).toEqual([7, 9, 8]);
    expect(moved.groups[1].members.map((m) => m.memberId)).toContain(mover);
    expect(moved.moves).toBe(1);
    const bad = await post(`/deliberation/allocations/${v.id}/moves`, { memberId: mover, toGroup: 7 });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { detail: string }).detail).toBe('There is no group 8; this allocation has 3 groups.');

    const pub = await post(`/deliberation/allocations/${v.id}/publish`);
    expect(pub.status).toBe(200);
    const published = (await pub.json()) as View;
    expect(published.status).toBe('published');
    // the test facilitator sees the room of the groups they lead or co-lead, and only those (admins see all)
    for (const g of published.groups) {
      const mine = g.lead.id === s.users.facilitator || g.coFacilitator.id === s.users.facilitator;
      expect(g.roomUrl !== null).toBe(mine);
    }
    expect((await post(`/deliberation/allocations/${v.id}/publish`)).status).toBe(409);

    // the session starts in 2030: the member sees their group but not yet the room link
    const mine = (await (await s.call('participant', 'GET', `${api()}/deliberation/my-groups`)).json()) as Array<{ members: string[]; room: { state: string; url: string | null } }>;
    expect(mine).toHaveLength(1);
    expect(mine[0].members).toContain('Tester');
    expect(mine[0].room).toEqual({ state: 'early', url: null });
    expect(memberIds).toHaveLength(23);
  });

  it('shows the room link to the group’s members only, 15 minutes before the start', async () => {
    panel(s, 7, { staff: 0 }); // 8 members → one group; the admin and the facilitator lead it
    const soon = new Date(Date.now() + 10 * 60_000).toISOString();
    const sid = await session('Now', soon);
    const v = await allocateNow(sid, { groupSize: 8, features: [] });
    await post(`/deliberation/allocations/${v.id}/publish`);
    const mine = (await (await s.call('participant', 'GET', `${api()}/deliberation/my-groups`)).json()) as Array<{ room: { state: string; url: string } }>;
    expect(mine[0].room.state).toBe('open');
    expect(mine[0].room.url).toMatch(/^https:\/\/video\.example\.org\/plenary-[a-z2-7]{32}$/);
    // the researcher is in no group; the page of another assembly's member would not list it either
    expect(await (await s.call('researcher', 'GET', `${api()}/deliberation/my-groups`)).json()).toMatchObject({ status: 403 });
  });

  it('refuses impossible allocations saying which constraint and by how much, writing nothing', async () => {
    panel(s, 23, { staff: 0 }); // 24 members, 2 facilitators
    const sid = await session('Week 1');
    const few = await post(`/deliberation/sessions/${sid}/allocations`, { groupSize: 8, features: [] });
    expect(few.status).toBe(422);
    expect(few.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await few.json()).toMatchObject({ constraint: 'facilitators', shortBy: 4, detail: '3 groups need 6 facilitators (a lead and a co-facilitator each); 2 available: 4 short.' });
    const size = await post(`/deliberation/sessions/${sid}/allocations`, { groupSize: 20, minGroupSize: 20, features: [] });
    expect(await size.json()).toMatchObject({ status: 422, constraint: 'groupSize', shortBy: 16 });
    const feature = await post(`/deliberation/sessions/${sid}/allocations`, { groupSize: 8, features: ['income'] });
    expect(((await feature.json()) as { detail: string }).detail).toBe("No member has the feature 'income'. Features known from sortition: age, gender.");
    expect(await (await s.call('facilitator', 'GET', `${api()}/deliberation/sessions/${sid}/allocations`)).json()).toEqual([]);
    expect(s.deps.jobs.list({ assemblyId: s.assemblyId, type: 'deliberation.allocate' })).toEqual([]);
  });

  it('runs one allocation of a session at a time, reporting progress; the job writes the draft', async () => {
    panel(s, 23, { staff: 4 });
    const sid = await session('Week 1');
    const first = await post(`/deliberation/sessions/${sid}/allocations`, { groupSize: 8, features: ['gender'] });
    expect(first.status).toBe(202);
    const again = await post(`/deliberation/sessions/${sid}/allocations`, { groupSize: 8, features: ['gender'] });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { detail: string }).detail).toBe("An allocation of 'Week 1' is already running; wait for it to finish.");
    // nothing is written until the job runs
    expect(await (await s.call('facilitator', 'GET', `${api()}/deliberation/sessions/${sid}/allocations`)).json()).toEqual([]);
    const ran = await s.deps.jobs.runNext();
    expect(ran?.status).toBe('succeeded');
    expect(ran?.progress).toBe(1);
    const list = (await (await s.call('facilitator', 'GET', `${api()}/deliberation/sessions/${sid}/allocations`)).json()) as Array<{ id: string; status: string }>;
    expect(list).toEqual([expect.objectContaining({ id: (ran!.result as { allocationId: string }).allocationId, status: 'draft' })]);
  });

  it('counts earlier sessions: the second session avoids pairs who met in the first', async () => {
    // 24 members in groups of 4 → 6 groups (more groups than members per group, so no pair need meet twice)
    panel(s, 23, { staff: 10 });
    const first = await session('Week 1');
    const a = await allocateNow(first, { groupSize: 4, features: ['gender'], seed: 'a' });
    await post(`/deliberation/allocations/${a.id}/publish`);
    const second = await session('Week 2');
    const b = await allocateNow(second, { groupSize: 4, features: ['gender'], seed: 'b' });
    expect(b.historySessions).toBe(1);
    expect(b.figures.repeatedPairs).toBe(0);
    expect(b.figures.meanDistinctMet).toBe(6);
    expect(b.random.repeatedPairs).toBeGreaterThan(0);
  });
});

describe('rooms and the join window', () => {
  it('base32 follows RFC 4648 (test vectors, lower case, no padding)', () => {
    const enc = (s: string) => base32(new TextEncoder().encode(s));
    expect([enc(''), enc('f'), enc('fo'), enc('foo'), enc('foob'), enc('fooba'), enc('foobar')]).toEqual(['', 'my', 'mzxq', 'mzxw6', 'mzxw6yq', 'mzxw6ytb', 'mzxw6ytboi']);
  });
  it('room names carry at least 128 random bits', () => {
    expect(() => roomName(new Uint8Array(15))).toThrow(/128/);
    expect(roomName(new Uint8Array(20).fill(255))).toBe(`plenary-${'7'.repeat(32)}`);
    expect(roomUrl('https://meet.example/', 'plenary-abc')).toBe('https://meet.example/plenary-abc');
  });
  it('opens 15 minutes before the start and closes after 90 minutes', () => {
    const start = '2030-01-01T18:00:00Z';
    expect(joinState(start, new Date('2030-01-01T17:44:59Z'))).toBe('early');
    expect(joinState(start, new Date('2030-01-01T17:45:00Z'))).toBe('open');
    expect(joinState(start, new Date('2030-01-01T19:30:00Z'))).toBe('open');
    expect(joinState(start, new Date('2030-01-01T19:30:01Z'))).toBe('over');
    expect(joinState(null, new Date())).toBe('unscheduled');
  });
});
