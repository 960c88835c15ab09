import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { decide } from '../../platform/http/guard.js';
import { newId, sha256 } from '../../platform/ids.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import { jobView, type JobContext } from '../../platform/jobs/types.js';
import { translator } from '../../web/i18n.js';
import { assemblyOf, collectBrochure, countInScope } from './collect.js';
import { BROCHURE_LANGS, contentHash, type BrochureLang, type BrochureModel, type Scope } from './domain.js';
import type { PdfEngine } from './pdf.js';
import { renderBrochure, type RenderOptions } from './render.js';
import { brochureRepo, type VersionRow } from './repo.js';

export const BROCHURE_JOB = 'brochure.generate';
export interface BrochurePayload {
  assemblyId: string;
  scope: Scope;
  languages: BrochureLang[];
}

/** Where brochures are kept: <data dir>/brochures/<assembly id>/ (beside uploads and open-data packages). */
export const brochuresRoot = (ctx: Pick<Ctx, 'config'>) => resolve(dirname(ctx.config.uploadsDir), 'brochures');

export const NO_CHROMIUM = 'PDFs cannot be made on this server: Chromium is not installed (apt-get install -y chromium, or npm run setup). The HTML view of the brochure works without it.';

/** The assembly's staff (who may generate brochures and read drafts): the permission table's 'brochure.manage'. */
export const isBrochureStaff = (ctx: Pick<Ctx, 'actor'>, assemblyId: string) => decide(ctx.actor, 'brochure.manage', assemblyId).ok;

export function emptyProblem(scope: Scope): AppError {
  return new AppError(
    'PRECONDITION_FAILED',
    scope === 'final'
      ? 'There is no final recommendation to put in a brochure yet: mark recommendations final, or make a brochure of the drafts.'
      : 'This assembly has no recommendation yet, so there is nothing to put in a brochure.',
  );
}

export function versionView(r: VersionRow) {
  return { id: r.id, number: r.number, language: r.language, scope: r.scope, recommendationCount: r.recommendationCount, pdfSha256: r.pdfSha256, pdfBytes: r.pdfBytes, public: r.scope === 'final', createdAt: r.createdAt };
}
export type VersionView = ReturnType<typeof versionView>;

/**
 * Asks for a brochure (PDF and HTML, in each language asked). One at a time per assembly: while one is queued or
 * running, asking again returns it (checked and enqueued in one IMMEDIATE transaction, so two requests make one job).
 */
export function requestBrochure(ctx: Ctx, jobs: Pick<JobQueue, 'enqueue' | 'list'>, pdf: PdfEngine, assemblyId: string, input: { scope?: Scope; languages?: BrochureLang[] }) {
  assemblyOf(ctx.db, assemblyId);
  const scope = input.scope ?? 'final';
  const languages = [...new Set(input.languages?.length ? input.languages : BROCHURE_LANGS)].sort() as BrochureLang[];
  if (!pdf.executable()) throw new AppError('UNAVAILABLE', NO_CHROMIUM, { fix: 'apt-get install -y chromium' });
  if (!countInScope(ctx.db, assemblyId, scope)) throw emptyProblem(scope);
  return ctx.db.transaction(
    (tx) => {
      const busy = jobs.list({ assemblyId, type: BROCHURE_JOB, status: ['queued', 'running'], limit: 1 })[0];
      if (busy) return { job: jobView(busy), reused: true };
      const payload: BrochurePayload = { assemblyId, scope, languages };
      const job = jobs.enqueue(tx, { type: BROCHURE_JOB, assemblyId, createdBy: actorId(ctx.actor), payload });
      recordAudit(tx, { actorId: actorId(ctx.actor), action: 'brochure.request', subject: `assembly:${assemblyId}`, data: { jobId: job.id, scope, languages } });
      return { job: jobView(job), reused: false };
    },
    { behavior: 'immediate' },
  );
}

const yieldNow = () => new Promise<void>((r) => setImmediate(r));

/**
 * The brochure job: reads the assembly in one transaction, renders the HTML of each language, prints each with
 * Chromium, writes the files beside their final names, and in the job's completing transaction records the versions
 * and moves the files into place. A failure at any step leaves no version and no file. Nothing changed since the
 * last version of this scope: no new version (the result says so).
 */
export async function runBrochure(ctx: Ctx, pdf: PdfEngine, job: JobContext<BrochurePayload>) {
  const { assemblyId, scope, languages } = job.job.payload;
  job.progress(0.02, 'reading the recommendations');
  const models = ctx.db.transaction((tx) => collectBrochure(ctx, tx, assemblyId, scope, languages));
  if (!models[0] || models[0].recommendationCount === 0) throw emptyProblem(scope);
  const hashes = models.map(contentHash);
  const latest = models.map((m) => brochureRepo.latest(ctx.db, assemblyId, scope, m.language));
  if (latest.every((l, i) => l && l.contentSha256 === hashes[i])) {
    job.progress(1, 'nothing changed since the last version');
    return { unchanged: true, versions: latest.map((l) => l!.id) };
  }
  if (!pdf.executable()) throw new AppError('PRECONDITION_FAILED', NO_CHROMIUM);
  const generatedAt = ctx.clock().toISOString();
  const dir = join(brochuresRoot(ctx), assemblyId);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const made: { m: BrochureModel; id: string; html: string; bytes: Uint8Array; hash: string }[] = [];
  try {
    job.progress(0.05, 'starting Chromium and laying out the pages');
    const opening = pdf.open();
    opening.catch(() => undefined); // awaited below; a launch failure must not go unhandled while the HTML is made
    const htmls: string[] = [];
    for (const m of models) {
      htmls.push(await renderBrochure(m, { generatedAt }));
      await yieldNow();
    }
    const session = await opening;
    try {
      if (job.signal.aborted) throw job.signal.reason;
      job.progress(0.2, `printing ${models.length === 1 ? 'the PDF' : `${models.length} PDFs`}`);
      // the languages print side by side (one Chromium page each): on two cores that is the shortest wait
      let done = 0;
      const printed = await Promise.all(
        models.map(async (m, i) => {
          const bytes = await session.print(htmls[i], { of: translator(m.language)('brochure.pdf.of') });
          if (bytes.length < 1000 || Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') throw new AppError('INTERNAL', `Chromium returned no PDF for the ${m.language} brochure.`);
          job.progress(0.2 + (0.7 * ++done) / models.length, `${m.language} PDF printed`);
          return bytes;
        }),
      );
      models.forEach((m, i) => made.push({ m, id: newId('bro_'), html: htmls[i], bytes: printed[i], hash: hashes[i] }));
    } finally {
      await session.close();
    }
    job.progress(0.92, 'saving');
    for (const x of made) {
      for (const [ext, data] of [['pdf', x.bytes], ['html', x.html]] as const) {
        const part = join(dir, `${x.id}.${ext}.part`);
        written.push(part);
        writeFileSync(part, data);
      }
    }
    return job.complete((tx) => {
      const number = brochureRepo.nextNumber(tx, assemblyId);
      const rows = made.map((x) =>
        brochureRepo.insertVersion(tx, {
          id: x.id, assemblyId, number, language: x.m.language, scope, recommendationCount: x.m.recommendationCount, contentSha256: x.hash,
          pdfPath: join(assemblyId, `${x.id}.pdf`), htmlPath: join(assemblyId, `${x.id}.html`), pdfSha256: sha256(x.bytes), pdfBytes: x.bytes.length,
          jobId: job.job.id, createdBy: job.job.createdBy, createdAt: generatedAt,
        }),
      );
      recordAudit(tx, { actorId: job.job.createdBy, action: 'brochure.generate', subject: `assembly:${assemblyId}`, data: { number, scope, versions: rows.map((r) => r.id) } });
      for (const x of made) for (const ext of ['pdf', 'html']) {
        const final = join(dir, `${x.id}.${ext}`);
        written.push(final);
        renameSync(`${final}.part`, final);
      }
      return { unchanged: false, number, versions: rows.map(versionView) };
    });
  } catch (e) {
    for (const f of written) rmSync(f, { force: true });
    throw e;
  }
}

/** Versions, newest first: all of them for the assembly's staff, the public ones (final recommendations) for others. */
export function listVersions(ctx: Ctx, assemblyId: string): VersionView[] {
  assemblyOf(ctx.db, assemblyId);
  const staff = isBrochureStaff(ctx, assemblyId);
  return brochureRepo.versions(ctx.db, assemblyId).filter((r) => staff || r.scope === 'final').map(versionView);
}

/** A version's PDF or HTML; a drafts version is not found for anyone but the assembly's staff. */
export function versionFile(ctx: Ctx, assemblyId: string, versionId: string, kind: 'pdf' | 'html') {
  const a = assemblyOf(ctx.db, assemblyId);
  const r = brochureRepo.version(ctx.db, assemblyId, versionId);
  if (!r || (r.scope !== 'final' && !isBrochureStaff(ctx, assemblyId))) throw notFound('Brochure version', versionId);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(join(brochuresRoot(ctx), kind === 'pdf' ? r.pdfPath : r.htmlPath));
  } catch {
    throw new AppError('GONE', `The file of brochure version ${r.number} (${r.language}) is no longer on this server; generate the brochure again.`);
  }
  return { bytes, row: r, filename: `${a.slug}-brochure-v${r.number}-${r.language}.${kind}` };
}

/** The live brochure as HTML (what the next PDF will print). Null when there is no recommendation to show. */
export async function liveHtml(ctx: Ctx, assemblyId: string, scope: Scope, language: BrochureLang, links: RenderOptions['links'] = []): Promise<string | null> {
  if (scope === 'drafts' && !isBrochureStaff(ctx, assemblyId)) throw notFound('Brochure of drafts');
  const [m] = ctx.db.transaction((tx) => collectBrochure(ctx, tx, assemblyId, scope, [language]));
  if (!m.recommendationCount) return null;
  return renderBrochure(m, { generatedAt: ctx.clock().toISOString(), links });
}
