import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { impactEntries, impactRecords } from './schema.js';

export type ImpactRecordRow = typeof impactRecords.$inferSelect;
export type ImpactEntryRow = typeof impactEntries.$inferSelect;

/** Queries over impact tracking's own tables. */
export const impactRepo = {
  record: (db: DbOrTx, recommendationId: string) => db.select().from(impactRecords).where(eq(impactRecords.recommendationId, recommendationId)).get(),
  records: (db: DbOrTx, assemblyId: string) => db.select().from(impactRecords).where(eq(impactRecords.assemblyId, assemblyId)).orderBy(asc(impactRecords.recommendationId)).all(),
  upsertRecord: (db: DbOrTx, v: typeof impactRecords.$inferInsert) =>
    db.insert(impactRecords).values(v).onConflictDoUpdate({ target: impactRecords.recommendationId, set: { ...v } }).returning().get(),
  insertRecord: (db: DbOrTx, v: typeof impactRecords.$inferInsert) => db.insert(impactRecords).values(v).run(),
  insertEntry: (db: DbOrTx, v: typeof impactEntries.$inferInsert) => db.insert(impactEntries).values(v).returning().get(),
  /** entries of an assembly, newest first (by when they were recorded) */
  entries: (db: DbOrTx, assemblyId: string) => db.select().from(impactEntries).where(eq(impactEntries.assemblyId, assemblyId)).orderBy(desc(impactEntries.createdAt), sql`rowid desc`).all(), // ids are random UUIDs: insertion order breaks ties
  /** a recommendation's timeline, newest first (by the date it happened) */
  timeline: (db: DbOrTx, assemblyId: string, recommendationId: string) =>
    db.select().from(impactEntries).where(and(eq(impactEntries.assemblyId, assemblyId), eq(impactEntries.recommendationId, recommendationId))).orderBy(desc(impactEntries.date), desc(impactEntries.createdAt), sql`rowid desc`).all(),
};
