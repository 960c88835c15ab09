/** Small helpers for the sortition tests: build pools and quotas inline. */
import type { Pool, Quotas } from './types.js';

/** people given as 'id:value1,value2[:household]' with categories in order */
export function makePool(categories: string[], people: string[]): Pool {
  return {
    categories,
    people: people.map((spec, i) => {
      const [id, values, household] = spec.split(':');
      const vs = values.split(',');
      const features: Record<string, string> = {};
      categories.forEach((c, j) => (features[c] = vs[j]));
      return household ? { id, features, household, line: i + 2 } : { id, features, line: i + 2 };
    }),
  };
}

/** quota rows given as 'category=value:min-max' */
export function makeQuotas(rows: string[]): Quotas {
  return {
    rows: rows.map((spec, i) => {
      const [cv, range] = spec.split(':');
      const [category, value] = cv.split('=');
      const [min, max] = range.split('-').map(Number);
      return { category, value, min, max, line: i + 2 };
    }),
  };
}
