import { z } from 'zod';
import type { GroupVote } from '../../../pipelines/forecast/index.js';
import { supportForecast } from '../../../pipelines/forecast/support.js';
import type { Deps } from '../../deps.js';
import { notFound } from '../../platform/errors.js';
import { sha256 } from '../../platform/ids.js';
import { conversationsRepo } from '../conversations/repo.js';
import { FORECAST_JOB, FORECAST_K, FORECAST_KIND, mappedConversation, type ForecastPayload } from './forecast.js';
import { ballotsRepo } from './repo.js';

const JobPayload = z.object({
  ballotId: z.string(),
  conversationId: z.string(),
  threshold: z.number().gt(0).max(1),
  thresholdSource: z.enum(['ballot', 'facilitator']),
  links: z.array(z.object({ optionId: z.string(), statementId: z.number().int().nullable() })),
});

/**
 * ballots.forecast: reads the approved opinion map and the current votes on the linked statements, runs
 * pipelines/forecast (group share shrunk toward the overall share, k chosen on validation data) and submits ONE
 * draft to the review queue. Nothing reaches members until a facilitator approves it.
 */
export function registerBallotJobs(deps: Deps) {
  deps.jobs.register(FORECAST_JOB, {
    payload: JobPayload,
    maxAttempts: 3,
    async handler(ctx) {
      const p = ctx.job.payload;
      const assemblyId = ctx.job.assemblyId ?? '';
      const b = ballotsRepo.get(ctx.db, assemblyId, p.ballotId);
      if (!b) throw notFound('Ballot', p.ballotId);
      ctx.progress(0.1, 'reading the approved opinion map and the votes');
      const { conv, map, body } = mappedConversation(ctx.db, assemblyId, p.conversationId);
      const groupOf = new Map<number, number>();
      for (const x of body.participants) if (x.group >= 0) groupOf.set(x.participantId, x.group);
      const groupIds = body.groups.map((g) => g.id);
      const wanted = [...new Set(p.links.map((l) => l.statementId).filter((id): id is number => id !== null))];
      const stmts = new Map(conversationsRepo.statements(ctx.db, conv.id).filter((s) => wanted.includes(s.id)).map((s) => [s.id, s]));
      const rows = conversationsRepo.votesOn(ctx.db, [...stmts.keys()]);
      const byStatement = new Map<number, GroupVote[]>();
      for (const r of rows) {
        const list = byStatement.get(r.statementId) ?? [];
        list.push({ group: groupOf.get(r.participantId) ?? -1, vote: (r.vote > 0 ? 1 : r.vote < 0 ? -1 : 0) as GroupVote['vote'] });
        byStatement.set(r.statementId, list);
      }
      ctx.progress(0.6, 'forecasting');
      const forecastRows: ForecastPayload['rows'] = b.options.map((o) => {
        const link = p.links.find((l) => l.optionId === o.id);
        const st = link?.statementId != null ? stmts.get(link.statementId) : undefined;
        if (!st) return { optionId: o.id, label: o.label, statementId: null, statementText: null, overall: null, votes: 0, groups: [], clears: null, close: false };
        const f = supportForecast(byStatement.get(st.id) ?? [], groupIds, FORECAST_K, p.threshold);
        return { optionId: o.id, label: o.label, statementId: st.id, statementText: st.text, overall: f.votes ? f.overall : null, votes: f.votes, groups: f.groups, clears: f.clears, close: f.close };
      });
      const payload: ForecastPayload = {
        ballotId: b.id,
        ballotTitle: b.title,
        conversationId: conv.id,
        topic: conv.topic,
        threshold: p.threshold,
        thresholdSource: p.thresholdSource,
        groups: body.groups.map((g) => ({ id: g.id, label: g.label, size: g.size })),
        rows: forecastRows,
        note: '',
      };
      const links = forecastRows.map((r) => ({ optionId: r.optionId, statementId: r.statementId }));
      const inputHash = sha256(JSON.stringify({ map: map.reviewItemId, groups: groupIds, participants: [...groupOf], links, threshold: p.threshold, k: FORECAST_K, votes: rows.map((r) => [r.statementId, r.participantId, r.vote]) }));
      const computedAt = deps.clock().toISOString();
      return ctx.complete((tx) => {
        const item = deps.review.submit(tx, {
          assemblyId,
          kind: FORECAST_KIND,
          subject: `ballot:${b.id}`,
          title: `Support forecast — ${b.title}`,
          payload,
          sources: [{ type: 'conversation', id: conv.id, voteEvents: conv.voteEvents, statements: [...stmts.keys()] }, { type: 'opinion-map', id: map.reviewItemId }],
          provenance: {
            stage: 'ballots.forecast',
            version: '1',
            modelIds: [],
            weightsSha256: [],
            params: {
              method: 'agree share within each group shrunk toward the statement’s overall share (pipelines/forecast)',
              k: FORECAST_K,
              kChosenOn: 'evals/forecast: validation conversations of the Pol.is open data',
              interval: 'approximate 95 %: normal approximation of the Beta posterior',
              threshold: p.threshold,
              voteWatermark: conv.voteEvents,
              votesRead: rows.length,
              mapReviewItemId: map.reviewItemId,
              mapPublishedAt: map.publishedAt,
              computedAt,
              links,
            },
            seed: null,
            inputHash,
          },
          jobId: ctx.job.id,
        });
        return { status: 'ok', reviewItemId: item.id, votesRead: rows.length, linked: stmts.size, inputHash };
      });
    },
  });
}
