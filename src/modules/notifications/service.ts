import { actorId, type Ctx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { subscriptionsApi } from '../../platform/subscriptions/index.js';
import type { T } from '../../web/i18n.js';

function me(ctx: Ctx): string {
  const id = actorId(ctx.actor);
  if (!id) throw new AppError('UNAUTHENTICATED', 'Sign in to read your notifications.');
  return id;
}

/** A notification's message in the reader's language (the kind is a catalogue key, params fill it). */
export const message = (t: T, n: { kind: string; params: Record<string, string | number> }) => t(n.kind, n.params);

export function myNotifications(ctx: Ctx, assemblyId: string, t: T, before?: number) {
  const uid = me(ctx);
  const rows = subscriptionsApi.list(ctx.db, uid, assemblyId, { before, limit: 50 });
  return {
    unread: subscriptionsApi.unread(ctx.db, uid, assemblyId),
    items: rows.map((n) => ({ id: n.id, subject: n.subject, kind: n.kind, message: message(t, n), url: n.url, read: n.readAt !== null, createdAt: n.createdAt })),
  };
}

export function markRead(ctx: Ctx, assemblyId: string, ids?: number[]): number {
  const uid = me(ctx);
  return ctx.db.transaction((tx) => subscriptionsApi.markRead(tx, uid, assemblyId, ids));
}
