/** Queries over the shared-idea tables (plus read-only lookups of breakout sessions, groups and extracted ideas). */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { breakoutGroupMembers, breakoutGroups, breakoutIdeas, breakoutSessions } from '../breakouts/schema.js';
import { deliberationIdeaReceipts, deliberationSharedIdeas } from './schema.js';

export type SharedIdeaRow = typeof deliberationSharedIdeas.$inferSelect;
export type ReceiptRow = typeof deliberationIdeaReceipts.$inferSelect;

export const ideasRepo = {
  sessions: (db: DbOrTx, assemblyId: string) =>
    db.select({ id: breakoutSessions.id, title: breakoutSessions.title, startsAt: breakoutSessions.startsAt, createdAt: breakoutSessions.createdAt }).from(breakoutSessions).where(eq(breakoutSessions.assemblyId, assemblyId)).all(),
  groupsOfAssembly: (db: DbOrTx, assemblyId: string) => db.select().from(breakoutGroups).where(eq(breakoutGroups.assemblyId, assemblyId)).orderBy(asc(breakoutGroups.name)).all(),
  isGroupMember: (db: DbOrTx, groupId: string, userId: string) =>
    !!db.select({ u: breakoutGroupMembers.userId }).from(breakoutGroupMembers).where(and(eq(breakoutGroupMembers.groupId, groupId), eq(breakoutGroupMembers.userId, userId))).get(),
  /** approved ideas extracted from this group's transcript */
  extractedOfGroup: (db: DbOrTx, groupId: string) => db.select().from(breakoutIdeas).where(eq(breakoutIdeas.groupId, groupId)).orderBy(asc(breakoutIdeas.start)).all(),
  extracted: (db: DbOrTx, id: string) => db.select().from(breakoutIdeas).where(eq(breakoutIdeas.id, id)).get(),

  bySubject: (db: DbOrTx, subject: string) => db.select().from(deliberationSharedIdeas).where(eq(deliberationSharedIdeas.subject, subject)).get(),
  byId: (db: DbOrTx, id: string) => db.select().from(deliberationSharedIdeas).where(eq(deliberationSharedIdeas.id, id)).get(),
  /** a newer approved version of the same subject keeps the row (and the receiving groups' marks) */
  upsert(db: DbOrTx, v: typeof deliberationSharedIdeas.$inferInsert): SharedIdeaRow {
    const { id: _id, subject: _s, assemblyId: _a, ...rest } = v;
    return db.insert(deliberationSharedIdeas).values(v).onConflictDoUpdate({ target: deliberationSharedIdeas.subject, set: rest }).returning().get();
  },
  ofAssembly: (db: DbOrTx, assemblyId: string) => db.select().from(deliberationSharedIdeas).where(eq(deliberationSharedIdeas.assemblyId, assemblyId)).orderBy(asc(deliberationSharedIdeas.publishedAt), asc(deliberationSharedIdeas.id)).all(),
  sharedInto: (db: DbOrTx, sessionId: string) => db.select().from(deliberationSharedIdeas).where(eq(deliberationSharedIdeas.targetSessionId, sessionId)).orderBy(asc(deliberationSharedIdeas.publishedAt), asc(deliberationSharedIdeas.id)).all(),
  sharedFrom: (db: DbOrTx, groupId: string) => db.select().from(deliberationSharedIdeas).where(eq(deliberationSharedIdeas.originGroupId, groupId)).all(),

  receipts: (db: DbOrTx, ideaIds: string[]) => (ideaIds.length ? db.select().from(deliberationIdeaReceipts).where(inArray(deliberationIdeaReceipts.ideaId, ideaIds)).all() : []),
  receipt: (db: DbOrTx, ideaId: string, groupId: string) => db.select().from(deliberationIdeaReceipts).where(and(eq(deliberationIdeaReceipts.ideaId, ideaId), eq(deliberationIdeaReceipts.groupId, groupId))).get(),
  /** records the first time a group's page showed these ideas (later views change nothing) */
  markSeen(db: DbOrTx, ideaIds: string[], groupId: string, userId: string, at: string) {
    if (!ideaIds.length) return;
    db.insert(deliberationIdeaReceipts).values(ideaIds.map((ideaId) => ({ ideaId, groupId, seenAt: at, seenBy: userId }))).onConflictDoUpdate({
      target: [deliberationIdeaReceipts.ideaId, deliberationIdeaReceipts.groupId],
      set: { seenAt: at, seenBy: userId },
      setWhere: isNull(deliberationIdeaReceipts.seenAt),
    }).run();
  },
  /** sets discussed once; false when the group had already marked it */
  markDiscussed(db: DbOrTx, ideaId: string, groupId: string, userId: string, at: string): boolean {
    db.insert(deliberationIdeaReceipts).values({ ideaId, groupId, seenAt: at, seenBy: userId }).onConflictDoNothing().run();
    const r = db
      .update(deliberationIdeaReceipts)
      .set({ discussedAt: at, discussedBy: userId })
      .where(and(eq(deliberationIdeaReceipts.ideaId, ideaId), eq(deliberationIdeaReceipts.groupId, groupId), isNull(deliberationIdeaReceipts.discussedAt)))
      .run();
    if (r.changes === 0) return false;
    db.update(deliberationIdeaReceipts).set({ seenAt: at, seenBy: userId }).where(and(eq(deliberationIdeaReceipts.ideaId, ideaId), eq(deliberationIdeaReceipts.groupId, groupId), isNull(deliberationIdeaReceipts.seenAt))).run();
    return true;
  },
};
