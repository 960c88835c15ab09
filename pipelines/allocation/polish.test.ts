import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allocate } from './allocate.js';
import { parsePeopleTable } from './csv.js';

const FEATURES = ['gender', 'age', 'region', 'nation', 'media'];
const people = parsePeopleTable(readFileSync(fileURLToPath(new URL('../../fixtures/allocation/100i_4j_3k_3d_data.csv', import.meta.url)), 'utf8'), 'ID', FEATURES);

describe('small pools: rounds searched again knowing every other round, polished for the largest deviation', () => {
  it('never ends worse than the greedy pass on (repeated pairs, largest deviation), and here balances better', () => {
    for (const seed of ['s1', 's2']) {
      const greedy = allocate({ people, features: FEATURES, groupSize: 8, rounds: 4, seed, effort: { sweeps: 0 } });
      const swept = allocate({ people, features: FEATURES, groupSize: 8, rounds: 4, seed });
      expect(swept.figures.repeatedPairs).toBeLessThanOrEqual(greedy.figures.repeatedPairs);
      expect(swept.figures.repeatedPairs).toBe(0);
      expect(swept.figures.maxFeatureDeviation).toBeLessThan(greedy.figures.maxFeatureDeviation);
    }
  });
  it('reports progress up to 1 and stays reproducible', () => {
    const seen: number[] = [];
    const a = allocate({ people, features: FEATURES, groupSize: 8, rounds: 2, seed: 'p', onProgress: (f) => seen.push(f) });
    const b = allocate({ people, features: FEATURES, groupSize: 8, rounds: 2, seed: 'p' });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]))).toBe(true);
    expect(seen.at(-1)).toBe(1);
    expect(a.rounds).toEqual(b.rounds);
  });
});
