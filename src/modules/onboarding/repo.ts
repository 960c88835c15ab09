import { and, eq, like } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { apiTokens, memberships, sessions, users } from '../../platform/db/schema.js';
import { onboardingLoans, onboardingMembers, onboardingPersonal } from './schema.js';
import { FORMER_MEMBER_PREFIX } from './domain.js';

export const onboardingRepo = {
  members: (db: DbOrTx, assemblyId: string) =>
    db
      .select({ userId: memberships.userId, pseudonym: memberships.pseudonym, joinedAt: memberships.createdAt, role: users.role, disabled: users.disabled })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.assemblyId, assemblyId), eq(users.role, 'participant')))
      .all(),
  membership: (db: DbOrTx, assemblyId: string, userId: string) => db.select().from(memberships).where(and(eq(memberships.assemblyId, assemblyId), eq(memberships.userId, userId))).get(),
  rows: (db: DbOrTx, assemblyId: string) => db.select().from(onboardingMembers).where(eq(onboardingMembers.assemblyId, assemblyId)).all(),
  row: (db: DbOrTx, assemblyId: string, userId: string) => db.select().from(onboardingMembers).where(and(eq(onboardingMembers.assemblyId, assemblyId), eq(onboardingMembers.userId, userId))).get(),
  upsert: (db: DbOrTx, v: typeof onboardingMembers.$inferInsert) =>
    db.insert(onboardingMembers).values(v).onConflictDoUpdate({ target: [onboardingMembers.assemblyId, onboardingMembers.userId], set: { checklist: v.checklist, assistantId: v.assistantId, updatedAt: v.updatedAt } }).run(),
  personal: (db: DbOrTx, assemblyId: string, userId: string) => db.select().from(onboardingPersonal).where(and(eq(onboardingPersonal.assemblyId, assemblyId), eq(onboardingPersonal.userId, userId))).get(),
  personalAll: (db: DbOrTx, assemblyId: string) => db.select().from(onboardingPersonal).where(eq(onboardingPersonal.assemblyId, assemblyId)).all(),
  setPersonal: (db: DbOrTx, v: typeof onboardingPersonal.$inferInsert) =>
    db.insert(onboardingPersonal).values(v).onConflictDoUpdate({ target: [onboardingPersonal.assemblyId, onboardingPersonal.userId], set: { accessibility: v.accessibility, updatedAt: v.updatedAt } }).run(),
  deletePersonal: (db: DbOrTx, assemblyId: string, userId: string) => db.delete(onboardingPersonal).where(and(eq(onboardingPersonal.assemblyId, assemblyId), eq(onboardingPersonal.userId, userId))).run().changes,
  loans: (db: DbOrTx, assemblyId: string) => db.select().from(onboardingLoans).where(eq(onboardingLoans.assemblyId, assemblyId)).orderBy(onboardingLoans.createdAt).all(),
  loansOf: (db: DbOrTx, assemblyId: string, userId: string) => db.select().from(onboardingLoans).where(and(eq(onboardingLoans.assemblyId, assemblyId), eq(onboardingLoans.userId, userId))).all(),
  loan: (db: DbOrTx, assemblyId: string, id: string) => db.select().from(onboardingLoans).where(and(eq(onboardingLoans.assemblyId, assemblyId), eq(onboardingLoans.id, id))).get(),
  insertLoan: (db: DbOrTx, v: typeof onboardingLoans.$inferInsert) => db.insert(onboardingLoans).values(v).returning().get(),
  returnLoan: (db: DbOrTx, id: string, returnedOn: string) => db.update(onboardingLoans).set({ returnedOn }).where(eq(onboardingLoans.id, id)).run(),

  // --- identity tables, written here because identity has no verb for anonymising a member (see report) ---
  formerMembers: (db: DbOrTx, assemblyId: string) => db.select({ u: memberships.userId }).from(memberships).where(and(eq(memberships.assemblyId, assemblyId), like(memberships.pseudonym, `${FORMER_MEMBER_PREFIX}%`))).all().length,
  anonymiseMember: (db: DbOrTx, assemblyId: string, userId: string, name: string) => {
    db.update(memberships).set({ pseudonym: name }).where(and(eq(memberships.assemblyId, assemblyId), eq(memberships.userId, userId))).run();
    db.update(users).set({ displayName: name, disabled: true }).where(eq(users.id, userId)).run();
    db.delete(sessions).where(eq(sessions.userId, userId)).run();
    db.delete(apiTokens).where(eq(apiTokens.userId, userId)).run();
  },
  user: (db: DbOrTx, id: string) => db.select({ id: users.id, role: users.role, displayName: users.displayName, language: users.language, createdAt: users.createdAt, username: users.username }).from(users).where(eq(users.id, id)).get(),
};
