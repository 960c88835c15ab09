import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { assemblies } from '../../platform/db/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

export interface QuotaRow {
  category: string;
  value: string;
  min: number;
  max: number;
  line?: number;
}

/**
 * Sortition: pools of candidates (imported from CSV or registered volunteers), selection runs, the public draw,
 * replacements. PERSONAL DATA (names, contacts, addresses) lives only in `sortition_personal` and
 * `sortition_letters.address`: never exported, never logged, deletable while the anonymous features stay.
 */
export const sortitionPools = sqliteTable(
  'sortition_pools',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** 'import': people CSV; 'registration': volunteers who answered an invitation letter */
    source: text('source', { enum: ['import', 'registration'] }).notNull(),
    panelSize: integer('panel_size').notNull(),
    categories: text('categories', { mode: 'json' }).$type<string[]>().notNull(),
    quotas: text('quotas', { mode: 'json' }).$type<QuotaRow[]>().notNull(),
    /** the column mapping of the import (column names only, no data) */
    mapping: text('mapping', { mode: 'json' }).$type<{ id: string | null; features: string[]; address: string[]; personal: string[] } | null>(),
    /** bumped whenever people or quotas change: a committed distribution is tied to one revision */
    revision: integer('revision').notNull().default(1),
    status: text('status', { enum: ['open', 'drawn'] }).notNull().default('open'),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('sortition_pools_assembly').on(t.assemblyId)],
);

/** One candidate as the algorithms see them: features and an opaque household key, no personal data. */
export const sortitionPeople = sqliteTable(
  'sortition_people',
  {
    poolId: text('pool_id').notNull().references(() => sortitionPools.id, { onDelete: 'cascade' }),
    personId: text('person_id').notNull(),
    features: text('features', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    household: text('household'),
    line: integer('line'),
    status: text('status', { enum: ['pool', 'selected', 'confirmed', 'declined', 'dropped'] }).notNull().default('pool'),
    selectedVia: text('selected_via', { enum: ['draw', 'alternate'] }),
    /** the invitation letter a volunteer registered with */
    letterId: text('letter_id'),
    /** sha256 of the account invitation code issued on confirmation (links the person to their account) */
    invitationHash: text('invitation_hash'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.poolId, t.personId] }), index('sortition_people_invitation').on(t.invitationHash)],
);

/** Personal data, kept apart from the features; deleting a row leaves the anonymous person above. */
export const sortitionPersonal = sqliteTable(
  'sortition_personal',
  {
    poolId: text('pool_id').notNull().references(() => sortitionPools.id, { onDelete: 'cascade' }),
    personId: text('person_id').notNull(),
    data: text('data', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.poolId, t.personId] })],
);

export const sortitionRuns = sqliteTable(
  'sortition_runs',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    poolId: text('pool_id').notNull().references(() => sortitionPools.id, { onDelete: 'cascade' }),
    poolRevision: integer('pool_revision').notNull(),
    jobId: text('job_id'),
    algorithm: text('algorithm', { enum: ['leximin', 'maximin', 'legacy'] }).notNull(),
    panelSize: integer('panel_size').notNull(),
    status: text('status', { enum: ['queued', 'done', 'infeasible', 'failed', 'superseded'] }).notNull().default('queued'),
    poolSha256: text('pool_sha256').notNull(),
    quotasSha256: text('quotas_sha256').notNull(),
    /** SelectionResult of the chosen algorithm (probabilities + distribution over panels) */
    result: text('result', { mode: 'json' }),
    /** the LEGACY baseline's probabilities, always computed for comparison */
    legacy: text('legacy', { mode: 'json' }),
    /** the m-ticket lottery built from the distribution */
    lottery: text('lottery', { mode: 'json' }),
    /** sha256 of the lottery: the distribution hash published before the seed is known */
    distributionSha256: text('distribution_sha256'),
    committedAt: text('committed_at'),
    committedBy: text('committed_by'),
    /** infeasible quotas: message and smallest relaxation */
    infeasible: text('infeasible', { mode: 'json' }),
    error: text('error'),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
    finishedAt: text('finished_at'),
  },
  (t) => [index('sortition_runs_pool').on(t.poolId)],
);

export const sortitionDraws = sqliteTable(
  'sortition_draws',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    poolId: text('pool_id').notNull().references(() => sortitionPools.id, { onDelete: 'cascade' }),
    runId: text('run_id').notNull().references(() => sortitionRuns.id, { onDelete: 'cascade' }),
    /** the pipeline's DrawRecord: seed, hashes, version, ticket, panel */
    record: text('record', { mode: 'json' }).notNull(),
    /** alternates ranked for dropouts (ids and quota deviation only) */
    alternates: text('alternates', { mode: 'json' }).notNull(),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('sortition_draws_pool').on(t.poolId)],
);

/** A member who declined or dropped out, and who took the seat. */
export const sortitionReplacements = sqliteTable('sortition_replacements', {
  id: text('id').primaryKey(),
  drawId: text('draw_id').notNull().references(() => sortitionDraws.id, { onDelete: 'cascade' }),
  outPersonId: text('out_person_id').notNull(),
  inPersonId: text('in_person_id'),
  reason: text('reason', { enum: ['declined', 'dropped'] }).notNull(),
  /** total quota deviation of the panel after the replacement (0 = quotas met) */
  deviation: integer('deviation').notNull(),
  createdAt: text('created_at').notNull().default(now),
});

/** First stage of a two-stage lottery: addresses drawn for invitation letters. */
export const sortitionLetterBatches = sqliteTable('sortition_letter_batches', {
  id: text('id').primaryKey(),
  poolId: text('pool_id').notNull().references(() => sortitionPools.id, { onDelete: 'cascade' }),
  seedSource: text('seed_source').notNull(),
  addressesSha256: text('addresses_sha256').notNull(),
  addresses: integer('addresses').notNull(),
  letters: integer('letters').notNull(),
  createdBy: text('created_by'),
  createdAt: text('created_at').notNull().default(now),
});

export const sortitionLetters = sqliteTable(
  'sortition_letters',
  {
    id: text('id').primaryKey(),
    batchId: text('batch_id').notNull().references(() => sortitionLetterBatches.id, { onDelete: 'cascade' }),
    poolId: text('pool_id').notNull().references(() => sortitionPools.id, { onDelete: 'cascade' }),
    /** PERSONAL DATA: the address columns, printed on the letter */
    address: text('address', { mode: 'json' }).$type<Record<string, string> | null>(),
    /** the registration code printed on the letter (kept so letters can be reprinted) */
    code: text('code').notNull(),
    codeHash: text('code_hash').notNull().unique(),
    household: text('household').notNull(),
    registrations: integer('registrations').notNull().default(0),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('sortition_letters_pool').on(t.poolId)],
);
