import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { assemblies } from '../../platform/db/schema.js';
import { recommendations } from '../recommendations/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/**
 * Impact tracking (after the assembly): what became of each recommendation. One record per tracked recommendation
 * (created on the first change; an untracked final recommendation reads as 'not_started', 0 %), with the
 * decision-maker's response, and a timeline of dated entries, each with its sources. Entries are never edited: a
 * correction is a new entry. Entry ids are UUIDs (the Atom feed names them urn:uuid:<id>).
 */
export const impactRecords = sqliteTable(
  'impact_records',
  {
    recommendationId: text('recommendation_id').primaryKey().references(() => recommendations.id, { onDelete: 'cascade' }),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['not_started', 'in_progress', 'implemented', 'partly_implemented', 'rejected'] }).notNull().default('not_started'),
    /** 0–100, consistent with status (domain.ts: checkProgress) */
    progress: integer('progress').notNull().default(0),
    /** the theme the public page filters by (free text, set by staff); '' when none */
    theme: text('theme').notNull().default(''),
    responseText: text('response_text'),
    /** YYYY-MM-DD, the day the decision-maker answered */
    responseDate: text('response_date'),
    responseUrl: text('response_url'),
    updatedBy: text('updated_by'),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [index('impact_records_assembly').on(t.assemblyId, t.status)],
);

export const impactEntries = sqliteTable(
  'impact_entries',
  {
    /** a UUID (RFC 9562 v4) */
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    recommendationId: text('recommendation_id').notNull().references(() => recommendations.id, { onDelete: 'cascade' }),
    /** update: progress news; response: the decision-maker's response was recorded or changed */
    kind: text('kind', { enum: ['update', 'response'] }).notNull(),
    /** YYYY-MM-DD, when it happened */
    date: text('date').notNull(),
    text: text('text').notNull(),
    /** status and progress after this entry (null: unchanged) */
    status: text('status', { enum: ['not_started', 'in_progress', 'implemented', 'partly_implemented', 'rejected'] }),
    progress: integer('progress'),
    /** [{ url, title }] */
    sources: text('sources', { mode: 'json' }).$type<{ url: string; title: string }[]>().notNull(),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('impact_entries_assembly').on(t.assemblyId, t.createdAt), index('impact_entries_rec').on(t.recommendationId, t.date)],
);
