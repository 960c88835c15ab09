import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { apiTokens, invitations, memberships, users } from '../../platform/db/schema.js';

export const identityRepo = {
  userByUsername: (db: DbOrTx, username: string) => db.select().from(users).where(eq(users.username, username)).get(),
  userById: (db: DbOrTx, id: string) => db.select().from(users).where(eq(users.id, id)).get(),
  insertUser: (db: DbOrTx, v: typeof users.$inferInsert) => db.insert(users).values(v).returning().get(),
  openInvitation: (db: DbOrTx, codeHash: string) => db.select().from(invitations).where(and(eq(invitations.codeHash, codeHash), isNull(invitations.usedBy))).get(),
  anyInvitation: (db: DbOrTx, codeHash: string) => db.select().from(invitations).where(eq(invitations.codeHash, codeHash)).get(),
  useInvitation: (db: DbOrTx, id: string, userId: string, at: string) =>
    db.update(invitations).set({ usedBy: userId, usedAt: at }).where(and(eq(invitations.id, id), isNull(invitations.usedBy))).run().changes,
  insertInvitation: (db: DbOrTx, v: typeof invitations.$inferInsert) => db.insert(invitations).values(v).run(),
  pseudonymTaken: (db: DbOrTx, assemblyId: string, pseudonym: string) =>
    !!db.select({ u: memberships.userId }).from(memberships).where(and(eq(memberships.assemblyId, assemblyId), eq(memberships.pseudonym, pseudonym))).get(),
  insertMembership: (db: DbOrTx, v: typeof memberships.$inferInsert) => db.insert(memberships).values(v).run(),
  membershipsOf: (db: DbOrTx, userId: string) => db.select().from(memberships).where(eq(memberships.userId, userId)).all(),
  tokensOf: (db: DbOrTx, userId: string) =>
    db.select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.userId, userId)).all(),
  deleteToken: (db: DbOrTx, userId: string, id: string) => db.delete(apiTokens).where(and(eq(apiTokens.userId, userId), eq(apiTokens.id, id))).run().changes,
  setLanguage: (db: DbOrTx, userId: string, language: string) => db.update(users).set({ language }).where(eq(users.id, userId)).run(),
};
