import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../../deps.js';
import { actorId } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import { json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import type { AppEnv } from '../../platform/http/types.js';
import { completeRemote, failRemote, heartbeatRemote, leaseRemote } from '../../platform/jobs/remote.js';
import { jobView } from '../../platform/jobs/types.js';

/**
 * The job API for Node workers on other machines (`plenary worker --remote URL --token T`): lease a due job of the
 * assembly, heartbeat while it runs, then complete it with its review drafts or report a failure. The worker
 * authenticates with an API token of a facilitator of the assembly or an admin (created at /api/tokens, revocable).
 * Served by the Node service and by each assembly's Durable Object on Workers alike.
 */
const bearerOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  // names the action, as the guard's own denials do
  if (!c.req.header('authorization')) throw new AppError('UNAUTHENTICATED', 'Workers authenticate with an API token: send "Authorization: Bearer <token>".', { action: 'jobs.run' });
  await next();
};
const A = z.object({ assemblyId: z.string() });
const AJ = z.object({ assemblyId: z.string(), jobId: z.string() });
const token = z.string().min(8).max(200);
const Lease = z.object({
  job: z.object({ id: z.string(), type: z.string(), payload: z.unknown(), attempts: z.number(), maxAttempts: z.number(), assemblyId: z.string().nullable(), createdBy: z.string().nullable(), checkpoint: z.unknown() }),
  leaseToken: z.string(),
  leaseExpiresAt: z.string(),
});
const Draft = z.object({
  kind: z.string().min(1).max(100),
  subject: z.string().min(1).max(500),
  title: z.string().min(1).max(500),
  payload: z.unknown(),
  sources: z.array(z.unknown()).max(50_000).optional(),
  provenance: z.any(),
  /** the id the worker's private database gave the draft, replaced by the real one in the job's result */
  localId: z.string().max(100).optional(),
});
const JobOut = z.object({ id: z.string(), status: z.string(), attempts: z.number(), error: z.string().nullable(), result: z.unknown() });

export function remoteJobRoutes(deps: Deps) {
  const r = newRouter();
  const now = () => deps.clock().getTime();
  r.use('/assemblies/:assemblyId/worker/*', bearerOnly);

  r.openapi(
    createRoute({
      method: 'post',
      path: '/assemblies/{assemblyId}/worker/lease',
      tags: ['jobs'],
      summary: 'Lease the oldest due job of these types (204 when none is due)',
      middleware: [requireAction('jobs.run')] as const,
      request: { params: A, ...jsonBody(z.strictObject({ types: z.array(z.string().min(1)).min(1).max(100), workerId: z.string().min(1).max(100), leaseSeconds: z.number().int().min(5).max(3600).default(60) })) },
      responses: { ...json(Lease), 204: { description: 'No job is due' } },
    }),
    (c) => {
      const b = c.req.valid('json');
      const lease = leaseRemote(deps.db, { assemblyId: c.req.valid('param').assemblyId, types: b.types, workerId: b.workerId, leaseSeconds: b.leaseSeconds, now: now() });
      return lease ? c.json(lease, 200) : (c.body(null, 204) as never);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      path: '/assemblies/{assemblyId}/worker/jobs/{jobId}/heartbeat',
      tags: ['jobs'],
      summary: 'Extend a lease, report progress; says whether a cancel was requested (409 once the lease is lost)',
      middleware: [requireAction('jobs.run')] as const,
      request: { params: AJ, ...jsonBody(z.strictObject({ leaseToken: token, leaseSeconds: z.number().int().min(5).max(3600).default(60), progress: z.number().min(0).max(1).optional(), message: z.string().max(500).nullable().optional(), checkpoint: z.unknown().optional() })) },
      responses: json(z.object({ leaseExpiresAt: z.string(), cancelRequested: z.boolean() })),
    }),
    (c) => {
      const p = c.req.valid('param');
      const b = c.req.valid('json');
      return c.json(heartbeatRemote(deps.db, { ...p, ...b, now: now() }), 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      path: '/assemblies/{assemblyId}/worker/jobs/{jobId}/complete',
      tags: ['jobs'],
      summary: "Finish a leased job with its review drafts (written with the job's success in one transaction; 409 for a stale lease)",
      middleware: [requireAction('jobs.run')] as const,
      request: { params: AJ, ...jsonBody(z.strictObject({ leaseToken: token, result: z.unknown().optional(), drafts: z.array(Draft).max(1000).default([]) })) },
      responses: json(JobOut),
    }),
    (c) => {
      const p = c.req.valid('param');
      const b = c.req.valid('json');
      const row = completeRemote(deps.db, deps.review, { ...p, leaseToken: b.leaseToken, result: b.result, drafts: b.drafts as never, now: now(), actorId: actorId(c.get('actor')) });
      return c.json(jobView(row), 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      path: '/assemblies/{assemblyId}/worker/jobs/{jobId}/fail',
      tags: ['jobs'],
      summary: 'Report a failed run: transient errors are retried with backoff while attempts remain (409 for a stale lease)',
      middleware: [requireAction('jobs.run')] as const,
      request: { params: AJ, ...jsonBody(z.strictObject({ leaseToken: token, error: z.string().min(1).max(2000), transient: z.boolean().default(false) })) },
      responses: json(JobOut),
    }),
    (c) => {
      const p = c.req.valid('param');
      const b = c.req.valid('json');
      return c.json(jobView(failRemote(deps.db, { ...p, ...b, now: now() })), 200);
    },
  );
  return r;
}
