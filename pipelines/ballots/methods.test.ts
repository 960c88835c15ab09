import { describe, expect, it } from 'vitest';
import { approval, threshold } from './approval.js';
import { borda } from './borda.js';
import { consent } from './consent.js';

describe('modified Borda', () => {
  it('gives m … 1 points to a member ranking m options and 0 to the unranked', () => {
    const r = borda({ options: ['a', 'b', 'c', 'd'], ballots: [{ ranking: [['a'], ['b']] }, { ranking: [['c']], count: 3 }] });
    expect(r.scores).toEqual([2, 1, 3, 0]);
    expect(r.ranking).toEqual([['c'], ['a'], ['b'], ['d']]);
  });
});

describe('approval', () => {
  it('counts approvals and reports ties', () => {
    const r = approval(['a', 'b', 'c'], [{ approve: ['a', 'b'] }, { approve: ['b', 'a'] }, { approve: [] }]);
    expect(r.approvals).toEqual([2, 2, 0]);
    expect(r.ranking).toEqual([['a', 'b'], ['c']]);
    expect(() => approval(['a'], [{ approve: ['a', 'a'] }])).toThrow(/more than once/);
  });
});

describe('support threshold with quorum', () => {
  const ballots = [{ approve: ['x', 'y'], count: 8 }, { approve: ['y'], count: 2 }];
  it('passes options at or above the share of votes cast', () => {
    const r = threshold(['x', 'y'], ballots, { threshold: 0.8, base: 'cast', quorum: 0.5, eligible: 20 });
    expect(r.quorumMet).toBe(true);
    expect(r.share).toEqual([0.8, 1]);
    expect(r.passed).toEqual([true, true]);
  });
  it('counts abstention against when the base is eligible members', () => {
    const r = threshold(['x', 'y'], ballots, { threshold: 0.8, base: 'eligible', quorum: 0.5, eligible: 12 });
    expect(r.passed).toEqual([false, true]);
  });
  it('passes nothing without quorum', () => {
    const r = threshold(['x', 'y'], ballots, { threshold: 0.5, base: 'cast', quorum: 0.6, eligible: 20 });
    expect(r.turnout).toBe(0.5);
    expect(r.quorumMet).toBe(false);
    expect(r.passed).toEqual([false, false]);
  });
  it('refuses a quorum above 100 % and more ballots than members', () => {
    expect(() => threshold(['x'], [], { threshold: 0.5, base: 'cast', quorum: 1.2, eligible: 3 })).toThrow(/quorum must be between 0 % and 100 %/);
    expect(() => threshold(['x', 'y'], ballots, { threshold: 0.5, base: 'cast', quorum: 0, eligible: 5 })).toThrow(/only 5 members/);
  });
});

describe('consent (gradients of agreement)', () => {
  it('shows blocks and objections and passes only without them', () => {
    const ok = consent([{ gradient: 'endorse', count: 5 }, { gradient: 'dislike-support' }, { gradient: 'abstain' }]);
    expect(ok.passed).toBe(true);
    expect(ok.support).toBe(6);
    const blocked = consent([{ gradient: 'endorse', count: 5 }, { gradient: 'veto' }, { gradient: 'serious-disagreement', count: 2 }]);
    expect([blocked.passed, blocked.blocks, blocked.objections]).toEqual([false, 1, 2]);
    expect(() => consent([{ gradient: 'maybe' }])).toThrow(/not one of the eight/);
  });
});
