import { describe, expect, it } from 'vitest';
import { consensusStatements, groupInformedConsensus, proportionZ, routingPriority, smoothed, twoProportionZ, type GroupCounts } from './stats.js';

describe('statement statistics', () => {
  it('smoothed probability and the two z-tests have the published values', () => {
    expect(smoothed(6, 6)).toBeCloseTo(0.875, 12);
    expect(proportionZ(6, 6)).toBeCloseTo(Math.sqrt(7), 12);
    expect(proportionZ(4, 5)).toBeCloseTo(2 * Math.sqrt(6) * (5 / 6 - 0.5), 12);
    // group 6/6 agree vs rest 3/10: p1 = 7/7, p2 = 4/11, pooled 11/18
    const p = 11 / 18;
    expect(twoProportionZ(6, 6, 3, 10)).toBeCloseTo((1 - 4 / 11) / Math.sqrt(p * (1 - p) * (1 / 7 + 1 / 11)), 12);
    expect(twoProportionZ(6, 6, 3, 10)).toBeCloseTo(2.6998622, 6);
  });

  it('group-informed consensus is the product of smoothed agreement per group', () => {
    const counts: GroupCounts = { k: 2, nStatements: 2, agree: Int32Array.from([3, 0, 4, 1]), disagree: Int32Array.from([0, 3, 0, 2]), seen: Int32Array.from([4, 3, 5, 4]) };
    const gac = groupInformedConsensus(counts, Uint8Array.from([1, 1]));
    expect(gac[0]).toBeCloseTo((4 / 6) * (5 / 7), 12);
    expect(gac[1]).toBeCloseTo((1 / 5) * (2 / 6), 12);
    expect(Number.isNaN(groupInformedConsensus(counts, Uint8Array.from([0, 1]))[0])).toBe(true);
  });

  it('consensus keeps significant majorities only, ranked by pSuccess · pTest', () => {
    const counts: GroupCounts = { k: 1, nStatements: 3, agree: Int32Array.from([18, 10, 1]), disagree: Int32Array.from([1, 9, 19]), seen: Int32Array.from([20, 20, 20]) };
    const c = consensusStatements(counts, Uint8Array.from([1, 1, 1]));
    expect(c.agree.map((x) => x.statement)).toEqual([0]);
    expect(c.disagree.map((x) => x.statement)).toEqual([2]);
  });

  it('routing priority favours new statements and statements people do not pass on', () => {
    expect(routingPriority(0, 0, 0, 0)).toBeGreaterThan(routingPriority(10, 0, 20, 0));
    expect(routingPriority(5, 0, 10, 1)).toBeGreaterThan(routingPriority(5, 5, 10, 1));
    expect(routingPriority(5, 0, 10, 2)).toBeGreaterThan(routingPriority(5, 0, 10, 0));
  });
});
