import { z } from 'zod';
import { ctxFor, type Deps } from '../../deps.js';
import { SYSTEM_ACTOR_ID } from '../../platform/context.js';
import { BROCHURE_LANGS, SCOPES } from './domain.js';
import type { PdfEngine } from './pdf.js';
import { runMachineTranslation, TRANSLATE_JOB } from './machine.js';
import { BROCHURE_JOB, runBrochure } from './service.js';

const Payload = z.object({ assemblyId: z.string(), scope: z.enum(SCOPES), languages: z.array(z.enum(BROCHURE_LANGS)).min(1) });

/** The brochure job (the page and the API ask for it; the benchmark runs it through the same queue), and machine translation of recommendations into the review queue. */
export function registerBrochureJobs(deps: Deps, pdf: PdfEngine) {
  deps.jobs.register(BROCHURE_JOB, {
    payload: Payload,
    maxAttempts: 2,
    timeoutSeconds: 600,
    async handler(job) {
      const ctx = ctxFor(deps, { kind: 'user', id: job.job.createdBy ?? SYSTEM_ACTOR_ID, role: 'admin', displayName: 'brochure job', language: 'en', via: 'token', assemblyIds: [] });
      return runBrochure(ctx, pdf, job);
    },
  });
  deps.jobs.register(TRANSLATE_JOB, {
    payload: z.object({ assemblyId: z.string(), language: z.string() }),
    maxAttempts: 3,
    timeoutSeconds: 1800,
    async handler(job) {
      const ctx = ctxFor(deps, { kind: 'user', id: job.job.createdBy ?? SYSTEM_ACTOR_ID, role: 'admin', displayName: 'translation job', language: 'en', via: 'token', assemblyIds: [] });
      return runMachineTranslation(ctx, { review: deps.review, translator: () => deps.models.get('translator') }, job);
    },
  });
}
