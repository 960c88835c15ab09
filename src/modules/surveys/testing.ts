import { ctxFor } from '../../deps.js';
import type { TestService } from '../../testing/service.js';
import { createSurvey } from './service.js';

/** A sample survey for route-enumerating tests. */
export function sampleSurvey(s: TestService): { surveyId: string } {
  const staff = { kind: 'user' as const, id: s.users.facilitator, role: 'facilitator' as const, displayName: 'F', language: 'en', via: 'token' as const, assemblyIds: [] };
  const v = createSurvey(ctxFor(s.deps, staff), s.assemblyId, { title: 'Questionnaire d’exemple', phase: 'pre', questions: [{ key: 'q1', kind: 'scale', label: 'Êtes-vous d’accord avec la démarche ?', min: 1, max: 5 }] });
  return { surveyId: v.id };
}
