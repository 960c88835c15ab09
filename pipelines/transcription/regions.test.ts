import { describe, expect, it } from 'vitest';
import { pauseCuts, planRegions } from './regions.js';

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

describe('pauseCuts', () => {
  const RATE = 16000;
  /** 300 Hz tone (speech stand-in) with a faint noise floor everywhere, silent gaps where speech is not */
  function speech(len: number, spans: Array<[number, number]>): Float32Array {
    const a = new Float32Array(Math.round(len * RATE));
    let seed = 7;
    for (let i = 0; i < a.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      a[i] = 0.001 * (seed / 2147483648 - 0.5);
    }
    for (const [s, e] of spans) for (let i = Math.round(s * RATE); i < Math.round(e * RATE); i++) a[i] += 0.4 * Math.sin((2 * Math.PI * 300 * i) / RATE);
    return a;
  }

  it('cuts in the longest quiet stretch near the middle, not in a short dip', () => {
    // 8 s: a 0.5 s pause at 3.0–3.5 and a 0.04 s dip at 4.50–4.54 (closer to the middle, but too short to be a pause)
    const a = speech(8, [[0, 3], [3.5, 4.5], [4.54, 8]]);
    const cuts = pauseCuts(a, RATE, 2);
    expect(cuts).toHaveLength(2);
    expect(cuts[0]).toBe(0);
    expect(cuts[1] / RATE).toBeGreaterThan(3.05);
    expect(cuts[1] / RATE).toBeLessThan(3.45);
    expect(pauseCuts(a, RATE, 2)).toEqual(cuts); // deterministic
  });

  it('gives n pieces, none shorter than the minimum, and does not cut short regions', () => {
    // pauses at 3.0–3.3, 4.6–4.9, 8.5–8.8 s: the cuts take the ones nearest the even positions (4 s, 8 s)
    const a = speech(12, [[0, 3], [3.3, 4.6], [4.9, 8.5], [8.8, 12]]);
    const cuts = pauseCuts(a, RATE, 3, 2);
    expect(cuts).toHaveLength(3);
    const ends = [...cuts.slice(1), a.length];
    cuts.forEach((c, i) => expect((ends[i] - c) / RATE).toBeGreaterThanOrEqual(2));
    expect(cuts[1] / RATE).toBeGreaterThan(4.6);
    expect(cuts[1] / RATE).toBeLessThan(4.9);
    expect(cuts[2] / RATE).toBeGreaterThan(8.5);
    expect(cuts[2] / RATE).toBeLessThan(8.8);
    expect(pauseCuts(speech(3.5, [[0, 1.5], [1.8, 3.5]]), RATE, 2, 2)).toEqual([0]);
    expect(pauseCuts(a, RATE, 1)).toEqual([0]);
    // 5 s with a 2 s minimum: at most 2 pieces however many are asked for
    expect(pauseCuts(speech(5, [[0, 2.4], [2.7, 5]]), RATE, 4, 2)).toHaveLength(2);
    // running speech without a pause is not cut at all
    expect(pauseCuts(speech(12, [[0, 12]]), RATE, 3, 2)).toEqual([0]);
  });
});
