import { and, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { createTwoFilesPatch } from 'diff';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.js';
import type { Db, DbOrTx, Tx } from '../db/client.js';
import { reviewItems } from '../db/schema.js';
import { AppError, invalid, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { ReviewRegistry } from './registry.js';

export type ReviewStatus = 'pending' | 'approved' | 'edited' | 'rejected' | 'superseded';
export type ReviewItem = typeof reviewItems.$inferSelect;

export const ProvenanceSchema = z
  .object({
    stage: z.string(),
    version: z.string(),
    modelIds: z.array(z.string()).default([]),
    weightsSha256: z.array(z.string().nullable()).default([]),
    params: z.record(z.string(), z.unknown()).default({}),
    seed: z.number().nullable().default(null),
    inputHash: z.string(),
  })
  .passthrough();
export type ItemProvenance = z.input<typeof ProvenanceSchema>;

export interface SubmitInput {
  assemblyId: string;
  kind: string;
  subject: string;
  title: string;
  payload: unknown;
  sources?: unknown[];
  provenance: ItemProvenance;
  jobId?: string | null;
}

function zodErrors(e: z.ZodError) {
  return e.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

/**
 * The one review queue for every AI output. A submitted item is a draft; participant-visible tables are written
 * only by the kind's publish(), called from approve/edit.
 */
export class ReviewQueue {
  constructor(private readonly kinds: ReviewRegistry) {}

  /** Submit a draft. Pending or approved items of the same kind and subject are superseded by it. Call inside the producing transaction. */
  submit(tx: Tx, input: SubmitInput): ReviewItem {
    const kind = this.kinds.get(input.kind);
    if (!kind) throw new AppError('INTERNAL', `Unknown review kind '${input.kind}'.`);
    const parsed = kind.payload.safeParse(input.payload);
    if (!parsed.success) throw invalid(`The ${kind.label} produced is not valid.`, zodErrors(parsed.error));
    const provenance = ProvenanceSchema.safeParse(input.provenance);
    if (!provenance.success) throw invalid('Every AI output needs its provenance.', zodErrors(provenance.error));
    if (input.jobId) {
      const existing = tx
        .select()
        .from(reviewItems)
        .where(and(eq(reviewItems.jobId, input.jobId), eq(reviewItems.kind, input.kind), eq(reviewItems.subject, input.subject)))
        .get();
      if (existing) return existing; // the job re-ran after a crash: submit once
    }
    const id = newId('ri_');
    const older = tx
      .select({ id: reviewItems.id, status: reviewItems.status })
      .from(reviewItems)
      .where(and(eq(reviewItems.kind, input.kind), eq(reviewItems.subject, input.subject), eq(reviewItems.status, 'pending')))
      .all();
    if (older.length) {
      tx.update(reviewItems)
        .set({ status: 'superseded', supersededBy: id, decidedAt: new Date().toISOString() })
        .where(inArray(reviewItems.id, older.map((o) => o.id)))
        .run();
    }
    const values = {
      id,
      assemblyId: input.assemblyId,
      kind: input.kind,
      subject: input.subject,
      title: input.title,
      payload: parsed.data as object,
      sources: input.sources ?? [],
      provenance: provenance.data,
      jobId: input.jobId ?? null,
    };
    // only the columns the database fills in come back: reading the payload back would parse it again (an opinion
    // map of 100,000 participants is megabytes of JSON)
    const filled = tx.insert(reviewItems).values(values).returning({ status: reviewItems.status, createdAt: reviewItems.createdAt }).get();
    const row: ReviewItem = { ...values, ...filled, editedPayload: null, diff: null, reason: null, reviewerId: null, decidedAt: null, supersededBy: null };
    recordAudit(tx, { actorId: null, action: 'review.submit', subject: `review:${id}`, data: { kind: input.kind, subject: input.subject, superseded: older.map((o) => o.id) } });
    return row;
  }

  get(db: DbOrTx, id: string, assemblyId?: string): ReviewItem {
    const row = db.select().from(reviewItems).where(eq(reviewItems.id, id)).get();
    if (!row || (assemblyId && row.assemblyId !== assemblyId)) throw notFound('Review item', id);
    return row;
  }

  list(db: DbOrTx, f: { assemblyId: string; status?: ReviewStatus[]; kind?: string; limit?: number; offset?: number }) {
    const where: SQL[] = [eq(reviewItems.assemblyId, f.assemblyId)];
    if (f.status?.length) where.push(inArray(reviewItems.status, f.status));
    if (f.kind) where.push(eq(reviewItems.kind, f.kind));
    const items = db
      .select()
      .from(reviewItems)
      .where(and(...where))
      .orderBy(desc(reviewItems.createdAt), desc(reviewItems.id))
      .limit(Math.min(f.limit ?? 50, 200))
      .offset(f.offset ?? 0)
      .all();
    return items;
  }

  counts(db: DbOrTx, assemblyId: string): Record<ReviewStatus, number> {
    const rows = db
      .select({ status: reviewItems.status, n: count() })
      .from(reviewItems)
      .where(eq(reviewItems.assemblyId, assemblyId))
      .groupBy(reviewItems.status)
      .all();
    const out: Record<ReviewStatus, number> = { pending: 0, approved: 0, edited: 0, rejected: 0, superseded: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  private decide(db: Db, id: string, assemblyId: string, reviewerId: string, fn: (tx: Tx, item: ReviewItem) => Partial<ReviewItem>, action: string, auditData: Record<string, unknown> = {}): ReviewItem {
    return db.transaction((tx) => {
      const item = this.get(tx, id, assemblyId);
      if (item.status !== 'pending') {
        throw new AppError('CONFLICT', `This item is already ${item.status}; only pending items can be decided.`, { currentStatus: item.status });
      }
      const patch = fn(tx, item);
      const updated = tx
        .update(reviewItems)
        .set({ ...patch, reviewerId, decidedAt: new Date().toISOString() })
        .where(and(eq(reviewItems.id, id), eq(reviewItems.status, 'pending')))
        .returning()
        .get();
      if (!updated) throw new AppError('CONFLICT', 'This item was decided by someone else a moment ago.');
      recordAudit(tx, { actorId: reviewerId, action, subject: `review:${id}`, data: { kind: item.kind, subject: item.subject, ...auditData } });
      return updated;
    });
  }

  approve(db: Db, id: string, assemblyId: string, reviewerId: string): ReviewItem {
    return this.decide(
      db,
      id,
      assemblyId,
      reviewerId,
      (tx, item) => {
        const kind = this.kindOf(item);
        kind.publish(tx, { item, payload: kind.payload.parse(item.payload), reviewerId, machine: true });
        this.retireOlder(tx, item);
        return { status: 'approved' };
      },
      'review.approve',
    );
  }

  edit(db: Db, id: string, assemblyId: string, reviewerId: string, edited: unknown): ReviewItem {
    return this.decide(
      db,
      id,
      assemblyId,
      reviewerId,
      (tx, item) => {
        const kind = this.kindOf(item);
        const parsed = kind.payload.safeParse(edited);
        if (!parsed.success) throw invalid(`The edited ${kind.label} is not valid.`, zodErrors(parsed.error));
        const diff = createTwoFilesPatch('proposed', 'edited', pretty(item.payload), pretty(parsed.data), '', '', { context: 2 });
        kind.publish(tx, { item, payload: parsed.data, reviewerId, machine: false });
        this.retireOlder(tx, item);
        return { status: 'edited', editedPayload: parsed.data as object, diff };
      },
      'review.edit',
    );
  }

  reject(db: Db, id: string, assemblyId: string, reviewerId: string, reason: string): ReviewItem {
    if (!reason.trim()) throw invalid('Say why the item is rejected.', [{ path: 'reason', message: 'Required' }]);
    return this.decide(db, id, assemblyId, reviewerId, () => ({ status: 'rejected', reason }), 'review.reject', { reason });
  }

  /** Pending drafts of these kinds whose subject starts with `prefix` (for a producer retiring its own moot drafts). */
  pendingWithPrefix(db: DbOrTx, assemblyId: string, kinds: string[], prefix: string): ReviewItem[] {
    return db
      .select()
      .from(reviewItems)
      .where(and(eq(reviewItems.assemblyId, assemblyId), inArray(reviewItems.kind, kinds), eq(reviewItems.status, 'pending'), sql`substr(${reviewItems.subject}, 1, ${prefix.length}) = ${prefix}`))
      .all();
  }

  /**
   * Retire pending drafts that a newer approved output made moot (e.g. summaries of an older map run once a newer
   * map is approved): they become 'superseded' by `byId` and can no longer be approved. Only pending items change.
   * Call inside the approving transaction. Returns the ids retired (audited).
   */
  supersedePending(tx: Tx, ids: string[], byId: string): string[] {
    if (!ids.length) return [];
    const pending = tx
      .update(reviewItems)
      .set({ status: 'superseded', supersededBy: byId, decidedAt: new Date().toISOString() })
      .where(and(inArray(reviewItems.id, ids), eq(reviewItems.status, 'pending')))
      .returning({ id: reviewItems.id })
      .all()
      .map((r) => r.id);
    if (!pending.length) return [];
    recordAudit(tx, { actorId: null, action: 'review.supersede', subject: `review:${byId}`, data: { superseded: pending } });
    return pending;
  }

  /** an approved newer run replaces the older approved one of the same kind and subject */
  private retireOlder(tx: Tx, item: ReviewItem): void {
    tx.update(reviewItems)
      .set({ status: 'superseded', supersededBy: item.id })
      .where(and(eq(reviewItems.kind, item.kind), eq(reviewItems.subject, item.subject), inArray(reviewItems.status, ['approved', 'edited'])))
      .run();
  }

  private kindOf(item: ReviewItem) {
    const kind = this.kinds.get(item.kind);
    if (!kind) throw new AppError('INTERNAL', `No publisher is registered for '${item.kind}'.`);
    return kind;
  }
}

function pretty(v: unknown): string {
  return JSON.stringify(v, null, 2) + '\n';
}
