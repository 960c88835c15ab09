/**
 * Validation / test splits of the public evaluation sets (evals/SPLITS.md says which items are which and why).
 * Settings are chosen on the validation part only; figures are reported on the test part (and on both).
 *
 * Two deterministic rules, nothing random and nothing that depends on the run:
 *  - items (sentence pairs, statements): the FNV-1a 32-bit hash of the item's own text or id, even → validation,
 *    odd → test. It depends only on the item, so a copy of a subset (fixtures/) lands on the same side.
 *  - units too few to hash fairly (conversations, API dumps, themes, upstream files): an explicit rule per set,
 *    written below, e.g. alternate names in sorted order, or the upstream split (ArgKP train/dev, Multi30k val/test).
 */
import { DataError, type EvalArgs } from './harness.js';

export type Split = 'validation' | 'test';
export type SplitArg = Split | 'all';

/** FNV-1a, 32 bits, over the UTF-8 bytes of s. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The item rule: even hash of the trimmed key → validation, odd → test. */
export function itemSplit(key: string): Split {
  return fnv1a(key.trim()) % 2 === 0 ? 'validation' : 'test';
}

/** The unit rule for a handful of named units: sorted by name, the 1st, 3rd, 5th … are validation, the others test. */
export function alternateSplit(names: readonly string[]): Map<string, Split> {
  const sorted = [...new Set(names)].sort();
  return new Map(sorted.map((n, i) => [n, i % 2 === 0 ? 'validation' : 'test'] as const));
}

/** Upstream file roles: a stem naming validation/dev data is validation, one naming test data is test, else null. */
export function fileSplit(stem: string): Split | null {
  const s = stem.toLowerCase();
  if (/(^|[._-])(val|valid|validation|dev|train)([._-]|$)/.test(s)) return 'validation';
  if (/(^|[._-])test/.test(s)) return 'test';
  return null;
}

/**
 * French policy measures (CCC, deliberation/ccc-voterpourleclimat): split by theme so that the test part holds
 * themes (and their objectives) never seen while choosing settings. The largest theme, 'Se nourrir'
 * (42 measures, 15 objectives), is validation; 'Se loger' and 'Consommer' (35 measures, 10 objectives) are test.
 */
export const CCC_VALIDATION_THEMES: readonly string[] = ['Se nourrir'];

/**
 * Pol.is exports (polis-opendata) scored by the votes suite: the 10 with a participants-votes.csv, sorted by name,
 * alternate (the alternateSplit rule applied once to the public set and written down, so that a folder holding a
 * subset — fixtures/polis — or a new conversation keeps a fixed side). Any conversation not listed is test.
 */
export const POLIS_EXPORT_VALIDATION: readonly string[] = [
  '15-per-hour-seattle',
  'austria-climate.5twd2jsnkf.2022-08-08',
  'brexit-consensus',
  'london.youth.policing',
  'scoop-hivemind.freshwater',
];

/** Pol.is API dumps (polis-api-math-fixtures), same rule: 1st and 3rd of 3 by name are validation. */
export const POLIS_DUMP_VALIDATION: readonly string[] = ['150ptpt-3gp-no-strict-no-meta', 'below-100-ptpts'];

export function listedSplit(name: string, validation: readonly string[]): Split {
  return validation.includes(name) ? 'validation' : 'test';
}

/** `--split validation|test|all` (default all). */
export function parseSplit(args: EvalArgs): SplitArg {
  const v = args.split === undefined ? 'all' : String(args.split);
  if (v !== 'validation' && v !== 'test' && v !== 'all') throw new DataError(`--split must be validation, test or all (got '${v}')`);
  return v;
}

export function inSplit(side: Split, want: SplitArg): boolean {
  return want === 'all' || side === want;
}
