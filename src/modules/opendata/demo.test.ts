import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createFakeRegistry } from '../../../models/testing.js';
import { buildService } from '../../build.js';
import { testConfig } from '../../config.js';
import { ctxFor } from '../../deps.js';
import { testDb } from '../../platform/db/client.js';
import { DEMO, seedDemo } from '../../seed/demo.js';
import { checkPackage } from './check.js';
import { download, requestExport } from './service.js';
import { unpackZip } from './zip.js';

describe('open data of the demo assembly (npx plenary seed-demo)', () => {
  it('exports a package that passes the import checks and holds no demo code, password or member name', async () => {
    const { deps } = buildService(testConfig(), { db: testDb(), models: createFakeRegistry(), logger: pino({ level: 'silent' }) });
    const { assemblyId } = await seedDemo(deps);
    const ctx = ctxFor(deps, { kind: 'user', id: 'system', role: 'admin', displayName: 'admin', language: 'en', via: 'token', assemblyIds: [] });
    const { job } = requestExport(ctx, deps.jobs, assemblyId, { status: 'final' });
    while (deps.jobs.get(job.id)!.status === 'queued' || deps.jobs.get(job.id)!.status === 'running') if (!(await deps.jobs.runNext())) break;
    const row = deps.jobs.get(job.id)!;
    expect(row.status, row.error ?? '').toBe('succeeded');
    const files = unpackZip(download(ctx, assemblyId, (row.result as { exportId: string }).exportId).bytes);
    const pkg = checkPackage(files);
    expect(pkg.assembly.slug).toBe(DEMO.slug);
    expect(pkg.status).toBe('final');
    const all = [...files.values()].join('\n');
    for (const secret of [...DEMO.codes, ...DEMO.staff.map((x) => x.password), ...DEMO.staff.map((x) => x.displayName), ...DEMO.members]) expect(all.includes(secret), secret).toBe(false);
  }, 60_000);
});
