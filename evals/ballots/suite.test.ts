import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tallyCommand } from '../../src/cli/tally.js';
import { DataError } from '../harness.js';
import { suite } from './suite.js';

const fixtures = fileURLToPath(new URL('../../fixtures/ballots', import.meta.url));
const log = () => {};

describe('ballots eval suite', () => {
  it('tallies every file and checks the published answers (Schulze paper, CCC)', async () => {
    const r = await suite.run({ data: fixtures, args: {}, log });
    expect(r.metrics).toMatchObject({ files: 6, unreadableFiles: 0, schulzeExpectations: 22, schulzeExpectationsMet: 22, mjGrades: 76, mjGradesReproduced: 76 });
    const toc = r.items.filter((i) => i.file === 'made/small.toc');
    expect(toc.map((i) => [i.method, JSON.parse(String(i.ranking)), i.winner])).toEqual([
      ['schulze', [['Alpha', 'Beta'], ['Gamma']], null],
      ['borda', [['Beta'], ['Alpha'], ['Gamma']], 'Beta'],
    ]);
    expect(r.items.find((i) => i.file === 'made/grades.json')).toMatchObject({ method: 'mj', winner: 'Proposition C' });
  });
  it('fails clearly without ballot files and counts unreadable ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballots-'));
    await expect(suite.run({ data: dir, args: {}, log })).rejects.toThrow(DataError);
    writeFileSync(join(dir, 'bad.soi'), '# ALTERNATIVE NAME 1: a\nnonsense\n');
    writeFileSync(join(dir, 'ok.soi'), '# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n2: 2,1\n');
    const r = await suite.run({ data: dir, args: {}, log });
    expect(r.metrics).toMatchObject({ files: 1, unreadableFiles: 1 });
  });
});

describe('plenary tally', () => {
  const run = (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = tallyCommand(argv, { write: (s: string) => (out += s) }, { write: (s: string) => (err += s) });
    return { code, out, err };
  };
  it('prints the ranking, pairwise matrix and strongest paths', () => {
    const r = run(join(fixtures, 'made/tally-latin1.txt'), '--method', 'schulze');
    expect(r.code).toBe(0);
    expect(r.out).toContain('winner: Zoé Müller');
    expect(r.out).toContain('strongest paths (margin)');
  });
  it('prints JSON and turnout against quorum', () => {
    const r = run(join(fixtures, 'made/legacy.soi'), '--method', 'threshold', '--threshold', '60%', '--eligible', '10', '--quorum', '0.6', '--json');
    const j = JSON.parse(r.out) as { detail: { quorumMet: boolean; turnout: number } };
    expect(j.detail).toMatchObject({ quorumMet: false, turnout: 0.5 });
  });
  it('says which file and line are wrong, and refuses bad parameters', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-'));
    writeFileSync(join(dir, 'x.toc'), '# ALTERNATIVE NAME 1: a\n1: 1\noops\n');
    const bad = run(join(dir, 'x.toc'), '--method', 'borda');
    expect([bad.code, bad.err.trim()]).toEqual([1, `${join(dir, 'x.toc')}, line 3: not a PrefLib data line (expected "count: 1,2,{3,4}"): "oops"`]);
    expect(run(join(fixtures, 'made/legacy.soi'), '--method', 'threshold', '--quorum', '120%').err).toMatch(/quorum must be between 0 % and 100 %/);
    expect(run(join(fixtures, 'made/legacy.soi'), '--method', 'mj').err).toMatch(/needs grades/);
    expect(run('nowhere.soi', '--method', 'nonsense').code).toBe(2);
  });
});
