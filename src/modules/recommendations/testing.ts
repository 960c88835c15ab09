import { ctxFor } from '../../deps.js';
import type { TestService } from '../../testing/service.js';
import { createRecommendation } from './service.js';

/** A draft recommendation, for route-enumerating tests (samples.ts). */
export function sampleRecommendation(s: Pick<TestService, 'deps' | 'assemblyId' | 'users'>): string {
  const fac = ctxFor(s.deps, { kind: 'user', id: s.users.facilitator, role: 'facilitator', displayName: 'Camille', language: 'en', via: 'token', assemblyIds: [] });
  return createRecommendation(fac, s.assemblyId, { title: 'Sample recommendation', drafterKind: 'group', drafterName: 'Sample group', proposal: 'A sample.' }).id;
}
