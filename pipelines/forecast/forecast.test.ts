import { describe, expect, it } from 'vitest';
import { clearsEverywhere, forecastShares, hideVotes, type GroupVote } from './index.js';

describe('forecast of group support', () => {
  const votes: GroupVote[] = [
    ...Array.from({ length: 8 }, () => ({ group: 0, vote: 1 as const })),
    ...Array.from({ length: 2 }, () => ({ group: 0, vote: -1 as const })),
    ...Array.from({ length: 2 }, () => ({ group: 1, vote: 1 as const })),
    ...Array.from({ length: 8 }, () => ({ group: 1, vote: 0 as const })),
  ];
  it('k = 0 is each group\'s own share, k = ∞ the overall share, in between a shrunk share', () => {
    expect([...forecastShares(votes, [0, 1], 0).groups.values()]).toEqual([0.8, 0.2]);
    expect([...forecastShares(votes, [0, 1], Infinity).groups.values()]).toEqual([0.5, 0.5]);
    const mid = forecastShares(votes, [0, 1], 10).groups;
    expect(mid.get(0)).toBeCloseTo((8 + 5) / 20);
    expect(clearsEverywhere(forecastShares(votes, [0, 1], 0), 0.6)).toBe(false);
    expect(clearsEverywhere(forecastShares(votes.filter((v) => v.group === 0), [0], 0), 0.6)).toBe(true);
  });
  it('hides the asked share of votes, reproducibly', () => {
    const a = hideVotes(votes, 0.3, 1, 7);
    expect([a.hidden.length, a.visible.length]).toEqual([6, 14]);
    expect(hideVotes(votes, 0.3, 1, 7)).toEqual(a);
    expect(hideVotes(votes.map((v, i) => ({ ...v, i })), 0.3, 1, 8).hidden.map((v) => v.i)).not.toEqual(hideVotes(votes.map((v, i) => ({ ...v, i })), 0.3, 1, 7).hidden.map((v) => v.i));
  });
});
