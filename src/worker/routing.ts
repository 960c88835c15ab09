import { SESSION_COOKIE } from '../platform/auth/sessions.js';
import { sha256 } from '../platform/ids.js';
import type { Principal } from './sync.js';
import type { DurableObjectStub, WorkerEnv } from './types.js';

export const INTERNAL = '/__internal/';
export const PRINCIPAL_HEADER = 'x-plenary-principal';
export const OBJECT_HEADER = 'x-plenary-object';

/**
 * Which object answers a request:
 * - assembly-scoped paths — `/api/assemblies/{id}/…` (and `/api/assemblies/{id}`), pages `/a/{id}/…` and
 *   `/facilitate/{id}/…`, public pages by slug `/p/{slug}` and `/api/public/assemblies/{slug}` — go to that assembly's
 *   object (`idFromName(assembly id)`);
 * - joining with an invitation code (`/api/auth/join`, `POST /join`) goes to the assembly holding the code;
 * - everything else (sign-in and out, accounts and tokens, the assembly list and creation, home, static files,
 *   OpenAPI, health) goes to the one directory object.
 */
export type Target = { kind: 'assembly'; id: string } | { kind: 'assembly-slug'; slug: string } | { kind: 'join' } | { kind: 'directory' };

const SCOPED = /^\/(?:api\/assemblies|a|facilitate)\/([^/]+)(?:\/|$)/;
const BY_SLUG = /^\/(?:p|api\/public\/assemblies)\/([^/]+)(?:\/|$)/;

export function targetOf(method: string, path: string): Target {
  const m = SCOPED.exec(path);
  if (m) return { kind: 'assembly', id: decodeURIComponent(m[1]) };
  const s = BY_SLUG.exec(path);
  if (s) return { kind: 'assembly-slug', slug: decodeURIComponent(s[1]) };
  if (method === 'POST' && (path === '/api/auth/join' || path === '/join')) return { kind: 'join' };
  return { kind: 'directory' };
}

export const directory = (env: WorkerEnv): DurableObjectStub => env.DIRECTORY.get(env.DIRECTORY.idFromName('directory'));
export const assemblyObject = (env: WorkerEnv, id: string): DurableObjectStub => env.ASSEMBLY.get(env.ASSEMBLY.idFromName(id));

/** The credential a request carries (bearer token first, as the app's authenticate does), hashed as the app stores it. */
export function credentialOf(req: Request): { kind: Principal['kind']; hash: string } | null {
  const auth = req.headers.get('authorization');
  const bearer = auth ? /^Bearer\s+(\S+)$/i.exec(auth)?.[1] : undefined;
  if (bearer) return { kind: 'token', hash: sha256(bearer) };
  const cookie = req.headers.get('cookie');
  if (!cookie) return null;
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) {
      try {
        return { kind: 'session', hash: sha256(decodeURIComponent(v.join('='))) };
      } catch {
        return null;
      }
    }
  }
  return null;
}
