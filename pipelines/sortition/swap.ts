/**
 * Cheap column sources for the LEXIMIN column generation (leximin.ts): a capped swap local search and the
 * single-swap neighbourhood of a panel. Neither proves anything; the exact pricing MILP decides when a level has
 * converged. A panel they return with dual value above ŷ + ε is a valid new column.
 */
import type { GroupPanel, PanelSpace } from './solver.js';

/** Mutable seat counts of one panel with its quota-row counts and household occupancy. */
interface PanelState {
  c: Int32Array;
  count: Int32Array;
  hh: Int32Array;
}

export class SwapSearch {
  private readonly G: number;
  private readonly R: number;
  private readonly min: number[];
  private readonly max: number[];
  private readonly sizes: number[];
  private readonly rows: number[][];
  private readonly householdOf: Int32Array;
  private readonly H: number;
  /** rows[g][i]: the quota row of group g in category i (one per category, same order for every group) */
  private readonly aligned: boolean;
  /** swaps examined so far (diagnostics) */
  examined = 0;

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
    const F = this.rows[0]?.length ?? 0;
    this.aligned = this.rows.every((rs) => rs.length === F);
  }

  private load(panel: GroupPanel): PanelState {
    const c = new Int32Array(this.G);
    const count = new Int32Array(this.R);
    const hh = new Int32Array(this.H);
    for (const [g, n] of panel) {
      c[g] = n;
      for (const r of this.rows[g]) count[r] += n;
      if (this.householdOf[g] >= 0) hh[this.householdOf[g]] += n;
    }
    return { c, count, hh };
  }

  /** Can one seat move from group g to group h, keeping every quota and one-per-household? */
  private canSwap(s: PanelState, g: number, h: number): boolean {
    this.examined++;
    if (h === g || s.c[h] >= this.sizes[h]) return false;
    const rowsG = this.rows[g];
    const rowsH = this.rows[h];
    if (this.aligned) {
      // one row per category: only the categories where g and h differ change counts
      for (let i = 0; i < rowsG.length; i++) {
        const rg = rowsG[i];
        const rh = rowsH[i];
        if (rg !== rh && (s.count[rh] + 1 > this.max[rh] || s.count[rg] - 1 < this.min[rg])) return false;
      }
    } else {
      for (const r of rowsH) if (!rowsG.includes(r) && s.count[r] + 1 > this.max[r]) return false;
      for (const r of rowsG) if (!rowsH.includes(r) && s.count[r] - 1 < this.min[r]) return false;
    }
    const hH = this.householdOf[h];
    return !(hH >= 0 && s.hh[hH] - (this.householdOf[g] === hH ? 1 : 0) + 1 > 1);
  }

  private apply(s: PanelState, g: number, h: number): void {
    s.c[g]--;
    s.c[h]++;
    for (const r of this.rows[g]) s.count[r]--;
    for (const r of this.rows[h]) s.count[r]++;
    if (this.householdOf[g] >= 0) s.hh[this.householdOf[g]]--;
    if (this.householdOf[h] >= 0) s.hh[this.householdOf[h]]++;
  }

  private toPanel(c: Int32Array, w: ArrayLike<number>): { panel: GroupPanel; value: number } {
    const panel: GroupPanel = [];
    let value = 0;
    for (let g = 0; g < this.G; g++) if (c[g] > 0) {
      panel.push([g, c[g]]);
      value += w[g] * c[g];
    }
    return { panel, value };
  }

  /** Groups by weight, heaviest first, keeping only the `limit` heaviest (the rest cannot win a swap cheaply). */
  private order(w: ArrayLike<number>, limit: number): number[] {
    const all = Array.from({ length: this.G }, (_, g) => g).sort((a, b) => w[b] - w[a]);
    return all.length > limit ? all.slice(0, limit) : all;
  }

  /**
   * From a start panel, repeat the best single-seat swap (g → h) that keeps every quota and one-per-household and
   * raises Σ w_g·c_g, at most `maxMoves` times. Candidates to receive a seat are the `candidates` heaviest groups,
   * scanned heaviest first, so each seated group's scan stops at its first feasible swap.
   */
  improve(start: GroupPanel, w: ArrayLike<number>, maxMoves = 60, candidates = 200): { panel: GroupPanel; value: number } {
    const s = this.load(start);
    const order = this.order(w, candidates);
    const seated: number[] = [];
    for (let move = 0; move < maxMoves; move++) {
      let bestGain = 1e-12;
      let bestOut = -1;
      let bestIn = -1;
      seated.length = 0;
      for (let g = 0; g < this.G; g++) if (s.c[g] > 0) seated.push(g);
      for (const g of seated) {
        for (const h of order) {
          const gain = w[h] - w[g];
          if (gain <= bestGain) break;
          if (!this.canSwap(s, g, h)) continue;
          bestGain = gain;
          bestOut = g;
          bestIn = h;
          break;
        }
      }
      if (bestOut < 0) break;
      this.apply(s, bestOut, bestIn);
    }
    return this.toPanel(s.c, w);
  }

  /**
   * The best `limit` panels one feasible seat swap away from `panel` whose value under w exceeds `threshold`
   * (each a distinct panel, best first). Cheap (|panel| × G checks at most) and diverse: each moves a seat to a
   * different group, which is what the master LP needs to lift many groups tied at the minimum.
   */
  neighbours(panel: GroupPanel, w: ArrayLike<number>, threshold: number, limit: number): GroupPanel[] {
    if (limit <= 0) return [];
    const s = this.load(panel);
    let base = 0;
    for (const [g, n] of panel) base += w[g] * n;
    const order = this.order(w, this.G);
    const found: Array<{ g: number; h: number; v: number }> = [];
    for (const [g] of panel) {
      for (const h of order) {
        const v = base - w[g] + w[h];
        if (v <= threshold) break;
        if (this.canSwap(s, g, h)) found.push({ g, h, v });
      }
    }
    found.sort((a, b) => b.v - a.v);
    const out: GroupPanel[] = [];
    const seen = new Set<string>();
    for (const { g, h } of found) {
      if (out.length >= limit) break;
      const key = `${g}>${h}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.apply(s, g, h);
      out.push(this.toPanel(s.c, w).panel);
      this.apply(s, h, g);
    }
    return out;
  }
}
