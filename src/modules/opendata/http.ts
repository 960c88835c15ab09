import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter, problemResponses } from '../../platform/http/openapi.js';
import type { AppEnv } from '../../platform/http/types.js';
import { importPackage } from './importer.js';
import * as svc from './service.js';

const A = z.object({ assemblyId: z.string() });
const AE = z.object({ assemblyId: z.string(), exportId: z.string() });
const S = z.object({ slug: z.string() });
const Export = z.object({ id: z.string(), jobId: z.string(), status: z.enum(['in-progress', 'final']), sha256: z.string(), sizeBytes: z.number(), published: z.boolean(), publishedAt: z.string().nullable(), createdAt: z.string() }).openapi('OpenDataExport');
const Job = z.object({ id: z.string(), status: z.string(), progress: z.number() }).passthrough();
const zipResponse = { 200: { description: 'The package (application/zip)', content: { 'application/zip': { schema: z.any() } } }, ...problemResponses };

export const zipHeaders = (filename: string, sha: string) => ({
  'content-type': 'application/zip',
  'content-disposition': `attachment; filename="${filename}"`,
  'x-content-sha256': sha,
  'cache-control': 'no-store',
});

/** Reads an uploaded package: the zip itself (application/zip, application/octet-stream) or a form field `package`. */
export async function readPackageUpload(c: Context<AppEnv>): Promise<Uint8Array> {
  const ct = (c.req.header('content-type') ?? '').toLowerCase();
  if (ct.startsWith('multipart/form-data')) {
    const f = (await c.req.parseBody())['package'];
    if (!f || typeof f === 'string') throw new AppError('VALIDATION', 'Choose the package (.zip) to import.', { errors: [{ path: 'package', message: 'required' }] });
    return new Uint8Array(await (f as File).arrayBuffer());
  }
  if (ct.startsWith('application/zip') || ct.startsWith('application/octet-stream')) return new Uint8Array(await c.req.arrayBuffer());
  throw new AppError('UNSUPPORTED_MEDIA', 'Send the package as application/zip, or as the form field "package" (multipart/form-data).');
}

export function opendataRoutes(deps: Deps) {
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));
  // making and publishing a package only reads the assembly, so an imported archive can be exported again
  const manage = requireAction('opendata.manage', { onArchive: 'allow' });
  return newRouter()
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/opendata/exports', tags: ['opendata'],
        summary: 'Make the assembly’s open-data package (a job); while one is queued or running, returns it instead of starting another',
        middleware: [manage] as const, request: { params: A, ...jsonBody(z.strictObject({ status: z.enum(['in-progress', 'final']).optional() })) },
        responses: { 202: { description: 'The job', content: { 'application/json': { schema: z.object({ job: Job, reused: z.boolean() }) } } }, ...problemResponses },
      }),
      (c) => c.json(svc.requestExport(ctx(c), deps.jobs, c.req.valid('param').assemblyId, c.req.valid('json')), 202),
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/opendata/exports', tags: ['opendata'], summary: 'Packages made so far, newest first', middleware: [requireAction('assembly.read')] as const, request: { params: A }, responses: json(z.array(Export)) }),
      (c) => c.json(svc.listExports(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/opendata/exports/{exportId}/download', tags: ['opendata'], summary: 'Download a package (zip)', middleware: [requireAction('assembly.read')] as const, request: { params: AE }, responses: zipResponse }),
      (c) => {
        const p = c.req.valid('param');
        const d = svc.download(ctx(c), p.assemblyId, p.exportId);
        return c.body(d.bytes as Uint8Array<ArrayBuffer>, 200, zipHeaders(d.filename, d.sha256));
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/opendata/exports/{exportId}/publication', tags: ['opendata'], summary: 'Publish a package (linked from the public page; replaces the one published before) or withdraw it',
        middleware: [manage] as const, request: { params: AE, ...jsonBody(z.strictObject({ published: z.boolean() })) }, responses: json(Export),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.setPublished(ctx(c), p.assemblyId, p.exportId, c.req.valid('json').published), 200);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/public/assemblies/{slug}/opendata', tags: ['public'], summary: 'The published open-data package of an assembly, if any', middleware: [requireAction('public.read')] as const, request: { params: S }, responses: json(z.any()) }),
      (c) => {
        const { row: _row, ...view } = svc.publicOpenData(ctx(c), c.req.valid('param').slug);
        return c.json(view, 200);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/public/assemblies/{slug}/opendata/download', tags: ['public'], summary: 'Download the published package (zip)', middleware: [requireAction('public.read')] as const, request: { params: S }, responses: zipResponse }),
      (c) => {
        const d = svc.publicDownload(ctx(c), c.req.valid('param').slug);
        return c.body(d.bytes as Uint8Array<ArrayBuffer>, 200, zipHeaders(d.filename, d.sha256));
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/opendata/imports', tags: ['opendata'], summary: 'Load a package into this instance as a read-only archived assembly with the same slug (application/zip, or multipart field "package"); all or nothing',
        middleware: [requireAction('opendata.import')] as const, responses: created(z.any()),
      }),
      async (c) => c.json(importPackage(ctx(c), await readPackageUpload(c)), 201),
    );
}
