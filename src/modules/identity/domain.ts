import { z } from 'zod';

export const PSEUDONYM = z
  .string()
  .trim()
  .min(2, 'A pseudonym has at least 2 characters.')
  .max(40, 'A pseudonym has at most 40 characters.')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._'-]*$/u, 'Use letters, digits, spaces, dots, dashes or apostrophes.');

export const USERNAME = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(64)
  .regex(/^[a-z0-9._-]+$/, 'Use lower-case letters, digits, dots, dashes or underscores.');

export const PASSWORD = z.string().min(10, 'Passwords have at least 10 characters.').max(200);

/** Invitation codes: 4 groups of 4 unambiguous characters, e.g. K7QM-2XHD-9RTP-W4NC */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export function formatInvitationCode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += ALPHABET[bytes[i] % ALPHABET.length];
  return s.match(/.{4}/g)!.join('-');
}
export function normaliseInvitationCode(code: string): string {
  const c = code.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return c.match(/.{1,4}/g)?.join('-') ?? '';
}
