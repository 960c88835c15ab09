import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { opendataArchives, opendataArchiveTables, opendataExports, opendataIds } from './schema.js';

export type ExportRow = typeof opendataExports.$inferSelect;
type IdKind = (typeof opendataIds.$inferSelect)['kind'];

/** Queries over the open-data module's own tables. */
export const opendataRepo = {
  ids: (db: DbOrTx, assemblyId: string) => db.select().from(opendataIds).where(eq(opendataIds.assemblyId, assemblyId)).all(),
  insertId: (db: DbOrTx, v: { assemblyId: string; kind: IdKind; internal: string; public: string }) => db.insert(opendataIds).values(v).run(),
  insertExport: (db: DbOrTx, v: typeof opendataExports.$inferInsert) => db.insert(opendataExports).values(v).returning().get(),
  exportById: (db: DbOrTx, assemblyId: string, id: string) => db.select().from(opendataExports).where(and(eq(opendataExports.assemblyId, assemblyId), eq(opendataExports.id, id))).get(),
  exports: (db: DbOrTx, assemblyId: string) => db.select().from(opendataExports).where(eq(opendataExports.assemblyId, assemblyId)).orderBy(desc(opendataExports.createdAt)).all(),
  latestPublished: (db: DbOrTx, assemblyId: string) =>
    db.select().from(opendataExports).where(and(eq(opendataExports.assemblyId, assemblyId), eq(opendataExports.published, true))).orderBy(desc(opendataExports.publishedAt)).limit(1).get(),
  setPublished: (db: DbOrTx, id: string, published: boolean, at: string | null) => db.update(opendataExports).set({ published, publishedAt: at }).where(eq(opendataExports.id, id)).run(),
  archive: (db: DbOrTx, assemblyId: string) => db.select().from(opendataArchives).where(eq(opendataArchives.assemblyId, assemblyId)).get(),
  insertArchive: (db: DbOrTx, v: typeof opendataArchives.$inferInsert) => db.insert(opendataArchives).values(v).run(),
  archiveTable: (db: DbOrTx, assemblyId: string, path: string) => db.select().from(opendataArchiveTables).where(and(eq(opendataArchiveTables.assemblyId, assemblyId), eq(opendataArchiveTables.path, path))).get()?.content,
  insertArchiveTable: (db: DbOrTx, v: typeof opendataArchiveTables.$inferInsert) => db.insert(opendataArchiveTables).values(v).run(),
};
