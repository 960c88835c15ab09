import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.js';
import type { DbOrTx, Tx } from '../db/client.js';
import { AppError, invalid } from '../errors.js';
import { moderations, REPORT_REASONS, reports, type ReportReason } from './schema.js';

export { REPORT_REASONS, type ReportReason };

/** The longest reason a facilitator may give when hiding something, and the longest report details. */
export const MODERATION_TEXT_MAX = 1000;

export interface HiddenState {
  hiddenAt: string;
  hiddenBy: string | null;
  reason: string;
}

/**
 * Reporting and hiding, written once and opted into by modules (like Decidim's Reportable): a module names its
 * subjects '<type>:<id>', calls report/hide from its own verbs inside its own transaction, and asks hiddenAmong
 * when it renders. Modules keep their own denormalised flags (counts of visible comments) in step in the same
 * transaction.
 */
export const moderation = {
  /** A member reports a subject. Reporting twice is refused; reporting a hidden subject is pointless and refused. */
  report(tx: Tx, input: { assemblyId: string; subject: string; reporterId: string; reason: ReportReason; details?: string }): void {
    const details = (input.details ?? '').trim();
    if (details.length > MODERATION_TEXT_MAX) throw invalid(`The details of a report can be at most ${MODERATION_TEXT_MAX} characters (these have ${details.length}).`, [{ path: 'details', message: 'Too long' }]);
    if (input.reason === 'other' && !details) throw invalid('Say in a few words what is wrong when the reason is “other”.', [{ path: 'details', message: 'Required' }]);
    const state = moderation.state(tx, input.subject);
    if (state?.hiddenAt) throw new AppError('CONFLICT', 'This has already been hidden by a facilitator.');
    const inserted = tx
      .insert(reports)
      .values({ assemblyId: input.assemblyId, subject: input.subject, reporterId: input.reporterId, reason: input.reason, details })
      .onConflictDoNothing()
      .returning({ id: reports.id })
      .get();
    if (!inserted) throw new AppError('CONFLICT', 'You have already reported this; the facilitators will look at it.');
    tx.insert(moderations)
      .values({ subject: input.subject, assemblyId: input.assemblyId, reportCount: 1 })
      .onConflictDoUpdate({ target: moderations.subject, set: { reportCount: sql`${moderations.reportCount} + 1` } })
      .run();
    recordAudit(tx, { actorId: input.reporterId, action: 'moderation.report', subject: input.subject, data: { reason: input.reason } });
  },

  /** A facilitator hides a subject, with a reason its author will see. Open reports on it are closed as actioned. */
  hide(tx: Tx, input: { assemblyId: string; subject: string; by: string; reason: string }): HiddenState {
    const reason = input.reason.trim();
    if (!reason) throw invalid('Give the reason for hiding this: its author will see it.', [{ path: 'reason', message: 'Required' }]);
    if (reason.length > MODERATION_TEXT_MAX) throw invalid(`The reason can be at most ${MODERATION_TEXT_MAX} characters (this one has ${reason.length}).`, [{ path: 'reason', message: 'Too long' }]);
    if (moderation.state(tx, input.subject)?.hiddenAt) throw new AppError('CONFLICT', 'This is already hidden.');
    const hiddenAt = new Date().toISOString();
    tx.insert(moderations)
      .values({ subject: input.subject, assemblyId: input.assemblyId, hiddenAt, hiddenBy: input.by, hiddenReason: reason })
      .onConflictDoUpdate({ target: moderations.subject, set: { hiddenAt, hiddenBy: input.by, hiddenReason: reason } })
      .run();
    tx.update(reports).set({ status: 'actioned' }).where(and(eq(reports.subject, input.subject), eq(reports.status, 'open'))).run();
    recordAudit(tx, { actorId: input.by, action: 'moderation.hide', subject: input.subject, data: { reason } });
    return { hiddenAt, hiddenBy: input.by, reason };
  },

  /** Makes a hidden subject visible again (a mistake); the reason is kept in the audit log. */
  unhide(tx: Tx, input: { subject: string; by: string }): void {
    const state = moderation.state(tx, input.subject);
    if (!state?.hiddenAt) throw new AppError('CONFLICT', 'This is not hidden.');
    tx.update(moderations).set({ hiddenAt: null, hiddenBy: null, hiddenReason: null }).where(eq(moderations.subject, input.subject)).run();
    recordAudit(tx, { actorId: input.by, action: 'moderation.unhide', subject: input.subject, data: { previousReason: state.hiddenReason } });
  },

  /** Reports on a subject were looked at and nothing needs hiding. */
  dismiss(tx: Tx, input: { subject: string; by: string }): number {
    const n = tx.update(reports).set({ status: 'dismissed' }).where(and(eq(reports.subject, input.subject), eq(reports.status, 'open'))).run().changes;
    recordAudit(tx, { actorId: input.by, action: 'moderation.dismiss', subject: input.subject, data: { reports: n } });
    return n;
  },

  state: (db: DbOrTx, subject: string) => db.select().from(moderations).where(eq(moderations.subject, subject)).get(),

  /** Which of these subjects are hidden (one query; for rendering a page of them). */
  hiddenAmong(db: DbOrTx, subjects: string[]): Map<string, HiddenState> {
    const out = new Map<string, HiddenState>();
    for (let i = 0; i < subjects.length; i += 500) {
      const rows = db.select().from(moderations).where(inArray(moderations.subject, subjects.slice(i, i + 500))).all();
      for (const r of rows) if (r.hiddenAt) out.set(r.subject, { hiddenAt: r.hiddenAt, hiddenBy: r.hiddenBy, reason: r.hiddenReason ?? '' });
    }
    return out;
  },

  /** Open reports of an assembly whose subject starts with a prefix ('debate-comment:'), grouped by subject. */
  openReports(db: DbOrTx, assemblyId: string, subjectPrefix: string) {
    const rows = db
      .select()
      .from(reports)
      .where(and(eq(reports.assemblyId, assemblyId), eq(reports.status, 'open'), like(reports.subject, `${subjectPrefix.replace(/[%_]/g, '')}%`)))
      .orderBy(reports.id)
      .all();
    const bySubject = new Map<string, { subject: string; reports: { reason: ReportReason; details: string; createdAt: string }[] }>();
    for (const r of rows) {
      const g = bySubject.get(r.subject) ?? { subject: r.subject, reports: [] };
      g.reports.push({ reason: r.reason, details: r.details, createdAt: r.createdAt });
      bySubject.set(r.subject, g);
    }
    return [...bySubject.values()];
  },

  /** Whether this member already reported the subject (to show “reported” instead of the form). */
  reportedBy(db: DbOrTx, subjects: string[], reporterId: string): Set<string> {
    if (!subjects.length) return new Set();
    return new Set(db.select({ s: reports.subject }).from(reports).where(and(eq(reports.reporterId, reporterId), inArray(reports.subject, subjects.slice(0, 900)))).all().map((r) => r.s));
  },
};
