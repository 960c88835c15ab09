import { recordAudit } from '../../platform/audit/audit.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { versioning, type DiffPart } from '../../platform/versions/index.js';
import { attachedDebate, isStaff, me, nameOf } from '../debates/service.js';
import { cleanFields, EDITABLE, FIELDS, recSubject, TRANSITIONS, type Field, type Status } from './domain.js';
import { recommendationsRepo as repo, type RecommendationRow } from './repo.js';

export type RecommendationView = Omit<RecommendationRow, 'createdBy'>;

const fieldsOf = (r: RecommendationRow) => Object.fromEntries(FIELDS.map((f) => [f, r[f]])) as Record<Field, string>;
const view = ({ createdBy: _c, ...r }: RecommendationRow): RecommendationView => r;

export function recommendationOf(ctx: Pick<Ctx, 'db'>, assemblyId: string, id: string): RecommendationRow {
  const r = repo.byId(ctx.db, id);
  if (!r || r.assemblyId !== assemblyId) throw notFound('Recommendation', id);
  return r;
}

/** A group or working party starts a recommendation (version 1), with its attached comment space. */
export function createRecommendation(ctx: Ctx, assemblyId: string, input: { drafterKind: 'group' | 'working_party'; drafterName: string; groupId?: string | null } & Partial<Record<Field, string>>): RecommendationView {
  const fields = cleanFields(input);
  if (!fields.title) throw invalid('A recommendation needs a title.', [{ path: 'title', message: 'Required' }]);
  const drafter = input.drafterName.trim();
  if (drafter.length < 2 || drafter.length > 120) throw invalid('Name the group or working party drafting it (2 to 120 characters).', [{ path: 'drafterName', message: '2–120 characters' }]);
  const author = nameOf(ctx, assemblyId);
  return ctx.db.transaction((tx) => {
    const id = newId('rec_');
    const debate = attachedDebate(tx, ctx, assemblyId, recSubject(id), fields.title!);
    const row = repo.insert(tx, { id, assemblyId, drafterKind: input.drafterKind, drafterName: drafter, groupId: input.groupId ?? null, title: fields.title!, ...fields, debateId: debate.id, createdBy: me(ctx) });
    versioning.record(tx, { subject: recSubject(id), fields: fieldsOf(row), authorId: me(ctx), authorName: author, note: 'created' });
    recordAudit(tx, { actorId: me(ctx), action: 'recommendation.create', subject: recSubject(id), data: { assemblyId } });
    return view(row);
  });
}

export const listRecommendations = (ctx: Ctx, assemblyId: string) => repo.forAssembly(ctx.db, assemblyId).map(view);
export const getRecommendation = (ctx: Ctx, assemblyId: string, id: string) => view(recommendationOf(ctx, assemblyId, id));

/**
 * Edits some fields, from the version the editor started from (`baseVersion`): if someone saved since, CONFLICT
 * (nothing lost: the editor reloads and reapplies). Only in draft or under discussion.
 */
export function editRecommendation(ctx: Ctx, assemblyId: string, id: string, input: { baseVersion: number } & Partial<Record<Field, string>>): RecommendationView {
  const current = recommendationOf(ctx, assemblyId, id);
  if (!EDITABLE.includes(current.status)) throw new AppError('CONFLICT', `A ${current.status.replace(/_/g, ' ')} recommendation can no longer be edited.`);
  const patch = cleanFields(input);
  const author = nameOf(ctx, assemblyId);
  return ctx.db.transaction((tx) => {
    const { row: v, created } = versioning.record(tx, { subject: recSubject(id), fields: patch as Record<string, string>, authorId: me(ctx), authorName: author, expectVersion: input.baseVersion });
    if (!created) return view(current);
    const row = repo.update(tx, id, { ...patch, version: v.version, updatedAt: v.createdAt })!;
    recordAudit(tx, { actorId: me(ctx), action: 'recommendation.edit', subject: recSubject(id), data: { version: v.version, changed: v.changed } });
    return view(row);
  });
}

/** Moves the recommendation along its lifecycle (facilitators). */
export function setStatus(ctx: Ctx, assemblyId: string, id: string, status: Status): RecommendationView {
  const current = recommendationOf(ctx, assemblyId, id);
  if (!isStaff(ctx)) throw new AppError('FORBIDDEN', 'Only facilitators change the status of a recommendation.');
  if (!TRANSITIONS[current.status].includes(status)) throw new AppError('CONFLICT', `A recommendation cannot go from ${current.status} to ${status}${TRANSITIONS[current.status].length ? ` (possible: ${TRANSITIONS[current.status].join(', ')})` : ''}.`);
  return ctx.db.transaction((tx) => {
    const row = repo.update(tx, id, { status, updatedAt: new Date().toISOString() })!;
    recordAudit(tx, { actorId: me(ctx), action: 'recommendation.status', subject: recSubject(id), data: { from: current.status, to: status } });
    return view(row);
  });
}

export interface VersionView {
  version: number;
  author: string;
  createdAt: string;
  changed: string[];
  note: string | null;
}

export function history(ctx: Ctx, assemblyId: string, id: string): VersionView[] {
  recommendationOf(ctx, assemblyId, id);
  return versioning.history(ctx.db, recSubject(id)).map((v) => ({ version: v.version, author: v.authorName, createdAt: v.createdAt, changed: v.changed, note: v.note }));
}

/** Word diffs per changed field between two versions (from < to; from = 0 compares with nothing). */
export function diffVersions(ctx: Ctx, assemblyId: string, id: string, from: number, to: number): Record<string, DiffPart[]> {
  const r = recommendationOf(ctx, assemblyId, id);
  if (from < 0 || to < 1 || to > r.version || from >= to) throw invalid(`Compare two versions between 0 and ${r.version}, the older first.`, [{ path: 'from', message: 'Invalid range' }]);
  return versioning.diff(ctx.db, recSubject(id), from, to);
}

