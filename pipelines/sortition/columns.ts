/** Column pool shared by the LEXIMIN levels and the warm-up, and the cheap ways of filling it (leximin.ts). */
import type { GroupPanel } from './solver.js';
import type { SwapSearch } from './swap.js';

/** Each LEXIMIN level stops when its proven gap (upper bound − achieved value, absolute, in probability) is at most this. */
export const DEFAULT_GAP_TOLERANCE = 1e-6;

/** The panels found so far; addPanel returns false for a panel already known. */
export interface LevelState {
  panels: GroupPanel[];
  addPanel: (panel: GroupPanel) => boolean;
  hasPanel: (panel: GroupPanel) => boolean;
}

/** Swap search from the few best known panels under w; adds every distinct panel beating the threshold. */
export function tryHeuristic(swap: SwapSearch, state: LevelState, search: Float64Array, w: Float64Array, threshold: number, neighbourLimit: number, starts = 3): number {
  const value = (p: GroupPanel, weights: Float64Array) => {
    let v = 0;
    for (const [g, c] of p) v += weights[g] * c;
    return v;
  };
  const scored = state.panels.map((p) => ({ p, v: value(p, search) }));
  scored.sort((a, b) => b.v - a.v);
  let added = 0;
  for (const weights of search === w ? [w] : [search, w]) {
    for (const { p } of scored.slice(0, starts)) {
      const found = swap.improve(p, weights);
      if (value(found.panel, w) > threshold && state.addPanel(found.panel)) added += 1 + addNeighbours(swap, state, found.panel, w, threshold, neighbourLimit);
    }
  }
  return added;
}

/** Adds the improving single-swap neighbours of a new column (under the exact duals w); returns how many. */
export function addNeighbours(swap: SwapSearch, state: LevelState, panel: GroupPanel, w: Float64Array, threshold: number, limit: number): number {
  let added = 0;
  for (const p of swap.neighbours(panel, w, threshold, limit)) if (state.addPanel(p)) added++;
  return added;
}

/** The known panel with the largest value under w (a warm start for the pricing MILP). */
export function bestKnown(panels: GroupPanel[], w: Float64Array): GroupPanel | undefined {
  let best: GroupPanel | undefined;
  let bestV = Number.NEGATIVE_INFINITY;
  for (const p of panels) {
    let v = 0;
    for (const [g, c] of p) v += w[g] * c;
    if (v > bestV) {
      bestV = v;
      best = p;
    }
  }
  return best;
}
