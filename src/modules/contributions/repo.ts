import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { modelCache } from '../../platform/db/schema.js';
import { consensusStatements, contributionImports, contributions, textMaps } from './schema.js';

export type ContributionRow = typeof contributions.$inferSelect;
export type ImportRow = typeof contributionImports.$inferSelect;

const CHUNK = 400;
function chunks<T>(xs: T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

export const contributionsRepo = {
  insertMany(db: DbOrTx, rows: Array<typeof contributions.$inferInsert>) {
    for (const part of chunks(rows, 200)) db.insert(contributions).values(part).run();
  },
  byId: (db: DbOrTx, id: string) => db.select().from(contributions).where(eq(contributions.id, id)).get(),
  byIds(db: DbOrTx, ids: string[]): ContributionRow[] {
    return chunks(ids).flatMap((part) => db.select().from(contributions).where(inArray(contributions.id, part)).all());
  },
  /** the first contribution of the assembly with this duplicate key (the group's representative) */
  firstWithKey: (db: DbOrTx, assemblyId: string, dupKey: string) =>
    db.select({ id: contributions.id, duplicateOf: contributions.duplicateOf }).from(contributions).where(and(eq(contributions.assemblyId, assemblyId), eq(contributions.dupKey, dupKey))).orderBy(asc(contributions.createdAt), sql`rowid`).limit(1).get(),
  existingExternalIds(db: DbOrTx, assemblyId: string, externalIds: string[]): string[] {
    return chunks(externalIds).flatMap((part) =>
      db.select({ e: contributions.externalId }).from(contributions).where(and(eq(contributions.assemblyId, assemblyId), inArray(contributions.externalId, part))).all().map((r) => r.e!),
    );
  },
  /** every contribution of a scope, oldest first ('' topic = the whole assembly) */
  forScope(db: DbOrTx, assemblyId: string, topic: string): ContributionRow[] {
    const where = topic ? and(eq(contributions.assemblyId, assemblyId), eq(contributions.topic, topic)) : eq(contributions.assemblyId, assemblyId);
    return db.select().from(contributions).where(where).orderBy(asc(contributions.createdAt), sql`rowid`).all();
  },
  page(db: DbOrTx, f: { assemblyId: string; topic?: string; authorId?: string; limit: number; offset: number }) {
    const conds = [eq(contributions.assemblyId, f.assemblyId)];
    if (f.topic) conds.push(eq(contributions.topic, f.topic));
    if (f.authorId) conds.push(eq(contributions.authorId, f.authorId));
    const where = and(...conds);
    const total = db.select({ n: count() }).from(contributions).where(where).get()?.n ?? 0;
    const rows = db.select().from(contributions).where(where).orderBy(desc(contributions.createdAt), sql`rowid desc`).limit(f.limit).offset(f.offset).all();
    return { total, rows };
  },
  topics: (db: DbOrTx, assemblyId: string) =>
    db.select({ topic: contributions.topic, n: count() }).from(contributions).where(eq(contributions.assemblyId, assemblyId)).groupBy(contributions.topic).all(),
  withoutLanguage: (db: DbOrTx, importId: string) => db.select().from(contributions).where(and(eq(contributions.importId, importId), isNull(contributions.language))).all(),
  setLanguage(db: DbOrTx, id: string, v: { language: string; languageConfidence: number; flags: string[] }) {
    db.update(contributions).set({ ...v, languageSource: 'detected' }).where(eq(contributions.id, id)).run();
  },
  /** rows whose external id starts with `prefix` (e.g. the turns one transcript added) */
  withExternalPrefix: (db: DbOrTx, assemblyId: string, prefix: string) =>
    db
      .select({ id: contributions.id, externalId: contributions.externalId, text: contributions.text })
      .from(contributions)
      .where(and(eq(contributions.assemblyId, assemblyId), sql`substr(${contributions.externalId}, 1, ${prefix.length}) = ${prefix}`))
      .all(),
  /** deletes rows; returns the rows that named one of them as their near-duplicate group's lead */
  removeWithFollowers(db: DbOrTx, assemblyId: string, ids: string[]) {
    const followers: Array<{ id: string; duplicateOf: string | null; createdAt: string }> = [];
    for (const part of chunks(ids)) {
      followers.push(...db.select({ id: contributions.id, duplicateOf: contributions.duplicateOf, createdAt: contributions.createdAt }).from(contributions).where(and(eq(contributions.assemblyId, assemblyId), inArray(contributions.duplicateOf, part))).all());
      db.delete(contributions).where(inArray(contributions.id, part)).run();
    }
    return followers;
  },
  setDuplicateOf(db: DbOrTx, ids: string[], duplicateOf: string | null) {
    for (const part of chunks(ids)) db.update(contributions).set({ duplicateOf }).where(inArray(contributions.id, part)).run();
  },
  insertImport: (db: DbOrTx, v: typeof contributionImports.$inferInsert) => db.insert(contributionImports).values(v).returning().get(),
  setImportJob: (db: DbOrTx, id: string, jobId: string) => db.update(contributionImports).set({ jobId }).where(eq(contributionImports.id, id)).run(),
  importById: (db: DbOrTx, id: string) => db.select().from(contributionImports).where(eq(contributionImports.id, id)).get(),
  imports: (db: DbOrTx, assemblyId: string) => db.select().from(contributionImports).where(eq(contributionImports.assemblyId, assemblyId)).orderBy(desc(contributionImports.createdAt)).limit(50).all(),
};

export const textMapsRepo = {
  upsert(db: DbOrTx, v: typeof textMaps.$inferInsert) {
    db.delete(textMaps).where(and(eq(textMaps.assemblyId, v.assemblyId), eq(textMaps.topic, v.topic ?? ''))).run();
    return db.insert(textMaps).values(v).returning().get();
  },
  get: (db: DbOrTx, assemblyId: string, topic: string) => db.select().from(textMaps).where(and(eq(textMaps.assemblyId, assemblyId), eq(textMaps.topic, topic))).get(),
};

export const consensusRepo = {
  upsert(db: DbOrTx, v: typeof consensusStatements.$inferInsert) {
    db.delete(consensusStatements).where(and(eq(consensusStatements.assemblyId, v.assemblyId), eq(consensusStatements.topic, v.topic ?? ''))).run();
    return db.insert(consensusStatements).values(v).returning().get();
  },
  forAssembly: (db: DbOrTx, assemblyId: string) => db.select().from(consensusStatements).where(eq(consensusStatements.assemblyId, assemblyId)).all(),
  get: (db: DbOrTx, assemblyId: string, topic: string) => db.select().from(consensusStatements).where(and(eq(consensusStatements.assemblyId, assemblyId), eq(consensusStatements.topic, topic))).get(),
  remove: (db: DbOrTx, id: string) => db.delete(consensusStatements).where(eq(consensusStatements.id, id)).run(),
};


/** The platform's model_cache table (namespace + key → value), used for embeddings and translations. */
export const modelCacheRepo = {
  getMany(db: DbOrTx, namespace: string, keys: string[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const part of chunks([...new Set(keys)])) {
      for (const r of db.select({ key: modelCache.key, value: modelCache.value }).from(modelCache).where(and(eq(modelCache.namespace, namespace), inArray(modelCache.key, part))).all()) out.set(r.key, r.value);
    }
    return out;
  },
  setMany(db: DbOrTx, namespace: string, entries: Array<[string, string]>) {
    for (const part of chunks(entries, 200)) {
      db.insert(modelCache)
        .values(part.map(([key, value]) => ({ namespace, key, value })))
        .onConflictDoUpdate({ target: [modelCache.namespace, modelCache.key], set: { value: sql`excluded.value` } })
        .run();
    }
  },
  count: (db: DbOrTx, namespace: string) => db.select({ n: count() }).from(modelCache).where(eq(modelCache.namespace, namespace)).get()?.n ?? 0,
};
