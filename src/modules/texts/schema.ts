import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { assemblies } from '../../platform/db/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/**
 * Participatory texts: a document (the assembly's report, a recommendation's wording) in sections and paragraphs.
 * Paragraphs are amended through platform/amendments (subject 'paragraph:<id>'); each paragraph's versions are in
 * platform/versions under the same subject (field 'text'), and `version` here is the latest. Deleted paragraphs
 * keep their row (status 'deleted') so their history stays readable.
 */
export const texts = sqliteTable(
  'texts',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('texts_assembly').on(t.assemblyId)],
);

export const textSections = sqliteTable(
  'text_sections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    textId: text('text_id').notNull().references(() => texts.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    title: text('title').notNull(),
  },
  (t) => [index('text_sections_text').on(t.textId, t.position)],
);

export const textParagraphs = sqliteTable(
  'text_paragraphs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    textId: text('text_id').notNull().references(() => texts.id, { onDelete: 'cascade' }),
    sectionId: integer('section_id').notNull().references(() => textSections.id, { onDelete: 'cascade' }),
    /** order within the section; an inserted paragraph takes the midpoint of its neighbours */
    position: real('position').notNull(),
    body: text('body').notNull(),
    version: integer('version').notNull().default(1),
    status: text('status', { enum: ['active', 'deleted'] }).notNull().default('active'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('text_paragraphs_section').on(t.sectionId, t.position)],
);
