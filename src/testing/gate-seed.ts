import type { Deps } from '../deps.js';
import type { Db } from '../platform/db/client.js';
import { routeSamples } from './samples.js';
import type { TestService } from './service.js';

/**
 * The review gate's fixture, for a service that is not a TestService (the Workers target seeds it inside an assembly's
 * Durable Object through a test-only hook): AI outputs in every non-published state, each with a canary string, one
 * pending draft of every registered review kind, one approved item whose text must be visible, and the route samples.
 * Mirrors src/review-gate.test.ts, except that the pending translation is written directly (no model runs there).
 */
export const GATE = {
  canaries: ['CANARY-PENDING', 'CANARY-REJECTED', 'CANARY-SUPERSEDED', 'CANARY-TRANSLATION-PENDING'],
  visible: 'VISIBLE-APPROVED-SENTENCE',
  kindCanary: (kind: string) => `CANARY-KIND-${kind.toUpperCase().replace(/[^A-Z0-9]/g, '-')}`,
};
const prov = { stage: 'test', version: '1', modelIds: ['fake'], weightsSha256: [null], params: {}, seed: 1, inputHash: 'h' };

export function seedGate(s: { deps: Deps; db: Db; assemblyId: string; users: TestService['users'] }): { samples: Record<string, string>; kinds: string[] } {
  const submit = (subject: string, text: string, kind = 'summary') =>
    s.db.transaction((tx) =>
      s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind, subject, title: `${text} title`, payload: { title: `${text} title`, language: 'en', sentences: [{ text, sourceIds: ['c1'] }] }, sources: [{ id: 'c1', text }], provenance: prov }),
    );
  submit('superseded', 'CANARY-SUPERSEDED');
  submit('superseded', 'CANARY-PENDING');
  const rej = submit('rejected', 'CANARY-REJECTED');
  s.deps.review.reject(s.db, rej.id, s.assemblyId, s.users.facilitator, 'wrong');
  const ok = submit('approved', GATE.visible);
  s.deps.review.approve(s.db, ok.id, s.assemblyId, s.users.facilitator);
  submit('translation-canary', 'CANARY-TRANSLATION-PENDING');
  const insert = s.db.$client.prepare(
    "insert into review_items (id, assembly_id, kind, subject, title, payload, sources, provenance, status) values (?, ?, ?, ?, ?, ?, '[]', '{}', 'pending')",
  );
  for (const k of s.deps.reviewKinds.list()) {
    const canary = GATE.kindCanary(k.kind);
    insert.run(`ri_canary_${k.kind}`, s.assemblyId, k.kind, `canary:${k.kind}`, `${canary} title`, JSON.stringify({ title: canary, text: canary, sentences: [{ text: canary, sourceIds: ['c1'] }], clusters: [{ label: canary }], groups: [{ label: canary }], segments: [{ text: canary }] }));
  }
  return { samples: routeSamples(s as unknown as TestService), kinds: s.deps.reviewKinds.list().map((k) => k.kind) };
}
