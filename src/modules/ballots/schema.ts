import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { assemblies, users } from '../../platform/db/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/** A vote of an assembly's members on a set of options, with its counting method and rules. */
export const ballots = sqliteTable(
  'ballots',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    method: text('method', { enum: ['threshold', 'approval', 'schulze', 'borda', 'mj', 'consent'] }).notNull(),
    /** [{id, label}] in display order */
    options: text('options', { mode: 'json' }).notNull().$type<Array<{ id: string; label: string }>>(),
    /** majority judgment: grade names, worst first */
    grades: text('grades', { mode: 'json' }).$type<string[] | null>(),
    /** support threshold: share needed (0–1] and its base */
    threshold: real('threshold'),
    thresholdBase: text('threshold_base', { enum: ['cast', 'eligible'] }),
    /** minimum turnout as a share of eligible members (0–1) */
    quorum: real('quorum').notNull().default(0),
    opensAt: text('opens_at').notNull(),
    closesAt: text('closes_at').notNull(),
    /** set when a facilitator closes early; the ballot is closed from min(closesAt, closedAt) */
    closedAt: text('closed_at'),
    /** the announced result, written once when the ballot is first read after closing (JSON) */
    result: text('result', { mode: 'json' }),
    /** eligible members counted at close */
    eligibleAtClose: integer('eligible_at_close'),
    createdBy: text('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('ballots_assembly').on(t.assemblyId, t.opensAt)],
);

/** The roll: who has voted (no ballot content, no receipt). */
export const ballotRoll = sqliteTable(
  'ballot_roll',
  {
    ballotId: text('ballot_id').notNull().references(() => ballots.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [uniqueIndex('ballot_roll_pk').on(t.ballotId, t.userId)],
);

/** The cast ballots: a random receipt code and the choice, no member id and no time. */
export const ballotVotes = sqliteTable(
  'ballot_votes',
  {
    ballotId: text('ballot_id').notNull().references(() => ballots.id, { onDelete: 'cascade' }),
    receipt: text('receipt').notNull(),
    choice: text('choice', { mode: 'json' }).notNull(),
    /** ranked methods: the ranking packed for counting (see domain.packRanking); null otherwise */
    packed: text('packed'),
  },
  (t) => [uniqueIndex('ballot_votes_receipt').on(t.ballotId, t.receipt)],
);

/**
 * Support forecasts that a facilitator approved (one per ballot, the latest): written only by the 'ballot-forecast'
 * review kind's publish(); the member's ballot page reads only this table.
 */
export const ballotForecasts = sqliteTable('ballot_forecasts', {
  ballotId: text('ballot_id').primaryKey().references(() => ballots.id, { onDelete: 'cascade' }),
  assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
  reviewItemId: text('review_item_id').notNull(),
  body: text('body', { mode: 'json' }).notNull(),
  provenance: text('provenance', { mode: 'json' }).notNull(),
  /** true when the facilitator edited the machine's draft */
  edited: integer('edited', { mode: 'boolean' }).notNull().default(false),
  publishedAt: text('published_at').notNull().default(now),
});
