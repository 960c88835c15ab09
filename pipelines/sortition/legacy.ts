/**
 * LEGACY: the greedy selection the Sortition Foundation used before LEXIMIN (as described by Flanigan et al. 2021,
 * Methods), the baseline every report compares with. One run:
 *
 *   remove everyone with a value whose max is 0;
 *   k times: among quota values still short of their minimum, take the one with the highest ratio
 *     (min − selected) / (remaining candidates with that value) (ties broken at random); pick a uniformly random
 *     remaining candidate with that value (when every minimum is met: a uniformly random remaining candidate);
 *     seat them, remove their housemates, and remove every remaining candidate of a value that reached its max.
 *   A run fails when a minimum can no longer be met (ratio > 1) or nobody remains; failed runs are retried,
 *   as the Foundation's tool does.
 *
 * Selection probabilities are estimated by Monte-Carlo with the seeded PRNG.
 */
import { Rng } from './random.js';
import type { Pool, Quotas } from './types.js';

export interface LegacyPlan {
  n: number;
  k: number;
  C: number;
  R: number;
  /** rowOf[i*C + c]: quota row of person i in category c */
  rowOf: Int32Array;
  min: Int32Array;
  max: Int32Array;
  rowMembers: Int32Array[];
  /** housemates (people sharing a household), or empty */
  housemates: Int32Array[];
}

export function legacyPlan(pool: Pool, quotas: Quotas, panelSize: number): LegacyPlan {
  const n = pool.people.length;
  const C = pool.categories.length;
  const R = quotas.rows.length;
  const rowIndex = new Map<string, number>();
  quotas.rows.forEach((q, r) => rowIndex.set(`${q.category}\u0000${q.value}`, r));
  const rowOf = new Int32Array(n * C);
  const members: number[][] = quotas.rows.map(() => []);
  pool.people.forEach((p, i) => {
    pool.categories.forEach((c, ci) => {
      const r = rowIndex.get(`${c}\u0000${p.features[c]}`);
      if (r === undefined) throw new Error(`person ${p.id}: ${c}=${p.features[c]} not in quotas`);
      rowOf[i * C + ci] = r;
      members[r].push(i);
    });
  });
  const byHousehold = new Map<string, number[]>();
  pool.people.forEach((p, i) => {
    if (p.household === undefined) return;
    const list = byHousehold.get(p.household) ?? [];
    list.push(i);
    byHousehold.set(p.household, list);
  });
  const housemates: Int32Array[] = pool.people.map(() => new Int32Array(0));
  for (const list of byHousehold.values()) {
    if (list.length < 2) continue;
    for (const i of list) housemates[i] = Int32Array.from(list.filter((j) => j !== i));
  }
  return {
    n,
    k: panelSize,
    C,
    R,
    rowOf,
    min: Int32Array.from(quotas.rows.map((q) => q.min)),
    max: Int32Array.from(quotas.rows.map((q) => q.max)),
    rowMembers: members.map((m) => Int32Array.from(m)),
    housemates,
  };
}

/** Reusable buffers for many runs. */
class LegacyState {
  readonly selected: Int32Array;
  readonly rowList: Int32Array[];
  readonly rowLen: Int32Array;
  /** position of person i within row list of its c-th category */
  readonly pos: Int32Array;
  readonly all: Int32Array;
  readonly allPos: Int32Array;
  allLen = 0;
  readonly removed: Uint8Array;
  readonly panel: Int32Array;

  constructor(private readonly plan: LegacyPlan) {
    this.selected = new Int32Array(plan.R);
    this.rowList = plan.rowMembers.map((m) => new Int32Array(m.length));
    this.rowLen = new Int32Array(plan.R);
    this.pos = new Int32Array(plan.n * plan.C);
    this.all = new Int32Array(plan.n);
    this.allPos = new Int32Array(plan.n);
    this.removed = new Uint8Array(plan.n);
    this.panel = new Int32Array(plan.k);
  }

  private initialPos: Int32Array | null = null;

  reset(): void {
    const { plan } = this;
    this.selected.fill(0);
    this.removed.fill(0);
    for (let r = 0; r < plan.R; r++) {
      this.rowList[r].set(plan.rowMembers[r]);
      this.rowLen[r] = plan.rowMembers[r].length;
    }
    if (this.initialPos === null) {
      const pos = new Int32Array(plan.n * plan.C);
      for (let r = 0; r < plan.R; r++) {
        const list = plan.rowMembers[r];
        for (let j = 0; j < list.length; j++) {
          const i = list[j];
          for (let c = 0; c < plan.C; c++) if (plan.rowOf[i * plan.C + c] === r) pos[i * plan.C + c] = j;
        }
      }
      this.initialPos = pos;
    }
    this.pos.set(this.initialPos);
    for (let i = 0; i < plan.n; i++) {
      this.all[i] = i;
      this.allPos[i] = i;
    }
    this.allLen = plan.n;
  }

  remove(i: number): void {
    if (this.removed[i]) return;
    this.removed[i] = 1;
    const { plan } = this;
    for (let c = 0; c < plan.C; c++) {
      const r = plan.rowOf[i * plan.C + c];
      const list = this.rowList[r];
      const p = this.pos[i * plan.C + c];
      const last = --this.rowLen[r];
      const moved = list[last];
      list[p] = moved;
      // quota rows belong to one category, so the moved person holds row r in the same slot c
      this.pos[moved * plan.C + c] = p;
    }
    const p = this.allPos[i];
    const last = --this.allLen;
    const moved = this.all[last];
    this.all[p] = moved;
    this.allPos[moved] = p;
  }
}

/** One LEGACY run; returns the panel (sorted indices) or null when the run fails. */
function legacyOnce(plan: LegacyPlan, state: LegacyState, rng: Rng): Int32Array | null {
  state.reset();
  const { C, R, k, min, max } = plan;
  for (let r = 0; r < R; r++) if (max[r] === 0) while (state.rowLen[r] > 0) state.remove(state.rowList[r][0]);
  for (let step = 0; step < k; step++) {
    // most urgent value
    let bestRow = -1;
    let bestNeed = 0;
    let bestLeft = 1;
    let ties = 0;
    for (let r = 0; r < R; r++) {
      const need = min[r] - state.selected[r];
      if (need <= 0) continue;
      const left = state.rowLen[r];
      if (left < need) return null; // ratio > 1: the minimum can no longer be met
      // compare need/left with bestNeed/bestLeft
      const cmp = bestRow < 0 ? 1 : need * bestLeft - bestNeed * left;
      if (cmp > 0) {
        bestRow = r;
        bestNeed = need;
        bestLeft = left;
        ties = 1;
      } else if (cmp === 0) {
        ties++;
        if (rng.int(ties) === 0) bestRow = r; // reservoir choice among equal ratios
      }
    }
    let person: number;
    if (bestRow >= 0) {
      person = state.rowList[bestRow][rng.int(state.rowLen[bestRow])];
    } else {
      if (state.allLen === 0) return null;
      person = state.all[rng.int(state.allLen)];
    }
    state.panel[step] = person;
    state.remove(person);
    for (const j of plan.housemates[person]) state.remove(j);
    for (let c = 0; c < C; c++) {
      const r = plan.rowOf[person * C + c];
      state.selected[r]++;
      if (state.selected[r] >= max[r]) while (state.rowLen[r] > 0) state.remove(state.rowList[r][0]);
    }
  }
  for (let r = 0; r < R; r++) if (state.selected[r] < min[r] || state.selected[r] > max[r]) return null;
  return state.panel.slice().sort();
}

export interface LegacyEstimate {
  /** selection frequency per person (canonical pool order) */
  probabilities: number[];
  /** times each person was selected */
  counts: number[];
  /** successful runs */
  runs: number;
  /** failed runs (retried) */
  failures: number;
  /** distinct panels and how often each was drawn */
  panels: Array<{ panel: number[]; count: number }>;
}

/**
 * Monte-Carlo estimate of LEGACY's selection probabilities: `runs` successful runs from the seeded PRNG
 * (failed runs are retried, up to `maxFailures`). Throws when every attempt fails.
 */
export function legacyMonteCarlo(pool: Pool, quotas: Quotas, panelSize: number, options: { runs: number; seed: string; maxFailures?: number; keepPanels?: boolean }): LegacyEstimate {
  const plan = legacyPlan(pool, quotas, panelSize);
  const state = new LegacyState(plan);
  const rng = new Rng(`legacy:${options.seed}`);
  const counts = new Array<number>(plan.n).fill(0);
  const maxFailures = options.maxFailures ?? Math.max(1000, options.runs * 20);
  const panelCounts = new Map<string, { panel: number[]; count: number }>();
  let runs = 0;
  let failures = 0;
  while (runs < options.runs) {
    const panel = legacyOnce(plan, state, rng);
    if (panel === null) {
      failures++;
      if (failures > maxFailures) {
        if (runs === 0) throw new Error(`LEGACY failed ${failures} times without finding a panel`);
        break;
      }
      continue;
    }
    runs++;
    for (const i of panel) counts[i]++;
    if (options.keepPanels !== false) {
      const key = panel.join(',');
      const hit = panelCounts.get(key);
      if (hit) hit.count++;
      else panelCounts.set(key, { panel: Array.from(panel), count: 1 });
    }
  }
  return { probabilities: counts.map((c) => c / runs), counts, runs, failures, panels: [...panelCounts.values()] };
}

/** One LEGACY panel (canonical indices) from a seed, or null when `attempts` runs all fail. */
export function legacyPanel(pool: Pool, quotas: Quotas, panelSize: number, seed: string, attempts = 10_000): number[] | null {
  const plan = legacyPlan(pool, quotas, panelSize);
  const state = new LegacyState(plan);
  const rng = new Rng(`legacy:${seed}`);
  for (let a = 0; a < attempts; a++) {
    const panel = legacyOnce(plan, state, rng);
    if (panel !== null) return Array.from(panel);
  }
  return null;
}
