import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { json, jsonBody, newRouter, problemResponses } from '../../platform/http/openapi.js';
import { jobView } from '../../platform/jobs/types.js';
import * as alloc from './allocations.js';
import { speakingReport } from './speaking.js';

const AS = z.object({ assemblyId: z.string(), sessionId: z.string() });
const AA = z.object({ assemblyId: z.string(), allocationId: z.string() });
const A = z.object({ assemblyId: z.string() });
const JobRef = z.object({ id: z.string(), type: z.string(), status: z.string(), progress: z.number() }).passthrough().openapi('AllocationJob');

const Figures = z.object({ repeatedPairs: z.number(), meanDistinctMet: z.number(), maxFeatureDeviation: z.number(), featureDeviation: z.record(z.string(), z.number()) }).openapi('AllocationFigures');
const Allocation = z
  .object({
    id: z.string(),
    sessionId: z.string(),
    status: z.enum(['draft', 'published', 'discarded']),
    groupSize: z.number(),
    features: z.array(z.string()),
    seed: z.string(),
    figures: Figures,
    random: Figures,
    groups: z.array(z.object({ index: z.number(), name: z.string(), roomUrl: z.string().nullable(), members: z.array(z.object({ memberId: z.string(), pseudonym: z.string() }).passthrough()) }).passthrough()),
  })
  .passthrough()
  .openapi('BreakoutAllocation');
const MyGroup = z
  .object({
    session: z.object({ id: z.string(), title: z.string(), startsAt: z.string().nullable() }).passthrough(),
    group: z.object({ id: z.string(), name: z.string() }),
    role: z.enum(['member', 'facilitator']),
    members: z.array(z.string()),
    facilitators: z.array(z.string()),
    room: z.object({ state: z.enum(['unscheduled', 'early', 'open', 'over']), url: z.string().nullable() }).nullable(),
  })
  .openapi('MyBreakoutGroup');

const AllocateBody = z.strictObject({
  groupSize: z.number().int().min(2).max(50).default(8),
  minGroupSize: z.number().int().min(1).max(50).optional(),
  features: z.array(z.string().min(1).max(100)).max(20).default([]),
  seed: z.string().min(1).max(200).optional(),
  memberIds: z.array(z.string()).max(10_000).optional(),
  facilitatorIds: z.array(z.string()).max(2_000).optional(),
});

export function deliberationRoutes(deps: Deps) {
  const manage = requireAction('breakouts.manage');
  const ctx = (c: { get(k: 'actor'): Parameters<typeof ctxFor>[1]; get(k: 'logger'): Parameters<typeof ctxFor>[2] }) => ctxFor(deps, c.get('actor'), c.get('logger'));
  return newRouter()
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/deliberation/sessions/{sessionId}/allocations', tags: ['deliberation'], summary: 'Allocations proposed for a breakout session (drafts, published, discarded)', middleware: [manage] as const, request: { params: AS }, responses: json(z.array(z.object({ id: z.string(), status: z.string() }).passthrough())) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(alloc.sessionAllocations(ctx(c), p.assemblyId, p.sessionId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/deliberation/sessions/{sessionId}/allocations', tags: ['deliberation'],
        summary: 'Allocate the members (default: every member of the assembly) into groups with a lead and a co-facilitator each, balancing the chosen features and avoiding pairs who met in earlier sessions. The search runs as a job (202 with the job; progress on the jobs stream); it writes a draft, listed under the session’s allocations. An impossible request is refused at once and says which constraint fails and by how much (422 with `constraint` and `shortBy`); a second request while one runs is 409.',
        middleware: [manage] as const, request: { params: AS, ...jsonBody(AllocateBody) }, responses: { 202: { description: 'Queued', content: { 'application/json': { schema: JobRef } } }, ...problemResponses },
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(jobView(alloc.requestAllocation(ctx(c), deps.jobs, p.assemblyId, p.sessionId, c.req.valid('json'))), 202);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/deliberation/allocations/{allocationId}', tags: ['deliberation'], summary: 'An allocation with its groups and figures (beside a random allocation with the same seed)', middleware: [manage] as const, request: { params: AA }, responses: json(Allocation) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(alloc.allocationView(ctx(c), p.assemblyId, p.allocationId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/deliberation/allocations/{allocationId}/moves', tags: ['deliberation'], summary: 'Move a member to another group of a draft (toGroup = the group index, 0-based); the figures are recomputed', middleware: [manage] as const,
        request: { params: AA, ...jsonBody(z.strictObject({ memberId: z.string().min(1), toGroup: z.number().int().min(0) })) }, responses: json(Allocation),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(alloc.moveMember(ctx(c), p.assemblyId, p.allocationId, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/deliberation/allocations/{allocationId}/publish', tags: ['deliberation'], summary: 'Publish a draft: the session’s groups are created with a video room each; members then see their group', middleware: [manage] as const, request: { params: AA }, responses: json(Allocation) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(alloc.publishAllocation(ctx(c), p.assemblyId, p.allocationId), 200);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/deliberation/my-groups', tags: ['participants'], summary: 'My breakout groups (published only): the other members by pseudonym, the facilitators, and the video room link from 15 minutes before the start', middleware: [requireAction('participant.read')] as const, request: { params: A }, responses: json(z.array(MyGroup)) }),
      (c) => c.json(alloc.myGroups(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/deliberation/speaking', tags: ['deliberation'], summary: 'Speaking time per member from the approved transcripts: per breakout group and over the assembly (quietest first; facilitators only)', middleware: [manage] as const,
        request: { params: A }, responses: json(z.object({ members: z.array(z.object({ memberId: z.string(), seconds: z.number(), share: z.number(), quiet: z.boolean() }).passthrough()), groups: z.array(z.object({ groupId: z.string() }).passthrough()) })),
      }),
      (c) => c.json(speakingReport(ctx(c), c.req.valid('param').assemblyId), 200),
    );
}
