import type { TestService } from './service.js';
import { sampleConversation } from '../modules/conversations/testing.js';
import { sampleBreakout } from '../modules/breakouts/testing.js';
import { sampleBallot } from '../modules/ballots/testing.js';
import { sampleSurvey } from '../modules/surveys/testing.js';
import { sampleDebate } from '../modules/debates/testing.js';
import { sampleRecommendation } from '../modules/recommendations/testing.js';
import { sampleText } from '../modules/texts/testing.js';
import { createMaterial } from '../modules/deliberation/learning.js';
import { ctxFor } from '../deps.js';

const prov = { stage: 'test', version: '1', modelIds: ['fake'], weightsSha256: [null], params: {}, seed: 1, inputHash: 'h' };

/**
 * Sample values for every path parameter used by a route, with real rows behind them (a pending review item,
 * a job). Route-enumerating tests fail with a message naming any parameter missing here.
 */
export function routeSamples(s: TestService): Record<string, string> {
  const item = s.db.transaction((tx) =>
    s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'summary', subject: 'sample', title: 'Sample', payload: { title: 'Sample', language: 'en', sentences: [{ text: 'Sample.', sourceIds: ['c1'] }] }, provenance: prov }),
  );
  const job = s.deps.jobs.enqueue(s.db, { type: 'publications.translate', assemblyId: s.assemblyId, payload: { publicationId: 'none', to: 'fr' } });
  const conv = sampleConversation(s);
  const breakout = sampleBreakout(s);
  const ballot = sampleBallot(s);
  const survey = sampleSurvey(s);
  const debate = sampleDebate(s);
  // a real learning material, so participant pages that show one render it (phones test) instead of a 404
  const staff = ctxFor(s.deps, { kind: 'user', id: s.users.facilitator, role: 'facilitator', displayName: 'Camille', language: 'fr', via: 'token', assemblyIds: [] });
  const material = createMaterial(staff, s.assemblyId, { kind: 'reading', title: 'Le rapport du GIEC en bref', url: 'https://example.org/giec', language: 'fr', minutes: 12 });
  return {
    assemblyId: s.assemblyId,
    conversationId: conv.conversationId,
    statementId: String(conv.statementId),
    polisFile: 'comments.csv',
    itemId: item.id,
    jobId: job.id,
    tokenId: 'tok_unknown',
    slug: 'test-assembly',
    file: 'app.css',
    lang: 'en',
    decision: 'approve',
    publicationId: 'pub_unknown',
    op: 'rename',
    poolId: 'pool_unknown',
    runId: 'run_unknown',
    drawId: 'draw_unknown',
    personId: 'person_unknown',
    loanId: 'loan_unknown',
    userId: s.users.participant,
    sessionId: breakout.sessionId,
    groupId: breakout.groupId,
    uploadId: breakout.uploadId,
    allocationId: 'al_unknown',
    eventId: 'ev_unknown',
    feedToken: 'feed_unknown',
    materialId: material.id,
    taskId: 'task_unknown',
    submissionId: 'sub_unknown',
    questionId: 'q_unknown',
    trackId: breakout.trackId,
    ballotId: ballot.ballotId,
    surveyId: survey.surveyId,
    questionKey: 'q1',
    exportId: 'odx_unknown',
    versionId: 'bro_unknown',
    ideaId: 'idea_unknown',
    language: 'fr',
    debateId: debate.debateId,
    commentId: debate.commentId,
    recommendationId: sampleRecommendation(s),
    ...sampleText(s),
  };
}
