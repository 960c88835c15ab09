import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { AMENDMENT_KINDS } from '../../platform/amendments/index.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import * as svc from './service.js';

const A = z.object({ assemblyId: z.string() });
const T = z.object({ assemblyId: z.string(), textId: z.string() });
const P = T.extend({ paragraphId: z.coerce.number().int().positive() });
const M = T.extend({ amendmentId: z.coerce.number().int().positive() });
const Text = z.string().max(100_000);
const AmendmentSchema = z
  .object({
    id: z.number(), assemblyId: z.string(), subject: z.string(), kind: z.enum(AMENDMENT_KINDS), proposedText: z.string(), justification: z.string(), baseVersion: z.number(), authorName: z.string(),
    status: z.enum(['open', 'accepted', 'rejected', 'withdrawn']), decisionReason: z.string().nullable(), decidedAt: z.string().nullable(), result: z.string().nullable(), createdAt: z.string(),
    supports: z.number(), conflict: z.boolean(), subjectDeleted: z.boolean(), mine: z.boolean(),
  })
  .openapi('Amendment');

export function textRoutes(deps: Deps) {
  const ctx = (c: { get(k: 'actor'): Parameters<typeof ctxFor>[1] }) => ctxFor(deps, c.get('actor'));
  const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags: ['texts'], ...r });
  const ok = z.object({ ok: z.literal(true) });
  return newRouter()
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/texts', summary: 'Participatory texts of an assembly', middleware: [requireAction('participant.read')] as const, request: { params: A }, responses: json(z.array(z.any())) }),
      (c) => c.json(svc.listTexts(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      route({ method: 'post', path: '/assemblies/{assemblyId}/texts', summary: "Create a text from plain text ('# ' headings open sections, blank lines separate paragraphs; facilitators)", middleware: [requireAction('deliberation.moderate')] as const, request: { params: A, ...jsonBody(z.strictObject({ title: Text, body: Text })) }, responses: created(z.any()) }),
      (c) => c.json(svc.createText(ctx(c), c.req.valid('param').assemblyId, c.req.valid('json')), 201),
    )
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/texts/{textId}', summary: 'A text in sections and paragraphs, with the number of open amendments per paragraph', middleware: [requireAction('participant.read')] as const, request: { params: T }, responses: json(z.any()) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.getText(ctx(c), p.assemblyId, p.textId), 200);
      },
    )
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/texts/{textId}/paragraphs/{paragraphId}', summary: "A paragraph's full history with diffs, and its amendments", middleware: [requireAction('participant.read')] as const, request: { params: P }, responses: json(z.any()) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.paragraphDetail(ctx(c), p.assemblyId, p.textId, p.paragraphId), 200);
      },
    )
    .openapi(
      route({
        method: 'post', path: '/assemblies/{assemblyId}/texts/{textId}/paragraphs/{paragraphId}/amendments', summary: 'Propose to replace, insert after or delete a paragraph, with a justification',
        middleware: [requireAction('deliberation.write')] as const, request: { params: P, ...jsonBody(z.strictObject({ kind: z.enum(AMENDMENT_KINDS), text: Text.optional(), justification: Text, baseVersion: z.number().int().optional() })) }, responses: created(AmendmentSchema),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.proposeAmendment(ctx(c), p.assemblyId, p.textId, p.paragraphId, c.req.valid('json')) as never, 201);
      },
    )
    .openapi(
      route({ method: 'post', path: '/assemblies/{assemblyId}/texts/{textId}/amendments/{amendmentId}/supports', summary: 'Support an amendment (once)', middleware: [requireAction('deliberation.write')] as const, request: { params: M }, responses: json(ok) }),
      (c) => {
        const p = c.req.valid('param');
        svc.supportAmendment(ctx(c), p.assemblyId, p.textId, p.amendmentId);
        return c.json({ ok: true as const }, 200);
      },
    )
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/texts/{textId}/amendments/{amendmentId}/comments', summary: 'The discussion of an amendment', middleware: [requireAction('participant.read')] as const, request: { params: M }, responses: json(z.array(z.object({ id: z.number(), author: z.string(), body: z.string(), createdAt: z.string() }))) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.amendmentComments(ctx(c), p.assemblyId, p.textId, p.amendmentId), 200);
      },
    )
    .openapi(
      route({ method: 'post', path: '/assemblies/{assemblyId}/texts/{textId}/amendments/{amendmentId}/comments', summary: 'Discuss an amendment', middleware: [requireAction('deliberation.write')] as const, request: { params: M, ...jsonBody(z.strictObject({ body: Text })) }, responses: created(ok) }),
      (c) => {
        const p = c.req.valid('param');
        svc.commentAmendment(ctx(c), p.assemblyId, p.textId, p.amendmentId, c.req.valid('json').body);
        return c.json({ ok: true as const }, 201);
      },
    )
    .openapi(
      route({ method: 'post', path: '/assemblies/{assemblyId}/texts/{textId}/amendments/{amendmentId}/decision', summary: 'Accept (the paragraph changes: a new version) or reject with a reason (facilitators); a stale amendment is a 409 conflict', middleware: [requireAction('deliberation.moderate')] as const, request: { params: M, ...jsonBody(z.strictObject({ decision: z.enum(['accept', 'reject']), reason: Text.optional() })) }, responses: json(AmendmentSchema) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.decideAmendment(ctx(c), p.assemblyId, p.textId, p.amendmentId, c.req.valid('json')) as never, 200);
      },
    )
    .openapi(
      route({ method: 'post', path: '/assemblies/{assemblyId}/texts/{textId}/amendments/{amendmentId}/rebase', summary: 'Move one’s amendment onto the current version of the paragraph (optionally with a new text)', middleware: [requireAction('deliberation.write')] as const, request: { params: M, ...jsonBody(z.strictObject({ text: Text.optional() })) }, responses: json(AmendmentSchema) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.rebaseAmendment(ctx(c), p.assemblyId, p.textId, p.amendmentId, c.req.valid('json').text) as never, 200);
      },
    );
}
