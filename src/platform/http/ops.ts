import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { sql } from 'drizzle-orm';
import { speechCoverage } from '../../../models/cli.js';
import { assemblies } from '../db/schema.js';
import type { Deps } from '../../deps.js';
import { auditSigner, signedHead } from '../audit/head.js';
import { CHROMIUM_FIX, findChromium } from '../chromium.js';
import { requireAction } from './guard.js';
import type { Router } from './openapi.js';
import type { AppEnv } from './types.js';

/** tasks the service works without (abstractive text generation is an optional extra) */
const OPTIONAL_TASKS = new Set(['textGenerator']);

export const API_INFO = {
  title: 'Plenary API',
  version: '0.1.0',
  description:
    'Online citizens’ assemblies with reviewed, offline AI analysis. Authenticate with a session cookie (pages) or `Authorization: Bearer <token>` (create one at POST /api/tokens). Errors are application/problem+json.',
};

export function openApiDocument(api: Router) {
  return api.getOpenAPI31Document({ openapi: '3.1.0', info: API_INFO, servers: [{ url: '/api' }] });
}

/** /healthz, /readyz, /openapi.json, the API docs page, and the audit head and key under /.well-known. */
export function opsRoutes(deps: Deps, api: Router, _opts: { rootOnly?: boolean } = {}) {
  const r = new Hono<AppEnv>();
  if (!_opts.rootOnly) return r;
  const ops = requireAction('ops.read');

  r.get('/healthz', ops, (c) => c.json({ status: 'ok' }));

  r.get('/readyz', ops, async (c) => {
    let database: { ok: boolean; error?: string } = { ok: true };
    try {
      deps.db.get(sql`select 1`);
    } catch (e) {
      database = { ok: false, error: (e as Error).message };
    }
    const [backends, tools] = await Promise.all([deps.models.status().catch(() => []), deps.models.tools().catch(() => [])]);
    const missing = [
      ...backends.filter((b) => !b.available && b.tier === 'offline' && !OPTIONAL_TASKS.has(b.task)).map((b) => ({ what: `${b.task}: ${b.backend}`, fix: b.fix ?? null, reason: b.reason ?? null })),
      ...tools.filter((t) => !t.available).map((t) => ({ what: `tool: ${t.name}`, fix: t.fix ?? null, reason: null })),
    ];
    const optional = backends.filter((b) => !b.available && OPTIONAL_TASKS.has(b.task)).map((b) => ({ what: `${b.task} (optional)`, fix: b.fix ?? null }));
    // speech recognition per language: the configured languages and every assembly's (French has none offline)
    let assemblyLanguages: string[] = [];
    try {
      assemblyLanguages = deps.db.select({ l: assemblies.languages }).from(assemblies).all().flatMap((r) => r.l);
    } catch {
      /* the database error is reported above */
    }
    const speech = speechCoverage(backends, [...deps.config.languages, ...assemblyLanguages]);
    for (const l of speech.without) missing.push({ what: `speech recognition: ${l}`, fix: speech.fix ?? null, reason: `no installed speech recognition covers '${l}' (covered: ${speech.languages.join(', ') || 'none'})` });
    // brochure PDFs are printed by headless Chromium; without it the brochure's HTML view still works
    const chromium = findChromium();
    const brochure = { pdf: !!chromium, chromium, ...(chromium ? {} : { fix: CHROMIUM_FIX }) };
    if (!chromium) missing.push({ what: 'brochure PDF: chromium', fix: CHROMIUM_FIX, reason: 'headless Chromium prints brochures to PDF; the HTML view works without it' });
    const body = { ready: database.ok, database, missing, optional, speech, brochure, backends, tools };
    return c.json(body, database.ok ? 200 : 503);
  });

  r.get('/openapi.json', ops, (c) => c.json(openApiDocument(api)));

  // the audit chain's published head and the key that verifies it (see src/platform/audit/head.ts)
  const pub = requireAction('public.read');
  r.get('/.well-known/plenary-audit-key', pub, (c) => {
    const s = auditSigner(deps.config.dataDir, deps.config);
    return c.body(s.publicPem, 200, { 'content-type': 'application/x-pem-file', 'x-plenary-key-id': s.keyId, 'cache-control': 'no-cache' });
  });
  r.get('/.well-known/plenary-audit-head', pub, (c) => c.json(signedHead(deps.db, auditSigner(deps.config.dataDir, deps.config)), 200, { 'cache-control': 'no-store' }));

  r.get('/docs', ops, (c) => {
    const doc = openApiDocument(api) as unknown as { paths: Record<string, Record<string, { summary?: string; tags?: string[]; requestBody?: { content?: Record<string, { schema?: unknown }> } }>> };
    const rows = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), summary: op.summary ?? '', tag: op.tags?.[0] ?? '', body: op.requestBody?.content?.['application/json']?.schema })),
    );
    rows.sort((a, b) => a.tag.localeCompare(b.tag) || a.path.localeCompare(b.path));
    return c.html(html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>Plenary API</title>
          <link rel="stylesheet" href="/static/app.css" />
        </head>
        <body>
          <main class="wrap">
            <h1>${API_INFO.title} <small>${API_INFO.version}</small></h1>
            <p>${API_INFO.description}</p>
            <p>Machine-readable description: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). All paths below are under <code>/api</code>.</p>
            <table>
              <thead><tr><th scope="col">Area</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">What it does</th><th scope="col">JSON body</th></tr></thead>
              <tbody>
                ${rows.map(
                  (x) => html`<tr><td>${x.tag}</td><td><code>${x.method}</code></td><td><code>${x.path}</code></td><td>${x.summary}</td><td>${x.body ? raw(`<details><summary>schema</summary><pre tabindex="0">${escape(JSON.stringify(x.body, null, 1))}</pre></details>`) : ''}</td></tr>`,
                )}
              </tbody>
            </table>
          </main>
        </body>
      </html>`);
  });
  return r;
}

function escape(s: string) {
  return s.replace(/[&<>]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[ch]!);
}
