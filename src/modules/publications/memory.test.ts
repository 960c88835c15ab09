import { describe, expect, it } from 'vitest';
import { testDb } from '../../platform/db/client.js';
import { assemblies, publications } from '../../platform/db/schema.js';
import { buildMemory, lookupMemory } from '../../../pipelines/translation/memory.js';
import { reviewedTranslationPairs } from './memory.js';

describe('translation memory from published translations', () => {
  it('pairs reviewed sentences with their source, leaves quoted ones out, newest first wins', () => {
    const db = testDb();
    db.insert(assemblies).values({ id: 'a1', slug: 'a1', title: 'A' }).run();
    db.insert(assemblies).values({ id: 'a2', slug: 'a2', title: 'B' }).run();
    const pub = (id: string, assemblyId: string, kind: string, language: string, body: unknown, at: string) =>
      db.insert(publications).values({ id, assemblyId, reviewItemId: `r-${id}`, kind, subject: 's', language, title: 't', body, publishedAt: at }).run();
    pub('src', 'a1', 'summary', 'en', { sentences: [{ text: 'Buses at night.', sourceIds: [] }, { text: 'Des vélos.', sourceIds: [], language: 'fr' }] }, '2026-01-01');
    pub('mt', 'a1', 'translation', 'fr', { sourcePublicationId: 'src', sentences: [{ text: 'Des bus la nuit.', sourceIds: [], origin: 'machine-post-edited' }, { text: 'Des vélos.', sourceIds: [], origin: 'original' }] }, '2026-01-02');
    pub('hu', 'a1', 'human-translation', 'fr', { sourcePublicationId: 'src', humanTranslated: true, sentences: [{ text: 'Des bus de nuit.', sourceIds: [] }, { text: 'Des vélos.', sourceIds: [] }] }, '2026-01-03');
    pub('other', 'a2', 'translation', 'fr', { sourcePublicationId: 'src', sentences: [{ text: 'Autre assemblée.', sourceIds: [] }] }, '2026-01-04');
    const pairs = reviewedTranslationPairs(db, 'a1');
    expect(pairs).toEqual([
      { from: 'en', to: 'fr', source: 'Buses at night.', target: 'Des bus la nuit.' },
      { from: 'en', to: 'fr', source: 'Buses at night.', target: 'Des bus de nuit.' },
    ]);
    expect(lookupMemory(buildMemory(pairs), 'buses at night', 'en', 'fr')?.text).toBe('Des bus de nuit.');
    expect(reviewedTranslationPairs(db, 'a2')).toEqual([]); // its source belongs to another assembly
  });
});
