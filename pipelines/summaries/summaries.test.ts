import { describe, expect, it } from 'vitest';
import { mmrKeyStatements, summarizerKeyStatements, verifyCitations } from './index.js';
import type { Summarizer } from '../../models/types.js';
import type { Cluster, MappedContribution } from '../text/types.js';

const v = (...xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};

describe('mmrKeyStatements', () => {
  it('picks the most central member first, then a diverse one, and cites every member exactly once', () => {
    const members = [
      { id: 'a', text: 'A' },
      { id: 'b', text: 'B' },
      { id: 'c', text: 'C' },
      { id: 'd', text: 'D' },
    ];
    const vectors = [v(1, 0.1), v(1, 0.2), v(0.2, 1), v(0.9, 0.5)];
    const s = mmrKeyStatements(vectors, members, { maxStatements: 2 }, { a: ['a2'] });
    expect(s[0].contributionId).toBe('d');
    expect(s[1].contributionId).toBe('c');
    const cited = s.flatMap((x) => x.sourceIds).sort();
    expect(cited).toEqual(['a', 'a2', 'b', 'c', 'd']);
    expect(s[0].sourceIds[0]).toBe('d');
  });
  it('with λ near 1 prefers relevance over novelty (hand-computed: b before c)', () => {
    const vectors = [v(1, 0.1), v(1, 0.2), v(0.2, 1), v(0.9, 0.5)];
    const s = mmrKeyStatements(vectors, [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }, { id: 'c', text: 'C' }, { id: 'd', text: 'D' }], { maxStatements: 2, lambda: 0.9 });
    expect(s.map((x) => x.contributionId)).toEqual(['d', 'b']);
  });
});

describe('summarizerKeyStatements', () => {
  it('drops ids outside the cluster and sentences left with none', async () => {
    const fake: Summarizer = {
      provenance: { task: 'summarizer', backend: 'fake', modelId: 'f', version: '0', weightsSha256: null, params: {} },
      async summarize() {
        return {
          output: [
            { text: 'one', sourceIds: ['x', 'zz'] },
            { text: 'two', sourceIds: ['zz'] },
          ],
          provenance: this.provenance,
        };
      },
    };
    const r = await summarizerKeyStatements(fake, [{ id: 'x', text: 'one' }]);
    expect(r.statements).toEqual([{ text: 'one', contributionId: 'x', sourceIds: ['x'] }]);
  });
});

describe('verifyCitations', () => {
  const contribution = (id: string, cluster: string): MappedContribution => ({
    id, text: id, lang: 'en', langConfidence: 1, pivotText: id, translated: false, flags: [], duplicateOf: null, x: 0, y: 0, cluster, subcluster: null, sentiment: null, stance: null,
  });
  const cluster = (id: string, memberIds: string[], sourceIds: string[][]): Cluster => ({
    id, parentId: null, level: 1, size: memberIds.length, memberIds, keywords: [], keywordsByLang: {}, representativeIds: [], sentiment: null, stance: null, centroid2d: [0, 0],
    keyStatements: sourceIds.map((ids) => ({ text: 't', contributionId: ids[0] ?? null, sourceIds: ids })),
  });
  const contributions = [contribution('a', 'c0'), contribution('b', 'c0'), contribution('c', 'c1')];
  it('accepts a map whose citations all exist and belong to their cluster', () => {
    const r = verifyCitations({ contributions, clusters: [cluster('c0', ['a', 'b'], [['a', 'b']]), cluster('c1', ['c'], [['c']])] });
    expect(r).toMatchObject({ ok: true, statements: 2, citations: 3, valid: 3, share: 1, problems: [] });
  });
  it('reports unknown ids, ids of another cluster and empty citations', () => {
    const r = verifyCitations({ contributions, clusters: [cluster('c0', ['a', 'b'], [['a', 'c'], ['ghost'], []])] });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.kind).sort()).toEqual(['no-sources', 'outside-cluster', 'outside-cluster', 'unknown-id'].sort());
    expect(r.share).toBeCloseTo(1 / 3, 10);
  });
});
