import type { z } from 'zod';
import type { Tx } from '../db/client.js';

/** What publish() receives: the decided item and the payload to publish (edited when edited). */
export interface PublishInput<P> {
  item: { id: string; assemblyId: string; kind: string; subject: string; title: string; provenance: unknown; sources: unknown; jobId: string | null };
  payload: P;
  reviewerId: string;
  machine: boolean;
}

export interface ReviewKind<P = unknown> {
  kind: string;
  /** a human label for the dashboard */
  label: string;
  payload: z.ZodType<P>;
  /**
   * Writes the approved output into participant-visible tables. Runs inside the decision's transaction: if it
   * throws, nothing is approved. This is the ONLY path by which AI output reaches participants.
   */
  publish(tx: Tx, input: PublishInput<P>): void;
  /** optional: undo a publication when a newer run supersedes an approved item */
  unpublish?(tx: Tx, itemId: string): void;
}

/** kind → {payload schema, publish}. Modules register their kinds when the app is built. */
export class ReviewRegistry {
  private kinds = new Map<string, ReviewKind<any>>();
  register<P>(k: ReviewKind<P>): this {
    if (this.kinds.has(k.kind)) throw new Error(`review kind '${k.kind}' registered twice`);
    this.kinds.set(k.kind, k);
    return this;
  }
  get(kind: string): ReviewKind<unknown> | undefined {
    return this.kinds.get(kind);
  }
  list(): ReviewKind<unknown>[] {
    return [...this.kinds.values()];
  }
}
