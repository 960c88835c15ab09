import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { can, CO_FACILITATOR_DENIED, type Action, type Role } from '../auth/permissions.js';
import { resolveSession, resolveTokenState, SESSION_COOKIE } from '../auth/sessions.js';
import { PUBLIC, roleOf, type Actor } from '../context.js';
import type { Db } from '../db/client.js';
import { AppError, saying } from '../errors.js';
import { anonymiseResponse } from './research-anon.js';
import type { AppEnv } from './types.js';

const TOKEN_PROBLEMS = {
  unknown: 'This API token is unknown or was revoked.',
  expired: 'This API token has expired; create a new one.',
  revoked: 'This API token was revoked.',
} as const;

/** Resolves the actor from a bearer token or the session cookie; anonymous requests act as the public. */
export function authenticate(db: Db): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('guardDb', db);
    const auth = c.req.header('authorization');
    if (auth) {
      const m = /^Bearer\s+(\S+)$/i.exec(auth);
      if (!m) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>".');
      const state = resolveTokenState(db, m[1]);
      if ('problem' in state) throw new AppError('UNAUTHENTICATED', TOKEN_PROBLEMS[state.problem]);
      c.set('actor', state.actor);
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

export type GuardMiddleware = MiddlewareHandler<AppEnv> & { action: Action; onArchive: 'refuse' | 'allow' };

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The one answer to a change on an archived assembly. */
export const archiveRefusal = () =>
  saying(new AppError('CONFLICT', 'This assembly is an archive and cannot be changed.', { archived: true }), 'error.archived');

/**
 * The role that decides an action: on an assembly-scoped route (`:assemblyId`), a facilitator's or researcher's
 * role on that assembly (none: not allowed there), with a co-facilitator acting as a facilitator less
 * CO_FACILITATOR_DENIED; elsewhere the account's role. Public actions are open to everyone everywhere.
 */
export function decide(actor: Actor, action: Action, assemblyId: string | undefined): { ok: true; role: Role } | { ok: false; reason: 'role' | 'assembly' | 'member' } {
  const role = roleOf(actor);
  if (!can(role, action)) return { ok: false, reason: 'role' };
  if (!assemblyId || actor.kind !== 'user' || can('public', action)) return { ok: true, role };
  if (actor.role === 'participant') return actor.assemblyIds.includes(assemblyId) ? { ok: true, role } : { ok: false, reason: 'member' };
  if (actor.role === 'admin') return { ok: true, role };
  const held = actor.staffRoles?.[assemblyId];
  if (!held) return { ok: false, reason: 'assembly' };
  const effective: Role = held === 'researcher' ? 'researcher' : 'facilitator';
  if (!can(effective, action) || (held === 'co-facilitator' && CO_FACILITATOR_DENIED.includes(action))) return { ok: false, reason: 'assembly' };
  return { ok: true, role: effective };
}

/**
 * Every route declares the one action it performs. Anonymous callers of a non-public action get 401; signed-in
 * callers without the permission get 403; participants are confined to assemblies they belong to, and staff to
 * the assemblies where an admin gave them a role, by the route's :assemblyId. Researchers read members through
 * stable random ids, never pseudonyms (see research-anon.ts). Writes (non-GET) on an archived assembly's routes get
 * 409 whoever asks (`onArchive: 'allow'` for the few that only read it). The route-enumeration tests read `.action`
 * and `.onArchive` off this middleware.
 */
export function requireAction(action: Action, opts: { onArchive?: 'refuse' | 'allow' } = {}): GuardMiddleware {
  const onArchive = opts.onArchive ?? 'refuse';
  const mw = (async (c, next) => {
    const actor = c.get('actor');
    const assemblyId = c.req.param('assemblyId');
    // an archived assembly (an imported open-data package) is read-only for everyone: every write on its routes is
    // refused here, before any permission, unless the route only reads it (e.g. exporting the archive again)
    if (assemblyId && onArchive === 'refuse' && !SAFE.has(c.req.method) && c.get('readOnly')?.(assemblyId)) throw archiveRefusal();
    const d = decide(actor, action, assemblyId);
    if (!d.ok) {
      if (actor.kind === 'public') throw new AppError('UNAUTHENTICATED', 'Sign in to do this.', { action });
      if (d.reason === 'member') throw new AppError('FORBIDDEN', 'You are not a member of this assembly.', { action });
      if (d.reason === 'assembly') throw new AppError('FORBIDDEN', `Your role on this assembly does not allow '${action}'; an administrator gives staff their roles per assembly.`, { action });
      throw new AppError('FORBIDDEN', `Your role (${roleOf(actor)}) does not allow '${action}'.`, { action });
    }
    await next();
    if (d.role === 'researcher' && assemblyId && actor.kind === 'user' && !can('public', action)) await anonymiseResponse(c, assemblyId);
  }) as GuardMiddleware;
  mw.action = action;
  mw.onArchive = onArchive;
  return mw;
}
