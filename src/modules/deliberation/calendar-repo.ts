/** Queries over the calendar tables. */
import { and, asc, eq, gt, inArray, isNull, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { memberships } from '../../platform/db/schema.js';
import { deliberationAttendance, deliberationEventMembers, deliberationEvents, deliberationFeeds, deliberationPhases } from './schema.js';

export type EventRow = typeof deliberationEvents.$inferSelect;
export type PhaseRow = typeof deliberationPhases.$inferSelect;
export type AttendanceRow = typeof deliberationAttendance.$inferSelect;

export const calendarRepo = {
  insertPhase: (db: DbOrTx, v: typeof deliberationPhases.$inferInsert) => db.insert(deliberationPhases).values(v).returning().get(),
  phases: (db: DbOrTx, assemblyId: string) => db.select().from(deliberationPhases).where(eq(deliberationPhases.assemblyId, assemblyId)).orderBy(asc(deliberationPhases.startsOn)).all(),
  phase: (db: DbOrTx, id: string) => db.select().from(deliberationPhases).where(eq(deliberationPhases.id, id)).get(),

  insertEvent: (db: DbOrTx, v: typeof deliberationEvents.$inferInsert) => db.insert(deliberationEvents).values(v).returning().get(),
  event: (db: DbOrTx, id: string) => db.select().from(deliberationEvents).where(eq(deliberationEvents.id, id)).get(),
  events: (db: DbOrTx, assemblyId: string) => db.select().from(deliberationEvents).where(eq(deliberationEvents.assemblyId, assemblyId)).orderBy(asc(deliberationEvents.startsAt)).all(),
  overlapping: (db: DbOrTx, assemblyId: string, startsAt: string, endsAt: string) =>
    db.select().from(deliberationEvents).where(and(eq(deliberationEvents.assemblyId, assemblyId), lt(deliberationEvents.startsAt, endsAt), gt(deliberationEvents.endsAt, startsAt))).all(),
  insertEventMembers: (db: DbOrTx, eventId: string, userIds: string[]) => {
    if (userIds.length) db.insert(deliberationEventMembers).values(userIds.map((userId) => ({ eventId, userId }))).run();
  },
  listedMembers: (db: DbOrTx, eventIds: string[]) => (eventIds.length ? db.select().from(deliberationEventMembers).where(inArray(deliberationEventMembers.eventId, eventIds)).all() : []),
  memberIds: (db: DbOrTx, assemblyId: string) => db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.assemblyId, assemblyId)).all().map((m) => m.userId),

  upsertAttendance: (db: DbOrTx, v: typeof deliberationAttendance.$inferInsert) =>
    db.insert(deliberationAttendance).values(v).onConflictDoUpdate({ target: [deliberationAttendance.eventId, deliberationAttendance.userId], set: { status: v.status, source: v.source, recordedBy: v.recordedBy, recordedAt: v.recordedAt } }).run(),
  attendance: (db: DbOrTx, eventIds: string[]) => (eventIds.length ? db.select().from(deliberationAttendance).where(inArray(deliberationAttendance.eventId, eventIds)).all() : []),
  attendanceOf: (db: DbOrTx, eventId: string, userId: string) => db.select().from(deliberationAttendance).where(and(eq(deliberationAttendance.eventId, eventId), eq(deliberationAttendance.userId, userId))).get(),

  insertFeed: (db: DbOrTx, v: typeof deliberationFeeds.$inferInsert) => db.insert(deliberationFeeds).values(v).returning().get(),
  activeFeeds: (db: DbOrTx, assemblyId: string, userId: string) =>
    db.select().from(deliberationFeeds).where(and(eq(deliberationFeeds.assemblyId, assemblyId), eq(deliberationFeeds.userId, userId), isNull(deliberationFeeds.revokedAt))).all(),
  revokeFeeds: (db: DbOrTx, assemblyId: string, userId: string, at: string) =>
    db.update(deliberationFeeds).set({ revokedAt: at }).where(and(eq(deliberationFeeds.assemblyId, assemblyId), eq(deliberationFeeds.userId, userId), isNull(deliberationFeeds.revokedAt))).run().changes,
  feedByHash: (db: DbOrTx, tokenHash: string) => db.select().from(deliberationFeeds).where(eq(deliberationFeeds.tokenHash, tokenHash)).get(),
};
