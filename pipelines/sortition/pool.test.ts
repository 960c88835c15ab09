import { describe, expect, it } from 'vitest';
import { groupPool, poolSha256, quotasSha256, validateSelectionInput } from './pool.js';
import { makePool, makeQuotas } from './testing.js';
import { SortitionError, type Pool, type Quotas } from './types.js';

const quotas = makeQuotas(['g=f:1-2', 'g=m:1-2', 'a=young:0-2', 'a=old:0-2']);
const pool = makePool(['g', 'a'], ['p1:f,young', 'p2:f,old', 'p3:m,young', 'p4:m,old:H1', 'p5:m,old:H1']);

function errorOf(p: Pool, q: Quotas, k: number): SortitionError {
  try {
    validateSelectionInput(p, q, k);
  } catch (e) {
    if (e instanceof SortitionError) return e;
    throw e;
  }
  throw new Error('expected a SortitionError');
}

describe('validateSelectionInput', () => {
  it('accepts a well-formed input', () => {
    expect(() => validateSelectionInput(pool, quotas, 3)).not.toThrow();
  });

  it('gives a typed error naming the row or category for each bad input', () => {
    expect(errorOf(pool, quotas, 0).code).toBe('BAD_PANEL_SIZE');
    expect(errorOf({ categories: ['g', 'a'], people: [] }, quotas, 2).code).toBe('EMPTY_POOL');
    expect(errorOf(pool, quotas, 6).code).toBe('PANEL_TOO_LARGE');
    expect(errorOf(pool, quotas, 5).message).toContain('households'); // p4, p5 share one
    const dup = errorOf(makePool(['g', 'a'], ['p1:f,young', 'p1:m,old']), quotas, 2);
    expect(dup.code).toBe('DUPLICATE_ID');
    expect(dup.issues[0]).toMatchObject({ line: 3, personId: 'p1' });
    const sums = errorOf(pool, makeQuotas(['g=f:3-3', 'g=m:1-2', 'a=young:0-2', 'a=old:0-2']), 3);
    expect(sums.code).toBe('QUOTA_SUM');
    expect(sums.issues[0]).toMatchObject({ category: 'g' });
    expect(errorOf(pool, makeQuotas(['g=f:0-1', 'g=m:0-1', 'a=young:0-3', 'a=old:0-3']), 3).issues[0].message).toContain('maximums add up to 2');
    const unknownCat = errorOf(pool, makeQuotas(['g=f:1-2', 'g=m:1-2', 'a=young:0-2', 'a=old:0-2', 'region=north:0-3']), 3);
    expect(unknownCat.code).toBe('UNKNOWN_CATEGORY');
    expect(unknownCat.issues[0].category).toBe('region');
    const unquoted = errorOf(pool, makeQuotas(['g=f:1-2', 'g=m:1-2']), 3);
    expect(unquoted.code).toBe('UNKNOWN_CATEGORY');
    expect(unquoted.issues[0].category).toBe('a');
    const outside = errorOf(makePool(['g', 'a'], ['p1:f,young', 'p2:x,old', 'p3:m,young']), quotas, 2);
    expect(outside.code).toBe('VALUE_OUTSIDE_QUOTAS');
    expect(outside.issues[0]).toMatchObject({ line: 3, personId: 'p2', category: 'g', value: 'x' });
    const unknownValue = errorOf(pool, makeQuotas(['g=f:1-2', 'g=m:1-2', 'g=x:1-1', 'a=young:0-2', 'a=old:0-2']), 3);
    expect(unknownValue.code).toBe('UNKNOWN_VALUE');
    expect(unknownValue.issues[0]).toMatchObject({ category: 'g', value: 'x' });
    expect(errorOf(pool, makeQuotas(['g=f:1-2', 'g=f:1-2', 'g=m:1-2', 'a=young:0-2', 'a=old:0-2']), 3).code).toBe('BAD_QUOTA');
  });
});

describe('hashes and groups', () => {
  it('hashes the pool independently of row order, and changes with any value', () => {
    const shuffled: Pool = { categories: ['a', 'g'], people: [...pool.people].reverse() };
    expect(poolSha256(shuffled)).toBe(poolSha256(pool));
    const changed = makePool(['g', 'a'], ['p1:f,young', 'p2:f,old', 'p3:m,young', 'p4:m,old:H1', 'p5:m,young:H1']);
    expect(poolSha256(changed)).not.toBe(poolSha256(pool));
    expect(quotasSha256(quotas)).toBe(quotasSha256({ rows: [...quotas.rows].reverse() }));
    expect(quotasSha256(quotas)).not.toBe(quotasSha256(makeQuotas(['g=f:1-2', 'g=m:1-3', 'a=young:0-2', 'a=old:0-2'])));
  });

  it('groups interchangeable people but keeps housemates apart', () => {
    const p = makePool(['g', 'a'], ['p1:f,young', 'p2:f,young', 'p3:m,old:H', 'p4:m,old:H', 'p5:m,old']);
    const g = groupPool(p, quotas, true);
    expect(g.groups).toEqual([[0, 1], [2], [3], [4]]);
    expect(g.householdGroups).toEqual([[1, 2]]);
    expect(groupPool(p, quotas, false).groups).toHaveLength(5);
  });
});
