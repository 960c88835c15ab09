/**
 * The public, reproducible lottery.
 *
 * 1. Round the distribution to m equally likely tickets (default m = 1000). Each panel j of probability w_j gets
 *    ⌊m·w_j⌋ or ⌈m·w_j⌉ tickets, Σ = m: first by systematic rounding (cumulative fractional parts, offset ½, in
 *    the distribution's canonical order), then improved by a small MILP choosing which panels round up so as to
 *    minimise the largest deviation of any group's ticket share from its probability (the question studied in
 *    Flanigan, Kehne & Procaccia, "Fair sortition made transparent", Science Advances 2021). The MILP runs with
 *    a node limit, not a time limit, so it is deterministic; the systematic rounding is its starting point.
 * 2. Turn each ticket into people: for every group, its members in an order from the seeded PRNG (seeded with the
 *    input hash), seats handed out cyclically along that order ticket after ticket. Every member of a group is on
 *    ⌊s/n_g⌋ or ⌈s/n_g⌉ tickets (s = the group's seats over all tickets), so each person's share of tickets is
 *    within (group rounding error + 1/m) of their probability.
 * 3. Publish the lottery's sha256 before the draw. Draw: index = sha256(public seed) mod m (see indexFromSeed).
 *    The record carries the pool and quotas hashes, the algorithm version and parameters, so anyone can re-run
 *    everything (verifyDraw) and get the same panel.
 */
import type { Highs } from 'highs';
import { canonicalPool, canonicalQuotas, compareStrings, poolSha256, quotasSha256 } from './pool.js';
import { indexFromSeed, normaliseSeed, Rng, sha256Hex } from './random.js';
import { countQuotaViolations, selectPanel, selectionParams, type SelectionParams, type SelectOptions } from './select.js';
import { loadHighs, solverName } from './solver.js';
import { SORTITION_VERSION, SortitionError, type Algorithm, type Pool, type Quotas, type SelectionResult } from './types.js';

export interface Lottery {
  format: 'plenary-lottery/1';
  version: string;
  algorithm: Algorithm;
  params: SelectionParams;
  panelSize: number;
  poolSha256: string;
  quotasSha256: string;
  m: number;
  /** m tickets, each a panel of person ids (sorted) */
  tickets: string[][];
  /** sha256 of the canonical JSON of everything above: publish before the draw */
  sha256: string;
  /** largest |share of tickets − selection probability| over all people */
  maxDeviation: number;
  solver: string;
}

export interface DrawRecord {
  format: 'plenary-draw/1';
  version: string;
  algorithm: Algorithm;
  params: SelectionParams;
  panelSize: number;
  poolSha256: string;
  quotasSha256: string;
  m: number;
  lotterySha256: string;
  /** the public seed as the organiser entered it (e.g. the national lottery numbers of a given date) */
  seedSource: string;
  /** sha256 of the normalised seed */
  seedSha256: string;
  /** winning ticket: sha256(seed) as an integer mod m */
  ticket: number;
  /** the panel: person ids, sorted */
  panel: string[];
  solver: string;
}

/** Round weights to integer counts summing to m (systematic rounding, offset ½). */
export function systematicRounding(weights: number[], m: number): number[] {
  const floors = weights.map((w) => Math.floor(w * m + 1e-9));
  const fracs = weights.map((w, j) => Math.max(0, w * m - floors[j]));
  const extra = m - floors.reduce((s, f) => s + f, 0);
  const counts = floors.slice();
  let cum = 0;
  let prev = Math.floor(0.5);
  // scale fractions so they sum exactly to `extra` (guards float drift)
  const fracSum = fracs.reduce((s, f) => s + f, 0);
  const scale = fracSum > 0 ? extra / fracSum : 0;
  for (let j = 0; j < weights.length; j++) {
    cum += fracs[j] * scale;
    const next = Math.floor(cum + 0.5 + 1e-9);
    counts[j] += Math.min(1, Math.max(0, next - prev));
    prev = next;
  }
  // final guard: fix any off-by-one from floating point
  let diff = m - counts.reduce((s, c) => s + c, 0);
  for (let j = 0; diff !== 0 && j < counts.length; j++) {
    if (diff > 0 && counts[j] === floors[j] && fracs[j] > 0) {
      counts[j]++;
      diff--;
    } else if (diff < 0 && counts[j] > floors[j]) {
      counts[j]--;
      diff++;
    }
  }
  return counts;
}

/**
 * Improve a rounding by local search: move one ticket from a panel rounded up to a panel rounded down whenever
 * that lowers the sum of squared group deviations (ticket share − probability); deterministic scan order, stops
 * when no move helps (or after `maxPasses`). Skipped when there are too many fractional panels.
 */
export function improveRounding(panels: Array<Array<[number, number]>>, sizes: number[], weights: number[], m: number, start: number[], maxPasses = 50): number[] {
  const floors = weights.map((w) => Math.floor(w * m + 1e-9));
  const fractional: number[] = [];
  weights.forEach((w, j) => {
    if (w * m - floors[j] > 1e-9) fractional.push(j);
  });
  if (fractional.length < 2 || fractional.length > 3000) return start;
  const counts = start.slice();
  const dev = new Float64Array(sizes.length); // (tickets·seats − m·w·seats)/(n_g·m) per group
  panels.forEach((panel, j) => {
    for (const [g, c] of panel) dev[g] += ((counts[j] - weights[j] * m) * c) / (sizes[g] * m);
  });
  const delta = new Map<number, number>();
  for (let pass = 0; pass < maxPasses; pass++) {
    let improved = false;
    for (const a of fractional) {
      if (counts[a] !== floors[a] + 1) continue;
      for (const b of fractional) {
        if (counts[b] !== floors[b] || a === b) continue;
        delta.clear();
        for (const [g, c] of panels[a]) delta.set(g, (delta.get(g) ?? 0) - c / (sizes[g] * m));
        for (const [g, c] of panels[b]) delta.set(g, (delta.get(g) ?? 0) + c / (sizes[g] * m));
        let change = 0;
        for (const [g, d] of delta) change += (dev[g] + d) ** 2 - dev[g] ** 2;
        if (change < -1e-15) {
          for (const [g, d] of delta) dev[g] += d;
          counts[a]--;
          counts[b]++;
          improved = true;
          break;
        }
      }
    }
    if (!improved) break;
  }
  return counts;
}

function canonicalOrder(result: SelectionResult): number[] {
  const keys = result.distribution.panels.map((panel) => panel.map(([g, c]) => `${result.distribution.groups[g][0]}:${c}`).join(','));
  return keys.map((_, j) => j).sort((a, b) => compareStrings(keys[a], keys[b]));
}

/**
 * Build the m-ticket lottery from a selection result (LEXIMIN, maximin or LEGACY). Deterministic: the same pool,
 * quotas, parameters and version give the same lottery and hash.
 */
export async function buildLottery(pool: Pool, quotas: Quotas, result: SelectionResult, options: { m?: number; highs?: Highs } = {}): Promise<Lottery> {
  const m = options.m ?? 1000;
  if (!Number.isInteger(m) || m < 1) throw new SortitionError('BAD_RECORD', `lottery size m must be a positive integer, got ${m}`);
  const h = options.highs ?? (await loadHighs());
  const dist = result.distribution;
  const order = canonicalOrder(result);
  const panels = order.map((j) => dist.panels[j]);
  const weights = order.map((j) => dist.weights[j]);
  const sizes = dist.groups.map((g) => g.length);
  const systematic = systematicRounding(weights, m);
  const counts = improveRounding(panels, sizes, weights, m, systematic);

  const poolHash = poolSha256(pool);
  const quotasHash = quotasSha256(quotas);
  // expansion: members of each group in a seeded order, seats handed out cyclically
  const orders = dist.groups.map((members, g) => new Rng(`lottery:${poolHash}:${quotasHash}:${result.panelSize}:group:${g}`).shuffle([...members].sort(compareStrings)));
  const cursor = new Array<number>(dist.groups.length).fill(0);
  const tickets: string[][] = [];
  panels.forEach((panel, j) => {
    for (let t = 0; t < counts[j]; t++) {
      const ids: string[] = [];
      for (const [g, c] of panel) {
        const list = orders[g];
        for (let s = 0; s < c; s++) {
          ids.push(list[cursor[g] % list.length]);
          cursor[g]++;
        }
      }
      tickets.push(ids.sort(compareStrings));
    }
  });
  const share = new Map<string, number>();
  for (const t of tickets) for (const id of t) share.set(id, (share.get(id) ?? 0) + 1 / m);
  let maxDeviation = 0;
  for (const [id, p] of Object.entries(result.probabilities)) maxDeviation = Math.max(maxDeviation, Math.abs((share.get(id) ?? 0) - p));

  const params = result.provenance.params as unknown as SelectionParams;
  const body = {
    format: 'plenary-lottery/1' as const,
    version: SORTITION_VERSION,
    algorithm: result.algorithm,
    params,
    panelSize: result.panelSize,
    poolSha256: poolHash,
    quotasSha256: quotasHash,
    m,
    tickets,
  };
  return { ...body, sha256: sha256Hex(JSON.stringify(body)), maxDeviation, solver: solverName(h) };
}

/** Draw the winning ticket with a public seed (e.g. lottery numbers typed by the organiser). */
export function drawFromLottery(lottery: Lottery, seedSource: string): DrawRecord {
  if (normaliseSeed(seedSource) === '') throw new SortitionError('BAD_RECORD', 'the public seed is empty');
  const { seedSha256, index } = indexFromSeed(seedSource, lottery.m);
  return {
    format: 'plenary-draw/1',
    version: lottery.version,
    algorithm: lottery.algorithm,
    params: lottery.params,
    panelSize: lottery.panelSize,
    poolSha256: lottery.poolSha256,
    quotasSha256: lottery.quotasSha256,
    m: lottery.m,
    lotterySha256: lottery.sha256,
    seedSource,
    seedSha256,
    ticket: index,
    panel: lottery.tickets[index],
    solver: lottery.solver,
  };
}

/** Everything in one call: select, build the lottery, draw. */
export async function runDraw(pool: Pool, quotas: Quotas, panelSize: number, seedSource: string, options: SelectOptions & { m?: number } = {}): Promise<{ result: SelectionResult; lottery: Lottery; record: DrawRecord }> {
  const result = await selectPanel(pool, quotas, panelSize, options);
  const lottery = await buildLottery(pool, quotas, result, { m: options.m, highs: options.highs });
  return { result, lottery, record: drawFromLottery(lottery, seedSource) };
}

export interface VerifyCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  checks: VerifyCheck[];
  /** the panel the re-run produced */
  panel: string[] | null;
}

/**
 * Re-run a draw from its record and the published pool and quotas: hashes, seed → ticket, the whole selection and
 * lottery, and the quotas on the resulting panel. ok only when every check passes.
 */
export async function verifyDraw(record: DrawRecord, pool: Pool, quotas: Quotas, options: { highs?: Highs } = {}): Promise<VerifyResult> {
  const checks: VerifyCheck[] = [];
  const add = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail });
  if (record.format !== 'plenary-draw/1') throw new SortitionError('BAD_RECORD', `unknown record format ${String(record.format)}`);
  add('version', record.version === SORTITION_VERSION, record.version === SORTITION_VERSION ? record.version : `record made with ${record.version}, this is ${SORTITION_VERSION}: re-run with that version`);
  const ph = poolSha256(pool);
  add('pool', ph === record.poolSha256, ph === record.poolSha256 ? `pool sha256 ${ph}` : `pool sha256 is ${ph}, record says ${record.poolSha256}`);
  const qh = quotasSha256(quotas);
  add('quotas', qh === record.quotasSha256, qh === record.quotasSha256 ? `quotas sha256 ${qh}` : `quotas sha256 is ${qh}, record says ${record.quotasSha256}`);
  const { seedSha256, index } = indexFromSeed(record.seedSource, record.m);
  add('seed', seedSha256 === record.seedSha256 && index === record.ticket, `sha256(seed) = ${seedSha256} → ticket ${index} of ${record.m}`);
  let panel: string[] | null = null;
  try {
    const h = options.highs ?? (await loadHighs());
    const params = selectionParams(record.params);
    const result = await selectPanel(pool, quotas, record.panelSize, { ...params, highs: h });
    const lottery = await buildLottery(pool, quotas, result, { m: record.m, highs: h });
    add('lottery', lottery.sha256 === record.lotterySha256, lottery.sha256 === record.lotterySha256 ? `lottery sha256 ${lottery.sha256}` : `re-run lottery sha256 is ${lottery.sha256}, record says ${record.lotterySha256}`);
    panel = lottery.tickets[index];
    const same = panel.length === record.panel.length && panel.every((id, i) => id === record.panel[i]);
    add('panel', same, same ? `same ${panel.length} members` : `re-run gives a different panel`);
  } catch (e) {
    add('rerun', false, `re-run failed: ${(e as Error).message}`);
  }
  // the recorded panel itself against the quotas
  const cpool = canonicalPool(pool);
  const index2 = new Map(cpool.people.map((p, i) => [p.id, i]));
  const members = record.panel.map((id) => index2.get(id));
  if (members.some((i) => i === undefined)) add('members', false, 'the recorded panel names people who are not in the pool');
  else {
    const dist = { groups: record.panel.map((id) => [id]), panels: [record.panel.map((_, g) => [g, 1] as [number, number])], weights: [1] };
    const violations = countQuotaViolations(cpool, canonicalQuotas(quotas), dist, record.panelSize);
    add('quotas-met', violations === 0, violations === 0 ? 'the recorded panel meets every quota and one-per-household' : 'the recorded panel breaks a quota, the panel size or one-per-household');
  }
  return { ok: checks.every((c) => c.ok), checks, panel };
}
