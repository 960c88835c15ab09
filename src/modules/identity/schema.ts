import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { assemblies, invitations, users } from '../../platform/db/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/**
 * How a member signs back in: the invitation code on their letter (the current one: a facilitator may reissue it,
 * which retires the old one), an optional passphrase, and when they last signed in. Members who joined before this
 * table existed have no row: their used invitation is their code.
 */
export const memberAccess = sqliteTable('member_access', {
  userId: text('user_id').primaryKey().references(() => users.id, { onDelete: 'cascade' }),
  assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
  invitationId: text('invitation_id').notNull().references(() => invitations.id),
  passphraseHash: text('passphrase_hash'),
  lastSignInAt: text('last_sign_in_at'),
  codeIssuedAt: text('code_issued_at').notNull().default(now),
});

/** Failed sign-ins per account or invitation code ('user:<id>', 'code:<sha256>'), for the back-off (identity/domain.ts). */
export const signinFailures = sqliteTable('signin_failures', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lastFailureAt: integer('last_failure_at').notNull(),
});

/**
 * Staff roles per assembly, granted by an admin. Admins are global (users.role); a facilitator or researcher acts
 * only on the assemblies where they hold a role here.
 */
export const staffRoles = sqliteTable(
  'staff_roles',
  {
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['facilitator', 'co-facilitator', 'researcher'] }).notNull(),
    grantedBy: text('granted_by'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.assemblyId, t.userId] }), index('staff_roles_user').on(t.userId)],
);

/** Stable random ids that stand for members in what researchers read (never derived from the user id). */
export const researchIds = sqliteTable(
  'research_ids',
  {
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    anonId: text('anon_id').notNull().unique(),
  },
  (t) => [primaryKey({ columns: [t.assemblyId, t.userId] })],
);
