import { ReaderSentenceSchema } from '../publications/http.js';
import { pendingTranslations } from '../publications/service.js';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import type { AppEnv } from '../../platform/http/types.js';
import { jobView } from '../../platform/jobs/types.js';
import { ReviewItemSchema } from '../review/http.js';
import { MAP_K_MAX } from './domain.js';
import * as svc from './service.js';

const A = z.object({ assemblyId: z.string() });

const MyContribution = z.object({ id: z.string(), text: z.string(), topic: z.string(), createdAt: z.string() }).openapi('MyContribution');
const Contribution = z
  .object({
    id: z.string(),
    topic: z.string(),
    text: z.string(),
    source: z.string(),
    externalId: z.string().nullable(),
    authorLabel: z.string().nullable(),
    language: z.string().nullable(),
    languageConfidence: z.number().nullable(),
    languageSource: z.string().nullable(),
    flags: z.array(z.string()),
    duplicateOf: z.string().nullable(),
    importId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Contribution');
const ImportResult = z
  .object({ importId: z.string(), imported: z.number(), duplicates: z.number(), skippedModerated: z.number(), languageJobId: z.string().nullable(), attribution: z.string().nullable() })
  .openapi('ContributionImport');
const JobRef = z.object({ id: z.string(), type: z.string(), status: z.string(), progress: z.number() }).openapi('JobRef');
const Sentence = z.object({ text: z.string(), sourceIds: z.array(z.string()) });
const Summaries = z
  .object({
    summaries: z.array(
      z.object({
        id: z.string(),
        subject: z.string(),
        title: z.string(),
        language: z.string(),
        titleLanguage: z.string(),
        origin: z.enum(['original', 'machine-translated', 'machine-translated-post-edited', 'human-translated']),
        sentences: z.array(ReaderSentenceSchema),
        translationPending: z.boolean(),
        publishedAt: z.string(),
      }),
    ),
    consensus: z.array(z.object({ topic: z.string(), contributionId: z.string(), text: z.string(), language: z.string() })),
  })
  .openapi('ContributionSummaries');

const IMPORT_QUERY = z.object({
  format: z.enum(['csv', 'jsonl', 'polis']).optional().describe("'polis' = a Pol.is comments.csv export; required here or as a form field"),
  textColumn: z.string().optional().describe('csv / jsonl: the column (field) holding the text; required for those formats'),
  idColumn: z.string().optional(),
  authorColumn: z.string().optional(),
  languageColumn: z.string().optional(),
  topic: z.string().max(200).optional(),
  filename: z.string().max(200).optional(),
});

/** The upload's bytes: the raw body (text/csv, application/x-ndjson …) or the `file` field of a multipart form. */
export async function uploadBytes(c: Context<AppEnv>): Promise<{ bytes: Uint8Array; filename?: string; fields: Record<string, string> }> {
  const ct = c.req.header('content-type') ?? '';
  if (ct.startsWith('multipart/form-data')) {
    const body = await c.req.parseBody();
    const f = body.file;
    if (!f || typeof f === 'string') throw new AppError('VALIDATION', 'Attach the file in a form field named "file".', { errors: [{ path: 'file', message: 'Required' }] });
    const fields = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    return { bytes: new Uint8Array(await f.arrayBuffer()), filename: f.name, fields };
  }
  if (ct.startsWith('application/json')) throw new AppError('UNSUPPORTED_MEDIA', 'Send the file itself (text/csv, application/x-ndjson) or a multipart form with a "file" field, not JSON.');
  return { bytes: new Uint8Array(await c.req.arrayBuffer()), fields: {} };
}

export function contributionRoutes(deps: Deps) {
  return newRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/assemblies/{assemblyId}/contributions',
        tags: ['participants'],
        summary: 'Submit a contribution (free text, any language, at most 5,000 characters)',
        middleware: [requireAction('participant.write')] as const,
        request: { params: A, ...jsonBody(z.strictObject({ text: z.string().max(25_000), topic: z.string().max(200).optional() })) },
        responses: created(MyContribution),
      }),
      async (c) => c.json(await svc.submitContribution(ctxFor(deps, c.get('actor'), c.get('logger')), deps.models, c.req.valid('param').assemblyId, c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/assemblies/{assemblyId}/contributions/mine',
        tags: ['participants'],
        summary: 'My own contributions, as I wrote them',
        middleware: [requireAction('participant.read')] as const,
        request: { params: A },
        responses: json(z.array(MyContribution)),
      }),
      (c) => c.json(svc.myContributions(ctxFor(deps, c.get('actor')), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/assemblies/{assemblyId}/contributions',
        tags: ['contributions'],
        summary: 'All contributions with language, flags and near-duplicate group (staff)',
        middleware: [requireAction('contributions.read')] as const,
        request: { params: A, query: z.object({ topic: z.string().optional(), limit: z.coerce.number().int().min(1).max(1000).optional(), offset: z.coerce.number().int().min(0).optional() }) },
        responses: json(z.object({ total: z.number(), items: z.array(Contribution), topics: z.array(z.object({ topic: z.string(), n: z.number() })) })),
      }),
      (c) => c.json(svc.listContributions(ctxFor(deps, c.get('actor')), c.req.valid('param').assemblyId, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/assemblies/{assemblyId}/contributions/imports',
        tags: ['contributions'],
        summary: 'Import contributions from CSV, JSONL or a Pol.is comments.csv (all rows or none)',
        description: 'Body: the file itself, or multipart/form-data with a `file` field (form fields may replace the query parameters). CSV/JSONL need `textColumn`.',
        middleware: [requireAction('contributions.manage')] as const,
        request: { params: A, query: IMPORT_QUERY },
        responses: created(ImportResult),
      }),
      async (c) => {
        const { bytes, filename, fields } = await uploadBytes(c);
        const q = { ...c.req.valid('query'), ...fields } as z.infer<typeof IMPORT_QUERY>;
        const format = IMPORT_QUERY.shape.format.safeParse(q.format);
        if (!format.success || !format.data) throw new AppError('VALIDATION', "Say which format the file is in: format = 'csv', 'jsonl' or 'polis'.", { errors: [{ path: 'format', message: 'Required' }] });
        const res = svc.importContributions(ctxFor(deps, c.get('actor')), deps.jobs, c.req.valid('param').assemblyId, {
          format: format.data,
          content: bytes,
          filename: q.filename ?? filename,
          topic: q.topic,
          columns: { text: q.textColumn ?? '', id: q.idColumn || undefined, author: q.authorColumn || undefined, language: q.languageColumn || undefined },
        });
        return c.json(res, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/assemblies/{assemblyId}/contributions/imports',
        tags: ['contributions'],
        summary: 'Recent imports',
        middleware: [requireAction('contributions.read')] as const,
        request: { params: A },
        responses: json(z.array(z.object({ id: z.string(), kind: z.string(), filename: z.string().nullable(), topic: z.string(), count: z.number(), jobId: z.string().nullable(), attribution: z.string().nullable(), createdAt: z.string() }))),
      }),
      (c) => c.json(svc.listImports(ctxFor(deps, c.get('actor')), c.req.valid('param').assemblyId).map((i) => ({ id: i.id, kind: i.kind, filename: i.filename, topic: i.topic, count: i.count, jobId: i.jobId, attribution: i.attribution, createdAt: i.createdAt })), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/assemblies/{assemblyId}/text-maps',
        tags: ['contributions'],
        summary: 'Build the text map (job): clusters, labels, summaries and consensus candidates go to review',
        middleware: [requireAction('contributions.manage')] as const,
        request: { params: A, ...jsonBody(z.strictObject({ topic: z.string().max(200).optional(), mode: z.enum(['auto', 'semantic', 'lexical']).optional(), k: z.number().int().min(1).max(MAP_K_MAX).optional() })) },
        responses: { 202: { description: 'Queued', content: { 'application/json': { schema: JobRef } } } },
      }),
      (c) => {
        const j = jobView(svc.requestMap(ctxFor(deps, c.get('actor')), deps.jobs, c.req.valid('param').assemblyId, c.req.valid('json')));
        return c.json({ id: j.id, type: j.type, status: j.status, progress: j.progress }, 202);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/assemblies/{assemblyId}/text-maps/latest',
        tags: ['contributions'],
        summary: 'The newest standing text map of a scope (pending or approved), for facilitators',
        middleware: [requireAction('contributions.read')] as const,
        request: { params: A, query: z.object({ topic: z.string().optional() }) },
        responses: json(ReviewItemSchema),
      }),
      (c) => {
        const m = svc.latestMap(ctxFor(deps, c.get('actor')), deps.review, c.req.valid('param').assemblyId, c.req.valid('query').topic ?? '');
        if (!m) throw new AppError('NOT_FOUND', 'No text map has been built for this scope yet.');
        return c.json(m.item, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/assemblies/{assemblyId}/text-maps/{itemId}/revise',
        tags: ['contributions'],
        summary: 'Rename, merge (union) or split (k-means, k = 2) clusters: a new pending map supersedes this one',
        middleware: [requireAction('review.decide')] as const,
        request: {
          params: z.object({ assemblyId: z.string(), itemId: z.string() }),
          ...jsonBody(
            z.discriminatedUnion('op', [
              z.strictObject({ op: z.literal('rename'), clusterId: z.string(), label: z.string().max(200), language: z.string().min(2).max(8).optional().openapi({ description: 'the language of this label (one of the assembly’s); without it the label replaces the keyword labels in every language' }) }),
              z.strictObject({ op: z.literal('merge'), clusterIds: z.array(z.string()).min(2).max(50), label: z.string().max(200).optional() }),
              z.strictObject({ op: z.literal('split'), clusterId: z.string() }),
            ]),
          ),
        },
        responses: json(z.object({ item: ReviewItemSchema, summaryItemIds: z.array(z.string()) })),
      }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json(await svc.reviseMap(ctxFor(deps, c.get('actor')), deps, p.assemblyId, p.itemId, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/assemblies/{assemblyId}/summaries/{publicationId}/translations',
        tags: ['contributions'],
        summary: 'Publish a human translation of an approved summary (labelled human-translated; no review needed)',
        middleware: [requireAction('contributions.manage')] as const,
        request: {
          params: z.object({ assemblyId: z.string(), publicationId: z.string() }),
          ...jsonBody(z.strictObject({ language: z.string().min(2).max(8), title: z.string().max(300), sentences: z.array(z.string().max(5000)).min(1).max(200) })),
        },
        responses: created(z.object({ id: z.string(), subject: z.string(), language: z.string(), title: z.string(), sentences: z.array(Sentence), origin: z.literal('human-translated') })),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.publishHumanTranslation(ctxFor(deps, c.get('actor')), p.assemblyId, p.publicationId, c.req.valid('json')), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/assemblies/{assemblyId}/summaries',
        tags: ['participants'],
        summary: 'Approved summaries of the contributions, in the reader’s language where a translation is approved, labelled by origin',
        middleware: [requireAction('participant.read')] as const,
        request: { params: A, query: z.object({ lang: z.enum(['fr', 'en']).optional() }) },
        responses: json(Summaries),
      }),
      (c) => {
        const actor = c.get('actor');
        const lang = c.req.valid('query').lang ?? (actor.kind === 'user' ? actor.language : undefined);
        const ctx = ctxFor(deps, actor);
        const assemblyId = c.req.valid('param').assemblyId;
        return c.json(svc.participantSummaries(ctx, assemblyId, lang, lang ? { pending: pendingTranslations(ctx, deps.review, deps.jobs, assemblyId, lang) } : {}), 200);
      },
    );
}
