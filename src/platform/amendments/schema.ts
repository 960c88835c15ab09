import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { assemblies } from '../db/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/**
 * Amendments, written once and opted into by modules (like Decidim's Amendable): a member proposes to replace,
 * insert after or delete an amendable subject ('paragraph:<id>'), with a justification, against the version they
 * read (`baseVersion`). Facilitators accept (the module applies it: a new version) or reject with a reason. An open
 * amendment whose subject has moved on since its base version is in conflict (derived, never stored): it cannot be
 * accepted until its author rebases it.
 */
export const amendments = sqliteTable(
  'amendments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    kind: text('kind', { enum: ['replace', 'insert_after', 'delete'] }).notNull(),
    /** the new text (replace, insert_after); '' for delete */
    proposedText: text('proposed_text').notNull().default(''),
    justification: text('justification').notNull(),
    baseVersion: integer('base_version').notNull(),
    authorId: text('author_id'),
    authorName: text('author_name').notNull(),
    status: text('status', { enum: ['open', 'accepted', 'rejected', 'withdrawn'] }).notNull().default('open'),
    decisionReason: text('decision_reason'),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
    /** the version of the subject the acceptance produced, or the subject it created (insert_after) */
    result: text('result'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('amendments_subject').on(t.subject, t.status), index('amendments_assembly').on(t.assemblyId, t.status)],
);

export const amendmentSupports = sqliteTable(
  'amendment_supports',
  {
    amendmentId: integer('amendment_id').notNull().references(() => amendments.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.amendmentId, t.userId] })],
);

/** The discussion of an amendment (plain comments; reported like any other through platform/moderation). */
export const amendmentComments = sqliteTable(
  'amendment_comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    amendmentId: integer('amendment_id').notNull().references(() => amendments.id, { onDelete: 'cascade' }),
    authorId: text('author_id'),
    authorName: text('author_name').notNull(),
    body: text('body').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('amendment_comments_amendment').on(t.amendmentId, t.id)],
);
