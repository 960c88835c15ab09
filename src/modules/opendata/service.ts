import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { newId, sha256 } from '../../platform/ids.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import { jobView } from '../../platform/jobs/types.js';
import type { JobContext } from '../../platform/jobs/types.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { collectPackage, type PackageStatus } from './collect.js';
import { opendataRepo, type ExportRow } from './repo.js';
import { packZip } from './zip.js';

export const EXPORT_JOB = 'opendata.export';

/** Where packages are kept: <data dir>/opendata (beside uploads). */
export const exportsRoot = (ctx: Pick<Ctx, 'config'>) => resolve(dirname(ctx.config.uploadsDir), 'opendata');

export function exportView(r: ExportRow) {
  return { id: r.id, jobId: r.jobId, status: r.status, sha256: r.sha256, sizeBytes: r.sizeBytes, published: r.published, publishedAt: r.publishedAt, createdAt: r.createdAt };
}

function assemblyOf(ctx: Ctx, assemblyId: string) {
  const a = assembliesRepo.byId(ctx.db, assemblyId);
  if (!a) throw notFound('Assembly', assemblyId);
  return a;
}

/**
 * Asks for an export. One at a time per assembly: while one is queued or running, asking again returns it
 * (checked and enqueued in one IMMEDIATE transaction, so two requests at once make one job).
 */
export function requestExport(ctx: Ctx, jobs: Pick<JobQueue, 'enqueue' | 'list'>, assemblyId: string, input: { status?: PackageStatus }) {
  assemblyOf(ctx, assemblyId);
  const archived = opendataRepo.archive(ctx.db, assemblyId);
  const status = archived ? archived.status : (input.status ?? 'in-progress');
  return ctx.db.transaction(
    (tx) => {
      const busy = jobs.list({ assemblyId, type: EXPORT_JOB, status: ['queued', 'running'], limit: 1 })[0];
      if (busy) return { job: jobView(busy), reused: true };
      const job = jobs.enqueue(tx, { type: EXPORT_JOB, assemblyId, createdBy: actorId(ctx.actor), payload: { assemblyId, status } });
      recordAudit(tx, { actorId: actorId(ctx.actor), action: 'opendata.export.request', subject: `assembly:${assemblyId}`, data: { jobId: job.id, status } });
      return { job: jobView(job), reused: false };
    },
    { behavior: 'immediate' },
  );
}

/**
 * The export job: reads the assembly in one transaction (a consistent snapshot; the random ids it draws are saved),
 * zips it, writes the zip beside its final name, and in the job's completing transaction records it and moves it
 * into place. A failure at any step leaves neither a row nor a file.
 */
export async function runExport(ctx: Ctx, job: JobContext<{ assemblyId: string; status: PackageStatus }>) {
  const { assemblyId, status } = job.job.payload;
  assemblyOf(ctx, assemblyId);
  job.progress(0.1, 'reading the assembly');
  const created = ctx.clock().toISOString();
  const pkg = ctx.db.transaction((tx) => collectPackage(ctx, tx, assemblyId, { status, created }));
  job.progress(0.6, 'compressing');
  await new Promise<void>((r) => setImmediate(r));
  const zip = packZip(pkg.files);
  const id = newId('odx_');
  const rel = join(assemblyId, `${id}.zip`);
  const final = join(exportsRoot(ctx), rel);
  const tmp = `${final}.part`;
  mkdirSync(dirname(final), { recursive: true });
  writeFileSync(tmp, zip);
  job.progress(0.9, 'saving');
  try {
    return job.complete((tx) => {
      const row = opendataRepo.insertExport(tx, { id, assemblyId, jobId: job.job.id, path: rel, sha256: sha256(zip), sizeBytes: zip.length, status, createdBy: job.job.createdBy });
      recordAudit(tx, { actorId: job.job.createdBy, action: 'opendata.export', subject: `assembly:${assemblyId}`, data: { exportId: id, sha256: row.sha256, files: pkg.files.size, status } });
      renameSync(tmp, final);
      return { exportId: id, sha256: row.sha256, sizeBytes: row.sizeBytes, files: pkg.files.size };
    });
  } catch (e) {
    rmSync(tmp, { force: true });
    rmSync(final, { force: true });
    throw e;
  }
}

export function listExports(ctx: Ctx, assemblyId: string) {
  assemblyOf(ctx, assemblyId);
  return opendataRepo.exports(ctx.db, assemblyId).map(exportView);
}

function exportOf(ctx: Ctx, assemblyId: string, exportId: string) {
  const r = opendataRepo.exportById(ctx.db, assemblyId, exportId);
  if (!r) throw notFound('Open-data export', exportId);
  return r;
}

export function exportBytes(ctx: Ctx, r: ExportRow): Uint8Array {
  try {
    return readFileSync(join(exportsRoot(ctx), r.path));
  } catch {
    throw new AppError('GONE', `The file of export ${r.id} is no longer on this server; make a new export.`);
  }
}

export function download(ctx: Ctx, assemblyId: string, exportId: string) {
  const r = exportOf(ctx, assemblyId, exportId);
  const a = assemblyOf(ctx, assemblyId);
  return { bytes: exportBytes(ctx, r), filename: `${a.slug}-open-data-${r.createdAt.slice(0, 10)}.zip`, sha256: r.sha256 };
}

/** Publishing links the export from the assembly's public page; at most one is published (the latest published). */
export function setPublished(ctx: Ctx, assemblyId: string, exportId: string, published: boolean) {
  const r = exportOf(ctx, assemblyId, exportId);
  return ctx.db.transaction((tx) => {
    const at = published ? ctx.clock().toISOString() : null;
    if (published) for (const other of opendataRepo.exports(tx, assemblyId)) if (other.published && other.id !== r.id) opendataRepo.setPublished(tx, other.id, false, null);
    opendataRepo.setPublished(tx, r.id, published, at);
    recordAudit(tx, { actorId: actorId(ctx.actor), action: published ? 'opendata.publish' : 'opendata.unpublish', subject: `assembly:${assemblyId}`, data: { exportId } });
    return exportView(opendataRepo.exportById(tx, assemblyId, exportId)!);
  });
}

/** What the public sees: the assembly and its published export, if any. */
export function publicOpenData(ctx: Ctx, slug: string) {
  const a = assembliesRepo.bySlug(ctx.db, slug);
  if (!a) throw notFound('Assembly', slug);
  const r = opendataRepo.latestPublished(ctx.db, a.id);
  const archive = opendataRepo.archive(ctx.db, a.id);
  return { assembly: { slug: a.slug, title: a.title }, archived: archive ? { status: archive.status, exportedAt: archive.exportedAt, importedAt: archive.importedAt } : null, published: r ? exportView(r) : null, row: r ?? null };
}

export function publicDownload(ctx: Ctx, slug: string) {
  const p = publicOpenData(ctx, slug);
  if (!p.row) throw new AppError('NOT_FOUND', `The organisers of '${slug}' have not published open data yet.`);
  return { bytes: exportBytes(ctx, p.row), filename: `${slug}-open-data.zip`, sha256: p.row.sha256 };
}

export function isArchived(ctx: Pick<Ctx, 'db'>, assemblyId: string): boolean {
  return !!opendataRepo.archive(ctx.db, assemblyId);
}
