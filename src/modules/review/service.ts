import { actorId, type Ctx } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { ReviewItem, ReviewQueue, ReviewStatus } from '../../platform/review/queue.js';
import { assembliesRepo } from '../assemblies/repo.js';

const STATUSES: ReviewStatus[] = ['pending', 'approved', 'edited', 'rejected', 'superseded'];

function reviewer(ctx: Ctx): string {
  const id = actorId(ctx.actor);
  if (!id) throw new AppError('UNAUTHENTICATED', 'Sign in to review.');
  return id;
}

function assertAssembly(ctx: Ctx, assemblyId: string) {
  if (!assembliesRepo.byId(ctx.db, assemblyId)) throw notFound('Assembly', assemblyId);
}

export function listReview(ctx: Ctx, q: ReviewQueue, assemblyId: string, f: { status?: string; kind?: string; limit?: number; offset?: number }) {
  assertAssembly(ctx, assemblyId);
  const status = (f.status ?? 'pending').split(',').map((s) => s.trim()).filter(Boolean);
  const bad = status.filter((s) => !STATUSES.includes(s as ReviewStatus));
  if (bad.length) throw new AppError('VALIDATION', `Unknown status ${bad.map((b) => `'${b}'`).join(', ')}; use ${STATUSES.join(', ')}.`, { errors: [{ path: 'status', message: 'Unknown status' }] });
  return { counts: q.counts(ctx.db, assemblyId), items: q.list(ctx.db, { assemblyId, status: status as ReviewStatus[], kind: f.kind, limit: f.limit, offset: f.offset }) };
}

export const approve = (ctx: Ctx, q: ReviewQueue, assemblyId: string, id: string) => q.approve(ctx.db, id, assemblyId, reviewer(ctx));
export const edit = (ctx: Ctx, q: ReviewQueue, assemblyId: string, id: string, payload: unknown) => q.edit(ctx.db, id, assemblyId, reviewer(ctx), payload);
export const reject = (ctx: Ctx, q: ReviewQueue, assemblyId: string, id: string, reason: string) => q.reject(ctx.db, id, assemblyId, reviewer(ctx), reason);

/**
 * What the desk shows beside an item: the approved version a pending draft would replace (or, for a decided item,
 * the approved one it replaced), and the draft that replaced it when it was superseded.
 */
export function deskNeighbours(ctx: Ctx, q: ReviewQueue, item: ReviewItem): { previous: ReviewItem | null; newer: ReviewItem | null } {
  const same = q.list(ctx.db, { assemblyId: item.assemblyId, kind: item.kind, limit: 200 }).filter((i) => i.subject === item.subject && i.id !== item.id);
  const decided = (i: ReviewItem) => i.reviewerId !== null && (i.status === 'approved' || i.status === 'edited' || (i.status === 'superseded' && i.supersededBy === item.id));
  const older = same.filter((i) => i.createdAt <= item.createdAt && decided(i));
  const previous = item.status === 'pending' ? (same.find((i) => i.status === 'approved' || i.status === 'edited') ?? null) : (older[0] ?? null);
  const newer = item.supersededBy ? (same.find((i) => i.id === item.supersededBy) ?? null) : null;
  return { previous, newer };
}
