import { describe, expect, it } from 'vitest';
import type { GroupVote } from './index.js';
import { supportForecast } from './support.js';

const many = (n: number, group: number, vote: 1 | 0 | -1): GroupVote[] => Array.from({ length: n }, () => ({ group, vote }));

describe('support forecast per group', () => {
  it('shrinks each group toward the overall share, counts its votes and says whether it clears everywhere', () => {
    const votes = [...many(18, 0, 1), ...many(2, 0, -1), ...many(6, 1, 1), ...many(4, 1, 0), ...many(3, 9, 1)];
    const f = supportForecast(votes, [0, 1], 2, 0.6);
    expect(f.votes).toBe(33);
    expect(f.overall).toBeCloseTo(27 / 33, 4);
    const o = 27 / 33;
    expect(f.groups[0]).toMatchObject({ group: 0, votes: 20 });
    expect(f.groups[0].share).toBeCloseTo((18 + 2 * o) / 22, 4);
    expect(f.groups[1].share).toBeCloseTo((6 + 2 * o) / 12, 4);
    expect(f.clears).toBe(true);
    expect(f.groups[1].low).toBeLessThan(f.groups[1].share);
    expect(f.groups[1].high).toBeGreaterThan(f.groups[1].share);
    // the 12-vote group's interval is wider than the 20-vote group's
    expect(f.groups[1].high - f.groups[1].low).toBeGreaterThan(f.groups[0].high - f.groups[0].low);
    expect(supportForecast(votes, [0, 1], 2, 0.7).clears).toBe(false);
  });
  it('a group without votes gets the overall share; no votes at all gives no verdict', () => {
    const f = supportForecast(many(10, 0, 1), [0, 1], 2, 0.6);
    expect(f.groups[1]).toMatchObject({ share: 1, votes: 0 });
    const none = supportForecast([], [0, 1], 2, 0.6);
    expect([none.clears, none.close, none.votes]).toEqual([null, false, 0]);
  });
  it('flags a verdict that could go either way', () => {
    const f = supportForecast([...many(6, 0, 1), ...many(4, 0, -1), ...many(6, 1, 1), ...many(4, 1, -1)], [0, 1], 2, 0.6);
    expect(f.clears).toBe(true);
    expect(f.close).toBe(true);
  });
});
