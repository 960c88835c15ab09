import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import { REPORT_REASONS } from '../../platform/moderation/index.js';
import { ALIGNMENTS } from './domain.js';
import * as svc from './service.js';
import { publishedSummary, requestSummary } from './summaries.js';

const A = z.object({ assemblyId: z.string() });
const D = z.object({ assemblyId: z.string(), debateId: z.string() });
const C = z.object({ assemblyId: z.string(), debateId: z.string(), commentId: z.coerce.number().int().positive() });
const Alignment = z.enum(ALIGNMENTS);
/** generous transport limit: the service says the real limits in words */
const Text = z.string().max(100_000);

const DebateSchema = z
  .object({
    id: z.string(), assemblyId: z.string(), title: z.string(), description: z.string(), status: z.enum(['proposed', 'open', 'closed', 'rejected']),
    proposedBy: z.string().nullable(), decisionReason: z.string().nullable(), counts: z.object({ in_favour: z.number(), against: z.number(), neutral: z.number() }),
    threads: z.number(), supports: z.number(), subscribed: z.boolean(), supported: z.boolean(), createdAt: z.string(),
  })
  .openapi('Debate');

const CommentSchema = z
  .object({
    id: z.number(), parentId: z.number().nullable(), depth: z.number(), authorName: z.string(), mine: z.boolean(), alignment: Alignment,
    body: z.string().nullable().describe('null when hidden (to others than its author and staff) or deleted'), status: z.enum(['visible', 'hidden', 'deleted']),
    hiddenReason: z.string().nullable(), replyCount: z.number(), createdAt: z.string(), more: z.boolean(),
    replies: z.array(z.any()).describe('replies, as comments (recursive)'),
  })
  .openapi('DebateComment');

const SummarySchema = z.object({
  machineMade: z.literal(true), edited: z.boolean(), publishedAt: z.string(), title: z.string(), language: z.string(),
  sentences: z.array(z.object({ text: z.string(), sourceIds: z.array(z.string()) })),
  agreement: z.array(z.object({ text: z.string(), sourceIds: z.array(z.string()) })),
  disagreement: z.array(z.object({ text: z.string(), sourceIds: z.array(z.string()) })),
});

const ok = z.object({ ok: z.literal(true) });

export function debateRoutes(deps: Deps) {
  const ctx = (c: { get(k: 'actor'): Parameters<typeof ctxFor>[1] }) => ctxFor(deps, c.get('actor'));
  const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags: ['debates'], ...r });
  return newRouter()
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/debates', summary: 'Debates of an assembly (proposals included)', middleware: [requireAction('participant.read')] as const, request: { params: A }, responses: json(z.array(DebateSchema)) }),
      (c) => c.json(svc.listDebates(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      route({
        method: 'post', path: '/assemblies/{assemblyId}/debates', summary: 'Propose a theme (members: waits for a facilitator) or open a debate (facilitators)',
        middleware: [requireAction('deliberation.write')] as const, request: { params: A, ...jsonBody(z.strictObject({ title: Text, description: Text.optional() })) }, responses: created(DebateSchema),
      }),
      (c) => c.json(svc.createDebate(ctx(c), c.req.valid('param').assemblyId, c.req.valid('json')), 201),
    )
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/debates/{debateId}', summary: 'A debate with its counts per alignment and its approved summary (machine-made)', middleware: [requireAction('participant.read')] as const, request: { params: D }, responses: json(z.object({ debate: DebateSchema, summary: SummarySchema.nullable() })) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json({ debate: svc.getDebate(ctx(c), p.assemblyId, p.debateId), summary: publishedSummary(ctx(c), p.assemblyId, `debate:${p.debateId}`) }, 200);
      },
    )
    .openapi(
      route({ method: 'post', path: '/assemblies/{assemblyId}/debates/{debateId}/decision', summary: 'Open or reject a proposed theme (facilitators)', middleware: [requireAction('deliberation.moderate')] as const, request: { params: D, ...jsonBody(z.strictObject({ decision: z.enum(['open', 'reject']), reason: Text.optional() })) }, responses: json(DebateSchema) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.decideProposal(ctx(c), p.assemblyId, p.debateId, c.req.valid('json')), 200);
      },
    )
    .openapi(
      route({ method: 'post', path: '/assemblies/{assemblyId}/debates/{debateId}/status', summary: 'Close or reopen a debate (facilitators)', middleware: [requireAction('deliberation.moderate')] as const, request: { params: D, ...jsonBody(z.strictObject({ open: z.boolean(), reason: Text.optional() })) }, responses: json(DebateSchema) }),
      (c) => {
        const p = c.req.valid('param');
        const b = c.req.valid('json');
        return c.json(svc.setDebateOpen(ctx(c), p.assemblyId, p.debateId, b.open, b.reason), 200);
      },
    )
    .openapi(
      route({ method: 'post', path: '/assemblies/{assemblyId}/debates/{debateId}/supports', summary: 'Support a proposed theme (once)', middleware: [requireAction('deliberation.write')] as const, request: { params: D }, responses: json(DebateSchema) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.supportDebate(ctx(c), p.assemblyId, p.debateId), 200);
      },
    )
    .openapi(
      route({
        method: 'get', path: '/assemblies/{assemblyId}/debates/{debateId}/comments', summary: 'A page of threads (keyset pagination: pass `next` as `after`)',
        middleware: [requireAction('participant.read')] as const, request: { params: D, query: z.object({ after: z.coerce.number().int().min(0).optional() }) },
        responses: json(z.object({ threads: z.array(CommentSchema), next: z.number().nullable() })),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.commentPage(ctx(c), p.assemblyId, p.debateId, c.req.valid('query').after ?? 0) as never, 200);
      },
    )
    .openapi(
      route({
        method: 'post', path: '/assemblies/{assemblyId}/debates/{debateId}/comments', summary: 'Comment, or reply to a comment, with an alignment',
        middleware: [requireAction('deliberation.write')] as const, request: { params: D, ...jsonBody(z.strictObject({ body: Text, alignment: Alignment, parentId: z.number().int().positive().nullable().optional() })) }, responses: created(CommentSchema),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.addComment(ctx(c), deps.jobs, p.assemblyId, p.debateId, c.req.valid('json')) as never, 201);
      },
    )
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/debates/{debateId}/comments/{commentId}', summary: 'A comment with its replies', middleware: [requireAction('participant.read')] as const, request: { params: C }, responses: json(z.object({ comment: CommentSchema, parentId: z.number().nullable() })) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.commentThread(ctx(c), p.assemblyId, p.debateId, p.commentId) as never, 200);
      },
    )
    .openapi(
      route({ method: 'delete', path: '/assemblies/{assemblyId}/debates/{debateId}/comments/{commentId}', summary: 'Delete one’s own comment (its replies stay)', middleware: [requireAction('deliberation.write')] as const, request: { params: C }, responses: json(ok) }),
      (c) => {
        const p = c.req.valid('param');
        svc.deleteComment(ctx(c), p.assemblyId, p.debateId, p.commentId);
        return c.json({ ok: true as const }, 200);
      },
    )
    .openapi(
      route({
        method: 'post', path: '/assemblies/{assemblyId}/debates/{debateId}/comments/{commentId}/reports', summary: 'Report a comment to the facilitators, with a reason',
        middleware: [requireAction('deliberation.write')] as const, request: { params: C, ...jsonBody(z.strictObject({ reason: z.enum(REPORT_REASONS), details: Text.optional() })) }, responses: created(ok),
      }),
      (c) => {
        const p = c.req.valid('param');
        svc.reportComment(ctx(c), p.assemblyId, p.debateId, p.commentId, c.req.valid('json'));
        return c.json({ ok: true as const }, 201);
      },
    )
    .openapi(
      route({
        method: 'post', path: '/assemblies/{assemblyId}/debates/{debateId}/comments/{commentId}/moderation', summary: 'Hide (with a reason its author sees), unhide, or dismiss the reports (facilitators)',
        middleware: [requireAction('deliberation.moderate')] as const, request: { params: C, ...jsonBody(z.strictObject({ action: z.enum(['hide', 'unhide', 'dismiss']), reason: Text.optional() })) }, responses: json(ok),
      }),
      (c) => {
        const p = c.req.valid('param');
        const b = c.req.valid('json');
        if (b.action === 'hide') svc.hideComment(ctx(c), p.assemblyId, p.debateId, p.commentId, b.reason ?? '');
        else if (b.action === 'unhide') svc.unhideComment(ctx(c), p.assemblyId, p.debateId, p.commentId);
        else svc.dismissReports(ctx(c), p.assemblyId, p.debateId, p.commentId);
        return c.json({ ok: true as const }, 200);
      },
    )
    .openapi(
      route({ method: 'put', path: '/assemblies/{assemblyId}/debates/{debateId}/subscription', summary: 'Follow a debate (notifications; e-mail too when the service sends e-mail and an address is given)', middleware: [requireAction('deliberation.write')] as const, request: { params: D, ...jsonBody(z.strictObject({ email: z.string().max(254).nullable().optional() })) }, responses: json(DebateSchema) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.subscribe(ctx(c), p.assemblyId, p.debateId, c.req.valid('json').email), 200);
      },
    )
    .openapi(
      route({ method: 'delete', path: '/assemblies/{assemblyId}/debates/{debateId}/subscription', summary: 'Stop following a debate', middleware: [requireAction('deliberation.write')] as const, request: { params: D }, responses: json(DebateSchema) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.unsubscribe(ctx(c), p.assemblyId, p.debateId), 200);
      },
    )
    .openapi(
      route({
        method: 'get', path: '/assemblies/{assemblyId}/debates/{debateId}/export', summary: 'Every comment, hidden ones marked (facilitators); ?format=csv for a spreadsheet',
        middleware: [requireAction('deliberation.moderate')] as const, request: { params: D, query: z.object({ format: z.enum(['json', 'csv']).optional() }) }, responses: json(z.object({ debate: DebateSchema, comments: z.array(z.any()) })),
      }),
      (c) => {
        const p = c.req.valid('param');
        const data = svc.exportDebate(ctx(c), p.assemblyId, p.debateId);
        if (c.req.valid('query').format !== 'csv') return c.json(data, 200);
        const q = (v: unknown) => `"${String(v ?? '').replace(/"/g, '""')}"`;
        const head = 'id,parent_id,depth,author,alignment,status,hidden_reason,created_at,body';
        const lines = data.comments.map((x) => [x.id, x.parentId, x.depth, x.author, x.alignment, x.status, x.hiddenReason, x.createdAt, x.body].map(q).join(','));
        return c.body([head, ...lines].join('\r\n') + '\r\n', 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="debate-${p.debateId}.csv"` }) as never;
      },
    )
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/debate-reports', summary: 'Reported comments waiting for a facilitator', middleware: [requireAction('deliberation.moderate')] as const, request: { params: A }, responses: json(z.array(z.any())) }),
      (c) => c.json(svc.reportedComments(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      route({ method: 'post', path: '/assemblies/{assemblyId}/debates/{debateId}/summary', summary: 'Draft a machine summary of the debate for review (facilitators)', middleware: [requireAction('deliberation.moderate')] as const, request: { params: D }, responses: created(z.object({ jobId: z.string() })) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(requestSummary(ctx(c), deps.jobs, p.assemblyId, p.debateId), 201);
      },
    );
}
