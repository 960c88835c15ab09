import type { TestService } from './service.js';

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
  return {
    assemblyId: s.assemblyId,
    itemId: item.id,
    jobId: job.id,
    tokenId: 'tok_unknown',
    slug: 'test-assembly',
    file: 'app.css',
    lang: 'en',
    decision: 'approve',
  };
}
