/** Deliberation: pure rules for allocations, rooms and the join window. No I/O. */
import { AllocationError } from '../../../pipelines/allocation/index.js';
import { AppError, saying } from '../../platform/errors.js';

/** the join link appears this many minutes before a session starts */
export const JOIN_BEFORE_MINUTES = 15;
/** sessions without an end are taken to last this long (sessions are typically 1–1.5 h) */
export const DEFAULT_SESSION_MINUTES = 90;
/** random bytes in a room name (160 bits ≥ the 128 required) */
export const ROOM_BYTES = 20;

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** RFC 4648 base32, lower case, no padding */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

/** A room name from random bytes (the caller passes ROOM_BYTES from a CSPRNG). */
export function roomName(random: Uint8Array): string {
  if (random.length * 8 < 128) throw new Error('a room name needs at least 128 random bits');
  return `plenary-${base32(random)}`;
}

/** Jitsi-compatible room URL: the configured base and the room name as the path. */
export function roomUrl(base: string, name: string): string {
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(name)}`;
}

export type JoinState = 'unscheduled' | 'early' | 'open' | 'over';

/** Whether the join link is shown now: from 15 minutes before the start until the session's end. */
export function joinState(startsAt: string | null, now: Date, minutes = DEFAULT_SESSION_MINUTES): JoinState {
  if (!startsAt) return 'unscheduled';
  const start = Date.parse(startsAt);
  if (Number.isNaN(start)) return 'unscheduled';
  const t = now.getTime();
  if (t < start - JOIN_BEFORE_MINUTES * 60_000) return 'early';
  if (t > start + minutes * 60_000) return 'over';
  return 'open';
}

/** An impossible allocation as problem+json: which constraint, and by how much. */
export function allocationProblem(e: AllocationError): AppError {
  const path = e.constraint === 'facilitators' ? 'facilitatorIds' : e.constraint === 'groupSize' ? 'groupSize' : e.constraint === 'people' ? 'memberIds' : 'body';
  return new AppError('VALIDATION', e.message, { constraint: e.constraint, ...(e.shortBy !== undefined ? { shortBy: e.shortBy } : {}), errors: [{ path, message: e.message }] });
}

export const groupName = (index: number) => `Group ${index + 1}`;

// ---------------------------------------------------------------------------------------------------------
// Calendar rules

export const TRAINING_MIN_DAYS = 14;
/** members may check in from this many minutes before the start until the end */
export const CHECK_IN_BEFORE_MINUTES = 15;
/** an attendance rate below this is flagged for a call */
export const CALL_BELOW_RATE = 0.75;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function parseDate(v: string, path: string): number {
  const t = DATE.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== v) throw saying(new AppError('VALIDATION', `'${v}' is not a date (YYYY-MM-DD).`, { errors: [{ path, message: 'Not a date' }] }), 'deliberation.err.domain1', { v1: v });
  return t;
}

/** A phase's dates, and the two-week minimum of digital-skills training. */
export function checkPhase(kind: string, startsOn: string, endsOn: string): void {
  const s = parseDate(startsOn, 'startsOn');
  const e = parseDate(endsOn, 'endsOn');
  if (e < s) throw saying(new AppError('VALIDATION', `The phase ends (${endsOn}) before it starts (${startsOn}).`, { errors: [{ path: 'endsOn', message: 'Before the start' }] }), 'deliberation.err.domain2', { v1: endsOn, v2: startsOn });
  const days = Math.round((e - s) / 86_400_000) + 1;
  if (kind === 'training' && days < TRAINING_MIN_DAYS)
    throw saying(new AppError('VALIDATION', `Digital-skills training must last at least two weeks (${TRAINING_MIN_DAYS} days); ${startsOn} to ${endsOn} is ${days} day${days > 1 ? 's' : ''}, ${TRAINING_MIN_DAYS - days} short.`, { errors: [{ path: 'endsOn', message: 'Training shorter than two weeks' }] }), 'deliberation.err.domain3', { v1: TRAINING_MIN_DAYS, v2: startsOn, v3: endsOn, v4: days, v5: days > 1 ? 's' : '', v6: TRAINING_MIN_DAYS - days });
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A session's instants (any ISO 8601 with an offset) → UTC ISO strings; end after start; at most 12 hours. */
export function checkEventTimes(startsAt: string, endsAt: string, timeZone: string): { start: string; end: string } {
  const s = Date.parse(startsAt);
  const e = Date.parse(endsAt);
  if (Number.isNaN(s)) throw saying(new AppError('VALIDATION', `'${startsAt}' is not a date and time.`, { errors: [{ path: 'startsAt', message: 'Not a date-time' }] }), 'deliberation.err.domain4', { v1: startsAt });
  if (Number.isNaN(e)) throw saying(new AppError('VALIDATION', `'${endsAt}' is not a date and time.`, { errors: [{ path: 'endsAt', message: 'Not a date-time' }] }), 'deliberation.err.domain5', { v1: endsAt });
  if (e <= s) throw saying(new AppError('VALIDATION', 'The session must end after it starts.', { errors: [{ path: 'endsAt', message: 'Not after the start' }] }), 'deliberation.err.domain6');
  if (e - s > 12 * 3_600_000) throw saying(new AppError('VALIDATION', 'A session lasts at most 12 hours.', { errors: [{ path: 'endsAt', message: 'Longer than 12 hours' }] }), 'deliberation.err.domain7');
  if (!isTimeZone(timeZone)) throw saying(new AppError('VALIDATION', `'${timeZone}' is not a time zone (use an IANA name such as Europe/Paris).`, { errors: [{ path: 'timeZone', message: 'Unknown time zone' }] }), 'deliberation.err.domain8', { v1: timeZone });
  return { start: new Date(s).toISOString(), end: new Date(e).toISOString() };
}

export const overlaps = (a: { startsAt: string; endsAt: string }, b: { startsAt: string; endsAt: string }) => a.startsAt < b.endsAt && b.startsAt < a.endsAt;

/** Local wall time of an instant in a time zone, for messages and pages. */
export function localTime(iso: string, timeZone: string, locale = 'en-GB'): string {
  return new Date(iso).toLocaleString(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' }) + ` (${timeZone})`;
}

/** offset of a time zone from UTC at an instant, in ms (from Intl's wall-clock parts) */
function zoneOffset(t: number, timeZone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - Math.floor(t / 1000) * 1000;
}

/** A wall-clock time typed in a form ('2030-01-01T18:00') in a time zone → the UTC ISO instant. */
export function zonedToUtc(local: string, timeZone: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) throw saying(new AppError('VALIDATION', `'${local}' is not a date and time.`), 'deliberation.err.domain9', { v1: local });
  if (!isTimeZone(timeZone)) throw saying(new AppError('VALIDATION', `'${timeZone}' is not a time zone (use an IANA name such as Europe/Paris).`), 'deliberation.err.domain10', { v1: timeZone });
  const guess = Date.parse(`${local}:00Z`);
  let t = guess - zoneOffset(guess, timeZone);
  t = guess - zoneOffset(t, timeZone); // once more across a DST change
  return new Date(t).toISOString();
}

// ---------------------------------------------------------------------------------------------------------
// Speaking time

export interface TimedSegment {
  speakerId: string | null;
  start: number;
  end: number;
  status?: string;
}

/**
 * Seconds each speaker spoke in one transcript: the union of their segments (a speaker's overlapping segments count
 * once; different speakers talking at once each count), segments found empty left out, unknown speakers left out.
 */
export function speakingSeconds(segments: TimedSegment[]): Map<string, number> {
  const by = new Map<string, Array<[number, number]>>();
  for (const s of segments) {
    if (!s.speakerId || s.status === 'empty' || !(s.end > s.start)) continue;
    by.set(s.speakerId, [...(by.get(s.speakerId) ?? []), [s.start, s.end]]);
  }
  const out = new Map<string, number>();
  for (const [speaker, spans] of by) {
    spans.sort((a, b) => a[0] - b[0]);
    let total = 0;
    let [cs, ce] = spans[0];
    for (const [s, e] of spans.slice(1)) {
      if (s <= ce) ce = Math.max(ce, e);
      else {
        total += ce - cs;
        [cs, ce] = [s, e];
      }
    }
    out.set(speaker, total + (ce - cs));
  }
  return out;
}
