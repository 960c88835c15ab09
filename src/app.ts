import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { Deps } from './deps.js';
import { MODULES, type Module } from './modules/index.js';
import { authenticate, csrfProtect } from './platform/http/guard.js';
import { problemResponse } from './platform/http/errors.js';
import { newRouter } from './platform/http/openapi.js';
import { writeRateLimit } from './platform/http/rate-limit.js';
import type { AppEnv } from './platform/http/types.js';
import { AppError } from './platform/errors.js';
import { clientIp } from './platform/http/client-ip.js';
import { opsRoutes } from './platform/http/ops.js';
import { requireUtf8 } from './platform/http/utf8.js';
import { webPages } from './web/pages.js';
import { inReaderLanguage, negotiateLanguage } from './web/i18n.js';
import { errorPage, wantsPage } from './web/error-page.js';

const UPLOAD_PATH = /\/(uploads?|imports?)(\/|$)/;

/** Builds the whole service from its dependencies; no globals, so tests build as many as they like. */
export function createApp(deps: Deps, modules: Module[] = MODULES) {
  for (const m of modules) for (const k of m.reviewKinds?.(deps) ?? []) deps.reviewKinds.register(k);
  for (const m of modules) for (const [kind, desk] of Object.entries(m.desks?.(deps) ?? {})) deps.reviewKinds.attachDesk(kind, desk);
  for (const m of modules) m.jobs?.(deps);

  const app = new Hono<AppEnv>();
  app.use('*', requestId({ headerName: 'x-request-id' }));
  app.use('*', async (c, next) => {
    const log = deps.logger.child({ requestId: c.get('requestId') });
    c.set('logger', log);
    const t0 = performance.now();
    await next();
    log.debug({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - t0) }, 'request');
  });
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], styleSrc: ["'self'", "'unsafe-inline'"], scriptSrc: ["'self'"], mediaSrc: ["'self'", 'blob:'], connectSrc: ["'self'"] },
    }),
  );
  const limiter = (limit: number): MiddlewareHandler<AppEnv> => {
    const tooLarge = () => {
      throw new AppError('TOO_LARGE', `The request body is larger than the ${Math.round(limit / 1000)} kB this server accepts.`, { limit });
    };
    const streaming = bodyLimit({ maxSize: limit, onError: tooLarge });
    // Fast path: a body with a Content-Length (and no Transfer-Encoding) is judged by its header, read off the
    // request's headers without touching `c.req.raw.body` — on @hono/node-server that getter builds a full WHATWG
    // Request (AbortController, ReadableStream, Headers) for every request, which cost ≈ 8 % of a vote's CPU time
    // (evals/bench/votes-http.ts, --cpu-prof). GET/HEAD carry no body. Chunked bodies are counted as they stream in.
    return (c, next) => {
      const m = c.req.method;
      if (m === 'GET' || m === 'HEAD') return next();
      const cl = c.req.header('content-length');
      if (cl !== undefined && c.req.header('transfer-encoding') === undefined) return parseInt(cl, 10) > limit ? tooLarge() : next();
      return streaming(c, next);
    };
  };
  const jsonLimit = limiter(deps.config.bodyLimit);
  const uploadLimit = limiter(deps.config.uploadLimit);
  app.use('*', (c, next) => (UPLOAD_PATH.test(c.req.path) ? uploadLimit(c, next) : jsonLimit(c, next)));
  // the client's address once, with the trust-proxy setting: every rate limit (the shared buckets and the sortition
  // module's own) keys anonymous callers by it
  app.use('*', (c, next) => {
    c.set('clientIp', clientIp(c, deps.config.trustProxy));
    return next();
  });
  app.use('*', requireUtf8()); // before anything reads the body: JSON, forms and text uploads must be UTF-8
  app.use('*', authenticate(deps.db));
  const locks = modules.flatMap((m) => (m.readOnly ? [m.readOnly(deps)] : []));
  const readOnly = (assemblyId: string) => locks.some((f) => f(assemblyId));
  app.use('*', (c, next) => {
    c.set('readOnly', readOnly);
    return next();
  });
  app.use('*', csrfProtect());
  app.use('*', async (c, next) => {
    c.set('lang', negotiateLanguage(c));
    await next();
  });
  // every write, page form or API, is rate limited per account (signed in) or per address (anonymous)
  app.use('*', writeRateLimit(deps.config));

  const api = newRouter();
  for (const m of modules) {
    const r = m.api?.(deps);
    if (r) api.route('/', r);
  }
  app.route('/api', api);
  app.route('/', opsRoutes(deps, api, { rootOnly: true }));
  for (const m of modules) {
    const p = m.pages?.(deps);
    if (p) app.route('/', p);
  }
  app.route('/', webPages(deps));

  // page routes answer browsers with a page in the site's layout and the reader's language; /api stays problem+json
  app.notFound((c) => {
    const err = new AppError('NOT_FOUND', `There is nothing at ${c.req.method} ${c.req.path}.`);
    return wantsPage(c) ? errorPage(c, err) : problemResponse(c, err);
  });
  app.onError((err, c) => (wantsPage(c) ? errorPage(c, err) : problemResponse(c, inReaderLanguage(err, c.get('lang')))));
  return app;
}

export type App = ReturnType<typeof createApp>;
