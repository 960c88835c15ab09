import { randomBytes } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.js';
import { hashPassword, verifyPassword } from '../../platform/auth/password.js';
import { createApiToken, createSession, revokeSession } from '../../platform/auth/sessions.js';
import { actorId, type Ctx } from '../../platform/context.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { newId, sha256 } from '../../platform/ids.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { formatInvitationCode, normaliseInvitationCode } from './domain.js';
import { identityRepo } from './repo.js';

export async function signIn(ctx: Ctx, input: { username: string; password: string }) {
  const user = identityRepo.userByUsername(ctx.db, input.username.trim().toLowerCase());
  const ok = await verifyPassword(input.password, user?.passwordHash);
  if (!user || !ok || user.disabled) throw new AppError('UNAUTHENTICATED', 'Wrong username or password.');
  const session = createSession(ctx.db, user.id, ctx.config.sessionTtlHours, ctx.clock());
  ctx.db.transaction((tx) => recordAudit(tx, { actorId: user.id, action: 'auth.signin', subject: `user:${user.id}` }));
  return { user: publicUser(user), session };
}

export function signOut(_ctx: Ctx, cookie: string | undefined) {
  if (cookie) revokeSession(_ctx.db, cookie);
}

export function join(ctx: Ctx, input: { code: string; pseudonym: string; language: string }) {
  const code = normaliseInvitationCode(input.code);
  const now = ctx.clock().toISOString();
  const result = ctx.db.transaction((tx) => {
    const inv = identityRepo.openInvitation(tx, sha256(code));
    if (!inv) {
      if (identityRepo.anyInvitation(tx, sha256(code))) throw new AppError('GONE', 'This invitation code has already been used.');
      throw notFound('Invitation code');
    }
    if (inv.expiresAt && inv.expiresAt < now) throw new AppError('GONE', 'This invitation code has expired; ask the organisers for a new one.');
    if (identityRepo.pseudonymTaken(tx, inv.assemblyId, input.pseudonym)) throw conflict('This pseudonym is already taken in this assembly; choose another.');
    const user = identityRepo.insertUser(tx, { id: newId('u_'), role: 'participant', displayName: input.pseudonym, language: input.language });
    if (identityRepo.useInvitation(tx, inv.id, user.id, now) !== 1) throw new AppError('GONE', 'This invitation code has already been used.');
    identityRepo.insertMembership(tx, { assemblyId: inv.assemblyId, userId: user.id, pseudonym: input.pseudonym });
    recordAudit(tx, { actorId: user.id, action: 'member.join', subject: `assembly:${inv.assemblyId}`, data: { invitation: inv.id } });
    return { user, assemblyId: inv.assemblyId };
  });
  const session = createSession(ctx.db, result.user.id, ctx.config.sessionTtlHours, ctx.clock());
  return { user: publicUser(result.user), assemblyId: result.assemblyId, session };
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

export function issueToken(ctx: Ctx, name: string) {
  if (ctx.actor.kind === 'public') throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  const userId = ctx.actor.id;
  const t = createApiToken(ctx.db, userId, name);
  ctx.db.transaction((tx) => recordAudit(tx, { actorId: userId, action: 'token.create', subject: `token:${t.id}`, data: { name } }));
  return t;
}

export function listTokens(ctx: Ctx) {
  if (ctx.actor.kind === 'public') throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  return identityRepo.tokensOf(ctx.db, ctx.actor.id);
}

export function revokeToken(ctx: Ctx, id: string) {
  if (ctx.actor.kind === 'public') throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  const userId = ctx.actor.id;
  ctx.db.transaction((tx) => {
    if (identityRepo.deleteToken(tx, userId, id) !== 1) throw notFound('API token', id);
    recordAudit(tx, { actorId: userId, action: 'token.revoke', subject: `token:${id}` });
  });
}

function publicUser(u: { id: string; role: string; username: string | null; displayName: string; language: string }) {
  return { id: u.id, role: u.role, username: u.username, displayName: u.displayName, language: u.language };
}
