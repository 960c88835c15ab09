/** Deliberation: pure rules for allocations, rooms and the join window. No I/O. */
import { AllocationError } from '../../../pipelines/allocation/index.js';
import { AppError } from '../../platform/errors.js';

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
