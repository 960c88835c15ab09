import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { assemblies, users } from '../../platform/db/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/** A breakout session of an assembly (one sitting split into small groups). */
export const breakoutSessions = sqliteTable(
  'breakout_sessions',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    /** the language spoken in the session (ISO 639-1); null = one of the assembly's languages, detected */
    language: text('language'),
    startsAt: text('starts_at'),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('breakout_sessions_assembly').on(t.assemblyId, t.createdAt)],
);

/** A group of 7–8 members with a lead facilitator and a co-facilitator. */
export const breakoutGroups = sqliteTable(
  'breakout_groups',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    sessionId: text('session_id').notNull().references(() => breakoutSessions.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    leadFacilitatorId: text('lead_facilitator_id').references(() => users.id),
    coFacilitatorId: text('co_facilitator_id').references(() => users.id),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('breakout_groups_name').on(t.sessionId, t.name)],
);

/** Members (assembly memberships) of a group; a member sits in at most one group per session. */
export const breakoutGroupMembers = sqliteTable(
  'breakout_group_members',
  {
    groupId: text('group_id').notNull().references(() => breakoutGroups.id, { onDelete: 'cascade' }),
    sessionId: text('session_id').notNull().references(() => breakoutSessions.id, { onDelete: 'cascade' }),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('breakout_members_pk').on(t.groupId, t.userId), uniqueIndex('breakout_members_session').on(t.sessionId, t.userId)],
);

/**
 * A resumable upload in progress. The bytes live in a `.part` file under config.uploadsDir; nothing refers to
 * an upload until it is completed (checksum verified, probed), when a track row is written.
 */
export const breakoutUploads = sqliteTable(
  'breakout_uploads',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    groupId: text('group_id').notNull().references(() => breakoutGroups.id, { onDelete: 'cascade' }),
    /** the member speaking on this track (multi-track); null = a mixed recording of the whole group */
    memberId: text('member_id'),
    language: text('language'),
    filename: text('filename').notNull(),
    size: integer('size').notNull(),
    status: text('status', { enum: ['open', 'completed', 'aborted', 'failed'] }).notNull().default('open'),
    /** why a completion failed */
    error: text('error'),
    trackId: text('track_id'),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [index('breakout_uploads_group').on(t.groupId, t.status)],
);

/** A stored recording (one file) of a group: audio on disk, checksum and probe facts here. */
export const breakoutTracks = sqliteTable(
  'breakout_tracks',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    sessionId: text('session_id').notNull().references(() => breakoutSessions.id, { onDelete: 'cascade' }),
    groupId: text('group_id').notNull().references(() => breakoutGroups.id, { onDelete: 'cascade' }),
    memberId: text('member_id'),
    language: text('language'),
    filename: text('filename').notNull(),
    /** path relative to config.uploadsDir */
    path: text('path').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    container: text('container').notNull(),
    codec: text('codec').notNull(),
    sampleRate: integer('sample_rate').notNull(),
    channels: integer('channels').notNull(),
    durationSec: real('duration_sec').notNull(),
    /** set when the raw audio was deleted (retention); the row keeps the checksum */
    deletedAt: text('deleted_at'),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('breakout_tracks_group').on(t.groupId)],
);

/** Approved transcripts (written only by the `transcript` review kind's publish). Participant-visible. */
export const breakoutTranscripts = sqliteTable(
  'breakout_transcripts',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    sessionId: text('session_id').notNull(),
    groupId: text('group_id').notNull(),
    reviewItemId: text('review_item_id').notNull(),
    language: text('language'),
    segments: text('segments', { mode: 'json' }).notNull(),
    publishedAt: text('published_at').notNull().default(now),
  },
  (t) => [uniqueIndex('breakout_transcripts_group').on(t.groupId)],
);

/** Approved ideas and claims from transcripts (written only by the `idea` review kind's publish). Participant-visible. */
export const breakoutIdeas = sqliteTable(
  'breakout_ideas',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    sessionId: text('session_id').notNull(),
    groupId: text('group_id').notNull(),
    transcriptId: text('transcript_id').notNull(),
    reviewItemId: text('review_item_id').notNull(),
    /** the review subject: one row per candidate, replaced when re-approved */
    subject: text('subject').notNull(),
    kind: text('kind', { enum: ['proposal', 'claim'] }).notNull(),
    text: text('text').notNull(),
    quote: text('quote').notNull(),
    start: real('start').notNull(),
    end: real('end').notNull(),
    speakerId: text('speaker_id'),
    language: text('language'),
    publishedAt: text('published_at').notNull().default(now),
  },
  (t) => [index('breakout_ideas_assembly').on(t.assemblyId, t.publishedAt), uniqueIndex('breakout_ideas_subject').on(t.subject)],
);
