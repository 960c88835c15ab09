import { and, asc, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { memberships } from '../../platform/db/schema.js';
import { debateComments, debates, debateSupports, discussionSummaries } from './schema.js';

export type DebateRow = typeof debates.$inferSelect;
export type CommentRow = typeof debateComments.$inferSelect;

const COUNT_COLUMN = { in_favour: 'count_in_favour', against: 'count_against', neutral: 'count_neutral' } as const;

/** Queries on the debates module's tables only (plus the read of a member's pseudonym). */
export const debatesRepo = {
  insert: (db: DbOrTx, v: typeof debates.$inferInsert) => db.insert(debates).values(v).returning().get(),
  byId: (db: DbOrTx, id: string) => db.select().from(debates).where(eq(debates.id, id)).get(),
  forAssembly: (db: DbOrTx, assemblyId: string) => db.select().from(debates).where(eq(debates.assemblyId, assemblyId)).orderBy(desc(debates.createdAt), desc(debates.id)).all(),
  update: (db: DbOrTx, id: string, v: Partial<typeof debates.$inferInsert>) => db.update(debates).set(v).where(eq(debates.id, id)).returning().get(),

  /** adds `delta` to the visible-comment count of an alignment (and to the thread count for top-level comments) */
  bumpCounts(db: DbOrTx, debateId: string, alignment: keyof typeof COUNT_COLUMN, delta: number, topLevel: boolean) {
    const col = sql.raw(COUNT_COLUMN[alignment]);
    db.run(sql`update debates set ${col} = ${col} + ${delta}, count_threads = count_threads + ${topLevel ? delta : 0} where id = ${debateId}`);
  },

  /** support counts and the reader's own supports for several debates, in two queries (lists) */
  supportsAmong(db: DbOrTx, debateIds: string[], userId: string | null): { counts: Map<string, number>; mine: Set<string> } {
    if (debateIds.length === 0) return { counts: new Map(), mine: new Set() };
    const rows = db.select({ d: debateSupports.debateId, n: sql<number>`count(*)` }).from(debateSupports).where(inArray(debateSupports.debateId, debateIds)).groupBy(debateSupports.debateId).all();
    const mine = userId
      ? db.select({ d: debateSupports.debateId }).from(debateSupports).where(and(inArray(debateSupports.debateId, debateIds), eq(debateSupports.userId, userId))).all().map((r) => r.d)
      : [];
    return { counts: new Map(rows.map((r) => [r.d, r.n])), mine: new Set(mine) };
  },
  addSupport: (db: DbOrTx, debateId: string, userId: string) => db.insert(debateSupports).values({ debateId, userId }).onConflictDoNothing().run().changes > 0,

  pseudonymOf: (db: DbOrTx, assemblyId: string, userId: string) =>
    db.select({ p: memberships.pseudonym }).from(memberships).where(and(eq(memberships.assemblyId, assemblyId), eq(memberships.userId, userId))).get()?.p ?? null,

  // ---------- comments ----------
  insertComment: (db: DbOrTx, v: typeof debateComments.$inferInsert) => db.insert(debateComments).values(v).returning().get(),
  comment: (db: DbOrTx, id: number) => db.select().from(debateComments).where(eq(debateComments.id, id)).get(),
  setCommentRoot: (db: DbOrTx, id: number) => db.update(debateComments).set({ rootId: id }).where(eq(debateComments.id, id)).run(),
  bumpReplies: (db: DbOrTx, id: number) => db.update(debateComments).set({ replyCount: sql`${debateComments.replyCount} + 1` }).where(eq(debateComments.id, id)).run(),
  setCommentStatus: (db: DbOrTx, id: number, status: CommentRow['status'], body?: string) =>
    db.update(debateComments).set(body === undefined ? { status } : { status, body }).where(eq(debateComments.id, id)).run(),

  /** one page of top-level comments, oldest first, after a keyset id (index debate_comments_threads) */
  threads: (db: DbOrTx, debateId: string, after: number, limit: number) =>
    db.select().from(debateComments).where(and(eq(debateComments.debateId, debateId), eq(debateComments.depth, 0), gt(debateComments.id, after))).orderBy(asc(debateComments.id)).limit(limit).all(),

  /** replies of these threads down to a depth, oldest first (index debate_comments_root) */
  replies: (db: DbOrTx, rootIds: number[], maxDepth: number, limit: number) =>
    rootIds.length
      ? db.select().from(debateComments).where(and(inArray(debateComments.rootId, rootIds), gt(debateComments.depth, 0), lte(debateComments.depth, maxDepth))).orderBy(asc(debateComments.id)).limit(limit).all()
      : [],

  /** a comment's subtree down to `levels` below it */
  subtree(db: DbOrTx, root: CommentRow, levels: number, limit: number): CommentRow[] {
    const rows = db.all<{ id: number }>(sql`
      with recursive sub(id, lvl) as (
        select ${root.id}, 0
        union all
        select c.id, sub.lvl + 1 from debate_comments c join sub on c.parent_id = sub.id where sub.lvl < ${levels}
      ) select id from sub order by id limit ${limit}`);
    const ids = rows.map((r) => r.id);
    const out: CommentRow[] = [];
    for (let i = 0; i < ids.length; i += 500) out.push(...db.select().from(debateComments).where(inArray(debateComments.id, ids.slice(i, i + 500))).all());
    return out.sort((a, b) => a.id - b.id);
  },

  /** every comment of a debate in id order (exports, summaries) */
  allComments: (db: DbOrTx, debateId: string) => db.select().from(debateComments).where(eq(debateComments.debateId, debateId)).orderBy(asc(debateComments.id)).all(),

  // ---------- published summaries ----------
  upsertSummary: (db: DbOrTx, v: typeof discussionSummaries.$inferInsert) =>
    db.insert(discussionSummaries).values(v).onConflictDoUpdate({ target: discussionSummaries.subject, set: { reviewItemId: v.reviewItemId, body: v.body, edited: v.edited, publishedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))` } }).run(),
  summary: (db: DbOrTx, subject: string) => db.select().from(discussionSummaries).where(eq(discussionSummaries.subject, subject)).get(),
};
