import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { assemblies, memberships } from '../../platform/db/schema.js';

export const assembliesRepo = {
  byId: (db: DbOrTx, id: string) => db.select().from(assemblies).where(eq(assemblies.id, id)).get(),
  bySlug: (db: DbOrTx, slug: string) => db.select().from(assemblies).where(eq(assemblies.slug, slug)).get(),
  list: (db: DbOrTx) => db.select().from(assemblies).all(),
  insert: (db: DbOrTx, v: typeof assemblies.$inferInsert) => db.insert(assemblies).values(v).returning().get(),
  memberCount: (db: DbOrTx, id: string) => db.select({ u: memberships.userId }).from(memberships).where(eq(memberships.assemblyId, id)).all().length,
  members: (db: DbOrTx, id: string) => db.select({ userId: memberships.userId, pseudonym: memberships.pseudonym, joinedAt: memberships.createdAt }).from(memberships).where(eq(memberships.assemblyId, id)).all(),
};
