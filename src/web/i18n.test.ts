import { describe, expect, it } from 'vitest';
import { CATALOGUES } from './i18n.js';

describe('catalogues', () => {
  it('French and English have the same keys and no empty strings', () => {
    expect(Object.keys(CATALOGUES.fr).sort()).toEqual(Object.keys(CATALOGUES.en).sort());
    for (const cat of Object.values(CATALOGUES)) for (const v of Object.values(cat)) expect(v.trim()).not.toBe('');
  });
});
