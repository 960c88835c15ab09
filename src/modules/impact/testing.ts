import { ctxFor } from '../../deps.js';
import type { TestService } from '../../testing/service.js';
import { createRecommendation, setStatus } from '../recommendations/service.js';

/** A final recommendation (impact is tracked for final ones), made by the test facilitator. */
export function finalRecommendation(s: Pick<TestService, 'deps' | 'assemblyId' | 'users'>, title = 'Buses every ten minutes', assemblyId = s.assemblyId): string {
  const fac = ctxFor(s.deps, { kind: 'user', id: s.users.facilitator, role: 'facilitator', displayName: 'Camille', language: 'en', via: 'token', assemblyIds: [] });
  const id = createRecommendation(fac, assemblyId, { title, drafterKind: 'group', drafterName: 'Group A', proposal: 'Run buses every ten minutes on the main lines.' }).id;
  setStatus(fac, assemblyId, id, 'under_discussion');
  setStatus(fac, assemblyId, id, 'final');
  return id;
}
