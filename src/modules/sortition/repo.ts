import { and, desc, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { invitations } from '../../platform/db/schema.js';
import {
  sortitionDraws,
  sortitionLetterBatches,
  sortitionLetters,
  sortitionPeople,
  sortitionPersonal,
  sortitionPools,
  sortitionReplacements,
  sortitionRuns,
} from './schema.js';

export type PoolRow = typeof sortitionPools.$inferSelect;
export type PersonRow = typeof sortitionPeople.$inferSelect;
export type RunRow = typeof sortitionRuns.$inferSelect;
export type DrawRow = typeof sortitionDraws.$inferSelect;
export type LetterRow = typeof sortitionLetters.$inferSelect;

export const sortitionRepo = {
  // pools
  insertPool: (db: DbOrTx, v: typeof sortitionPools.$inferInsert) => db.insert(sortitionPools).values(v).returning().get(),
  pool: (db: DbOrTx, assemblyId: string, id: string) => db.select().from(sortitionPools).where(and(eq(sortitionPools.assemblyId, assemblyId), eq(sortitionPools.id, id))).get(),
  poolById: (db: DbOrTx, id: string) => db.select().from(sortitionPools).where(eq(sortitionPools.id, id)).get(),
  pools: (db: DbOrTx, assemblyId: string) => db.select().from(sortitionPools).where(eq(sortitionPools.assemblyId, assemblyId)).orderBy(desc(sortitionPools.createdAt)).all(),
  updatePool: (db: DbOrTx, id: string, v: Partial<typeof sortitionPools.$inferInsert>) => db.update(sortitionPools).set(v).where(eq(sortitionPools.id, id)).run(),

  // people (features only)
  insertPeople: (db: DbOrTx, rows: (typeof sortitionPeople.$inferInsert)[]) => {
    for (let i = 0; i < rows.length; i += 500) db.insert(sortitionPeople).values(rows.slice(i, i + 500)).run();
  },
  people: (db: DbOrTx, poolId: string) => db.select().from(sortitionPeople).where(eq(sortitionPeople.poolId, poolId)).all(),
  person: (db: DbOrTx, poolId: string, personId: string) => db.select().from(sortitionPeople).where(and(eq(sortitionPeople.poolId, poolId), eq(sortitionPeople.personId, personId))).get(),
  setStatus: (db: DbOrTx, poolId: string, personIds: string[], v: Partial<typeof sortitionPeople.$inferInsert>) =>
    personIds.length ? db.update(sortitionPeople).set(v).where(and(eq(sortitionPeople.poolId, poolId), inArray(sortitionPeople.personId, personIds))).run() : undefined,
  personByInvitation: (db: DbOrTx, hashes: string[]) => (hashes.length ? db.select().from(sortitionPeople).where(inArray(sortitionPeople.invitationHash, hashes)).all() : []),

  // personal data: a separate table, read only where a person (or their organiser) needs it
  insertPersonal: (db: DbOrTx, rows: (typeof sortitionPersonal.$inferInsert)[]) => {
    for (let i = 0; i < rows.length; i += 500) db.insert(sortitionPersonal).values(rows.slice(i, i + 500)).run();
  },
  personal: (db: DbOrTx, poolId: string, personIds: string[]) =>
    personIds.length ? db.select().from(sortitionPersonal).where(and(eq(sortitionPersonal.poolId, poolId), inArray(sortitionPersonal.personId, personIds))).all() : [],
  deletePersonal: (db: DbOrTx, poolId: string, personId: string) => db.delete(sortitionPersonal).where(and(eq(sortitionPersonal.poolId, poolId), eq(sortitionPersonal.personId, personId))).run().changes,

  // runs
  insertRun: (db: DbOrTx, v: typeof sortitionRuns.$inferInsert) => db.insert(sortitionRuns).values(v).returning().get(),
  run: (db: DbOrTx, assemblyId: string, id: string) => db.select().from(sortitionRuns).where(and(eq(sortitionRuns.assemblyId, assemblyId), eq(sortitionRuns.id, id))).get(),
  runById: (db: DbOrTx, id: string) => db.select().from(sortitionRuns).where(eq(sortitionRuns.id, id)).get(),
  runs: (db: DbOrTx, poolId: string) => db.select().from(sortitionRuns).where(eq(sortitionRuns.poolId, poolId)).orderBy(desc(sortitionRuns.createdAt)).all(),
  updateRun: (db: DbOrTx, id: string, v: Partial<typeof sortitionRuns.$inferInsert>) => db.update(sortitionRuns).set(v).where(eq(sortitionRuns.id, id)).run(),
  supersedeRuns: (db: DbOrTx, poolId: string, exceptId: string) =>
    db.update(sortitionRuns).set({ status: 'superseded' }).where(and(eq(sortitionRuns.poolId, poolId), ne(sortitionRuns.id, exceptId))).run(),

  // draws
  insertDraw: (db: DbOrTx, v: typeof sortitionDraws.$inferInsert) => db.insert(sortitionDraws).values(v).returning().get(),
  draw: (db: DbOrTx, assemblyId: string, id: string) => db.select().from(sortitionDraws).where(and(eq(sortitionDraws.assemblyId, assemblyId), eq(sortitionDraws.id, id))).get(),
  drawOfPool: (db: DbOrTx, poolId: string) => db.select().from(sortitionDraws).where(eq(sortitionDraws.poolId, poolId)).get(),
  insertReplacement: (db: DbOrTx, v: typeof sortitionReplacements.$inferInsert) => db.insert(sortitionReplacements).values(v).run(),
  replacements: (db: DbOrTx, drawId: string) => db.select().from(sortitionReplacements).where(eq(sortitionReplacements.drawId, drawId)).orderBy(sortitionReplacements.createdAt).all(),

  // letters (two-stage lottery)
  insertBatch: (db: DbOrTx, v: typeof sortitionLetterBatches.$inferInsert) => db.insert(sortitionLetterBatches).values(v).returning().get(),
  batches: (db: DbOrTx, poolId: string) => db.select().from(sortitionLetterBatches).where(eq(sortitionLetterBatches.poolId, poolId)).all(),
  insertLetters: (db: DbOrTx, rows: (typeof sortitionLetters.$inferInsert)[]) => {
    for (let i = 0; i < rows.length; i += 500) db.insert(sortitionLetters).values(rows.slice(i, i + 500)).run();
  },
  letters: (db: DbOrTx, poolId: string) => db.select().from(sortitionLetters).where(eq(sortitionLetters.poolId, poolId)).all(),
  letterByHash: (db: DbOrTx, codeHash: string) => db.select().from(sortitionLetters).where(eq(sortitionLetters.codeHash, codeHash)).get(),
  countRegistration: (db: DbOrTx, letterId: string, max: number) => {
    const l = db.select().from(sortitionLetters).where(eq(sortitionLetters.id, letterId)).get();
    if (!l || l.registrations >= max) return false;
    db.update(sortitionLetters).set({ registrations: l.registrations + 1 }).where(eq(sortitionLetters.id, letterId)).run();
    return true;
  },

  /**
   * Code hashes of the account invitations a user redeemed (platform table `invitations`, read-only here): how a
   * member's account is linked back to the pool person who was selected.
   */
  invitationHashesUsedBy: (db: DbOrTx, userId: string) => db.select({ h: invitations.codeHash }).from(invitations).where(eq(invitations.usedBy, userId)).all().map((r) => r.h),
  openInvitation: (db: DbOrTx, codeHash: string) => db.select().from(invitations).where(and(eq(invitations.codeHash, codeHash), isNull(invitations.usedBy))).get(),
};
