import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { assemblies } from '../../platform/db/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/**
 * Free-text contributions to an assembly (or to a topic / consultation within it), from participants, uploads,
 * Pol.is comments or approved breakout transcripts. Near-duplicates are grouped (`duplicateOf`), never dropped.
 */
export const contributions = sqliteTable(
  'contributions',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    /** '' = the assembly as a whole; otherwise the consultation or topic it answers */
    topic: text('topic').notNull().default(''),
    text: text('text').notNull(),
    source: text('source', { enum: ['participant', 'staff', 'upload', 'polis', 'transcript'] }).notNull(),
    /** id in the source, prefixed by the source kind ('csv:17', 'polis:48', 'transcript:tr_1:3'); unique per assembly */
    externalId: text('external_id'),
    /** the signed-in author (participants) */
    authorId: text('author_id'),
    /** an author label from an upload (pseudonymous id column, Pol.is author-id) */
    authorLabel: text('author_label'),
    /** ISO 639-1 language: given by the uploader, or detected (null while detection is pending) */
    language: text('language'),
    languageConfidence: real('language_confidence'),
    languageSource: text('language_source', { enum: ['given', 'detected'] }),
    /** 'unsupported-language' (not one of the assembly's languages), 'uncertain-language' */
    flags: text('flags', { mode: 'json' }).$type<string[]>().notNull().default([]),
    /** aggressively normalised text (case, accents, punctuation) for exact near-duplicate lookup */
    dupKey: text('dup_key').notNull(),
    /** id of the first contribution of its near-duplicate group, null for the group's first */
    duplicateOf: text('duplicate_of'),
    importId: text('import_id'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    index('contributions_scope').on(t.assemblyId, t.topic, t.createdAt),
    index('contributions_dup').on(t.assemblyId, t.dupKey),
    uniqueIndex('contributions_external').on(t.assemblyId, t.externalId),
    index('contributions_import').on(t.importId),
  ],
);

/** One bulk import (CSV, JSONL, Pol.is comments, transcript): all rows or none. */
export const contributionImports = sqliteTable('contribution_imports', {
  id: text('id').primaryKey(),
  assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: ['csv', 'jsonl', 'polis', 'transcript'] }).notNull(),
  filename: text('filename'),
  topic: text('topic').notNull().default(''),
  count: integer('count').notNull(),
  /** the language-detection job, when some rows came without a language */
  jobId: text('job_id'),
  /** CC BY attribution of imported Pol.is data */
  attribution: text('attribution'),
  createdBy: text('created_by'),
  createdAt: text('created_at').notNull().default(now),
});

/** The approved text map of a scope (written only by the `text-map` review kind's publish). Staff-facing. */
export const textMaps = sqliteTable(
  'text_maps',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    topic: text('topic').notNull().default(''),
    reviewItemId: text('review_item_id').notNull(),
    payload: text('payload', { mode: 'json' }).notNull(),
    publishedAt: text('published_at').notNull().default(now),
  },
  (t) => [uniqueIndex('text_maps_scope').on(t.assemblyId, t.topic)],
);

/** Approved consensus statements of a scope (written only by the `consensus` review kind's publish). */
export const consensusStatements = sqliteTable(
  'consensus_statements',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    topic: text('topic').notNull().default(''),
    reviewItemId: text('review_item_id').notNull(),
    language: text('language').notNull(),
    statements: text('statements', { mode: 'json' }).notNull(),
    publishedAt: text('published_at').notNull().default(now),
  },
  (t) => [uniqueIndex('consensus_scope').on(t.assemblyId, t.topic)],
);
