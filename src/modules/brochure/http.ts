import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { json, jsonBody, newRouter, problemResponses } from '../../platform/http/openapi.js';
import type { AppEnv } from '../../platform/http/types.js';
import { FIELDS } from '../recommendations/domain.js';
import { BROCHURE_LANGS, SCOPES } from './domain.js';
import type { PdfEngine } from './pdf.js';
import * as svc from './service.js';
import * as tr from './translations.js';
import { requestMachineTranslation } from './machine.js';

const A = z.object({ assemblyId: z.string() });
const AV = z.object({ assemblyId: z.string(), versionId: z.string() });
const AR = z.object({ assemblyId: z.string(), recommendationId: z.string() });
const ARL = z.object({ assemblyId: z.string(), recommendationId: z.string(), language: z.string() });
const Version = z
  .object({ id: z.string(), number: z.number(), language: z.string(), scope: z.enum(SCOPES), recommendationCount: z.number(), pdfSha256: z.string(), pdfBytes: z.number(), public: z.boolean(), createdAt: z.string() })
  .openapi('BrochureVersion');
const Job = z.object({ id: z.string(), status: z.string(), progress: z.number() }).passthrough();
const Text = z.string().max(20_000);
const fieldShape = Object.fromEntries(FIELDS.map((f) => [f, Text.optional()])) as Record<(typeof FIELDS)[number], z.ZodOptional<typeof Text>>;
const fileResponse = (type: string) => ({ 200: { description: `The file (${type})`, content: { [type]: { schema: z.any() } } }, ...problemResponses });

export const fileHeaders = (type: string, filename: string, sha?: string, inline = false) => ({
  'content-type': type,
  'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${filename}"`,
  ...(sha ? { 'x-content-sha256': sha } : {}),
  'cache-control': 'private, no-store',
});

export function brochureRoutes(deps: Deps, pdf: PdfEngine) {
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));
  const manage = requireAction('brochure.manage');
  const route = <T extends Parameters<typeof createRoute>[0]>(r: T) => createRoute({ tags: ['brochure'], ...r });
  return newRouter()
    .openapi(
      route({
        method: 'post', path: '/assemblies/{assemblyId}/brochure/versions', summary: 'Make a new version of the brochure (PDF and HTML, per language) as a job; while one is queued or running, returns it',
        middleware: [manage] as const, request: { params: A, ...jsonBody(z.strictObject({ scope: z.enum(SCOPES).optional(), languages: z.array(z.enum(BROCHURE_LANGS)).max(2).optional() })) },
        responses: { 202: { description: 'The job', content: { 'application/json': { schema: z.object({ job: Job, reused: z.boolean() }) } } }, ...problemResponses },
      }),
      (c) => c.json(svc.requestBrochure(ctx(c), deps.jobs, pdf, c.req.valid('param').assemblyId, c.req.valid('json')), 202),
    )
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/brochure/versions', summary: 'Brochure versions, newest first (the public sees versions of final recommendations; staff also drafts)', middleware: [requireAction('public.read')] as const, request: { params: A }, responses: json(z.array(Version)) }),
      (c) => c.json(svc.listVersions(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/brochure/versions/{versionId}/pdf', summary: 'Download a version’s PDF', middleware: [requireAction('public.read')] as const, request: { params: AV }, responses: fileResponse('application/pdf') }),
      (c) => {
        const p = c.req.valid('param');
        const f = svc.versionFile(ctx(c), p.assemblyId, p.versionId, 'pdf');
        return c.body(f.bytes as Uint8Array<ArrayBuffer>, 200, fileHeaders('application/pdf', f.filename, f.row.pdfSha256));
      },
    )
    .openapi(
      route({ method: 'get', path: '/assemblies/{assemblyId}/brochure/versions/{versionId}/html', summary: 'A version’s HTML (what its PDF was printed from)', middleware: [requireAction('public.read')] as const, request: { params: AV }, responses: fileResponse('text/html') }),
      (c) => {
        const p = c.req.valid('param');
        const f = svc.versionFile(ctx(c), p.assemblyId, p.versionId, 'html');
        return c.body(f.bytes as Uint8Array<ArrayBuffer>, 200, { ...fileHeaders('text/html; charset=utf-8', f.filename, undefined, true), 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:" });
      },
    )
    .openapi(
      route({
        method: 'post', path: '/assemblies/{assemblyId}/brochure/machine-translations', summary: 'Machine-translate the recommendations lacking an up-to-date translation into a language (a job); each draft waits in the review queue',
        middleware: [manage] as const, request: { params: A, ...jsonBody(z.strictObject({ language: z.string().min(2).max(8) })) },
        responses: { 202: { description: 'The job', content: { 'application/json': { schema: z.object({ job: Job, reused: z.boolean() }) } } }, ...problemResponses },
      }),
      (c) => c.json(requestMachineTranslation(ctx(c), deps.jobs, c.req.valid('param').assemblyId, c.req.valid('json').language), 202),
    )
    .openapi(
      route({ method: 'put', path: '/assemblies/{assemblyId}/brochure/recommendations/{recommendationId}/language', summary: 'Say which language a recommendation was written in (default: the assembly’s first language)', middleware: [manage] as const, request: { params: AR, ...jsonBody(z.strictObject({ language: z.string().min(2).max(8) })) }, responses: json(z.object({ recommendationId: z.string(), language: z.string() })) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(tr.setRecommendationLanguage(ctx(c), p.assemblyId, p.recommendationId, c.req.valid('json').language), 200);
      },
    )
    .openapi(
      route({ method: 'put', path: '/assemblies/{assemblyId}/brochure/recommendations/{recommendationId}/translations/{language}', summary: 'A person’s translation of the current version of a recommendation (counts until the recommendation is edited)', middleware: [manage] as const, request: { params: ARL, ...jsonBody(z.strictObject(fieldShape)) }, responses: json(z.any()) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(tr.setHumanTranslation(ctx(c), p.assemblyId, p.recommendationId, p.language, c.req.valid('json')), 200);
      },
    );
}
