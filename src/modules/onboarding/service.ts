import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { deletePersonalOfUser, personalRecordsOfUser } from '../sortition/service.js';
import { CHECKLIST, formerMemberName, missingItems, normaliseChecklist, type ChecklistItem } from './domain.js';
import { onboardingRepo } from './repo.js';

function assertAssembly(ctx: Ctx, assemblyId: string) {
  if (!assembliesRepo.byId(ctx.db, assemblyId)) throw notFound('Assembly', assemblyId);
}

function assertMember(ctx: Ctx, assemblyId: string, userId: string) {
  assertAssembly(ctx, assemblyId);
  const m = onboardingRepo.membership(ctx.db, assemblyId, userId);
  const u = onboardingRepo.user(ctx.db, userId);
  if (!m || !u || u.role !== 'participant') throw notFound('Member', userId);
  return m;
}

function self(ctx: Ctx): string {
  if (ctx.actor.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  return ctx.actor.id;
}

export interface BoardFilters {
  ready?: 'yes' | 'no';
  missing?: ChecklistItem;
  assistantId?: string;
}

/** Every member with their checklist, assistant, open loans and accessibility needs; filters for "not ready yet". */
export function board(ctx: Ctx, assemblyId: string, f: BoardFilters = {}) {
  assertAssembly(ctx, assemblyId);
  const rows = new Map(onboardingRepo.rows(ctx.db, assemblyId).map((r) => [r.userId, r]));
  const needs = new Map(onboardingRepo.personalAll(ctx.db, assemblyId).map((r) => [r.userId, r.accessibility]));
  const loans = onboardingRepo.loans(ctx.db, assemblyId);
  const names = new Map<string, string>();
  const nameOf = (id: string) => {
    if (!names.has(id)) names.set(id, onboardingRepo.user(ctx.db, id)?.displayName ?? id);
    return names.get(id)!;
  };
  return onboardingRepo
    .members(ctx.db, assemblyId)
    .filter((m) => !m.disabled)
    .map((m) => {
      const r = rows.get(m.userId);
      const missing = missingItems(r?.checklist);
      return {
        userId: m.userId,
        pseudonym: m.pseudonym,
        joinedAt: m.joinedAt,
        checklist: normaliseChecklist(r?.checklist),
        missing,
        ready: missing.length === 0,
        assistant: r?.assistantId ? { id: r.assistantId, name: nameOf(r.assistantId) } : null,
        accessibility: needs.get(m.userId) ?? '',
        loans: loans.filter((l) => l.userId === m.userId).map((l) => ({ id: l.id, item: l.item, lentOn: l.lentOn, returnedOn: l.returnedOn })),
      };
    })
    .filter((x) => (f.ready === 'yes' ? x.ready : f.ready === 'no' ? !x.ready : true))
    .filter((x) => (f.missing ? x.missing.includes(f.missing) : true))
    .filter((x) => (f.assistantId ? x.assistant?.id === f.assistantId : true));
}
export type BoardRow = ReturnType<typeof board>[number];

/** Ticks checklist items and/or assigns the technical assistant (a staff user; null to unassign). */
export function updateMember(ctx: Ctx, assemblyId: string, userId: string, input: { checklist?: Partial<Record<ChecklistItem, boolean>>; assistantId?: string | null }) {
  assertMember(ctx, assemblyId, userId);
  if (input.assistantId) {
    const a = onboardingRepo.user(ctx.db, input.assistantId);
    if (!a || a.role === 'participant') throw invalid('The technical assistant must be a staff account.', [{ path: 'assistantId', message: 'not a staff user' }]);
  }
  const cur = onboardingRepo.row(ctx.db, assemblyId, userId);
  const checklist = { ...normaliseChecklist(cur?.checklist), ...Object.fromEntries(Object.entries(input.checklist ?? {}).filter(([, v]) => typeof v === 'boolean')) };
  const assistantId = input.assistantId === undefined ? (cur?.assistantId ?? null) : input.assistantId;
  return ctx.db.transaction((tx) => {
    onboardingRepo.upsert(tx, { assemblyId, userId, checklist, assistantId, updatedAt: ctx.clock().toISOString() });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'onboarding.update', subject: `user:${userId}`, data: { assemblyId, checklist, assistantId } });
    return { userId, checklist, missing: missingItems(checklist), ready: missingItems(checklist).length === 0, assistantId };
  });
}

/** Accessibility needs are personal data (they may reveal health): a separate row, deleted on request. */
export function setAccessibility(ctx: Ctx, assemblyId: string, userId: string, needs: string) {
  assertMember(ctx, assemblyId, userId);
  return ctx.db.transaction((tx) => {
    onboardingRepo.setPersonal(tx, { assemblyId, userId, accessibility: needs, updatedAt: ctx.clock().toISOString() });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'onboarding.accessibility', subject: `user:${userId}`, data: { assemblyId } });
    return { userId, recorded: true };
  });
}

export function lend(ctx: Ctx, assemblyId: string, userId: string, input: { item: string; lentOn: string }) {
  assertMember(ctx, assemblyId, userId);
  return ctx.db.transaction((tx) => {
    const loan = onboardingRepo.insertLoan(tx, { id: newId('loan_'), assemblyId, userId, item: input.item, lentOn: input.lentOn });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'onboarding.loan', subject: `user:${userId}`, data: { assemblyId, loanId: loan.id, item: input.item, lentOn: input.lentOn } });
    return { id: loan.id, userId, item: loan.item, lentOn: loan.lentOn, returnedOn: loan.returnedOn };
  });
}

export function returnLoan(ctx: Ctx, assemblyId: string, loanId: string, returnedOn: string) {
  assertAssembly(ctx, assemblyId);
  const loan = onboardingRepo.loan(ctx.db, assemblyId, loanId);
  if (!loan) throw notFound('Loan', loanId);
  if (loan.returnedOn) throw new AppError('CONFLICT', `This item was returned on ${loan.returnedOn}.`);
  if (returnedOn < loan.lentOn) throw invalid('An item cannot come back before it was lent.', [{ path: 'returnedOn', message: `before ${loan.lentOn}` }]);
  return ctx.db.transaction((tx) => {
    onboardingRepo.returnLoan(tx, loanId, returnedOn);
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'onboarding.return', subject: `user:${loan.userId}`, data: { assemblyId, loanId, returnedOn } });
    return { id: loan.id, userId: loan.userId, item: loan.item, lentOn: loan.lentOn, returnedOn };
  });
}

/** A member's own onboarding status. */
export function mine(ctx: Ctx, assemblyId: string) {
  const userId = self(ctx);
  assertMember(ctx, assemblyId, userId);
  const r = onboardingRepo.row(ctx.db, assemblyId, userId);
  const assistant = r?.assistantId ? onboardingRepo.user(ctx.db, r.assistantId) : undefined;
  return {
    checklist: normaliseChecklist(r?.checklist),
    missing: missingItems(r?.checklist),
    items: [...CHECKLIST],
    assistant: assistant ? { name: assistant.displayName } : null,
    loans: onboardingRepo.loansOf(ctx.db, assemblyId, userId).map((l) => ({ item: l.item, lentOn: l.lentOn, returnedOn: l.returnedOn })),
  };
}

/** Everything Plenary holds on the signed-in member, as JSON (their right of access). */
export function myData(ctx: Ctx, assemblyId: string) {
  const userId = self(ctx);
  const m = assertMember(ctx, assemblyId, userId);
  const u = onboardingRepo.user(ctx.db, userId)!;
  const ctxData = {
    format: 'plenary-personal-data/1',
    exportedAt: ctx.clock().toISOString(),
    account: { id: u.id, displayName: u.displayName, language: u.language, createdAt: u.createdAt },
    membership: { assemblyId, pseudonym: m.pseudonym, joinedAt: m.createdAt },
    selection: personalRecordsOfUser(ctx.db, userId),
    onboarding: { ...mine(ctx, assemblyId), accessibility: onboardingRepo.personal(ctx.db, assemblyId, userId)?.accessibility ?? null },
  };
  ctx.db.transaction((tx) => recordAudit(tx, { actorId: userId, action: 'self.data.download', subject: `user:${userId}`, data: { assemblyId } }));
  return ctxData;
}

/**
 * Deletes the member's personal data: the selection pool's personal rows and accessibility needs are deleted,
 * the pseudonym and display name become "former member N", the account is closed (sessions and tokens removed).
 * Contributions stay, shown under the new name. Audit-logged without any personal data.
 */
export function forgetMe(ctx: Ctx, assemblyId: string) {
  const userId = self(ctx);
  assertMember(ctx, assemblyId, userId);
  return ctx.db.transaction((tx) => {
    const name = formerMemberName(onboardingRepo.formerMembers(tx, assemblyId) + 1);
    const pool = deletePersonalOfUser(tx, userId);
    const needs = onboardingRepo.deletePersonal(tx, assemblyId, userId);
    onboardingRepo.anonymiseMember(tx, assemblyId, userId, name);
    recordAudit(tx, { actorId: userId, action: 'self.data.delete', subject: `user:${userId}`, data: { assemblyId, poolRecords: pool, accessibility: needs, pseudonym: name } });
    return { pseudonym: name, deleted: { poolRecords: pool, accessibility: needs }, accountClosed: true };
  });
}
