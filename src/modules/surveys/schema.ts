import { sql } from 'drizzle-orm';
import { sqliteTable, text, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { assemblies, users } from '../../platform/db/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/** A questionnaire of an assembly, before ('pre') or after ('post') it; questions are matched across phases by key. */
export const surveys = sqliteTable(
  'surveys',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    phase: text('phase', { enum: ['pre', 'post'] }).notNull(),
    questions: text('questions', { mode: 'json' }).notNull().$type<Array<{ key: string; kind: 'single' | 'multiple' | 'scale' | 'text'; label: string; choices?: string[]; min?: number; max?: number }>>(),
    /** set when a facilitator opens it to answers (null: a draft members do not see) */
    openedAt: text('opened_at'),
    closedAt: text('closed_at'),
    createdBy: text('created_by').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('surveys_assembly').on(t.assemblyId, t.createdAt)],
);

/** One member's answers to one survey (once per member). Researchers see aggregates only. */
export const surveyResponses = sqliteTable(
  'survey_responses',
  {
    surveyId: text('survey_id').notNull().references(() => surveys.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    answers: text('answers', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('survey_responses_pk').on(t.surveyId, t.userId)],
);
