import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Platform tables. Module tables live in src/modules/<name>/schema.ts and are re-exported by
 * src/platform/db/all-schema.ts; drizzle-kit reads both (drizzle.config.ts).
 * Timestamps are ISO-8601 strings (UTC), ids are text (ulid-like) unless noted.
 */
const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

export const assemblies = sqliteTable('assemblies', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  title: text('title').notNull(),
  question: text('question').notNull().default(''),
  languages: text('languages', { mode: 'json' }).$type<string[]>().notNull().default(['fr', 'en']),
  /** delete raw breakout audio once its transcript is approved */
  deleteAudioAfterApproval: integer('delete_audio_after_approval', { mode: 'boolean' }).notNull().default(false),
  createdAt: text('created_at').notNull().default(now),
});

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    role: text('role', { enum: ['admin', 'facilitator', 'researcher', 'participant'] }).notNull(),
    /** staff sign in with a username; participants have none */
    username: text('username').unique(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash'),
    language: text('language').notNull().default('en'),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('users_role').on(t.role)],
);

/** who belongs to which assembly; participants appear by pseudonym */
export const memberships = sqliteTable(
  'memberships',
  {
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    pseudonym: text('pseudonym'),
    createdAt: text('created_at').notNull().default(now),
  },
  // memberships_user: every request of a signed-in participant reads their assemblies by user id (sessions.ts);
  // without it that read scanned the whole table (one row per member of every assembly)
  (t) => [uniqueIndex('memberships_pk').on(t.assemblyId, t.userId), uniqueIndex('memberships_pseudonym').on(t.assemblyId, t.pseudonym), index('memberships_user').on(t.userId, t.assemblyId)],
);

export const invitations = sqliteTable('invitations', {
  id: text('id').primaryKey(),
  assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
  /** sha256 of the code; the code itself is shown once */
  codeHash: text('code_hash').notNull().unique(),
  usedBy: text('used_by').references(() => users.id),
  usedAt: text('used_at'),
  expiresAt: text('expires_at'),
  createdAt: text('created_at').notNull().default(now),
});

export const sessions = sqliteTable('sessions', {
  /** sha256 of the cookie value */
  idHash: text('id_hash').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  csrfToken: text('csrf_token').notNull(),
  expiresAt: text('expires_at').notNull(),
  createdAt: text('created_at').notNull().default(now),
});

export const apiTokens = sqliteTable('api_tokens', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  lastUsedAt: text('last_used_at'),
  createdAt: text('created_at').notNull().default(now),
  /** tokens stop working at this time (null: tokens made before expiry existed) */
  expiresAt: text('expires_at'),
  /** set when an admin or the owner revokes the token; the row stays for the record */
  revokedAt: text('revoked_at'),
});

export const reviewItems = sqliteTable(
  'review_items',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    /** what the item is about, e.g. 'conversation:abc' */
    subject: text('subject').notNull(),
    title: text('title').notNull(),
    payload: text('payload', { mode: 'json' }).notNull(),
    editedPayload: text('edited_payload', { mode: 'json' }),
    /** line diff between payload and edited payload, kept for the record */
    diff: text('diff', { mode: 'json' }),
    /** source material the output was made from (ids, excerpts) */
    sources: text('sources', { mode: 'json' }).notNull().default([]),
    provenance: text('provenance', { mode: 'json' }).notNull(),
    status: text('status', { enum: ['pending', 'approved', 'edited', 'rejected', 'superseded'] }).notNull().default('pending'),
    reason: text('reason'),
    reviewerId: text('reviewer_id').references(() => users.id),
    decidedAt: text('decided_at'),
    supersededBy: text('superseded_by'),
    /** the job that produced it; unique with kind+subject so a re-run job cannot submit twice */
    jobId: text('job_id'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    index('review_status').on(t.assemblyId, t.status, t.kind),
    index('review_subject').on(t.kind, t.subject),
    uniqueIndex('review_job_once').on(t.jobId, t.kind, t.subject),
  ],
);

/**
 * Participant-visible texts published through the review gate (summaries, translations, announcements).
 * Modules with richer published shapes keep their own tables, written only by their `publish`.
 */
export const publications = sqliteTable(
  'publications',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    reviewItemId: text('review_item_id').notNull().unique(),
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    language: text('language').notNull(),
    title: text('title').notNull(),
    body: text('body', { mode: 'json' }).notNull(),
    machineTranslated: integer('machine_translated', { mode: 'boolean' }).notNull().default(false),
    publishedAt: text('published_at').notNull().default(now),
  },
  (t) => [index('publications_assembly').on(t.assemblyId, t.kind, t.language)],
);

export const auditLog = sqliteTable('audit_log', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  at: text('at').notNull(),
  actorId: text('actor_id'),
  action: text('action').notNull(),
  subject: text('subject').notNull(),
  data: text('data').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    assemblyId: text('assembly_id'),
    payload: text('payload', { mode: 'json' }).notNull(),
    idempotencyKey: text('idempotency_key').unique(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    runAfter: integer('run_after').notNull().default(0),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: integer('lease_expires_at'),
    progress: real('progress').notNull().default(0),
    progressMessage: text('progress_message'),
    /** handler-owned resumable state (e.g. segments done) */
    checkpoint: text('checkpoint', { mode: 'json' }),
    result: text('result', { mode: 'json' }),
    error: text('error'),
    cancelRequested: integer('cancel_requested', { mode: 'boolean' }).notNull().default(false),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
    finishedAt: text('finished_at'),
  },
  (t) => [index('jobs_claim').on(t.status, t.runAfter)],
);

/** cache of model outputs by content hash (embeddings, translations) so re-runs reuse them */
export const modelCache = sqliteTable(
  'model_cache',
  {
    namespace: text('namespace').notNull(),
    key: text('key').notNull(),
    value: text('value').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('model_cache_pk').on(t.namespace, t.key)],
);
