/**
 * Plenary on Cloudflare Workers: the same createApp(deps) as the Node service, run inside Durable Objects.
 *
 *   Worker (this file, stateless)  ──►  DirectoryObject ('directory'): accounts, sessions, API tokens, assembly list
 *                                  └─►  AssemblyObject (one per assembly id): members, votes, contributions, review
 *                                       queue, jobs and their leases, audit chain — each in its own SQLite
 *
 * The Worker picks the object (src/worker/routing.ts), strips internal headers from the outside, and for an
 * assembly-scoped request asks the directory who the caller is (cached a few seconds per isolate) and passes that
 * along, so the assembly object's own authenticate() sees the same session or token. Analysis jobs are leased by
 * Node workers over the job API (`plenary worker --remote URL --token T`). See README "Cloudflare Workers".
 */
import { AssemblyObject, DirectoryObject } from './worker/objects.js';
import { assemblyObject, credentialOf, directory, INTERNAL, OBJECT_HEADER, PRINCIPAL_HEADER, targetOf } from './worker/routing.js';
import type { Principal } from './worker/sync.js';
import type { WorkerEnv } from './worker/types.js';

export { AssemblyObject, DirectoryObject };

let demo: Promise<string> | null = null;
const principals = new Map<string, { at: number; p: Principal }>();
const slugs = new Map<string, string>();

async function seedDemoOnce(env: WorkerEnv): Promise<void> {
  if (env.PLENARY_DEMO !== '1' && env.PLENARY_DEMO !== 'true') return;
  demo ??= directory(env)
    .fetch(`https://directory${INTERNAL}seed-demo`, { method: 'POST' })
    .then(async (r) => {
      if (!r.ok) throw new Error(`demo seed failed: ${r.status} ${await r.text()}`);
      return ((await r.json()) as { assemblyId: string }).assemblyId;
    });
  try {
    await demo;
  } catch (e) {
    demo = null;
    throw e;
  }
}

async function principalFor(env: WorkerEnv, req: Request): Promise<Principal | null> {
  const cred = credentialOf(req);
  if (!cred) return null;
  const ttl = Number(env.PLENARY_AUTH_CACHE_SECONDS ?? 5) * 1000;
  const key = `${cred.kind}:${cred.hash}`;
  const hit = principals.get(key);
  if (hit && Date.now() - hit.at < ttl) return hit.p;
  const r = await directory(env).fetch(`https://directory${INTERNAL}resolve`, { method: 'POST', body: JSON.stringify(cred) });
  const p = (await r.json()) as Principal;
  if (ttl > 0) {
    if (principals.size > 10_000) principals.clear();
    principals.set(key, { at: Date.now(), p });
  }
  return p;
}

async function assemblies(env: WorkerEnv): Promise<{ id: string; slug: string }[]> {
  const r = await directory(env).fetch(`https://directory${INTERNAL}assemblies`);
  return (await r.json()) as { id: string; slug: string }[];
}

async function idForSlug(env: WorkerEnv, slug: string): Promise<string | null> {
  const hit = slugs.get(slug);
  if (hit) return hit;
  for (const a of await assemblies(env)) slugs.set(a.slug, a.id);
  return slugs.get(slug) ?? null;
}

async function toAssembly(env: WorkerEnv, req: Request, id: string): Promise<Response> {
  const headers = new Headers(req.headers);
  headers.set(OBJECT_HEADER, id);
  const p = await principalFor(env, req);
  if (p) headers.set(PRINCIPAL_HEADER, encodeURIComponent(JSON.stringify(p)));
  return assemblyObject(env, id).fetch(new Request(req, { headers }));
}

/** an invitation code belongs to one assembly: ask each until one accepts it (the demo has one; see README) */
async function join(env: WorkerEnv, req: Request): Promise<Response> {
  const body = await req.arrayBuffer();
  let last: Response | null = null;
  for (const a of await assemblies(env)) {
    const res = await toAssembly(env, new Request(req, { body }), a.id);
    if (res.status < 400) return res;
    last = res;
  }
  return last ?? directory(env).fetch(new Request(req, { body }));
}

export default {
  async fetch(request: Request, env: WorkerEnv): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith(INTERNAL) || (url.pathname.startsWith('/__test/') && env.PLENARY_TEST !== '1')) {
      return new Response(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: `There is nothing at ${request.method} ${url.pathname}.` }), { status: 404, headers: { 'content-type': 'application/problem+json' } });
    }
    await seedDemoOnce(env);
    // the objects trust these headers: only the Worker sets them
    const headers = new Headers(request.headers);
    headers.delete(PRINCIPAL_HEADER);
    headers.delete(OBJECT_HEADER);
    headers.set('x-forwarded-for', request.headers.get('cf-connecting-ip') ?? 'local');
    const req = new Request(request, { headers });

    const testAssembly = env.PLENARY_TEST === '1' && url.pathname.startsWith('/__test/') ? request.headers.get('x-plenary-test-assembly') : null;
    if (testAssembly) return toAssembly(env, req, testAssembly);
    const t = targetOf(req.method, url.pathname);
    if (t.kind === 'assembly') return toAssembly(env, req, t.id);
    if (t.kind === 'assembly-slug') {
      const id = await idForSlug(env, t.slug);
      if (id) return toAssembly(env, req, id);
    }
    if (t.kind === 'join') return join(env, req);
    return directory(env).fetch(req);
  },
};
