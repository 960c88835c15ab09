import { ctxFor } from '../../deps.js';
import type { TestService } from '../../testing/service.js';
import { addComment, createDebate } from './service.js';

/** An open debate with one comment from the test participant, for route-enumerating tests (samples.ts). */
export function sampleDebate(s: Pick<TestService, 'deps' | 'assemblyId' | 'users'>) {
  const fac = ctxFor(s.deps, { kind: 'user', id: s.users.facilitator, role: 'facilitator', displayName: 'Test facilitator', language: 'en', via: 'token', assemblyIds: [] });
  const member = ctxFor(s.deps, { kind: 'user', id: s.users.participant, role: 'participant', displayName: 'Tester', language: 'en', via: 'token', assemblyIds: [s.assemblyId] });
  const debate = createDebate(fac, s.assemblyId, { title: 'Sample debate on transport', description: 'A sample.' });
  const comment = addComment(member, null, s.assemblyId, debate.id, { body: 'A sample comment.', alignment: 'neutral' });
  return { debateId: debate.id, commentId: String(comment.id) };
}
