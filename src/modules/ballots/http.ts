import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { AppError } from '../../platform/errors.js';
import { created, json, jsonBody, newRouter, problemResponses } from '../../platform/http/openapi.js';
import { jobView } from '../../platform/jobs/types.js';
import { METHODS } from './domain.js';
import { ForecastRequest, publishedForecast, requestForecast } from './forecast.js';
import * as svc from './service.js';

const A = z.object({ assemblyId: z.string() });
const AB = z.object({ assemblyId: z.string(), ballotId: z.string() });
const Ballot = z.object({ id: z.string(), title: z.string(), method: z.string(), status: z.string(), voted: z.number(), eligible: z.number() }).passthrough().openapi('Ballot');
const Receipt = z.object({ receipt: z.string(), changed: z.boolean() }).openapi('BallotReceipt');
const CastBallot = z.object({ receipt: z.string(), choice: z.unknown() }).openapi('CastBallot');
const PublicList = z.object({ ballot: Ballot, rollCount: z.number(), ballots: z.array(CastBallot) }).openapi('BallotPublicList');

export const CreateBallotBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().max(4000).optional(),
  method: z.enum(METHODS),
  options: z.array(z.string().trim().min(1).max(500)).min(1).max(200),
  grades: z.array(z.string().trim().min(1).max(60)).max(20).nullable().optional(),
  threshold: z.number().nullable().optional(),
  thresholdBase: z.enum(['cast', 'eligible']).nullable().optional(),
  quorum: z.number().optional(),
  opensAt: z.string().max(40).nullable().optional(),
  closesAt: z.string().max(40),
});

export function ballotRoutes(deps: Deps) {
  const manage = requireAction('ballots.manage');
  const ctx = (c: { get(k: 'actor'): Parameters<typeof ctxFor>[1]; get(k: 'logger'): Parameters<typeof ctxFor>[2] }) => ctxFor(deps, c.get('actor'), c.get('logger'));
  return newRouter()
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/ballots', tags: ['ballots'], summary: 'Ballots of an assembly with status and turnout (results once closed)', middleware: [requireAction('participant.read')] as const, request: { params: A }, responses: json(z.array(Ballot)) }),
      (c) => c.json(svc.listBallots(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/ballots', tags: ['ballots'], summary: 'Create a ballot (options, method, quorum, opening and closing times)', middleware: [manage] as const,
        request: { params: A, ...jsonBody(CreateBallotBody) }, responses: created(Ballot),
      }),
      (c) => c.json(svc.createBallot(ctx(c), c.req.valid('param').assemblyId, c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/ballots/{ballotId}', tags: ['ballots'], summary: 'A ballot: options, status, turnout against quorum, and the full result once closed', middleware: [requireAction('participant.read')] as const, request: { params: AB }, responses: json(Ballot) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.getBallot(ctx(c), p.assemblyId, p.ballotId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/ballots/{ballotId}/vote', tags: ['ballots'], summary: 'Cast a vote (returns a receipt code) or change it before close by giving the receipt', middleware: [requireAction('participant.write')] as const,
        request: { params: AB, ...jsonBody(z.strictObject({ choice: z.unknown(), receipt: z.string().max(40).nullable().optional() })) }, responses: json(Receipt),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.castVote(ctx(c), p.assemblyId, p.ballotId, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/ballots/{ballotId}/close', tags: ['ballots'], summary: 'Close a ballot now', middleware: [manage] as const, request: { params: AB }, responses: json(Ballot) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.closeBallot(ctx(c), p.assemblyId, p.ballotId), 200);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/ballots/{ballotId}/public-ballots', tags: ['ballots'], summary: 'After close: every ballot by receipt code, the roll count and the announced result, for anyone to recount', middleware: [requireAction('public.read')] as const, request: { params: AB }, responses: json(PublicList) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.publicList(ctx(c), p.assemblyId, p.ballotId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/ballots/{ballotId}/forecast', tags: ['ballots'],
        summary: 'Queue a forecast of each option\'s support in every opinion group of a conversation\'s approved map (options linked to statements; unlinked options matched by identical text); the draft goes to the review queue',
        middleware: [manage] as const, request: { params: AB, ...jsonBody(ForecastRequest) },
        responses: { 202: { description: 'queued (or the same job when nothing changed)', content: { 'application/json': { schema: z.object({ id: z.string(), status: z.string() }).passthrough() } } }, ...problemResponses },
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(jobView(requestForecast(ctx(c), deps.jobs, p.assemblyId, p.ballotId, c.req.valid('json'))), 202);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/ballots/{ballotId}/forecast', tags: ['ballots'], summary: 'The approved support forecast with its provenance; 404 while none is approved', middleware: [requireAction('participant.read')] as const, request: { params: AB }, responses: json(z.object({ forecast: z.unknown(), provenance: z.unknown() }).passthrough().openapi('BallotForecast')) }),
      (c) => {
        const p = c.req.valid('param');
        const f = publishedForecast(ctx(c), p.assemblyId, p.ballotId);
        if (!f) throw new AppError('NOT_FOUND', 'No forecast has been approved for this ballot yet.', { reason: 'not-published' });
        return c.json(f, 200);
      },
    );
}
