import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, averagePrecision, normalizedMutualInfo, purity } from './metrics.js';

describe('clustering metrics (hand-computed)', () => {
  const truth = ['a', 'a', 'b', 'b'];
  const pred = [0, 0, 1, 2];
  it('ARI = 4/7 for a split cluster', () => {
    expect(adjustedRandIndex(truth, pred)).toBeCloseTo(4 / 7, 12);
  });
  it('NMI = ln2 / (1.25 ln2) = 0.8', () => {
    expect(normalizedMutualInfo(truth, pred)).toBeCloseTo(0.8, 12);
  });
  it('perfect and label-permuted partitions score 1', () => {
    expect(adjustedRandIndex(truth, [5, 5, 7, 7])).toBeCloseTo(1, 12);
    expect(normalizedMutualInfo(truth, [5, 5, 7, 7])).toBeCloseTo(1, 12);
    expect(purity(truth, [5, 5, 7, 7])).toBe(1);
  });
  it('purity counts the majority label per cluster', () => {
    expect(purity(['a', 'a', 'b', 'b', 'b'], [0, 0, 0, 1, 1])).toBeCloseTo(4 / 5, 12);
  });
  it('ARI is negative or zero for an anti-correlated split', () => {
    expect(adjustedRandIndex(['a', 'a', 'b', 'b'], [0, 1, 0, 1])).toBeLessThan(0);
  });
});

describe('average precision', () => {
  it('ranks', () => {
    expect(averagePrecision(['x', 'y', 'z'], new Set(['y']))).toBeCloseTo(1 / 2, 12);
    expect(averagePrecision(['x', 'y', 'z'], new Set(['x', 'z']))).toBeCloseTo((1 + 2 / 3) / 2, 12);
    expect(averagePrecision(['x'], new Set())).toBe(0);
  });
});
