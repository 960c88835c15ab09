import { DurableObject, type DurableObjectState } from 'cloudflare:workers';
import { ensureDemo, openObjectService, type ObjectService } from './service.js';
import { adoptAssembly, exportAssembly, lookupPrincipal, mirrorPrincipal, type Principal, type Snapshot } from './sync.js';
import { INTERNAL, PRINCIPAL_HEADER, OBJECT_HEADER } from './routing.js';
import type { WorkerEnv } from './types.js';

type Seeder = (svc: ObjectService, input: unknown) => unknown;
let testSeeder: Seeder | null = null;
/** the test build (src/worker/test-entry.ts) registers the review gate's fixture here */
export function setTestSeeder(fn: Seeder) {
  testSeeder = fn;
}

const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status, headers: { 'content-type': 'application/json' } });

/** Shared by both objects: the service is opened once per object instance, behind blockConcurrencyWhile. */
abstract class PlenaryObject extends DurableObject<WorkerEnv> {
  protected svc: ObjectService | null = null;
  /** tells one instance of the object from the next (tests check that a restart really happened) */
  private readonly instance = crypto.randomUUID();
  private opening: Promise<ObjectService> | null = null;

  constructor(ctx: DurableObjectState, env: WorkerEnv) {
    super(ctx, env);
  }

  protected service(name: string): Promise<ObjectService> {
    if (this.svc) return Promise.resolve(this.svc);
    this.opening ??= this.ctx.blockConcurrencyWhile(async () => {
      this.svc = await openObjectService(this.ctx.storage, this.env, name);
      return this.svc;
    });
    return this.opening;
  }

  /** test-only hooks (PLENARY_TEST=1): raw SQL to seed fixtures, and restarting the object mid-test */
  protected testHook(req: Request, url: URL, svc: ObjectService): Promise<Response> | Response | null {
    if (this.env.PLENARY_TEST !== '1' || !url.pathname.startsWith('/__test/')) return null;
    if (url.pathname === '/__test/sql') {
      return req.json().then((b) => {
        const { sql, params = [] } = b as { sql: string; params?: unknown[] };
        return json(svc.storage.sql.exec(sql, ...params).toArray());
      });
    }
    if (url.pathname === '/__test/seed' && testSeeder) return req.json().then((b) => json(testSeeder!(svc, b)));
    if (url.pathname === '/__test/run-next-job') return svc.deps.jobs.runNext().then((r) => json(r));
    if (url.pathname === '/__test/instance') return json({ instance: this.instance });
    if (url.pathname === '/__test/abort') {
      // the runtime drops this instance; the next request constructs a fresh one over the same storage
      setTimeout(() => (this.ctx as unknown as { abort(reason?: string): void }).abort('test restart'), 0);
      return json({ aborting: this.instance });
    }
    return json({ error: 'unknown test hook' }, 404);
  }

  protected async serve(req: Request, svc: ObjectService): Promise<Response> {
    const raw = req.headers.get(PRINCIPAL_HEADER);
    if (raw) mirrorPrincipal(svc.storage, JSON.parse(decodeURIComponent(raw)) as Principal);
    const headers = new Headers(req.headers);
    headers.delete(PRINCIPAL_HEADER);
    headers.delete(OBJECT_HEADER);
    return svc.app.fetch(new Request(req, { headers }));
  }
}

/** What spans assemblies: admin and staff accounts, sign-in sessions, API tokens, the list of assemblies. One instance. */
export class DirectoryObject extends PlenaryObject {
  override async fetch(req: Request): Promise<Response> {
    const svc = await this.service('directory');
    const url = new URL(req.url);
    const hook = this.testHook(req, url, svc);
    if (hook) return hook;
    if (url.pathname.startsWith(INTERNAL)) {
      const op = url.pathname.slice(INTERNAL.length);
      if (op === 'resolve') {
        const { kind, hash } = (await req.json()) as { kind: Principal['kind']; hash: string };
        return json(lookupPrincipal(svc.storage, kind, hash));
      }
      if (op.startsWith('export/')) {
        const snap = exportAssembly(svc.storage, decodeURIComponent(op.slice('export/'.length)));
        return snap ? json(snap) : json({ error: 'no such assembly' }, 404);
      }
      if (op === 'assemblies') return json(svc.storage.sql.exec('select id, slug from assemblies order by created_at').toArray());
      if (op === 'seed-demo') return json(await ensureDemo(svc));
      return json({ error: `unknown internal operation ${op}` }, 404);
    }
    return this.serve(req, svc);
  }
}

/** One assembly: its members, votes, contributions, review queue, jobs (and their leases) and audit chain. */
export class AssemblyObject extends PlenaryObject {
  private adopted = false;

  /** first start of this assembly's object: take over the rows the directory created the assembly with */
  private adopt(svc: ObjectService, name: string): Promise<void> {
    return this.ctx.blockConcurrencyWhile(async () => {
      if (this.adopted) return;
      if (svc.storage.sql.exec("select 1 from worker_mirror where hash = 'adopted'").toArray().length) {
        this.adopted = true;
        return;
      }
      const res = await this.env.DIRECTORY.get(this.env.DIRECTORY.idFromName('directory')).fetch(`https://directory${INTERNAL}export/${encodeURIComponent(name)}`);
      if (res.status === 404) return; // not created (yet): the app answers 404 for its routes, and we ask again next time
      if (!res.ok) throw new Error(`directory export of ${name} failed: ${res.status}`);
      adoptAssembly(svc.storage, (await res.json()) as Snapshot);
      svc.storage.sql.exec("insert or ignore into worker_mirror (hash, kind) values ('adopted', 'assembly')");
      this.adopted = true;
    });
  }

  override async fetch(req: Request): Promise<Response> {
    const name = req.headers.get(OBJECT_HEADER);
    if (!name) return json({ error: 'assembly objects are reached through the Worker' }, 400);
    const svc = await this.service(name);
    if (!this.adopted) await this.adopt(svc, name);
    const url = new URL(req.url);
    const hook = this.testHook(req, url, svc);
    if (hook) return hook;
    if (url.pathname.startsWith(INTERNAL)) return json({ error: 'unknown internal operation' }, 404);
    return this.serve(req, svc);
  }
}
