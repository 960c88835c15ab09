import { and, desc, eq, inArray, max } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { brochureVersions, recommendationLanguages, recommendationTranslations } from './schema.js';

export type VersionRow = typeof brochureVersions.$inferSelect;
export type TranslationRow = typeof recommendationTranslations.$inferSelect;

/** Queries over the brochure module's own tables. */
export const brochureRepo = {
  versions: (db: DbOrTx, assemblyId: string) => db.select().from(brochureVersions).where(eq(brochureVersions.assemblyId, assemblyId)).orderBy(desc(brochureVersions.number), brochureVersions.language).all(),
  version: (db: DbOrTx, assemblyId: string, id: string) => db.select().from(brochureVersions).where(and(eq(brochureVersions.assemblyId, assemblyId), eq(brochureVersions.id, id))).get(),
  latest: (db: DbOrTx, assemblyId: string, scope: 'drafts' | 'final', language: string) =>
    db.select().from(brochureVersions).where(and(eq(brochureVersions.assemblyId, assemblyId), eq(brochureVersions.scope, scope), eq(brochureVersions.language, language))).orderBy(desc(brochureVersions.number)).limit(1).get(),
  nextNumber: (db: DbOrTx, assemblyId: string) => (db.select({ n: max(brochureVersions.number) }).from(brochureVersions).where(eq(brochureVersions.assemblyId, assemblyId)).get()?.n ?? 0) + 1,
  insertVersion: (db: DbOrTx, v: typeof brochureVersions.$inferInsert) => db.insert(brochureVersions).values(v).returning().get(),
  languages: (db: DbOrTx, ids: string[]) => (ids.length ? db.select().from(recommendationLanguages).where(inArray(recommendationLanguages.recommendationId, ids)).all() : []),
  setLanguage: (db: DbOrTx, v: typeof recommendationLanguages.$inferInsert) =>
    db.insert(recommendationLanguages).values(v).onConflictDoUpdate({ target: recommendationLanguages.recommendationId, set: { language: v.language, setBy: v.setBy, setAt: v.setAt } }).run(),
  translations: (db: DbOrTx, ids: string[]) => (ids.length ? db.select().from(recommendationTranslations).where(inArray(recommendationTranslations.recommendationId, ids)).all() : []),
  upsertTranslation: (db: DbOrTx, v: typeof recommendationTranslations.$inferInsert) =>
    db
      .insert(recommendationTranslations)
      .values(v)
      .onConflictDoUpdate({ target: [recommendationTranslations.recommendationId, recommendationTranslations.language], set: { sourceLanguage: v.sourceLanguage, sourceVersion: v.sourceVersion, origin: v.origin, fields: v.fields, reviewItemId: v.reviewItemId ?? null, by: v.by ?? null, createdAt: v.createdAt } })
      .run(),
};
