import { sql } from 'drizzle-orm';
import { index, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { assemblies, users } from '../../platform/db/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/** The digital-skills phase: one row per member once anything is recorded (members without a row have done nothing yet). */
export const onboardingMembers = sqliteTable(
  'onboarding_members',
  {
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    /** checklist item → done */
    checklist: text('checklist', { mode: 'json' }).$type<Record<string, boolean>>().notNull().default({}),
    /** the staff member helping with the technology */
    assistantId: text('assistant_id').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.assemblyId, t.userId] })],
);

/** PERSONAL DATA kept apart: accessibility needs (may reveal health), notes about the person. */
export const onboardingPersonal = sqliteTable(
  'onboarding_personal',
  {
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    accessibility: text('accessibility').notNull().default(''),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.assemblyId, t.userId] })],
);

/** Equipment lent to members (e.g. a tablet with mobile data). */
export const onboardingLoans = sqliteTable(
  'onboarding_loans',
  {
    id: text('id').primaryKey(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    item: text('item').notNull(),
    lentOn: text('lent_on').notNull(),
    returnedOn: text('returned_on'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('onboarding_loans_member').on(t.assemblyId, t.userId)],
);
