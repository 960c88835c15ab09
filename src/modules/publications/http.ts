import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { json, newRouter } from '../../platform/http/openapi.js';
import { listPublications } from './service.js';

export const Publication = z
  .object({
    id: z.string(),
    kind: z.string(),
    subject: z.string(),
    language: z.string(),
    title: z.string(),
    sentences: z.array(z.object({ text: z.string(), sourceIds: z.array(z.string()) })),
    machineTranslated: z.boolean(),
    postEdited: z.boolean(),
    publishedAt: z.string(),
  })
  .openapi('Publication');

export function publicationRoutes(deps: Deps) {
  return newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/assemblies/{assemblyId}/publications',
      tags: ['participants'],
      summary: 'Reviewed and approved texts, in the reader’s language where a reviewed translation exists',
      middleware: [requireAction('participant.read')] as const,
      request: { params: z.object({ assemblyId: z.string() }), query: z.object({ lang: z.enum(['fr', 'en']).optional() }) },
      responses: json(z.array(Publication)),
    }),
    (c) => {
      const actor = c.get('actor');
      const lang = c.req.valid('query').lang ?? (actor.kind === 'user' ? actor.language : undefined);
      return c.json(listPublications(ctxFor(deps, actor), c.req.valid('param').assemblyId, lang), 200);
    },
  );
}
