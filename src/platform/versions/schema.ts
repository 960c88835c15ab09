import { sql } from 'drizzle-orm';
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/**
 * Versions of anything with named text fields (a recommendation's analysis, a paragraph of a participatory text),
 * written once here and opted into by modules. Each version is a full snapshot of the fields, with who made it
 * (user id and the pseudonym shown) and when, and which fields changed from the previous version; version 1 is
 * the first. The owning module keeps the current values in its own table for fast reads.
 */
export const versions = sqliteTable(
  'versions',
  {
    /** '<type>:<id>', e.g. 'recommendation:rec_…', 'paragraph:42' */
    subject: text('subject').notNull(),
    version: integer('version').notNull(),
    fields: text('fields', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    changed: text('changed', { mode: 'json' }).$type<string[]>().notNull(),
    authorId: text('author_id'),
    authorName: text('author_name').notNull(),
    /** why this version exists, e.g. 'amendment:12 accepted' */
    note: text('note'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.subject, t.version] })],
);
