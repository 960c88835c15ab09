import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { assemblies, users } from '../../platform/db/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/**
 * Conversations: short statements that participants vote agree / disagree / pass on, mapped into opinion groups
 * (Pol.is method, pipelines/votes). Statements and participants carry small integer keys so the vote table stays
 * narrow and the vote matrix indices are stable from one recompute to the next.
 */
export const conversations = sqliteTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    topic: text('topic').notNull(),
    description: text('description').notNull().default(''),
    /** 'pre': new participant statements wait for a facilitator; 'post': shown at once, moderated afterwards */
    moderation: text('moderation', { enum: ['pre', 'post'] }).notNull().default('pre'),
    status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
    /** a recompute job is queued automatically after this many vote events */
    recomputeEvery: integer('recompute_every').notNull().default(50),
    /** vote requests accepted so far (changes of a vote included); names recompute jobs */
    voteEvents: integer('vote_events').notNull().default(0),
    /** CC BY attribution of imported data ({ text, license, source }), shown with the conversation */
    attribution: text('attribution', { mode: 'json' }).$type<{ text: string; license: string; source: string | null } | null>(),
    /** pipelines/votes OpinionMapState of the last successful run (warm start) */
    mathState: text('math_state', { mode: 'json' }),
    mathVoteEvents: integer('math_vote_events'),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('conversations_assembly').on(t.assemblyId)],
);

/** Who takes part: assembly members (by user id, shown by pseudonym) or participants imported from Pol.is (no account). */
export const conversationParticipants = sqliteTable(
  'conversation_participants',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: text('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['member', 'imported'] }).notNull(),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    pseudonym: text('pseudonym').notNull(),
    /** Pol.is participant id of an imported participant */
    externalId: integer('external_id'),
    /** Pol.is group id of an imported participant (re-exported as is) */
    polisGroup: integer('polis_group'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('conv_participant_user').on(t.conversationId, t.userId), uniqueIndex('conv_participant_external').on(t.conversationId, t.externalId)],
);

export const statements = sqliteTable(
  'statements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: text('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    /** number within the conversation (Pol.is comment-id) */
    tid: integer('tid').notNull(),
    /** null: written by a facilitator */
    authorId: integer('author_id').references(() => conversationParticipants.id, { onDelete: 'set null' }),
    text: text('text').notNull(),
    status: text('status', { enum: ['pending', 'accepted', 'rejected'] }).notNull().default('pending'),
    /** meta statements (about the process) are shown but left out of the math */
    isMeta: integer('is_meta', { mode: 'boolean' }).notNull().default(false),
    agreeCount: integer('agree_count').notNull().default(0),
    disagreeCount: integer('disagree_count').notNull().default(0),
    passCount: integer('pass_count').notNull().default(0),
    /** distance of the statement's projection from the origin in the last opinion map (routing priority) */
    extremity: real('extremity').notNull().default(0),
    moderatedBy: text('moderated_by'),
    moderatedAt: text('moderated_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('statements_tid').on(t.conversationId, t.tid), index('statements_status').on(t.conversationId, t.status)],
);

/** One row per (statement, participant): the last vote wins. 1 agree, −1 disagree, 0 pass. */
export const votes = sqliteTable(
  'votes',
  {
    statementId: integer('statement_id').notNull().references(() => statements.id, { onDelete: 'cascade' }),
    participantId: integer('participant_id').notNull().references(() => conversationParticipants.id, { onDelete: 'cascade' }),
    conversationId: text('conversation_id').notNull(),
    vote: integer('vote').notNull(),
    /** epoch milliseconds of the last vote */
    votedAt: integer('voted_at').notNull(),
    /** how many times this participant changed this vote */
    changes: integer('changes').notNull().default(0),
    /**
     * Write watermark: every write of this row sets it above the conversation's vote_events as it was before the
     * write (a vote: the event number it bumped to). A recompute that read the votes when vote_events was W reads only
     * rows with seq > W next time (math-cache.ts), so a changed vote is seen again and nothing is read twice in vain.
     */
    seq: integer('seq').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.participantId] }), index('votes_participant').on(t.participantId), index('votes_conversation_seq').on(t.conversationId, t.seq)],
);

/** Opinion maps that a facilitator approved: written only by the 'opinion-map' review kind's publish(). */
export const publishedMaps = sqliteTable('published_maps', {
  id: text('id').primaryKey(),
  assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
  conversationId: text('conversation_id').notNull().unique().references(() => conversations.id, { onDelete: 'cascade' }),
  reviewItemId: text('review_item_id').notNull(),
  body: text('body', { mode: 'json' }).notNull(),
  /** true when the facilitator edited the machine's proposal (labels) */
  edited: integer('edited', { mode: 'boolean' }).notNull().default(false),
  publishedAt: text('published_at').notNull().default(now),
});
