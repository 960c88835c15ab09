import { describe, expect, it } from 'vitest';
import { generatePool } from './generate.js';
import { canonicalPool, canonicalQuotas, groupPool } from './pool.js';
import { Rng } from './random.js';
import { PanelMilp, loadHighs, panelKey, type GroupPanel, type PanelSpace } from './solver.js';
import { SwapSearch } from './swap.js';

function feasible(space: PanelSpace, panel: GroupPanel): boolean {
  const { grouped, quotas, panelSize } = space;
  const count = new Array<number>(quotas.rows.length).fill(0);
  let seats = 0;
  for (const [g, c] of panel) {
    if (c < 1 || c > grouped.groups[g].length) return false;
    seats += c;
    for (const r of grouped.groupRows[g]) count[r] += c;
  }
  const households = grouped.householdGroups.every((hh) => hh.reduce((s, g) => s + (panel.find(([x]) => x === g)?.[1] ?? 0), 0) <= 1);
  return seats === panelSize && households && quotas.rows.every((q, r) => count[r] >= q.min && count[r] <= q.max);
}

const value = (p: GroupPanel, w: ArrayLike<number>) => p.reduce((s, [g, c]) => s + w[g] * c, 0);

describe('swap search and single-swap neighbourhood', () => {
  const g = generatePool({ people: 300, panelSize: 30, seed: 'swap-test' });
  const cq = canonicalQuotas(g.quotas);
  const space: PanelSpace = { grouped: groupPool(canonicalPool(g.pool), cq, true), quotas: cq, panelSize: 30 };
  const G = space.grouped.groups.length;

  it('keeps every quota and household, improves the value, and lists only improving neighbours one seat away', async () => {
    const h = await loadHighs();
    const milp = new PanelMilp(h, space);
    const swap = new SwapSearch(space);
    const rng = new Rng('swap-weights');
    try {
      const start = milp.best(new Float64Array(G).fill(1))!.panel;
      expect(feasible(space, start)).toBe(true);
      for (let t = 0; t < 5; t++) {
        const w = Float64Array.from({ length: G }, () => (rng.next() < 0.5 ? 0 : rng.next()));
        const found = swap.improve(start, w);
        expect(feasible(space, found.panel)).toBe(true);
        expect(found.value).toBeGreaterThanOrEqual(value(start, w) - 1e-12);
        const threshold = value(found.panel, w) - 0.3;
        const near = swap.neighbours(found.panel, w, threshold, 15);
        expect(near.length).toBeGreaterThan(0);
        expect(new Set(near.map(panelKey)).size).toBe(near.length);
        for (const p of near) {
          expect(feasible(space, p)).toBe(true);
          expect(value(p, w)).toBeGreaterThan(threshold);
          // exactly one seat moved
          const diff = new Map<number, number>();
          for (const [x, c] of p) diff.set(x, (diff.get(x) ?? 0) + c);
          for (const [x, c] of found.panel) diff.set(x, (diff.get(x) ?? 0) - c);
          expect([...diff.values()].reduce((s, d) => s + Math.abs(d), 0)).toBe(2);
        }
        // the MILP optimum has no improving neighbour
        const best = milp.best(w, 1e-9)!;
        expect(swap.neighbours(best.panel, w, best.value + 1e-9, 10)).toEqual([]);
      }
    } finally {
      milp.dispose();
    }
  });
});
