/** A people table (CSV text) → allocation people: an id column and the chosen feature columns (pure). */
import Papa from 'papaparse';
import { AllocationError, type AllocationPerson } from './types.js';

export function parsePeopleTable(text: string, idColumn: string, features: string[]): AllocationPerson[] {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
  const bad = parsed.errors.find((e) => e.type === 'Quotes' || e.type === 'FieldMismatch');
  if (bad) throw new AllocationError('input', `The people table cannot be read: ${bad.message}${bad.row !== undefined ? ` (row ${bad.row + 1})` : ''}.`);
  const headers = parsed.meta.fields ?? [];
  const missing = [idColumn, ...features].filter((c) => !headers.includes(c));
  if (missing.length) throw new AllocationError('input', `The people table has no column ${missing.map((m) => `'${m}'`).join(', ')}; its columns are ${headers.filter((h) => h).join(', ')}.`);
  const seen = new Set<string>();
  return parsed.data.map((row, i) => {
    const id = (row[idColumn] ?? '').trim();
    if (!id) throw new AllocationError('input', `Row ${i + 2} of the people table has an empty '${idColumn}'.`);
    if (seen.has(id)) throw new AllocationError('input', `'${id}' appears twice in column '${idColumn}' (row ${i + 2}).`);
    seen.add(id);
    return { id, features: Object.fromEntries(features.map((f) => [f, (row[f] ?? '').trim()])) };
  });
}
