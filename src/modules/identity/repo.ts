import { and, desc, eq, inArray, isNull, lt, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { apiTokens, assemblies, invitations, memberships, sessions, users } from '../../platform/db/schema.js';
import { memberAccess, signinFailures, staffRoles } from './schema.js';

export const identityRepo = {
  userByUsername: (db: DbOrTx, username: string) => db.select().from(users).where(eq(users.username, username)).get(),
  userById: (db: DbOrTx, id: string) => db.select().from(users).where(eq(users.id, id)).get(),
  insertUser: (db: DbOrTx, v: typeof users.$inferInsert) => db.insert(users).values(v).returning().get(),
  staffNames: (db: DbOrTx) =>
    db.select({ displayName: users.displayName, username: users.username }).from(users).where(ne(users.role, 'participant')).all().flatMap((u) => [u.displayName, u.username ?? '']),
  openInvitation: (db: DbOrTx, codeHash: string) => db.select().from(invitations).where(and(eq(invitations.codeHash, codeHash), isNull(invitations.usedBy))).get(),
  anyInvitation: (db: DbOrTx, codeHash: string) => db.select().from(invitations).where(eq(invitations.codeHash, codeHash)).get(),
  useInvitation: (db: DbOrTx, id: string, userId: string, at: string) =>
    db.update(invitations).set({ usedBy: userId, usedAt: at }).where(and(eq(invitations.id, id), isNull(invitations.usedBy))).run().changes,
  insertInvitation: (db: DbOrTx, v: typeof invitations.$inferInsert) => db.insert(invitations).values(v).run(),
  pseudonymsOf: (db: DbOrTx, assemblyId: string) => db.select({ p: memberships.pseudonym }).from(memberships).where(eq(memberships.assemblyId, assemblyId)).all().map((r) => r.p ?? ''),
  insertMembership: (db: DbOrTx, v: typeof memberships.$inferInsert) => db.insert(memberships).values(v).run(),
  membership: (db: DbOrTx, assemblyId: string, userId: string) => db.select().from(memberships).where(and(eq(memberships.assemblyId, assemblyId), eq(memberships.userId, userId))).get(),
  membershipsOf: (db: DbOrTx, userId: string) => db.select().from(memberships).where(eq(memberships.userId, userId)).all(),
  setLanguage: (db: DbOrTx, userId: string, language: string) => db.update(users).set({ language }).where(eq(users.id, userId)).run(),
  deleteSessionsOf: (db: DbOrTx, userId: string) => db.delete(sessions).where(eq(sessions.userId, userId)).run(),

  // --- members coming back ---
  access: (db: DbOrTx, userId: string) => db.select().from(memberAccess).where(eq(memberAccess.userId, userId)).get(),
  upsertAccess: (db: DbOrTx, v: typeof memberAccess.$inferInsert) =>
    db
      .insert(memberAccess)
      .values(v)
      .onConflictDoUpdate({ target: memberAccess.userId, set: { invitationId: v.invitationId, passphraseHash: v.passphraseHash, lastSignInAt: v.lastSignInAt, codeIssuedAt: v.codeIssuedAt } })
      .run(),
  accessOfAssembly: (db: DbOrTx, assemblyId: string) =>
    db
      .select({ userId: memberships.userId, pseudonym: memberships.pseudonym, joinedAt: memberships.createdAt, disabled: users.disabled, lastSignInAt: memberAccess.lastSignInAt, codeIssuedAt: memberAccess.codeIssuedAt, passphraseHash: memberAccess.passphraseHash })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .leftJoin(memberAccess, eq(memberAccess.userId, memberships.userId))
      .where(and(eq(memberships.assemblyId, assemblyId), eq(users.role, 'participant')))
      .orderBy(memberships.pseudonym)
      .all(),

  // --- failed sign-ins ---
  failures: (db: DbOrTx, key: string) => db.select().from(signinFailures).where(eq(signinFailures.key, key)).get(),
  setFailures: (db: DbOrTx, key: string, failures: number, at: number) =>
    db.insert(signinFailures).values({ key, failures, lastFailureAt: at }).onConflictDoUpdate({ target: signinFailures.key, set: { failures, lastFailureAt: at } }).run(),
  clearFailures: (db: DbOrTx, key: string) => db.delete(signinFailures).where(eq(signinFailures.key, key)).run(),
  forgetFailuresBefore: (db: DbOrTx, t: number) => db.delete(signinFailures).where(lt(signinFailures.lastFailureAt, t)).run(),

  // --- API tokens ---
  tokensOf: (db: DbOrTx, userId: string) =>
    db
      .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, expiresAt: apiTokens.expiresAt, revokedAt: apiTokens.revokedAt })
      .from(apiTokens)
      .where(eq(apiTokens.userId, userId))
      .orderBy(desc(apiTokens.createdAt))
      .all(),
  allTokens: (db: DbOrTx) =>
    db
      .select({ id: apiTokens.id, name: apiTokens.name, userId: apiTokens.userId, user: users.displayName, role: users.role, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, expiresAt: apiTokens.expiresAt, revokedAt: apiTokens.revokedAt })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .orderBy(desc(apiTokens.createdAt))
      .all(),
  token: (db: DbOrTx, id: string) => db.select().from(apiTokens).where(eq(apiTokens.id, id)).get(),
  revokeToken: (db: DbOrTx, id: string, at: string) => db.update(apiTokens).set({ revokedAt: at }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).run().changes,

  // --- staff roles per assembly ---
  staffUsers: (db: DbOrTx) =>
    db.select({ id: users.id, username: users.username, displayName: users.displayName, role: users.role, disabled: users.disabled }).from(users).where(inArray(users.role, ['admin', 'facilitator', 'researcher'])).orderBy(users.displayName).all(),
  staffRolesOf: (db: DbOrTx, assemblyId: string) =>
    db
      .select({ userId: staffRoles.userId, role: staffRoles.role, displayName: users.displayName, username: users.username, grantedAt: staffRoles.createdAt })
      .from(staffRoles)
      .innerJoin(users, eq(users.id, staffRoles.userId))
      .where(eq(staffRoles.assemblyId, assemblyId))
      .orderBy(users.displayName)
      .all(),
  allStaffRoles: (db: DbOrTx) =>
    db.select({ assemblyId: staffRoles.assemblyId, userId: staffRoles.userId, role: staffRoles.role, title: assemblies.title }).from(staffRoles).innerJoin(assemblies, eq(assemblies.id, staffRoles.assemblyId)).all(),
  setStaffRole: (db: DbOrTx, v: typeof staffRoles.$inferInsert) =>
    db.insert(staffRoles).values(v).onConflictDoUpdate({ target: [staffRoles.assemblyId, staffRoles.userId], set: { role: v.role, grantedBy: v.grantedBy } }).run(),
  deleteStaffRole: (db: DbOrTx, assemblyId: string, userId: string) => db.delete(staffRoles).where(and(eq(staffRoles.assemblyId, assemblyId), eq(staffRoles.userId, userId))).run().changes,
};
