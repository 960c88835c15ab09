import { beforeEach, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { zonedToUtc } from './domain.js';
import { panel } from './testkit.js';

let s: TestService;
let ada: string;
let bram: string;
const api = () => `/api/assemblies/${s.assemblyId}/calendar`;
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const event = (body: Record<string, unknown>) => s.call('facilitator', 'POST', `${api()}/sessions`, { kind: 'study_group', timeZone: 'Europe/Paris', language: 'fr', ...body });
const detail = async (r: Response) => ((await r.json()) as { detail: string }).detail;

beforeEach(async () => {
  s = await testService();
  [ada, bram] = panel(s, 2).memberIds;
});

describe('phases', () => {
  it('refuses digital-skills training shorter than two weeks, saying by how much', async () => {
    const short = await s.call('facilitator', 'POST', `${api()}/phases`, { kind: 'training', title: 'Numérique', startsOn: '2030-01-01', endsOn: '2030-01-10' });
    expect(short.status).toBe(422);
    expect(await detail(short)).toBe('Digital-skills training must last at least two weeks (14 days); 2030-01-01 to 2030-01-10 is 10 days, 4 short.');
    expect((await s.call('facilitator', 'POST', `${api()}/phases`, { kind: 'training', title: 'Numérique', startsOn: '2030-01-01', endsOn: '2030-01-14' })).status).toBe(201);
    expect((await s.call('facilitator', 'POST', `${api()}/phases`, { kind: 'learning', title: 'x', startsOn: '2030-02-30', endsOn: '2030-03-01' })).status).toBe(422);
    expect(await (await s.call('participant', 'GET', `${api()}/phases`)).json()).toHaveLength(1);
  });
});

describe('sessions', () => {
  it('refuses a session that puts a member in two sessions at once, and allows disjoint members', async () => {
    const plenary = await event({ kind: 'plenary', title: 'Plénière 1', startsAt: '2030-01-07T18:00:00+01:00', endsAt: '2030-01-07T19:30:00+01:00' });
    expect(plenary.status).toBe(201);
    expect(await plenary.json()).toMatchObject({ startsAt: '2030-01-07T17:00:00.000Z', endsAt: '2030-01-07T18:30:00.000Z', roomUrl: null });
    const clash = await event({ title: 'Groupe d’étude', startsAt: '2030-01-07T19:00:00+01:00', endsAt: '2030-01-07T20:00:00+01:00', memberIds: [ada] });
    expect(clash.status).toBe(409);
    expect(await detail(clash)).toBe("'Groupe d’étude' overlaps 'Plénière 1' (7 Jan 2030, 18:00 (Europe/Paris) to 7 Jan 2030, 19:30 (Europe/Paris)) for 1 member, e.g. M01: a member cannot be in two sessions at once.");
    // back to back is not an overlap; two study groups at once with different members are fine
    expect((await event({ title: 'A', startsAt: '2030-01-07T19:30:00+01:00', endsAt: '2030-01-07T20:30:00+01:00', memberIds: [ada] })).status).toBe(201);
    expect((await event({ title: 'B', startsAt: '2030-01-07T19:30:00+01:00', endsAt: '2030-01-07T20:30:00+01:00', memberIds: [bram] })).status).toBe(201);
    expect((await event({ title: 'C', startsAt: '2030-01-07T20:00:00+01:00', endsAt: '2030-01-07T21:00:00+01:00', memberIds: [bram] })).status).toBe(409);
    expect(await (await s.call('facilitator', 'GET', `${api()}/sessions`)).json()).toHaveLength(3);
  });
  it('refuses bad times and zones', async () => {
    expect(await detail(await event({ title: 'x', startsAt: '2030-01-07T18:00:00Z', endsAt: '2030-01-07T17:00:00Z' }))).toBe('The session must end after it starts.');
    expect(await detail(await event({ title: 'x', startsAt: '2030-01-07T18:00:00Z', endsAt: '2030-01-07T19:00:00Z', timeZone: 'Mars/Olympus' }))).toMatch(/'Mars\/Olympus' is not a time zone/);
    expect(await detail(await event({ title: 'x', startsAt: '2030-01-07T18:00:00Z', endsAt: '2030-01-07T19:00:00Z', language: 'de' }))).toMatch(/'de' is not one of this assembly's languages/);
  });
  it('turns a wall-clock time in a zone into UTC, across summer time', () => {
    expect(zonedToUtc('2030-01-07T18:00', 'Europe/Paris')).toBe('2030-01-07T17:00:00.000Z');
    expect(zonedToUtc('2030-07-07T18:00', 'Europe/Paris')).toBe('2030-07-07T16:00:00.000Z');
    expect(zonedToUtc('2030-07-07T18:00', 'America/Montreal')).toBe('2030-07-07T22:00:00.000Z');
  });
});

describe('attendance', () => {
  it('members check in to their own sessions only; facilitators record the rest; rates flag who needs a call', async () => {
    const now = (await (await event({ kind: 'plenary', title: 'Plénière', startsAt: inMinutes(-30), endsAt: inMinutes(60) })).json()) as { id: string; roomUrl: string | null };
    expect(now.roomUrl).toMatch(/^https:\/\/meet\.jit\.si\/plenary-[a-z2-7]{32}$/);
    const study = (await (await event({ title: 'Étude', startsAt: inMinutes(70), endsAt: inMinutes(130), memberIds: [ada] })).json()) as { id: string };
    const notMine = await s.call('participant', 'POST', `${api()}/sessions/${study.id}/check-in`);
    expect(notMine.status).toBe(403);
    expect(notMine.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await detail(notMine)).toBe("You are not expected at 'Étude', so you cannot check in to it. Check in to your own sessions from your calendar.");
    expect((await s.call('participant', 'POST', `${api()}/sessions/${now.id}/check-in`)).status).toBe(200);
    const mine = (await (await s.call('participant', 'GET', `${api()}/mine`)).json()) as Array<{ id: string; attendance: string | null; roomUrl: string | null }>;
    expect(mine.map((e) => e.id)).toEqual([now.id]);
    expect(mine[0]).toMatchObject({ attendance: 'present' });
    expect(mine[0].roomUrl).toBe(now.roomUrl);

    const rec = await s.call('facilitator', 'PUT', `${api()}/sessions/${now.id}/attendance`, { entries: [{ memberId: ada, status: 'excused' }, { memberId: bram, status: 'absent' }] });
    expect(rec.status).toBe(200);
    const stranger = await s.call('facilitator', 'PUT', `${api()}/sessions/${study.id}/attendance`, { entries: [{ memberId: ada, status: 'present' }, { memberId: bram, status: 'present' }] });
    expect(stranger.status).toBe(422);
    const after = (await (await s.call('facilitator', 'GET', `${api()}/sessions/${study.id}/attendance`)).json()) as { members: Array<{ status: string | null }> };
    expect(after.members).toEqual([expect.objectContaining({ status: null })]); // nothing half-written
    const report = (await (await s.call('facilitator', 'GET', `${api()}/attendance`)).json()) as { members: Array<{ pseudonym: string; rate: number; needsCall: boolean; excused: number }> };
    const by = Object.fromEntries(report.members.map((m) => [m.pseudonym, m]));
    expect(by.Tester).toMatchObject({ rate: 1, needsCall: false });
    expect(by.M01).toMatchObject({ rate: 0, excused: 1, needsCall: true });
    expect(by.M02).toMatchObject({ rate: 0, needsCall: true });
  });
  it('check-in opens 15 minutes before the start', async () => {
    const later = (await (await event({ kind: 'plenary', title: 'Demain', startsAt: inMinutes(60 * 24), endsAt: inMinutes(60 * 25) })).json()) as { id: string };
    const r = await s.call('participant', 'POST', `${api()}/sessions/${later.id}/check-in`);
    expect(r.status).toBe(409);
    expect(await detail(r)).toMatch(/^Check-in for 'Demain' opens 15 minutes before it starts/);
  });
});

describe('iCalendar feed', () => {
  it('serves the member’s sessions at a secret URL until revoked, then 404', async () => {
    await event({ kind: 'plenary', title: 'Plénière, salle A; étage 2', startsAt: '2030-01-07T18:00:00+01:00', endsAt: '2030-01-07T19:30:00+01:00' });
    await event({ title: 'Pas pour moi', startsAt: '2030-01-08T18:00:00+01:00', endsAt: '2030-01-08T19:00:00+01:00', memberIds: [ada] });
    const { path } = (await (await s.call('participant', 'POST', `${api()}/feed`)).json()) as { path: string };
    expect(path).toMatch(/^\/ical\/[A-Za-z0-9_-]{43}$/);
    const res = await s.app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const ics = await res.text();
    const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
    expect(lines).toContain('SUMMARY:Plénière\\, salle A\\; étage 2');
    expect(lines).toContain('DTSTART:20300107T170000Z');
    expect(ics).not.toContain('Pas pour moi');
    expect(ics).not.toContain('plenary-'); // no room links in a feed
    // a new link replaces the old one; revoking ends it
    const second = ((await (await s.call('participant', 'POST', `${api()}/feed`)).json()) as { path: string }).path;
    expect((await s.app.request(path)).status).toBe(404);
    expect((await s.app.request(second)).status).toBe(200);
    expect(await (await s.call('participant', 'DELETE', `${api()}/feed`)).json()).toEqual({ revoked: 1 });
    const gone = await s.app.request(second);
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await detail(gone)).toBe('This calendar link does not exist or was revoked.');
  });
});
