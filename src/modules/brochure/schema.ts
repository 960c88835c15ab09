import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { assemblies } from '../../platform/db/schema.js';
import { recommendations } from '../recommendations/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/**
 * Brochure versions: one row per language of each generation (a PDF and the HTML it was printed from, kept under
 * <data dir>/brochures). `number` counts generations per assembly; rows of one generation share it. A version of
 * 'final' recommendations is public; a version of drafts is for the assembly's staff only.
 */
export const brochureVersions = sqliteTable(
  'brochure_versions',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    language: text('language').notNull(),
    /** which recommendations: 'drafts' (every one, whatever its status) or 'final' (final and put to the vote) */
    scope: text('scope', { enum: ['drafts', 'final'] }).notNull(),
    recommendationCount: integer('recommendation_count').notNull(),
    /** hash of the content (not of the generation time): regenerating with nothing changed makes no new version */
    contentSha256: text('content_sha256').notNull(),
    /** paths relative to the brochures directory */
    pdfPath: text('pdf_path').notNull(),
    htmlPath: text('html_path').notNull(),
    pdfSha256: text('pdf_sha256').notNull(),
    pdfBytes: integer('pdf_bytes').notNull(),
    jobId: text('job_id').notNull(),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('brochure_versions_number').on(t.assemblyId, t.number, t.language), index('brochure_versions_assembly').on(t.assemblyId, t.createdAt)],
);

/** The language a recommendation was written in (absent: the assembly's first language). Set by staff. */
export const recommendationLanguages = sqliteTable('recommendation_languages', {
  recommendationId: text('recommendation_id').primaryKey().references(() => recommendations.id, { onDelete: 'cascade' }),
  language: text('language').notNull(),
  setBy: text('set_by'),
  setAt: text('set_at').notNull().default(now),
});

/**
 * Translations of a recommendation's fields that a reader may see: a person's translation ('human'), or a machine
 * translation a facilitator approved in the review queue ('machine-reviewed', or 'machine-post-edited' when edited).
 * Written only by the staff's translation route and by the review kind's publish(). A translation counts only for the
 * recommendation version it was made from: after an edit the brochure falls back to the original, labelled.
 */
export const recommendationTranslations = sqliteTable(
  'recommendation_translations',
  {
    recommendationId: text('recommendation_id').notNull().references(() => recommendations.id, { onDelete: 'cascade' }),
    language: text('language').notNull(),
    sourceLanguage: text('source_language').notNull(),
    sourceVersion: integer('source_version').notNull(),
    origin: text('origin', { enum: ['human', 'machine-reviewed', 'machine-post-edited'] }).notNull(),
    /** the translated fields (names as the columns of `recommendations`) */
    fields: text('fields', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    reviewItemId: text('review_item_id'),
    by: text('by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.recommendationId, t.language] })],
);
