import { ctxFor } from '../../deps.js';
import type { TestService } from '../../testing/service.js';
import { DISCUSSION_SUMMARY_KIND } from './domain.js';
import { addComment, createDebate } from './service.js';

/** An open debate with one comment from the test participant, for route-enumerating tests (samples.ts). */
export function sampleDebate(s: Pick<TestService, 'deps' | 'assemblyId' | 'users'>) {
  const fac = ctxFor(s.deps, { kind: 'user', id: s.users.facilitator, role: 'facilitator', displayName: 'Camille', language: 'en', via: 'token', assemblyIds: [] });
  const member = ctxFor(s.deps, { kind: 'user', id: s.users.participant, role: 'participant', displayName: 'Tester', language: 'en', via: 'token', assemblyIds: [s.assemblyId] });
  const debate = createDebate(fac, s.assemblyId, { title: 'Sample debate on transport', description: 'A sample.' });
  const comment = addComment(member, null, s.assemblyId, debate.id, { body: 'A sample comment.', alignment: 'neutral' });
  // a draft summary of THIS debate left pending, with the review-gate test's canary in it: a debate route that read
  // drafts (rather than discussion_summaries, written only by publish) would show it and fail that test
  s.deps.db.transaction((tx) =>
    s.deps.review.submit(tx, {
      assemblyId: s.assemblyId, kind: DISCUSSION_SUMMARY_KIND, subject: `debate:${debate.id}`, title: 'CANARY-PENDING synthèse du débat',
      payload: { title: 'CANARY-PENDING synthèse du débat', language: 'en', subject: `debate:${debate.id}`, sentences: [{ text: 'CANARY-PENDING phrase de la synthèse du débat.', sourceIds: [String(comment.id)] }], agreement: [], disagreement: [] },
      provenance: { stage: 'test', version: '1', modelIds: ['fake'], weightsSha256: [null], params: {}, seed: 1, inputHash: 'h' },
    }),
  );
  return { debateId: debate.id, commentId: String(comment.id) };
}
