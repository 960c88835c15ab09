/**
 * Group sizes, the checks that make an allocation impossible, the figures every allocation is reported with,
 * and the random baseline.
 */
import { Rng } from '../sortition/random.js';
import { AllocationError, type AllocationFigures, type AllocationPerson } from './types.js';

/**
 * Group sizes for n people in groups of at most `max` and at least `min`: the fewest groups that keep every group
 * at most `max`, sizes differing by at most one. Throws AllocationError('groupSize') saying by how much it fails.
 */
export function groupSizes(n: number, max: number, min: number): number[] {
  if (!Number.isInteger(max) || max < 2) throw new AllocationError('input', `The group size must be a whole number of at least 2; got ${max}.`);
  if (!Number.isInteger(min) || min < 1 || min > max) throw new AllocationError('input', `The smallest group size must be between 1 and ${max}; got ${min}.`);
  if (n < min) throw new AllocationError('groupSize', `${n} members are too few for one group of at least ${min}: ${min - n} more needed.`, min - n);
  const g = Math.ceil(n / max);
  const base = Math.floor(n / g);
  if (base < min) {
    // g groups are too small, g − 1 groups too large: say both distances
    const fewer = g - 1;
    const over = fewer > 0 ? n - fewer * max : n;
    const short = g * min - n;
    throw new AllocationError(
      'groupSize',
      `${n} members cannot be split into groups of ${min}–${max}: ${g} groups would need at least ${g * min} members (${short} short)` +
        (fewer > 0 ? `, ${fewer} group${fewer > 1 ? 's' : ''} can hold at most ${fewer * max} (${over} too many)` : '') +
        '. Change the group size or the number of members.',
      short,
    );
  }
  const extra = n - base * g;
  return Array.from({ length: g }, (_, i) => (i < extra ? base + 1 : base));
}

/** Every group needs a lead and a co-facilitator, two different people. */
export function checkFacilitators(groups: number, facilitators: string[] | undefined): void {
  if (!facilitators) return;
  const distinct = new Set(facilitators).size;
  if (distinct < facilitators.length) throw new AllocationError('input', 'A facilitator is listed twice.');
  const need = 2 * groups;
  if (distinct < need)
    throw new AllocationError(
      'facilitators',
      `${groups} groups need ${need} facilitators (a lead and a co-facilitator each); ${distinct} available: ${need - distinct} short.`,
      need - distinct,
    );
}

/** round → group → member ids */
export type Rounds = string[][][];

/** Figures for rounds of groups over a people table (shares are taken over the whole table). */
export function allocationFigures(rounds: Rounds, people: AllocationPerson[], features: string[]): AllocationFigures {
  const index = new Map(people.map((p, i) => [p.id, i]));
  const n = people.length;
  const metCount = new Map<number, number>();
  const distinct: Array<Set<number>> = people.map(() => new Set());
  for (const round of rounds)
    for (const group of round) {
      const ids = group.map((id) => index.get(id)).filter((i): i is number => i !== undefined);
      for (let x = 0; x < ids.length; x++)
        for (let y = x + 1; y < ids.length; y++) {
          const a = Math.min(ids[x], ids[y]);
          const b = Math.max(ids[x], ids[y]);
          const key = a * n + b;
          metCount.set(key, (metCount.get(key) ?? 0) + 1);
          distinct[a].add(b);
          distinct[b].add(a);
        }
    }
  let repeatedPairs = 0;
  for (const c of metCount.values()) if (c > 1) repeatedPairs++;
  const meanDistinctMet = n ? distinct.reduce((s, d) => s + d.size, 0) / n : 0;

  const featureDeviation: Record<string, number> = {};
  for (const f of features) {
    const share = new Map<string, number>();
    for (const p of people) share.set(p.features[f] ?? '', (share.get(p.features[f] ?? '') ?? 0) + 1 / n);
    let worst = 0;
    for (const round of rounds)
      for (const group of round) {
        if (group.length === 0) continue;
        const counts = new Map<string, number>();
        for (const id of group) {
          const p = people[index.get(id) ?? -1];
          if (p) counts.set(p.features[f] ?? '', (counts.get(p.features[f] ?? '') ?? 0) + 1);
        }
        for (const [v, s] of share) worst = Math.max(worst, Math.abs((counts.get(v) ?? 0) / group.length - s));
      }
    featureDeviation[f] = worst;
  }
  const maxFeatureDeviation = Math.max(0, ...Object.values(featureDeviation));
  return { repeatedPairs, meanDistinctMet, maxFeatureDeviation, featureDeviation };
}

/** The baseline: each round, shuffle everyone and cut into the same group sizes (seeded). */
export function randomRounds(ids: string[], sizes: number[], rounds: number, seed: string): Rounds {
  const rng = new Rng(`allocation-random:${seed}`);
  const out: Rounds = [];
  for (let r = 0; r < rounds; r++) {
    const order = rng.shuffle([...ids]);
    let at = 0;
    out.push(sizes.map((s) => order.slice(at, (at += s))));
  }
  return out;
}

/**
 * Facilitators per group and round: a window of 2·g facilitators moving round by round through the (seeded)
 * list (the caller shuffles it once), leads from the first half; co-facilitators are paired with a different lead each round.
 */
export function assignFacilitators(list: string[], groups: number, round: number): Array<{ lead: string; co: string }> {
  const m = list.length;
  const start = (round * 2 * groups) % m;
  const window = Array.from({ length: 2 * groups }, (_, i) => list[(start + i) % m]);
  const [first, second] = round % 2 === 0 ? [window.slice(0, groups), window.slice(groups)] : [window.slice(groups), window.slice(0, groups)];
  return first.map((lead, j) => ({ lead, co: second[(j + round) % groups] }));
}

/**
 * A GroupSelect-like baseline (Sortition Foundation: keep the best of 100 random shuffles), implemented from that
 * description: each round, `tries` random cuts into the same sizes, keeping the one with the fewest repeated pairs
 * so far, then the smallest largest feature deviation.
 */
export function bestOfShuffles(people: AllocationPerson[], features: string[], sizes: number[], rounds: number, seed: string, tries = 100, history: Rounds = []): Rounds {
  const rng = new Rng(`allocation-shuffles:${seed}`);
  const ids = people.map((p) => p.id);
  const out: Rounds = [];
  for (let r = 0; r < rounds; r++) {
    let best: string[][] | null = null;
    let bestKey: [number, number] = [Infinity, Infinity];
    for (let t = 0; t < tries; t++) {
      const order = rng.shuffle([...ids]);
      let at = 0;
      const round = sizes.map((s) => order.slice(at, (at += s)));
      const f = allocationFigures([...history, ...out, round], people, features);
      const key: [number, number] = [f.repeatedPairs, f.maxFeatureDeviation];
      if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
        best = round;
        bestKey = key;
      }
    }
    out.push(best!);
  }
  return out;
}
