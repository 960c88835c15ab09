import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import { jobView } from '../../platform/jobs/types.js';
import { chunkOffset, DEFAULT_LIMITS, parseRange, type BreakoutLimits } from './domain.js';
import * as svc from './service.js';

const A = z.object({ assemblyId: z.string() });
const AS = z.object({ assemblyId: z.string(), sessionId: z.string() });
const AG = z.object({ assemblyId: z.string(), groupId: z.string() });
const AU = z.object({ assemblyId: z.string(), uploadId: z.string() });
const AT = z.object({ assemblyId: z.string(), trackId: z.string() });
const Lang = z.string().regex(/^[a-z]{2,3}$/).nullable().optional();

const Session = z.object({ id: z.string(), assemblyId: z.string(), title: z.string(), language: z.string().nullable(), startsAt: z.string().nullable(), createdAt: z.string() }).passthrough().openapi('BreakoutSession');
const Group = z.object({ id: z.string(), sessionId: z.string(), name: z.string(), leadFacilitatorId: z.string().nullable(), coFacilitatorId: z.string().nullable() }).passthrough().openapi('BreakoutGroup');
const Track = z
  .object({ id: z.string(), groupId: z.string(), memberId: z.string().nullable(), filename: z.string(), sizeBytes: z.number(), sha256: z.string(), codec: z.string(), sampleRate: z.number(), channels: z.number(), durationSec: z.number(), deletedAt: z.string().nullable() })
  .passthrough()
  .openapi('BreakoutTrack');
const Upload = z
  .object({ id: z.string(), groupId: z.string(), memberId: z.string().nullable(), filename: z.string(), size: z.number(), offset: z.number(), status: z.string(), error: z.string().nullable(), trackId: z.string().nullable(), chunkBytes: z.number() })
  .openapi('BreakoutUpload');
const JobRef = z.object({ id: z.string(), type: z.string(), status: z.string(), progress: z.number() }).passthrough();
const PublishedTranscript = z
  .object({ groupId: z.string(), groupName: z.string(), language: z.string().nullable(), publishedAt: z.string(), segments: z.array(z.object({ start: z.number(), end: z.number(), speaker: z.string(), text: z.string(), language: z.string().nullable() })) })
  .openapi('BreakoutTranscript');
const Idea = z
  .object({ id: z.string(), kind: z.string(), text: z.string(), quote: z.string(), start: z.number(), end: z.number(), speaker: z.string(), language: z.string().nullable(), groupId: z.string(), groupName: z.string(), sessionTitle: z.string(), publishedAt: z.string() })
  .openapi('BreakoutIdea');

const UPLOAD_DOC =
  'Resumable upload: create it with the file name and size, PUT the bytes in chunks (Content-Range: bytes a-b/total, or ?offset=a; a chunk must start at the stored offset, else 409 with `offset`), GET it to learn how many bytes are stored, then complete it with the sha256 of the whole file.';

export function breakoutRoutes(deps: Deps, limits: BreakoutLimits = DEFAULT_LIMITS) {
  const manage = requireAction('breakouts.manage');
  const ctx = (c: { get(k: 'actor'): Parameters<typeof ctxFor>[1]; get(k: 'logger'): Parameters<typeof ctxFor>[2] }) => ctxFor(deps, c.get('actor'), c.get('logger'));
  return newRouter()
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/breakouts/sessions', tags: ['breakouts'], summary: 'Breakout sessions with their groups', middleware: [manage] as const, request: { params: A }, responses: json(z.array(Session)) }),
      (c) => c.json(svc.listSessions(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/breakouts/sessions', tags: ['breakouts'], summary: 'Create a breakout session', middleware: [manage] as const,
        request: { params: A, ...jsonBody(z.strictObject({ title: z.string().trim().min(1).max(200), language: Lang, startsAt: z.string().max(40).nullable().optional() })) },
        responses: created(Session),
      }),
      (c) => c.json(svc.createSession(ctx(c), c.req.valid('param').assemblyId, c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/breakouts/sessions/{sessionId}/groups', tags: ['breakouts'], summary: 'Create a group (members are assembly memberships; a lead and a co-facilitator)', middleware: [manage] as const,
        request: { params: AS, ...jsonBody(z.strictObject({ name: z.string().trim().min(1).max(100), leadFacilitatorId: z.string().nullable().optional(), coFacilitatorId: z.string().nullable().optional(), memberIds: z.array(z.string()).max(50).optional() })) },
        responses: created(Group),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.createGroup(ctx(c), p.assemblyId, p.sessionId, c.req.valid('json')), 201);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/breakouts/groups/{groupId}', tags: ['breakouts'], summary: 'A group: members (by pseudonym), tracks, open uploads', middleware: [manage] as const, request: { params: AG }, responses: json(Group) }),
      (c) => {
        const p = c.req.valid('param');
        const item = svc.latestTranscriptItem(deps, deps.review, p.assemblyId, p.groupId);
        return c.json({ ...svc.groupDetail(deps, p.assemblyId, p.groupId), transcriptItem: item ? { id: item.id, status: item.status } : null }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/breakouts/groups/{groupId}/members', tags: ['breakouts'], summary: 'Add members to a group', middleware: [manage] as const,
        request: { params: AG, ...jsonBody(z.strictObject({ memberIds: z.array(z.string()).min(1).max(50) })) },
        responses: json(Group),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.addMembers(ctx(c), p.assemblyId, p.groupId, c.req.valid('json').memberIds), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/breakouts/groups/{groupId}/uploads', tags: ['breakouts'], summary: `Start uploading a recording (a member's track, or a mixed recording without memberId). ${UPLOAD_DOC}`, middleware: [manage] as const,
        request: { params: AG, ...jsonBody(z.strictObject({ filename: z.string().trim().min(1).max(200), size: z.number().int().min(0), memberId: z.string().nullable().optional(), language: Lang })) },
        responses: created(Upload),
      }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json(await svc.createUpload(ctx(c), limits, p.assemblyId, p.groupId, c.req.valid('json')), 201);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/breakouts/uploads/{uploadId}', tags: ['breakouts'], summary: 'How many bytes of an upload are stored (resume from `offset`)', middleware: [manage] as const, request: { params: AU }, responses: json(Upload) }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json(await svc.uploadStatus(ctx(c), limits, p.assemblyId, p.uploadId), 200);
      },
    )
    .openapi(
      createRoute({ method: 'put', path: '/assemblies/{assemblyId}/breakouts/uploads/{uploadId}', tags: ['breakouts'], summary: `Store one chunk (application/octet-stream). ${UPLOAD_DOC}`, middleware: [manage] as const, request: { params: AU, query: z.object({ offset: z.string().optional() }) }, responses: json(Upload) }),
      async (c) => {
        const p = c.req.valid('param');
        const ct = c.req.header('content-type') ?? '';
        if (ct.startsWith('application/json') || ct.startsWith('multipart/form-data') || ct.startsWith('application/x-www-form-urlencoded'))
          throw new AppError('UNSUPPORTED_MEDIA', 'Send the chunk bytes themselves (Content-Type: application/octet-stream), not JSON or a form.');
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        const status = await svc.uploadStatus(ctx(c), limits, p.assemblyId, p.uploadId);
        const offset = chunkOffset(c.req.header('content-range'), c.req.valid('query').offset, bytes.length, status.size);
        return c.json(await svc.writeChunk(ctx(c), limits, p.assemblyId, p.uploadId, offset, bytes), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/breakouts/uploads/{uploadId}/complete', tags: ['breakouts'], summary: 'Verify the sha256 of the whole file, probe it, and store it as a track; `warnings` lists what the uploader should know (TRUNCATED: the file looks cut short and only the decodable part is kept)', middleware: [manage] as const,
        request: { params: AU, ...jsonBody(z.strictObject({ sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'a 64-character hex sha256') })) },
        responses: created(Track),
      }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json(await svc.completeUpload(ctx(c), limits, p.assemblyId, p.uploadId, c.req.valid('json').sha256), 201);
      },
    )
    .openapi(
      createRoute({ method: 'delete', path: '/assemblies/{assemblyId}/breakouts/uploads/{uploadId}', tags: ['breakouts'], summary: 'Abort an upload; its partial file is removed', middleware: [manage] as const, request: { params: AU }, responses: json(Upload) }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json(await svc.abortUpload(ctx(c), limits, p.assemblyId, p.uploadId), 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/breakouts/uploads/cleanup', tags: ['breakouts'], summary: 'Abort uploads left open too long (partial files removed)', middleware: [manage] as const, request: { params: A }, responses: json(z.object({ aborted: z.array(z.string()) })) }),
      async (c) => c.json(await svc.cleanupStaleUploads(ctx(c), limits, c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/breakouts/tracks/{trackId}/audio', tags: ['breakouts'], summary: 'The recording, with HTTP Range support (for the review player)', middleware: [manage] as const, request: { params: AT }, responses: { 200: { description: 'audio' }, 206: { description: 'partial audio' } } }),
      async (c) => {
        const p = c.req.valid('param');
        const f = await svc.audioFile(ctx(c), p.assemblyId, p.trackId);
        const range = parseRange(c.req.header('range'), f.size);
        const headers: Record<string, string> = { 'content-type': f.contentType, 'accept-ranges': 'bytes', 'cache-control': 'private, no-store' };
        if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${f.size}` } }) as never;
        const start = range?.start ?? 0;
        const end = range?.end ?? f.size - 1;
        headers['content-length'] = String(end - start + 1);
        if (range) headers['content-range'] = `bytes ${start}-${end}/${f.size}`;
        const body = c.req.method === 'HEAD' ? null : (Readable.toWeb(createReadStream(f.file, { start, end })) as unknown as ReadableStream);
        return new Response(body, { status: range ? 206 : 200, headers }) as never;
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/breakouts/groups/{groupId}/transcribe', tags: ['breakouts'], summary: 'Queue the transcription of the group’s recordings (progress via the jobs SSE stream); the result goes to review', middleware: [manage] as const, request: { params: AG }, responses: { 202: { description: 'queued', content: { 'application/json': { schema: JobRef } } } } }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(jobView(svc.requestTranscription(ctx(c), deps.jobs, p.assemblyId, p.groupId)), 202);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/breakouts/groups/{groupId}/transcript', tags: ['participants'], summary: 'The approved transcript of a group (speakers by pseudonym)', middleware: [requireAction('participant.read')] as const, request: { params: AG }, responses: json(PublishedTranscript) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.publishedTranscript(ctx(c), p.assemblyId, p.groupId), 200);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/breakouts/ideas', tags: ['participants'], summary: 'Approved ideas and claims from every group, with the group and the quote', middleware: [requireAction('participant.read')] as const, request: { params: A }, responses: json(z.array(Idea)) }),
      (c) => c.json(svc.publishedIdeas(ctx(c), c.req.valid('param').assemblyId), 200),
    );
}
