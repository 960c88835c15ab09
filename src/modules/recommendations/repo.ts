import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { recommendations } from './schema.js';

export type RecommendationRow = typeof recommendations.$inferSelect;

export const recommendationsRepo = {
  insert: (db: DbOrTx, v: typeof recommendations.$inferInsert) => db.insert(recommendations).values(v).returning().get(),
  byId: (db: DbOrTx, id: string) => db.select().from(recommendations).where(eq(recommendations.id, id)).get(),
  forAssembly: (db: DbOrTx, assemblyId: string) => db.select().from(recommendations).where(eq(recommendations.assemblyId, assemblyId)).orderBy(desc(recommendations.updatedAt)).all(),
  update: (db: DbOrTx, id: string, v: Partial<typeof recommendations.$inferInsert>) => db.update(recommendations).set(v).where(eq(recommendations.id, id)).returning().get(),
};
