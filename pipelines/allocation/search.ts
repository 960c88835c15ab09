/**
 * One round of breakout allocation as a search over partitions with fixed group sizes.
 *
 * Cost of a round = (meetings repeated: for every pair sharing a group, how often they met before)
 *                 + featureWeight · Σ_groups Σ_features Σ_values (share in the group − share in the table)².
 * A repeated meeting costs 1 while one person off balance in a group of 8 costs about 0.03·featureWeight, so
 * repeats are avoided first and balance is the tie-breaker that still decides almost every choice.
 *
 * Construction: people with the most past meetings first (random order among equals), each into the open
 * group with the lowest marginal cost. Improvement: swap-based local search (for each person, the best swap with
 * anyone in another group, applied while it lowers the cost) until a pass changes nothing; while repeats remain,
 * a kick (people in repeated pairs swapped with random others) and another descent, keeping the best.
 * The best of several restarts is kept. Everything is seeded; no I/O.
 */
import type { Rng } from '../sortition/random.js';

export interface RoundProblem {
  n: number;
  /** number of features */
  F: number;
  /** total number of (feature, value) pairs */
  T: number;
  /** person p, feature f → global value index in [0, T) at vals[p*F + f] */
  vals: Int32Array;
  /** share of each global value in the table */
  share: Float64Array;
  /** group sizes */
  sizes: number[];
  /** times each pair met before (n×n, symmetric) */
  met: Uint8Array;
  /** partners each person met before */
  partners: number[][];
  featureWeight: number;
}

export interface RoundSolution {
  groupOf: Int32Array;
  cost: number;
  repeats: number;
}

export class State {
  readonly G: number;
  groupOf: Int32Array;
  /** members per group */
  members: number[][];
  /** cnt[g*T + t] */
  cnt: Int32Array;
  /** metIn[p*G + g] = Σ over members y of g of met[p][y] */
  metIn: Int32Array;

  constructor(readonly P: RoundProblem) {
    this.G = P.sizes.length;
    this.groupOf = new Int32Array(P.n).fill(-1);
    this.members = P.sizes.map(() => []);
    this.cnt = new Int32Array(this.G * P.T);
    this.metIn = new Int32Array(P.n * this.G);
  }

  place(p: number, g: number): void {
    const { P } = this;
    this.groupOf[p] = g;
    this.members[g].push(p);
    for (let f = 0; f < P.F; f++) this.cnt[g * P.T + P.vals[p * P.F + f]]++;
    for (const x of P.partners[p]) this.metIn[x * this.G + g] += P.met[p * P.n + x];
  }

  /** marginal cost of adding p to a partly filled group g (counts measured against g's final size) */
  addCost(p: number, g: number): number {
    const { P } = this;
    const cap = P.sizes[g];
    let feat = 0;
    for (let f = 0; f < P.F; f++) {
      const t = P.vals[p * P.F + f];
      feat += 2 * (this.cnt[g * P.T + t] - P.share[t] * cap) + 1;
    }
    return this.metIn[p * this.G + g] + (P.featureWeight * feat) / (cap * cap);
  }

  /** change of cost if a and b (in different groups) swap */
  swapDelta(a: number, b: number): number {
    const { P, G } = this;
    const A = this.groupOf[a];
    const B = this.groupOf[b];
    const mab = P.met[a * P.n + b];
    const d = this.metIn[a * G + B] - this.metIn[a * G + A] + this.metIn[b * G + A] - this.metIn[b * G + B] - 2 * mab;
    const sA = P.sizes[A];
    const sB = P.sizes[B];
    let feat = 0;
    for (let f = 0; f < P.F; f++) {
      const va = P.vals[a * P.F + f];
      const vb = P.vals[b * P.F + f];
      if (va === vb) continue;
      // group A loses va, gains vb; group B loses vb, gains va: (2(dev_in − dev_out) + 2/s)/s per group
      const devAa = this.cnt[A * P.T + va] / sA - P.share[va];
      const devAb = this.cnt[A * P.T + vb] / sA - P.share[vb];
      const devBa = this.cnt[B * P.T + va] / sB - P.share[va];
      const devBb = this.cnt[B * P.T + vb] / sB - P.share[vb];
      feat += (2 * (devAb - devAa) + 2 / sA) / sA + (2 * (devBa - devBb) + 2 / sB) / sB;
    }
    return d + P.featureWeight * feat;
  }

  swap(a: number, b: number): void {
    const { P, G } = this;
    const A = this.groupOf[a];
    const B = this.groupOf[b];
    const ma = this.members[A];
    const mb = this.members[B];
    ma[ma.indexOf(a)] = b;
    mb[mb.indexOf(b)] = a;
    this.groupOf[a] = B;
    this.groupOf[b] = A;
    for (let f = 0; f < P.F; f++) {
      const va = P.vals[a * P.F + f];
      const vb = P.vals[b * P.F + f];
      this.cnt[A * P.T + va]--;
      this.cnt[A * P.T + vb]++;
      this.cnt[B * P.T + vb]--;
      this.cnt[B * P.T + va]++;
    }
    for (const x of P.partners[a]) {
      const m = P.met[a * P.n + x];
      this.metIn[x * G + A] -= m;
      this.metIn[x * G + B] += m;
    }
    for (const x of P.partners[b]) {
      const m = P.met[b * P.n + x];
      this.metIn[x * G + B] -= m;
      this.metIn[x * G + A] += m;
    }
  }

  /** change of this round's repeated meetings if a and b (in different groups) swap */
  meetDelta(a: number, b: number): number {
    const { P, G } = this;
    const A = this.groupOf[a];
    const B = this.groupOf[b];
    return this.metIn[a * G + B] - this.metIn[a * G + A] + this.metIn[b * G + A] - this.metIn[b * G + B] - 2 * P.met[a * P.n + b];
  }

  /** a group's largest |share of a value − its share in the table| */
  groupMaxDev(g: number): number {
    const { P } = this;
    let m = 0;
    for (let t = 0; t < P.T; t++) {
      const d = Math.abs(this.cnt[g * P.T + t] / P.sizes[g] - P.share[t]);
      if (d > m) m = d;
    }
    return m;
  }

  /** repeated meetings in the current round */
  repeats(): number {
    let r = 0;
    for (let p = 0; p < this.P.n; p++) r += this.metIn[p * this.G + this.groupOf[p]];
    return r / 2;
  }

  cost(): number {
    const { P } = this;
    let feat = 0;
    for (let g = 0; g < this.G; g++)
      for (let t = 0; t < P.T; t++) {
        const dev = this.cnt[g * P.T + t] / P.sizes[g] - P.share[t];
        feat += dev * dev;
      }
    return this.repeats() + P.featureWeight * feat;
  }
}

function construct(P: RoundProblem, rng: Rng): State {
  const s = new State(P);
  const order = rng.shuffle(Array.from({ length: P.n }, (_, i) => i));
  order.sort((x, y) => P.partners[y].length - P.partners[x].length); // stable: random among equals
  const G = P.sizes.length;
  for (const p of order) {
    let best = -1;
    let bestCost = Infinity;
    const start = rng.int(G);
    for (let k = 0; k < G; k++) {
      const g = (start + k) % G;
      if (s.members[g].length >= P.sizes[g]) continue;
      const c = s.addCost(p, g);
      if (c < bestCost - 1e-12) {
        bestCost = c;
        best = g;
      }
    }
    s.place(p, best);
  }
  return s;
}

/** Best-swap descent; returns the number of passes made. */
export function descend(s: State, rng: Rng, maxPasses: number): number {
  const { n } = s.P;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let pass = 1; pass <= maxPasses; pass++) {
    let improved = false;
    rng.shuffle(order);
    for (const a of order) {
      let bestB = -1;
      let bestD = -1e-9;
      const A = s.groupOf[a];
      for (let b = 0; b < n; b++) {
        if (s.groupOf[b] === A) continue;
        const d = s.swapDelta(a, b);
        if (d < bestD) {
          bestD = d;
          bestB = b;
        }
      }
      if (bestB >= 0) {
        s.swap(a, bestB);
        improved = true;
      }
    }
    if (!improved) return pass;
  }
  return maxPasses;
}

function snapshot(s: State): RoundSolution {
  return { groupOf: Int32Array.from(s.groupOf), cost: s.cost(), repeats: s.repeats() };
}

export function restore(P: RoundProblem, groupOf: Int32Array): State {
  const s = new State(P);
  for (let p = 0; p < P.n; p++) s.place(p, groupOf[p]);
  return s;
}

/** Kick: everyone in a repeated pair swaps with a random person of another group. */
export function kick(s: State, rng: Rng): void {
  const { n } = s.P;
  const G = s.G;
  const bad: number[] = [];
  for (let p = 0; p < n; p++) if (s.metIn[p * G + s.groupOf[p]] > 0) bad.push(p);
  for (const a of bad) {
    let b = rng.int(n);
    for (let tries = 0; tries < 10 && s.groupOf[b] === s.groupOf[a]; tries++) b = rng.int(n);
    if (s.groupOf[b] !== s.groupOf[a]) s.swap(a, b);
  }
}

export function solveRound(P: RoundProblem, rng: Rng, effort: { restarts: number; maxPasses: number; kicks: number }, onRestart?: (done: number) => void): RoundSolution {
  let best: RoundSolution | null = null;
  for (let r = 0; r < effort.restarts; r++) {
    let s = construct(P, rng);
    descend(s, rng, effort.maxPasses);
    let local = snapshot(s);
    for (let k = 0; k < effort.kicks && local.repeats > 0; k++) {
      kick(s, rng);
      descend(s, rng, effort.maxPasses);
      const next = snapshot(s);
      if (next.cost < local.cost) local = next;
      else s = restore(P, local.groupOf);
    }
    if (!best || local.cost < best.cost) best = local;
    onRestart?.((r + 1) / effort.restarts);
  }
  return best!;
}
