import { describe, expect, it } from 'vitest';
import { countMarks, scoreCandidates, sentenceChrf, stripMarks } from './pivot-select.js';

describe('pivot selection', () => {
  it('counts and strips Apertium marks at word starts only', () => {
    const s = 'At the *commencement, #creates @the e-mail a@b.fr and 3 * 4';
    expect(countMarks(s)).toBe(3);
    expect(stripMarks(s)).toBe('At the commencement, creates the e-mail a@b.fr and 3 * 4');
    expect(countMarks('"*Bonjour" (*monde)')).toBe(2);
  });

  it('scores sentence chrF like the corpus scorer on one pair', () => {
    expect(sentenceChrf('the cat', 'the cat')).toBeCloseTo(100, 6);
    expect(sentenceChrf('', 'the cat')).toBe(0);
    const near = sentenceChrf('the cats sat', 'the cat sat');
    expect(near).toBeGreaterThan(sentenceChrf('a dog ran', 'the cat sat'));
    expect(near).toBeLessThan(100);
  });

  it('prefers the candidate the others agree with, without marks, that round-trips to the source', () => {
    const source = 'Il est constamment à court d’argent.';
    const cands = [
      { pivot: 'es', raw: 'It is constantly to court of money.', back: 'Il est constamment à cour d’argent.' },
      { pivot: 'ca', raw: 'It is constantly at *pitch of money.', back: 'Il est constamment à pitch d’argent.' },
      { pivot: 'eo', raw: 'He is constantly to short of money.', back: 'Il est constamment à court d’argent.' },
    ];
    const byMarks = scoreCandidates(source, cands, { consensus: 0, roundTrip: 0, marks: 1 });
    expect(byMarks.at(-1)!.pivot).toBe('ca');
    expect(byMarks[0].pivot).toBe('es'); // a tie keeps the preference order
    const byRoundTrip = scoreCandidates(source, cands, { consensus: 0, roundTrip: 1, marks: 0 });
    expect(byRoundTrip[0].pivot).toBe('eo');
    expect(byRoundTrip[0].text).toBe('He is constantly to short of money.');
    const all = scoreCandidates(source, cands, { consensus: 1, roundTrip: 1, marks: 10 });
    expect(all.map((c) => c.text)).not.toContain('It is constantly at *pitch of money.'); // marks stripped
    expect(all[0].score).toBeGreaterThanOrEqual(all[1].score);
  });

  it('returns the only candidate when there is one', () => {
    const r = scoreCandidates('x', [{ pivot: 'es', raw: '*x' }], { consensus: 1, roundTrip: 1, marks: 1 });
    expect(r).toHaveLength(1);
    expect(r[0].text).toBe('x');
  });
});
