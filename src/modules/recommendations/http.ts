import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import { FIELDS, STATUSES } from './domain.js';
import * as svc from './service.js';

const A = z.object({ assemblyId: z.string() });
const R = z.object({ assemblyId: z.string(), recommendationId: z.string() });
const Text = z.string().max(100_000);
const fieldShape = Object.fromEntries(FIELDS.map((f) => [f, Text.optional()])) as Record<(typeof FIELDS)[number], z.ZodOptional<typeof Text>>;

const RecommendationSchema = z
  .object({
    id: z.string(), assemblyId: z.string(), drafterKind: z.enum(['group', 'working_party']), drafterName: z.string(), groupId: z.string().nullable(), status: z.enum(STATUSES),
    ...Object.fromEntries(FIELDS.map((f) => [f, z.string()])), version: z.number(), debateId: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
  })
  .openapi('Recommendation');
const Diff = z.record(z.string(), z.array(z.object({ op: z.enum(['same', 'added', 'removed']), text: z.string() })));

export function recommendationRoutes(deps: Deps) {
  const ctx = (c: { get(k: 'actor'): Parameters<typeof ctxFor>[1] }) => ctxFor(deps, c.get('actor'));
  const route = <T extends Parameters<typeof createRoute>[0]>(r: T) => createRoute({ tags: ['recommendations'], ...r });
  return newRouter()
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/recommendations', summary: 'Recommendations of an assembly (current text of every field)', middleware: [requireAction('participant.read')] as const, request: { params: A }, responses: json(z.array(RecommendationSchema)) }),
      (c) => c.json(svc.listRecommendations(ctx(c), c.req.valid('param').assemblyId) as never, 200),
    )
    .openapi(
      route({
        method: 'post', path: '/assemblies/{assemblyId}/recommendations', summary: 'Start a recommendation (a group or a working party)', middleware: [requireAction('deliberation.write')] as const,
        request: { params: A, ...jsonBody(z.strictObject({ drafterKind: z.enum(['group', 'working_party']), drafterName: z.string().max(500), groupId: z.string().max(100).nullable().optional(), ...fieldShape })) },
        responses: created(RecommendationSchema),
      }),
      (c) => c.json(svc.createRecommendation(ctx(c), c.req.valid('param').assemblyId, c.req.valid('json')) as never, 201),
    )
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/recommendations/{recommendationId}', summary: 'A recommendation', middleware: [requireAction('participant.read')] as const, request: { params: R }, responses: json(RecommendationSchema) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.getRecommendation(ctx(c), p.assemblyId, p.recommendationId) as never, 200);
      },
    )
    .openapi(
      route({
        method: 'patch', path: '/assemblies/{assemblyId}/recommendations/{recommendationId}', summary: 'Edit fields from a base version (409 when someone saved since)', middleware: [requireAction('deliberation.write')] as const,
        request: { params: R, ...jsonBody(z.strictObject({ baseVersion: z.number().int().min(1), ...fieldShape })) }, responses: json(RecommendationSchema),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.editRecommendation(ctx(c), p.assemblyId, p.recommendationId, c.req.valid('json')) as never, 200);
      },
    )
    .openapi(
      route({ method: 'post', path: '/assemblies/{assemblyId}/recommendations/{recommendationId}/status', summary: 'Move along draft → under discussion → final → put to the vote (facilitators)', middleware: [requireAction('deliberation.moderate')] as const, request: { params: R, ...jsonBody(z.strictObject({ status: z.enum(STATUSES) })) }, responses: json(RecommendationSchema) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.setStatus(ctx(c), p.assemblyId, p.recommendationId, c.req.valid('json').status) as never, 200);
      },
    )
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/recommendations/{recommendationId}/versions', summary: 'Every version: author (pseudonym), time, changed fields', middleware: [requireAction('participant.read')] as const, request: { params: R }, responses: json(z.array(z.object({ version: z.number(), author: z.string(), createdAt: z.string(), changed: z.array(z.string()), note: z.string().nullable() }))) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.history(ctx(c), p.assemblyId, p.recommendationId), 200);
      },
    )
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/recommendations/{recommendationId}/diff', summary: 'Word diffs per field between two versions', middleware: [requireAction('participant.read')] as const, request: { params: R, query: z.object({ from: z.coerce.number().int(), to: z.coerce.number().int() }) }, responses: json(Diff) }),
      (c) => {
        const p = c.req.valid('param');
        const q = c.req.valid('query');
        return c.json(svc.diffVersions(ctx(c), p.assemblyId, p.recommendationId, q.from, q.to), 200);
      },
    );
}
