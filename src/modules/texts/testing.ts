import { ctxFor } from '../../deps.js';
import type { TestService } from '../../testing/service.js';
import { createText, getText, proposeAmendment } from './service.js';

/** A text with one paragraph and an open amendment to it, for route-enumerating tests (samples.ts). */
export function sampleText(s: Pick<TestService, 'deps' | 'assemblyId' | 'users'>) {
  const fac = ctxFor(s.deps, { kind: 'user', id: s.users.facilitator, role: 'facilitator', displayName: 'Camille', language: 'en', via: 'token', assemblyIds: [] });
  const member = ctxFor(s.deps, { kind: 'user', id: s.users.participant, role: 'participant', displayName: 'Tester', language: 'en', via: 'token', assemblyIds: [s.assemblyId] });
  const t = createText(fac, s.assemblyId, { title: 'Sample report', body: '# Transport\n\nThe assembly recommends more buses.' });
  const paragraphId = getText(fac, s.assemblyId, t.id).sections[0].paragraphs[0].id;
  const a = proposeAmendment(member, s.assemblyId, t.id, paragraphId, { kind: 'replace', text: 'The assembly recommends more buses and trams.', justification: 'Trams too.' });
  return { textId: t.id, paragraphId: String(paragraphId), amendmentId: String(a.id) };
}
