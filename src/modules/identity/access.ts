import { randomBytes } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.js';
import { hashPassword } from '../../platform/auth/password.js';
import { actorId, type Ctx } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { newId, sha256 } from '../../platform/ids.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { formatInvitationCode } from './domain.js';
import { clearFailures } from './lockout.js';
import { identityRepo } from './repo.js';

/** Members coming back: what facilitators see and do (last sign-in, reissue a code), and a member's passphrase. */

function member(ctx: Ctx, assemblyId: string, userId: string) {
  if (!assembliesRepo.byId(ctx.db, assemblyId)) throw notFound('Assembly', assemblyId);
  const m = identityRepo.membership(ctx.db, assemblyId, userId);
  const u = identityRepo.userById(ctx.db, userId);
  if (!m || !u || u.role !== 'participant') throw notFound('Member', userId);
  return { m, u };
}

/** Every member with when they last signed in and whether they added a passphrase. */
export function memberAccessList(ctx: Ctx, assemblyId: string) {
  if (!assembliesRepo.byId(ctx.db, assemblyId)) throw notFound('Assembly', assemblyId);
  return identityRepo.accessOfAssembly(ctx.db, assemblyId).map((r) => ({
    userId: r.userId,
    pseudonym: r.pseudonym,
    joinedAt: r.joinedAt,
    lastSignInAt: r.lastSignInAt ?? null,
    codeIssuedAt: r.codeIssuedAt ?? null,
    hasPassphrase: !!r.passphraseHash,
    closed: r.disabled,
  }));
}
export type MemberAccessRow = ReturnType<typeof memberAccessList>[number];

/**
 * A new code for a member who lost their letter: the old code stops working, their passphrase is removed and
 * their open sessions end (whoever found the letter is signed out). Shown once.
 */
export function reissueCode(ctx: Ctx, assemblyId: string, userId: string) {
  const { u } = member(ctx, assemblyId, userId);
  if (u.disabled) throw new AppError('GONE', 'This member closed their account.');
  const code = formatInvitationCode(randomBytes(16));
  const now = ctx.clock().toISOString();
  const old = identityRepo.access(ctx.db, userId);
  return ctx.db.transaction((tx) => {
    const id = newId('inv_');
    identityRepo.insertInvitation(tx, { id, assemblyId, codeHash: sha256(code), usedBy: userId, usedAt: now });
    identityRepo.upsertAccess(tx, { userId, assemblyId, invitationId: id, passphraseHash: null, lastSignInAt: old?.lastSignInAt ?? null, codeIssuedAt: now });
    identityRepo.deleteSessionsOf(tx, userId);
    clearFailures(tx, `code:${sha256(code)}`);
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'member.code.reissue', subject: `user:${userId}`, data: { assemblyId, invitation: id, replaced: old?.invitationId ?? null } });
    return { userId, code, codeIssuedAt: now };
  });
}

/** A member adds (or changes) a passphrase that is then required with their code; null removes it. */
export async function setPassphrase(ctx: Ctx, assemblyId: string, passphrase: string | null) {
  if (ctx.actor.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  const userId = ctx.actor.id;
  member(ctx, assemblyId, userId);
  const access = identityRepo.access(ctx.db, userId);
  if (!access) throw new AppError('PRECONDITION_FAILED', 'Your account has no invitation code to protect; ask a facilitator to reissue your code.');
  const hash = passphrase === null ? null : await hashPassword(passphrase);
  ctx.db.transaction((tx) => {
    identityRepo.upsertAccess(tx, { ...access, passphraseHash: hash });
    recordAudit(tx, { actorId: userId, action: hash ? 'member.passphrase.set' : 'member.passphrase.remove', subject: `user:${userId}`, data: { assemblyId } });
  });
  return { hasPassphrase: hash !== null };
}

/** Whether the signed-in member protected their code with a passphrase. */
export function myPassphraseState(ctx: Ctx): { hasPassphrase: boolean } {
  if (ctx.actor.kind !== 'user') return { hasPassphrase: false };
  return { hasPassphrase: !!identityRepo.access(ctx.db, ctx.actor.id)?.passphraseHash };
}
