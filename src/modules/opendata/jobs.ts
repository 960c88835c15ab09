import { z } from 'zod';
import { ctxFor, type Deps } from '../../deps.js';
import { SYSTEM_ACTOR_ID } from '../../platform/context.js';
import { EXPORT_JOB, runExport } from './service.js';

const Payload = z.object({ assemblyId: z.string(), status: z.enum(['in-progress', 'final']) });

/** The one export job, run by the page, the API and the command line alike. */
export function registerOpendataJobs(deps: Deps) {
  deps.jobs.register(EXPORT_JOB, {
    payload: Payload,
    maxAttempts: 2,
    timeoutSeconds: 600,
    async handler(job) {
      const ctx = ctxFor(deps, { kind: 'user', id: job.job.createdBy ?? SYSTEM_ACTOR_ID, role: 'admin', displayName: 'export job', language: 'en', via: 'token', assemblyIds: [] });
      return runExport(ctx, job);
    },
  });
}
