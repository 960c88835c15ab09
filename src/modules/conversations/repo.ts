import type Database from 'better-sqlite3';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { memberships } from '../../platform/db/schema.js';
import { conversationParticipants, conversations, publishedMaps, statements, votes } from './schema.js';

export type ConversationRow = typeof conversations.$inferSelect;
export type StatementRow = typeof statements.$inferSelect;
export type ParticipantRow = typeof conversationParticipants.$inferSelect;

/**
 * The hot paths (vote, routing) use prepared statements on the connection, cached per connection; everything
 * else goes through drizzle. Only this module's tables (plus the read of a member's pseudonym).
 */
function makePrepared(client: Database.Database) {
  return {
      conversation: client.prepare<[string], { id: string; assembly_id: string; status: string; recompute_every: number }>(
        'select id, assembly_id, status, recompute_every from conversations where id = ?',
      ),
      statement: client.prepare<[number], { conversation_id: string; status: string }>('select conversation_id, status from statements where id = ?'),
      participant: client.prepare<[string, string], { id: number }>('select id from conversation_participants where conversation_id = ? and user_id = ?'),
      pseudonym: client.prepare<[string, string], { p: string | null }>('select pseudonym as p from memberships where assembly_id = ? and user_id = ?'),
      insertMember: client.prepare<[string, string, string], { id: number }>(
        "insert into conversation_participants (conversation_id, kind, user_id, pseudonym) values (?, 'member', ?, ?) returning id",
      ),
      oldVote: client.prepare<[number, number], { vote: number }>('select vote from votes where statement_id = ? and participant_id = ?'),
      upsertVote: client.prepare(
        'insert into votes (statement_id, participant_id, conversation_id, vote, voted_at, changes, seq) values (?, ?, ?, ?, ?, 0, ?) ' +
          'on conflict (statement_id, participant_id) do update set vote = excluded.vote, voted_at = excluded.voted_at, changes = changes + 1, seq = excluded.seq',
      ),
      counts: client.prepare('update statements set agree_count = agree_count + ?, disagree_count = disagree_count + ?, pass_count = pass_count + ? where id = ?'),
      bumpEvents: client.prepare<[string], { vote_events: number }>('update conversations set vote_events = vote_events + 1 where id = ? returning vote_events'),
      unseen: client.prepare<[string, number], { id: number; is_meta: number; agree_count: number; disagree_count: number; pass_count: number; extremity: number }>(
        "select s.id, s.is_meta, s.agree_count, s.disagree_count, s.pass_count, s.extremity from statements s where s.conversation_id = ? and s.status = 'accepted' " +
          'and not exists (select 1 from votes v where v.statement_id = s.id and v.participant_id = ?) order by s.id',
      ),
      votedCount: client.prepare<[number], { n: number }>('select count(*) as n from votes where participant_id = ?'),
      setExtremity: client.prepare<[number, number]>('update statements set extremity = ? where id = ?'),
  };
}
type Prepared = ReturnType<typeof makePrepared>;
const cache = new WeakMap<Database.Database, Prepared>();
function prepared(client: Database.Database): Prepared {
  let p = cache.get(client);
  if (!p) cache.set(client, (p = makePrepared(client)));
  return p;
}

export const conversationsRepo = {
  /** prepared statements on the connection; usable inside a transaction opened on the same Db */
  fast: (db: Db) => prepared(db.$client),

  insert: (db: DbOrTx, v: typeof conversations.$inferInsert) => db.insert(conversations).values(v).returning().get(),
  byId: (db: DbOrTx, id: string) => db.select().from(conversations).where(eq(conversations.id, id)).get(),
  forAssembly: (db: DbOrTx, assemblyId: string) => db.select().from(conversations).where(eq(conversations.assemblyId, assemblyId)).orderBy(desc(conversations.createdAt)).all(),
  update: (db: DbOrTx, id: string, v: Partial<typeof conversations.$inferInsert>) => db.update(conversations).set(v).where(eq(conversations.id, id)).returning().get(),

  // participants
  participantForUser: (db: DbOrTx, conversationId: string, userId: string) =>
    db.select().from(conversationParticipants).where(and(eq(conversationParticipants.conversationId, conversationId), eq(conversationParticipants.userId, userId))).get(),
  insertParticipant: (db: DbOrTx, v: typeof conversationParticipants.$inferInsert) => db.insert(conversationParticipants).values(v).returning().get(),
  participants: (db: DbOrTx, conversationId: string) => db.select().from(conversationParticipants).where(eq(conversationParticipants.conversationId, conversationId)).orderBy(asc(conversationParticipants.id)).all(),
  pseudonymOf: (db: DbOrTx, assemblyId: string, userId: string) =>
    db.select({ p: memberships.pseudonym }).from(memberships).where(and(eq(memberships.assemblyId, assemblyId), eq(memberships.userId, userId))).get()?.p ?? null,

  // statements
  insertStatement: (db: DbOrTx, v: typeof statements.$inferInsert) => db.insert(statements).values(v).returning().get(),
  nextTid: (db: DbOrTx, conversationId: string) =>
    (db.select({ m: sql<number | null>`max(${statements.tid})` }).from(statements).where(eq(statements.conversationId, conversationId)).get()?.m ?? -1) + 1,
  statement: (db: DbOrTx, id: number) => db.select().from(statements).where(eq(statements.id, id)).get(),
  statements: (db: DbOrTx, conversationId: string, status?: StatementRow['status'][]) =>
    db
      .select()
      .from(statements)
      .where(status?.length ? and(eq(statements.conversationId, conversationId), inArray(statements.status, status)) : eq(statements.conversationId, conversationId))
      .orderBy(asc(statements.tid))
      .all(),
  statementsByAuthor: (db: DbOrTx, authorId: number) => db.select().from(statements).where(eq(statements.authorId, authorId)).orderBy(asc(statements.tid)).all(),
  updateStatement: (db: DbOrTx, id: number, v: Partial<typeof statements.$inferInsert>) => db.update(statements).set(v).where(eq(statements.id, id)).returning().get(),
  statementCounts: (db: DbOrTx, conversationId: string) =>
    db.select({ status: statements.status, n: sql<number>`count(*)` }).from(statements).where(eq(statements.conversationId, conversationId)).groupBy(statements.status).all(),
  /** a cheap fingerprint of the accepted statements (for the near-duplicate cache) */
  acceptedFingerprint: (db: DbOrTx, conversationId: string) =>
    db
      .select({ n: sql<number>`count(*)`, m: sql<number | null>`max(${statements.id})`, t: sql<string | null>`max(${statements.moderatedAt})` })
      .from(statements)
      .where(and(eq(statements.conversationId, conversationId), eq(statements.status, 'accepted')))
      .get(),

  // votes
  votes: (db: DbOrTx, conversationId: string) =>
    db.select({ statementId: votes.statementId, participantId: votes.participantId, vote: votes.vote, votedAt: votes.votedAt }).from(votes).where(eq(votes.conversationId, conversationId)).all(),
  /** the current votes on these statements (for a forecast of their support per opinion group) */
  votesOn: (db: DbOrTx, statementIds: number[]) =>
    statementIds.length ? db.select({ statementId: votes.statementId, participantId: votes.participantId, vote: votes.vote }).from(votes).where(inArray(votes.statementId, statementIds)).orderBy(asc(votes.statementId), asc(votes.participantId)).all() : [],
  votesOf: (db: DbOrTx, participantId: number) => db.select({ statementId: votes.statementId, vote: votes.vote }).from(votes).where(eq(votes.participantId, participantId)).all(),
  voteRowCount: (db: DbOrTx, conversationId: string) => db.select({ n: sql<number>`count(*)` }).from(votes).where(eq(votes.conversationId, conversationId)).get()?.n ?? 0,
  insertVote: (db: DbOrTx, v: typeof votes.$inferInsert) => db.insert(votes).values(v).run(),
  /**
   * Participants with at least one vote on an accepted non-meta statement, and such statements with votes — each
   * counted only up to `cap` (the caller asks "are there enough?"): the queries stop at the cap instead of scanning
   * every vote (a count(distinct …) over 10 M votes took seconds on the facilitator's request).
   */
  mathCoverage: (db: DbOrTx, conversationId: string, cap: { participants: number; statements: number }) => {
    const participants = db.get<{ n: number }>(
      sql`select count(*) as n from (select distinct v.participant_id from votes v join statements s on s.id = v.statement_id
          where v.conversation_id = ${conversationId} and s.status = 'accepted' and s.is_meta = 0 limit ${cap.participants})`,
    ).n;
    const stmts = db.get<{ n: number }>(
      sql`select count(*) as n from (select id from statements where conversation_id = ${conversationId} and status = 'accepted' and is_meta = 0
          and agree_count + disagree_count + pass_count > 0 limit ${cap.statements})`,
    ).n;
    return { participants, statements: stmts };
  },

  // published maps
  publishedMap: (db: DbOrTx, conversationId: string) => db.select().from(publishedMaps).where(eq(publishedMaps.conversationId, conversationId)).get(),
  upsertPublishedMap: (db: DbOrTx, v: typeof publishedMaps.$inferInsert) => {
    db.delete(publishedMaps).where(eq(publishedMaps.conversationId, v.conversationId)).run();
    return db.insert(publishedMaps).values(v).returning().get();
  },
};
