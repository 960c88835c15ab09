import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { assemblies, users } from '../db/schema.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/**
 * Who follows what: a member follows a subject ('debate:<id>', 'recommendation:<id>', 'text:<id>') and is notified
 * of what happens in it. `email` is optional and used only when the service has SMTP configured.
 */
export const subscriptions = sqliteTable(
  'subscriptions',
  {
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    email: text('email'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.userId, t.subject] }), index('subscriptions_subject').on(t.subject)],
);

/**
 * In-app notifications. `kind` names a catalogue key (rendered in the reader's language with `params`), `url`
 * where to read more. Unread while `readAt` is null.
 */
export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    assemblyId: text('assembly_id').notNull().references(() => assemblies.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    kind: text('kind').notNull(),
    params: text('params', { mode: 'json' }).$type<Record<string, string | number>>().notNull(),
    url: text('url').notNull(),
    readAt: text('read_at'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('notifications_user').on(t.userId, t.assemblyId, t.id)],
);
