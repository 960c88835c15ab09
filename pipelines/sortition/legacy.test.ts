import { describe, expect, it } from 'vitest';
import { legacyMonteCarlo, legacyPanel } from './legacy.js';
import { makePool, makeQuotas } from './testing.js';

describe('LEGACY', () => {
  const pool = makePool(['g'], ['w1:f', 'w2:f', 'w3:f', 'w4:f', 'm1:m', 'm2:m', 'm3:m', 'm4:m', 'm5:m', 'm6:m']);
  const quotas = makeQuotas(['g=f:1-1', 'g=m:1-1']);

  it('selects uniformly within a quota value when quotas force the panel shape', () => {
    const est = legacyMonteCarlo(pool, quotas, 2, { runs: 12_000, seed: 'a' });
    expect(est.runs).toBe(12_000);
    expect(est.failures).toBe(0);
    for (let i = 0; i < 4; i++) expect(Math.abs(est.probabilities[i] - 1 / 4)).toBeLessThan(0.02); // sd ≈ 0.004
    for (let i = 4; i < 10; i++) expect(Math.abs(est.probabilities[i] - 1 / 6)).toBeLessThan(0.02);
    const again = legacyMonteCarlo(pool, quotas, 2, { runs: 12_000, seed: 'a' });
    expect(again.counts).toEqual(est.counts);
    expect(legacyMonteCarlo(pool, quotas, 2, { runs: 12_000, seed: 'b' }).counts).not.toEqual(est.counts);
  });

  it('never seats housemates together and retries runs that miss a minimum', () => {
    const p = makePool(['g', 'a'], ['a:f,y:H', 'b:m,y:H', 'c:f,o', 'd:m,o', 'e:m,y']);
    const q = makeQuotas(['g=f:1-1', 'g=m:1-1', 'a=y:1-1', 'a=o:1-1']);
    const est = legacyMonteCarlo(p, q, 2, { runs: 2000, seed: 'h' });
    for (const { panel } of est.panels) {
      expect(panel.includes(0) && panel.includes(1)).toBe(false);
      const ids = panel.map((i) => p.people[i]);
      expect(ids.filter((x) => x.features.g === 'f')).toHaveLength(1);
      expect(ids.filter((x) => x.features.a === 'y')).toHaveLength(1);
    }
    expect(legacyPanel(p, q, 2, 'x')).toHaveLength(2);
  });
});
