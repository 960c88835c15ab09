import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import * as svc from './service.js';

const Status = z.enum(['pending', 'approved', 'edited', 'rejected', 'superseded']);
export const ReviewItemSchema = z
  .object({
    id: z.string(),
    assemblyId: z.string(),
    kind: z.string(),
    subject: z.string(),
    title: z.string(),
    payload: z.unknown(),
    editedPayload: z.unknown().nullable(),
    diff: z.unknown().nullable(),
    sources: z.unknown(),
    provenance: z.unknown(),
    status: Status,
    reason: z.string().nullable(),
    reviewerId: z.string().nullable(),
    decidedAt: z.string().nullable(),
    supersededBy: z.string().nullable(),
    jobId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('ReviewItem');

const Params = z.object({ assemblyId: z.string(), itemId: z.string() });

export function reviewRoutes(deps: Deps) {
  return newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/assemblies/{assemblyId}/review',
      tags: ['review'],
      summary: 'The review queue: AI outputs awaiting a facilitator, with counts by status',
      middleware: [requireAction('review.read')] as const,
      request: {
        params: z.object({ assemblyId: z.string() }),
        query: z.object({ status: z.string().optional().describe('comma-separated statuses; default pending'), kind: z.string().optional(), limit: z.coerce.number().int().min(1).max(200).optional(), offset: z.coerce.number().int().min(0).optional() }),
      },
      responses: json(z.object({ counts: z.record(z.string(), z.number()), items: z.array(ReviewItemSchema) })),
    }),
    (c) => c.json(svc.listReview(ctxFor(deps, c.get('actor')), deps.review, c.req.valid('param').assemblyId, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/assemblies/{assemblyId}/review/{itemId}',
      tags: ['review'],
      summary: 'One item with its source material and provenance',
      middleware: [requireAction('review.read')] as const,
      request: { params: Params },
      responses: json(ReviewItemSchema),
    }),
    (c) => {
      const p = c.req.valid('param');
      return c.json(deps.review.get(deps.db, p.itemId, p.assemblyId), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/assemblies/{assemblyId}/review/{itemId}/approve',
      tags: ['review'],
      summary: 'Approve as proposed; publishes it to participants',
      middleware: [requireAction('review.decide')] as const,
      request: { params: Params },
      responses: json(ReviewItemSchema),
    }),
    (c) => {
      const p = c.req.valid('param');
      return c.json(svc.approve(ctxFor(deps, c.get('actor')), deps.review, p.assemblyId, p.itemId), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/assemblies/{assemblyId}/review/{itemId}/edit',
      tags: ['review'],
      summary: 'Publish an edited version; the diff is kept',
      middleware: [requireAction('review.decide')] as const,
      request: { params: Params, ...jsonBody(z.strictObject({ payload: z.unknown() })) },
      responses: json(ReviewItemSchema),
    }),
    (c) => {
      const p = c.req.valid('param');
      return c.json(svc.edit(ctxFor(deps, c.get('actor')), deps.review, p.assemblyId, p.itemId, c.req.valid('json').payload), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/assemblies/{assemblyId}/review/{itemId}/reject',
      tags: ['review'],
      summary: 'Reject with a reason; nothing is published',
      middleware: [requireAction('review.decide')] as const,
      request: { params: Params, ...jsonBody(z.strictObject({ reason: z.string().trim().min(1).max(2000) })) },
      responses: json(ReviewItemSchema),
    }),
    (c) => {
      const p = c.req.valid('param');
      return c.json(svc.reject(ctxFor(deps, c.get('actor')), deps.review, p.assemblyId, p.itemId, c.req.valid('json').reason), 200);
    },
  );
}
