/**
 * Learning (materials by phase, per-member progress, learning tasks whose submissions facilitators pick to share)
 * and expert Q&A (members ask and support questions; facilitators select a fair slate and record answers).
 * Members never see who asked or supported a question.
 */
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { AppError, conflict, invalid, notFound, saying } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { calendarRepo } from './calendar-repo.js';
import { learningRepo as repo } from './learning-repo.js';
import type { MATERIAL_KINDS } from './schema.js';
import { fairSlate, SLATE_RULE } from './slate.js';

const by = (ctx: Ctx) => actorId(ctx.actor);
function me(ctx: Ctx): string {
  const id = by(ctx);
  if (!id) throw saying(new AppError('UNAUTHENTICATED', 'Sign in first.'), 'deliberation.err.learning1');
  return id;
}
function assemblyOf(db: DbOrTx, assemblyId: string) {
  const a = assembliesRepo.byId(db, assemblyId);
  if (!a) throw saying(notFound('Assembly', assemblyId), 'deliberation.err.notFound.assembly', { id: assemblyId });
  return a;
}
function checkPhase(db: DbOrTx, assemblyId: string, phaseId: string | null | undefined) {
  if (phaseId && calendarRepo.phase(db, phaseId)?.assemblyId !== assemblyId) throw saying(invalid(`Phase '${phaseId}' does not exist in this assembly.`, [{ path: 'phaseId', message: 'Unknown phase' }]), 'deliberation.err.learning2', { v1: phaseId });
}
const httpUrl = (v: string | null | undefined, path: string) => {
  if (v && !/^https?:\/\/\S+$/i.test(v)) throw saying(invalid(`'${v}' is not a web link (http:// or https://).`, [{ path, message: 'Not a web link' }]), 'deliberation.err.learning3', { v1: v });
  return v ?? null;
};

// ---------------------------------------------------------------------------------------------------------
// Materials and progress

export interface MaterialInput {
  kind: (typeof MATERIAL_KINDS)[number];
  title: string;
  url: string;
  captionsUrl?: string | null;
  transcript?: string | null;
  language: string;
  minutes?: number | null;
  phaseId?: string | null;
}

export function createMaterial(ctx: Ctx, assemblyId: string, input: MaterialInput) {
  const a = assemblyOf(ctx.db, assemblyId);
  checkPhase(ctx.db, assemblyId, input.phaseId);
  httpUrl(input.url, 'url');
  httpUrl(input.captionsUrl, 'captionsUrl');
  if (!a.languages.includes(input.language)) throw saying(invalid(`'${input.language}' is not one of this assembly's languages (${a.languages.join(', ')}).`, [{ path: 'language', message: 'Not an assembly language' }]), 'deliberation.err.learning4', { v1: input.language, v2: a.languages.join(', ') });
  if (input.kind === 'video' && !input.captionsUrl && !input.transcript?.trim()) throw saying(invalid('A video needs captions or a transcript, so that everyone can follow it.', [{ path: 'transcript', message: 'Captions or transcript required' }]), 'deliberation.err.learning5');
  return ctx.db.transaction((tx) => {
    const m = repo.insertMaterial(tx, { id: newId('mat_'), assemblyId, phaseId: input.phaseId ?? null, kind: input.kind, title: input.title.trim(), url: input.url, captionsUrl: input.captionsUrl ?? null, transcript: input.transcript?.trim() || null, language: input.language, minutes: input.minutes ?? null, createdBy: by(ctx) });
    recordAudit(tx, { actorId: by(ctx), action: 'deliberation.material.create', subject: `material:${m.id}`, data: { assemblyId, kind: m.kind } });
    return m;
  });
}

/** Materials by phase order, each with the signed-in member's progress. */
export function listMaterials(ctx: Ctx, assemblyId: string) {
  assemblyOf(ctx.db, assemblyId);
  const mine = by(ctx);
  const materials = repo.materials(ctx.db, assemblyId);
  const progress = repo.progress(ctx.db, materials.map((m) => m.id));
  const phases = new Map(calendarRepo.phases(ctx.db, assemblyId).map((p, i) => [p.id, { i, p }]));
  return materials
    .map((m) => {
      const p = progress.find((x) => x.materialId === m.id && x.userId === mine);
      return { ...m, phase: m.phaseId ? (phases.get(m.phaseId)?.p.title ?? null) : null, phaseOrder: m.phaseId ? (phases.get(m.phaseId)?.i ?? 99) : 99, opened: !!p, finished: !!p?.finishedAt };
    })
    .sort((a, b) => a.phaseOrder - b.phaseOrder);
}

export function materialOf(ctx: Ctx, assemblyId: string, materialId: string) {
  const m = repo.material(ctx.db, materialId);
  if (!m || m.assemblyId !== assemblyId) throw saying(notFound('Material', materialId), 'deliberation.err.notFound.material', { id: materialId });
  return m;
}

/** Records that the member opened (or finished) a material; finishing implies opening. */
export function recordProgress(ctx: Ctx, assemblyId: string, materialId: string, state: 'opened' | 'finished') {
  const m = materialOf(ctx, assemblyId, materialId);
  const user = me(ctx);
  const now = ctx.clock().toISOString();
  const existing = repo.progressOf(ctx.db, m.id, user);
  ctx.db.transaction((tx) => repo.upsertProgress(tx, { materialId: m.id, userId: user, openedAt: existing?.openedAt ?? now, finishedAt: state === 'finished' ? (existing?.finishedAt ?? now) : (existing?.finishedAt ?? null) }));
  return { materialId: m.id, opened: true, finished: state === 'finished' || !!existing?.finishedAt };
}

/** Facilitators: how many members opened and finished each material. */
export function progressReport(ctx: Ctx, assemblyId: string) {
  const members = calendarRepo.memberIds(ctx.db, assemblyId).length;
  const materials = repo.materials(ctx.db, assemblyId);
  const progress = repo.progress(ctx.db, materials.map((m) => m.id));
  return materials.map((m) => ({ materialId: m.id, title: m.title, members, opened: progress.filter((p) => p.materialId === m.id).length, finished: progress.filter((p) => p.materialId === m.id && p.finishedAt).length }));
}

// ---------------------------------------------------------------------------------------------------------
// Learning tasks

export function createTask(ctx: Ctx, assemblyId: string, input: { prompt: string; phaseId?: string | null }) {
  assemblyOf(ctx.db, assemblyId);
  checkPhase(ctx.db, assemblyId, input.phaseId);
  return ctx.db.transaction((tx) => repo.insertTask(tx, { id: newId('task_'), assemblyId, phaseId: input.phaseId ?? null, prompt: input.prompt.trim() }));
}

function taskOf(db: DbOrTx, assemblyId: string, taskId: string) {
  const t = repo.task(db, taskId);
  if (!t || t.assemblyId !== assemblyId) throw saying(notFound('Learning task', taskId), 'deliberation.err.notFound.learningtask', { id: taskId });
  return t;
}

export function submit(ctx: Ctx, assemblyId: string, taskId: string, text: string) {
  const t = taskOf(ctx.db, assemblyId, taskId);
  const user = me(ctx);
  if (repo.submissionOf(ctx.db, t.id, user)) throw saying(conflict('You have already answered this task.'), 'deliberation.err.learning6');
  return ctx.db.transaction((tx) => {
    const s = repo.insertSubmission(tx, { id: newId('sub_'), taskId: t.id, userId: user, text: text.trim() });
    return { id: s.id, taskId: t.id, text: s.text };
  });
}

/** Members: tasks with their own answer and the answers picked to share (without names). */
export function listTasks(ctx: Ctx, assemblyId: string, staff: boolean) {
  assemblyOf(ctx.db, assemblyId);
  const user = by(ctx);
  const tasks = repo.tasks(ctx.db, assemblyId);
  const subs = repo.submissions(ctx.db, tasks.map((t) => t.id));
  return tasks.map((t) => ({
    id: t.id,
    prompt: t.prompt,
    phaseId: t.phaseId,
    mine: subs.find((s) => s.taskId === t.id && s.userId === user)?.text ?? null,
    shared: subs.filter((s) => s.taskId === t.id && s.sharedAt).map((s) => ({ id: s.id, text: s.text })),
    ...(staff ? { submissions: subs.filter((s) => s.taskId === t.id).map((s) => ({ id: s.id, text: s.text, shared: !!s.sharedAt })) } : {}),
  }));
}

export function shareSubmission(ctx: Ctx, assemblyId: string, submissionId: string, shared: boolean) {
  const s = repo.submission(ctx.db, submissionId);
  if (!s || taskOf(ctx.db, assemblyId, s.taskId).assemblyId !== assemblyId) throw saying(notFound('Submission', submissionId), 'deliberation.err.notFound.submission', { id: submissionId });
  ctx.db.transaction((tx) => {
    repo.shareSubmission(tx, s.id, shared ? by(ctx) : null, shared ? ctx.clock().toISOString() : null);
    recordAudit(tx, { actorId: by(ctx), action: 'deliberation.submission.share', subject: `submission:${s.id}`, data: { shared } });
  });
  return { id: s.id, shared };
}

// ---------------------------------------------------------------------------------------------------------
// Expert Q&A

export function ask(ctx: Ctx, assemblyId: string, text: string) {
  assemblyOf(ctx.db, assemblyId);
  const user = me(ctx);
  const q = ctx.db.transaction((tx) => repo.insertQuestion(tx, { id: newId('q_'), assemblyId, userId: user, text: text.trim() }));
  return { id: q.id, text: q.text, status: q.status };
}

function questionOf(db: DbOrTx, assemblyId: string, id: string) {
  const q = repo.question(db, id);
  if (!q || q.assemblyId !== assemblyId) throw saying(notFound('Question', id), 'deliberation.err.notFound.question', { id: id });
  return q;
}

export function support(ctx: Ctx, assemblyId: string, questionId: string) {
  const q = questionOf(ctx.db, assemblyId, questionId);
  const user = me(ctx);
  if (q.userId === user) throw saying(conflict('You asked this question; support other members’ questions.'), 'deliberation.err.learning7');
  const added = ctx.db.transaction((tx) => repo.addSupport(tx, q.id, user));
  if (!added) throw saying(conflict('You already support this question.'), 'deliberation.err.learning8');
  return { questionId: q.id, supports: repo.supports(ctx.db, [q.id]).length };
}

/** Questions with support counts (no names); `supportedByMe` and `mine` for the signed-in member. */
export function listQuestions(ctx: Ctx, assemblyId: string) {
  assemblyOf(ctx.db, assemblyId);
  const user = by(ctx);
  const qs = repo.questions(ctx.db, assemblyId);
  const sup = repo.supports(ctx.db, qs.map((q) => q.id));
  return qs.map((q) => ({
    id: q.id,
    text: q.text,
    status: q.status,
    answer: q.answer,
    answerUrl: q.answerUrl,
    supports: sup.filter((s) => s.questionId === q.id).length,
    supportedByMe: sup.some((s) => s.questionId === q.id && s.userId === user),
    mine: q.userId === user,
    createdAt: q.createdAt,
  }));
}

/** The fair slate over open questions (the asker's latest breakout group decides the group); `apply` selects them. */
export function slate(ctx: Ctx, assemblyId: string, size: number, apply: boolean) {
  assemblyOf(ctx.db, assemblyId);
  const groups = repo.latestGroups(ctx.db, assemblyId);
  const open = repo.questions(ctx.db, assemblyId).filter((q) => q.status === 'open');
  const sup = repo.supports(ctx.db, open.map((q) => q.id));
  const result = fairSlate(open.map((q) => ({ id: q.id, group: groups.get(q.userId) ?? null, supports: sup.filter((s) => s.questionId === q.id).length, createdAt: q.createdAt })), size);
  if (apply && result.selected.length) {
    const at = ctx.clock().toISOString();
    ctx.db.transaction((tx) => {
      for (const id of result.selected) repo.updateQuestion(tx, id, { status: 'selected', selectedAt: at });
      recordAudit(tx, { actorId: by(ctx), action: 'deliberation.questions.slate', subject: `assembly:${assemblyId}`, data: { selected: result.selected, rule: SLATE_RULE } });
    });
  }
  const text = new Map(open.map((q) => [q.id, q.text]));
  return { rule: SLATE_RULE, size, applied: apply, selected: result.selected.map((id) => ({ id, text: text.get(id) ?? '', group: groups.get(open.find((q) => q.id === id)!.userId) ?? null })), groups: result.groups };
}

export function answer(ctx: Ctx, assemblyId: string, questionId: string, input: { answer?: string | null; answerUrl?: string | null }) {
  const q = questionOf(ctx.db, assemblyId, questionId);
  if (!input.answer?.trim() && !input.answerUrl) throw saying(invalid('Give the answer as text or as a link.', [{ path: 'answer', message: 'Answer or link required' }]), 'deliberation.err.learning9');
  httpUrl(input.answerUrl, 'answerUrl');
  ctx.db.transaction((tx) => {
    repo.updateQuestion(tx, q.id, { status: 'answered', answer: input.answer?.trim() || null, answerUrl: input.answerUrl ?? null, answeredAt: ctx.clock().toISOString() });
    recordAudit(tx, { actorId: by(ctx), action: 'deliberation.question.answer', subject: `question:${q.id}`, data: {} });
  });
  return listQuestions(ctx, assemblyId).find((x) => x.id === q.id)!;
}
