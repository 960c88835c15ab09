import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { can, type Action } from '../auth/permissions.js';
import { resolveSession, resolveToken, SESSION_COOKIE } from '../auth/sessions.js';
import { PUBLIC, roleOf } from '../context.js';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import type { AppEnv } from './types.js';

/** Resolves the actor from a bearer token or the session cookie; anonymous requests act as the public. */
export function authenticate(db: Db): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.req.header('authorization');
    if (auth) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      if (!m) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".');
      const actor = resolveToken(db, m[1]);
      if (!actor) throw new AppError('UNAUTHENTICATED', 'This API token is unknown or was revoked.');
      c.set('actor', actor);
    } else {
      const cookie = getCookie(c, SESSION_COOKIE);
      const s = cookie ? resolveSession(db, cookie) : null;
      c.set('actor', s?.actor ?? PUBLIC);
      if (s) c.set('csrfToken', s.csrf);
    }
    await next();
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF protection for cookie sessions: unsafe requests authenticated by cookie must carry the session's token,
 * in the `x-csrf-token` header (fetch) or a `_csrf` form field (pages). Bearer-token requests are exempt (no
 * ambient credential). Runs after authenticate.
 */
export function csrfProtect(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const expected = c.get('csrfToken');
    if (expected && UNSAFE.has(c.req.method) && !c.req.header('authorization')) {
      let got = c.req.header('x-csrf-token');
      if (!got) {
        const ct = c.req.header('content-type') ?? '';
        if (ct.startsWith('application/x-www-form-urlencoded') || ct.startsWith('multipart/form-data')) {
          const body = await c.req.parseBody();
          got = typeof body._csrf === 'string' ? body._csrf : undefined;
        }
      }
      if (got !== expected) throw new AppError('FORBIDDEN', 'This form has expired or did not come from Plenary (CSRF check failed). Reload the page and try again.');
    }
    await next();
  };
}

export type GuardMiddleware = MiddlewareHandler<AppEnv> & { action: Action };

/**
 * Every route declares the one action it performs. Anonymous callers of a non-public action get 401; signed-in
 * callers without the permission get 403; participants are confined to assemblies they belong to (by the
 * route's :assemblyId). The route-enumeration tests read `.action` off this middleware.
 */
export function requireAction(action: Action): GuardMiddleware {
  const mw = (async (c, next) => {
    const actor = c.get('actor');
    if (!can(roleOf(actor), action)) {
      if (actor.kind === 'public') throw new AppError('UNAUTHENTICATED', 'Sign in to do this.', { action });
      throw new AppError('FORBIDDEN', `Your role (${actor.role}) does not allow '${action}'.`, { action });
    }
    const assemblyId = c.req.param('assemblyId');
    if (assemblyId && actor.kind === 'user' && actor.role === 'participant' && !actor.assemblyIds.includes(assemblyId)) {
      throw new AppError('FORBIDDEN', 'You are not a member of this assembly.', { action });
    }
    await next();
  }) as GuardMiddleware;
  mw.action = action;
  return mw;
}
