import { actorId, type Ctx } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { ReviewQueue, ReviewStatus } from '../../platform/review/queue.js';
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
