import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.js';
import type { DbOrTx, Tx } from '../db/client.js';
import { AppError, invalid, notFound } from '../errors.js';
import { amendmentComments, amendments, amendmentSupports } from './schema.js';

export type AmendmentRow = typeof amendments.$inferSelect;
export type AmendmentKind = AmendmentRow['kind'];
export const AMENDMENT_KINDS = ['replace', 'insert_after', 'delete'] as const;
export const JUSTIFICATION_MAX = 2000;

/** What a module gives to make its subjects amendable. */
export interface Amendable {
  /** the subject's current state, or null when it does not exist */
  current(db: DbOrTx, subject: string): { assemblyId: string; version: number; text: string; deleted: boolean } | null;
  /** checks and cleans a proposed text (limits said in words) */
  cleanText(raw: string): string;
  /** applies an accepted amendment inside the decision's transaction; returns what it produced ('v3', 'paragraph:42') */
  apply(tx: Tx, a: AmendmentRow, by: { id: string; name: string }): string;
}

export interface AmendmentView extends Omit<AmendmentRow, 'authorId' | 'decidedBy'> {
  supports: number;
  /** open, and the subject changed since the amendment was written (or was deleted): its author must rebase it */
  conflict: boolean;
  subjectDeleted: boolean;
  mine: boolean;
}

/** replace and delete depend on the text they were written against; insert_after does not */
const dependsOnVersion = (k: AmendmentKind) => k !== 'insert_after';

export const amendmentsApi = {
  propose(tx: Tx, amendable: Amendable, input: { assemblyId: string; subject: string; kind: AmendmentKind; text?: string; justification: string; baseVersion?: number; authorId: string; authorName: string }): AmendmentRow {
    const cur = amendable.current(tx, input.subject);
    if (!cur || cur.assemblyId !== input.assemblyId) throw notFound('Paragraph', input.subject);
    if (cur.deleted) throw new AppError('GONE', 'This paragraph was deleted: it can no longer be amended.');
    const justification = input.justification.trim();
    if (!justification) throw invalid('Say why you propose this change (the justification).', [{ path: 'justification', message: 'Required' }]);
    if (justification.length > JUSTIFICATION_MAX) throw invalid(`A justification can be at most ${JUSTIFICATION_MAX.toLocaleString('en')} characters; this one has ${justification.length.toLocaleString('en')}.`, [{ path: 'justification', message: 'Too long' }]);
    const proposedText = input.kind === 'delete' ? '' : amendable.cleanText(input.text ?? '');
    if (input.kind === 'replace' && proposedText === cur.text) throw invalid('The proposed text is the same as the current one.', [{ path: 'text', message: 'No change' }]);
    const base = input.baseVersion ?? cur.version;
    if (base > cur.version || base < 1) throw invalid(`The paragraph has no version ${base}.`, [{ path: 'baseVersion', message: 'Unknown version' }]);
    const row = tx.insert(amendments).values({ assemblyId: input.assemblyId, subject: input.subject, kind: input.kind, proposedText, justification, baseVersion: base, authorId: input.authorId, authorName: input.authorName }).returning().get();
    recordAudit(tx, { actorId: input.authorId, action: 'amendment.propose', subject: `amendment:${row.id}`, data: { subject: input.subject, kind: input.kind, baseVersion: base } });
    return row;
  },

  byId: (db: DbOrTx, id: number) => db.select().from(amendments).where(eq(amendments.id, id)).get(),

  forSubjects(db: DbOrTx, subjects: string[], status?: AmendmentRow['status'][]): AmendmentRow[] {
    if (!subjects.length) return [];
    const rows: AmendmentRow[] = [];
    for (let i = 0; i < subjects.length; i += 500) {
      rows.push(...db.select().from(amendments).where(and(inArray(amendments.subject, subjects.slice(i, i + 500)), status ? inArray(amendments.status, status) : undefined)).orderBy(asc(amendments.id)).all());
    }
    return rows;
  },

  view(db: DbOrTx, amendable: Amendable, a: AmendmentRow, readerId: string | null): AmendmentView {
    const { supported: _s, ...v } = amendmentsApi.views(db, amendable, [a], readerId)[0]!;
    return v;
  },

  /**
   * Views of several amendments with the reader's own supports, in three queries plus one `current` per distinct
   * subject (a paragraph's page lists all its amendments: the same subject, read once).
   */
  views(db: DbOrTx, amendable: Amendable, rows: AmendmentRow[], readerId: string | null): (AmendmentView & { supported: boolean })[] {
    if (rows.length === 0) return [];
    const ids = rows.map((a) => a.id);
    const counts = new Map(db.select({ id: amendmentSupports.amendmentId, n: count() }).from(amendmentSupports).where(inArray(amendmentSupports.amendmentId, ids)).groupBy(amendmentSupports.amendmentId).all().map((r) => [r.id, r.n]));
    const mine = new Set(readerId ? db.select({ id: amendmentSupports.amendmentId }).from(amendmentSupports).where(and(inArray(amendmentSupports.amendmentId, ids), eq(amendmentSupports.userId, readerId))).all().map((r) => r.id) : []);
    const current = new Map<string, ReturnType<Amendable['current']>>();
    return rows.map((a) => {
      if (!current.has(a.subject)) current.set(a.subject, amendable.current(db, a.subject));
      const { authorId, decidedBy: _d, ...rest } = a;
      const cur = current.get(a.subject);
      const deleted = !cur || cur.deleted;
      const conflict = a.status === 'open' && (deleted || (dependsOnVersion(a.kind) && cur!.version !== a.baseVersion));
      return { ...rest, supports: counts.get(a.id) ?? 0, conflict, subjectDeleted: deleted, mine: readerId !== null && authorId === readerId, supported: mine.has(a.id) };
    });
  },

  /** One support per member; the author's own does not count. */
  support(tx: Tx, id: number, userId: string): void {
    const a = amendmentsApi.byId(tx, id);
    if (!a) throw notFound('Amendment', id);
    if (a.status !== 'open') throw new AppError('CONFLICT', `This amendment is ${a.status}: it can no longer be supported.`);
    if (a.authorId === userId) throw new AppError('CONFLICT', 'You proposed this amendment: your support is implied.');
    const added = tx.insert(amendmentSupports).values({ amendmentId: id, userId }).onConflictDoNothing().run().changes;
    if (!added) throw new AppError('CONFLICT', 'You already support this amendment.');
  },

  comment(tx: Tx, id: number, input: { authorId: string; authorName: string; body: string }) {
    const a = amendmentsApi.byId(tx, id);
    if (!a) throw notFound('Amendment', id);
    return tx.insert(amendmentComments).values({ amendmentId: id, ...input }).returning().get();
  },
  /** the comments of several amendments, oldest first, in one query */
  commentsAmong(db: DbOrTx, ids: number[]): Map<number, (typeof amendmentComments.$inferSelect)[]> {
    const out = new Map<number, (typeof amendmentComments.$inferSelect)[]>();
    if (ids.length === 0) return out;
    for (const c of db.select().from(amendmentComments).where(inArray(amendmentComments.amendmentId, ids)).orderBy(asc(amendmentComments.id)).all()) {
      const list = out.get(c.amendmentId);
      if (list) list.push(c);
      else out.set(c.amendmentId, [c]);
    }
    return out;
  },
  comments: (db: DbOrTx, id: number) => db.select().from(amendmentComments).where(eq(amendmentComments.amendmentId, id)).orderBy(asc(amendmentComments.id)).all(),

  /**
   * Accepts an open amendment: the module applies it in this transaction. If the subject changed since the
   * amendment's base version (e.g. another amendment to the same paragraph was accepted a moment before), it is a
   * conflict: 409, nothing applied, the amendment stays open for its author to rebase.
   */
  accept(tx: Tx, amendable: Amendable, id: number, by: { id: string; name: string }): AmendmentRow {
    const a = amendmentsApi.byId(tx, id);
    if (!a) throw notFound('Amendment', id);
    if (a.status !== 'open') throw new AppError('CONFLICT', `This amendment is already ${a.status}.`);
    const cur = amendable.current(tx, a.subject);
    if (!cur || cur.deleted) throw new AppError('GONE', 'The paragraph this amends was deleted; the amendment cannot be applied.');
    if (dependsOnVersion(a.kind) && cur.version !== a.baseVersion) {
      throw new AppError('CONFLICT', `The paragraph changed since this amendment was written (it was version ${a.baseVersion}, it is now version ${cur.version}). Its author can rebase it on the current text; nothing was lost.`, { conflict: true, currentVersion: cur.version });
    }
    const result = amendable.apply(tx, a, by);
    const row = tx.update(amendments).set({ status: 'accepted', decidedBy: by.id, decidedAt: new Date().toISOString(), result }).where(and(eq(amendments.id, id), eq(amendments.status, 'open'))).returning().get();
    if (!row) throw new AppError('CONFLICT', 'This amendment was decided by someone else a moment ago.');
    recordAudit(tx, { actorId: by.id, action: 'amendment.accept', subject: `amendment:${id}`, data: { subject: a.subject, result } });
    return row;
  },

  reject(tx: Tx, id: number, by: { id: string }, reason: string): AmendmentRow {
    const a = amendmentsApi.byId(tx, id);
    if (!a) throw notFound('Amendment', id);
    if (a.status !== 'open') throw new AppError('CONFLICT', `This amendment is already ${a.status}.`);
    const r = reason.trim();
    if (!r) throw invalid('Give the reason for rejecting: its author will read it.', [{ path: 'reason', message: 'Required' }]);
    const row = tx.update(amendments).set({ status: 'rejected', decidedBy: by.id, decidedAt: new Date().toISOString(), decisionReason: r }).where(eq(amendments.id, id)).returning().get()!;
    recordAudit(tx, { actorId: by.id, action: 'amendment.reject', subject: `amendment:${id}`, data: { reason: r } });
    return row;
  },

  /** The author moves their amendment onto the current version, optionally with a new text. */
  rebase(tx: Tx, amendable: Amendable, id: number, by: { id: string }, text?: string): AmendmentRow {
    const a = amendmentsApi.byId(tx, id);
    if (!a) throw notFound('Amendment', id);
    if (a.authorId !== by.id) throw new AppError('FORBIDDEN', 'Only its author can rebase an amendment.');
    if (a.status !== 'open') throw new AppError('CONFLICT', `This amendment is already ${a.status}.`);
    const cur = amendable.current(tx, a.subject);
    if (!cur || cur.deleted) throw new AppError('GONE', 'The paragraph this amends was deleted; the amendment cannot be rebased.');
    const proposedText = a.kind === 'delete' ? '' : text !== undefined ? amendable.cleanText(text) : a.proposedText;
    const row = tx.update(amendments).set({ baseVersion: cur.version, proposedText }).where(eq(amendments.id, id)).returning().get()!;
    recordAudit(tx, { actorId: by.id, action: 'amendment.rebase', subject: `amendment:${id}`, data: { from: a.baseVersion, to: cur.version } });
    return row;
  },
};
