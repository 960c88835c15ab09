/** Swap local search used as a cheap pricing heuristic by the column generation (leximin.ts). */
import type { GroupPanel, PanelSpace } from './solver.js';

/**
 * Cheap pricing heuristic: from a start panel, make the best single-seat swap (one seat moves from group g to
 * group h) that keeps every quota and one-per-household and raises Σ w_g·c_g, until none does. A panel it finds
 * with dual value above ŷ + ε is a valid new column; the exact MILP still decides when a level has converged.
 */
export class SwapSearch {
  private readonly G: number;
  private readonly R: number;
  private readonly min: number[];
  private readonly max: number[];
  private readonly sizes: number[];
  private readonly rows: number[][];
  private readonly householdOf: Int32Array;
  private readonly H: number;
  private readonly rowSet: Set<number>[];

  constructor(space: PanelSpace) {
    this.G = space.grouped.groups.length;
    this.R = space.quotas.rows.length;
    this.min = space.quotas.rows.map((q) => q.min);
    this.max = space.quotas.rows.map((q) => q.max);
    this.sizes = space.grouped.groups.map((g) => g.length);
    this.rows = space.grouped.groupRows;
    this.householdOf = new Int32Array(this.G).fill(-1);
    space.grouped.householdGroups.forEach((hh, i) => hh.forEach((g) => (this.householdOf[g] = i)));
    this.H = space.grouped.householdGroups.length;
    this.rowSet = this.rows.map((rs) => new Set(rs));
  }

  improve(start: GroupPanel, w: ArrayLike<number>, maxMoves = 400): { panel: GroupPanel; value: number } {
    const c = new Int32Array(this.G);
    for (const [g, n] of start) c[g] = n;
    const count = new Int32Array(this.R);
    const hh = new Int32Array(this.H);
    for (let g = 0; g < this.G; g++) {
      if (c[g] === 0) continue;
      for (const r of this.rows[g]) count[r] += c[g];
      if (this.householdOf[g] >= 0) hh[this.householdOf[g]] += c[g];
    }
    // candidates to move a seat to, best weight first: for each seat's group g the first feasible h in this order
    // is g's best swap, so the scan stops early (O(seats · few) per move instead of O(G²))
    const order = Array.from({ length: this.G }, (_, g) => g).sort((a, b) => w[b] - w[a]);
    const seated: number[] = [];
    for (let move = 0; move < maxMoves; move++) {
      let bestGain = 1e-12;
      let bestOut = -1;
      let bestIn = -1;
      seated.length = 0;
      for (let g = 0; g < this.G; g++) if (c[g] > 0) seated.push(g);
      for (const g of seated) {
        const rowsG = this.rowSet[g];
        for (const h of order) {
          const gain = w[h] - w[g];
          if (gain <= bestGain) break;
          if (h === g || c[h] >= this.sizes[h]) continue;
          let ok = true;
          for (const r of this.rows[h]) if (!rowsG.has(r) && count[r] + 1 > this.max[r]) ok = false;
          if (ok) for (const r of this.rows[g]) if (!this.rowSet[h].has(r) && count[r] - 1 < this.min[r]) ok = false;
          const hH = this.householdOf[h];
          if (ok && hH >= 0 && hh[hH] - (this.householdOf[g] === hH ? 1 : 0) + 1 > 1) ok = false;
          if (!ok) continue;
          bestGain = gain;
          bestOut = g;
          bestIn = h;
          break;
        }
      }
      if (bestOut < 0) break;
      c[bestOut]--;
      c[bestIn]++;
      for (const r of this.rows[bestOut]) count[r]--;
      for (const r of this.rows[bestIn]) count[r]++;
      if (this.householdOf[bestOut] >= 0) hh[this.householdOf[bestOut]]--;
      if (this.householdOf[bestIn] >= 0) hh[this.householdOf[bestIn]]++;
    }
    const panel: GroupPanel = [];
    let value = 0;
    for (let g = 0; g < this.G; g++) if (c[g] > 0) {
      panel.push([g, c[g]]);
      value += w[g] * c[g];
    }
    return { panel, value };
  }
}
