import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { ctxFor } from '../../deps.js';
import { SYSTEM_ACTOR_ID } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';

/**
 * `plenary export-open-data --data-dir DIR --assembly SLUG --out FILE.zip [--final]` and
 * `plenary import-open-data FILE.zip --data-dir DIR`. The export enqueues the same job the page does and runs it here
 * (this process registers only that job type, so it never picks up other queued work); a running server's worker
 * may take it first, in which case this waits for it.
 */
async function open(dataDir: string | undefined) {
  const config = loadConfig(process.env, { dataDir, logLevel: 'warn' });
  const { buildService } = await import('../../build.js');
  const { opendataModule } = await import('./module.js');
  const { deps } = buildService(config, { modules: [opendataModule()] });
  const ctx = ctxFor(deps, { kind: 'user', id: SYSTEM_ACTOR_ID, role: 'admin', displayName: 'command line', language: 'en', via: 'token', assemblyIds: [] });
  return { deps, ctx };
}

const say = (s: string) => process.stdout.write(`${s}\n`);
const fail = (s: string) => (process.stderr.write(`${s}\n`), 1);

export async function exportOpenDataCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, assembly: { type: 'string' }, out: { type: 'string' }, final: { type: 'boolean' } } });
  if (!values.assembly || !values.out) return fail('usage: plenary export-open-data --data-dir DIR --assembly SLUG --out FILE.zip [--final]');
  const { deps, ctx } = await open(values['data-dir']);
  const { assembliesRepo } = await import('../assemblies/repo.js');
  const svc = await import('./service.js');
  const a = assembliesRepo.bySlug(deps.db, values.assembly);
  if (!a) return fail(`No assembly '${values.assembly}' in ${deps.config.dataDir}.`);
  try {
    const { job, reused } = svc.requestExport(ctx, deps.jobs, a.id, { status: values.final ? 'final' : 'in-progress' });
    if (reused) say(`an export of '${a.slug}' was already under way (job ${job.id}); waiting for it`);
    let row = deps.jobs.get(job.id)!;
    while (!['succeeded', 'failed', 'cancelled'].includes(row.status)) {
      if (!(await deps.jobs.runNext())) await new Promise((r) => setTimeout(r, 500));
      row = deps.jobs.get(job.id)!;
    }
    if (row.status !== 'succeeded') return fail(`The export ${row.status}: ${row.error ?? ''}`);
    const d = svc.download(ctx, a.id, (row.result as { exportId: string }).exportId);
    writeFileSync(`${values.out}.part`, d.bytes);
    renameSync(`${values.out}.part`, values.out);
    say(`${values.out}: ${d.bytes.length} bytes, sha256 ${d.sha256}`);
    return 0;
  } catch (e) {
    if (e instanceof AppError) return fail(e.detail);
    throw e;
  } finally {
    await deps.models.close();
  }
}

export async function importOpenDataCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'data-dir': { type: 'string' } } });
  if (positionals.length !== 1) return fail('usage: plenary import-open-data FILE.zip --data-dir DIR');
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(positionals[0]);
  } catch (e) {
    return fail(`Cannot read ${positionals[0]}: ${(e as Error).message}`);
  }
  const { deps, ctx } = await open(values['data-dir']);
  const { importPackage } = await import('./importer.js');
  try {
    const r = importPackage(ctx, bytes);
    say(`imported '${r.slug}' (${r.status}) as archived assembly ${r.assemblyId}: ${JSON.stringify(r.counts)}`);
    return 0;
  } catch (e) {
    if (e instanceof AppError) return fail(e.detail);
    throw e;
  } finally {
    await deps.models.close();
  }
}
