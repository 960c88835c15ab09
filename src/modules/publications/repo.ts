import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { publications } from '../../platform/db/schema.js';

export const publicationsRepo = {
  /** replaces the earlier publication of the same kind, subject and language */
  upsert(db: DbOrTx, v: typeof publications.$inferInsert) {
    db.delete(publications).where(and(eq(publications.kind, v.kind), eq(publications.subject, v.subject), eq(publications.language, v.language))).run();
    return db.insert(publications).values(v).returning().get();
  },
  byId: (db: DbOrTx, id: string) => db.select().from(publications).where(eq(publications.id, id)).get(),
  forAssembly: (db: DbOrTx, assemblyId: string, languages?: string[]) =>
    db
      .select()
      .from(publications)
      .where(languages?.length ? and(eq(publications.assemblyId, assemblyId), inArray(publications.language, languages)) : eq(publications.assemblyId, assemblyId))
      .orderBy(desc(publications.publishedAt))
      .all(),
  /** an assembly's publications whose subject starts with `prefix` (a module's own subjects, e.g. `contributions:…`) */
  withSubjectPrefix: (db: DbOrTx, assemblyId: string, prefix: string) =>
    db.select().from(publications).where(and(eq(publications.assemblyId, assemblyId), sql`substr(${publications.subject}, 1, ${prefix.length}) = ${prefix}`)).all(),
  /** withdraws publications (a newer map replaced them, or what they cite is gone) */
  remove(db: DbOrTx, ids: string[]) {
    for (let i = 0; i < ids.length; i += 500) db.delete(publications).where(inArray(publications.id, ids.slice(i, i + 500))).run();
  },
};
