import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { SESSION_COOKIE } from '../../platform/auth/sessions.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import { rateLimit } from '../../platform/http/rate-limit.js';
import type { AppEnv } from '../../platform/http/types.js';
import { ctxFor, type Deps } from '../../deps.js';
import { PASSWORD, PSEUDONYM, USERNAME } from './domain.js';
import * as svc from './service.js';

const User = z.object({ id: z.string(), role: z.string(), username: z.string().nullable(), displayName: z.string(), language: z.string() }).openapi('User');

export function sessionCookie(c: Context<AppEnv>, deps: Deps, value: string, expires: Date) {
  const url = new URL(c.req.url);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  const secure = deps.config.cookieSecure === 'always' || (deps.config.cookieSecure === 'auto' && (url.protocol === 'https:' || !loopback));
  setCookie(c, SESSION_COOKIE, value, { httpOnly: true, sameSite: 'Lax', secure, path: '/', expires });
}

export function identityRoutes(deps: Deps) {
  const signinLimit = rateLimit({ name: 'sign-in', perMinute: deps.config.signinRateLimit });
  return newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/signin',
      tags: ['auth'],
      summary: 'Staff sign-in with a password; sets a session cookie',
      middleware: [signinLimit, requireAction('public.read')] as const,
      request: jsonBody(z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) })),
      responses: json(z.object({ user: User, csrfToken: z.string() })),
    }),
    async (c) => {
      const { user, session } = await svc.signIn(ctxFor(deps, c.get('actor')), c.req.valid('json'));
      sessionCookie(c, deps, session.cookie, session.expiresAt);
      return c.json({ user, csrfToken: session.csrf }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/join',
      tags: ['auth'],
      summary: 'A participant joins an assembly with an invitation code and chooses a pseudonym',
      middleware: [signinLimit, requireAction('public.read')] as const,
      request: jsonBody(z.strictObject({ code: z.string().min(4).max(64), pseudonym: PSEUDONYM, language: z.enum(['fr', 'en']).default('en') })),
      responses: created(z.object({ user: User, assemblyId: z.string(), csrfToken: z.string() })),
    }),
    (c) => {
      const { user, assemblyId, session } = svc.join(ctxFor(deps, c.get('actor')), c.req.valid('json'));
      sessionCookie(c, deps, session.cookie, session.expiresAt);
      return c.json({ user, assemblyId, csrfToken: session.csrf }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/signout',
      tags: ['auth'],
      summary: 'End the cookie session',
      middleware: [requireAction('self.read')] as const,
      responses: { 204: { description: 'Signed out' } },
    }),
    (c) => {
      svc.signOut(ctxFor(deps, c.get('actor')), getCookie(c, SESSION_COOKIE));
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/me',
      tags: ['auth'],
      summary: 'The signed-in account and its memberships',
      middleware: [requireAction('self.read')] as const,
      responses: json(User.extend({ memberships: z.array(z.object({ assemblyId: z.string(), pseudonym: z.string().nullable() })) })),
    }),
    (c) => c.json(svc.me(ctxFor(deps, c.get('actor'))), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/tokens',
      tags: ['auth'],
      summary: 'Create an API token (shown once; stored hashed)',
      middleware: [requireAction('tokens.manage')] as const,
      request: jsonBody(z.strictObject({ name: z.string().trim().min(1).max(80) })),
      responses: created(z.object({ id: z.string(), token: z.string() })),
    }),
    (c) => c.json(svc.issueToken(ctxFor(deps, c.get('actor')), c.req.valid('json').name), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tokens',
      tags: ['auth'],
      summary: 'List my API tokens',
      middleware: [requireAction('tokens.manage')] as const,
      responses: json(z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() }))),
    }),
    (c) => c.json(svc.listTokens(ctxFor(deps, c.get('actor'))), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/tokens/{tokenId}',
      tags: ['auth'],
      summary: 'Revoke an API token',
      middleware: [requireAction('tokens.manage')] as const,
      request: { params: z.object({ tokenId: z.string() }) },
      responses: { 204: { description: 'Revoked' } },
    }),
    (c) => {
      svc.revokeToken(ctxFor(deps, c.get('actor')), c.req.valid('param').tokenId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/users',
      tags: ['admin'],
      summary: 'Create a staff account (admin)',
      middleware: [requireAction('users.manage')] as const,
      request: jsonBody(z.strictObject({ username: USERNAME, displayName: z.string().trim().min(1).max(80), role: z.enum(['admin', 'facilitator', 'researcher']), password: PASSWORD, language: z.enum(['fr', 'en']).optional() })),
      responses: created(User),
    }),
    async (c) => c.json(await svc.createStaffUser(ctxFor(deps, c.get('actor')), c.req.valid('json')), 201),
  );
}
