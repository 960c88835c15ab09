import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, roleOf, type Ctx } from '../../platform/context.js';
import type { Tx } from '../../platform/db/client.js';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import { moderation, REPORT_REASONS, type ReportReason } from '../../platform/moderation/index.js';
import { subscriptionsApi } from '../../platform/subscriptions/index.js';
import {
  buildTrees, commentBody, commentSubject, debateDescription, debateSubject, debateTitle, PAGE_SIZE, REPLIES_PER_PAGE, REPLIES_PER_THREAD, SHOWN_DEPTH,
  type Alignment, type CommentNode,
} from './domain.js';
import { debatesRepo as repo, type CommentRow, type DebateRow } from './repo.js';
import { can } from '../../platform/auth/permissions.js';

type Jobs = Pick<JobQueue, 'enqueue'>;

export interface DebateView {
  id: string;
  assemblyId: string;
  title: string;
  description: string;
  status: DebateRow['status'];
  proposedBy: string | null;
  decisionReason: string | null;
  counts: Record<Alignment, number>;
  threads: number;
  supports: number;
  /** for the reader */
  subscribed: boolean;
  supported: boolean;
  createdAt: string;
}

/** whoever may moderate written deliberation (the permission table's rule, shared by texts and recommendations) */
export const isStaff = (ctx: Ctx) => can(roleOf(ctx.actor), 'deliberation.moderate');

/** the signed-in caller's id (written deliberation needs an author) */
export function me(ctx: Ctx): string {
  const id = actorId(ctx.actor);
  if (!id) throw new AppError('UNAUTHENTICATED', 'Sign in to take part.');
  return id;
}

/** how the caller is named in the assembly: their pseudonym, else (staff) their display name */
export function nameOf(ctx: Ctx, assemblyId: string): string {
  const id = me(ctx);
  return repo.pseudonymOf(ctx.db, assemblyId, id) ?? (ctx.actor.kind === 'user' ? ctx.actor.displayName : 'member');
}

/** what a debate's view needs beyond its row; read in a few queries for a whole list (`extrasFor`) */
interface Extras { supports: number; supported: boolean; subscribed: boolean }

function extrasFor(ctx: Ctx, rows: DebateRow[]): Map<string, Extras> {
  const uid = actorId(ctx.actor);
  const proposed = rows.filter((d) => d.status === 'proposed').map((d) => d.id);
  const { counts, mine } = repo.supportsAmong(ctx.db, proposed, uid);
  const subscribed = uid ? subscriptionsApi.subscribedAmong(ctx.db, uid, rows.map((d) => debateSubject(d.id))) : new Set<string>();
  return new Map(rows.map((d) => [d.id, { supports: counts.get(d.id) ?? 0, supported: mine.has(d.id), subscribed: subscribed.has(debateSubject(d.id)) }]));
}

function view(ctx: Ctx, d: DebateRow, extras: Extras = extrasFor(ctx, [d]).get(d.id)!): DebateView {
  return {
    id: d.id, assemblyId: d.assemblyId, title: d.title, description: d.description, status: d.status, proposedBy: d.proposedByName, decisionReason: d.decisionReason,
    counts: { in_favour: d.countInFavour, against: d.countAgainst, neutral: d.countNeutral }, threads: d.countThreads,
    supports: extras.supports, subscribed: extras.subscribed, supported: extras.supported,
    createdAt: d.createdAt,
  };
}

/** The debate, checked to belong to the assembly and to be visible to the reader (rejected proposals: staff and proposer only). */
export function debateOf(ctx: Ctx, assemblyId: string, debateId: string): DebateRow {
  const d = repo.byId(ctx.db, debateId);
  if (!d || d.assemblyId !== assemblyId) throw notFound('Debate', debateId);
  if (d.status === 'rejected' && !isStaff(ctx) && d.proposedBy !== actorId(ctx.actor)) throw notFound('Debate', debateId);
  return d;
}

// ---------- debates ----------

/** A member proposes a theme (waits for a facilitator); a facilitator's debate opens at once. */
export function createDebate(ctx: Ctx, assemblyId: string, input: { title: string; description?: string }): DebateView {
  const title = debateTitle(input.title);
  const description = debateDescription(input.description);
  const staff = isStaff(ctx);
  const name = nameOf(ctx, assemblyId);
  return ctx.db.transaction((tx) => {
    const row = repo.insert(tx, { id: newId('db_'), assemblyId, title, description, status: staff ? 'open' : 'proposed', proposedBy: me(ctx), proposedByName: name, decidedBy: staff ? me(ctx) : null });
    recordAudit(tx, { actorId: me(ctx), action: staff ? 'debate.open' : 'debate.propose', subject: debateSubject(row.id), data: { assemblyId } });
    return view({ ...ctx, db: tx as never }, row);
  });
}

export function listDebates(ctx: Ctx, assemblyId: string): DebateView[] {
  const uid = actorId(ctx.actor);
  const rows = repo.forAssembly(ctx.db, assemblyId).filter((d) => d.attachedTo === null && (d.status !== 'rejected' || isStaff(ctx) || d.proposedBy === uid));
  const extras = extrasFor(ctx, rows);
  return rows.map((d) => view(ctx, d, extras.get(d.id)));
}

/** An open debate holding the comments of something else (a recommendation); not listed among debates. */
export function attachedDebate(tx: Tx, ctx: Ctx, assemblyId: string, subject: string, title: string): DebateRow {
  return repo.insert(tx, { id: newId('db_'), assemblyId, title, status: 'open', attachedTo: subject, proposedBy: actorId(ctx.actor), proposedByName: nameOf(ctx, assemblyId) });
}

export function getDebate(ctx: Ctx, assemblyId: string, debateId: string): DebateView {
  return view(ctx, debateOf(ctx, assemblyId, debateId));
}

/** A facilitator opens a proposed theme or rejects it (the reason is shown to members). */
export function decideProposal(ctx: Ctx, assemblyId: string, debateId: string, input: { decision: 'open' | 'reject'; reason?: string }): DebateView {
  const d = debateOf(ctx, assemblyId, debateId);
  if (d.status !== 'proposed') throw new AppError('CONFLICT', `This debate is ${d.status}, not a proposal waiting for a decision.`);
  const reason = (input.reason ?? '').trim();
  if (input.decision === 'reject' && !reason) throw invalid('Say why the proposal is rejected: its author will read it.', [{ path: 'reason', message: 'Required' }]);
  return ctx.db.transaction((tx) => {
    const row = repo.update(tx, debateId, { status: input.decision === 'open' ? 'open' : 'rejected', decidedBy: me(ctx), decisionReason: reason || null })!;
    recordAudit(tx, { actorId: me(ctx), action: `debate.${input.decision}`, subject: debateSubject(debateId), data: { reason } });
    return view(ctx, row);
  });
}

/** Closing stops new comments (the debate stays readable); reopening allows them again. */
export function setDebateOpen(ctx: Ctx, assemblyId: string, debateId: string, open: boolean, reason?: string): DebateView {
  const d = debateOf(ctx, assemblyId, debateId);
  if (!['open', 'closed'].includes(d.status)) throw new AppError('CONFLICT', `A ${d.status} debate cannot be ${open ? 'reopened' : 'closed'}.`);
  return ctx.db.transaction((tx) => {
    const row = repo.update(tx, debateId, { status: open ? 'open' : 'closed', decisionReason: open ? null : (reason ?? '').trim() || null })!;
    recordAudit(tx, { actorId: me(ctx), action: open ? 'debate.reopen' : 'debate.close', subject: debateSubject(debateId), data: {} });
    return view(ctx, row);
  });
}

/** A member supports a proposed theme, once. */
export function supportDebate(ctx: Ctx, assemblyId: string, debateId: string): DebateView {
  const d = debateOf(ctx, assemblyId, debateId);
  if (d.status !== 'proposed') throw new AppError('CONFLICT', 'Only a proposed theme can be supported.');
  return ctx.db.transaction((tx) => {
    if (!repo.addSupport(tx, debateId, me(ctx))) throw new AppError('CONFLICT', 'You already support this proposal.');
    return view(ctx, d);
  });
}

// ---------- comments ----------

function nodeFor(ctx: Ctx, hidden: Map<string, { reason: string }>) {
  const uid = actorId(ctx.actor);
  const staff = isStaff(ctx);
  return (r: CommentRow): CommentNode => {
    const mine = uid !== null && r.authorId === uid;
    const reason = r.status === 'hidden' ? (hidden.get(commentSubject(r.id))?.reason ?? '') : null;
    const showBody = r.status === 'visible' || (r.status === 'hidden' && (mine || staff));
    return {
      id: r.id, parentId: r.parentId, depth: r.depth, authorName: r.status === 'deleted' ? '' : r.authorName, mine, alignment: r.alignment,
      body: showBody ? r.body : null, status: r.status, hiddenReason: mine || staff ? reason : null, replyCount: r.replyCount, createdAt: r.createdAt,
      replies: [], more: false,
    };
  };
}

function trees(ctx: Ctx, rows: CommentRow[]): CommentNode[] {
  const hiddenSubjects = rows.filter((r) => r.status === 'hidden').map((r) => commentSubject(r.id));
  const hidden = hiddenSubjects.length ? moderation.hiddenAmong(ctx.db, hiddenSubjects) : new Map();
  const roots = buildTrees(rows, nodeFor(ctx, hidden));
  const mark = (n: CommentNode) => {
    n.more = n.replyCount > n.replies.length;
    n.replies.forEach(mark);
  };
  roots.forEach(mark);
  return roots;
}

export interface CommentPage {
  threads: CommentNode[];
  /** keyset cursor of the next page, null on the last */
  next: number | null;
}

/** A page of threads: PAGE_SIZE top-level comments after `after`, with their replies down to SHOWN_DEPTH − 1 levels. */
export function commentPage(ctx: Ctx, assemblyId: string, debateId: string, after = 0, pageSize = PAGE_SIZE): CommentPage {
  debateOf(ctx, assemblyId, debateId);
  const tops = repo.threads(ctx.db, debateId, after, pageSize + 1);
  const more = tops.length > pageSize;
  const shown = tops.slice(0, pageSize);
  // the oldest REPLIES_PER_THREAD replies of each thread (kept whole: a reply is kept only with its parent)
  const perRoot = new Map<number, number>();
  const kept = new Set(shown.map((t) => t.id));
  const replies = repo.replies(ctx.db, shown.map((t) => t.id), SHOWN_DEPTH - 1, REPLIES_PER_PAGE).filter((r) => {
    const n = perRoot.get(r.rootId!) ?? 0;
    if (n >= REPLIES_PER_THREAD || !kept.has(r.parentId!)) return false;
    perRoot.set(r.rootId!, n + 1);
    kept.add(r.id);
    return true;
  });
  return { threads: trees(ctx, [...shown, ...replies]), next: more ? shown[shown.length - 1].id : null };
}

/** One comment with its replies (the "continue this thread" page). */
export function commentThread(ctx: Ctx, assemblyId: string, debateId: string, commentId: number): { comment: CommentNode; parentId: number | null } {
  debateOf(ctx, assemblyId, debateId);
  const root = repo.comment(ctx.db, commentId);
  if (!root || root.debateId !== debateId) throw notFound('Comment', commentId);
  const rows = repo.subtree(ctx.db, root, SHOWN_DEPTH - 1, REPLIES_PER_PAGE);
  const [comment] = trees(ctx, rows);
  return { comment, parentId: root.parentId };
}

/** A comment or reply with the author's alignment. Subscribers are notified (not the author). */
export function addComment(ctx: Ctx, jobs: Jobs | null, assemblyId: string, debateId: string, input: { body: string; alignment: Alignment; parentId?: number | null }): CommentNode {
  const d = debateOf(ctx, assemblyId, debateId);
  if (d.status !== 'open') throw new AppError('CONFLICT', d.status === 'proposed' ? 'This theme is waiting for a facilitator: comments open once it is approved.' : `This debate is ${d.status}: no new comments.`);
  const body = commentBody(input.body);
  const uid = me(ctx);
  const name = nameOf(ctx, assemblyId);
  return ctx.db.transaction((tx) => {
    let parent: CommentRow | undefined;
    if (input.parentId != null) {
      parent = repo.comment(tx, input.parentId);
      if (!parent || parent.debateId !== debateId) throw notFound('Comment', input.parentId);
      if (parent.status === 'hidden') throw new AppError('CONFLICT', 'This comment was hidden by a facilitator: it cannot be replied to.');
      if (parent.status === 'deleted') throw new AppError('GONE', 'This comment was deleted by its author: it cannot be replied to.');
    }
    const row = repo.insertComment(tx, { debateId, parentId: parent?.id ?? null, rootId: parent ? (parent.rootId ?? parent.id) : null, depth: parent ? parent.depth + 1 : 0, authorId: uid, authorName: name, alignment: input.alignment, body });
    if (!parent) repo.setCommentRoot(tx, row.id);
    else repo.bumpReplies(tx, parent.id);
    repo.bumpCounts(tx, debateId, input.alignment, 1, !parent);
    subscriptionsApi.notify(
      tx,
      { assemblyId, subject: debateSubject(debateId), kind: parent ? 'debates.notify.reply' : 'debates.notify.comment', params: { author: name, debate: d.title }, url: `/a/${assemblyId}/debates/${debateId}/comments/${row.id}`, exceptUserId: uid },
      ctx.config.smtpUrl && jobs ? { jobs } : null,
    );
    recordAudit(tx, { actorId: uid, action: 'debate.comment', subject: commentSubject(row.id), data: { debateId, parentId: parent?.id ?? null, alignment: input.alignment } });
    return nodeFor(ctx, new Map())({ ...row, rootId: row.rootId ?? row.id });
  });
}

function commentOf(ctx: Ctx, assemblyId: string, debateId: string, commentId: number): CommentRow {
  debateOf(ctx, assemblyId, debateId);
  const c = repo.comment(ctx.db, commentId);
  if (!c || c.debateId !== debateId) throw notFound('Comment', commentId);
  return c;
}

/** The author deletes their comment: its text goes, the row (and the thread under it) stays. */
export function deleteComment(ctx: Ctx, assemblyId: string, debateId: string, commentId: number): void {
  const c = commentOf(ctx, assemblyId, debateId, commentId);
  if (c.authorId !== me(ctx)) throw forbidden('Only its author can delete a comment.');
  if (c.status === 'deleted') throw new AppError('GONE', 'This comment is already deleted.');
  ctx.db.transaction((tx) => {
    repo.setCommentStatus(tx, c.id, 'deleted', '');
    if (c.status === 'visible') repo.bumpCounts(tx, debateId, c.alignment, -1, c.depth === 0);
    recordAudit(tx, { actorId: me(ctx), action: 'debate.comment.delete', subject: commentSubject(c.id), data: {} });
  });
}

export function reportComment(ctx: Ctx, assemblyId: string, debateId: string, commentId: number, input: { reason: ReportReason; details?: string }): void {
  const c = commentOf(ctx, assemblyId, debateId, commentId);
  if (c.status === 'deleted') throw new AppError('GONE', 'This comment was deleted by its author.');
  if (c.authorId === me(ctx)) throw new AppError('CONFLICT', 'You cannot report your own comment; delete it instead.');
  if (!REPORT_REASONS.includes(input.reason)) throw invalid(`Choose a reason among: ${REPORT_REASONS.join(', ')}.`, [{ path: 'reason', message: 'Unknown reason' }]);
  ctx.db.transaction((tx) => moderation.report(tx, { assemblyId, subject: commentSubject(c.id), reporterId: me(ctx), reason: input.reason, details: input.details }));
}

/** A facilitator hides a comment with a reason its author sees; it no longer counts, and stays in exports marked hidden. */
export function hideComment(ctx: Ctx, assemblyId: string, debateId: string, commentId: number, reason: string): void {
  const c = commentOf(ctx, assemblyId, debateId, commentId);
  if (c.status === 'deleted') throw new AppError('GONE', 'This comment was deleted by its author.');
  ctx.db.transaction((tx) => {
    moderation.hide(tx, { assemblyId, subject: commentSubject(c.id), by: me(ctx), reason });
    repo.setCommentStatus(tx, c.id, 'hidden');
    repo.bumpCounts(tx, debateId, c.alignment, -1, c.depth === 0);
  });
}

export function unhideComment(ctx: Ctx, assemblyId: string, debateId: string, commentId: number): void {
  const c = commentOf(ctx, assemblyId, debateId, commentId);
  ctx.db.transaction((tx) => {
    moderation.unhide(tx, { subject: commentSubject(c.id), by: me(ctx) });
    repo.setCommentStatus(tx, c.id, 'visible');
    repo.bumpCounts(tx, debateId, c.alignment, 1, c.depth === 0);
  });
}

export function dismissReports(ctx: Ctx, assemblyId: string, debateId: string, commentId: number): number {
  const c = commentOf(ctx, assemblyId, debateId, commentId);
  return ctx.db.transaction((tx) => moderation.dismiss(tx, { subject: commentSubject(c.id), by: me(ctx) }));
}

/** Open reports on this assembly's debate comments, with the comment (facilitators). */
export function reportedComments(ctx: Ctx, assemblyId: string) {
  return moderation.openReports(ctx.db, assemblyId, 'debate-comment:').flatMap((g) => {
    const c = repo.comment(ctx.db, Number(g.subject.split(':')[1]));
    if (!c) return [];
    const d = repo.byId(ctx.db, c.debateId);
    return d && d.assemblyId === assemblyId ? [{ comment: { id: c.id, debateId: c.debateId, debateTitle: d.title, authorName: c.authorName, body: c.body, status: c.status, alignment: c.alignment }, reports: g.reports }] : [];
  });
}

// ---------- subscriptions ----------

export function subscribe(ctx: Ctx, assemblyId: string, debateId: string, email?: string | null): DebateView {
  const d = debateOf(ctx, assemblyId, debateId);
  if (email && !ctx.config.smtpUrl) throw invalid('This service does not send e-mail; you will get notifications here, in Plenary.', [{ path: 'email', message: 'E-mail is not configured' }]);
  ctx.db.transaction((tx) => subscriptionsApi.subscribe(tx, { userId: me(ctx), assemblyId, subject: debateSubject(debateId), email: email ?? null }));
  return view(ctx, d);
}

export function unsubscribe(ctx: Ctx, assemblyId: string, debateId: string): DebateView {
  const d = debateOf(ctx, assemblyId, debateId);
  ctx.db.transaction((tx) => subscriptionsApi.unsubscribe(tx, { userId: me(ctx), subject: debateSubject(debateId) }));
  return view(ctx, d);
}

// ---------- export ----------

export interface ExportedComment {
  id: number;
  parentId: number | null;
  depth: number;
  author: string;
  alignment: Alignment;
  status: CommentRow['status'];
  hiddenReason: string | null;
  body: string;
  createdAt: string;
}

/** Every comment, hidden ones included and marked (facilitators). Deleted comments keep their place without text. */
export function exportDebate(ctx: Ctx, assemblyId: string, debateId: string): { debate: DebateView; comments: ExportedComment[] } {
  const d = debateOf(ctx, assemblyId, debateId);
  const rows = repo.allComments(ctx.db, debateId);
  const hidden = moderation.hiddenAmong(ctx.db, rows.filter((r) => r.status === 'hidden').map((r) => commentSubject(r.id)));
  return {
    debate: view(ctx, d),
    comments: rows.map((r) => ({ id: r.id, parentId: r.parentId, depth: r.depth, author: r.authorName, alignment: r.alignment, status: r.status, hiddenReason: hidden.get(commentSubject(r.id))?.reason ?? null, body: r.body, createdAt: r.createdAt })),
  };
}

/** Which of these comments the reader already reported (the page shows “reported” instead of the form). */
export function reportedByMe(ctx: Ctx, commentIds: number[]): Set<number> {
  const uid = actorId(ctx.actor);
  if (!uid || !commentIds.length) return new Set();
  const got = moderation.reportedBy(ctx.db, commentIds.map(commentSubject), uid);
  return new Set(commentIds.filter((id) => got.has(commentSubject(id))));
}

