/**
 * Small pools: after the greedy pass over rounds, each round is searched again knowing ALL the other rounds (the
 * greedy pass only knew the earlier ones), and then polished for the largest deviation (the figure people read)
 * rather than the sum of squares the main search uses. A change is kept only when it makes the round
 * lexicographically better on (repeated meetings, largest deviation, search cost), so the result never gets worse.
 * Effort is counted in sweeps, never in seconds, so a seed gives the same allocation on any machine.
 */
import type { Rng } from '../sortition/random.js';
import { descend, kick, restore, type RoundProblem, type State } from './search.js';

/** soft maximum of the groups' largest deviations: lowering the worst group matters far more than the others */
const POWER = 8;
const soft = (d: number) => d ** POWER;

function roundMaxDev(s: State): number {
  let m = 0;
  for (let g = 0; g < s.G; g++) m = Math.max(m, s.groupMaxDev(g));
  return m;
}

/** Swaps that never add a repeated meeting and lower Σ_groups (largest deviation)^8, until none is left. */
export function polishMax(s: State, rng: Rng, maxPasses: number): void {
  const { n, F, T, vals } = s.P;
  const gmax = Array.from({ length: s.G }, (_, g) => s.groupMaxDev(g));
  const order = Array.from({ length: n }, (_, i) => i);
  const apply = (a: number, b: number, sign: 1 | -1) => {
    const A = s.groupOf[a];
    const B = s.groupOf[b];
    for (let f = 0; f < F; f++) {
      const va = vals[a * F + f];
      const vb = vals[b * F + f];
      s.cnt[A * T + va] -= sign;
      s.cnt[A * T + vb] += sign;
      s.cnt[B * T + vb] -= sign;
      s.cnt[B * T + va] += sign;
    }
  };
  for (let pass = 0; pass < maxPasses; pass++) {
    let improved = false;
    rng.shuffle(order);
    for (const a of order) {
      const A = s.groupOf[a];
      let bestB = -1;
      let bestGain = 1e-15;
      let bestPair: [number, number] = [0, 0];
      for (let b = 0; b < n; b++) {
        const B = s.groupOf[b];
        if (B === A || s.meetDelta(a, b) > 0) continue;
        apply(a, b, 1);
        const na = s.groupMaxDev(A);
        const nb = s.groupMaxDev(B);
        apply(a, b, -1);
        const gain = soft(gmax[A]) + soft(gmax[B]) - soft(na) - soft(nb);
        if (gain > bestGain) {
          bestGain = gain;
          bestB = b;
          bestPair = [na, nb];
        }
      }
      if (bestB >= 0) {
        const B = s.groupOf[bestB];
        s.swap(a, bestB);
        gmax[A] = bestPair[0];
        gmax[B] = bestPair[1];
        improved = true;
      }
    }
    if (!improved) return;
  }
}

export interface Scored {
  groupOf: Int32Array;
  repeats: number;
  maxDev: number;
  cost: number;
}

const score = (s: State): Scored => ({ groupOf: Int32Array.from(s.groupOf), repeats: s.repeats(), maxDev: roundMaxDev(s), cost: s.cost() });
const better = (x: Scored, y: Scored) => x.repeats < y.repeats || (x.repeats === y.repeats && (x.maxDev < y.maxDev - 1e-12 || (Math.abs(x.maxDev - y.maxDev) <= 1e-12 && x.cost < y.cost - 1e-12)));

/**
 * Re-searches one round from its current groups, with `P.met` holding every other round: descent, kicks while
 * repeats remain, then the max-deviation polish. Returns the better of what it found and where it started.
 */
export function improveRound(P: RoundProblem, start: Int32Array, rng: Rng, effort: { kicks: number; maxPasses: number }): Scored {
  let s = restore(P, start);
  const initial = score(s);
  let best = initial;
  descend(s, rng, effort.maxPasses);
  let local = score(s);
  for (let k = 0; k < effort.kicks && local.repeats > 0; k++) {
    kick(s, rng);
    descend(s, rng, effort.maxPasses);
    const next = score(s);
    if (better(next, local)) local = next;
    else s = restore(P, local.groupOf);
  }
  s = restore(P, local.groupOf);
  polishMax(s, rng, effort.maxPasses);
  const polished = score(s);
  for (const c of [local, polished]) if (better(c, best)) best = c;
  return best;
}
