import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { sha256 } from '../../platform/ids.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import { jobView, type JobContext } from '../../platform/jobs/types.js';
import type { ReviewQueue } from '../../platform/review/queue.js';
import type { Translator } from '../../../models/types.js';
import { FIELDS, recSubject, type Field } from '../recommendations/domain.js';
import { assemblyOf, recInputs } from './collect.js';
import type { RecInput } from './domain.js';
import { brochureRepo } from './repo.js';
import { TRANSLATION_KIND, type TranslationPayload } from './translations.js';

/**
 * Machine translation of recommendations for the brochure: a job translates each recommendation that has no
 * up-to-date translation into the language asked, and submits one draft per recommendation to the review queue.
 * Nothing reaches a reader before a facilitator approves (or edits) it there.
 */
export const TRANSLATE_JOB = 'brochure.translate';
export interface TranslatePayload {
  assemblyId: string;
  language: string;
}

/** Recommendations a reader of `language` would otherwise see in another language. */
export function needingTranslation(db: Ctx['db'], assemblyId: string, language: string): RecInput[] {
  const recs = recInputs(db, assemblyId).filter((r) => r.language !== language);
  const have = new Set(brochureRepo.translations(db, recs.map((r) => r.id)).filter((t) => t.language === language).map((t) => `${t.recommendationId}@${t.sourceVersion}`));
  return recs.filter((r) => !have.has(`${r.id}@${r.version}`));
}

/** Asks for machine translations into `language` (one job per assembly at a time). */
export function requestMachineTranslation(ctx: Ctx, jobs: Pick<JobQueue, 'enqueue' | 'list'>, assemblyId: string, language: string) {
  const a = assemblyOf(ctx.db, assemblyId);
  if (!a.languages.includes(language)) throw new AppError('VALIDATION', `This assembly works in ${a.languages.join(', ')}; '${language}' is not one of its languages.`);
  if (!needingTranslation(ctx.db, assemblyId, language).length) throw new AppError('PRECONDITION_FAILED', `Every recommendation is already written in '${language}' or has an up-to-date translation into it.`);
  return ctx.db.transaction(
    (tx) => {
      const busy = jobs.list({ assemblyId, type: TRANSLATE_JOB, status: ['queued', 'running'], limit: 1 })[0];
      if (busy) return { job: jobView(busy), reused: true };
      const job = jobs.enqueue(tx, { type: TRANSLATE_JOB, assemblyId, createdBy: actorId(ctx.actor), payload: { assemblyId, language } satisfies TranslatePayload });
      recordAudit(tx, { actorId: actorId(ctx.actor), action: 'brochure.translate.request', subject: `assembly:${assemblyId}`, data: { jobId: job.id, language } });
      return { job: jobView(job), reused: false };
    },
    { behavior: 'immediate' },
  );
}

/** A field's lines to translate: bullets keep their marker, evidence lines keep their link (only the title is translated). */
function pieces(field: Field, text: string): { prefix: string; text: string }[] {
  return text.split('\n').map((line) => {
    if (field === 'evidence') {
      const [url, ...rest] = line.trim().split(/\s+/);
      return { prefix: rest.length ? `${url} ` : url ?? '', text: rest.join(' ') };
    }
    const m = /^(\s*[-•*]\s+)(.*)$/.exec(line);
    return m ? { prefix: m[1], text: m[2] } : { prefix: '', text: line };
  });
}

export async function runMachineTranslation(ctx: Ctx, deps: { review: ReviewQueue; translator: () => Promise<Translator> }, job: JobContext<TranslatePayload>) {
  const { assemblyId, language } = job.job.payload;
  const recs = needingTranslation(ctx.db, assemblyId, language);
  if (!recs.length) return job.complete(() => ({ submitted: 0 }));
  job.progress(0.05, 'loading the translator');
  const translator = await deps.translator();
  const from = [...new Set(recs.map((r) => r.language))];
  const missing = from.filter((l) => !translator.pairs.some(([a, b]) => a === l && b === language));
  if (missing.length) throw new AppError('PRECONDITION_FAILED', `No installed translator goes from ${missing.join(', ')} to ${language}.`);
  const drafts: { rec: RecInput; fields: Record<Field, string>; provenance: Awaited<ReturnType<Translator['translate']>>['provenance'] }[] = [];
  for (const [n, rec] of recs.entries()) {
    if (job.signal.aborted) throw job.signal.reason;
    job.progress(0.1 + (0.8 * n) / recs.length, `translating ${n + 1} of ${recs.length}`);
    const parts = FIELDS.map((f) => pieces(f, rec.fields[f]));
    const texts = parts.flat().filter((p) => p.text.trim()).map((p) => p.text);
    const res = await translator.translate(texts, rec.language, language);
    let k = 0;
    const fields = Object.fromEntries(FIELDS.map((f, i) => [f, parts[i].map((p) => p.prefix + (p.text.trim() ? res.output[k++] : p.text)).join('\n')])) as Record<Field, string>;
    drafts.push({ rec, fields, provenance: res.provenance });
  }
  job.progress(0.95, 'submitting for review');
  return job.complete((tx) => {
    for (const d of drafts) {
      const payload: TranslationPayload = { recommendationId: d.rec.id, language, sourceLanguage: d.rec.language, sourceVersion: d.rec.version, fields: d.fields };
      deps.review.submit(tx, {
        assemblyId, kind: TRANSLATION_KIND, subject: `${recSubject(d.rec.id)}@${language}`, title: `${d.fields.title} (${language})`, payload,
        sources: [{ type: 'recommendation', id: d.rec.id, version: d.rec.version, language: d.rec.language, title: d.rec.fields.title }],
        provenance: { stage: TRANSLATE_JOB, version: '1', modelIds: [d.provenance.modelId], weightsSha256: [d.provenance.weightsSha256], params: { from: d.rec.language, to: language, backend: d.provenance.backend }, seed: null, inputHash: sha256(JSON.stringify(d.rec.fields)) },
        jobId: job.job.id,
      });
    }
    return { submitted: drafts.length };
  });
}
