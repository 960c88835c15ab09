/**
 * Alternates for members who drop out.
 *
 * - rankAlternates: for each seated member, the candidates who could take their seat ranked by the quota
 *   deviation of the panel after the swap (Σ over quota values of seats below min or above max; 0 = quotas still
 *   met), then by how many features differ from the leaving member, then in a seeded random order. Candidates who
 *   share a household with a remaining member are excluded. Also a global ranked list.
 * - replaceDropouts: replace several dropouts at once with the set of candidates that minimises the total quota
 *   deviation (a small MILP), ties broken by a seeded random order.
 */
import type { Highs } from 'highs';
import { canonicalPool, canonicalQuotas, compareStrings } from './pool.js';
import { Rng } from './random.js';
import { loadHighs } from './solver.js';
import { SortitionError, type Pool, type Quotas } from './types.js';

interface Prepared {
  ids: string[];
  rowsOf: number[][];
  household: Array<string | undefined>;
  min: number[];
  max: number[];
  indexOf: Map<string, number>;
}

function prepare(pool: Pool, quotas: Quotas): Prepared {
  const cpool = canonicalPool(pool);
  const cq = canonicalQuotas(quotas);
  const rowIndex = new Map<string, number>();
  cq.rows.forEach((q, r) => rowIndex.set(`${q.category}\u0000${q.value}`, r));
  const rowsOf = cpool.people.map((p) =>
    cpool.categories.map((c) => {
      const r = rowIndex.get(`${c}\u0000${p.features[c]}`);
      if (r === undefined) throw new SortitionError('VALUE_OUTSIDE_QUOTAS', `person ${p.id}: ${c}=${p.features[c]} is not in the quotas`, [{ line: p.line, personId: p.id, category: c, value: p.features[c], message: 'value not in quotas' }]);
      return r;
    }),
  );
  return {
    ids: cpool.people.map((p) => p.id),
    rowsOf,
    household: cpool.people.map((p) => p.household),
    min: cq.rows.map((q) => q.min),
    max: cq.rows.map((q) => q.max),
    indexOf: new Map(cpool.people.map((p, i) => [p.id, i])),
  };
}

function indicesOf(prep: Prepared, ids: string[], what: string): number[] {
  return ids.map((id) => {
    const i = prep.indexOf.get(id);
    if (i === undefined) throw new SortitionError('BAD_RECORD', `${what}: ${id} is not in the pool`, [{ personId: id, message: 'not in the pool' }]);
    return i;
  });
}

function deviation(counts: number[], min: number[], max: number[], rows: Iterable<number>): number {
  let d = 0;
  for (const r of rows) d += Math.max(0, min[r] - counts[r]) + Math.max(0, counts[r] - max[r]);
  return d;
}

export interface AlternateCandidate {
  id: string;
  /** total quota deviation of the panel with this candidate in the seat (0 = all quotas met) */
  deviation: number;
  /** number of categories in which the candidate differs from the member they replace */
  featuresChanged: number;
}

export interface AlternatesRanking {
  /** seated member id → ranked candidates (best first) */
  perMember: Record<string, AlternateCandidate[]>;
  /** every non-seated candidate, ranked by best deviation over all seats, then number of seats they fit, then seeded order */
  global: Array<{ id: string; bestDeviation: number; seatsWithBest: number }>;
}

export function rankAlternates(pool: Pool, quotas: Quotas, panelIds: string[], options: { seed: string; limit?: number }): AlternatesRanking {
  const prep = prepare(pool, quotas);
  const limit = options.limit ?? 10;
  const panel = indicesOf(prep, panelIds, 'panel');
  const onPanel = new Set(panel);
  const counts = new Array<number>(prep.min.length).fill(0);
  for (const i of panel) for (const r of prep.rowsOf[i]) counts[r]++;
  const rng = new Rng(`alternates:${options.seed}`);
  const order = new Map(rng.shuffle([...prep.ids.keys()]).map((i, pos) => [i, pos]));
  const candidates = prep.ids.map((_, j) => j).filter((j) => !onPanel.has(j));
  const householdsOnPanel = new Map<string, number>();
  for (const i of panel) {
    const h = prep.household[i];
    if (h !== undefined) householdsOnPanel.set(h, (householdsOnPanel.get(h) ?? 0) + 1);
  }
  const perMember: Record<string, AlternateCandidate[]> = {};
  const best = new Map<number, { dev: number; seats: number }>();
  for (const i of panel) {
    const list: Array<AlternateCandidate & { j: number }> = [];
    for (const j of candidates) {
      const hj = prep.household[j];
      if (hj !== undefined) {
        const n = householdsOnPanel.get(hj) ?? 0;
        if (n - (prep.household[i] === hj ? 1 : 0) > 0) continue;
      }
      const affected = new Set([...prep.rowsOf[i], ...prep.rowsOf[j]]);
      for (const r of prep.rowsOf[i]) counts[r]--;
      for (const r of prep.rowsOf[j]) counts[r]++;
      const dev = deviation(counts, prep.min, prep.max, affected) + deviation(counts, prep.min, prep.max, unaffectedRows(prep.min.length, affected));
      for (const r of prep.rowsOf[j]) counts[r]--;
      for (const r of prep.rowsOf[i]) counts[r]++;
      let changed = 0;
      prep.rowsOf[i].forEach((r, c) => {
        if (prep.rowsOf[j][c] !== r) changed++;
      });
      list.push({ j, id: prep.ids[j], deviation: dev, featuresChanged: changed });
      const b = best.get(j);
      if (!b || dev < b.dev) best.set(j, { dev, seats: 1 });
      else if (dev === b.dev) b.seats++;
    }
    list.sort((a, b) => a.deviation - b.deviation || a.featuresChanged - b.featuresChanged || (order.get(a.j) ?? 0) - (order.get(b.j) ?? 0));
    perMember[prep.ids[i]] = list.slice(0, limit).map(({ id, deviation: d, featuresChanged }) => ({ id, deviation: d, featuresChanged }));
  }
  const global = [...best.entries()]
    .sort((a, b) => a[1].dev - b[1].dev || b[1].seats - a[1].seats || (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0))
    .map(([j, b]) => ({ id: prep.ids[j], bestDeviation: b.dev, seatsWithBest: b.seats }));
  return { perMember, global };
}

function* unaffectedRows(R: number, affected: Set<number>): Iterable<number> {
  for (let r = 0; r < R; r++) if (!affected.has(r)) yield r;
}

export interface DropoutReplacement {
  /** ids chosen to replace the dropouts */
  replacements: string[];
  /** the new panel (sorted ids) */
  panel: string[];
  /** total quota deviation of the new panel (0 = all quotas met) */
  deviation: number;
}

/**
 * Replace the dropouts with the candidates (not seated, not dropped out, no housemate among remaining members)
 * that minimise the total quota deviation of the new panel; ties broken by a seeded random order.
 */
export async function replaceDropouts(pool: Pool, quotas: Quotas, panelIds: string[], dropoutIds: string[], options: { seed: string; highs?: Highs; exclude?: string[] }): Promise<DropoutReplacement> {
  const prep = prepare(pool, quotas);
  const panel = indicesOf(prep, panelIds, 'panel');
  const dropouts = new Set(indicesOf(prep, dropoutIds, 'dropout'));
  for (const d of dropouts) if (!panel.includes(d)) throw new SortitionError('BAD_RECORD', `dropout ${prep.ids[d]} is not on the panel`, [{ personId: prep.ids[d], message: 'not on the panel' }]);
  const excluded = new Set(indicesOf(prep, options.exclude ?? [], 'excluded'));
  const staying = panel.filter((i) => !dropouts.has(i));
  const stayingHouseholds = new Set(staying.map((i) => prep.household[i]).filter((h): h is string => h !== undefined));
  const onPanel = new Set(panel);
  const candidates = prep.ids
    .map((_, j) => j)
    .filter((j) => !onPanel.has(j) && !excluded.has(j) && !(prep.household[j] !== undefined && stayingHouseholds.has(prep.household[j] as string)));
  const d = dropouts.size;
  if (candidates.length < d) throw new SortitionError('PANEL_TOO_LARGE', `only ${candidates.length} eligible candidates for ${d} empty seats`);
  const R = prep.min.length;
  const base = new Array<number>(R).fill(0);
  for (const i of staying) for (const r of prep.rowsOf[i]) base[r]++;
  const h = options.highs ?? (await loadHighs());
  const rng = new Rng(`replace:${options.seed}`);
  const tie = new Map(rng.shuffle([...candidates]).map((j, pos) => [j, pos]));
  const N = candidates.length;
  const numCols = N + 2 * R;
  const rows: Array<{ lower: number; upper: number; idx: number[]; val: number[] }> = [];
  rows.push({ lower: d, upper: d, idx: candidates.map((_, c) => c), val: candidates.map(() => 1) });
  const members: number[][] = Array.from({ length: R }, () => []);
  candidates.forEach((j, c) => prep.rowsOf[j].forEach((r) => members[r].push(c)));
  for (let r = 0; r < R; r++) {
    rows.push({ lower: prep.min[r] - base[r], upper: h.infinity, idx: [...members[r], N + r], val: [...members[r].map(() => 1), 1] });
    rows.push({ lower: -h.infinity, upper: prep.max[r] - base[r], idx: [...members[r], N + R + r], val: [...members[r].map(() => 1), -1] });
  }
  const byHousehold = new Map<string, number[]>();
  candidates.forEach((j, c) => {
    const hj = prep.household[j];
    if (hj === undefined) return;
    const l = byHousehold.get(hj) ?? [];
    l.push(c);
    byHousehold.set(hj, l);
  });
  for (const l of byHousehold.values()) if (l.length > 1) rows.push({ lower: -h.infinity, upper: 1, idx: l, val: l.map(() => 1) });
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const r of rows) {
    indices.push(...r.idx);
    values.push(...r.val);
    starts.push(indices.length);
  }
  const colCost = new Float64Array(numCols);
  const scale = 0.5 / (N * Math.max(1, d));
  candidates.forEach((j, c) => (colCost[c] = ((tie.get(j) ?? 0) + 1) * scale)); // Σ tie-break < 0.5 seat of deviation
  for (let c = N; c < numCols; c++) colCost[c] = 1;
  const colUpper = new Float64Array(numCols).fill(h.infinity);
  for (let c = 0; c < N; c++) colUpper[c] = 1;
  const integrality = new Int32Array(numCols);
  for (let c = 0; c < N; c++) integrality[c] = h.constants.variableType.integer;
  const model = h.createModel({
    numCols,
    numRows: rows.length,
    sense: h.constants.objectiveSense.minimize,
    colCost,
    colLower: new Float64Array(numCols),
    colUpper,
    rowLower: rows.map((r) => r.lower),
    rowUpper: rows.map((r) => r.upper),
    matrix: { format: 'csr', numRows: rows.length, numCols, starts, indices, values },
    integrality,
  });
  try {
    model.options.set({ output_flag: false, random_seed: 0, mip_rel_gap: 0, mip_abs_gap: 1e-9 });
    const result = model.run();
    if (result.modelStatus !== 7) throw new SortitionError('INFEASIBLE', `no replacement set found (solver status ${result.modelStatus})`);
    const x = model.getSolution().colValue;
    const chosen = candidates.filter((_, c) => x[c] > 0.5);
    const newPanel = [...staying, ...chosen];
    const counts = new Array<number>(R).fill(0);
    for (const i of newPanel) for (const r of prep.rowsOf[i]) counts[r]++;
    const dev = deviation(counts, prep.min, prep.max, unaffectedRows(R, new Set()));
    return { replacements: chosen.map((j) => prep.ids[j]).sort(compareStrings), panel: newPanel.map((i) => prep.ids[i]).sort(compareStrings), deviation: dev };
  } finally {
    model.dispose();
  }
}
