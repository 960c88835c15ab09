import { randomBytes } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.js';
import { hashPassword, verifyPassword } from '../../platform/auth/password.js';
import { createApiToken, createSession, revokeSession } from '../../platform/auth/sessions.js';
import { actorId, type Ctx } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { newId, sha256 } from '../../platform/ids.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { formatInvitationCode, imitatesStaffName, normaliseInvitationCode, pseudonymProblem, samePseudonym, TOKEN_DEFAULT_DAYS } from './domain.js';
import { assertNotLocked, clearFailures, recordFailure } from './lockout.js';
import { identityRepo } from './repo.js';

const err = (code: ConstructorParameters<typeof AppError>[0], detail: string, i18n: string, extra: Record<string, unknown> = {}) => new AppError(code, detail, { i18n, ...extra });

export async function signIn(ctx: Ctx, input: { username: string; password: string }) {
  const username = input.username.trim().toLowerCase();
  const key = `user:${username}`;
  const t = ctx.clock().getTime();
  assertNotLocked(ctx.db, key, t);
  const user = identityRepo.userByUsername(ctx.db, username);
  const ok = await verifyPassword(input.password, user?.passwordHash);
  if (!user || !ok || user.disabled) {
    recordFailure(ctx.db, key, t);
    throw err('UNAUTHENTICATED', 'Wrong username or password.', 'signin.failed');
  }
  clearFailures(ctx.db, key);
  const session = createSession(ctx.db, user.id, ctx.config.sessionTtlHours, ctx.clock());
  ctx.db.transaction((tx) => recordAudit(tx, { actorId: user.id, action: 'auth.signin', subject: `user:${user.id}` }));
  return { user: publicUser(user), session };
}

export function signOut(_ctx: Ctx, cookie: string | undefined) {
  if (cookie) revokeSession(_ctx.db, cookie);
}

/** The one pseudonym check for pages and API: the shared rules, then no imitation of a staff member's name. */
export function checkPseudonym(db: DbOrTx, raw: string): string {
  const p = raw.trim();
  const problem = pseudonymProblem(p);
  if (problem) throw new AppError('VALIDATION', problem.message, { i18n: problem.key, errors: [{ path: 'pseudonym', message: problem.message }] });
  if (imitatesStaffName(p, identityRepo.staffNames(db))) {
    const message = 'This pseudonym looks like the name of a staff member; choose another.';
    throw new AppError('VALIDATION', message, { i18n: 'identity.err.pseudonymStaff', errors: [{ path: 'pseudonym', message }] });
  }
  return p;
}

/** A new member joins with an unused invitation code and chooses their pseudonym. */
export function join(ctx: Ctx, input: { code: string; pseudonym: string; language: string }) {
  const code = normaliseInvitationCode(input.code);
  const now = ctx.clock().toISOString();
  const pseudonym = checkPseudonym(ctx.db, input.pseudonym);
  const result = ctx.db.transaction((tx) => {
    const inv = identityRepo.openInvitation(tx, sha256(code));
    if (!inv) {
      if (identityRepo.anyInvitation(tx, sha256(code))) throw err('GONE', 'This invitation code has already been used.', 'identity.err.used');
      throw err('NOT_FOUND', 'This invitation code does not exist; check it against your letter.', 'identity.err.unknownCode');
    }
    if (inv.expiresAt && inv.expiresAt < now) throw err('GONE', 'This invitation code has expired; ask the organisers for a new one.', 'identity.err.expired');
    if (identityRepo.pseudonymsOf(tx, inv.assemblyId).some((p) => samePseudonym(p, pseudonym)))
      throw err('CONFLICT', 'This pseudonym is already taken in this assembly; choose another.', 'identity.err.taken');
    const user = identityRepo.insertUser(tx, { id: newId('u_'), role: 'participant', displayName: pseudonym, language: input.language });
    if (identityRepo.useInvitation(tx, inv.id, user.id, now) !== 1) throw err('GONE', 'This invitation code has already been used.', 'identity.err.used');
    identityRepo.insertMembership(tx, { assemblyId: inv.assemblyId, userId: user.id, pseudonym });
    identityRepo.upsertAccess(tx, { userId: user.id, assemblyId: inv.assemblyId, invitationId: inv.id, passphraseHash: null, lastSignInAt: now, codeIssuedAt: inv.createdAt });
    recordAudit(tx, { actorId: user.id, action: 'member.join', subject: `assembly:${inv.assemblyId}`, data: { invitation: inv.id } });
    return { user, assemblyId: inv.assemblyId };
  });
  const session = createSession(ctx.db, result.user.id, ctx.config.sessionTtlHours, ctx.clock());
  return { user: publicUser(result.user), assemblyId: result.assemblyId, session };
}

/**
 * The code on a member's letter stays their key: an unused code joins (join above); a used code signs its member
 * back in when the pseudonym is theirs (and the passphrase, if they added one). Anything else is refused, counts
 * as a failure for this code's back-off, and tells the person to ask a facilitator.
 */
export async function enter(ctx: Ctx, input: { code: string; pseudonym: string; language: string; passphrase?: string }) {
  const code = normaliseInvitationCode(input.code);
  const key = `code:${sha256(code)}`;
  const t = ctx.clock().getTime();
  assertNotLocked(ctx.db, key, t);
  const inv = identityRepo.anyInvitation(ctx.db, sha256(code));
  if (!inv || !inv.usedBy) return { ...join(ctx, input), returning: false };
  const userId = inv.usedBy;
  const access = identityRepo.access(ctx.db, userId);
  if (access && access.invitationId !== inv.id) throw err('GONE', 'This code was replaced by a new one. Use the newest letter, or ask a facilitator.', 'identity.err.replaced');
  const user = identityRepo.userById(ctx.db, userId);
  const m = identityRepo.membership(ctx.db, inv.assemblyId, userId);
  if (!user || user.disabled || !m) throw err('GONE', 'The account of this code was closed. Ask a facilitator for a new invitation.', 'identity.err.closed');
  if (!m.pseudonym || !samePseudonym(m.pseudonym, input.pseudonym)) {
    recordFailure(ctx.db, key, t);
    throw err('UNAUTHENTICATED', 'This code belongs to a member with another pseudonym. Type the pseudonym you chose, or ask a facilitator.', 'identity.err.otherPseudonym');
  }
  if (access?.passphraseHash) {
    if (!input.passphrase) throw err('UNAUTHENTICATED', 'This member added a passphrase: type it with the code.', 'identity.err.passphraseNeeded', { passphraseNeeded: true });
    if (!(await verifyPassword(input.passphrase, access.passphraseHash))) {
      recordFailure(ctx.db, key, t);
      throw err('UNAUTHENTICATED', 'Wrong passphrase. Try again, or ask a facilitator to reissue your code.', 'identity.err.passphrase', { passphraseNeeded: true });
    }
  }
  clearFailures(ctx.db, key);
  const now = ctx.clock().toISOString();
  ctx.db.transaction((tx) => {
    identityRepo.upsertAccess(tx, { userId, assemblyId: inv.assemblyId, invitationId: inv.id, passphraseHash: access?.passphraseHash ?? null, lastSignInAt: now, codeIssuedAt: access?.codeIssuedAt ?? inv.createdAt });
    recordAudit(tx, { actorId: userId, action: 'member.signin', subject: `assembly:${inv.assemblyId}` });
  });
  const session = createSession(ctx.db, userId, ctx.config.sessionTtlHours, ctx.clock());
  return { user: publicUser(user), assemblyId: inv.assemblyId, session, returning: true };
}

export function createInvitations(ctx: Ctx, assemblyId: string, input: { count: number; expiresInDays?: number }) {
  if (!assembliesRepo.byId(ctx.db, assemblyId)) throw notFound('Assembly', assemblyId);
  const expiresAt = input.expiresInDays ? new Date(ctx.clock().getTime() + input.expiresInDays * 86400_000).toISOString() : null;
  return ctx.db.transaction((tx) => {
    const codes: string[] = [];
    for (let i = 0; i < input.count; i++) {
      const code = formatInvitationCode(randomBytes(16));
      identityRepo.insertInvitation(tx, { id: newId('inv_'), assemblyId, codeHash: sha256(code), expiresAt });
      codes.push(code);
    }
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'invitations.create', subject: `assembly:${assemblyId}`, data: { count: input.count } });
    return { codes, expiresAt };
  });
}

export async function createStaffUser(ctx: Ctx, input: { username: string; displayName: string; role: 'admin' | 'facilitator' | 'researcher'; password: string; language?: string }) {
  if (identityRepo.userByUsername(ctx.db, input.username)) throw conflict(`The username '${input.username}' is taken.`);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction((tx) => {
    const user = identityRepo.insertUser(tx, { id: newId('u_'), role: input.role, username: input.username, displayName: input.displayName, passwordHash, language: input.language ?? 'en' });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'user.create', subject: `user:${user.id}`, data: { role: input.role, username: input.username } });
    return publicUser(user);
  });
}

export function me(ctx: Ctx) {
  if (ctx.actor.kind === 'public') throw new AppError('UNAUTHENTICATED', 'Sign in to see your account.');
  const user = identityRepo.userById(ctx.db, ctx.actor.id);
  if (!user) throw notFound('User');
  return { ...publicUser(user), memberships: identityRepo.membershipsOf(ctx.db, user.id).map((m) => ({ assemblyId: m.assemblyId, pseudonym: m.pseudonym })) };
}

export function setLanguage(ctx: Ctx, language: 'fr' | 'en') {
  if (ctx.actor.kind === 'public') return;
  identityRepo.setLanguage(ctx.db, ctx.actor.id, language);
}

function self(ctx: Ctx): string {
  if (ctx.actor.kind === 'public') throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  return ctx.actor.id;
}

/** A new API token, shown once; it expires after `days` (90 by default). */
export function issueToken(ctx: Ctx, name: string, days = TOKEN_DEFAULT_DAYS) {
  const userId = self(ctx);
  const t = createApiToken(ctx.db, userId, name, { days, now: ctx.clock() });
  ctx.db.transaction((tx) => recordAudit(tx, { actorId: userId, action: 'token.create', subject: `token:${t.id}`, data: { name, expiresAt: t.expiresAt } }));
  return t;
}

export function listTokens(ctx: Ctx) {
  return identityRepo.tokensOf(ctx.db, self(ctx));
}

/** The owner revokes their own token; an admin (users.manage) any token. The row stays, marked revoked. */
export function revokeToken(ctx: Ctx, id: string, opts: { anyUser?: boolean } = {}) {
  const userId = self(ctx);
  ctx.db.transaction((tx) => {
    const tok = identityRepo.token(tx, id);
    if (!tok || (!opts.anyUser && tok.userId !== userId)) throw notFound('API token', id);
    if (identityRepo.revokeToken(tx, id, ctx.clock().toISOString()) !== 1) throw conflict('This API token was already revoked.');
    recordAudit(tx, { actorId: userId, action: 'token.revoke', subject: `token:${id}`, data: { owner: tok.userId } });
  });
}

export function listAllTokens(_ctx: Ctx) {
  return identityRepo.allTokens(_ctx.db);
}

function publicUser(u: { id: string; role: string; username: string | null; displayName: string; language: string }) {
  return { id: u.id, role: u.role, username: u.username, displayName: u.displayName, language: u.language };
}
