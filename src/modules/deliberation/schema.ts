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

// ---------------------------------------------------------------------------------------------------------
// Calendar: phases, sessions, who is expected, attendance, iCalendar feeds

export const PHASE_KINDS = ['training', 'learning', 'deliberation', 'decision', 'follow_up'] as const;
export const EVENT_KINDS = ['plenary', 'study_group', 'breakout'] as const;
export const ATTENDANCE = ['present', 'excused', 'absent'] as const;

export const deliberationPhases = sqliteTable(
  'deliberation_phases',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: PHASE_KINDS }).notNull(),
    title: text('title').notNull(),
    /** calendar dates (YYYY-MM-DD), inclusive */
    startsOn: text('starts_on').notNull(),
    endsOn: text('ends_on').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('deliberation_phases_assembly').on(t.assemblyId, t.startsOn)],
);

/** A session on the calendar (plenary, study group or breakout), stored in UTC with its time zone for display. */
export const deliberationEvents = sqliteTable(
  'deliberation_events',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    phaseId: text('phase_id').references(() => deliberationPhases.id, { onDelete: 'set null' }),
    kind: text('kind', { enum: EVENT_KINDS }).notNull(),
    title: text('title').notNull(),
    startsAt: text('starts_at').notNull(),
    endsAt: text('ends_at').notNull(),
    /** IANA time zone the session is announced in */
    timeZone: text('time_zone').notNull(),
    language: text('language').notNull(),
    /** 'all' = every member of the assembly; 'listed' = the rows of deliberation_event_members */
    audience: text('audience', { enum: ['all', 'listed'] }).notNull(),
    /** the video room of a plenary or study group (breakouts use their groups' rooms) */
    roomName: text('room_name'),
    breakoutSessionId: text('breakout_session_id').references(() => breakoutSessions.id, { onDelete: 'set null' }),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('deliberation_events_assembly').on(t.assemblyId, t.startsAt)],
);

export const deliberationEventMembers = sqliteTable(
  'deliberation_event_members',
  {
    eventId: text('event_id').notNull().references(() => deliberationEvents.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] })],
);

export const deliberationAttendance = sqliteTable(
  'deliberation_attendance',
  {
    eventId: text('event_id').notNull().references(() => deliberationEvents.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ATTENDANCE }).notNull(),
    /** 'facilitator' or 'self' (check-in) */
    source: text('source', { enum: ['facilitator', 'self'] }).notNull(),
    recordedBy: text('recorded_by'),
    recordedAt: text('recorded_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] })],
);

/** A member's secret iCalendar feed URL: only the sha256 of the token is kept; revoked feeds answer 404. */
export const deliberationFeeds = sqliteTable(
  'deliberation_feeds',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: text('created_at').notNull().default(now),
    revokedAt: text('revoked_at'),
  },
  (t) => [uniqueIndex('deliberation_feeds_token').on(t.tokenHash), index('deliberation_feeds_user').on(t.userId, t.assemblyId)],
);

// ---------------------------------------------------------------------------------------------------------
// Learning: materials, progress, tasks; expert Q&A

export const MATERIAL_KINDS = ['video', 'reading', 'attachment'] as const;

export const deliberationMaterials = sqliteTable(
  'deliberation_materials',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    phaseId: text('phase_id').references(() => deliberationPhases.id, { onDelete: 'set null' }),
    kind: text('kind', { enum: MATERIAL_KINDS }).notNull(),
    title: text('title').notNull(),
    /** the video, reading or attachment link */
    url: text('url').notNull(),
    /** a captions file (WebVTT) for a video */
    captionsUrl: text('captions_url'),
    /** the talk's transcript or a summary, shown beside the link */
    transcript: text('transcript'),
    language: text('language').notNull(),
    minutes: integer('minutes'),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('deliberation_materials_assembly').on(t.assemblyId, t.createdAt)],
);

export const deliberationMaterialProgress = sqliteTable(
  'deliberation_material_progress',
  {
    materialId: text('material_id').notNull().references(() => deliberationMaterials.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    openedAt: text('opened_at').notNull(),
    finishedAt: text('finished_at'),
  },
  (t) => [primaryKey({ columns: [t.materialId, t.userId] })],
);

export const deliberationTasks = sqliteTable('deliberation_tasks', {
  id: text('id').primaryKey(),
  assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
  phaseId: text('phase_id').references(() => deliberationPhases.id, { onDelete: 'set null' }),
  prompt: text('prompt').notNull(),
  createdAt: text('created_at').notNull().default(now),
});

export const deliberationSubmissions = sqliteTable(
  'deliberation_submissions',
  {
    id: text('id').primaryKey(),
    taskId: text('task_id').notNull().references(() => deliberationTasks.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    /** picked by a facilitator to share in the next group call */
    sharedAt: text('shared_at'),
    sharedBy: text('shared_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('deliberation_submissions_once').on(t.taskId, t.userId)],
);

export const deliberationQuestions = sqliteTable(
  'deliberation_questions',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    status: text('status', { enum: ['open', 'selected', 'answered'] }).notNull().default('open'),
    answer: text('answer'),
    answerUrl: text('answer_url'),
    selectedAt: text('selected_at'),
    answeredAt: text('answered_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('deliberation_questions_assembly').on(t.assemblyId, t.createdAt)],
);

export const deliberationQuestionSupports = sqliteTable(
  'deliberation_question_supports',
  {
    questionId: text('question_id').notNull().references(() => deliberationQuestions.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.userId] })],
);

// ---------------------------------------------------------------------------------------------------------
// Ideas carried from group to group (written only by the `shared-idea` review kind's publish)

/** An approved idea of one group (origin group, round), shared with the groups of a later round. Participant-visible. */
export const deliberationSharedIdeas = sqliteTable(
  'deliberation_shared_ideas',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    /** the review subject: one row per shared idea, replaced in place when a newer version is approved */
    subject: text('subject').notNull(),
    reviewItemId: text('review_item_id').notNull(),
    originGroupId: text('origin_group_id').notNull().references(() => breakoutGroups.id, { onDelete: 'cascade' }),
    originSessionId: text('origin_session_id').notNull().references(() => breakoutSessions.id, { onDelete: 'cascade' }),
    targetSessionId: text('target_session_id').notNull().references(() => breakoutSessions.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    language: text('language'),
    /** typed by a facilitator, or taken from an idea extracted from an approved transcript (breakout_ideas) */
    source: text('source', { enum: ['facilitator', 'transcript'] }).notNull(),
    sourceIdeaId: text('source_idea_id'),
    approvedBy: text('approved_by'),
    publishedAt: text('published_at').notNull().default(now),
  },
  (t) => [uniqueIndex('deliberation_shared_ideas_subject').on(t.subject), index('deliberation_shared_ideas_target').on(t.targetSessionId)],
);

/** What a receiving group did with a shared idea: first seen (its page opened by one of its people), discussed. */
export const deliberationIdeaReceipts = sqliteTable(
  'deliberation_idea_receipts',
  {
    ideaId: text('idea_id').notNull().references(() => deliberationSharedIdeas.id, { onDelete: 'cascade' }),
    groupId: text('group_id').notNull().references(() => breakoutGroups.id, { onDelete: 'cascade' }),
    seenAt: text('seen_at'),
    seenBy: text('seen_by'),
    discussedAt: text('discussed_at'),
    discussedBy: text('discussed_by'),
  },
  (t) => [primaryKey({ columns: [t.ideaId, t.groupId] })],
);
