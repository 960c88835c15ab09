/**
 * Pool validation, canonical form and hashing, and the grouping of interchangeable people.
 */
import { sha256Hex } from './random.js';
import { SortitionError, type Pool, type Quotas, type Quota, type SortitionIssue } from './types.js';

/** Byte-wise string order (not locale-dependent), so canonical forms agree everywhere. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Canonical pool: people sorted by id, categories sorted. Every algorithm runs on this form, so the result does
 * not depend on row order in the CSV, and the hash below identifies the input of a draw.
 */
export function canonicalPool(pool: Pool): Pool {
  const categories = [...pool.categories].sort(compareStrings);
  const people = [...pool.people].sort((a, b) => compareStrings(a.id, b.id));
  return { categories, people };
}

export function canonicalQuotas(quotas: Quotas): Quotas {
  const rows = [...quotas.rows].sort((a, b) => compareStrings(a.category, b.category) || compareStrings(a.value, b.value));
  return { rows };
}

/**
 * sha256 of the canonical serialisation of the pool as the algorithms see it: JSON of
 * `{format, categories, people: [[id, [value per sorted category], household|null], …] sorted by id}`.
 * Personal data never enters the pool, so it never enters the hash.
 */
export function poolSha256(pool: Pool): string {
  const c = canonicalPool(pool);
  const people = c.people.map((p) => [p.id, c.categories.map((cat) => p.features[cat] ?? null), p.household ?? null]);
  return sha256Hex(JSON.stringify({ format: 'plenary-pool/1', categories: c.categories, people }));
}

/** sha256 of `{format, rows: [[category, value, min, max], …] sorted}` */
export function quotasSha256(quotas: Quotas): string {
  const rows = canonicalQuotas(quotas).rows.map((q) => [q.category, q.value, q.min, q.max]);
  return sha256Hex(JSON.stringify({ format: 'plenary-quotas/1', rows }));
}

export function inputSha256(pool: Pool, quotas: Quotas, panelSize: number): string {
  return sha256Hex(`${poolSha256(pool)}:${quotasSha256(quotas)}:${panelSize}`);
}

/**
 * Cross-checks a pool against quotas and a panel size. Throws a SortitionError naming the rows and categories
 * concerned; returns silently when the input is well-formed (it may still be infeasible: see diagnoseQuotas).
 */
export function validateSelectionInput(pool: Pool, quotas: Quotas, panelSize: number, options: { feasibilityChecks?: boolean } = {}): void {
  const feasibilityChecks = options.feasibilityChecks ?? true;
  if (!Number.isInteger(panelSize) || panelSize < 1) {
    throw new SortitionError('BAD_PANEL_SIZE', `panel size must be a positive integer, got ${panelSize}`);
  }
  if (pool.people.length === 0) throw new SortitionError('EMPTY_POOL', 'the pool has no people');
  if (quotas.rows.length === 0) throw new SortitionError('BAD_QUOTA', 'there are no quota rows');

  // duplicate ids
  const seen = new Map<string, number | undefined>();
  const dupes: SortitionIssue[] = [];
  for (const p of pool.people) {
    if (seen.has(p.id)) {
      const first = seen.get(p.id);
      dupes.push({ line: p.line, personId: p.id, message: `duplicate id${first !== undefined ? ` (first on line ${first})` : ''}` });
    } else seen.set(p.id, p.line);
  }
  if (dupes.length > 0) throw new SortitionError('DUPLICATE_ID', 'duplicate person ids', dupes);

  if (panelSize > pool.people.length) {
    throw new SortitionError('PANEL_TOO_LARGE', `panel size ${panelSize} is larger than the pool (${pool.people.length} people)`);
  }
  const households = new Set<string>();
  let noHousehold = 0;
  for (const p of pool.people) {
    if (p.household === undefined) noHousehold++;
    else households.add(p.household);
  }
  if (panelSize > households.size + noHousehold) {
    throw new SortitionError(
      'PANEL_TOO_LARGE',
      `panel size ${panelSize} is larger than the number of households in the pool (${households.size + noHousehold}); only one person per household may sit`,
    );
  }

  // quota rows: duplicates, bounds
  const byCategory = new Map<string, Quota[]>();
  const quotaIssues: SortitionIssue[] = [];
  const keys = new Set<string>();
  for (const q of quotas.rows) {
    const key = `${q.category}\u0000${q.value}`;
    if (keys.has(key)) quotaIssues.push({ line: q.line, category: q.category, value: q.value, message: 'duplicate quota row' });
    keys.add(key);
    if (!Number.isInteger(q.min) || !Number.isInteger(q.max) || q.min < 0 || q.max < q.min) {
      quotaIssues.push({ line: q.line, category: q.category, value: q.value, message: `bad bounds min=${q.min} max=${q.max} (need integers 0 ≤ min ≤ max)` });
    }
    const list = byCategory.get(q.category) ?? [];
    list.push(q);
    byCategory.set(q.category, list);
  }
  if (quotaIssues.length > 0) throw new SortitionError('BAD_QUOTA', 'bad quota rows', quotaIssues);

  // categories known to the pool
  const poolCats = new Set(pool.categories);
  const unknownCats = [...byCategory.keys()].filter((c) => !poolCats.has(c));
  if (unknownCats.length > 0) {
    throw new SortitionError(
      'UNKNOWN_CATEGORY',
      'quota categories that the pool does not have',
      unknownCats.map((c) => ({ category: c, line: byCategory.get(c)?.[0]?.line, message: `no pool column for category "${c}" (pool columns: ${pool.categories.join(', ') || 'none'})` })),
    );
  }
  const unquoted = pool.categories.filter((c) => !byCategory.has(c));
  if (unquoted.length > 0) {
    throw new SortitionError(
      'UNKNOWN_CATEGORY',
      'pool feature columns without quotas',
      unquoted.map((c) => ({ category: c, message: `feature column "${c}" has no quota rows; give it quotas or map it as a non-feature column` })),
    );
  }

  // quota sums per category
  const sumIssues: SortitionIssue[] = [];
  for (const [category, rows] of byCategory) {
    const lo = rows.reduce((s, q) => s + q.min, 0);
    const hi = rows.reduce((s, q) => s + q.max, 0);
    if (lo > panelSize) sumIssues.push({ category, line: rows[0]?.line, message: `minimums add up to ${lo}, more than the panel size ${panelSize}` });
    if (hi < panelSize) sumIssues.push({ category, line: rows[0]?.line, message: `maximums add up to ${hi}, less than the panel size ${panelSize}` });
  }
  if (feasibilityChecks && sumIssues.length > 0) throw new SortitionError('QUOTA_SUM', `quotas cannot add up to the panel size ${panelSize}`, sumIssues);

  // people's values
  const valueSets = new Map<string, Set<string>>();
  for (const [category, rows] of byCategory) valueSets.set(category, new Set(rows.map((q) => q.value)));
  const outside: SortitionIssue[] = [];
  const present = new Set<string>();
  for (const p of pool.people) {
    for (const category of pool.categories) {
      const v = p.features[category];
      if (v === undefined || v === '') {
        outside.push({ line: p.line, personId: p.id, category, message: 'missing value' });
      } else if (!valueSets.get(category)?.has(v)) {
        outside.push({ line: p.line, personId: p.id, category, value: v, message: `value "${v}" is not in the quotas for ${category} (allowed: ${[...(valueSets.get(category) ?? [])].join(', ')})` });
      } else present.add(`${category}\u0000${v}`);
    }
  }
  if (outside.length > 0) throw new SortitionError('VALUE_OUTSIDE_QUOTAS', 'people with values outside the quotas', outside);

  // quota values nobody has, while the quota needs someone
  const unknownValues = quotas.rows
    .filter((q) => q.min > 0 && !present.has(`${q.category}\u0000${q.value}`))
    .map((q) => ({ line: q.line, category: q.category, value: q.value, message: `quota needs at least ${q.min} but nobody in the pool has this value` }));
  if (feasibilityChecks && unknownValues.length > 0) throw new SortitionError('UNKNOWN_VALUE', 'quota values that nobody in the pool has', unknownValues);
}

/**
 * People who are interchangeable for every algorithm here: same value in every category and no housemate in the
 * pool. LEXIMIN gives them equal probabilities (averaging any distribution over permutations within a group
 * keeps quotas and only improves the leximin order), so the optimisation can run over groups. People sharing a
 * household with someone else in the pool each form a group of one.
 */
export interface GroupedPool {
  /** groups of indices into the canonical pool's people */
  groups: number[][];
  /** for each group, the quota row indices (one per category) that its members count towards */
  groupRows: number[][];
  /** households with two or more members: lists of group indices (all singleton groups) */
  householdGroups: number[][];
  /** for each person, its group */
  groupOf: Int32Array;
}

export function groupPool(pool: Pool, quotas: Quotas, compress: boolean): GroupedPool {
  const rowIndex = new Map<string, number>();
  quotas.rows.forEach((q, i) => rowIndex.set(`${q.category}\u0000${q.value}`, i));
  const householdSize = new Map<string, number>();
  for (const p of pool.people) if (p.household !== undefined) householdSize.set(p.household, (householdSize.get(p.household) ?? 0) + 1);

  const groups: number[][] = [];
  const groupRows: number[][] = [];
  const groupOf = new Int32Array(pool.people.length);
  const byKey = new Map<string, number>();
  const householdMembers = new Map<string, number[]>();
  pool.people.forEach((p, i) => {
    const rows = pool.categories.map((c) => {
      const r = rowIndex.get(`${c}\u0000${p.features[c]}`);
      if (r === undefined) throw new SortitionError('VALUE_OUTSIDE_QUOTAS', `person ${p.id}: value outside the quotas`, [{ line: p.line, personId: p.id, category: c, value: p.features[c], message: 'value not in quotas' }]);
      return r;
    });
    const shared = p.household !== undefined && (householdSize.get(p.household) ?? 0) > 1;
    const key = rows.join(',');
    let g: number | undefined = compress && !shared ? byKey.get(key) : undefined;
    if (g === undefined) {
      g = groups.length;
      groups.push([]);
      groupRows.push(rows);
      if (compress && !shared) byKey.set(key, g);
    }
    groups[g].push(i);
    groupOf[i] = g;
    if (shared && p.household !== undefined) {
      const list = householdMembers.get(p.household) ?? [];
      list.push(g);
      householdMembers.set(p.household, list);
    }
  });
  return { groups, groupRows, householdGroups: [...householdMembers.values()], groupOf };
}
