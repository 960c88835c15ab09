import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { assemblies } from '../../platform/db/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/**
 * Open data: the stable random ids that stand for people in an assembly's exports (so two exports, or an export of a
 * re-imported archive, name the same person the same way), the exports made, and the archives imported.
 */
export const opendataIds = sqliteTable(
  'opendata_ids',
  {
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    /** 'user' (a member's account), 'participant' (a conversation participant without account), 'person' (a sortition pool row) */
    kind: text('kind', { enum: ['user', 'participant', 'person'] }).notNull(),
    /** the internal key (user id, participant row id, poolId:personId) — never exported */
    internal: text('internal').notNull(),
    /** the random id published instead */
    public: text('public').notNull(),
  },
  (t) => [uniqueIndex('opendata_ids_internal').on(t.assemblyId, t.kind, t.internal), uniqueIndex('opendata_ids_public').on(t.assemblyId, t.kind, t.public)],
);

/** One produced package (a zip under config.dataDir/opendata). */
export const opendataExports = sqliteTable(
  'opendata_exports',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    jobId: text('job_id').notNull().unique(),
    /** path relative to config.dataDir */
    path: text('path').notNull(),
    sha256: text('sha256').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    /** 'in-progress': the assembly was still running when exported; 'final' */
    status: text('status', { enum: ['in-progress', 'final'] }).notNull(),
    published: integer('published', { mode: 'boolean' }).notNull().default(false),
    publishedAt: text('published_at'),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('opendata_exports_assembly').on(t.assemblyId, t.createdAt)],
);

/** An assembly loaded from an open-data package: read-only, archived. */
export const opendataArchives = sqliteTable('opendata_archives', {
  assemblyId: text('assembly_id').primaryKey().references(() => assemblies.id, { onDelete: 'cascade' }),
  /** the status the package declared ('in-progress' or 'final') */
  status: text('status', { enum: ['in-progress', 'final'] }).notNull(),
  packageSha256: text('package_sha256').notNull(),
  /** the package's own `created` time */
  exportedAt: text('exported_at').notNull(),
  importedBy: text('imported_by'),
  importedAt: text('imported_at').notNull().default(now),
});

/**
 * Aggregate tables of an imported archive, kept as the package published them (attendance, survey answers): their
 * underlying rows name people, so they are not in the package and cannot be recounted; exporting the archive again
 * writes them back unchanged.
 */
export const opendataArchiveTables = sqliteTable(
  'opendata_archive_tables',
  {
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    content: text('content').notNull(),
  },
  (t) => [uniqueIndex('opendata_archive_tables_pk').on(t.assemblyId, t.path)],
);
