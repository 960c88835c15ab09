import { z } from 'zod';
import { summarizeDiscussion, DISCUSSIONS_VERSION } from '../../../pipelines/discussions/index.js';
import type { Deps } from '../../deps.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import type { Tx } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors.js';
import { sha256 } from '../../platform/ids.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { ReviewKind } from '../../platform/review/registry.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { discussionSummaryDesk } from './desk.js';
import { debateSubject, DISCUSSION_SUMMARY_KIND, DiscussionSummaryPayload, SUMMARIZE_DISCUSSION_JOB } from './domain.js';
import { debatesRepo as repo } from './repo.js';
import { debateOf } from './service.js';

/**
 * Machine summaries of a discussion go through the review queue: the job drafts, a facilitator approves, edits or
 * rejects, and only publish() writes discussion_summaries, the one table participants read them from.
 */
export function discussionSummaryKind(): ReviewKind<DiscussionSummaryPayload> {
  return {
    kind: DISCUSSION_SUMMARY_KIND,
    label: 'discussion summary',
    payload: DiscussionSummaryPayload,
    desk: discussionSummaryDesk,
    publish(tx: Tx, { item, payload, machine }) {
      repo.upsertSummary(tx, { subject: payload.subject, assemblyId: item.assemblyId, reviewItemId: item.id, body: payload, edited: !machine });
    },
  };
}

export interface PublishedSummaryView extends DiscussionSummaryPayload {
  machineMade: true;
  edited: boolean;
  publishedAt: string;
}

/** The approved summary of a subject, or null. Always machine-made (labelled so), possibly edited by a facilitator. */
export function publishedSummary(ctx: Pick<Ctx, 'db'>, assemblyId: string, subject: string): PublishedSummaryView | null {
  const row = repo.summary(ctx.db, subject);
  if (!row || row.assemblyId !== assemblyId) return null;
  const body = row.body as DiscussionSummaryPayload;
  return { ...body, agreement: body.agreement ?? [], disagreement: body.disagreement ?? [], machineMade: true, edited: row.edited, publishedAt: row.publishedAt };
}

/** Queues a draft summary of a debate (facilitators). Needs at least two visible comments. */
export function requestSummary(ctx: Ctx, jobs: Pick<JobQueue, 'enqueue'>, assemblyId: string, debateId: string): { jobId: string } {
  const d = debateOf(ctx, assemblyId, debateId);
  const visible = d.countInFavour + d.countAgainst + d.countNeutral;
  if (visible < 2) throw new AppError('PRECONDITION_FAILED', 'A debate needs at least two visible comments to be summarised.');
  const job = ctx.db.transaction((tx) => {
    const j = jobs.enqueue(tx, { type: SUMMARIZE_DISCUSSION_JOB, assemblyId, payload: { debateId } });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'debate.summary.request', subject: debateSubject(debateId), data: { jobId: j.id } });
    return j;
  });
  return { jobId: job.id };
}

export function registerDebateJobs(deps: Deps) {
  deps.jobs.register(SUMMARIZE_DISCUSSION_JOB, {
    payload: z.object({ debateId: z.string() }),
    maxAttempts: 3,
    async handler(ctx) {
      const d = repo.byId(ctx.db, ctx.job.payload.debateId);
      if (!d) throw new AppError('NOT_FOUND', `Debate ${ctx.job.payload.debateId} no longer exists.`);
      // hidden and deleted comments are never summarised
      const comments = repo.allComments(ctx.db, d.id).filter((c) => c.status === 'visible').map((c) => ({ id: String(c.id), text: c.body, alignment: c.alignment }));
      if (comments.length < 2) throw new AppError('PRECONDITION_FAILED', 'A debate needs at least two visible comments to be summarised.');
      const language = assembliesRepo.byId(ctx.db, d.assemblyId)?.languages?.[0] ?? 'en';
      ctx.progress(0.1, 'loading the summarizer');
      const summarizer = await deps.models.get('summarizer');
      ctx.progress(0.3, `summarising ${comments.length} comments`);
      const out = await summarizeDiscussion(comments, summarizer, { language });
      if (out.sentences.length === 0) throw new AppError('PRECONDITION_FAILED', 'The summarizer returned no sentence with valid citations.');
      const subject = debateSubject(d.id);
      const first = out.provenance[0];
      return ctx.complete((tx) =>
        deps.review.submit(tx, {
          assemblyId: d.assemblyId,
          kind: DISCUSSION_SUMMARY_KIND,
          subject,
          title: d.title,
          payload: { title: d.title, language, subject, sentences: out.sentences, agreement: out.agreement, disagreement: out.disagreement },
          sources: comments.map((c) => ({ type: 'debate-comment', id: c.id, text: c.text, alignment: c.alignment })),
          provenance: {
            stage: 'debates.summarize',
            version: DISCUSSIONS_VERSION,
            modelIds: [first.modelId],
            weightsSha256: [first.weightsSha256],
            params: { backend: first.backend, ...out.params, citationsChecked: out.citations.checked, pointsDropped: out.citations.dropped },
            seed: null,
            inputHash: sha256(JSON.stringify(comments)),
          },
          jobId: ctx.job.id,
        }).id,
      );
    },
  });
}
