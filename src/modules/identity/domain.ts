import { z } from 'zod';

/**
 * Words a pseudonym may not contain because they make a participant look like staff (fr and en), compared
 * without case or accents, as whole words.
 */
export const ROLE_WORDS = [
  'admin', 'administrator', 'administrateur', 'administratrice', 'admins',
  'facilitator', 'facilitateur', 'facilitatrice', 'cofacilitator', 'cofacilitateur', 'cofacilitatrice',
  'moderator', 'moderateur', 'moderatrice', 'animateur', 'animatrice', 'organiser', 'organizer', 'organisateur', 'organisatrice',
  'researcher', 'chercheur', 'chercheuse', 'staff', 'equipe', 'plenary', 'system', 'systeme', 'support',
] as const;

/** lower case, no accents, only letters and digits separated by single spaces */
export function foldName(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** the role word a pseudonym contains (with "co-" prefixes folded), or null */
export function roleWordIn(pseudonym: string): string | null {
  const words = foldName(pseudonym).split(' ');
  const joined = words.map((w, i) => (w === 'co' && words[i + 1] ? `co${words[i + 1]}` : w));
  for (const w of [...words, ...joined]) if ((ROLE_WORDS as readonly string[]).includes(w)) return w;
  return null;
}

/** whether a pseudonym contains a staff member's display name (folded; names under 4 letters are ignored) */
export function imitatesStaffName(pseudonym: string, staffNames: string[]): string | null {
  const p = ` ${foldName(pseudonym)} `;
  for (const n of staffNames) {
    const f = foldName(n);
    if (f.replace(/ /g, '').length >= 4 && p.includes(` ${f} `)) return n;
  }
  return null;
}

/** The pseudonym rules, each with its catalogue key (identity/i18n) and its English sentence for the API. */
const PSEUDONYM_RULES: { key: string; message: string; ok: (p: string) => boolean }[] = [
  { key: 'identity.err.pseudonymShort', message: 'A pseudonym has at least 2 characters.', ok: (p) => [...p].length >= 2 },
  { key: 'identity.err.pseudonymLong', message: 'A pseudonym has at most 40 characters.', ok: (p) => [...p].length <= 40 },
  { key: 'identity.err.pseudonymChars', message: 'Use letters, digits, spaces, dots, dashes or apostrophes.', ok: (p) => /^[\p{L}\p{N}][\p{L}\p{N} ._'-]*$/u.test(p) },
  { key: 'identity.err.pseudonymRole', message: 'A pseudonym may not contain a staff role word (facilitator, admin, animateur…).', ok: (p) => roleWordIn(p) === null },
];

/** the first rule a (trimmed) pseudonym breaks, or null */
export function pseudonymProblem(p: string): { key: string; message: string } | null {
  const r = PSEUDONYM_RULES.find((x) => !x.ok(p));
  return r ? { key: r.key, message: r.message } : null;
}

/** The one pseudonym rule, for the API and the pages alike (staff names are checked by the service, which can read them). */
export const PSEUDONYM = z
  .string()
  .trim()
  .superRefine((p, ctx) => {
    const e = pseudonymProblem(p);
    if (e) ctx.addIssue({ code: 'custom', message: e.message });
  });

/** the same person typing their pseudonym again: case, accents and spacing do not matter */
export function samePseudonym(a: string, b: string): boolean {
  return foldName(a) === foldName(b);
}

/** An optional passphrase a member adds to their code. */
export const PASSPHRASE = z.string().min(6, 'A passphrase has at least 6 characters.').max(200, 'A passphrase has at most 200 characters.');

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

/**
 * A redirect target taken from a query string: only a same-origin path (one leading '/', no backslash, no
 * control character, nothing a browser would read as another host); anything else is home.
 */
export function safeLocalPath(next: string | undefined | null): string {
  if (!next) return '/';
  if (!next.startsWith('/') || next.startsWith('//')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return '/';
  try {
    const u = new URL(next, 'http://plenary.invalid');
    if (u.origin !== 'http://plenary.invalid') return '/';
  } catch {
    return '/';
  }
  return next;
}

/**
 * Failed sign-ins per account (or per invitation code): the first FREE_FAILURES cost nothing; after that each
 * further try must wait 2^(n−FREE) seconds after the last failure, never more than MAX_LOCK_S. A success, or an
 * hour without failures, starts the count again. An attacker who keeps failing gets at most one guess a minute
 * per account, and the real person never waits more than a minute.
 */
export const FREE_FAILURES = 5;
export const MAX_LOCK_S = 60;
export const FAILURE_MEMORY_S = 3600;
export function lockSeconds(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_LOCK_S, 2 ** (failures - FREE_FAILURES));
}

/** Days an API token lives unless its creator chooses otherwise. */
export const TOKEN_DEFAULT_DAYS = 90;
export const TOKEN_MAX_DAYS = 365;
