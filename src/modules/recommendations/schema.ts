import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { assemblies } from '../../platform/db/schema.js';
import { debates } from '../debates/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/**
 * Recommendations: what the assembly proposes, with a structured analysis. This table holds the CURRENT text of
 * every field (read it directly for a brochure, impact tracking or an open-data export); the full history of every
 * field — each version with its author's pseudonym and time — is in the platform's `versions` table under the
 * subject 'recommendation:<id>' (fields named as the columns below, camelCase). `version` is the latest version
 * number there.
 *
 * Lifecycle (`status`): draft → under_discussion → final → put_to_vote. Fields can be edited in draft and
 * under_discussion only; a ballot module puts 'final' recommendations to the vote and sets 'put_to_vote'.
 * Comments are an attached debate (`debateId`, a debates row with attached_to = 'recommendation:<id>'), so they
 * have alignments, threads, moderation, subscriptions and reviewed summaries like any debate.
 */
export const recommendations = sqliteTable(
  'recommendations',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    /** who drafts it: a breakout group or a working party, by name (groupId when it is a breakouts group) */
    drafterKind: text('drafter_kind', { enum: ['group', 'working_party'] }).notNull(),
    drafterName: text('drafter_name').notNull(),
    groupId: text('group_id'),
    status: text('status', { enum: ['draft', 'under_discussion', 'final', 'put_to_vote'] }).notNull().default('draft'),
    title: text('title').notNull(),
    /** the proposal itself, as it would be voted on */
    proposal: text('proposal').notNull().default(''),
    rationale: text('rationale').notNull().default(''),
    pros: text('pros').notNull().default(''),
    cons: text('cons').notNull().default(''),
    /** estimated costs, free text (amounts, ranges, who pays) */
    costs: text('costs').notNull().default(''),
    /** who would implement it */
    implementers: text('implementers').notNull().default(''),
    tradeoffs: text('tradeoffs').notNull().default(''),
    /** evidence links, one per line: 'https://… title' (http(s) only, checked on save) */
    evidence: text('evidence').notNull().default(''),
    version: integer('version').notNull().default(1),
    debateId: text('debate_id').references(() => debates.id, { onDelete: 'set null' }),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [index('recommendations_assembly').on(t.assemblyId, t.status)],
);
