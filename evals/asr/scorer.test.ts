import { describe, expect, it } from 'vitest';
import { cer, errorCounts, levenshtein, normalizeText, pooled, wer } from './scorer.js';

describe('normalizeText', () => {
  it('lower-cases, strips punctuation, keeps apostrophes inside words', () => {
    expect(normalizeText('And so, my fellow Americans: ask not!')).toBe('and so my fellow americans ask not');
    expect(normalizeText("L’accident a eu lieu — « vraiment » ?")).toBe("l'accident a eu lieu vraiment");
    expect(normalizeText("'quoted' don't")).toBe("quoted don't");
    expect(normalizeText('  ')).toBe('');
  });
});

describe('levenshtein', () => {
  it('counts substitutions, insertions and deletions', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein(['a', 'b', 'c'], ['a', 'c'])).toBe(1);
    expect(levenshtein([], ['x', 'y'])).toBe(2);
    expect(levenshtein('same', 'same')).toBe(0);
  });
});

describe('wer / cer', () => {
  it('scores known cases', () => {
    expect(wer('the cat sat', 'the cat sat')).toBe(0);
    expect(wer('the cat sat', 'The cat, sat.')).toBe(0);
    expect(wer('the cat sat on the mat', 'the cat sat on mat')).toBeCloseTo(1 / 6, 10);
    expect(wer('a b c d', 'x y')).toBe(1); // 2 substitutions + 2 deletions
    expect(wer('a b', 'a b c d e')).toBe(1.5); // insertions can push WER over 1
    expect(wer('hello world', '')).toBe(1);
    expect(cer('abc', 'abd')).toBeCloseTo(1 / 3, 10);
  });
  it('pools edits over a corpus rather than averaging rates', () => {
    const c = [errorCounts('a b c d', 'a b c d'), errorCounts('x y', 'x z')];
    expect(pooled(c).wer).toBeCloseTo(1 / 6, 10);
  });
});
