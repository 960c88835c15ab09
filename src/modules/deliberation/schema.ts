import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { assemblies, users } from '../../platform/db/schema.js';
import { breakoutGroups, breakoutSessions } from '../breakouts/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/** Figures stored with an allocation (pipelines/allocation AllocationFigures). */
export interface StoredFigures {
  repeatedPairs: number;
  meanDistinctMet: number;
  maxFeatureDeviation: number;
  featureDeviation: Record<string, number>;
}

/**
 * A proposed allocation of a breakout session's members into groups. Drafts are seen by facilitators only (who
 * may move people by hand); publishing writes the session's breakout groups and their video rooms.
 */
export const deliberationAllocations = sqliteTable(
  'deliberation_allocations',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    sessionId: text('session_id').notNull().references(() => breakoutSessions.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['draft', 'published', 'discarded'] }).notNull().default('draft'),
    groupSize: integer('group_size').notNull(),
    minGroupSize: integer('min_group_size').notNull(),
    features: text('features', { mode: 'json' }).$type<string[]>().notNull(),
    seed: text('seed').notNull(),
    /** figures over earlier sessions + this one (recomputed after each hand move) */
    figures: text('figures', { mode: 'json' }).$type<StoredFigures>().notNull(),
    /** the same for a random allocation with the same seed and group sizes */
    random: text('random', { mode: 'json' }).$type<StoredFigures>().notNull(),
    /** earlier sessions counted as history */
    historySessions: integer('history_sessions').notNull().default(0),
    provenance: text('provenance', { mode: 'json' }).notNull(),
    moves: integer('moves').notNull().default(0),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
    publishedBy: text('published_by'),
    publishedAt: text('published_at'),
  },
  (t) => [index('deliberation_allocations_session').on(t.sessionId, t.createdAt)],
);

export const deliberationAllocationGroups = sqliteTable(
  'deliberation_allocation_groups',
  {
    allocationId: text('allocation_id').notNull().references(() => deliberationAllocations.id, { onDelete: 'cascade' }),
    groupIndex: integer('group_index').notNull(),
    leadFacilitatorId: text('lead_facilitator_id').references(() => users.id),
    coFacilitatorId: text('co_facilitator_id').references(() => users.id),
    /** the breakout group written on publish */
    breakoutGroupId: text('breakout_group_id').references(() => breakoutGroups.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.allocationId, t.groupIndex] })],
);

export const deliberationAllocationMembers = sqliteTable(
  'deliberation_allocation_members',
  {
    allocationId: text('allocation_id').notNull().references(() => deliberationAllocations.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    groupIndex: integer('group_index').notNull(),
  },
  (t) => [primaryKey({ columns: [t.allocationId, t.userId] })],
);

/** A video room: one per breakout group (and per plenary session). The name carries ≥ 128 random bits. */
export const deliberationRooms = sqliteTable(
  'deliberation_rooms',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    sessionId: text('session_id').notNull(),
    /** null = the whole session's (plenary) room */
    groupId: text('group_id').references(() => breakoutGroups.id, { onDelete: 'cascade' }),
    roomName: text('room_name').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('deliberation_rooms_name').on(t.roomName), uniqueIndex('deliberation_rooms_group').on(t.groupId)],
);
