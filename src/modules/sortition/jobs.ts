import { z } from 'zod';
import { buildLottery, InfeasibleQuotasError, loadHighs, poolSha256, quotasSha256, selectPanel, SortitionError, type SelectionResult } from '../../../pipelines/sortition/index.js';
import type { Deps } from '../../deps.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { DEFAULT_TIME_LIMIT_SECONDS, LEGACY_RUNS, LOTTERY_TICKETS } from './domain.js';
import { sortitionRepo } from './repo.js';
import { algorithmInput, SELECT_JOB } from './service.js';

/**
 * `sortition.select`: runs LEXIMIN (or maximin) on the pool as it was when the run was queued, the LEGACY baseline
 * for comparison, and builds the m-ticket lottery whose hash is the distribution hash. Infeasible quotas end the
 * run as 'infeasible' with the smallest relaxation (the job itself succeeds: that is an answer, not a crash).
 * The payload carries the run id only: no personal data ever enters the jobs table or its logs.
 */
export function registerSortitionJobs(deps: Deps) {
  deps.jobs.register(SELECT_JOB, {
    payload: z.object({ runId: z.string(), timeLimitSeconds: z.number().positive().optional() }),
    maxAttempts: 2,
    async handler(ctx) {
      const run = sortitionRepo.runById(ctx.db, ctx.job.payload.runId);
      if (!run) throw new AppError('NOT_FOUND', `Selection run ${ctx.job.payload.runId} no longer exists.`);
      if (run.status !== 'queued') return { runId: run.id, status: run.status };
      const p = sortitionRepo.poolById(ctx.db, run.poolId);
      if (!p) throw new AppError('NOT_FOUND', `Pool ${run.poolId} no longer exists.`);
      const { pool, quotas } = algorithmInput(ctx.db, p);
      const finish = (v: Parameters<typeof sortitionRepo.updateRun>[2], audit: Record<string, unknown>) =>
        ctx.complete((tx) => {
          const now = sortitionRepo.runById(tx, run.id);
          sortitionRepo.updateRun(tx, run.id, { ...v, status: now?.status === 'superseded' ? 'superseded' : v.status, finishedAt: new Date().toISOString() });
          recordAudit(tx, { actorId: run.createdBy, action: 'sortition.run.finish', subject: `pool:${run.poolId}`, data: { runId: run.id, ...audit } });
          return { runId: run.id, status: v.status, ...audit };
        });
      if (poolSha256(pool) !== run.poolSha256 || quotasSha256(quotas) !== run.quotasSha256) {
        return finish({ status: 'failed', error: 'The pool or its quotas changed after this run was queued; start a new run.' }, { status: 'failed' });
      }
      ctx.progress(0.05, 'loading the solver');
      const highs = await loadHighs();
      let step = 0;
      ctx.progress(0.1, `${run.algorithm}: column generation`);
      let result: SelectionResult;
      try {
        result = await selectPanel(pool, quotas, run.panelSize, {
          algorithm: run.algorithm,
          highs,
          maxSeconds: ctx.job.payload.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS,
          log: (m) => {
            step++;
            ctx.progress(Math.min(0.65, 0.1 + 0.55 * (1 - 1 / (1 + step / 10))), m.slice(0, 120));
          },
        });
      } catch (e) {
        if (e instanceof InfeasibleQuotasError) {
          return finish({ status: 'infeasible', infeasible: { message: e.message, relaxations: e.relaxations } }, { status: 'infeasible', relaxations: e.relaxations.length });
        }
        // includes the time limit (TIME_LIMIT: what to relax) and a stalled LEXIMIN level (STALLED): no partial result
        if (e instanceof SortitionError) return finish({ status: 'failed', error: e.message }, { status: 'failed', code: e.code });
        throw e;
      }
      if (ctx.signal.aborted) throw ctx.signal.reason;
      ctx.progress(0.7, `LEGACY baseline: ${LEGACY_RUNS} Monte-Carlo runs`);
      let legacy: { probabilities: Record<string, number>; stats: Record<string, number> } | null = null;
      try {
        const l = await selectPanel(pool, quotas, run.panelSize, { algorithm: 'legacy', legacyRuns: LEGACY_RUNS, seed: run.poolSha256, highs });
        legacy = { probabilities: l.probabilities, stats: l.stats };
      } catch (e) {
        if (!(e instanceof SortitionError)) throw e;
      }
      ctx.progress(0.85, 'building the lottery');
      const lottery = await buildLottery(pool, quotas, result, { m: LOTTERY_TICKETS, highs });
      ctx.progress(0.95, 'saving');
      return finish({ status: 'done', result, legacy, lottery, distributionSha256: lottery.sha256 }, { status: 'done', distributionSha256: lottery.sha256 });
    },
  });
}
