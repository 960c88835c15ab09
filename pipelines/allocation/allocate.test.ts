import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allocate, allocationFigures, AllocationError, groupSizes, parsePeopleTable, randomRounds } from './index.js';

const FEATURES = ['gender', 'age', 'region', 'nation', 'media'];
const table = readFileSync(new URL('../../fixtures/allocation/100i_4j_3k_3d_data.csv', import.meta.url), 'utf8');
const people = parsePeopleTable(table, 'ID', FEATURES);

function thrown(fn: () => unknown): AllocationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AllocationError) return e;
    throw e;
  }
  throw new Error('no AllocationError');
}

describe('allocate on the groupselect 100-person pool', () => {
  const facilitators = Array.from({ length: 30 }, (_, i) => `f${i}`);
  const res = allocate({ people, features: FEATURES, groupSize: 8, rounds: 4, seed: 'test', facilitators });

  it('puts everyone in exactly one group of 7–8 per round, with a lead and a distinct co-facilitator', () => {
    expect(res.rounds).toHaveLength(4);
    for (const round of res.rounds) {
      const ids = round.flatMap((g) => g.members);
      expect(ids.sort()).toEqual(people.map((p) => p.id).sort());
      expect(round).toHaveLength(13);
      for (const g of round) {
        expect(g.members.length).toBeGreaterThanOrEqual(7);
        expect(g.members.length).toBeLessThanOrEqual(8);
        expect(g.lead).not.toBeNull();
        expect(g.coFacilitator).not.toBe(g.lead);
      }
      const staff = round.flatMap((g) => [g.lead, g.coFacilitator]);
      expect(new Set(staff).size).toBe(26);
    }
  });

  it('has no repeated pair over 4 rounds and balances features far better than random', () => {
    expect(res.figures.repeatedPairs).toBe(0);
    expect(res.figures.meanDistinctMet).toBeCloseTo(26.88, 2); // 4 rounds × (7 or 8 − 1), nobody twice
    expect(res.random.repeatedPairs).toBeGreaterThan(50);
    expect(res.figures.maxFeatureDeviation).toBeLessThan(0.6 * res.random.maxFeatureDeviation);
    // the figures agree with an independent recount
    expect(allocationFigures(res.rounds.map((r) => r.map((g) => g.members)), people, FEATURES)).toEqual(res.figures);
  });

  it('is reproducible from the seed', () => {
    const again = allocate({ people, features: FEATURES, groupSize: 8, rounds: 4, seed: 'test', facilitators });
    expect(again.rounds).toEqual(res.rounds);
    const other = allocate({ people, features: FEATURES, groupSize: 8, rounds: 1, seed: 'other' });
    expect(other.rounds[0].map((g) => g.members)).not.toEqual(res.rounds[0].map((g) => g.members));
  });

  it('avoids pairs who met in earlier rounds (history)', () => {
    const history = [res.rounds[0].map((g) => g.members), res.rounds[1].map((g) => g.members)];
    const next = allocate({ people, features: FEATURES, groupSize: 8, rounds: 1, seed: 'later', history });
    expect(next.figures.repeatedPairs).toBe(0);
    expect(next.random.repeatedPairs).toBeGreaterThan(0);
  });
});

describe('when no allocation avoids every repeat', () => {
  it('reaches the pigeonhole bound: 4 groups of 8 in round 2 must each hold 2 people from some earlier group', () => {
    const pool = Array.from({ length: 32 }, (_, i) => ({ id: `p${i}`, features: { gender: i % 2 ? 'w' : 'm' } }));
    const r = allocate({ people: pool, features: ['gender'], groupSize: 8, rounds: 2, seed: 'bound' });
    // each new group draws 8 people from 4 earlier groups: at least 4 repeated pairs per group, 16 in all
    expect(r.figures.repeatedPairs).toBe(16);
    expect(r.random.repeatedPairs).toBeGreaterThan(16);
  });
});

describe('figures', () => {
  const small = [
    { id: 'a', features: { g: 'x' } },
    { id: 'b', features: { g: 'x' } },
    { id: 'c', features: { g: 'y' } },
    { id: 'd', features: { g: 'y' } },
  ];
  it('counts repeated pairs, distinct people met and the largest share deviation', () => {
    const f = allocationFigures(
      [
        [['a', 'b'], ['c', 'd']],
        [['a', 'b'], ['c', 'd']],
        [['a', 'c'], ['b', 'd']],
      ],
      small,
      ['g'],
    );
    expect(f.repeatedPairs).toBe(2); // a–b and c–d
    expect(f.meanDistinctMet).toBe(2); // everyone met 2 others
    expect(f.maxFeatureDeviation).toBeCloseTo(0.5); // {a,b}: 100 % x against 50 %
  });
  it('random rounds keep the sizes and are seeded', () => {
    const r = randomRounds(['a', 'b', 'c', 'd', 'e'], [3, 2], 2, 's');
    expect(r.map((round) => round.map((g) => g.length))).toEqual([[3, 2], [3, 2]]);
    expect(randomRounds(['a', 'b', 'c', 'd', 'e'], [3, 2], 2, 's')).toEqual(r);
  });
});

describe('impossible constraints say which and by how much', () => {
  it('group sizes', () => {
    expect(groupSizes(100, 8, 7)).toEqual([...Array(9).fill(8), ...Array(4).fill(7)]);
    const e = thrown(() => groupSizes(10, 8, 7));
    expect(e.constraint).toBe('groupSize');
    expect(e.message).toBe('10 members cannot be split into groups of 7–8: 2 groups would need at least 14 members (4 short), 1 group can hold at most 8 (2 too many). Change the group size or the number of members.');
    expect(e.shortBy).toBe(4);
    expect(thrown(() => groupSizes(5, 8, 7)).message).toMatch(/5 members are too few for one group of at least 7: 2 more needed/);
  });
  it('facilitators', () => {
    const e = thrown(() => allocate({ people, features: [], groupSize: 8, rounds: 1, seed: 's', facilitators: ['f1', 'f2', 'f3'] }));
    expect(e.constraint).toBe('facilitators');
    expect(e.message).toBe('13 groups need 26 facilitators (a lead and a co-facilitator each); 3 available: 23 short.');
    expect(e.shortBy).toBe(23);
  });
  it('bad tables', () => {
    expect(thrown(() => parsePeopleTable('ID,gender\nA,x\nA,y\n', 'ID', ['gender'])).message).toMatch(/'A' appears twice/);
    expect(thrown(() => parsePeopleTable('ID,gender\nA,x\n', 'ID', ['age'])).message).toMatch(/no column 'age'/);
  });
});
