import { describe, expect, it } from 'vitest';
import { planRegions } from './regions.js';

describe('planRegions', () => {
  it('pads by 0.2 s and clamps to the audio', () => {
    expect(planRegions([{ start: 0.1, end: 1 }, { start: 5, end: 9.95 }], 10)).toEqual([
      { start: 0, end: 1.2 },
      { start: 4.8, end: 10 },
    ]);
  });
  it('merges regions separated by short pauses while they fit, keeps long pauses apart', () => {
    const r = planRegions([{ start: 1, end: 2 }, { start: 2.6, end: 3 }, { start: 6, end: 7 }], 20);
    expect(r).toEqual([{ start: 0.8, end: 3.2 }, { start: 5.8, end: 7.2 }]);
  });
  it('does not merge past the maximum length', () => {
    const r = planRegions([{ start: 0, end: 20 }, { start: 20.3, end: 35 }], 40, { maxSec: 30 });
    expect(r).toHaveLength(2);
    expect(r[0].end).toBeLessThanOrEqual(r[1].start);
    for (const x of r) expect(x.end - x.start).toBeLessThanOrEqual(30);
  });
  it('splits a long region into equal parts of at most maxSec', () => {
    const r = planRegions([{ start: 0, end: 70 }], 100, { padSec: 0 });
    expect(r).toEqual([{ start: 0, end: 23.333 }, { start: 23.333, end: 46.667 }, { start: 46.667, end: 70 }]);
  });
  it('drops blips and invalid regions, sorts the rest', () => {
    expect(planRegions([{ start: 5, end: 6 }, { start: 1, end: 1.05 }, { start: NaN, end: 2 }, { start: 2, end: 3 }], 10, { padSec: 0, mergeGapSec: 0 })).toEqual([
      { start: 2, end: 3 },
      { start: 5, end: 6 },
    ]);
  });
});
