/**
 * The assembly's calendar: phases, sessions (plenary, study group, breakout) with time zone, language and room;
 * who is expected at each (everyone, or listed members) with overlaps for the same member refused; attendance
 * (facilitators record it, members check in); attendance rates; a secret, revocable iCalendar feed per member.
 */
import { randomBytes } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { AppError, conflict, invalid, notFound, saying } from '../../platform/errors.js';
import { newId, randomToken, sha256 } from '../../platform/ids.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { breakoutsRepo } from '../breakouts/repo.js';
import { sessionOf } from '../breakouts/service.js';
import { calendarRepo as repo, type EventRow } from './calendar-repo.js';
import { CALL_BELOW_RATE, CHECK_IN_BEFORE_MINUTES, checkEventTimes, checkPhase, localTime, overlaps, ROOM_BYTES, roomName, roomUrl } from './domain.js';
import { calendar, type IcalEvent } from './ical.js';
import { deliberationRepo } from './repo.js';
import type { ATTENDANCE, EVENT_KINDS, PHASE_KINDS } from './schema.js';

const by = (ctx: Ctx) => actorId(ctx.actor);

function assemblyOf(db: DbOrTx, assemblyId: string) {
  const a = assembliesRepo.byId(db, assemblyId);
  if (!a) throw saying(notFound('Assembly', assemblyId), 'deliberation.err.notFound.assembly', { id: assemblyId });
  return a;
}
function eventOf(db: DbOrTx, assemblyId: string, eventId: string): EventRow {
  const e = repo.event(db, eventId);
  if (!e || e.assemblyId !== assemblyId) throw saying(notFound('Session', eventId), 'deliberation.err.notFound.session', { id: eventId });
  return e;
}

export function createPhase(ctx: Ctx, assemblyId: string, input: { kind: (typeof PHASE_KINDS)[number]; title: string; startsOn: string; endsOn: string }) {
  assemblyOf(ctx.db, assemblyId);
  checkPhase(input.kind, input.startsOn, input.endsOn);
  return ctx.db.transaction((tx) => {
    const p = repo.insertPhase(tx, { id: newId('ph_'), assemblyId, kind: input.kind, title: input.title.trim(), startsOn: input.startsOn, endsOn: input.endsOn });
    recordAudit(tx, { actorId: by(ctx), action: 'deliberation.phase.create', subject: `phase:${p.id}`, data: { assemblyId, kind: p.kind } });
    return p;
  });
}

export const listPhases = (ctx: Ctx, assemblyId: string) => (assemblyOf(ctx.db, assemblyId), repo.phases(ctx.db, assemblyId));

/** who is expected at each event: every member for 'all', else the listed ones */
/** The members expected at each event: everyone, or those listed. */
export function expected(db: DbOrTx, assemblyId: string, events: EventRow[]): Map<string, Set<string>> {
  const everyone = new Set(repo.memberIds(db, assemblyId));
  const listed = repo.listedMembers(db, events.filter((e) => e.audience === 'listed').map((e) => e.id));
  return new Map(events.map((e) => [e.id, e.audience === 'all' ? everyone : new Set(listed.filter((l) => l.eventId === e.id).map((l) => l.userId))]));
}

export interface EventInput {
  kind: (typeof EVENT_KINDS)[number];
  title: string;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  language: string;
  phaseId?: string | null;
  memberIds?: string[];
  breakoutSessionId?: string | null;
}

export function createEvent(ctx: Ctx, assemblyId: string, input: EventInput) {
  const a = assemblyOf(ctx.db, assemblyId);
  const { start, end } = checkEventTimes(input.startsAt, input.endsAt, input.timeZone);
  const language = input.language.toLowerCase();
  if (!a.languages.includes(language)) throw saying(invalid(`'${language}' is not one of this assembly's languages (${a.languages.join(', ')}).`, [{ path: 'language', message: 'Not an assembly language' }]), 'deliberation.err.calendar1', { v1: language, v2: a.languages.join(', ') });
  if (input.phaseId && repo.phase(ctx.db, input.phaseId)?.assemblyId !== assemblyId) throw saying(invalid(`Phase '${input.phaseId}' does not exist in this assembly.`, [{ path: 'phaseId', message: 'Unknown phase' }]), 'deliberation.err.calendar2', { v1: input.phaseId });
  if (input.breakoutSessionId) sessionOf(ctx.db, assemblyId, input.breakoutSessionId);
  if (input.kind === 'breakout' && !input.breakoutSessionId) throw saying(invalid('A breakout session on the calendar names its breakout session (breakoutSessionId).', [{ path: 'breakoutSessionId', message: 'Required for a breakout' }]), 'deliberation.err.calendar3');
  const members = new Set(repo.memberIds(ctx.db, assemblyId));
  const listed = input.memberIds ? [...new Set(input.memberIds)] : null;
  const stranger = listed?.find((m) => !members.has(m));
  if (stranger) throw saying(invalid(`'${stranger}' is not a member of this assembly.`, [{ path: 'memberIds', message: `Unknown member ${stranger}` }]), 'deliberation.err.calendar4', { v1: stranger });
  const room = input.kind === 'breakout' ? null : roomName(randomBytes(ROOM_BYTES));
  const created = ctx.db.transaction((tx) => {
    // the same member in two sessions at once is refused (checked inside the transaction, so two requests cannot both pass)
    const others = repo.overlapping(tx, assemblyId, start, end).filter((o) => overlaps(o, { startsAt: start, endsAt: end }));
    const mine = listed ? new Set(listed) : members;
    const exp = expected(tx, assemblyId, others);
    for (const o of others) {
      const clash = [...mine].find((m) => exp.get(o.id)!.has(m));
      if (clash) {
        const pseudonym = deliberationRepo.members(tx, assemblyId).find((m) => m.userId === clash)?.pseudonym ?? clash;
        const n = [...mine].filter((m) => exp.get(o.id)!.has(m)).length;
        throw saying(conflict(`'${input.title.trim()}' overlaps '${o.title}' (${localTime(o.startsAt, o.timeZone)} to ${localTime(o.endsAt, o.timeZone)}) for ${n} member${n > 1 ? 's' : ''}, e.g. ${pseudonym}: a member cannot be in two sessions at once.`), 'deliberation.err.calendar5', { v1: input.title.trim(), v2: o.title, v3: localTime(o.startsAt, o.timeZone), v4: localTime(o.endsAt, o.timeZone), v5: n, v6: n > 1 ? 's' : '', v7: pseudonym });
      }
    }
    const e = repo.insertEvent(tx, { id: newId('ev_'), assemblyId, phaseId: input.phaseId ?? null, kind: input.kind, title: input.title.trim(), startsAt: start, endsAt: end, timeZone: input.timeZone, language, audience: listed ? 'listed' : 'all', roomName: room, breakoutSessionId: input.breakoutSessionId ?? null, createdBy: by(ctx) });
    if (listed) repo.insertEventMembers(tx, e.id, listed);
    recordAudit(tx, { actorId: by(ctx), action: 'deliberation.event.create', subject: `event:${e.id}`, data: { assemblyId, kind: e.kind, startsAt: start } });
    return e;
  });
  return eventView(ctx, created, null);
}

function eventView(ctx: Ctx, e: EventRow, forUser: string | null) {
  const now = ctx.clock().getTime();
  const start = Date.parse(e.startsAt);
  const end = Date.parse(e.endsAt);
  const open = now >= start - CHECK_IN_BEFORE_MINUTES * 60_000 && now <= end;
  let url: string | null = null;
  if (open && e.roomName) url = roomUrl(ctx.config.videoBase, e.roomName);
  if (open && e.breakoutSessionId && forUser) {
    const g = deliberationRepo.groupsOf(ctx.db, e.assemblyId, forUser).find((x) => x.group.sessionId === e.breakoutSessionId);
    const room = g ? deliberationRepo.roomOfGroup(ctx.db, g.group.id) : undefined;
    if (room) url = roomUrl(ctx.config.videoBase, room.roomName);
  }
  return { id: e.id, kind: e.kind, title: e.title, startsAt: e.startsAt, endsAt: e.endsAt, timeZone: e.timeZone, language: e.language, phaseId: e.phaseId, audience: e.audience, breakoutSessionId: e.breakoutSessionId, checkInOpen: open, roomUrl: url };
}

/** Facilitators: every session. */
export function listEvents(ctx: Ctx, assemblyId: string) {
  assemblyOf(ctx.db, assemblyId);
  return repo.events(ctx.db, assemblyId).map((e) => eventView(ctx, e, null));
}

/** A member: the sessions they are expected at (from `from`, default the start of today, for `days` days), with their attendance. */
export function myEvents(ctx: Ctx, assemblyId: string, opts: { days?: number } = {}) {
  const me = by(ctx);
  assemblyOf(ctx.db, assemblyId);
  if (!me) return [];
  const from = new Date(ctx.clock());
  from.setUTCHours(0, 0, 0, 0);
  const until = new Date(from.getTime() + (opts.days ?? 7) * 86_400_000).toISOString();
  const all = repo.events(ctx.db, assemblyId).filter((e) => e.endsAt >= from.toISOString() && e.startsAt < until);
  const exp = expected(ctx.db, assemblyId, all);
  const mine = all.filter((e) => exp.get(e.id)!.has(me));
  const att = repo.attendance(ctx.db, mine.map((e) => e.id)).filter((a) => a.userId === me);
  return mine.map((e) => ({ ...eventView(ctx, e, me), attendance: att.find((a) => a.eventId === e.id)?.status ?? null }));
}

export function recordAttendance(ctx: Ctx, assemblyId: string, eventId: string, entries: Array<{ memberId: string; status: (typeof ATTENDANCE)[number] }>) {
  const e = eventOf(ctx.db, assemblyId, eventId);
  const exp = expected(ctx.db, assemblyId, [e]).get(e.id)!;
  const stranger = entries.find((x) => !exp.has(x.memberId));
  if (stranger) throw saying(invalid(`'${stranger.memberId}' is not expected at '${e.title}'.`, [{ path: 'entries', message: `Not expected: ${stranger.memberId}` }]), 'deliberation.err.calendar6', { v1: stranger.memberId, v2: e.title });
  const at = ctx.clock().toISOString();
  ctx.db.transaction((tx) => {
    for (const x of entries) repo.upsertAttendance(tx, { eventId: e.id, userId: x.memberId, status: x.status, source: 'facilitator', recordedBy: by(ctx), recordedAt: at });
    recordAudit(tx, { actorId: by(ctx), action: 'deliberation.attendance.record', subject: `event:${e.id}`, data: { entries: entries.length } });
  });
  return attendanceOfEvent(ctx, assemblyId, eventId);
}

export function attendanceOfEvent(ctx: Ctx, assemblyId: string, eventId: string) {
  const e = eventOf(ctx.db, assemblyId, eventId);
  const exp = expected(ctx.db, assemblyId, [e]).get(e.id)!;
  const byUser = new Map(repo.attendance(ctx.db, [e.id]).map((a) => [a.userId, a]));
  const names = new Map(deliberationRepo.members(ctx.db, assemblyId).map((m) => [m.userId, m.pseudonym ?? 'member']));
  return {
    event: eventView(ctx, e, null),
    members: [...exp]
      .map((id) => {
        const a = byUser.get(id);
        return { memberId: id, pseudonym: names.get(id) ?? 'member', status: a?.status ?? null, source: a?.source ?? null };
      })
      .sort((a, b) => a.pseudonym.localeCompare(b.pseudonym)),
  };
}

/** A member checks in to a session they are expected at, from 15 minutes before the start to its end. */
export function checkIn(ctx: Ctx, assemblyId: string, eventId: string) {
  const me = by(ctx);
  const e = eventOf(ctx.db, assemblyId, eventId);
  if (!me || !expected(ctx.db, assemblyId, [e]).get(e.id)!.has(me)) throw saying(new AppError('FORBIDDEN', `You are not expected at '${e.title}', so you cannot check in to it. Check in to your own sessions from your calendar.`), 'deliberation.err.calendar7', { v1: e.title });
  const now = ctx.clock();
  if (now.getTime() < Date.parse(e.startsAt) - CHECK_IN_BEFORE_MINUTES * 60_000) throw saying(conflict(`Check-in for '${e.title}' opens ${CHECK_IN_BEFORE_MINUTES} minutes before it starts (${localTime(e.startsAt, e.timeZone)}).`), 'deliberation.err.calendar8', { v1: e.title, v2: CHECK_IN_BEFORE_MINUTES, v3: localTime(e.startsAt, e.timeZone) });
  if (now.toISOString() > e.endsAt) throw saying(conflict(`'${e.title}' has ended; ask a facilitator to record your attendance.`), 'deliberation.err.calendar9', { v1: e.title });
  const existing = repo.attendanceOf(ctx.db, e.id, me);
  if (existing?.source === 'facilitator') throw saying(conflict(`A facilitator has already recorded you as ${existing.status} for '${e.title}'.`), 'deliberation.err.calendar10', { v1: existing.status, v2: e.title });
  ctx.db.transaction((tx) => {
    repo.upsertAttendance(tx, { eventId: e.id, userId: me, status: 'present', source: 'self', recordedBy: me, recordedAt: now.toISOString() });
    recordAudit(tx, { actorId: me, action: 'deliberation.attendance.checkin', subject: `event:${e.id}`, data: {} });
  });
  return { eventId: e.id, status: 'present' as const };
}

/**
 * Attendance rates over the sessions that have started: per member (present / expected; excused counted apart;
 * below 75 % flagged for a call) and per breakout group (its members present at its session).
 */
export function attendanceReport(ctx: Ctx, assemblyId: string) {
  assemblyOf(ctx.db, assemblyId);
  const now = ctx.clock().toISOString();
  const held = repo.events(ctx.db, assemblyId).filter((e) => e.startsAt <= now);
  const exp = expected(ctx.db, assemblyId, held);
  // (event, member) is the attendance row's key: one lookup per pair instead of a scan of every row
  const recorded = new Map(repo.attendance(ctx.db, held.map((e) => e.id)).map((a) => [`${a.eventId}\0${a.userId}`, a.status]));
  const status = (eventId: string, userId: string) => recorded.get(`${eventId}\0${userId}`) ?? null;
  const members = deliberationRepo.members(ctx.db, assemblyId).map((m) => {
    const tally = { present: 0, excused: 0, absent: 0, unrecorded: 0 };
    let expectedN = 0;
    for (const e of held) {
      if (!exp.get(e.id)!.has(m.userId)) continue;
      expectedN++;
      tally[(status(e.id, m.userId) as 'present' | 'excused' | 'absent' | null) ?? 'unrecorded']++;
    }
    const rate = expectedN ? tally.present / expectedN : null;
    return { memberId: m.userId, pseudonym: m.pseudonym ?? 'member', expected: expectedN, ...tally, rate, needsCall: rate !== null && rate < CALL_BELOW_RATE };
  });
  const groups = held
    .filter((e) => e.breakoutSessionId)
    .flatMap((e) =>
      breakoutsRepo.groups(ctx.db, e.breakoutSessionId!).map((g) => {
        const ids = breakoutsRepo.members(ctx.db, g.id).map((m) => m.userId);
        const present = ids.filter((id) => status(e.id, id) === 'present').length;
        return { eventId: e.id, eventTitle: e.title, groupId: g.id, groupName: g.name, members: ids.length, present, rate: ids.length ? present / ids.length : null };
      }),
    );
  return { members: members.sort((a, b) => (a.rate ?? 2) - (b.rate ?? 2)), groups };
}

// ---------------------------------------------------------------------------------------------------------
// iCalendar feeds

/** A new secret feed URL for the signed-in member (earlier ones are revoked); the token is shown only now. */
export function createFeed(ctx: Ctx, assemblyId: string) {
  const me = by(ctx);
  assemblyOf(ctx.db, assemblyId);
  if (!me) throw saying(new AppError('UNAUTHENTICATED', 'Sign in to get a calendar link.'), 'deliberation.err.calendar11');
  const token = randomToken(32);
  ctx.db.transaction((tx) => {
    repo.revokeFeeds(tx, assemblyId, me, ctx.clock().toISOString());
    repo.insertFeed(tx, { id: newId('feed_'), assemblyId, userId: me, tokenHash: sha256(token) });
    recordAudit(tx, { actorId: me, action: 'deliberation.feed.create', subject: `feed:${assemblyId}`, data: {} });
  });
  return { path: `/ical/${token}` };
}

export function revokeFeed(ctx: Ctx, assemblyId: string) {
  const me = by(ctx);
  if (!me) throw saying(new AppError('UNAUTHENTICATED', 'Sign in first.'), 'deliberation.err.calendar12');
  return ctx.db.transaction((tx) => {
    const n = repo.revokeFeeds(tx, assemblyId, me, ctx.clock().toISOString());
    recordAudit(tx, { actorId: me, action: 'deliberation.feed.revoke', subject: `feed:${assemblyId}`, data: { revoked: n } });
    return { revoked: n };
  });
}

export const hasFeed = (ctx: Ctx, assemblyId: string) => !!by(ctx) && repo.activeFeeds(ctx.db, assemblyId, by(ctx)!).length > 0;

/** The feed's text/calendar body; an unknown or revoked token is 404. Room links are left out (feeds travel to third parties). */
export function feedIcs(ctx: Ctx, token: string, siteUrl: string): string {
  const feed = repo.feedByHash(ctx.db, sha256(token));
  if (!feed || feed.revokedAt) throw saying(new AppError('NOT_FOUND', 'This calendar link does not exist or was revoked.'), 'deliberation.err.calendar13');
  const a = assemblyOf(ctx.db, feed.assemblyId);
  const all = repo.events(ctx.db, feed.assemblyId);
  const exp = expected(ctx.db, feed.assemblyId, all);
  const events: IcalEvent[] = all
    .filter((e) => exp.get(e.id)!.has(feed.userId))
    .map((e) => ({ uid: `${e.id}@plenary`, start: e.startsAt, end: e.endsAt, summary: e.title, description: `${a.title}\n${e.kind} · ${e.language} · ${localTime(e.startsAt, e.timeZone)}`, url: `${siteUrl}/a/${a.id}/calendar`, lastModified: e.createdAt }));
  return calendar({ name: a.title, events, now: ctx.clock() });
}
