/**
 * `deliberation.allocate`: the breakout allocation search, run by the one job runner instead of inside the request.
 * It reads the members and earlier rounds as they are when it runs, reports progress as the search advances, and
 * writes the draft (facilitators still move people and publish by hand) in its completing transaction. An allocation
 * the constraints make impossible fails the job with the sentence saying which constraint and by how much.
 */
import type { Deps } from '../../deps.js';
import { ALLOCATE_JOB, AllocateJobPayload, runAllocation, writeDraft } from './allocations.js';

export function registerDeliberationJobs(deps: Deps) {
  deps.jobs.register(ALLOCATE_JOB, {
    payload: AllocateJobPayload,
    maxAttempts: 2,
    async handler(ctx) {
      const assemblyId = ctx.job.assemblyId!;
      ctx.progress(0.05, 'reading the members and earlier rounds');
      const run = runAllocation(ctx.db, assemblyId, ctx.job.payload, (f) => ctx.progress(0.1 + 0.8 * f, 'searching for groups'));
      if (ctx.signal.aborted) throw ctx.signal.reason;
      ctx.progress(0.95, 'saving the draft');
      return ctx.complete((tx) => ({ allocationId: writeDraft(tx, assemblyId, ctx.job.payload, run, ctx.job.createdBy), seconds: run.result.provenance.seconds }));
    },
  });
}
