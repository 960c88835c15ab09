import { z } from 'zod';
import { computeOpinionMap, LIVE_OPTIONS, type OpinionMap, type OpinionMapState } from '../../../pipelines/votes/index.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { groupLetter, hash32, OPINION_MAP_KIND, RECOMPUTE_JOB, type OpinionMapPayload } from './domain.js';
import { MathCache } from './math-cache.js';
import { conversationsRepo as repo, type ConversationRow, type StatementRow } from './repo.js';

const r4 = (n: number) => Math.round(n * 1e4) / 1e4;
const r3 = (n: number) => Math.round(n * 1e3) / 1e3;

/**
 * Math parameters of every recompute. LIVE_OPTIONS are the options `replayOpinionMaps` replays a vote history with,
 * so a conversation hosted here and a replay of its history take the same path (Pol.is-like cold start, then each
 * recompute continues from the stored state).
 */
export const MAP_PARAMS = { minVotes: 7, minParticipants: 15, minClusterParticipants: 10, maxGroups: 5, ...LIVE_OPTIONS } as const;

/** The conversation's seed: the service seed mixed with the conversation id, so each conversation is reproducible. */
export const seedFor = (configSeed: number, conversationId: string) => (hash32(conversationId) ^ configSeed) >>> 0;

export function buildPayload(conv: ConversationRow, res: OpinionMap, participants: { id: number }[], stmts: StatementRow[]): OpinionMapPayload {
  const ref = (j: number) => ({ statementId: stmts[j].id, tid: stmts[j].tid, text: stmts[j].text });
  const out: OpinionMapPayload['participants'] = [];
  for (let i = 0; i < participants.length; i++) {
    const x = res.projection[2 * i], y = res.projection[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    out.push({ participantId: participants[i].id, x: r4(x), y: r4(y), group: res.participantGroup[i], nearestGroup: res.nearestGroup[i] });
  }
  const active: number[] = [];
  for (let j = 0; j < stmts.length; j++) if (Number.isFinite(res.groupInformedConsensus[j])) active.push(j);
  const gic = active
    .filter((j) => stmts[j].agreeCount + stmts[j].disagreeCount + stmts[j].passCount > 0)
    .sort((a, b) => res.groupInformedConsensus[b] - res.groupInformedConsensus[a] || a - b)
    .slice(0, 5)
    .map((j) => ({ ...ref(j), value: r4(res.groupInformedConsensus[j]) }));
  return {
    conversationId: conv.id,
    topic: conv.topic,
    k: res.k,
    groups: res.groups.map((g) => ({
      id: g.id,
      label: groupLetter(g.id),
      size: g.size,
      center: [r4(g.center[0]), r4(g.center[1])] as [number, number],
      representative: g.representative.map((r) => ({ ...ref(r.statement), direction: r.direction, pSuccess: r4(r.pSuccess), repness: r4(r.repness), nSuccess: r.nSuccess, nTrials: r.nTrials })),
    })),
    participants: out,
    statements: active.map((j) => ({ ...ref(j), x: r4(res.statementProjection[2 * j]), y: r4(res.statementProjection[2 * j + 1]), groupInformedConsensus: r4(res.groupInformedConsensus[j]) })),
    consensus: {
      agree: res.consensus.agree.map((c) => ({ ...ref(c.statement), pSuccess: r4(c.pSuccess), nSuccess: c.nSuccess, nTrials: c.nTrials })),
      disagree: res.consensus.disagree.map((c) => ({ ...ref(c.statement), pSuccess: r4(c.pSuccess), nSuccess: c.nSuccess, nTrials: c.nTrials })),
    },
    groupInformedConsensus: gic,
    voteEvents: conv.voteEvents,
    participantCount: out.length,
    statementCount: active.length,
  };
}

/**
 * conversations.recompute: runs pipelines/votes on the accepted non-meta statements, seeded and warm-started from
 * the previous run's state, and submits ONE opinion-map review item. Too few votes is an answer (job result
 * `{ status: 'not-enough-votes' }`, no review item), not an error.
 */
export function registerConversationJobs(deps: Deps, cache = new MathCache()) {
  deps.jobs.register(RECOMPUTE_JOB, {
    payload: z.object({ conversationId: z.string(), voteEvents: z.number().int().min(0) }),
    maxAttempts: 3,
    async handler(ctx) {
      ctx.progress(0.1, 'loading votes');
      const input = cache.load(ctx.db, ctx.job.payload.conversationId);
      if (!input) throw new AppError('NOT_FOUND', `Conversation ${ctx.job.payload.conversationId} no longer exists.`);
      const { conv, participants, stmts, matrix, flags, inputHash, watermark, load } = input;
      ctx.progress(0.3, `mapping ${participants.length} participants × ${stmts.length} statements`);
      const seed = seedFor(deps.config.seed, conv.id);
      const previous = (conv.mathState as OpinionMapState | null) ?? null;
      const tMath = performance.now();
      const res = computeOpinionMap({ matrix, statementFlags: flags }, { seed, previous, ...MAP_PARAMS });
      const mathSeconds = (performance.now() - tMath) / 1000;
      if (res.status !== 'ok') {
        return { status: 'not-enough-votes', reason: res.reason, participantsWithVotes: res.participantsWithVotes, statementsWithVotes: res.statementsWithVotes, required: res.required };
      }
      if (ctx.signal.aborted) throw ctx.signal.reason;
      ctx.progress(0.8, 'submitting the map for review');
      const tDraft = performance.now();
      const payload = buildPayload(conv, res, participants, stmts);
      return ctx.complete((tx) => {
        repo.update(tx, conv.id, { mathState: res.state, mathVoteEvents: watermark });
        const setExtremity = repo.fast(ctx.db).setExtremity;
        stmts.forEach((s, j) => {
          const e = res.extremity[j];
          if (Number.isFinite(e) && e !== s.extremity) setExtremity.run(e, s.id);
        });
        const item = deps.review.submit(tx, {
          assemblyId: conv.assemblyId,
          kind: OPINION_MAP_KIND,
          subject: `conversation:${conv.id}`,
          title: `Opinion map — ${conv.topic}`,
          payload,
          sources: [{ type: 'conversation', id: conv.id, voteEvents: watermark, participants: participants.length, statements: stmts.length }],
          provenance: {
            stage: 'conversations.opinion-map',
            version: '2',
            modelIds: [],
            weightsSha256: [],
            params: { ...MAP_PARAMS, voteWatermark: watermark, inputHashMethod: 'sha256 over the CSR vote matrix (math-cache.ts)', load: load.kind, warmStart: previous !== null, k: res.k, bestK: res.bestK, silhouettes: res.silhouettes, pcaIterations: res.pca.iterations, pcaConverged: res.pca.converged },
            seed,
            inputHash,
          },
          jobId: ctx.job.id,
        });
        const seconds = { read: r3(load.seconds), math: r3(mathSeconds), draft: r3((performance.now() - tDraft) / 1000) };
        return { status: 'ok', reviewItemId: item.id, voteWatermark: watermark, read: load.kind, votesRead: load.votesRead, seconds, k: res.k, groups: res.groups.map((g) => g.size), participants: payload.participantCount, statements: payload.statementCount };
      });
    },
  });
}
