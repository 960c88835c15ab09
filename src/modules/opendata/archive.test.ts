import { beforeAll, describe, expect, it } from 'vitest';
import { ctxFor, type Deps } from '../../deps.js';
import { auditLog } from '../../platform/db/schema.js';
import { endpoints, fillPath } from '../../testing/routes.js';
import { routeSamples } from '../../testing/samples.js';
import { testService, type TestService } from '../../testing/service.js';
import { createAssembly } from '../assemblies/service.js';
import { finalRecommendation } from '../impact/testing.js';
import { listImpact } from '../impact/service.js';
import { importPackage } from './importer.js';
import { download, requestExport } from './service.js';
import { runJob } from './testkit.js';

/**
 * An imported archive is read-only, enforced once, in the guard: every write route of the app (found by enumerating
 * it, so a route added later is checked too) answers 409 on the archive, for an admin as for anyone, and writes
 * nothing. Reading the archive, and exporting it again, still work.
 */
const admin = (deps: Deps) => ctxFor(deps, { kind: 'user', id: 'system', role: 'admin', displayName: 'admin', language: 'en', via: 'token', assemblyIds: [] });

let s: TestService;
let archiveId: string;
let samples: Record<string, string>;
beforeAll(async () => {
  // the package comes from another instance: an assembly with a final recommendation
  const src = await testService();
  const a = createAssembly(admin(src.deps), { slug: 'old-assembly', title: 'An assembly of 2025', languages: ['en', 'fr'] });
  finalRecommendation(src, 'Buses every ten minutes', a.id);
  const { job } = requestExport(admin(src.deps), src.deps.jobs, a.id, { status: 'final' });
  const done = await runJob(src, job.id);
  expect(done.status, done.error ?? '').toBe('succeeded');
  const bytes = download(admin(src.deps), a.id, (done.result as { exportId: string }).exportId).bytes;
  s = await testService();
  archiveId = importPackage(admin(s.deps), bytes).assemblyId;
  samples = { ...routeSamples(s), assemblyId: archiveId };
}, 120_000);

describe('an archived assembly is read-only', () => {
  it('every write route on it answers 409 problem+json, whoever asks, and nothing is written', async () => {
    const writes = endpoints(s.app).filter((e) => e.path.includes(':assemblyId') && !['GET', 'HEAD', 'OPTIONS'].includes(e.method));
    const audit = s.db.select().from(auditLog).all().length;
    const failures: string[] = [];
    let refused = 0;
    for (const e of writes) {
      if (e.onArchive === 'allow') continue;
      const path = fillPath(e.path, samples);
      for (const role of ['admin', 'facilitator', 'participant', 'public'] as const) {
        const res = await s.call(role, e.method, path, {});
        const body = await res.text();
        const ok = res.status === 409 && res.headers.get('content-type')?.includes('application/problem+json') && (JSON.parse(body) as { detail: string }).detail === 'This assembly is an archive and cannot be changed.';
        // the remote job API takes only a worker's token: a caller without one is refused (401) before any assembly is read
        const workerOnly = role === 'public' && e.path.includes('/worker/') && res.status === 401;
        if (!ok && !workerOnly) failures.push(`${role} ${e.method} ${e.path}: ${res.status} ${body.slice(0, 120)}`);
        else refused++;
      }
    }
    expect(failures).toEqual([]);
    expect(writes.length).toBeGreaterThan(60);
    expect(refused).toBe(4 * writes.filter((e) => e.onArchive !== 'allow').length);
    expect(s.db.select().from(auditLog).all().length).toBe(audit);
  });

  it('says so in French to French readers, as problem+json and as a page', async () => {
    const res = await s.call('admin', 'POST', `/api/assemblies/${archiveId}/recommendations?lang=fr`, {});
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toBe('Cette assemblée est une archive : elle ne peut pas être modifiée.');
    const page = await s.call('admin', 'POST', `/facilitate/${archiveId}/impact/x/entries?lang=fr`, {}, { accept: 'text/html' });
    expect(page.status).toBe(409);
    expect(await page.text()).toContain('Cette assemblée est une archive');
  });

  it('the same routes still work on a live assembly, reads work on the archive, and it can be exported again', async () => {
    const live = await s.call('admin', 'POST', `/api/assemblies/${s.assemblyId}/debates`, { title: 'A live debate', description: 'Still open.' });
    expect(live.status).not.toBe(409);
    const pub = await s.call('public', 'GET', '/p/old-assembly/impact', undefined, { accept: 'text/html' });
    expect(pub.status).toBe(200);
    const html = await pub.text();
    expect(html).toContain('Buses every ten minutes');
    expect(html).toContain('This assembly is an archive');
    // staff see the record without the forms that would only be refused
    const rec = listImpact(s.deps, archiveId)[0].recommendationId;
    const staff = await (await s.call('admin', 'GET', `/facilitate/${archiveId}/impact/${rec}`, undefined, { accept: 'text/html' })).text();
    expect(staff).toContain('This assembly is an archive');
    expect(staff).not.toContain('/entries');
    expect((await s.call('admin', 'GET', `/api/assemblies/${archiveId}/recommendations`)).status).toBe(200);
    const exp = await s.call('admin', 'POST', `/api/assemblies/${archiveId}/opendata/exports`, {});
    expect(exp.status, await exp.clone().text()).toBe(202);
  });
});
