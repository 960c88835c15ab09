import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { availableSuites } from './registry.js';
import { parseFlags, runEval, table } from './run.js';

function sink() {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true) }, get text() { return text; } };
}

describe('eval harness', () => {
  it('parses flags and positionals', () => {
    expect(parseFlags(['votes', '--data', 'd', '--out=o.json', '--quick'])).toEqual({ positional: ['votes'], flags: { data: 'd', out: 'o.json', quick: true } });
  });

  it('lists the installed suites', async () => {
    const out = sink();
    expect(await runEval(['--list'], out.stream, sink().stream)).toBe(0);
    for (const s of availableSuites()) expect(out.text).toContain(s);
  });

  it('an unknown suite names the valid ones and exits non-zero', async () => {
    const err = sink();
    expect(await runEval(['nonsense', '--data', '.'], sink().stream, err.stream)).toBe(2);
    expect(err.text).toContain("Unknown suite 'nonsense'");
    expect(err.text).toContain('Suites:');
  });

  it('missing data is a clear error, not a crash', async () => {
    const suite = availableSuites()[0];
    const err = sink();
    expect(await runEval([suite, '--data', '/nonexistent/dir'], sink().stream, err.stream)).toBe(3);
    expect(err.text).toContain('Data not found');
  });

  it('unreadable data makes every suite exit non-zero with a message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-empty-'));
    writeFileSync(join(dir, 'garbage.txt'), 'not a dataset');
    for (const suite of availableSuites()) {
      const err = sink();
      const code = await runEval([suite, '--data', dir, '--panel-size', '5'], sink().stream, err.stream);
      expect(code, `${suite}: ${err.text}`).toBe(3);
      expect(err.text).toMatch(/Cannot read the data/);
    }
  }, 120_000);

  it('prints aligned tables', () => {
    expect(table([{ a: 1, b: 'x' }, { a: 0.5, b: 'yy' }])).toBe('a       b \n------  --\n1       x \n0.5000  yy');
  });
});
