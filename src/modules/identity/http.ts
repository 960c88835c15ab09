import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { SESSION_COOKIE } from '../../platform/auth/sessions.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import { bucket } from '../../platform/http/rate-limit.js';
import type { AppEnv } from '../../platform/http/types.js';
import { ctxFor, type Deps } from '../../deps.js';
import { PASSPHRASE, PASSWORD, PSEUDONYM, TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS, USERNAME } from './domain.js';
import * as svc from './service.js';
import { memberAccessList, reissueCode, setPassphrase } from './access.js';
import { ASSEMBLY_STAFF_ROLES, grantStaffRole, listStaffRoles, revokeStaffRole, staffOverview } from './staff-roles.js';

const Token = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), expiresAt: z.string().nullable(), revokedAt: z.string().nullable() }).openapi('ApiToken');
const AssemblyParam = z.object({ assemblyId: z.string().min(1) });
const MemberParam = AssemblyParam.extend({ userId: z.string().min(1) });
const User = z.object({ id: z.string(), role: z.string(), username: z.string().nullable(), displayName: z.string(), language: z.string() }).openapi('User');

export function sessionCookie(c: Context<AppEnv>, deps: Deps, value: string, expires: Date) {
  const url = new URL(c.req.url);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  const secure = deps.config.cookieSecure === 'always' || (deps.config.cookieSecure === 'auto' && (url.protocol === 'https:' || !loopback));
  setCookie(c, SESSION_COOKIE, value, { httpOnly: true, sameSite: 'Lax', secure, path: '/', expires });
}

export function identityRoutes(deps: Deps) {
  const signinLimit = bucket(deps.config, 'signin');
  const joinLimit = bucket(deps.config, 'join');
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
      summary: 'Join an assembly with an invitation code and a new pseudonym (201), or come back with your code and pseudonym (200)',
      description: 'The code on a member’s letter stays their key: the same code with the same pseudonym signs them back in on any device; another pseudonym is refused (ask a facilitator). A passphrase is required when the member added one. Failed tries back off per code.',
      middleware: [joinLimit, requireAction('public.read')] as const,
      request: jsonBody(z.strictObject({ code: z.string().min(4).max(64), pseudonym: PSEUDONYM, language: z.enum(['fr', 'en']).default('en'), passphrase: z.string().max(200).optional() })),
      responses: {
        ...created(z.object({ user: User, assemblyId: z.string(), csrfToken: z.string(), returning: z.boolean() })),
        200: { description: 'Signed back in', content: { 'application/json': { schema: z.object({ user: User, assemblyId: z.string(), csrfToken: z.string(), returning: z.boolean() }) } } },
      },
    }),
    async (c) => {
      const { user, assemblyId, session, returning } = await svc.enter(ctxFor(deps, c.get('actor')), c.req.valid('json'));
      sessionCookie(c, deps, session.cookie, session.expiresAt);
      return c.json({ user, assemblyId, csrfToken: session.csrf, returning }, returning ? 200 : 201);
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
      summary: `Create an API token (shown once; stored hashed); it expires after \`days\` (default ${TOKEN_DEFAULT_DAYS})`,
      middleware: [requireAction('tokens.manage')] as const,
      request: jsonBody(z.strictObject({ name: z.string().trim().min(1).max(80), days: z.number().int().min(1).max(TOKEN_MAX_DAYS).optional() })),
      responses: created(z.object({ id: z.string(), token: z.string(), expiresAt: z.string() })),
    }),
    (c) => {
      const b = c.req.valid('json');
      return c.json(svc.issueToken(ctxFor(deps, c.get('actor')), b.name, b.days), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tokens',
      tags: ['auth'],
      summary: 'List my API tokens',
      middleware: [requireAction('tokens.manage')] as const,
      responses: json(z.array(Token)),
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
  )
  .route('/', accessRoutes(deps));
}

/** Members coming back, staff roles per assembly, and the admin's view of every API token. */
function accessRoutes(deps: Deps) {
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));
  const StaffRole = z.enum(ASSEMBLY_STAFF_ROLES);
  return newRouter()
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/members/access', tags: ['members'], summary: 'Members with when they last signed in, when their code was issued and whether they added a passphrase',
        middleware: [requireAction('members.invite')] as const, request: { params: AssemblyParam },
        responses: json(z.array(z.object({ userId: z.string(), pseudonym: z.string().nullable(), joinedAt: z.string(), lastSignInAt: z.string().nullable(), codeIssuedAt: z.string().nullable(), hasPassphrase: z.boolean(), closed: z.boolean() }))),
      }),
      (c) => c.json(memberAccessList(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/members/{userId}/code', tags: ['members'], summary: 'Reissue a member’s code (shown once): the old code stops working, the passphrase is removed, open sessions end',
        middleware: [requireAction('members.invite')] as const, request: { params: MemberParam },
        responses: created(z.object({ userId: z.string(), code: z.string(), codeIssuedAt: z.string() })),
      }),
      (c) => c.json(reissueCode(ctx(c), c.req.valid('param').assemblyId, c.req.valid('param').userId), 201),
    )
    .openapi(
      createRoute({
        method: 'put', path: '/assemblies/{assemblyId}/me/passphrase', tags: ['members'], summary: 'Add or change the passphrase required with my code (null removes it)',
        middleware: [requireAction('self.data')] as const, request: { params: AssemblyParam, ...jsonBody(z.strictObject({ passphrase: PASSPHRASE.nullable() })) },
        responses: json(z.object({ hasPassphrase: z.boolean() })),
      }),
      async (c) => c.json(await setPassphrase(ctx(c), c.req.valid('param').assemblyId, c.req.valid('json').passphrase), 200),
    )
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/staff', tags: ['admin'], summary: 'Staff roles on an assembly (admin)',
        middleware: [requireAction('users.manage')] as const, request: { params: AssemblyParam },
        responses: json(z.array(z.object({ userId: z.string(), role: StaffRole, displayName: z.string(), username: z.string().nullable(), grantedAt: z.string() }))),
      }),
      (c) => c.json(listStaffRoles(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({
        method: 'put', path: '/assemblies/{assemblyId}/staff/{userId}', tags: ['admin'], summary: 'Give a staff account a role on this assembly: facilitator, co-facilitator or researcher (admin)',
        middleware: [requireAction('users.manage')] as const, request: { params: MemberParam, ...jsonBody(z.strictObject({ role: StaffRole })) },
        responses: json(z.object({ assemblyId: z.string(), userId: z.string(), role: StaffRole })),
      }),
      (c) => c.json(grantStaffRole(ctx(c), c.req.valid('param').assemblyId, c.req.valid('param').userId, c.req.valid('json').role), 200),
    )
    .openapi(
      createRoute({
        method: 'delete', path: '/assemblies/{assemblyId}/staff/{userId}', tags: ['admin'], summary: 'Remove a staff account’s role on this assembly (admin)',
        middleware: [requireAction('users.manage')] as const, request: { params: MemberParam }, responses: { 204: { description: 'Removed' } },
      }),
      (c) => {
        revokeStaffRole(ctx(c), c.req.valid('param').assemblyId, c.req.valid('param').userId);
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/staff', tags: ['admin'], summary: 'Every staff account with its role on each assembly (admin)',
        middleware: [requireAction('users.manage')] as const,
        responses: json(z.array(z.object({ id: z.string(), username: z.string().nullable(), displayName: z.string(), role: z.string(), disabled: z.boolean(), assemblies: z.array(z.object({ assemblyId: z.string(), title: z.string(), role: StaffRole })) }))),
      }),
      (c) => c.json(staffOverview(ctx(c)), 200),
    )
    .openapi(
      createRoute({
        method: 'get', path: '/admin/tokens', tags: ['admin'], summary: 'Every API token: owner, last use, expiry, revocation (admin)',
        middleware: [requireAction('users.manage')] as const,
        responses: json(z.array(Token.extend({ userId: z.string(), user: z.string(), role: z.string() }))),
      }),
      (c) => c.json(svc.listAllTokens(ctx(c)), 200),
    )
    .openapi(
      createRoute({
        method: 'delete', path: '/admin/tokens/{tokenId}', tags: ['admin'], summary: 'Revoke anyone’s API token (admin)',
        middleware: [requireAction('users.manage')] as const, request: { params: z.object({ tokenId: z.string() }) }, responses: { 204: { description: 'Revoked' } },
      }),
      (c) => {
        svc.revokeToken(ctx(c), c.req.valid('param').tokenId, { anyUser: true });
        return c.body(null, 204);
      },
    );
}
