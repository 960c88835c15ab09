import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import { IMPACT_STATUSES } from './domain.js';
import * as svc from './service.js';

const A = z.object({ assemblyId: z.string() });
const R = z.object({ assemblyId: z.string(), recommendationId: z.string() });
const S = z.object({ slug: z.string() });
// presence, bounds, statuses, dates and links are checked by the service (domain.ts), which says what is wrong in fr
// and en; the schemas here only keep out wrong types and oversized bodies
const Source = z.object({ url: z.string(), title: z.string() });
const Item = z
  .object({
    recommendationId: z.string(), title: z.string(), proposal: z.string(), theme: z.string(), status: z.enum(IMPACT_STATUSES), progress: z.number().int(),
    response: z.object({ text: z.string(), date: z.string(), url: z.string().nullable() }).nullable(), updatedAt: z.string().nullable(), entries: z.number().int(),
    lastEntry: z.object({ date: z.string(), text: z.string() }).nullable(),
  })
  .openapi('ImpactItem');
const Entry = z
  .object({ id: z.string(), recommendationId: z.string(), kind: z.enum(['update', 'response']), date: z.string(), text: z.string(), status: z.enum(IMPACT_STATUSES).nullable(), progress: z.number().int().nullable(), sources: z.array(Source), createdAt: z.string() })
  .openapi('ImpactEntry');

export function impactRoutes(deps: Deps) {
  const ctx = (c: { get(k: 'actor'): Parameters<typeof ctxFor>[1] }) => ctxFor(deps, c.get('actor'));
  const route = <T extends Parameters<typeof createRoute>[0]>(r: T) => createRoute({ tags: ['impact'], ...r });
  const manage = requireAction('impact.manage');
  return newRouter()
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/impact', summary: 'What became of each final recommendation (staff)', middleware: [requireAction('assembly.read')] as const, request: { params: A }, responses: json(z.array(Item)) }),
      (c) => c.json(svc.listImpact(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/impact/{recommendationId}', summary: 'A recommendation’s impact and timeline (staff)', middleware: [requireAction('assembly.read')] as const, request: { params: R }, responses: json(z.object({ item: Item, timeline: z.array(Entry) })) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.impactOf(ctx(c), p.assemblyId, p.recommendationId), 200);
      },
    )
    .openapi(
      route({
        method: 'put', path: '/assemblies/{assemblyId}/impact/{recommendationId}/response', summary: 'Record the decision-maker’s response (text, date it was given, link)', middleware: [manage] as const,
        request: { params: R, ...jsonBody(z.strictObject({ text: z.string().max(100_000).optional(), date: z.string().max(40).optional(), url: z.string().max(4000).nullable().optional() })) }, responses: json(Entry),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.setResponse(ctx(c), p.assemblyId, p.recommendationId, c.req.valid('json')), 200);
      },
    )
    .openapi(
      route({
        method: 'post', path: '/assemblies/{assemblyId}/impact/{recommendationId}/entries', summary: 'Add a dated timeline entry with its sources; may move the status and progress', middleware: [manage] as const,
        request: { params: R, ...jsonBody(z.strictObject({ date: z.string().max(40).optional(), text: z.string().max(100_000).optional(), sources: z.array(z.string().max(4000)).max(100).optional(), status: z.string().max(40).optional(), progress: z.number().optional() })) },
        responses: created(Entry),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.addEntry(ctx(c), p.assemblyId, p.recommendationId, c.req.valid('json')), 201);
      },
    )
    .openapi(
      route({ method: 'put', path: '/assemblies/{assemblyId}/impact/{recommendationId}/theme', summary: 'Set the theme the public page filters by', middleware: [manage] as const, request: { params: R, ...jsonBody(z.strictObject({ theme: z.string().max(1000) })) }, responses: json(z.object({ theme: z.string() })) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.setTheme(ctx(c), p.assemblyId, p.recommendationId, c.req.valid('json').theme), 200);
      },
    )
    .openapi(
      route({
        method: 'get', path: '/public/assemblies/{slug}/impact', tags: ['public'], summary: 'Public: what became of the recommendations, filtered by status and theme', middleware: [requireAction('public.read')] as const,
        request: { params: S, query: z.object({ status: z.string().max(40).optional(), theme: z.string().max(200).optional() }) },
        responses: json(z.object({ assembly: z.object({ id: z.string(), slug: z.string(), title: z.string(), createdAt: z.string() }), filters: z.object({ status: z.string().nullable(), theme: z.string().nullable() }), themes: z.array(z.string()), items: z.array(Item), total: z.number() })),
      }),
      (c) => c.json(svc.publicImpact(ctx(c), c.req.valid('param').slug, c.req.valid('query')), 200),
    );
}
