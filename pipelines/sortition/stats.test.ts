import { describe, expect, it } from 'vitest';
import { anonymiseProbabilities, geometricMean, gini, jeffreysUpper, probabilityHistogram, summarise } from './stats.js';

describe('statistics', () => {
  it('computes Gini and geometric mean', () => {
    expect(gini([0.1, 0.1, 0.1])).toBe(0);
    expect(gini([0, 0, 0, 1])).toBeCloseTo(0.75, 12); // (n−1)/n for one holder
    expect(gini([1, 2, 3, 4])).toBeCloseTo(0.25, 12); // mean abs difference 1.25 / (2·2.5)
    expect(geometricMean([0.1, 0.4])).toBeCloseTo(0.2, 12);
    expect(geometricMean([0, 0.5])).toBe(0);
    expect(summarise([0.2, 0.1, 0.3])).toMatchObject({ min: 0.1, max: 0.3, median: 0.2, count: 3 });
  });

  it('matches the published LEGACY upper bounds (Jeffreys 99%, Flanigan et al. reference output)', () => {
    // example_small_20: sample proportion 0.0096 of 10,000 → ≤ 1.21 %; example_large_200: 0.0014 → ≤ 0.25 %
    expect(Math.round(jeffreysUpper(96, 10_000) * 10_000) / 100).toBe(1.21);
    expect(Math.round(jeffreysUpper(14, 10_000) * 10_000) / 100).toBe(0.25);
  });

  it('bins probabilities for a chart and publishes without ids', () => {
    const h = probabilityHistogram([0, 0.05, 0.1, 0.1, 0.2], { bins: 4 });
    expect(h.map((b) => b.count)).toEqual([1, 1, 2, 1]); // [0,.05) [.05,.1) [.1,.15) [.15,.2]
    expect(h[3]).toMatchObject({ from: 0.15, to: 0.2 });
    const a = anonymiseProbabilities({ x: 0.123456, y: 0.2, z: 0.1 }, { features: { x: { g: 'f' }, y: { g: 'f' }, z: { g: 'm' } }, minGroup: 2 });
    expect(a.sorted).toEqual([0.1, 0.1235, 0.2]);
    expect(JSON.stringify(a)).not.toMatch(/"[xyz]"/);
    expect(a.byValue).toEqual([{ category: 'g', value: 'f', people: 2, meanProbability: 0.1617 }]);
  });
});
