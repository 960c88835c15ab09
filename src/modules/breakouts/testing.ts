import { ctxFor } from '../../deps.js';
import { newId } from '../../platform/ids.js';
import type { TestService } from '../../testing/service.js';
import { breakoutsRepo } from './repo.js';
import { createGroup, createSession } from './service.js';

/** A session with one group (the test participant in it) and an open upload, for route-enumerating tests (samples.ts). */
export function sampleBreakout(s: Pick<TestService, 'deps' | 'assemblyId' | 'users'>) {
  const ctx = ctxFor(s.deps, { kind: 'user', id: s.users.facilitator, role: 'facilitator', displayName: 'Test facilitator', language: 'en', via: 'token', assemblyIds: [] });
  const session = createSession(ctx, s.assemblyId, { title: 'Sample session', language: 'en' });
  const group = createGroup(ctx, s.assemblyId, session.id, { name: 'Sample group', leadFacilitatorId: s.users.facilitator, memberIds: [s.users.participant] });
  const upload = breakoutsRepo.insertUpload(s.deps.db, { id: newId('up_'), assemblyId: s.assemblyId, groupId: group.id, filename: 'sample.wav', size: 1000 });
  return { sessionId: session.id, groupId: group.id, uploadId: upload.id, trackId: 'tr_unknown' };
}
