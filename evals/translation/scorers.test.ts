import { describe, expect, it } from 'vitest';
import { chrfStats, corpusBleu, corpusChrf, tokenize13a } from './scorers.js';

describe('chrF', () => {
  it('counts character n-grams without whitespace (hand-computed)', () => {
    // hyp "ab c" → "abc"; ref "abd" ; n=1: hyp {a,b,c}, ref {a,b,d}: 3/3/2 ; n=2: {ab,bc} vs {ab,bd}: 2/2/1 ; n=3: {abc} vs {abd}: 1/1/0
    const s = chrfStats(['ab c'], ['abd'], 3);
    expect(s.orders).toEqual([[3, 3, 2], [2, 2, 1], [1, 1, 0]]);
    // F_n with P = R: F = P → (2/3 + 1/2 + 0) / 3
    expect(corpusChrf(['ab c'], ['abd'], { order: 3 })).toBeCloseTo((100 * (2 / 3 + 1 / 2 + 0)) / 3, 10);
  });
  it('uses corpus-level statistics, not the mean of sentence scores', () => {
    const hyp = ['aaaa', 'b'];
    const ref = ['aaaa', 'c'];
    // n=1: hyp 5, ref 5, match 4 → 0.8 ; n=2: hyp 3 (only "aa"×3), ref 3, match 3 → 1 ; n=3: 2/2/2 → 1 ; n=4: 1/1/1 → 1 ; n=5,6: no n-grams
    expect(corpusChrf(hyp, ref)).toBeCloseTo((100 * (0.8 + 1 + 1 + 1)) / 4, 10);
  });
  it('weights recall twice as much as precision (β = 2)', () => {
    // n=1 only: hyp "ab" ref "abcd": P = 1, R = 0.5 → F = 5·0.5 / (4 + 0.5)
    expect(corpusChrf(['ab'], ['abcd'], { order: 1 })).toBeCloseTo((100 * 5 * 0.5) / 4.5, 10);
  });
  it('matches the published sacreBLEU figures of the Hugging Face metric card', () => {
    expect(corpusChrf(['The relationship between Obama and Netanyahu is not exactly friendly.'], ['The ties between Obama and Netanyahu are not particularly friendly.'])).toBeCloseTo(61.5764, 3);
    expect(
      corpusChrf(
        ['The relationship between cats and dogs is not exactly friendly.', 'a good bookshop is just a genteel black hole that knows how to read.'],
        ['The relationship between dogs and cats is not exactly friendly.', 'A good bookshop is just a genteel Black Hole that knows how to read.'],
      ),
    ).toBeCloseTo(84.6421, 3);
  });
});

describe('BLEU', () => {
  it('tokenises like mteval 13a', () => {
    expect(tokenize13a('Hello, world! It costs 3.50 (approx.)')).toEqual(['Hello', ',', 'world', '!', 'It', 'costs', '3.50', '(', 'approx', '.', ')']);
  });
  it('computes corpus BLEU by hand: the cat sat on the mat', () => {
    const r = corpusBleu(['the cat sat on the mat'], ['the cat sat on a mat']);
    expect(r.counts).toEqual([5, 3, 2, 1]);
    expect(r.totals).toEqual([6, 5, 4, 3]);
    expect(r.brevityPenalty).toBe(1);
    expect(r.score).toBeCloseTo(100 * Math.pow((5 / 6) * (3 / 5) * (2 / 4) * (1 / 3), 0.25), 10); // 53.728
  });
  it('applies the brevity penalty', () => {
    const r = corpusBleu(['the cat sat on'], ['the cat sat on the mat']);
    expect(r.brevityPenalty).toBeCloseTo(Math.exp(1 - 6 / 4), 12);
    expect(r.score).toBeCloseTo(100 * Math.exp(1 - 6 / 4), 10);
  });
  it('is 100 for identical text and smooths missing 4-grams', () => {
    expect(corpusBleu(['a b c d e'], ['a b c d e']).score).toBeCloseTo(100, 10);
    const r = corpusBleu(['a b c x'], ['a b c d']);
    // 4-gram: 0 matches of 1 → exp smoothing 100 / (2 · 1) = 50
    expect(r.precisions[3]).toBeCloseTo(50, 10);
  });
});
