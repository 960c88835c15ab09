import { z } from 'zod';
import { invalid } from '../../platform/errors.js';

export const ALIGNMENTS = ['in_favour', 'against', 'neutral'] as const;
export type Alignment = (typeof ALIGNMENTS)[number];

/** Limits, said in the error messages. */
export const COMMENT_MAX = 5000;
export const TITLE_MIN = 5;
export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 4000;
/** top-level threads per page */
export const PAGE_SIZE = 20;
/** reply levels shown under a thread on the debate page; deeper replies are one click away ("continue this thread") */
export const SHOWN_DEPTH = 4;
/** replies read per page of threads at most (a very busy thread continues on its own page) */
export const REPLIES_PER_PAGE = 400;
/** replies shown under each thread on the debate page (the oldest; the rest are on the thread's own page) */
export const REPLIES_PER_THREAD = 6;

export const COMMENT_SUBJECT = 'debate-comment';
export const commentSubject = (id: number) => `${COMMENT_SUBJECT}:${id}`;
export const debateSubject = (id: string) => `debate:${id}`;

/** Text from a person: trimmed, line endings normalised, control characters other than newlines and tabs removed. */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
}

/** A comment's text, or a VALIDATION error that says the limit. HTML is kept as typed and always rendered escaped. */
export function commentBody(raw: string): string {
  const s = cleanText(raw);
  if (!s) throw invalid('A comment cannot be empty.', [{ path: 'body', message: 'Required' }]);
  if (s.length > COMMENT_MAX) throw invalid(`A comment can be at most ${COMMENT_MAX.toLocaleString('en')} characters; this one has ${s.length.toLocaleString('en')}.`, [{ path: 'body', message: `At most ${COMMENT_MAX} characters` }]);
  return s;
}

export function debateTitle(raw: string): string {
  const s = cleanText(raw).replace(/\s+/g, ' ');
  if (s.length < TITLE_MIN) throw invalid(`A debate's title needs at least ${TITLE_MIN} characters.`, [{ path: 'title', message: `At least ${TITLE_MIN} characters` }]);
  if (s.length > TITLE_MAX) throw invalid(`A debate's title can be at most ${TITLE_MAX} characters; this one has ${s.length}.`, [{ path: 'title', message: `At most ${TITLE_MAX} characters` }]);
  return s;
}

export function debateDescription(raw: string | undefined): string {
  const s = cleanText(raw ?? '');
  if (s.length > DESCRIPTION_MAX) throw invalid(`A debate's description can be at most ${DESCRIPTION_MAX} characters; this one has ${s.length}.`, [{ path: 'description', message: `At most ${DESCRIPTION_MAX} characters` }]);
  return s;
}

export interface CommentNode {
  id: number;
  parentId: number | null;
  depth: number;
  authorName: string;
  /** only for the author themselves and staff: whether the reader wrote it */
  mine: boolean;
  alignment: Alignment;
  /** null when hidden (for readers other than the author and staff) or deleted */
  body: string | null;
  status: 'visible' | 'hidden' | 'deleted';
  /** shown to the author (and staff) of a hidden comment */
  hiddenReason: string | null;
  replyCount: number;
  createdAt: string;
  replies: CommentNode[];
  /** replies exist below the shown depth: read them on the comment's own page */
  more: boolean;
}

/** Builds the reply trees from flat rows ordered by id; rows whose parent is absent become roots. */
export function buildTrees<T extends { id: number; parentId: number | null }>(rows: T[], node: (r: T) => CommentNode): CommentNode[] {
  const byId = new Map<number, CommentNode>();
  const roots: CommentNode[] = [];
  for (const r of rows) {
    const n = node(r);
    byId.set(r.id, n);
    const parent = r.parentId == null ? undefined : byId.get(r.parentId);
    if (parent) parent.replies.push(n);
    else roots.push(n);
  }
  return roots;
}

export const SummaryPoint = z.strictObject({ text: z.string().trim().min(1).max(2000), sourceIds: z.array(z.string()).min(1), side: z.enum(ALIGNMENTS).optional() });

/**
 * A machine-made summary of a discussion, awaiting review: every sentence cites the comments it comes from, plus
 * points of agreement and of disagreement (each citing comments too).
 */
export const DiscussionSummaryPayload = z.strictObject({
  title: z.string().trim().min(1).max(300),
  language: z.string().min(2).max(8),
  subject: z.string().min(1),
  sentences: z.array(SummaryPoint).min(1).max(50),
  agreement: z.array(SummaryPoint).max(20).default([]),
  disagreement: z.array(SummaryPoint).max(20).default([]),
});
export type DiscussionSummaryPayload = z.infer<typeof DiscussionSummaryPayload>;
export const DISCUSSION_SUMMARY_KIND = 'discussion-summary';
export const SUMMARIZE_DISCUSSION_JOB = 'debates.summarize';
