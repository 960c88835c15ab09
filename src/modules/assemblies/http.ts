import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import { createInvitations } from '../identity/service.js';
import * as svc from './service.js';

const Assembly = z
  .object({ id: z.string(), slug: z.string(), title: z.string(), question: z.string(), languages: z.array(z.string()), deleteAudioAfterApproval: z.boolean(), createdAt: z.string() })
  .openapi('Assembly');
const AssemblyParam = z.object({ assemblyId: z.string().min(1) });

export function assemblyRoutes(deps: Deps) {
  return newRouter()
  .openapi(
    createRoute({ method: 'get', path: '/assemblies', tags: ['assemblies'], summary: 'List assemblies', middleware: [requireAction('assembly.read')] as const, responses: json(z.array(Assembly)) }),
    (c) => c.json(svc.listAssemblies(ctxFor(deps, c.get('actor'))), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/assemblies',
      tags: ['assemblies'],
      summary: 'Create an assembly (admin)',
      middleware: [requireAction('assembly.create')] as const,
      request: jsonBody(
        z.strictObject({
          slug: z.string().trim().min(3).max(60).regex(/^[a-z0-9-]+$/, 'Use lower-case letters, digits and dashes.'),
          title: z.string().trim().min(3).max(200),
          question: z.string().trim().max(2000).optional(),
          languages: z.array(z.enum(['fr', 'en'])).min(1).optional(),
          deleteAudioAfterApproval: z.boolean().optional(),
        }),
      ),
      responses: created(Assembly),
    }),
    (c) => c.json(svc.createAssembly(ctxFor(deps, c.get('actor')), c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/assemblies/{assemblyId}',
      tags: ['assemblies'],
      summary: 'One assembly with its member count',
      middleware: [requireAction('assembly.read')] as const,
      request: { params: AssemblyParam },
      responses: json(Assembly.extend({ memberCount: z.number() })),
    }),
    (c) => c.json(svc.getAssembly(ctxFor(deps, c.get('actor')), c.req.valid('param').assemblyId), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/assemblies/{assemblyId}/members',
      tags: ['assemblies'],
      summary: 'Members by pseudonym',
      middleware: [requireAction('assembly.manage')] as const,
      request: { params: AssemblyParam },
      responses: json(z.array(z.object({ userId: z.string(), pseudonym: z.string().nullable(), joinedAt: z.string() }))),
    }),
    (c) => c.json(svc.listMembers(ctxFor(deps, c.get('actor')), c.req.valid('param').assemblyId), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/assemblies/{assemblyId}/invitations',
      tags: ['assemblies'],
      summary: 'Create invitation codes (each shown once)',
      middleware: [requireAction('members.invite')] as const,
      request: { params: AssemblyParam, ...jsonBody(z.strictObject({ count: z.number().int().min(1).max(500), expiresInDays: z.number().int().min(1).max(365).optional() })) },
      responses: created(z.object({ codes: z.array(z.string()), expiresAt: z.string().nullable() })),
    }),
    (c) => c.json(createInvitations(ctxFor(deps, c.get('actor')), c.req.valid('param').assemblyId, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/public/assemblies/{slug}',
      tags: ['public'],
      summary: 'What an assembly publishes about itself',
      middleware: [requireAction('public.read')] as const,
      request: { params: z.object({ slug: z.string() }) },
      responses: json(z.object({ id: z.string(), slug: z.string(), title: z.string(), question: z.string(), languages: z.array(z.string()), memberCount: z.number() })),
    }),
    (c) => c.json(svc.getPublicAssembly(ctxFor(deps, c.get('actor')), c.req.valid('param').slug), 200),
  );
}
