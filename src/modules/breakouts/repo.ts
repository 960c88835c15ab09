import { and, asc, desc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { memberships, users } from '../../platform/db/schema.js';
import { breakoutGroupMembers, breakoutGroups, breakoutIdeas, breakoutSessions, breakoutTracks, breakoutTranscripts, breakoutUploads } from './schema.js';

export type SessionRow = typeof breakoutSessions.$inferSelect;
export type GroupRow = typeof breakoutGroups.$inferSelect;
export type UploadRow = typeof breakoutUploads.$inferSelect;
export type TrackRow = typeof breakoutTracks.$inferSelect;
export type TranscriptRow = typeof breakoutTranscripts.$inferSelect;
export type IdeaRow = typeof breakoutIdeas.$inferSelect;

export const breakoutsRepo = {
  insertSession: (db: DbOrTx, v: typeof breakoutSessions.$inferInsert) => db.insert(breakoutSessions).values(v).returning().get(),
  session: (db: DbOrTx, id: string) => db.select().from(breakoutSessions).where(eq(breakoutSessions.id, id)).get(),
  sessions: (db: DbOrTx, assemblyId: string) => db.select().from(breakoutSessions).where(eq(breakoutSessions.assemblyId, assemblyId)).orderBy(desc(breakoutSessions.createdAt)).all(),

  insertGroup: (db: DbOrTx, v: typeof breakoutGroups.$inferInsert) => db.insert(breakoutGroups).values(v).returning().get(),
  group: (db: DbOrTx, id: string) => db.select().from(breakoutGroups).where(eq(breakoutGroups.id, id)).get(),
  groups: (db: DbOrTx, sessionId: string) => db.select().from(breakoutGroups).where(eq(breakoutGroups.sessionId, sessionId)).orderBy(asc(breakoutGroups.name)).all(),
  groupsByIds: (db: DbOrTx, ids: string[]) => (ids.length ? db.select().from(breakoutGroups).where(inArray(breakoutGroups.id, ids)).all() : []),

  addMembers: (db: DbOrTx, rows: Array<typeof breakoutGroupMembers.$inferInsert>) => {
    if (rows.length) db.insert(breakoutGroupMembers).values(rows).onConflictDoNothing().run();
  },
  removeMember: (db: DbOrTx, groupId: string, userId: string) => db.delete(breakoutGroupMembers).where(and(eq(breakoutGroupMembers.groupId, groupId), eq(breakoutGroupMembers.userId, userId))).run(),
  memberOfSession: (db: DbOrTx, sessionId: string, userId: string) =>
    db.select().from(breakoutGroupMembers).where(and(eq(breakoutGroupMembers.sessionId, sessionId), eq(breakoutGroupMembers.userId, userId))).get(),
  /** members of a group with their pseudonyms (never account names) */
  members: (db: DbOrTx, groupId: string) =>
    db
      .select({ userId: breakoutGroupMembers.userId, pseudonym: memberships.pseudonym })
      .from(breakoutGroupMembers)
      .leftJoin(memberships, and(eq(memberships.userId, breakoutGroupMembers.userId), eq(memberships.assemblyId, breakoutGroupMembers.assemblyId)))
      .where(eq(breakoutGroupMembers.groupId, groupId))
      .orderBy(asc(memberships.pseudonym))
      .all(),
  pseudonyms: (db: DbOrTx, assemblyId: string) =>
    new Map(db.select({ userId: memberships.userId, pseudonym: memberships.pseudonym }).from(memberships).where(eq(memberships.assemblyId, assemblyId)).all().map((m) => [m.userId, m.pseudonym])),
  /** facilitators and admins who can lead a group (staff names, never shown in transcripts) */
  staff: (db: DbOrTx) => db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.role, ['facilitator', 'admin'])).all(),
  isAssemblyMember: (db: DbOrTx, assemblyId: string, userId: string) =>
    !!db.select({ u: memberships.userId }).from(memberships).where(and(eq(memberships.assemblyId, assemblyId), eq(memberships.userId, userId))).get(),

  insertUpload: (db: DbOrTx, v: typeof breakoutUploads.$inferInsert) => db.insert(breakoutUploads).values(v).returning().get(),
  upload: (db: DbOrTx, id: string) => db.select().from(breakoutUploads).where(eq(breakoutUploads.id, id)).get(),
  updateUpload: (db: DbOrTx, id: string, v: Partial<typeof breakoutUploads.$inferInsert>) =>
    db.update(breakoutUploads).set({ ...v, updatedAt: new Date().toISOString() }).where(eq(breakoutUploads.id, id)).returning().get(),
  openUploads: (db: DbOrTx, groupId: string) => db.select().from(breakoutUploads).where(and(eq(breakoutUploads.groupId, groupId), eq(breakoutUploads.status, 'open'))).all(),
  staleUploads: (db: DbOrTx, assemblyId: string, before: string) =>
    db.select().from(breakoutUploads).where(and(eq(breakoutUploads.assemblyId, assemblyId), eq(breakoutUploads.status, 'open'), lt(breakoutUploads.updatedAt, before))).all(),

  insertTrack: (db: DbOrTx, v: typeof breakoutTracks.$inferInsert) => db.insert(breakoutTracks).values(v).returning().get(),
  track: (db: DbOrTx, id: string) => db.select().from(breakoutTracks).where(eq(breakoutTracks.id, id)).get(),
  tracks: (db: DbOrTx, groupId: string) => db.select().from(breakoutTracks).where(eq(breakoutTracks.groupId, groupId)).orderBy(asc(breakoutTracks.createdAt), asc(breakoutTracks.id)).all(),
  liveTracks: (db: DbOrTx, groupId: string) =>
    db.select().from(breakoutTracks).where(and(eq(breakoutTracks.groupId, groupId), isNull(breakoutTracks.deletedAt))).orderBy(asc(breakoutTracks.createdAt), asc(breakoutTracks.id)).all(),
  markTrackDeleted: (db: DbOrTx, id: string, at: string) => db.update(breakoutTracks).set({ deletedAt: at }).where(eq(breakoutTracks.id, id)).run(),

  upsertTranscript: (db: DbOrTx, v: typeof breakoutTranscripts.$inferInsert) => {
    db.delete(breakoutTranscripts).where(eq(breakoutTranscripts.groupId, v.groupId)).run();
    return db.insert(breakoutTranscripts).values(v).returning().get();
  },
  transcript: (db: DbOrTx, id: string) => db.select().from(breakoutTranscripts).where(eq(breakoutTranscripts.id, id)).get(),
  transcriptOfGroup: (db: DbOrTx, groupId: string) => db.select().from(breakoutTranscripts).where(eq(breakoutTranscripts.groupId, groupId)).get(),

  upsertIdea: (db: DbOrTx, v: typeof breakoutIdeas.$inferInsert) => {
    db.delete(breakoutIdeas).where(eq(breakoutIdeas.subject, v.subject)).run();
    return db.insert(breakoutIdeas).values(v).returning().get();
  },
  ideas: (db: DbOrTx, assemblyId: string) => db.select().from(breakoutIdeas).where(eq(breakoutIdeas.assemblyId, assemblyId)).orderBy(desc(breakoutIdeas.publishedAt)).all(),
};
