/**
 * CSV rules shared by every CSV the service writes or reads (pure: strings in, strings out).
 *
 * Writing — safe to open in a spreadsheet (OWASP "CSV injection"): a text cell that starts with `=`, `+`, `-`, `@`,
 * a tab or a carriage return would be run as a formula by Excel, LibreOffice or Google Sheets, so it is written
 * with one apostrophe in front (`=1+1` → `'=1+1`), which spreadsheets show as text. Cells that are plain numbers
 * (`-1`, `+3`, `-0.5`, `1e-3`) are data, not formulas, and are written unchanged, so votes stay numbers. A cell
 * that already starts with apostrophes followed by such a character gets one more (`'=x` → `''=x`), so the
 * marking can always be undone exactly: `unmarkFormula(markFormula(v)) === v` for every string.
 *
 * Reading — files saved by spreadsheets: a UTF-8 byte-order mark, `;` or tab separators, CRLF line ends and fully
 * empty trailing columns (`category,name,min,max,,,,,`) are accepted; `describeIgnored` says what was left out.
 */

const TRIGGER = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True for a text cell a spreadsheet would read as a formula (or one that looks like an already marked one). */
export function needsFormulaMark(v: string): boolean {
  return TRIGGER.test(v) && !PLAIN_NUMBER.test(v);
}

/** The cell as written to a CSV: an apostrophe in front of formula-like text, anything else unchanged. */
export function markFormula(v: string): string {
  return needsFormulaMark(v) ? `'${v}` : v;
}

/** Undoes `markFormula` (for importing a file this service exported). */
export function unmarkFormula(v: string): string {
  return v.startsWith("'") && needsFormulaMark(v.slice(1)) ? v.slice(1) : v;
}

/** One cell: neutralised, then quoted (RFC 4180) when it holds the separator, a quote or a line break. */
export function csvCell(v: string, delimiter = ','): string {
  const m = markFormula(v);
  return m.includes(delimiter) || /["\r\n]/.test(m) ? `"${m.replace(/"/g, '""')}"` : m;
}

/** A whole CSV file; every cell goes through `csvCell`. */
export function writeCsv(header: string[], rows: string[][], opts: { eol?: '\n' | '\r\n'; trailingNewline?: boolean; delimiter?: string } = {}): string {
  const eol = opts.eol ?? '\n';
  const d = opts.delimiter ?? ',';
  const line = (r: string[]) => r.map((c) => csvCell(c, d)).join(d);
  return [line(header), ...rows.map(line)].join(eol) + (opts.trailingNewline ?? true ? eol : '');
}

export type CsvDelimiter = ',' | ';' | '\t';

/** What a reader left out of a file, so the response can say so. */
export interface CsvIgnored {
  /** the file began with a UTF-8 byte-order mark */
  bom: boolean;
  /** 1-based numbers of fully empty trailing columns (no header, no value on any row) */
  emptyColumns: number[];
  /** the separator found (',' unless the file used ';' or tabs) */
  delimiter: CsvDelimiter;
}

/** Strips a UTF-8 byte-order mark. */
export function stripBom(text: string): { text: string; bom: boolean } {
  return text.charCodeAt(0) === 0xfeff ? { text: text.slice(1), bom: true } : { text, bom: false };
}

/**
 * The separator of a CSV from its first line (outside quotes): `;` or a tab when either is more frequent there than
 * commas (a spreadsheet saved in a locale whose decimal mark is a comma writes `;`), else `,`.
 */
export function sniffDelimiter(text: string): CsvDelimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
    else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}

/**
 * Drops trailing columns that are empty everywhere (header cell blank, and blank or absent on every row), as a
 * spreadsheet writes them after the last used column. Returns the rows cut to the remaining width (only blank
 * cells are removed) and the 1-based numbers of the dropped columns. A blank header with values below is kept (the
 * reader then reports it).
 */
export function dropEmptyTrailingColumns(rows: string[][]): { rows: string[][]; dropped: number[] } {
  if (rows.length === 0) return { rows, dropped: [] };
  const width = Math.max(...rows.map((r) => r.length));
  let keep = width;
  while (keep > 0 && rows.every((r) => (r[keep - 1] ?? '').trim() === '')) keep--;
  if (keep >= width) return { rows, dropped: [] };
  const dropped: number[] = [];
  for (let c = keep; c < width; c++) dropped.push(c + 1);
  return { rows: rows.map((r) => (r.length > keep ? r.slice(0, keep) : r)), dropped };
}

/** One English sentence about what was ignored or adapted (`what`: "the quotas CSV", "votes.csv"), or null when nothing. */
export function describeIgnored(what: string, ig: CsvIgnored): string | null {
  const parts: string[] = [];
  if (ig.emptyColumns.length) parts.push(`${ig.emptyColumns.length} empty column${ig.emptyColumns.length > 1 ? 's' : ''} at the end (${columnRange(ig.emptyColumns)})`);
  if (ig.bom) parts.push('a byte-order mark at the start');
  const sep = ig.delimiter === ';' ? 'semicolons' : ig.delimiter === '\t' ? 'tabs' : null;
  if (parts.length === 0 && sep === null) return null;
  const said = [parts.length ? `ignored ${parts.join(' and ')}` : null, sep ? `read with ${sep} as separators` : null].filter(Boolean).join('; ');
  return `${what}: ${said}.`;
}

function columnRange(cols: number[]): string {
  return cols.length === 1 ? `column ${cols[0]}` : `columns ${cols[0]}–${cols[cols.length - 1]}`;
}
