import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { assemblies, users } from '../../platform/db/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/**
 * Debates: written discussion spaces on a theme. A member proposes one ('proposed', waiting for a facilitator,
 * who opens or rejects it with a reason) or a facilitator opens one directly. Counts of visible comments per
 * alignment are kept on the row, updated in the transaction that adds, hides or deletes a comment, so a debate's
 * header costs one row read however long the debate is.
 */
export const debates = sqliteTable(
  'debates',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: text('status', { enum: ['proposed', 'open', 'closed', 'rejected'] }).notNull(),
    proposedBy: text('proposed_by').references(() => users.id, { onDelete: 'set null' }),
    /** pseudonym of the proposer at the time (members are shown by pseudonym) */
    proposedByName: text('proposed_by_name'),
    decidedBy: text('decided_by'),
    /** why a facilitator rejected a proposal or closed the debate (shown to members) */
    decisionReason: text('decision_reason'),
    countInFavour: integer('count_in_favour').notNull().default(0),
    countAgainst: integer('count_against').notNull().default(0),
    countNeutral: integer('count_neutral').notNull().default(0),
    /** visible top-level comments (pages) */
    countThreads: integer('count_threads').notNull().default(0),
    /** set when the debate holds the comments of something else ('recommendation:<id>'); such debates are not listed */
    attachedTo: text('attached_to'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('debates_assembly').on(t.assemblyId, t.status)],
);

/** Members supporting a proposed theme (one support per member). */
export const debateSupports = sqliteTable(
  'debate_supports',
  {
    debateId: text('debate_id').notNull().references(() => debates.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.debateId, t.userId] })],
);

/**
 * Comments, threaded: `parentId` is the comment replied to, `rootId` the top-level comment of the thread (itself for
 * a top-level comment) and `depth` 0 for top-level. A page is a keyset range of top-level ids (index
 * debate_comments_threads) plus their replies (index debate_comments_root). Moderation (reports, hiding with a
 * reason) is the platform's (src/platform/moderation, subject 'debate-comment:<id>'); `status` mirrors it here so
 * listing and counting need no join. Deleted comments keep their row (the thread stays whole) without their text.
 */
export const debateComments = sqliteTable(
  'debate_comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    debateId: text('debate_id').notNull().references(() => debates.id, { onDelete: 'cascade' }),
    parentId: integer('parent_id'),
    rootId: integer('root_id'),
    depth: integer('depth').notNull().default(0),
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    authorName: text('author_name').notNull(),
    alignment: text('alignment', { enum: ['in_favour', 'against', 'neutral'] }).notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: ['visible', 'hidden', 'deleted'] }).notNull().default('visible'),
    replyCount: integer('reply_count').notNull().default(0),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('debate_comments_threads').on(t.debateId, t.depth, t.id), index('debate_comments_root').on(t.rootId, t.depth, t.id), index('debate_comments_parent').on(t.parentId)],
);

/** Summaries of a discussion (a debate, or a recommendation's comments) a facilitator approved: written only by the 'discussion-summary' review kind's publish(). */
export const discussionSummaries = sqliteTable('discussion_summaries', {
  /** the subject summarised: 'debate:<id>' or 'recommendation:<id>' */
  subject: text('subject').primaryKey(),
  assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
  reviewItemId: text('review_item_id').notNull(),
  body: text('body', { mode: 'json' }).notNull(),
  edited: integer('edited', { mode: 'boolean' }).notNull().default(false),
  publishedAt: text('published_at').notNull().default(now),
});
