import { and, count, desc, eq, inArray, isNull, lt, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx, Tx } from '../db/client.js';
import { invalid } from '../errors.js';
import type { JobQueue } from '../jobs/index.js';
import { notifications, subscriptions } from './schema.js';

export const EMAIL_JOB = 'notifications.email';

/** What the e-mail job receives: the notification to send and where. */
export const EmailPayload = z.object({ notificationId: z.number().int(), to: z.string().email() });

const Email = z.string().trim().email().max(254);

export interface NotifyInput {
  assemblyId: string;
  subject: string;
  /** i18n key of the message, e.g. 'debates.notify.comment' */
  kind: string;
  params: Record<string, string | number>;
  url: string;
  /** the person who caused it is not notified of their own action */
  exceptUserId?: string | null;
}

/**
 * Subscriptions and notifications, written once and opted into by modules (debates, recommendations, texts):
 * a module calls notify() in the transaction that changes its subject. Every subscriber gets an in-app
 * notification; an e-mail is queued only when `mail` is given (the service has SMTP configured) and the
 * subscriber left an address — without SMTP nothing is queued, nothing is sent and nothing fails.
 */
export const subscriptionsApi = {
  subscribe(tx: Tx, input: { userId: string; assemblyId: string; subject: string; email?: string | null }): void {
    let email: string | null = null;
    if (input.email) {
      const r = Email.safeParse(input.email);
      if (!r.success) throw invalid('This e-mail address is not valid.', [{ path: 'email', message: 'Invalid e-mail address' }]);
      email = r.data;
    }
    tx.insert(subscriptions)
      .values({ userId: input.userId, assemblyId: input.assemblyId, subject: input.subject, email })
      .onConflictDoUpdate({ target: [subscriptions.userId, subscriptions.subject], set: { email } })
      .run();
  },

  unsubscribe(tx: Tx, input: { userId: string; subject: string }): boolean {
    return tx.delete(subscriptions).where(and(eq(subscriptions.userId, input.userId), eq(subscriptions.subject, input.subject))).run().changes > 0;
  },

  isSubscribed: (db: DbOrTx, userId: string, subject: string) =>
    db.select({ u: subscriptions.userId }).from(subscriptions).where(and(eq(subscriptions.userId, userId), eq(subscriptions.subject, subject))).get() !== undefined,

  /** which of `subjects` the user follows, in one query (lists) */
  subscribedAmong: (db: DbOrTx, userId: string, subjects: string[]): Set<string> =>
    subjects.length === 0
      ? new Set()
      : new Set(db.select({ s: subscriptions.subject }).from(subscriptions).where(and(eq(subscriptions.userId, userId), inArray(subscriptions.subject, subjects))).all().map((r) => r.s)),

  /** Notifies every subscriber of `subject` (but the actor); returns how many were notified. */
  notify(tx: Tx, input: NotifyInput, mail?: { jobs: Pick<JobQueue, 'enqueue'> } | null): number {
    const subs = tx
      .select()
      .from(subscriptions)
      .where(input.exceptUserId ? and(eq(subscriptions.subject, input.subject), ne(subscriptions.userId, input.exceptUserId)) : eq(subscriptions.subject, input.subject))
      .all();
    for (const s of subs) {
      const n = tx
        .insert(notifications)
        .values({ userId: s.userId, assemblyId: input.assemblyId, subject: input.subject, kind: input.kind, params: input.params, url: input.url })
        .returning({ id: notifications.id })
        .get();
      if (mail && s.email) mail.jobs.enqueue(tx, { type: EMAIL_JOB, assemblyId: input.assemblyId, payload: { notificationId: n.id, to: s.email }, idempotencyKey: `email:${n.id}` });
    }
    return subs.length;
  },

  /** A member's notifications in an assembly, newest first (keyset pagination by id). */
  list: (db: DbOrTx, userId: string, assemblyId: string, opts: { before?: number; limit?: number } = {}) =>
    db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, userId), eq(notifications.assemblyId, assemblyId), opts.before ? lt(notifications.id, opts.before) : undefined))
      .orderBy(desc(notifications.id))
      .limit(Math.min(opts.limit ?? 50, 200))
      .all(),

  unread: (db: DbOrTx, userId: string, assemblyId: string) =>
    db.select({ n: count() }).from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.assemblyId, assemblyId), isNull(notifications.readAt))).get()?.n ?? 0,

  byId: (db: DbOrTx, id: number) => db.select().from(notifications).where(eq(notifications.id, id)).get(),

  /** Marks some (or all) of a member's notifications read; returns how many changed. */
  markRead(tx: Tx, userId: string, assemblyId: string, ids?: number[]): number {
    const where = and(eq(notifications.userId, userId), eq(notifications.assemblyId, assemblyId), isNull(notifications.readAt), ids ? inArray(notifications.id, ids) : undefined);
    return tx.update(notifications).set({ readAt: new Date().toISOString() }).where(where).run().changes;
  },
};
