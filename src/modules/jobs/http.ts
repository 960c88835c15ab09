import { createRoute, z } from '@hono/zod-openapi';
import { actorId } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Deps } from '../../deps.js';
import { notFound } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import { json, newRouter } from '../../platform/http/openapi.js';
import { jobView } from '../../platform/jobs/types.js';
import { remoteJobRoutes } from './remote-http.js';

const Job = z
  .object({
    id: z.string(),
    type: z.string(),
    assemblyId: z.string().nullable(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
    progress: z.number(),
    message: z.string().nullable(),
    attempts: z.number(),
    maxAttempts: z.number(),
    runAfter: z.string().nullable(),
    cancelRequested: z.boolean(),
    result: z.unknown(),
    error: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Job');

const Params = z.object({ assemblyId: z.string(), jobId: z.string() });

export function jobRoutes(deps: Deps) {
  const r = newRouter();
  const find = (assemblyId: string, jobId: string) => {
    const row = deps.jobs.get(jobId);
    if (!row || row.assemblyId !== assemblyId) throw notFound('Job', jobId);
    return row;
  };

  r.openapi(
    createRoute({
      method: 'get',
      path: '/assemblies/{assemblyId}/jobs',
      tags: ['jobs'],
      summary: 'Analysis jobs of an assembly, newest first',
      middleware: [requireAction('jobs.read')] as const,
      request: { params: z.object({ assemblyId: z.string() }), query: z.object({ status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']).optional(), limit: z.coerce.number().int().min(1).max(500).optional() }) },
      responses: json(z.array(Job)),
    }),
    (c) => {
      const q = c.req.valid('query');
      return c.json(deps.jobs.list({ assemblyId: c.req.valid('param').assemblyId, status: q.status, limit: q.limit }).map(jobView), 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      path: '/assemblies/{assemblyId}/jobs/events',
      tags: ['jobs'],
      summary: 'Server-Sent Events: progress of every job of the assembly',
      middleware: [requireAction('jobs.read')] as const,
      request: { params: z.object({ assemblyId: z.string() }) },
      responses: { 200: { description: 'text/event-stream of job events' } },
    }),
    (c) => deps.jobs.sseResponse(c, { assemblyId: c.req.valid('param').assemblyId }) as never,
  );

  r.openapi(
    createRoute({
      method: 'get',
      path: '/assemblies/{assemblyId}/jobs/{jobId}',
      tags: ['jobs'],
      summary: 'One job with its progress',
      middleware: [requireAction('jobs.read')] as const,
      request: { params: Params },
      responses: json(Job),
    }),
    (c) => {
      const p = c.req.valid('param');
      return c.json(jobView(find(p.assemblyId, p.jobId)), 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      path: '/assemblies/{assemblyId}/jobs/{jobId}/events',
      tags: ['jobs'],
      summary: 'Server-Sent Events: progress of one job until it ends',
      middleware: [requireAction('jobs.read')] as const,
      request: { params: Params },
      responses: { 200: { description: 'text/event-stream of job events' } },
    }),
    (c) => {
      const p = c.req.valid('param');
      find(p.assemblyId, p.jobId);
      return deps.jobs.sseResponse(c, { jobId: p.jobId }) as never;
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      path: '/assemblies/{assemblyId}/jobs/{jobId}/cancel',
      tags: ['jobs'],
      summary: 'Cancel a queued or running job',
      middleware: [requireAction('jobs.cancel')] as const,
      request: { params: Params },
      responses: json(Job),
    }),
    (c) => {
      const p = c.req.valid('param');
      find(p.assemblyId, p.jobId);
      const who = actorId(c.get('actor'));
      const row = deps.jobs.cancel(p.jobId, who);
      deps.db.transaction((tx) => recordAudit(tx, { actorId: who, action: 'job.cancel', subject: `job:${p.jobId}`, data: { type: row.type, status: row.status } }));
      return c.json(jobView(row), 200);
    },
  );
  r.route('/', remoteJobRoutes(deps)); // the job API for Node workers on other machines
  return r;
}
