import { describe, expect, it } from 'vitest';
import { extractIdeas, sentenceSpans, type TranscriptSegmentInput } from './extract.js';

const words = (text: string, start: number, step: number) =>
  text.split(/\s+/).map((w, i) => ({ word: w, start: start + i * step, end: start + i * step + step * 0.9 }));

const transcript: TranscriptSegmentInput[] = [
  { index: 0, speakerId: 'alice', start: 0, end: 6, text: 'Good evening everyone. I propose that we open the library on Sundays.', language: 'en' },
  { index: 1, speakerId: 'bob', start: 6, end: 9, text: 'yes thanks', language: 'en' },
  { index: 2, speakerId: null, start: 9, end: 14, text: 'i think the buses are too expensive for students', words: words('i think the buses are too expensive for students', 9, 0.5), language: 'en' },
  { index: 3, speakerId: 'chloe', start: 14, end: 22, text: "Il faudrait créer des pistes cyclables le long du canal. C'est une belle soirée.", language: 'fr' },
  { index: 4, speakerId: 'david', start: 22, end: 27, text: 'On devrait aussi consulter les habitants du quartier.', language: 'fr' },
  { index: 5, speakerId: 'emma', start: 27, end: 31, text: 'The council should publish the budget every year.', language: 'en' },
  { index: 6, speakerId: 'farid', start: 31, end: 36, text: 'Je propose un vote en ligne pour chaque mesure.', language: 'fr' },
  { index: 7, speakerId: 'gina', start: 36, end: 40, text: 'Studies show that 40 percent of trips are under two kilometres.', language: 'en' },
  { index: 8, speakerId: 'hugo', start: 40, end: 42, text: 'Should we?', language: 'en' },
];

describe('extractIdeas', () => {
  const found = extractIdeas(transcript);
  const bySeg = (i: number) => found.filter((c) => c.segmentIndex === i);

  it('finds the known proposals and claims, and nothing in small talk', () => {
    expect(found.map((c) => [c.segmentIndex, c.kind])).toEqual([
      [0, 'proposal'],
      [2, 'claim'],
      [3, 'proposal'],
      [4, 'proposal'],
      [5, 'proposal'],
      [6, 'proposal'],
      [7, 'claim'],
    ]);
    expect(bySeg(1)).toEqual([]);
    expect(bySeg(8)).toEqual([]); // a bare question fragment scores under the threshold
  });

  it('quotes the cue sentence verbatim with offsets into the segment text', () => {
    for (const c of found) {
      const seg = transcript.find((s) => s.index === c.segmentIndex)!;
      expect(seg.text.slice(c.charStart, c.charEnd)).toBe(c.quote);
    }
    expect(bySeg(0)[0].quote).toBe('I propose that we open the library on Sundays.');
    expect(bySeg(3)[0].quote).toBe('Il faudrait créer des pistes cyclables le long du canal.');
    expect(bySeg(0)[0].speakerId).toBe('alice');
    expect(bySeg(2)[0].speakerId).toBeNull();
  });

  it('times quotes from word timestamps when present, else by character position', () => {
    const c2 = bySeg(2)[0];
    expect(c2.timeSource).toBe('words');
    expect(c2.start).toBe(9);
    expect(c2.end).toBeCloseTo(9 + 8 * 0.5 + 0.45, 6);
    const c0 = bySeg(0)[0];
    expect(c0.timeSource).toBe('interpolated');
    expect(c0.start).toBeGreaterThan(0);
    expect(c0.end).toBeCloseTo(6, 3);
    const c3 = bySeg(3)[0];
    expect(c3.end).toBeLessThan(22); // the first of two sentences
  });

  it('ranks explicit proposals above hedged claims and records the cues', () => {
    expect(bySeg(0)[0].score).toBeGreaterThan(bySeg(2)[0].score);
    expect(bySeg(6)[0].cues).toContain('je propose');
    expect(bySeg(5)[0].cues.some((c) => c.startsWith('modal: the council should publish'))).toBe(true);
    expect(bySeg(4)[0].language).toBe('fr');
    expect(bySeg(7)[0].score).toBeGreaterThan(0.8); // evidence cue + a number
  });

  it('respects minScore', () => {
    // 0 and 6: explicit 'I propose' / 'je propose' (1.0); 3, 4: 'il faudrait' / 'on devrait' 0.85 + 0.05 for an agreeing modal; 7: 0.8 + 0.1 number
    expect(extractIdeas(transcript, { minScore: 0.9 }).map((c) => c.segmentIndex)).toEqual([0, 3, 4, 6, 7]);
    expect(extractIdeas(transcript, { minScore: 0.95 }).map((c) => c.segmentIndex)).toEqual([0, 6]);
  });
});

describe('sentenceSpans', () => {
  it('splits on terminal punctuation and keeps unpunctuated text whole', () => {
    const t = 'One. Two!  Three?';
    expect(sentenceSpans(t).map((s) => t.slice(s.start, s.end))).toEqual(['One.', 'Two!', 'Three?']);
    expect(sentenceSpans('no punctuation here')).toEqual([{ start: 0, end: 19 }]);
  });
});
