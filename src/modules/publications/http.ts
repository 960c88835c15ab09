import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { json, newRouter } from '../../platform/http/openapi.js';
import { listPublications, pendingTranslations } from './service.js';

export const SentenceOriginSchema = z
  .enum(['original', 'machine-reviewed', 'machine-post-edited', 'human', 'untranslated'])
  .openapi({ description: 'original: the author’s words as written; machine-reviewed / machine-post-edited: a machine translation a facilitator approved (as is / corrected); human: a person’s translation; untranslated: still in another language (no approved translation yet)' });

/** A sentence as a reader gets it: in its own language, labelled by how it got there. */
export const ReaderSentenceSchema = z.object({ text: z.string(), sourceIds: z.array(z.string()), language: z.string(), origin: SentenceOriginSchema });

export const Publication = z
  .object({
    id: z.string(),
    kind: z.string(),
    subject: z.string(),
    language: z.string(),
    title: z.string(),
    titleLanguage: z.string(),
    titleOrigin: SentenceOriginSchema,
    sentences: z.array(ReaderSentenceSchema),
    machineTranslated: z.boolean(),
    translationPending: z.boolean().openapi({ description: 'a machine translation into the reader’s language is being drafted or awaits a facilitator’s review' }),
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
      const ctx = ctxFor(deps, actor);
      const assemblyId = c.req.valid('param').assemblyId;
      return c.json(listPublications(ctx, assemblyId, lang, lang ? { pending: pendingTranslations(ctx, deps.review, deps.jobs, assemblyId, lang) } : {}), 200);
    },
  );
}
