import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { assemblies } from '../db/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/** Why a member reports something (shown to facilitators in their language). */
export const REPORT_REASONS = ['offensive', 'spam', 'off_topic', 'personal_data', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/**
 * Reports, shared by every module that opts into moderation (debate comments, recommendation comments,
 * amendments …). `subject` is '<type>:<id>' (e.g. 'debate-comment:42'); one report per member and subject.
 */
export const reports = sqliteTable(
  'reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    reporterId: text('reporter_id').notNull(),
    reason: text('reason', { enum: REPORT_REASONS }).notNull(),
    details: text('details').notNull().default(''),
    /** open until a facilitator hides the subject or dismisses the reports */
    status: text('status', { enum: ['open', 'actioned', 'dismissed'] }).notNull().default('open'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('reports_subject_reporter').on(t.subject, t.reporterId), index('reports_open').on(t.assemblyId, t.status)],
);

/**
 * The moderation state of a subject: hidden or not, by whom, and the reason its author is shown. One row per
 * subject that was ever reported or hidden. Hidden subjects are kept (exports list them, marked hidden).
 */
export const moderations = sqliteTable(
  'moderations',
  {
    subject: text('subject').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    reportCount: integer('report_count').notNull().default(0),
    hiddenAt: text('hidden_at'),
    hiddenBy: text('hidden_by'),
    hiddenReason: text('hidden_reason'),
  },
  (t) => [index('moderations_assembly').on(t.assemblyId)],
);
