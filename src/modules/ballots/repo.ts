import { and, asc, count, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { memberships, users } from '../../platform/db/schema.js';
import { ballotRoll, ballots, ballotVotes } from './schema.js';

export type BallotRow = typeof ballots.$inferSelect;

export const ballotsRepo = {
  insert: (db: DbOrTx, v: typeof ballots.$inferInsert) => db.insert(ballots).values(v).returning().get(),
  get: (db: DbOrTx, assemblyId: string, id: string) => db.select().from(ballots).where(and(eq(ballots.assemblyId, assemblyId), eq(ballots.id, id))).get(),
  list: (db: DbOrTx, assemblyId: string) => db.select().from(ballots).where(eq(ballots.assemblyId, assemblyId)).orderBy(asc(ballots.opensAt), asc(ballots.id)).all(),
  update: (db: DbOrTx, id: string, v: Partial<typeof ballots.$inferInsert>) => db.update(ballots).set(v).where(eq(ballots.id, id)).returning().get(),

  onRoll: (db: DbOrTx, ballotId: string, userId: string) => !!db.select({ u: ballotRoll.userId }).from(ballotRoll).where(and(eq(ballotRoll.ballotId, ballotId), eq(ballotRoll.userId, userId))).get(),
  addToRoll: (db: DbOrTx, ballotId: string, userId: string) => db.insert(ballotRoll).values({ ballotId, userId }).run(),
  rollCount: (db: DbOrTx, ballotId: string) => db.select({ n: count() }).from(ballotRoll).where(eq(ballotRoll.ballotId, ballotId)).get()?.n ?? 0,

  insertVote: (db: DbOrTx, ballotId: string, receipt: string, choice: unknown, packed: string | null) => db.insert(ballotVotes).values({ ballotId, receipt, choice, packed }).run(),
  vote: (db: DbOrTx, ballotId: string, receipt: string) => db.select().from(ballotVotes).where(and(eq(ballotVotes.ballotId, ballotId), eq(ballotVotes.receipt, receipt))).get(),
  replaceVote: (db: DbOrTx, ballotId: string, receipt: string, choice: unknown, packed: string | null) => db.update(ballotVotes).set({ choice, packed }).where(and(eq(ballotVotes.ballotId, ballotId), eq(ballotVotes.receipt, receipt))).run(),
  /** every cast ballot, ordered by receipt (not by time of casting) */
  votes: (db: DbOrTx, ballotId: string) => db.select({ receipt: ballotVotes.receipt, choice: ballotVotes.choice }).from(ballotVotes).where(eq(ballotVotes.ballotId, ballotId)).orderBy(asc(ballotVotes.receipt)).all(),
  /** ranked methods: every ballot's packed ranking (for counting; no receipts) */
  packedVotes: (db: DbOrTx, ballotId: string) => db.select({ p: ballotVotes.packed }).from(ballotVotes).where(eq(ballotVotes.ballotId, ballotId)).all().map((r) => r.p ?? ''),

  /** eligible members: the assembly's participants */
  eligibleCount: (db: DbOrTx, assemblyId: string) =>
    db.select({ n: count() }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(and(eq(memberships.assemblyId, assemblyId), eq(users.role, 'participant'), eq(users.disabled, false))).get()?.n ?? 0,
  isEligible: (db: DbOrTx, assemblyId: string, userId: string) =>
    !!db
      .select({ u: memberships.userId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.assemblyId, assemblyId), eq(memberships.userId, userId), eq(users.role, 'participant'), eq(users.disabled, false)))
      .get(),
};
