import type { Child } from 'hono/jsx';
import type { z } from 'zod';
import type { Ctx } from '../context.js';
import type { DbOrTx, Tx } from '../db/client.js';

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
  /**
   * optional: how the review desk (src/modules/review/pages.tsx) shows and edits this kind. Kinds without it get the
   * desk's generic reading (headings, lists and tables built from the payload; never JSON text).
   */
  desk?: DeskHook<P>;
}

/** What a kind's desk hooks receive besides the payload. */
export interface DeskContext {
  /** the reader's language and the site's translator (the module's own i18n keys included) */
  lang: 'fr' | 'en';
  t: (key: string, vars?: Record<string, string | number>) => string;
  /** read-only access, to look up what a payload refers to (the cited contributions' text, a recording …) */
  db: DbOrTx;
  /** the reviewer's service context, for act() */
  ctx: Ctx;
  item: { id: string; assemblyId: string; kind: string; subject: string; title: string; status: string; sources: unknown; provenance: unknown };
  /** the CSRF token, for a hook that renders its own forms (actions) */
  csrf: string;
  /** a prefix for element ids, unique on the page (the desk renders a payload twice when it compares versions) */
  idPrefix: string;
  /** where actions() forms post: `${actionBase}/<action name>` */
  actionBase: string;
  /** when the desk re-shows a rejected edit: what was posted, so editForm() can keep the reviewer's words */
  posted?: DeskForm;
}

/** A posted form: each field's values in order (repeated fields and checkboxes give several). */
export type DeskForm = Record<string, string[]>;

/**
 * A review kind's part of the one review desk. Every render returns hono/jsx markup, as a participant would see it.
 * Never raw JSON: the desk has no JSON anywhere.
 */
export interface DeskHook<P> {
  /** the desk's heading, in the reader's language, for kinds whose stored title is machine-made text */
  title?(payload: P, ctx: DeskContext): string;
  /** one line: what it is (e.g. "Opinion map of “Transport”: 42 participants in 3 groups") */
  summary?(payload: P, ctx: DeskContext): string;
  /** the output as the participant will see it */
  render(payload: P, ctx: DeskContext): Child;
  /** the fields of the edit form (the desk adds the <form>, CSRF field and the "publish edited" button) */
  editForm?(payload: P, ctx: DeskContext): Child;
  /**
   * the edited payload from the posted edit form. Throw AppError('VALIDATION', a sentence a person understands) on bad
   * input: the desk re-shows the form with the message and nothing is written. The queue then validates the payload
   * against `payload` and keeps the diff, as for the API's edit.
   */
  parseEdit?(form: DeskForm, payload: P, ctx: DeskContext): P;
  /**
   * optional further actions beside the edit form: <form>s posting to `{ctx.actionBase}/<name>` (merge, split …),
   * which the desk hands to act().
   */
  actions?(payload: P, ctx: DeskContext): Child;
  /**
   * runs a posted action; returns the review item to show next (e.g. the new pending draft a revision made). Throw
   * AppError on bad input: the desk re-shows the page with the message.
   */
  act?(action: string, form: DeskForm, payload: P, ctx: DeskContext): Promise<{ itemId?: string } | void> | { itemId?: string } | void;
  /** what changed from the previous approved version to this draft (shown side by side); default: both renders */
  compare?(previous: P, draft: P, ctx: DeskContext): Child;
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
  /**
   * Gives a registered kind its review-desk hook (for kinds whose module wires its desk at registration rather than in
   * the kind itself). Unknown kinds and a second desk fail loudly.
   */
  attachDesk(kind: string, desk: DeskHook<any>): this {
    const k = this.kinds.get(kind);
    if (!k) throw new Error(`review desk for unknown kind '${kind}'`);
    if (k.desk) throw new Error(`review kind '${kind}' has a desk already`);
    this.kinds.set(kind, { ...k, desk });
    return this;
  }
  list(): ReviewKind<unknown>[] {
    return [...this.kinds.values()];
  }
}
