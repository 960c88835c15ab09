import type { Ctx } from '../../platform/context.js';
import { actorId } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { localised } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { checkQuestions, opinionChange, validateAnswers, type Answer, type Question, type QuestionChange } from './domain.js';
import { surveysRepo, type SurveyRow } from './repo.js';

/**
 * Surveys: verbs. A survey is a draft (members do not see it) until a facilitator opens it; a member answers an open
 * survey once (no change afterwards); a closed survey takes no more answers. Researchers and facilitators read
 * opinion change in aggregate only (surveyChange), never a member's answers.
 */
export type SurveyStatus = 'draft' | 'open' | 'closed';

export interface SurveyView {
  id: string;
  assemblyId: string;
  title: string;
  phase: 'pre' | 'post';
  questions: Question[];
  status: SurveyStatus;
  openedAt: string | null;
  closedAt: string | null;
  /** for a participant: whether they have answered */
  answered: boolean | null;
}

const isMember = (ctx: Ctx) => ctx.actor.kind === 'user' && ctx.actor.role === 'participant';
export const statusOf = (s: Pick<SurveyRow, 'openedAt' | 'closedAt'>): SurveyStatus => (s.closedAt ? 'closed' : s.openedAt ? 'open' : 'draft');

const view = (ctx: Ctx, s: SurveyRow): SurveyView => ({
  id: s.id,
  assemblyId: s.assemblyId,
  title: s.title,
  phase: s.phase,
  questions: s.questions,
  status: statusOf(s),
  openedAt: s.openedAt,
  closedAt: s.closedAt,
  answered: ctx.actor.kind === 'user' && ctx.actor.role === 'participant' ? surveysRepo.answered(ctx.db, s.id, ctx.actor.id) : null,
});

function load(ctx: Ctx, assemblyId: string, id: string): SurveyRow {
  const s = surveysRepo.get(ctx.db, assemblyId, id);
  // members do not see drafts
  if (!s || (isMember(ctx) && statusOf(s) === 'draft')) throw localised('NOT_FOUND', `Survey '${id}' does not exist.`, 'surveys.err.notFound');
  return s;
}

/** Creates a survey; `open` (default true, as the API always did) opens it to answers at once. */
export function createSurvey(ctx: Ctx, assemblyId: string, input: { title: string; phase: 'pre' | 'post'; questions: Question[]; open?: boolean }): SurveyView {
  checkQuestions(input.questions);
  const openedAt = input.open === false ? null : ctx.clock().toISOString();
  const row = ctx.db.transaction((tx) => {
    const r = surveysRepo.insert(tx, { id: newId('srv_'), assemblyId, title: input.title.trim(), phase: input.phase, questions: input.questions, openedAt, createdBy: actorId(ctx.actor) });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'surveys.create', subject: r.id, data: { phase: r.phase, questions: r.questions.length, open: openedAt !== null } });
    return r;
  });
  return view(ctx, row);
}

export const listSurveys = (ctx: Ctx, assemblyId: string) =>
  surveysRepo
    .list(ctx.db, assemblyId)
    .filter((s) => !isMember(ctx) || statusOf(s) !== 'draft')
    .map((s) => view(ctx, s));
export const getSurvey = (ctx: Ctx, assemblyId: string, id: string) => view(ctx, load(ctx, assemblyId, id));
export const answerCount = (ctx: Ctx, id: string) => surveysRepo.responseCount(ctx.db, id);

/** Opens a draft to answers, or closes an open survey. */
export function setSurveyStatus(ctx: Ctx, assemblyId: string, id: string, to: 'open' | 'closed'): SurveyView {
  const s = load(ctx, assemblyId, id);
  const now = ctx.clock().toISOString();
  const from = statusOf(s);
  if (to === 'open' && from !== 'draft') throw localised('CONFLICT', from === 'open' ? 'This survey is already open.' : 'This survey is closed; it cannot be opened again.', from === 'open' ? 'surveys.err.alreadyOpen' : 'surveys.err.reopen');
  if (to === 'closed' && from === 'closed') throw localised('CONFLICT', 'This survey is already closed.', 'surveys.err.alreadyClosed');
  const row = ctx.db.transaction((tx) => {
    const r = surveysRepo.update(tx, id, to === 'open' ? { openedAt: now } : { closedAt: now, openedAt: s.openedAt ?? now });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: `surveys.${to === 'open' ? 'open' : 'close'}`, subject: id, data: { at: now } });
    return r;
  });
  return view(ctx, row);
}

/** A member answers once; a second answer is refused. */
export function answerSurvey(ctx: Ctx, assemblyId: string, id: string, raw: Record<string, unknown>): { answered: true } {
  if (!isMember(ctx) || ctx.actor.kind !== 'user') throw localised('FORBIDDEN', 'Only members of the assembly answer surveys.', 'surveys.err.membersOnly');
  const uid = ctx.actor.id;
  const s = load(ctx, assemblyId, id);
  if (statusOf(s) === 'closed') throw localised('CONFLICT', 'This survey is closed.', 'surveys.err.closed');
  const answers = validateAnswers(s.questions, raw);
  if (Object.keys(answers).length === 0) throw localised('VALIDATION', 'Answer at least one question.', 'surveys.err.empty');
  ctx.db.transaction((tx) => {
    if (surveysRepo.answered(tx, id, uid)) throw localised('CONFLICT', 'You have already answered this survey. Each member answers once, and answers cannot be changed afterwards.', 'surveys.err.answered');
    surveysRepo.insertResponse(tx, id, uid, answers);
  });
  return { answered: true };
}

export interface SurveyChange {
  pre: string;
  post: string;
  respondentsBoth: number;
  questions: QuestionChange[];
}

/** Opinion change between a pre and a post survey, in aggregate only (groups under MIN_GROUP withheld). */
export function surveyChange(ctx: Ctx, assemblyId: string, preId: string, postId: string): SurveyChange {
  const pre = load(ctx, assemblyId, preId);
  const post = load(ctx, assemblyId, postId);
  if (pre.phase !== 'pre' || post.phase !== 'post') throw localised('VALIDATION', 'Compare a "pre" survey with a "post" survey.', 'surveys.err.prePost');
  const postBy = new Map(surveysRepo.responses(ctx.db, postId).map((r) => [r.userId, r.answers as Record<string, Answer>]));
  const pairs = surveysRepo.responses(ctx.db, preId).flatMap((r) => (postBy.has(r.userId) ? [{ pre: r.answers as Record<string, Answer>, post: postBy.get(r.userId)! }] : []));
  return { pre: preId, post: postId, respondentsBoth: pairs.length, questions: opinionChange(pre.questions, post.questions, pairs) };
}
