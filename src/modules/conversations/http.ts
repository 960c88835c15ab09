import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter, problemResponses } from '../../platform/http/openapi.js';
import { jobView } from '../../platform/jobs/types.js';
import { translator } from '../../web/i18n.js';
import { StatementText } from './domain.js';
import { exportPolis, importPolis, type PolisImportInput } from './polis.js';
import * as svc from './service.js';
import { mapStrings } from './strings.js';
import { renderMapSvg } from './svg.js';

const Conv = z.object({ assemblyId: z.string(), conversationId: z.string() });
const StatementStatus = z.enum(['pending', 'accepted', 'rejected']);

const ConversationSchema = z
  .object({
    id: z.string(),
    assemblyId: z.string(),
    topic: z.string(),
    description: z.string(),
    moderation: z.enum(['pre', 'post']),
    status: z.enum(['open', 'closed']),
    recomputeEvery: z.number(),
    voteEvents: z.number(),
    attribution: z.object({ text: z.string(), license: z.string(), source: z.string().nullable() }).nullable(),
    statements: z.object({ pending: z.number(), accepted: z.number(), rejected: z.number() }),
    createdAt: z.string(),
  })
  .openapi('Conversation');

const StatementSchema = z
  .object({
    id: z.number(),
    tid: z.number(),
    text: z.string(),
    status: StatementStatus,
    isMeta: z.boolean(),
    author: z.string().nullable(),
    votes: z.object({ agree: z.number(), disagree: z.number(), pass: z.number() }),
    createdAt: z.string(),
  })
  .openapi('Statement');

const ImportJson = z.strictObject({
  comments: z.string().min(1).describe('contents of comments.csv'),
  votes: z.string().optional().describe('contents of votes.csv'),
  participantsVotes: z.string().optional().describe('contents of participants-votes.csv'),
  source: z.string().max(500).nullable().optional().describe('where the data comes from (URL), shown with the CC BY attribution'),
});

const POLIS_FILES = ['comments.csv', 'votes.csv', 'participants-votes.csv'] as const;

/** Reads an import request: multipart with the files (named by file name or comments / votes / participantsVotes), or JSON with the CSV texts. */
async function readImport(req: { header(n: string): string | undefined; json(): Promise<unknown>; parseBody(): Promise<Record<string, string | File | (string | File)[]>> }): Promise<PolisImportInput> {
  const ct = req.header('content-type') ?? '';
  if (ct.startsWith('multipart/form-data')) {
    const body = await req.parseBody();
    const text = async (...names: string[]) => {
      for (const n of names) {
        const v = body[n];
        const one = Array.isArray(v) ? v[0] : v;
        if (one instanceof File) return await one.text();
        if (typeof one === 'string' && one) return one;
      }
      return undefined;
    };
    const source = typeof body.source === 'string' && body.source ? body.source : null;
    return { comments: await text('comments.csv', 'comments'), votes: await text('votes.csv', 'votes'), participantsVotes: await text('participants-votes.csv', 'participantsVotes'), source };
  }
  if (ct.startsWith('application/json')) {
    let raw: unknown;
    try {
      raw = await req.json();
    } catch {
      throw new AppError('BAD_REQUEST', 'The request body is not valid JSON.');
    }
    const parsed = ImportJson.safeParse(raw);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
      throw new AppError('VALIDATION', `The request body is not valid: ${errors.map((e) => `${e.path} (${e.message})`).join('; ')}.`, { errors });
    }
    return parsed.data;
  }
  throw new AppError('UNSUPPORTED_MEDIA', 'Send the Pol.is files as multipart/form-data, or their texts as JSON { comments, votes, participantsVotes }.');
}

export function conversationRoutes(deps: Deps) {
  const ctx = (c: { get(k: 'actor'): Parameters<typeof ctxFor>[1] }) => ctxFor(deps, c.get('actor'));
  return newRouter()
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/conversations', tags: ['conversations'], summary: 'Conversations of an assembly',
        middleware: [requireAction('participant.read')] as const, request: { params: z.object({ assemblyId: z.string() }) }, responses: json(z.array(ConversationSchema)),
      }),
      (c) => c.json(svc.listConversations(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/conversations', tags: ['conversations'], summary: 'Start a conversation (facilitators)',
        middleware: [requireAction('assembly.manage')] as const,
        request: {
          params: z.object({ assemblyId: z.string() }),
          ...jsonBody(z.strictObject({ topic: z.string().trim().min(3).max(200), description: z.string().trim().max(4000).optional(), moderation: z.enum(['pre', 'post']).optional(), recomputeEvery: z.number().int().min(0).max(100_000).optional() })),
        },
        responses: created(ConversationSchema),
      }),
      (c) => c.json(svc.createConversation(ctx(c), c.req.valid('param').assemblyId, c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/conversations/{conversationId}', tags: ['conversations'], summary: 'A conversation, with the caller’s own statements and votes',
        middleware: [requireAction('participant.read')] as const, request: { params: Conv },
        responses: json(z.object({ conversation: ConversationSchema, mine: z.object({ participantId: z.number().nullable(), pseudonym: z.string().nullable(), statements: z.array(StatementSchema), votes: z.array(z.object({ statementId: z.number(), vote: z.number() })) }) })),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json({ conversation: svc.getConversation(ctx(c), p.assemblyId, p.conversationId), mine: svc.myActivity(ctx(c), p.assemblyId, p.conversationId) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'patch', path: '/assemblies/{assemblyId}/conversations/{conversationId}', tags: ['conversations'], summary: 'Change topic, description, moderation setting, status or recompute interval',
        middleware: [requireAction('assembly.manage')] as const,
        request: {
          params: Conv,
          ...jsonBody(z.strictObject({ topic: z.string().trim().min(3).max(200).optional(), description: z.string().trim().max(4000).optional(), moderation: z.enum(['pre', 'post']).optional(), status: z.enum(['open', 'closed']).optional(), recomputeEvery: z.number().int().min(0).max(100_000).optional() })),
        },
        responses: json(ConversationSchema),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.updateConversation(ctx(c), p.assemblyId, p.conversationId, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/conversations/{conversationId}/statements', tags: ['conversations'], summary: 'All statements with their moderation state (the moderation queue: ?status=pending)',
        middleware: [requireAction('assembly.read')] as const,
        request: { params: Conv, query: z.object({ status: z.string().optional().describe('comma-separated: pending, accepted, rejected') }) },
        responses: json(z.array(StatementSchema)),
      }),
      (c) => {
        const p = c.req.valid('param');
        const raw = c.req.valid('query').status;
        const status = raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
        const bad = status?.filter((s) => !StatementStatus.options.includes(s as never)) ?? [];
        if (bad.length) throw new AppError('VALIDATION', `Unknown status ${bad.join(', ')}; use pending, accepted or rejected.`, { errors: [{ path: 'status', message: 'Unknown status' }] });
        return c.json(svc.listStatements(ctx(c), p.assemblyId, p.conversationId, status as never), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/conversations/{conversationId}/statements', tags: ['conversations'], summary: 'Write a statement (participants); it may wait for moderation',
        middleware: [requireAction('participant.write')] as const, request: { params: Conv, ...jsonBody(z.strictObject({ text: StatementText })) }, responses: created(StatementSchema),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.addStatement(ctx(c), p.assemblyId, p.conversationId, c.req.valid('json').text), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/conversations/{conversationId}/seed-statements', tags: ['conversations'], summary: 'Add a seed statement (facilitators); accepted at once',
        middleware: [requireAction('assembly.manage')] as const, request: { params: Conv, ...jsonBody(z.strictObject({ text: StatementText, isMeta: z.boolean().optional() })) }, responses: created(StatementSchema),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.seedStatement(ctx(c), p.assemblyId, p.conversationId, c.req.valid('json')), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/conversations/{conversationId}/statements/{statementId}/moderation', tags: ['conversations'], summary: 'Accept or reject a statement, or mark it meta (left out of the math)',
        middleware: [requireAction('assembly.manage')] as const,
        request: { params: Conv.extend({ statementId: z.coerce.number().int() }), ...jsonBody(z.strictObject({ status: StatementStatus.optional(), isMeta: z.boolean().optional() })) },
        responses: json(StatementSchema),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.moderateStatement(ctx(c), p.assemblyId, p.conversationId, p.statementId, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/conversations/{conversationId}/votes', tags: ['conversations'], summary: 'Vote on a statement: 1 agree, -1 disagree, 0 pass. The last vote wins.',
        middleware: [requireAction('participant.write')] as const,
        request: { params: Conv, ...jsonBody(z.strictObject({ statementId: z.number().int(), vote: z.union([z.literal(1), z.literal(-1), z.literal(0)]) })) },
        responses: json(z.object({ statementId: z.number(), vote: z.number(), previous: z.number().nullable(), voteEvents: z.number(), recomputeJobId: z.string().nullable() })),
      }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json(await svc.voteGrouped(ctx(c), deps.jobs, p.assemblyId, p.conversationId, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/conversations/{conversationId}/next', tags: ['conversations'], summary: 'The next statement to vote on (weighted by routing priority, among unseen accepted statements)',
        middleware: [requireAction('participant.read')] as const, request: { params: Conv },
        responses: json(z.object({ statement: z.object({ id: z.number(), tid: z.number(), text: z.string(), isMeta: z.boolean() }).nullable(), remaining: z.number(), voted: z.number() })),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.nextStatement(ctx(c), p.assemblyId, p.conversationId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/conversations/{conversationId}/similar', tags: ['conversations'], summary: 'Accepted statements similar to a draft (near-duplicate warning while writing)',
        middleware: [requireAction('participant.read')] as const, request: { params: Conv, query: z.object({ text: z.string().max(2000).optional() }) },
        responses: json(z.array(z.object({ id: z.number(), tid: z.number(), text: z.string(), similarity: z.number() }))),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.similarStatements(ctx(c), p.assemblyId, p.conversationId, c.req.valid('query').text ?? ''), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/conversations/{conversationId}/recompute', tags: ['conversations'], summary: 'Queue a recompute of the opinion map (idempotent per vote count); 412 while there are not enough votes',
        middleware: [requireAction('jobs.run')] as const, request: { params: Conv },
        responses: { 202: { description: 'queued (or the same job as before when no vote came in since)', content: { 'application/json': { schema: z.object({ id: z.string(), status: z.string() }).passthrough() } } }, ...problemResponses },
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(jobView(svc.requestRecompute(ctx(c), deps.jobs, p.assemblyId, p.conversationId)), 202);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/conversations/{conversationId}/map', tags: ['conversations'], summary: 'The published (reviewed) opinion map, with the caller’s own position; 404 while none is published',
        middleware: [requireAction('participant.read')] as const, request: { params: Conv },
        responses: json(z.object({ map: z.unknown(), reviewItemId: z.string(), publishedAt: z.string(), edited: z.boolean(), you: z.number().nullable(), youGroup: z.number().nullable() })),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.publishedMap(ctx(c), p.assemblyId, p.conversationId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/conversations/{conversationId}/map.svg', tags: ['conversations'], summary: 'The published opinion map as an accessible SVG (the caller’s point highlighted)',
        middleware: [requireAction('participant.read')] as const, request: { params: Conv, query: z.object({ lang: z.enum(['fr', 'en']).optional() }) },
        responses: { 200: { description: 'image/svg+xml' }, ...problemResponses },
      }),
      (c) => {
        const p = c.req.valid('param');
        const m = svc.publishedMap(ctx(c), p.assemblyId, p.conversationId);
        const svg = renderMapSvg(m.map, { strings: mapStrings(translator(c.get('lang')), m.map.topic), highlight: m.you });
        return c.body(svg, 200, { 'content-type': 'image/svg+xml; charset=utf-8' });
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/conversations/{conversationId}/maps/{itemId}/labels', tags: ['conversations'], summary: 'Label the groups of a pending opinion map: publishes it as edited (the review queue keeps the diff)',
        middleware: [requireAction('review.decide')] as const,
        request: { params: Conv.extend({ itemId: z.string() }), ...jsonBody(z.strictObject({ labels: z.record(z.string(), z.string().trim().min(1).max(80)) })) },
        responses: json(z.object({ id: z.string(), status: z.string() }).passthrough()),
      }),
      (c) => {
        const p = c.req.valid('param');
        svc.conversationOf(ctx(c), p.assemblyId, p.conversationId);
        return c.json(svc.labelGroups(ctx(c), deps.review, p.assemblyId, p.itemId, c.req.valid('json').labels) as never, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/conversations/{conversationId}/imports', tags: ['conversations'],
        summary: 'Import a Pol.is export (comments.csv, votes.csv, participants-votes.csv) as multipart files or JSON texts; all or nothing',
        middleware: [requireAction('assembly.manage')] as const, request: { params: Conv },
        responses: created(z.object({ conversationId: z.string(), statements: z.number(), participants: z.number(), votes: z.number(), attribution: z.object({ text: z.string(), license: z.string(), source: z.string().nullable() }), ignored: z.array(z.string()).describe('what was left out of spreadsheet-saved files (empty trailing columns, byte-order mark, ; separator)') })),
      }),
      async (c) => {
        const p = c.req.valid('param');
        const input = await readImport(c.req);
        return c.json(await importPolis(ctx(c), p.assemblyId, p.conversationId, input), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/conversations/{conversationId}/export', tags: ['conversations'], summary: 'Export in the Pol.is format: the three CSV texts and the attribution',
        middleware: [requireAction('assembly.read')] as const, request: { params: Conv },
        responses: json(z.object({ files: z.record(z.string(), z.string()), attribution: z.object({ text: z.string(), license: z.string(), source: z.string().nullable() }).nullable() })),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(exportPolis(ctx(c), p.assemblyId, p.conversationId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/conversations/{conversationId}/export/{polisFile}', tags: ['conversations'], summary: 'One file of the Pol.is export (text/csv)',
        middleware: [requireAction('assembly.read')] as const, request: { params: Conv.extend({ polisFile: z.string() }) },
        responses: { 200: { description: 'text/csv' }, ...problemResponses },
      }),
      (c) => {
        const p = c.req.valid('param');
        if (!(POLIS_FILES as readonly string[]).includes(p.polisFile)) throw new AppError('NOT_FOUND', `A Pol.is export has ${POLIS_FILES.join(', ')}; not '${p.polisFile}'.`);
        const out = exportPolis(ctx(c), p.assemblyId, p.conversationId);
        const headers: Record<string, string> = { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${p.polisFile}"` };
        if (out.attribution) headers['x-data-attribution'] = out.attribution.text.replace(/[^\x20-\x7e]/g, ' ');
        return c.body(out.files[p.polisFile as (typeof POLIS_FILES)[number]], 200, headers);
      },
    );
}
