import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, normalizedMutualInfo, spearman } from './scores.js';

// reference values computed with scikit-learn 1.2 / scipy (adjusted_rand_score, normalized_mutual_info_score, spearmanr)
describe('agreement scorers', () => {
  it('ARI matches known values', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714285714, 12);
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.24242424242424243, 12);
    expect(adjustedRandIndex([0, 1, 0, 1], [0, 0, 1, 1])).toBeCloseTo(-0.5, 12);
    expect(adjustedRandIndex([3, 3, 7, 7, 9], [1, 1, 0, 0, 2])).toBe(1);
  });
  it('NMI matches known values', () => {
    expect(normalizedMutualInfo([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.8, 12);
    expect(normalizedMutualInfo([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.5158037429793888, 12);
    expect(normalizedMutualInfo([0, 1, 0, 1], [0, 0, 1, 1])).toBeCloseTo(0, 12);
    expect(normalizedMutualInfo([5, 5, 2], [0, 0, 1])).toBeCloseTo(1, 12);
  });
  it('Spearman matches a known value with ties', () => {
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 12);
    expect(() => adjustedRandIndex([0], [0, 1])).toThrow();
  });
});
