import { amendmentsApi, type Amendable, type AmendmentKind, type AmendmentView } from '../../platform/amendments/index.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { textDiff, versioning, type DiffPart } from '../../platform/versions/index.js';
import { cleanText } from '../debates/domain.js';
import { isStaff, me, nameOf } from '../debates/service.js';
import { textsRepo as repo, type ParagraphRow, type TextRow } from './repo.js';

export const PARAGRAPH_MAX = 5000;
export const paragraphSubject = (id: number) => `paragraph:${id}`;
const paragraphId = (subject: string) => Number(subject.split(':')[1]);


export function paragraphText(raw: string): string {
  const s = cleanText(raw);
  if (!s) throw invalid('A paragraph cannot be empty (propose a deletion instead).', [{ path: 'text', message: 'Required' }]);
  if (s.length > PARAGRAPH_MAX) throw invalid(`A paragraph can be at most ${PARAGRAPH_MAX.toLocaleString('en')} characters; this one has ${s.length.toLocaleString('en')}.`, [{ path: 'text', message: `At most ${PARAGRAPH_MAX} characters` }]);
  return s;
}

/** How paragraphs opt into the platform's amendments. */
export const paragraphAmendable: Amendable = {
  current(db: DbOrTx, subject: string) {
    const p = repo.paragraph(db, paragraphId(subject));
    const t = p ? repo.byId(db, p.textId) : undefined;
    return p && t ? { assemblyId: t.assemblyId, version: p.version, text: p.body, deleted: p.status === 'deleted' } : null;
  },
  cleanText: paragraphText,
  apply(tx, a, by) {
    const p = repo.paragraph(tx, paragraphId(a.subject))!;
    const note = `amendment:${a.id}`;
    if (a.kind === 'insert_after') {
      const next = repo.next(tx, p);
      const np = repo.insertParagraph(tx, { textId: p.textId, sectionId: p.sectionId, position: next ? (p.position + next.position) / 2 : p.position + 1, body: a.proposedText });
      versioning.record(tx, { subject: paragraphSubject(np.id), fields: { text: a.proposedText }, authorId: by.id, authorName: a.authorName, note });
      return paragraphSubject(np.id);
    }
    const body = a.kind === 'delete' ? '' : a.proposedText;
    // the paragraph's new version is credited to the amendment's author; the facilitator who accepted is in the audit log
    const { row } = versioning.record(tx, { subject: a.subject, fields: { text: body }, authorId: null, authorName: a.authorName, note, expectVersion: p.version });
    repo.updateParagraph(tx, p.id, { body: a.kind === 'delete' ? p.body : body, version: row.version, status: a.kind === 'delete' ? 'deleted' : 'active' });
    return `v${row.version}`;
  },
};

function textOf(ctx: Pick<Ctx, 'db'>, assemblyId: string, textId: string): TextRow {
  const t = repo.byId(ctx.db, textId);
  if (!t || t.assemblyId !== assemblyId) throw notFound('Text', textId);
  return t;
}

/**
 * A facilitator creates a text from plain text: lines starting with '# ' open a section, blank lines separate
 * paragraphs (text before the first heading goes into an untitled first section).
 */
export function createText(ctx: Ctx, assemblyId: string, input: { title: string; body: string }): TextRow {
  const title = cleanText(input.title).replace(/\s+/g, ' ');
  if (title.length < 3 || title.length > 200) throw invalid('A text needs a title of 3 to 200 characters.', [{ path: 'title', message: '3–200 characters' }]);
  const sections: { title: string; paragraphs: string[] }[] = [];
  for (const block of cleanText(input.body).split(/\n\s*\n/)) {
    const lines = block.split('\n');
    let rest = block;
    if (lines[0].startsWith('# ')) {
      sections.push({ title: lines[0].slice(2).trim(), paragraphs: [] });
      rest = lines.slice(1).join('\n');
    }
    if (!rest.trim()) continue;
    if (!sections.length) sections.push({ title: '', paragraphs: [] });
    sections[sections.length - 1].paragraphs.push(paragraphText(rest));
  }
  if (!sections.some((s) => s.paragraphs.length)) throw invalid('A text needs at least one paragraph.', [{ path: 'body', message: 'Empty' }]);
  const author = nameOf(ctx, assemblyId);
  return ctx.db.transaction((tx) => {
    const t = repo.insert(tx, { id: newId('tx_'), assemblyId, title, createdBy: me(ctx) });
    sections.forEach((s, i) => {
      const sec = repo.insertSection(tx, { textId: t.id, position: i, title: s.title });
      s.paragraphs.forEach((body, j) => {
        const p = repo.insertParagraph(tx, { textId: t.id, sectionId: sec.id, position: j + 1, body });
        versioning.record(tx, { subject: paragraphSubject(p.id), fields: { text: body }, authorId: me(ctx), authorName: author, note: 'created' });
      });
    });
    recordAudit(tx, { actorId: me(ctx), action: 'text.create', subject: `text:${t.id}`, data: { assemblyId } });
    return t;
  });
}

export const listTexts = (ctx: Ctx, assemblyId: string) => repo.forAssembly(ctx.db, assemblyId);

export interface ParagraphView extends Pick<ParagraphRow, 'id' | 'body' | 'version' | 'status'> {
  openAmendments: number;
}

export function getText(ctx: Ctx, assemblyId: string, textId: string) {
  const t = textOf(ctx, assemblyId, textId);
  const paras = repo.paragraphs(ctx.db, textId);
  const open = new Map<string, number>();
  for (const a of amendmentsApi.forSubjects(ctx.db, paras.map((p) => paragraphSubject(p.id)), ['open'])) open.set(a.subject, (open.get(a.subject) ?? 0) + 1);
  return {
    text: t,
    sections: repo.sections(ctx.db, textId).map((s) => ({
      id: s.id, title: s.title,
      paragraphs: paras.filter((p) => p.sectionId === s.id).map((p): ParagraphView => ({ id: p.id, body: p.body, version: p.version, status: p.status, openAmendments: open.get(paragraphSubject(p.id)) ?? 0 })),
    })),
  };
}

function paragraphOf(ctx: Pick<Ctx, 'db'>, assemblyId: string, textId: string, id: number): ParagraphRow {
  textOf(ctx, assemblyId, textId);
  const p = repo.paragraph(ctx.db, id);
  if (!p || p.textId !== textId) throw notFound('Paragraph', id);
  return p;
}

/** A paragraph with its full history (every version, author, time, and the word diff from the one before) and its amendments. */
export function paragraphDetail(ctx: Ctx, assemblyId: string, textId: string, id: number) {
  const p = paragraphOf(ctx, assemblyId, textId, id);
  const subject = paragraphSubject(id);
  const hist = versioning.history(ctx.db, subject);
  const history = hist.map((v, i) => {
    const prev = hist[i + 1];
    return { version: v.version, author: v.authorName, createdAt: v.createdAt, note: v.note, text: v.fields.text ?? '', diff: prev ? textDiff(prev.fields.text ?? '', v.fields.text ?? '') : null };
  });
  const uid = actorId(ctx.actor);
  const rows = amendmentsApi.forSubjects(ctx.db, [subject]);
  const comments = amendmentsApi.commentsAmong(ctx.db, rows.map((a) => a.id));
  const amendments = amendmentsApi.views(ctx.db, paragraphAmendable, rows, uid).map((a) => ({ ...a, comments: (comments.get(a.id) ?? []).map(commentView) }));
  return { paragraph: { id: p.id, body: p.body, version: p.version, status: p.status }, history, amendments };
}

export function proposeAmendment(ctx: Ctx, assemblyId: string, textId: string, paragraphId: number, input: { kind: AmendmentKind; text?: string; justification: string; baseVersion?: number }): AmendmentView {
  const t = textOf(ctx, assemblyId, textId);
  if (t.status !== 'open') throw new AppError('CONFLICT', 'This text is closed to amendments.');
  paragraphOf(ctx, assemblyId, textId, paragraphId);
  const author = nameOf(ctx, assemblyId);
  return ctx.db.transaction((tx) => {
    const a = amendmentsApi.propose(tx, paragraphAmendable, { assemblyId, subject: paragraphSubject(paragraphId), ...input, authorId: me(ctx), authorName: author });
    return amendmentsApi.view(tx, paragraphAmendable, a, me(ctx));
  });
}

function amendmentOf(ctx: Ctx, assemblyId: string, textId: string, amendmentId: number) {
  const a = amendmentsApi.byId(ctx.db, amendmentId);
  if (!a || a.assemblyId !== assemblyId) throw notFound('Amendment', amendmentId);
  paragraphOf(ctx, assemblyId, textId, paragraphId(a.subject));
  return a;
}

export function supportAmendment(ctx: Ctx, assemblyId: string, textId: string, amendmentId: number): void {
  amendmentOf(ctx, assemblyId, textId, amendmentId);
  ctx.db.transaction((tx) => amendmentsApi.support(tx, amendmentId, me(ctx)));
}

export function commentAmendment(ctx: Ctx, assemblyId: string, textId: string, amendmentId: number, body: string): void {
  amendmentOf(ctx, assemblyId, textId, amendmentId);
  const b = cleanText(body);
  if (!b) throw invalid('A comment cannot be empty.', [{ path: 'body', message: 'Required' }]);
  if (b.length > 5000) throw invalid(`A comment can be at most 5,000 characters; this one has ${b.length.toLocaleString('en')}.`, [{ path: 'body', message: 'Too long' }]);
  const author = nameOf(ctx, assemblyId);
  ctx.db.transaction((tx) => amendmentsApi.comment(tx, amendmentId, { authorId: me(ctx), authorName: author, body: b }));
}

export function amendmentComments(ctx: Ctx, assemblyId: string, textId: string, amendmentId: number) {
  amendmentOf(ctx, assemblyId, textId, amendmentId);
  return amendmentsApi.comments(ctx.db, amendmentId).map(commentView);
}

function commentView(c: { id: number; authorName: string; body: string; createdAt: string }) {
  return { id: c.id, author: c.authorName, body: c.body, createdAt: c.createdAt };
}

export function decideAmendment(ctx: Ctx, assemblyId: string, textId: string, amendmentId: number, input: { decision: 'accept' | 'reject'; reason?: string }): AmendmentView {
  amendmentOf(ctx, assemblyId, textId, amendmentId);
  if (!isStaff(ctx)) throw new AppError('FORBIDDEN', 'Only facilitators accept or reject amendments.');
  const by = { id: me(ctx), name: nameOf(ctx, assemblyId) };
  return ctx.db.transaction((tx) => {
    const a = input.decision === 'accept' ? amendmentsApi.accept(tx, paragraphAmendable, amendmentId, by) : amendmentsApi.reject(tx, amendmentId, by, input.reason ?? '');
    return amendmentsApi.view(tx, paragraphAmendable, a, by.id);
  });
}

export function rebaseAmendment(ctx: Ctx, assemblyId: string, textId: string, amendmentId: number, text?: string): AmendmentView {
  amendmentOf(ctx, assemblyId, textId, amendmentId);
  return ctx.db.transaction((tx) => amendmentsApi.view(tx, paragraphAmendable, amendmentsApi.rebase(tx, paragraphAmendable, amendmentId, { id: me(ctx) }, text), me(ctx)));
}

export type { DiffPart };

/** The paragraph subject an amendment belongs to (for redirects). */
export function amendmentSubject(ctx: Ctx, assemblyId: string, amendmentId: number): string {
  const a = amendmentsApi.byId(ctx.db, amendmentId);
  if (!a || a.assemblyId !== assemblyId) throw notFound('Amendment', amendmentId);
  return a.subject;
}
