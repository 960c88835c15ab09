import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { parseQuotasCsv, type CsvNote } from '../../../pipelines/sortition/index.js';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter, problemResponses } from '../../platform/http/openapi.js';
import { rateLimit } from '../../platform/http/rate-limit.js';
import type { AppEnv } from '../../platform/http/types.js';
import { ALGORITHMS, MappingInput, MAX_TIME_LIMIT_SECONDS, MIN_TIME_LIMIT_SECONDS, QuotaRowInput, sortitionProblem } from './domain.js';
import * as svc from './service.js';

const A = z.object({ assemblyId: z.string() });
const AP = z.object({ assemblyId: z.string(), poolId: z.string() });
const APP = z.object({ assemblyId: z.string(), poolId: z.string(), personId: z.string() });
const AR = z.object({ assemblyId: z.string(), runId: z.string() });
const AD = z.object({ assemblyId: z.string(), drawId: z.string() });
const Any = z.unknown();

const Quota = z.object({ category: z.string(), value: z.string(), min: z.number(), max: z.number() }).openapi('SortitionQuota');
const Pool = z
  .object({
    id: z.string(),
    name: z.string(),
    source: z.enum(['import', 'registration']),
    panelSize: z.number(),
    categories: z.array(z.string()),
    quotas: z.array(Quota),
    revision: z.number(),
    status: z.enum(['open', 'drawn']),
    people: z.number(),
    counts: z.record(z.string(), z.number()),
    drawId: z.string().nullable(),
    ignored: z
      .array(z.object({ file: z.string(), emptyColumns: z.array(z.number()), bom: z.boolean(), delimiter: z.string(), message: z.string() }))
      .optional()
      .describe('after a CSV upload: what was ignored in spreadsheet-saved files (empty trailing columns, a byte-order mark, ; separators)'),
  })
  .passthrough()
  .openapi('SortitionPool');

const UPLOAD_DOC = 'multipart/form-data with the CSV files as fields (or text/csv where noted); all or nothing, errors name file and line';

/** Reads an upload: multipart/form-data or urlencoded (files read as text) or a bare text/csv body into `csvField`. */
export async function readUpload(c: Context<AppEnv>, csvField: string): Promise<Record<string, string>> {
  const ct = (c.req.header('content-type') ?? '').toLowerCase();
  if (ct.startsWith('multipart/form-data') || ct.startsWith('application/x-www-form-urlencoded')) {
    const body = await c.req.parseBody();
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) {
      if (typeof v === 'string') out[k] = v;
      else if (v && typeof (v as File).text === 'function') out[k] = await (v as File).text();
    }
    return out;
  }
  if (ct.startsWith('text/csv') || ct.startsWith('text/plain')) return { [csvField]: await c.req.text() };
  throw new AppError('UNSUPPORTED_MEDIA', 'Send multipart/form-data with the CSV files as fields, or the CSV itself as text/csv.');
}

function need(f: Record<string, string>, name: string): string {
  const v = f[name];
  if (v === undefined || v.trim() === '') throw new AppError('VALIDATION', `The upload needs a '${name}' field.`, { errors: [{ path: name, message: 'required' }] });
  return v;
}

function intField(f: Record<string, string>, name: string, q?: string): number {
  const raw = f[name] ?? q;
  const n = Number(raw);
  if (raw === undefined || raw === '' || !Number.isInteger(n) || n < 1) throw new AppError('VALIDATION', `'${name}' must be a whole number ≥ 1.`, { errors: [{ path: name, message: 'a whole number ≥ 1' }] });
  return n;
}

function mappingField(f: Record<string, string>) {
  if (!f.mapping) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(f.mapping);
  } catch {
    throw new AppError('VALIDATION', "'mapping' is not valid JSON.", { errors: [{ path: 'mapping', message: 'not JSON' }] });
  }
  const r = MappingInput.safeParse(raw);
  if (!r.success) throw new AppError('VALIDATION', `'mapping' is not valid: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}.`, { errors: r.error.issues.map((i) => ({ path: `mapping.${i.path.join('.')}`, message: i.message })) });
  return r.data;
}

const accepted = <T extends z.ZodType>(schema: T) => ({ 202: { description: 'Accepted: a job runs it', content: { 'application/json': { schema } } }, ...problemResponses });

export function sortitionRoutes(deps: Deps) {
  const manage = requireAction('sortition.manage');
  const verifyLimit = rateLimit({ name: 'verification', perMinute: 10 });
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));
  return newRouter()
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/sortition/imports/preview', tags: ['sortition'], summary: `Preview a people CSV (fields people, quotas?): columns and the suggested mapping. ${UPLOAD_DOC}`, middleware: [manage] as const, request: { params: A }, responses: json(Any) }),
      async (c) => {
        const f = await readUpload(c, 'people');
        c.req.valid('param');
        return c.json(svc.previewImport(need(f, 'people'), f.quotas || undefined), 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/sortition/imports', tags: ['sortition'], summary: `Import a pool: fields people, quotas, panelSize, name?, mapping? (JSON {id, features, address, personal}). ${UPLOAD_DOC}`, middleware: [manage] as const, request: { params: A }, responses: created(Pool) }),
      async (c) => {
        const f = await readUpload(c, 'people');
        const input = { name: f.name, panelSize: intField(f, 'panelSize'), people: need(f, 'people'), quotas: need(f, 'quotas'), mapping: mappingField(f) };
        return c.json(svc.importPool(ctx(c), c.req.valid('param').assemblyId, input), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/assemblies/{assemblyId}/sortition/pools',
        tags: ['sortition'],
        summary: 'Create a volunteer pool for a two-stage lottery (quotas first; people register with letter codes)',
        middleware: [manage] as const,
        request: { params: A, ...jsonBody(z.strictObject({ name: z.string().trim().min(1).max(200), panelSize: z.number().int().min(1).max(10_000), quotas: z.array(QuotaRowInput).min(1).max(500) })) },
        responses: created(Pool),
      }),
      (c) => c.json(svc.createRegistrationPool(ctx(c), c.req.valid('param').assemblyId, c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/sortition/pools', tags: ['sortition'], summary: 'Pools of an assembly', middleware: [manage] as const, request: { params: A }, responses: json(z.array(Pool)) }),
      (c) => c.json(svc.listPools(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/sortition/pools/{poolId}', tags: ['sortition'], summary: 'One pool with its quotas, counts and runs', middleware: [manage] as const, request: { params: AP }, responses: json(Pool) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.getPool(ctx(c), p.assemblyId, p.poolId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/assemblies/{assemblyId}/sortition/pools/{poolId}/quotas',
        tags: ['sortition'],
        summary: 'Replace the quotas (and panel size); earlier runs are superseded',
        middleware: [manage] as const,
        request: { params: AP, ...jsonBody(z.strictObject({ panelSize: z.number().int().min(1).max(10_000).optional(), quotas: z.array(QuotaRowInput).min(1).max(500) })) },
        responses: json(Pool),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.setQuotas(ctx(c), p.assemblyId, p.poolId, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({ method: 'put', path: '/assemblies/{assemblyId}/sortition/pools/{poolId}/imports/quotas', tags: ['sortition'], summary: 'Replace the quotas from a quotas CSV (text/csv, or multipart field quotas)', middleware: [manage] as const, request: { params: AP }, responses: json(Pool) }),
      async (c) => {
        const p = c.req.valid('param');
        const f = await readUpload(c, 'quotas');
        let rows;
        const ignored: CsvNote[] = [];
        try {
          rows = parseQuotasCsv(need(f, 'quotas'), ignored).rows;
        } catch (e) {
          throw sortitionProblem(e, 'quotas');
        }
        return c.json({ ...svc.setQuotas(ctx(c), p.assemblyId, p.poolId, { quotas: rows, panelSize: f.panelSize ? intField(f, 'panelSize') : undefined }), ignored }, 200);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/sortition/pools/{poolId}/people', tags: ['sortition'], summary: 'Pool members: features and status (no personal data)', middleware: [manage] as const, request: { params: AP }, responses: json(z.array(Any)) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.listPeople(ctx(c), p.assemblyId, p.poolId), 200);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/sortition/pools/{poolId}/export', tags: ['sortition'], summary: 'The anonymous pool and quotas (ids, features, household keys) to re-run the draw; never personal data', middleware: [manage] as const, request: { params: AP }, responses: json(Any) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.exportPool(ctx(c), p.assemblyId, p.poolId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/assemblies/{assemblyId}/sortition/pools/{poolId}/runs',
        tags: ['sortition'],
        summary: 'Run the selection (job sortition.select): LEXIMIN by default or maximin, LEGACY always computed for comparison; a run past timeLimitSeconds fails with what to relax',
        middleware: [manage] as const,
        request: { params: AP, ...jsonBody(z.strictObject({ algorithm: z.enum(ALGORITHMS).default('leximin'), timeLimitSeconds: z.number().int().min(MIN_TIME_LIMIT_SECONDS).max(MAX_TIME_LIMIT_SECONDS).optional().describe('stop LEXIMIN after this many seconds with an error saying what to relax (default 600)') })) },
        responses: accepted(z.object({ runId: z.string(), jobId: z.string() })),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.startRun(ctx(c), deps.jobs, p.assemblyId, p.poolId, c.req.valid('json')), 202);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/sortition/runs/{runId}', tags: ['sortition'], summary: 'A selection run: per-person probabilities (LEXIMIN and LEGACY), or the infeasible quotas and their smallest relaxation', middleware: [manage] as const, request: { params: AR }, responses: json(Any) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.getRun(ctx(c), p.assemblyId, p.runId), 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/sortition/runs/{runId}/commit', tags: ['sortition'], summary: 'Fix the distribution: publish its sha256 before the seed is known', middleware: [manage] as const, request: { params: AR }, responses: json(z.object({ runId: z.string(), distributionSha256: z.string(), committedAt: z.string() })) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.commitRun(ctx(c), p.assemblyId, p.runId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/assemblies/{assemblyId}/sortition/runs/{runId}/draw',
        tags: ['sortition'],
        summary: 'The public draw: a seed from a public source picks the panel; refused if the distribution changed since it was fixed',
        middleware: [manage] as const,
        request: { params: AR, ...jsonBody(z.strictObject({ seed: z.string().trim().min(1).max(500), distributionSha256: z.string().regex(/^[0-9a-f]{64}$/) })) },
        responses: created(Any),
      }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json(await svc.draw(ctx(c), p.assemblyId, p.runId, c.req.valid('json')), 201);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/sortition/draws/{drawId}', tags: ['sortition'], summary: 'A draw: its record, members, ranked alternates and replacements', middleware: [manage] as const, request: { params: AD }, responses: json(Any) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.getDraw(ctx(c), p.assemblyId, p.drawId), 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/sortition/draws/{drawId}/verify', tags: ['sortition'], summary: 'Re-run the draw from its record and report every check', middleware: [manage] as const, request: { params: AD }, responses: json(Any) }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json(await svc.verify(ctx(c), p.assemblyId, p.drawId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/assemblies/{assemblyId}/sortition/pools/{poolId}/people/{personId}/respond',
        tags: ['sortition'],
        summary: 'Record a selected person’s answer: confirm (returns an account invitation code), decline or dropout (the next suitable alternate takes the seat)',
        middleware: [manage] as const,
        request: { params: APP, ...jsonBody(z.strictObject({ response: z.enum(['confirm', 'decline', 'dropout']) })) },
        responses: json(Any),
      }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json(await svc.respond(ctx(c), p.assemblyId, p.poolId, p.personId, c.req.valid('json').response), 200);
      },
    )
    .openapi(
      createRoute({ method: 'delete', path: '/assemblies/{assemblyId}/sortition/pools/{poolId}/people/{personId}/personal', tags: ['sortition'], summary: 'Delete a person’s personal data; the anonymous features stay', middleware: [manage] as const, request: { params: APP }, responses: json(z.object({ personId: z.string(), deleted: z.boolean() })) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.deletePersonal(ctx(c), p.assemblyId, p.poolId, p.personId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/assemblies/{assemblyId}/sortition/pools/{poolId}/imports/addresses',
        tags: ['sortition'],
        summary: `Stage one of a two-stage lottery: draw addresses for invitation letters (fields addresses, count, seed, addressColumns? comma-separated; or text/csv with ?count=&seed=). ${UPLOAD_DOC}`,
        middleware: [manage] as const,
        request: { params: AP, query: z.object({ count: z.string().optional(), seed: z.string().optional(), addressColumns: z.string().optional() }) },
        responses: created(Any),
      }),
      async (c) => {
        const p = c.req.valid('param');
        const q = c.req.valid('query');
        const f = await readUpload(c, 'addresses');
        const cols = (f.addressColumns ?? q.addressColumns ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        return c.json(svc.drawAddresses(ctx(c), p.assemblyId, p.poolId, { csv: need(f, 'addresses'), count: intField(f, 'count', q.count), seed: f.seed ?? q.seed ?? '', addressColumns: cols }), 201);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/sortition/pools/{poolId}/letters', tags: ['sortition'], summary: 'Invitation letters to print (addresses and registration codes; staff only)', middleware: [manage] as const, request: { params: AP }, responses: json(z.array(Any)) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.lettersOf(ctx(c), p.assemblyId, p.poolId), 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/public/sortition/registration-form', tags: ['public'], summary: 'What a volunteer is asked, given the code on their letter', middleware: [requireAction('public.read')] as const, request: jsonBody(z.strictObject({ code: z.string().trim().min(4).max(64) })), responses: json(Any) }),
      (c) => c.json(svc.registrationForm(ctx(c), c.req.valid('json').code), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/public/sortition/registrations',
        tags: ['public'],
        summary: 'A volunteer registers with the code on their letter: answers for the quotas and contact details (kept apart)',
        middleware: [requireAction('public.read')] as const,
        request: jsonBody(
          z.strictObject({
            code: z.string().trim().min(4).max(64),
            features: z.record(z.string().max(100), z.string().max(100)),
            personal: z.strictObject({ name: z.string().trim().min(1).max(200), email: z.string().trim().email().max(200).optional(), phone: z.string().trim().max(50).optional() }),
          }),
        ),
        responses: created(z.object({ registered: z.boolean(), reference: z.string() })),
      }),
      (c) => c.json(svc.register(ctx(c), c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({ method: 'get', path: '/public/assemblies/{slug}/sortition', tags: ['public'], summary: 'How the members were selected: algorithm, seed, hashes, probability curve, quotas vs panel (no personal data)', middleware: [requireAction('public.read')] as const, request: { params: z.object({ slug: z.string() }) }, responses: json(Any) }),
      (c) => c.json(svc.transparency(ctx(c), c.req.valid('param').slug), 200),
    )
    .openapi(
      createRoute({ method: 'get', path: '/public/assemblies/{slug}/sortition/verify', tags: ['public'], summary: 'Re-run the assembly’s draws now and report every check (rate limited)', middleware: [verifyLimit, requireAction('public.read')] as const, request: { params: z.object({ slug: z.string() }) }, responses: json(Any) }),
      async (c) => c.json(await svc.publicVerify(ctx(c), c.req.valid('param').slug), 200),
    );
}
