import Papa from 'papaparse';

/**
 * Frictionless Table Schema, the subset this package writes and checks: typed fields with descriptions (the data
 * dictionary), `required` and `enum` constraints, a primary key. CSV is RFC 4180 with '\n' line ends, UTF-8, an empty
 * cell for a missing value; booleans are `true`/`false`; datetimes ISO 8601 in UTC.
 */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'datetime' | 'date';
export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

export interface FieldDef {
  name: string;
  type: FieldType;
  description: string;
  required?: boolean;
  enum?: readonly string[];
}

export interface TableDef {
  /** resource name (lower case, digits, - _ . /) */
  name: string;
  path: string;
  title: string;
  description: string;
  fields: readonly FieldDef[];
  primaryKey: readonly string[];
}

export interface TableProblem {
  file: string;
  /** record number, the header being row 1 */
  row: number;
  field: string | null;
  message: string;
}

export const CSV_DIALECT = { header: true, delimiter: ',', lineTerminator: '\n', quoteChar: '"', doubleQuote: true } as const;

function format(v: Cell, type: FieldType): string {
  if (v === null || v === undefined) return '';
  if (type === 'boolean') return v ? 'true' : 'false';
  if (type === 'integer' || type === 'number') {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`not a finite number: ${String(v)}`);
    return String(v);
  }
  return String(v);
}

const quote = (s: string) => (/[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s);

/** Writes rows in field order: the same rows always give the same bytes. */
export function writeCsv(def: TableDef, rows: readonly Row[]): string {
  const lines = [def.fields.map((f) => quote(f.name)).join(',')];
  for (const r of rows) lines.push(def.fields.map((f) => quote(format(r[f.name] ?? null, f.type))).join(','));
  return lines.join('\n') + '\n';
}

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Parses one cell by its field type; a string message when it does not fit. */
export function parseCell(raw: string, f: FieldDef): Cell | { error: string } {
  if (raw === '') return f.required ? { error: 'is required but empty' } : null;
  if (f.enum && !f.enum.includes(raw)) return { error: `'${raw}' is not one of ${f.enum.join(', ')}` };
  switch (f.type) {
    case 'string':
      return raw;
    case 'integer':
      return INTEGER.test(raw) && Number.isSafeInteger(Number(raw)) ? Number(raw) : { error: `'${raw}' is not an integer` };
    case 'number':
      return NUMBER.test(raw) ? Number(raw) : { error: `'${raw}' is not a number` };
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : { error: `'${raw}' is not true or false` };
    case 'datetime':
      return DATETIME.test(raw) && !Number.isNaN(Date.parse(raw)) ? raw : { error: `'${raw}' is not an ISO 8601 date and time` };
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(raw) && new Date(`${raw}T00:00:00Z`).toISOString().slice(0, 10) === raw ? raw : { error: `'${raw}' is not a date (YYYY-MM-DD)` };
  }
}

/**
 * Reads a CSV against its Table Schema: header names and order, every cell's type and constraints, primary-key
 * uniqueness. Returns the typed rows and every problem (file, row, field), at most `maxProblems`.
 */
export function readCsv(def: TableDef, file: string, text: string, maxProblems = 50): { rows: Row[]; problems: TableProblem[] } {
  const problems: TableProblem[] = [];
  const add = (p: TableProblem) => {
    if (problems.length < maxProblems) problems.push(p);
  };
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false, delimiter: ',', newline: '\n' });
  const records = parsed.data;
  if (records.length && records[records.length - 1].length === 1 && records[records.length - 1][0] === '') records.pop();
  for (const e of parsed.errors) add({ file, row: (e.row ?? 0) + 1, field: null, message: `CSV syntax: ${e.message}` });
  const header = records[0] ?? [];
  const expected = def.fields.map((f) => f.name);
  if (header.join(',') !== expected.join(',')) {
    add({ file, row: 1, field: null, message: `the header must be '${expected.join(',')}', found '${header.join(',')}'` });
    return { rows: [], problems };
  }
  const rows: Row[] = [];
  const keys = new Map<string, number>();
  for (let i = 1; i < records.length; i++) {
    const rec = records[i];
    const rowNo = i + 1;
    if (rec.length !== def.fields.length) {
      add({ file, row: rowNo, field: null, message: `has ${rec.length} cells, the header has ${def.fields.length}` });
      continue;
    }
    const row: Row = {};
    def.fields.forEach((f, k) => {
      const v = parseCell(rec[k], f);
      if (v !== null && typeof v === 'object') add({ file, row: rowNo, field: f.name, message: v.error });
      else row[f.name] = v;
    });
    if (def.primaryKey.length) {
      const key = JSON.stringify(def.primaryKey.map((k) => rec[def.fields.findIndex((f) => f.name === k)]));
      const first = keys.get(key);
      if (first !== undefined) add({ file, row: rowNo, field: def.primaryKey.join(','), message: `repeats the primary key of row ${first}` });
      else keys.set(key, rowNo);
    }
    rows.push(row);
  }
  return { rows, problems };
}

/** The Table Schema descriptor of a table (Frictionless 2.0). */
export function tableSchema(def: TableDef) {
  return {
    $schema: 'https://datapackage.org/profiles/2.0/tableschema.json',
    fields: def.fields.map((f) => ({
      name: f.name,
      type: f.type,
      description: f.description,
      ...(f.required || f.enum ? { constraints: { ...(f.required ? { required: true } : {}), ...(f.enum ? { enum: [...f.enum] } : {}) } } : {}),
    })),
    ...(def.primaryKey.length ? { primaryKey: [...def.primaryKey] } : {}),
    missingValues: [''],
  };
}

/** The data resource descriptor of a CSV table. */
export function tableResource(def: TableDef) {
  return {
    name: def.name,
    type: 'table',
    path: def.path,
    scheme: 'file',
    format: 'csv',
    mediatype: 'text/csv',
    encoding: 'utf-8',
    title: def.title,
    description: def.description,
    dialect: { $schema: 'https://datapackage.org/profiles/2.0/tabledialect.json', ...CSV_DIALECT },
    schema: tableSchema(def),
  };
}

/** A TableDef read back from a resource descriptor (to check a package against what it says of itself). */
export function defFromResource(r: { name: string; path: string; title?: string; description?: string; schema: { fields: Array<{ name: string; type: string; description?: string; constraints?: { required?: boolean; enum?: string[] } }>; primaryKey?: string[] } }): TableDef {
  return {
    name: r.name,
    path: r.path,
    title: r.title ?? r.name,
    description: r.description ?? '',
    primaryKey: r.schema.primaryKey ?? [],
    fields: r.schema.fields.map((f) => ({ name: f.name, type: f.type as FieldType, description: f.description ?? '', required: f.constraints?.required, enum: f.constraints?.enum })),
  };
}
