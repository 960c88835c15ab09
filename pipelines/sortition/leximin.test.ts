import type { Highs } from 'highs';
import { describe, expect, it } from 'vitest';
import { generatePool } from './generate.js';
import { columnGeneration, ColumnGenerationTimeout, LeximinStalledError } from './leximin.js';
import { canonicalPool, canonicalQuotas, groupPool } from './pool.js';
import { Rng } from './random.js';
import { selectPanel } from './select.js';
import { loadHighs } from './solver.js';
import { SortitionError, type Pool, type Quotas } from './types.js';

/** A small random pool (2 features, a household or two) with quotas around a random panel, so it is feasible. */
function smallInstance(seed: string): { pool: Pool; quotas: Quotas; k: number } {
  const rng = new Rng(seed);
  const n = 8 + rng.int(3);
  const k = 3 + rng.int(2);
  const xs = ['x1', 'x2'];
  const ys = ['y1', 'y2', 'y3'];
  const people = Array.from({ length: n }, (_, i) => {
    const features = { x: xs[rng.int(2)], y: ys[rng.int(3)] };
    return i < 4 && rng.next() < 0.6 ? { id: `p${i}`, features, household: `h${i >> 1}` } : { id: `p${i}`, features };
  });
  // quotas: counts of a random household-respecting panel ± 1 (min ± 0 on one value to make levels bind)
  const order = rng.shuffle([...people.keys()]);
  const panel: number[] = [];
  const used = new Set<string>();
  for (const i of order) {
    const h = people[i].household;
    if (panel.length === k || (h !== undefined && used.has(h))) continue;
    panel.push(i);
    if (h !== undefined) used.add(h);
  }
  const count = (c: 'x' | 'y', v: string) => panel.filter((i) => people[i].features[c] === v).length;
  const rows = [
    ...xs.map((v) => ({ category: 'x', value: v, min: count('x', v), max: count('x', v) + 1 })),
    ...ys.map((v) => ({ category: 'y', value: v, min: Math.max(0, count('y', v) - 1), max: count('y', v) + 1 })),
  ];
  return { pool: { categories: ['x', 'y'], people }, quotas: { rows }, k };
}

/** Every feasible panel, by enumerating all k-subsets. */
function allPanels(pool: Pool, quotas: Quotas, k: number): number[][] {
  const out: number[][] = [];
  const n = pool.people.length;
  const rec = (start: number, chosen: number[]) => {
    if (chosen.length === k) {
      const hh = chosen.map((i) => pool.people[i].household).filter((h) => h !== undefined);
      if (new Set(hh).size !== hh.length) return;
      const ok = quotas.rows.every((q) => {
        const c = chosen.filter((i) => pool.people[i].features[q.category] === q.value).length;
        return c >= q.min && c <= q.max;
      });
      if (ok) out.push([...chosen]);
      return;
    }
    for (let i = start; i < n; i++) rec(i + 1, [...chosen, i]);
  };
  rec(0, []);
  return out;
}

/** max c·x over a distribution π on the panels (columns 0..J−1) and z (column J), dense rows ≥ lower. */
function lp(h: Highs, J: number, cost: number[], rows: Array<{ coef: number[]; lower: number }>): number {
  const numCols = J + 1;
  const all = [{ coef: [...new Array<number>(J).fill(1), 0], lower: 1, upper: 1 }, ...rows.map((r) => ({ ...r, upper: h.infinity }))];
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const r of all) {
    r.coef.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        values.push(v);
      }
    });
    starts.push(indices.length);
  }
  const model = h.createModel({
    numCols,
    numRows: all.length,
    sense: h.constants.objectiveSense.maximize,
    colCost: Float64Array.from(cost),
    colLower: Float64Array.from([...new Array<number>(J).fill(0), -h.infinity]),
    colUpper: new Float64Array(numCols).fill(h.infinity),
    rowLower: all.map((r) => r.lower),
    rowUpper: all.map((r) => r.upper),
    matrix: { format: 'csr', numRows: all.length, numCols, starts, indices, values },
  });
  try {
    model.options.set({ output_flag: false });
    const r = model.run();
    expect(r.modelStatus).toBe(7);
    return model.getObjectiveValue();
  } finally {
    model.dispose();
  }
}

/** Textbook LEXIMIN over an explicit list of panels: maximise the minimum, then fix whoever cannot do better. */
function bruteLeximin(h: Highs, n: number, panels: number[][]): number[] {
  const J = panels.length;
  const a = Array.from({ length: n }, (_, i) => panels.map((p) => (p.includes(i) ? 1 : 0)));
  const fixed = new Array<number>(n).fill(Number.NaN);
  const never = a.map((row) => row.every((v) => v === 0));
  never.forEach((x, i) => x && (fixed[i] = 0));
  while (fixed.some((f) => Number.isNaN(f))) {
    const fixedRows = fixed.flatMap((f, i) => (Number.isNaN(f) ? [] : [{ coef: [...a[i], 0], lower: f - 1e-9 }]));
    const unfixed = fixed.flatMap((f, i) => (Number.isNaN(f) ? [i] : []));
    const z = lp(h, J, [...new Array<number>(J).fill(0), 1], [...fixedRows, ...unfixed.map((i) => ({ coef: [...a[i], -1], lower: 0 }))]);
    let fixedNow = 0;
    for (const i of unfixed) {
      const others = unfixed.filter((j) => j !== i).map((j) => ({ coef: [...a[j], 0], lower: z - 1e-9 }));
      const best = lp(h, J, [...a[i], 0], [...fixedRows, ...others]);
      if (best <= z + 1e-7) {
        fixed[i] = z;
        fixedNow++;
      }
    }
    expect(fixedNow).toBeGreaterThan(0);
  }
  return fixed;
}

describe('LEXIMIN by column generation against brute force', () => {
  it('matches the textbook LEXIMIN over all enumerated panels on random small pools (grouped and per person)', async () => {
    const h = await loadHighs();
    for (let s = 0; s < 6; s++) {
      const { pool, quotas, k } = smallInstance(`brute-${s}`);
      const panels = allPanels(pool, quotas, k);
      expect(panels.length).toBeGreaterThan(0);
      const expected = bruteLeximin(h, pool.people.length, panels);
      for (const compress of [true, false]) {
        const r = await selectPanel(pool, quotas, k, { highs: h, compress });
        pool.people.forEach((p, i) => expect(Math.abs(r.probabilities[p.id] - expected[i])).toBeLessThan(2e-6));
        expect(r.stats.finalShortfall).toBeLessThan(1e-6);
      }
    }
  });

  it('reaches the same LEXIMIN on every pricing path: MILP only, heuristic and neighbours, strong smoothing', async () => {
    const h = await loadHighs();
    const variants = [
      { heuristic: false, neighbours: 0, smoothing: 0 },
      { heuristic: true, neighbours: 50, smoothing: 0.5 },
      { heuristic: true, neighbours: 5, smoothing: 0.9, milpEvery: 3 },
      { heuristic: false, neighbours: 20, smoothing: 0.9, relaxationBound: false },
    ];
    for (let s = 6; s < 10; s++) {
      const { pool, quotas, k } = smallInstance(`brute-${s}`);
      const expected = bruteLeximin(h, pool.people.length, allPanels(pool, quotas, k));
      for (const columnGeneration of variants) {
        const r = await selectPanel(pool, quotas, k, { highs: h, columnGeneration });
        pool.people.forEach((p, i) => expect(Math.abs(r.probabilities[p.id] - expected[i])).toBeLessThan(2e-6));
        expect(r.stats.finalShortfall).toBeLessThan(1e-6);
      }
    }
  });
});

describe('LEXIMIN failure modes', () => {
  const g = generatePool({ people: 200, panelSize: 20, seed: 'failure-modes' });
  const space = async () => {
    const cpool = canonicalPool(g.pool);
    const cquotas = canonicalQuotas(g.quotas);
    return { h: await loadHighs(), space: { grouped: groupPool(cpool, cquotas, true), quotas: cquotas, panelSize: 20 } };
  };

  it('reports a level that cannot be closed as a stall, not as convergence', async () => {
    const { h, space: sp } = await space();
    let err: unknown;
    try {
      columnGeneration(h, sp, { maxRoundsPerLevel: 2, heuristic: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LeximinStalledError);
    expect((err as SortitionError).code).toBe('STALLED');
    expect((err as Error).message).toMatch(/level 1 stalled .*no proof of optimality after 2 pricing rounds/);
  });

  it('stops at the time limit with an error saying what to relax, never a partial result', async () => {
    const { h, space: sp } = await space();
    let err: unknown;
    try {
      columnGeneration(h, sp, { maxSeconds: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ColumnGenerationTimeout);
    expect(err).toBeInstanceOf(SortitionError);
    expect((err as SortitionError).code).toBe('TIME_LIMIT');
    expect((err as Error).message).toMatch(/did not finish within the time limit/);
    expect((err as Error).message).toMatch(/raise the time limit, widen the tightest quotas/);
    await expect(selectPanel(g.pool, g.quotas, 20, { highs: h, maxSeconds: 0 })).rejects.toBeInstanceOf(ColumnGenerationTimeout);
  });
});
