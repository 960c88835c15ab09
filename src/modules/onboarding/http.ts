import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import type { AppEnv } from '../../platform/http/types.js';
import { CHECKLIST, ChecklistInput, DATE } from './domain.js';
import * as svc from './service.js';

const A = z.object({ assemblyId: z.string() });
const AU = z.object({ assemblyId: z.string(), userId: z.string() });
const Checklist = z.object(Object.fromEntries(CHECKLIST.map((k) => [k, z.boolean()]))).openapi('OnboardingChecklist');
const Loan = z.object({ id: z.string(), item: z.string(), lentOn: z.string(), returnedOn: z.string().nullable() });
const Row = z
  .object({
    userId: z.string(),
    pseudonym: z.string().nullable(),
    joinedAt: z.string(),
    checklist: Checklist,
    missing: z.array(z.string()),
    ready: z.boolean(),
    assistant: z.object({ id: z.string(), name: z.string() }).nullable(),
    accessibility: z.string(),
    loans: z.array(Loan),
  })
  .openapi('OnboardingMember');

export function onboardingRoutes(deps: Deps) {
  const manage = requireAction('onboarding.manage');
  const own = requireAction('self.data');
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));
  return newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/assemblies/{assemblyId}/onboarding',
        tags: ['onboarding'],
        summary: 'Onboarding board: every member’s checklist, assistant, loans; filter ready=no for who is not ready yet',
        middleware: [manage] as const,
        request: { params: A, query: z.object({ ready: z.enum(['yes', 'no']).optional(), missing: z.enum(CHECKLIST).optional(), assistantId: z.string().optional() }) },
        responses: json(z.array(Row)),
      }),
      (c) => c.json(svc.board(ctx(c), c.req.valid('param').assemblyId, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/assemblies/{assemblyId}/onboarding/{userId}',
        tags: ['onboarding'],
        summary: 'Tick checklist items and/or assign a technical assistant (staff user; null to unassign)',
        middleware: [manage] as const,
        request: { params: AU, ...jsonBody(z.strictObject({ checklist: ChecklistInput.optional(), assistantId: z.string().nullable().optional() })) },
        responses: json(z.unknown()),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.updateMember(ctx(c), p.assemblyId, p.userId, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/assemblies/{assemblyId}/onboarding/{userId}/accessibility',
        tags: ['onboarding'],
        summary: 'Record accessibility needs (personal data, kept apart and deleted on request)',
        middleware: [manage] as const,
        request: { params: AU, ...jsonBody(z.strictObject({ needs: z.string().trim().max(2000) })) },
        responses: json(z.object({ userId: z.string(), recorded: z.boolean() })),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.setAccessibility(ctx(c), p.assemblyId, p.userId, c.req.valid('json').needs), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/assemblies/{assemblyId}/onboarding/{userId}/loans',
        tags: ['onboarding'],
        summary: 'Lend equipment to a member (e.g. a tablet with mobile data)',
        middleware: [manage] as const,
        request: { params: AU, ...jsonBody(z.strictObject({ item: z.string().trim().min(1).max(200), lentOn: DATE })) },
        responses: created(Loan.extend({ userId: z.string() })),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.lend(ctx(c), p.assemblyId, p.userId, c.req.valid('json')), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/assemblies/{assemblyId}/onboarding/loans/{loanId}/return',
        tags: ['onboarding'],
        summary: 'Record that lent equipment came back',
        middleware: [manage] as const,
        request: { params: z.object({ assemblyId: z.string(), loanId: z.string() }), ...jsonBody(z.strictObject({ returnedOn: DATE })) },
        responses: json(Loan.extend({ userId: z.string() })),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.returnLoan(ctx(c), p.assemblyId, p.loanId, c.req.valid('json').returnedOn), 200);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/me/onboarding', tags: ['participants'], summary: 'My onboarding checklist, assistant and loans', middleware: [own] as const, request: { params: A }, responses: json(z.unknown()) }),
      (c) => c.json(svc.mine(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/me/data', tags: ['participants'], summary: 'Download the personal data Plenary holds on me (JSON)', middleware: [own] as const, request: { params: A }, responses: json(z.unknown()) }),
      (c) => {
        const data = svc.myData(ctx(c), c.req.valid('param').assemblyId);
        c.header('content-disposition', 'attachment; filename="plenary-my-data.json"');
        return c.json(data, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/assemblies/{assemblyId}/me/data/delete',
        tags: ['participants'],
        summary: 'Delete my personal data and close my account; my contributions stay under “former member N”',
        middleware: [own] as const,
        request: { params: A, ...jsonBody(z.strictObject({ confirm: z.literal('DELETE') })) },
        responses: json(z.object({ pseudonym: z.string(), deleted: z.object({ poolRecords: z.number(), accessibility: z.number() }), accountClosed: z.boolean() })),
      }),
      (c) => c.json(svc.forgetMe(ctx(c), c.req.valid('param').assemblyId), 200),
    );
}
