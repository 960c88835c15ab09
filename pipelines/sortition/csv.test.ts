import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectColumnMapping, detectCsvKind, parsePeopleCsv, parseQuotasCsv, type CsvNote } from './csv.js';
import { SortitionError } from './types.js';

const fixture = (p: string) => readFileSync(new URL(`../../fixtures/sortition/${p}`, import.meta.url), 'utf8');

function codeOf(fn: () => unknown): SortitionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SortitionError) return e;
    throw e;
  }
  throw new Error('expected a SortitionError');
}

describe('quotas CSV', () => {
  it('reads the Sortition Foundation layout (feature = category, value) and ignores extra columns', () => {
    const q = parseQuotasCsv(fixture('small30/quotas.csv'));
    expect(q.rows).toHaveLength(8);
    expect(q.rows[0]).toEqual({ category: 'gender', value: 'Female', min: 4, max: 4, line: 2 });
    expect(q.rows[7]).toMatchObject({ category: 'region', value: 'Coast', min: 1, max: 2, line: 9 });
  });

  it('reads the Flanigan et al. layout (category, feature = value)', () => {
    const q = parseQuotasCsv(fixture('flanigan-format/categories.csv'));
    expect(q.rows.map((r) => `${r.category}=${r.value}:${r.min}-${r.max}`)).toEqual(['gender=female:1-1', 'gender=male:1-1', 'leaning=left:0-2', 'leaning=right:0-2']);
  });

  it('accepts a `name` value column and a byte-order mark', () => {
    const q = parseQuotasCsv('\uFEFFCategory,Name,Min,Max,notes\nage,young,1,2,x\n');
    expect(q.rows).toEqual([{ category: 'age', value: 'young', min: 1, max: 2, line: 2 }]);
  });

  it('accepts a spreadsheet export: empty trailing columns, byte-order mark, ; separators, CRLF — and says what it ignored', () => {
    const notes: CsvNote[] = [];
    const q = parseQuotasCsv('\uFEFFcategory;name;min;max;;;;;\r\nage;young;1;2;;;;;\r\nage;old;1;2;;;;;\r\n;;;;;;;;\r\n', notes);
    expect(q.rows).toEqual([{ category: 'age', value: 'young', min: 1, max: 2, line: 2 }, { category: 'age', value: 'old', min: 1, max: 2, line: 3 }]);
    expect(notes).toEqual([{ file: 'quotas', bom: true, emptyColumns: [5, 6, 7, 8, 9], delimiter: ';', message: 'The quotas CSV: ignored 5 empty columns at the end (columns 5–9) and a byte-order mark at the start; read with semicolons as separators.' }]);
    // the issue's file: comma-separated with empty trailing columns
    expect(parseQuotasCsv('category,name,min,max,,,,,\ngender,f,1,1,,,,,\n').rows).toHaveLength(1);
    const people = parsePeopleCsv('id,gender,,\r\np1,f,,\r\np2,m,,\r\n', { notes });
    expect(people.pool.people.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(people.mapping.personal).toEqual([]);
    expect(notes[1]).toMatchObject({ file: 'people', emptyColumns: [3, 4] });
    // an empty column name with values below is still refused
    expect(codeOf(() => parseQuotasCsv('category,name,min,max,\nage,young,1,2,x\n')).issues[0].message).toBe('empty column name');
  });

  it('tells quotas from people by columns', () => {
    expect(detectCsvKind(fixture('small30/quotas.csv'))).toBe('quotas');
    expect(detectCsvKind(fixture('flanigan-format/categories.csv'))).toBe('quotas');
    expect(detectCsvKind(fixture('small30/people.csv'))).toBe('people');
    expect(detectCsvKind(fixture('flanigan-format/respondents.csv'))).toBe('people');
  });

  it('names the line of bad rows', () => {
    let e = codeOf(() => parseQuotasCsv('category,feature,min,max\na,x,1,2\na,y,three,4\n'));
    expect(e.code).toBe('BAD_QUOTA');
    expect(e.issues[0]).toMatchObject({ line: 3, category: 'a', value: 'y' });
    expect(e.message).toContain('line 3');
    e = codeOf(() => parseQuotasCsv('category,feature,min,max\na,x,3,2\n'));
    expect(e.issues[0].line).toBe(2);
    e = codeOf(() => parseQuotasCsv('category,feature,min,max\na,x,1,2\n\na,x,0,1\n'));
    expect(e.code).toBe('DUPLICATE_QUOTA');
    expect(e.issues[0]).toMatchObject({ line: 4 });
    expect(e.issues[0].message).toContain('line 2');
    e = codeOf(() => parseQuotasCsv('category,min,max\na,1,2\n'));
    expect(e.code).toBe('MISSING_COLUMN');
    e = codeOf(() => parseQuotasCsv('category,feature,min,max\na,x,1\n'));
    expect(e.code).toBe('CSV_PARSE');
    expect(e.issues[0].line).toBe(2);
  });
});

describe('people CSV', () => {
  const quotas = parseQuotasCsv(fixture('small30/quotas.csv'));

  it('detects id, features, address and personal columns', () => {
    const header = fixture('small30/people.csv').split(/\r?\n/)[0].split(',');
    expect(detectColumnMapping(header, quotas)).toEqual({
      id: 'person_id',
      features: ['gender', 'age', 'region'],
      address: ['address_line1', 'postcode'],
      personal: ['first_name', 'last_name', 'email', 'phone', 'address_line1', 'postcode'],
    });
  });

  it('keeps personal data apart from the pool and groups households by normalised address', () => {
    const { pool, personal } = parsePeopleCsv(fixture('small30/people.csv'), { quotas });
    expect(pool.people).toHaveLength(30);
    expect(pool.categories).toEqual(['gender', 'age', 'region']);
    const p = pool.people[0];
    expect(p).toMatchObject({ id: 'c001', features: { gender: 'Male', age: '35-59', region: 'North' }, line: 2 });
    expect(JSON.stringify(pool)).not.toContain('example.org');
    expect(JSON.stringify(pool)).not.toContain('High Street');
    expect(personal.c001).toMatchObject({ first_name: 'First1', email: 'person1@example.org', postcode: 'AB1 1CD' });
    const hh = (id: string) => pool.people.find((x) => x.id === id)?.household;
    expect(hh('c002')).toBeDefined();
    expect(hh('c002')).toBe(hh('c003')); // "2 High Street"/"2 HIGH STREET", "AB2 2CD"/"ab2 2cd"
    expect(hh('c020')).toBe(hh('c022'));
    expect(hh('c001')).not.toBe(hh('c002'));
    expect(new Set(pool.people.map((x) => x.household)).size).toBe(26);
  });

  it('generates ids when there is no id column, and honours an explicit mapping', () => {
    const { pool, mapping } = parsePeopleCsv(fixture('flanigan-format/respondents.csv'), { quotas: parseQuotasCsv(fixture('flanigan-format/categories.csv')) });
    expect(mapping.id).toBeNull();
    expect(pool.people.map((p) => p.id).slice(0, 2)).toEqual(['row-2', 'row-3']);
    expect(pool.people[0].household).toBeUndefined();
    const explicit = parsePeopleCsv(fixture('small30/people.csv'), { quotas, mapping: { address: [], features: ['gender', 'age', 'region'] } });
    expect(explicit.pool.people.every((p) => p.household === undefined)).toBe(true);
  });

  it('matches values to the quotas spelling, case-insensitively', () => {
    const q = parseQuotasCsv('feature,value,min,max\nGender,Female,0,1\nGender,Male,0,1\n');
    const { pool } = parsePeopleCsv('id,gender\na, female\nb,MALE\n', { quotas: q });
    expect(pool.categories).toEqual(['Gender']);
    expect(pool.people.map((p) => p.features.Gender)).toEqual(['Female', 'Male']);
  });

  it('rejects duplicate ids, empty pools and unknown mapped columns with line numbers', () => {
    let e = codeOf(() => parsePeopleCsv('id,g\na,x\nb,y\na,z\n'));
    expect(e.code).toBe('DUPLICATE_ID');
    expect(e.issues[0]).toMatchObject({ line: 4, personId: 'a' });
    expect(e.message).toContain('line 2');
    e = codeOf(() => parsePeopleCsv('id,g\n'));
    expect(e.code).toBe('EMPTY_POOL');
    e = codeOf(() => parsePeopleCsv('id,g\na,x\n', { mapping: { features: ['h'] } }));
    expect(e.code).toBe('MISSING_COLUMN');
    e = codeOf(() => parsePeopleCsv('id,g\na,x\nb,y,z\n'));
    expect(e.code).toBe('CSV_PARSE');
    expect(e.issues[0].line).toBe(3);
  });
});
