/**
 * A comparison baseline after Barrett et al. (AAAI 2023), as the issue describes it: rounds built greedily, each
 * round solved as an integer program under diversity constraints. Written from that description (not from their
 * code), with HiGHS (the `highs` WASM build the sortition solver uses).
 *
 * One round: x[p,g] ∈ {0,1} (person p in group g), D ≥ 0 (the largest deviation), y[p,q,g] ≥ 0 for every pair
 * that met before;
 *   Σ_g x[p,g] = 1 (everyone in one group)              Σ_p x[p,g] = size_g (group sizes as ours)
 *   |Σ_{p has value t} x[p,g] − size_g·share_t| ≤ size_g·D  (every group mirrors the table within D)
 *   x[p,g] + x[q,g] − y[p,q,g] ≤ 1 (a repeated pair costs 1)
 *   minimise Σ y + D   (a repeated pair always costs more than any balance gain, as in our search's order)
 * Each round gets `timeLimitSeconds`; the best solution found by then is kept (status says whether it is proven
 * optimal). Used by the `breakouts` eval only: it needs seconds to minutes where the heuristic needs milliseconds.
 */
import { loadHighs } from '../sortition/solver.js';
import type { AllocationPerson } from './types.js';

export interface IlpResult {
  rounds: string[][][];
  /** per round: 'optimal', 'time limit' (best found) or 'no solution' (the search stops there) */
  status: string[];
  seconds: number;
}

const OPTIMAL = 7;

export async function ilpRounds(people: AllocationPerson[], features: string[], sizes: number[], rounds: number, opts: { timeLimitSeconds: number }): Promise<IlpResult> {
  const t0 = performance.now();
  const h = await loadHighs();
  const n = people.length;
  const G = sizes.length;
  const values = new Map<string, number[]>();
  for (const f of features) people.forEach((p, i) => {
    const k = `${f}\u0000${p.features[f] ?? ''}`;
    const list = values.get(k);
    if (list) list.push(i);
    else values.set(k, [i]);
  });
  const met = new Set<number>();
  const out: string[][][] = [];
  const status: string[] = [];
  for (let r = 0; r < rounds; r++) {
    const pairs = [...met].map((k) => [Math.floor(k / n), k % n] as const);
    const X = n * G;
    const Y = pairs.length * G;
    const numCols = X + Y + 1;
    const Dcol = X + Y;
    const starts = [0];
    const indices: number[] = [];
    const vals: number[] = [];
    const lower: number[] = [];
    const upper: number[] = [];
    const row = (entries: Array<[number, number]>, lo: number, hi: number) => {
      for (const [c, v] of entries) {
        indices.push(c);
        vals.push(v);
      }
      starts.push(indices.length);
      lower.push(lo);
      upper.push(hi);
    };
    for (let p = 0; p < n; p++) row(Array.from({ length: G }, (_, g) => [p * G + g, 1]), 1, 1);
    for (let g = 0; g < G; g++) row(Array.from({ length: n }, (_, p) => [p * G + g, 1]), sizes[g], sizes[g]);
    for (const members of values.values()) {
      const share = members.length / n;
      for (let g = 0; g < G; g++) {
        const xs = members.map((p): [number, number] => [p * G + g, 1]);
        row([...xs, [Dcol, -sizes[g]]], -h.infinity, sizes[g] * share);
        row([...xs, [Dcol, sizes[g]]], sizes[g] * share, h.infinity);
      }
    }
    pairs.forEach(([p, q], k) => {
      for (let g = 0; g < G; g++) row([[p * G + g, 1], [q * G + g, 1], [X + k * G + g, -1]], -h.infinity, 1);
    });
    const colCost = new Float64Array(numCols);
    colCost.fill(1, X, X + Y);
    colCost[Dcol] = 1;
    const colUpper = new Float64Array(numCols).fill(1);
    const integrality = new Int32Array(numCols);
    integrality.fill(h.constants.variableType.integer, 0, X);
    const model = h.createModel({
      numCols,
      numRows: starts.length - 1,
      sense: h.constants.objectiveSense.minimize,
      colCost,
      colLower: new Float64Array(numCols),
      colUpper,
      rowLower: Float64Array.from(lower),
      rowUpper: Float64Array.from(upper),
      matrix: { format: 'csr', numRows: starts.length - 1, numCols, starts, indices, values: vals },
      integrality,
    });
    try {
      model.options.set({ output_flag: false, random_seed: 0, time_limit: opts.timeLimitSeconds });
      const res = model.run();
      const x = model.getSolution().colValue;
      const groups: number[][] = sizes.map(() => []);
      let ok = x.length >= X;
      for (let p = 0; ok && p < n; p++) {
        let at = -1;
        for (let g = 0; g < G; g++) if (x[p * G + g] > 0.5) at = at === -1 ? g : -2;
        if (at < 0) ok = false;
        else groups[at].push(p);
      }
      if (!ok || groups.some((m, g) => m.length !== sizes[g])) {
        status.push('no solution');
        break;
      }
      status.push(res.modelStatus === OPTIMAL ? 'optimal' : 'time limit');
      for (const m of groups) for (let i = 0; i < m.length; i++) for (let j = i + 1; j < m.length; j++) met.add(Math.min(m[i], m[j]) * n + Math.max(m[i], m[j]));
      out.push(groups.map((m) => m.map((p) => people[p].id)));
    } finally {
      model.dispose();
    }
  }
  return { rounds: out, status, seconds: (performance.now() - t0) / 1000 };
}
