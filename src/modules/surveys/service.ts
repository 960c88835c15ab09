import type { Ctx } from '../../platform/context.js';
import { actorId } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { checkQuestions, opinionChange, validateAnswers, type Answer, type Question, type QuestionChange } from './domain.js';
import { surveysRepo, type SurveyRow } from './repo.js';

export interface SurveyView {
  id: string;
  assemblyId: string;
  title: string;
  phase: 'pre' | 'post';
  questions: Question[];
  /** for a participant: whether they have answered */
  answered: boolean | null;
}

const view = (ctx: Ctx, s: SurveyRow): SurveyView => ({
  id: s.id,
  assemblyId: s.assemblyId,
  title: s.title,
  phase: s.phase,
  questions: s.questions,
  answered: ctx.actor.kind === 'user' && ctx.actor.role === 'participant' ? surveysRepo.answered(ctx.db, s.id, ctx.actor.id) : null,
});

function load(ctx: Ctx, assemblyId: string, id: string): SurveyRow {
  const s = surveysRepo.get(ctx.db, assemblyId, id);
  if (!s) throw notFound('Survey', id);
  return s;
}

export function createSurvey(ctx: Ctx, assemblyId: string, input: { title: string; phase: 'pre' | 'post'; questions: Question[] }): SurveyView {
  checkQuestions(input.questions);
  const row = ctx.db.transaction((tx) => {
    const r = surveysRepo.insert(tx, { id: newId('srv_'), assemblyId, title: input.title.trim(), phase: input.phase, questions: input.questions, createdBy: actorId(ctx.actor) });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'surveys.create', subject: r.id, data: { phase: r.phase, questions: r.questions.length } });
    return r;
  });
  return view(ctx, row);
}

export const listSurveys = (ctx: Ctx, assemblyId: string) => surveysRepo.list(ctx.db, assemblyId).map((s) => view(ctx, s));
export const getSurvey = (ctx: Ctx, assemblyId: string, id: string) => view(ctx, load(ctx, assemblyId, id));

/** A member answers once; a second answer is refused. */
export function answerSurvey(ctx: Ctx, assemblyId: string, id: string, raw: Record<string, unknown>): { answered: true } {
  if (ctx.actor.kind !== 'user' || ctx.actor.role !== 'participant') throw forbidden('Only members of the assembly answer surveys.');
  const uid = ctx.actor.id;
  const s = load(ctx, assemblyId, id);
  if (s.closedAt) throw conflict('This survey is closed.');
  const answers = validateAnswers(s.questions, raw);
  if (Object.keys(answers).length === 0) throw invalid('Answer at least one question.');
  ctx.db.transaction((tx) => {
    if (surveysRepo.answered(tx, id, uid)) throw conflict('You have already answered this survey; each member answers once.');
    surveysRepo.insertResponse(tx, id, uid, answers);
  });
  return { answered: true };
}

/** Opinion change between a pre and a post survey, in aggregate only (groups under MIN_GROUP withheld). */
export function surveyChange(ctx: Ctx, assemblyId: string, preId: string, postId: string): { pre: string; post: string; respondentsBoth: number; questions: QuestionChange[] } {
  const pre = load(ctx, assemblyId, preId);
  const post = load(ctx, assemblyId, postId);
  if (pre.phase !== 'pre' || post.phase !== 'post') throw invalid('Compare a "pre" survey with a "post" survey.');
  const postBy = new Map(surveysRepo.responses(ctx.db, postId).map((r) => [r.userId, r.answers as Record<string, Answer>]));
  const pairs = surveysRepo.responses(ctx.db, preId).flatMap((r) => (postBy.has(r.userId) ? [{ pre: r.answers as Record<string, Answer>, post: postBy.get(r.userId)! }] : []));
  return { pre: preId, post: postId, respondentsBoth: pairs.length, questions: opinionChange(pre.questions, post.questions, pairs) };
}
