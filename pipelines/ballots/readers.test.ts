import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBallotFile, readDebianTally, readPrefLib } from './readers.js';
import { tallyFile } from './tally.js';
import { BallotError } from './types.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/ballots/made/${name}`, import.meta.url)));

describe('PrefLib', () => {
  it('reads the current layout with ties (.toc) and tallies Schulze (tied group) and Borda (averaged ties)', () => {
    const [f] = readBallotFile(fixture('small.toc'), 'small.toc');
    expect(f.kind === 'ranked' && f.profile.ballots[1]).toEqual({ ranking: [['Beta'], ['Alpha', 'Gamma']], count: 2 });
    expect(tallyFile(f, 'schulze').ranking).toEqual([['Alpha', 'Beta'], ['Gamma']]);
    const b = tallyFile(f, 'borda');
    expect((b.detail as { scores: number[] }).scores).toEqual([13, 14, 9]);
    expect(b.ranking).toEqual([['Beta'], ['Alpha'], ['Gamma']]);
    expect(b.winner).toBe('Beta');
  });
  it('reads the legacy layout (.soi) and gives 0 points to unranked options', () => {
    const [f] = readBallotFile(fixture('legacy.soi'), 'legacy.soi');
    expect((tallyFile(f, 'borda').detail as { scores: number[] }).scores).toEqual([5, 4, 2]);
  });
  it('names the file and line of a bad line', () => {
    const text = '# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n1: 1,2\nhello\n';
    expect(() => readPrefLib(text, 'x.soi')).toThrow('x.soi, line 4: not a PrefLib data line');
    expect(() => readPrefLib('# ALTERNATIVE NAME 1: a\n1: 1,{2,3}\n', 'x.soi')).toThrow(/line 2: a tie/);
    expect(() => readPrefLib('# ALTERNATIVE NAME 1: a\n1: 1,7\n', 'x.toc')).toThrow(/line 2: option 7 is not declared/);
    expect(() => readPrefLib('# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n1: 1,1\n', 'x.toc')).toThrow(/line 3: option 1 appears twice/);
    expect(() => readBallotFile(new TextEncoder().encode('hello'), 'notes.md')).toThrow(BallotError);
  });
});

describe('Debian tally sheets', () => {
  it('detects Latin-1 and reads ranks, "-" as unranked and equal ranks as ties', () => {
    const [f] = readBallotFile(fixture('tally-latin1.txt'), 'tally-latin1.txt');
    expect(f.kind === 'ranked' && f.encoding).toBe('latin1');
    if (f.kind !== 'ranked') throw new Error('ranked expected');
    expect(f.profile.options).toEqual(['Zoé Müller', 'Bernard', 'Aucun de ces choix']);
    expect(f.profile.ballots.map((b) => b.ranking)).toEqual([
      [['Zoé Müller'], ['Bernard']],
      [['Bernard'], ['Zoé Müller'], ['Aucun de ces choix']],
      [['Zoé Müller'], ['Aucun de ces choix']],
      [['Aucun de ces choix']],
      [['Zoé Müller', 'Bernard']],
    ]);
    const s = tallyFile(f, 'schulze');
    expect((s.detail as { pairwise: number[][] }).pairwise).toEqual([[0, 2, 4], [1, 0, 3], [1, 2, 0]]);
    expect(s.ranking).toEqual([['Zoé Müller'], ['Bernard'], ['Aucun de ces choix']]);
  });
  it('reads the same sheet in UTF-8', () => {
    const latin = new TextDecoder('latin1').decode(fixture('tally-latin1.txt'));
    const [f] = readBallotFile(new TextEncoder().encode(latin), 'tally.txt');
    expect(f.kind === 'ranked' && f.encoding).toBe('utf-8');
    expect(f.kind === 'ranked' && f.profile.options[0]).toBe('Zoé Müller');
  });
  it('names the line of a malformed vote', () => {
    expect(() => readDebianTally('Option 1--->: a\n/Option 2->: b\nV: 1x  h\n', 't.txt')).toThrow('t.txt, line 3: "X" is not a rank (1 to 2');
    expect(() => readDebianTally('Option 1--->: a\n/Option 2->: b\nV: 1  h\n', 't.txt')).toThrow(/line 3: the vote "1" has 1 marks for 2 options/);
  });
});

describe('per-grade JSON', () => {
  it('reads tallies and ranks them by majority judgment', () => {
    const [f] = readBallotFile(fixture('grades.json'), 'grades.json');
    const r = tallyFile(f, 'mj');
    expect(r.winner).toBe('Proposition C');
    expect(() => tallyFile(f, 'schulze')).toThrow(/per-grade tallies/);
  });
  it('rejects a tally with the wrong number of counts, naming the line', () => {
    const text = '{"grades": ["a", "b"],\n "options": {\n  "x": [1, 2, 3]}}';
    expect(() => readBallotFile(new TextEncoder().encode(text), 'g.json')).toThrow('g.json, line 3: option "x"');
  });
});
