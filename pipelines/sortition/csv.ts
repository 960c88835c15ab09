/**
 * Reading pools and quotas from CSV text (pure: text in, typed data out).
 *
 * Quotas: a category column named `category` or `feature`, a value column named `feature`, `value` or `name`,
 * and `min`/`max`; other columns (e.g. the Sortition Foundation's `min_flex`/`max_flex`) are ignored. The name
 * `feature` is ambiguous: Flanigan et al.'s `categories.csv` has `category,feature` (feature = value), the
 * Sortition Foundation's `features.csv` has `feature,value` (feature = category). Rule: when a `category` column
 * exists, `feature` is the value column; otherwise `feature` is the category column.
 *
 * People: one row per person; an id column if present (else ids `row-<line>`), feature columns, address columns
 * (one person per household: people whose normalised address columns agree share a household), personal-data
 * columns. Personal data is returned apart from the pool the algorithms see.
 *
 * Line numbers are 1-based lines of the text (header = line 1), counting physical lines, so they are right
 * unless a quoted field spans several lines before the row in question.
 */
import Papa from 'papaparse';
import { describeIgnored, dropEmptyTrailingColumns, stripBom, type CsvDelimiter, type CsvIgnored } from '../csv.js';
import { sha256Hex } from './random.js';
import { SortitionError, type Person, type Pool, type Quota, type Quotas, type SortitionIssue } from './types.js';

export interface ColumnMapping {
  /** id column, or null to generate ids `row-<line>` */
  id: string | null;
  /** feature columns: each must be a quota category */
  features: string[];
  /** address columns: together they define a household (one per household on a panel); empty = no rule */
  address: string[];
  /** columns kept as personal data (names, contacts, addresses, anything else not used) */
  personal: string[];
}

export interface ParsedPeople {
  pool: Pool;
  /** id → column → value, for the personal columns; never passed to the algorithms */
  personal: Record<string, Record<string, string>>;
  mapping: ColumnMapping;
  warnings: SortitionIssue[];
}

interface Table {
  headers: string[];
  rows: Array<{ line: number; cells: string[] }>;
}

/** What reading a spreadsheet-saved file left out or adapted (see pipelines/csv.ts), with a sentence saying so. */
export interface CsvNote extends CsvIgnored {
  file: 'people' | 'quotas' | 'addresses';
  message: string;
}

/**
 * The cells of a CSV as a spreadsheet saved it: byte-order mark skipped, separator found (`,`, `;`, tab), CRLF or
 * LF, fully empty trailing columns dropped. `note` says what was ignored (null when nothing was).
 */
export function readCsvCells(text: string, file: CsvNote['file']): { data: string[][]; note: CsvNote | null; errors: Papa.ParseError[] } {
  const { text: source, bom } = stripBom(text);
  const parsed = Papa.parse<string[]>(source, { header: false, skipEmptyLines: false, delimiter: '' });
  const d = parsed.meta.delimiter;
  const delimiter: CsvDelimiter = d === ';' || d === '\t' ? d : ',';
  const { rows, dropped } = dropEmptyTrailingColumns(parsed.data);
  const ignored: CsvIgnored = { bom, emptyColumns: dropped, delimiter };
  const message = describeIgnored(`The ${file} CSV`, ignored);
  return { data: rows, note: message === null ? null : { file, ...ignored, message }, errors: parsed.errors };
}

function readTable(text: string, what: 'people' | 'quotas', notes?: CsvNote[]): Table {
  const { data, note, errors } = readCsvCells(text, what);
  const fatal = errors.filter((e) => e.type === 'Quotes');
  if (fatal.length > 0) {
    throw new SortitionError('CSV_PARSE', `cannot read the ${what} CSV`, fatal.map((e) => ({ line: e.row !== undefined ? e.row + 1 : undefined, message: e.message })));
  }
  if (note && notes) notes.push(note);
  let headerAt = 0;
  while (headerAt < data.length && data[headerAt].every((c) => c.trim() === '')) headerAt++;
  if (headerAt >= data.length) throw new SortitionError('CSV_PARSE', `the ${what} CSV is empty`);
  const headers = data[headerAt].map((h) => h.trim());
  const issues: SortitionIssue[] = [];
  const seen = new Set<string>();
  headers.forEach((h, i) => {
    if (h === '') issues.push({ line: headerAt + 1, column: `#${i + 1}`, message: 'empty column name' });
    else if (seen.has(h)) issues.push({ line: headerAt + 1, column: h, message: 'duplicate column name' });
    seen.add(h);
  });
  if (issues.length > 0) throw new SortitionError('CSV_PARSE', `bad header in the ${what} CSV`, issues);
  const rows: Table['rows'] = [];
  for (let i = headerAt + 1; i < data.length; i++) {
    const cells = data[i];
    if (cells.every((c) => c.trim() === '')) continue;
    if (cells.length !== headers.length) {
      issues.push({ line: i + 1, message: `${cells.length} fields, expected ${headers.length}` });
      continue;
    }
    rows.push({ line: i + 1, cells: cells.map((c) => c.trim()) });
  }
  if (issues.length > 0) throw new SortitionError('CSV_PARSE', `malformed rows in the ${what} CSV`, issues);
  return { headers, rows };
}

function findColumn(headers: string[], names: string[]): string | null {
  for (const n of names) {
    const hit = headers.find((h) => h.toLowerCase() === n);
    if (hit !== undefined) return hit;
  }
  return null;
}

/** Which columns of a quotas file hold the category, value, min and max (null when it is not a quotas file). */
export function quotaColumns(headers: string[]): { category: string; value: string; min: string; max: string } | null {
  const min = findColumn(headers, ['min']);
  const max = findColumn(headers, ['max']);
  const category = findColumn(headers, ['category']) ?? findColumn(headers, ['feature']);
  if (min === null || max === null || category === null) return null;
  const valueNames = category.toLowerCase() === 'category' ? ['feature', 'value', 'name'] : ['value', 'name'];
  const value = findColumn(headers, valueNames);
  if (value === null) return null;
  return { category, value, min, max };
}

/** 'quotas' when the header has category/value/min/max columns as above, else 'people'. */
export function detectCsvKind(text: string): 'quotas' | 'people' {
  const first = readCsvCells(text, 'people').data[0] ?? [];
  return quotaColumns(first.map((h) => h.trim())) !== null ? 'quotas' : 'people';
}

function parseBound(text: string): number | null {
  if (!/^\s*\d+(\.0+)?\s*$/.test(text)) return null;
  return Number(text);
}

/** Quotas from CSV; `notes` (when given) receives what was ignored in a spreadsheet-saved file. */
export function parseQuotasCsv(text: string, notes?: CsvNote[]): Quotas {
  const table = readTable(text, 'quotas', notes);
  const cols = quotaColumns(table.headers);
  if (cols === null) {
    throw new SortitionError(
      'MISSING_COLUMN',
      `the quotas CSV needs a category column (category or feature), a value column (feature, value or name), min and max; it has ${table.headers.join(', ')}`,
    );
  }
  const at = (name: string) => table.headers.indexOf(name);
  const [ci, vi, mi, xi] = [at(cols.category), at(cols.value), at(cols.min), at(cols.max)];
  const rows: Quota[] = [];
  const issues: SortitionIssue[] = [];
  const keys = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    const category = cells[ci];
    const value = cells[vi];
    if (category === '' || value === '') {
      issues.push({ line, message: `empty ${category === '' ? cols.category : cols.value}` });
      continue;
    }
    const min = parseBound(cells[mi]);
    const max = parseBound(cells[xi]);
    if (min === null || max === null) {
      issues.push({ line, category, value, message: `min and max must be whole numbers ≥ 0 (got "${cells[mi]}", "${cells[xi]}")` });
      continue;
    }
    if (min > max) {
      issues.push({ line, category, value, message: `min ${min} is greater than max ${max}` });
      continue;
    }
    const key = `${category}\u0000${value}`;
    const prev = keys.get(key);
    if (prev !== undefined) {
      issues.push({ line, category, value, message: `duplicate quota row (first on line ${prev})` });
      continue;
    }
    keys.set(key, line);
    rows.push({ category, value, min, max, line });
  }
  if (issues.length > 0) {
    const duplicate = issues.every((i) => i.message.startsWith('duplicate'));
    throw new SortitionError(duplicate ? 'DUPLICATE_QUOTA' : 'BAD_QUOTA', 'bad rows in the quotas CSV', issues);
  }
  if (rows.length === 0) throw new SortitionError('BAD_QUOTA', 'the quotas CSV has no rows');
  return { rows };
}

const ID_PATTERN = /^(id|person[ _-]?id|respondent[ _-]?id|participant[ _-]?id|candidate[ _-]?id|nationbuilder[ _-]?id|.*[ _-]id)$/i;
const ADDRESS_PATTERN = /(address|street|addr[0-9]*$|zip|post[ _-]?code|postal|city|town|house[ _-]?(number|name|no))/i;
const PERSONAL_PATTERN = /(name|e-?mail|phone|mobile|tel(ephone)?$|birth|dob|contact|note|comment)/i;

/**
 * Default column mapping from a people header: the id column (id, *_id), features = columns named like a quota
 * category (exact, else case-insensitive), address columns (address, zip, postcode, city …), everything else
 * personal data (kept apart, never seen by the algorithms).
 */
export function detectColumnMapping(headers: string[], quotas?: Quotas): ColumnMapping {
  const categories = quotas ? [...new Set(quotas.rows.map((q) => q.category))] : null;
  const features: string[] = [];
  const used = new Set<string>();
  if (categories !== null) {
    for (const c of categories) {
      const hit = headers.find((h) => h === c) ?? headers.find((h) => h.toLowerCase() === c.toLowerCase());
      if (hit !== undefined && !used.has(hit)) {
        features.push(hit);
        used.add(hit);
      }
    }
  }
  const id = headers.find((h) => !used.has(h) && ID_PATTERN.test(h)) ?? null;
  if (id !== null) used.add(id);
  const address = headers.filter((h) => !used.has(h) && ADDRESS_PATTERN.test(h));
  address.forEach((h) => used.add(h));
  if (categories === null) {
    for (const h of headers) if (!used.has(h) && !PERSONAL_PATTERN.test(h)) {
      features.push(h);
      used.add(h);
    }
  }
  const personal = headers.filter((h) => !used.has(h) || address.includes(h));
  return { id, features, address, personal: [...new Set(personal)] };
}

/** Household key: sha256 (truncated) of the normalised address columns; undefined when all are empty. */
export function householdKey(parts: string[]): string | undefined {
  const norm = parts.map((p) => p.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim());
  if (norm.every((p) => p === '')) return undefined;
  return sha256Hex(`household:${norm.join('|')}`).slice(0, 24);
}

/**
 * Parse a people CSV. With quotas, feature columns are matched to quota categories (the pool's categories take the
 * quotas' spelling) and values are matched exactly, else case- and space-insensitively (taking the quotas' spelling).
 * Cross-checks against quotas happen in validateSelectionInput.
 */
export function parsePeopleCsv(text: string, options: { mapping?: Partial<ColumnMapping>; quotas?: Quotas; notes?: CsvNote[] } = {}): ParsedPeople {
  const table = readTable(text, 'people', options.notes);
  const auto = detectColumnMapping(table.headers, options.quotas);
  const mapping: ColumnMapping = {
    id: options.mapping?.id !== undefined ? options.mapping.id : auto.id,
    features: options.mapping?.features ?? auto.features,
    address: options.mapping?.address ?? auto.address,
    personal: options.mapping?.personal ?? auto.personal,
  };
  const missing = [mapping.id, ...mapping.features, ...mapping.address, ...mapping.personal].filter((c): c is string => c !== null && !table.headers.includes(c));
  if (missing.length > 0) {
    throw new SortitionError('MISSING_COLUMN', 'mapped columns missing from the people CSV', missing.map((c) => ({ column: c, message: `no column "${c}" (columns: ${table.headers.join(', ')})` })));
  }
  if (mapping.features.length === 0) throw new SortitionError('MISSING_COLUMN', 'no feature columns in the people CSV', []);

  // category names: the quotas' spelling when the column matched case-insensitively
  const quotaCats = options.quotas ? [...new Set(options.quotas.rows.map((q) => q.category))] : [];
  const categoryOf = (col: string) => quotaCats.find((c) => c === col) ?? quotaCats.find((c) => c.toLowerCase() === col.toLowerCase()) ?? col;
  const valueLookup = new Map<string, Map<string, string>>();
  if (options.quotas) {
    for (const q of options.quotas.rows) {
      const m = valueLookup.get(q.category) ?? new Map<string, string>();
      m.set(q.value, q.value);
      const loose = looseValue(q.value);
      if (!m.has(`~${loose}`)) m.set(`~${loose}`, q.value);
      valueLookup.set(q.category, m);
    }
  }
  const col = (name: string) => table.headers.indexOf(name);
  const idIndex = mapping.id === null ? -1 : col(mapping.id);
  const featureIdx = mapping.features.map((f) => [categoryOf(f), col(f)] as const);
  const addressIdx = mapping.address.map(col);
  const personalIdx = mapping.personal.map((p) => [p, col(p)] as const);

  const people: Person[] = [];
  const personal: Record<string, Record<string, string>> = {};
  const issues: SortitionIssue[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    const id = idIndex >= 0 ? cells[idIndex] : `row-${line}`;
    if (id === '') {
      issues.push({ line, column: mapping.id ?? undefined, message: 'empty id' });
      continue;
    }
    const prev = firstLine.get(id);
    if (prev !== undefined) {
      issues.push({ line, personId: id, message: `duplicate id (first on line ${prev})` });
      continue;
    }
    firstLine.set(id, line);
    const features: Record<string, string> = {};
    for (const [category, i] of featureIdx) {
      const raw = cells[i];
      const lookup = valueLookup.get(category);
      features[category] = lookup ? (lookup.get(raw) ?? lookup.get(`~${looseValue(raw)}`) ?? raw) : raw;
    }
    const household = addressIdx.length > 0 ? householdKey(addressIdx.map((i) => cells[i])) : undefined;
    const person: Person = { id, features, line };
    if (household !== undefined) person.household = household;
    people.push(person);
    const record: Record<string, string> = {};
    for (const [name, i] of personalIdx) record[name] = cells[i];
    personal[id] = record;
  }
  const dupes = issues.filter((i) => i.message.startsWith('duplicate'));
  if (dupes.length > 0) throw new SortitionError('DUPLICATE_ID', 'duplicate person ids', dupes);
  if (issues.length > 0) throw new SortitionError('CSV_PARSE', 'bad rows in the people CSV', issues);
  if (people.length === 0) throw new SortitionError('EMPTY_POOL', 'the people CSV has no rows');
  return { pool: { people, categories: featureIdx.map(([c]) => c) }, personal, mapping, warnings: [] };
}

function looseValue(v: string): string {
  return v.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}
