import { describe, expect, it } from 'vitest';
import { detectBrokenEncoding, normalise, normaliseText } from './normalise.js';
import { TextMapError } from './types.js';

describe('normaliseText', () => {
  it('applies NFC, strips control and zero-width characters, collapses whitespace', () => {
    const decomposed = 'Cafe\u0301\u0007  au\u200B\tlait\n\n';
    expect(normaliseText(decomposed)).toBe('Caf\u00e9 au lait');
    expect(normaliseText(decomposed).normalize('NFC')).toBe(normaliseText(decomposed));
  });
  it('detects replacement characters and mojibake', () => {
    expect(detectBrokenEncoding('caf\uFFFD')).toBe(true);
    expect(detectBrokenEncoding('Ã©tÃ© trÃ¨s chaud')).toBe(true);
    expect(detectBrokenEncoding('été très chaud')).toBe(false);
  });
});

describe('normalise', () => {
  it('rejects empty, enormous, id-less and duplicate-id contributions with one typed error listing all ids', () => {
    const input = [
      { id: 'ok', text: 'fine text' },
      { id: 'e', text: '  \u0000 ' },
      { id: 'big', text: 'x'.repeat(6000) },
      { text: 'no id' },
      { id: 'ok', text: 'again' },
      { id: 'nt' },
    ];
    let err: unknown;
    try {
      normalise(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TextMapError);
    expect((err as TextMapError).ids).toEqual(['e', 'big', '#3', 'ok', 'nt']);
    expect((err as TextMapError).message).toMatch(/5 invalid/);
  });
  it("onInvalid 'skip' keeps the valid ones and reports the rest", () => {
    const r = normalise([{ id: 'a', text: 'hello' }, { id: 'b', text: '' }], { onInvalid: 'skip' });
    expect(r.contributions.map((c) => c.id)).toEqual(['a']);
    expect(r.rejected).toEqual([{ id: 'b', code: 'EMPTY_TEXT', message: expect.stringContaining('b') }]);
  });
  it('errors on empty input, non-arrays and too many contributions', () => {
    expect(() => normalise([])).toThrow(expect.objectContaining({ code: 'EMPTY_INPUT' }));
    expect(() => normalise('x')).toThrow(expect.objectContaining({ code: 'MISSING_FIELD' }));
    expect(() => normalise([{ id: 'a', text: 'a' }, { id: 'b', text: 'b' }], { limits: { maxContributions: 1 } })).toThrow(
      expect.objectContaining({ code: 'TOO_MANY' }),
    );
  });
  it('groups near-duplicates (case/punctuation and MinHash) without dropping them', () => {
    const long = 'The council should build protected cycle lanes on every main road in the city centre before next summer';
    const r = normalise([
      { id: '1', text: 'More buses at night!' },
      { id: '2', text: 'more buses at night' },
      { id: '3', text: long },
      { id: '4', text: long.replace('next summer', 'next summer please') },
      { id: '5', text: 'Something else entirely about parks and trees and benches in the park' },
    ]);
    expect(r.contributions.map((c) => c.groupId)).toEqual(['1', '1', '3', '3', '5']);
    expect(r.groups).toEqual({ '1': ['1', '2'], '3': ['3', '4'] });
  });
  it('flags broken encodings and keeps the contribution', () => {
    const r = normalise([{ id: 'x', text: 'Le caf\uFFFD est fermé' }]);
    expect(r.contributions[0].flags).toEqual(['broken-encoding']);
  });
});
