import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import { translator } from '../../web/i18n.js';
import * as svc from './service.js';

const A = z.object({ assemblyId: z.string() });
const NotificationSchema = z
  .object({ id: z.number(), subject: z.string(), kind: z.string(), message: z.string(), url: z.string(), read: z.boolean(), createdAt: z.string() })
  .openapi('Notification');

/** A member's in-app notifications (from whatever they follow: debates, recommendations, texts). */
export function notificationRoutes(deps: Deps) {
  const ctx = (c: { get(k: 'actor'): Parameters<typeof ctxFor>[1] }) => ctxFor(deps, c.get('actor'));
  return newRouter()
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/notifications', tags: ['notifications'], summary: 'My notifications in this assembly, newest first',
        middleware: [requireAction('participant.read')] as const, request: { params: A, query: z.object({ before: z.coerce.number().int().positive().optional() }) },
        responses: json(z.object({ unread: z.number(), items: z.array(NotificationSchema) })),
      }),
      (c) => {
        const t = translator(c.get('lang'));
        return c.json(svc.myNotifications(ctx(c), c.req.valid('param').assemblyId, t, c.req.valid('query').before), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/notifications/read', tags: ['notifications'], summary: 'Mark notifications read (all when no ids are given)',
        middleware: [requireAction('deliberation.write')] as const, request: { params: A, ...jsonBody(z.strictObject({ ids: z.array(z.number().int()).max(500).optional() })) },
        responses: json(z.object({ marked: z.number() })),
      }),
      (c) => c.json({ marked: svc.markRead(ctx(c), c.req.valid('param').assemblyId, c.req.valid('json').ids) }, 200),
    );
}
