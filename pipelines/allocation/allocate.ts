/**
 * Breakout allocation across rounds (pure): members into groups of `groupSize` (smallest `minGroupSize`), each
 * group with a lead and a co-facilitator, groups mirroring the table on the chosen features, and across rounds as
 * many different people met as possible (no repeated pair when one exists that the search finds).
 *
 * Rounds are allocated one after the other (like Barrett et al., AAAI 2023, greedy over rounds): each round
 * minimises repeated meetings then feature imbalance given all earlier rounds (and the `history` of rounds
 * already held), by the search in search.ts. GroupSelect's baseline keeps the best of 100 random shuffles; here
 * every round is built greedily and then improved by swaps, which searches far more than 100 candidates.
 */
import { performance } from 'node:perf_hooks';
import { Rng } from '../sortition/random.js';
import { allocationFigures, assignFacilitators, checkFacilitators, groupSizes, randomRounds, type Rounds } from './figures.js';
import { improveRound } from './polish.js';
import { solveRound, type RoundProblem } from './search.js';
import { ALLOCATION_VERSION, AllocationError, type AllocatedGroup, type AllocationInput, type AllocationResult } from './types.js';

export const STAGE = { name: 'allocation', version: ALLOCATION_VERSION } as const;
/** up to this many people, rounds are searched again knowing every other round and polished for the largest deviation */
export const POLISH_MAX_PEOPLE = 400;
/** above this many people the n×n meeting table (n² bytes) is refused */
export const MAX_PEOPLE = 10_000;

function validate(input: Pick<AllocationInput, 'people' | 'rounds' | 'facilitators'>): void {
  if (!Number.isInteger(input.rounds) || input.rounds < 1 || input.rounds > 100) throw new AllocationError('input', `Rounds must be a whole number from 1 to 100; got ${input.rounds}.`);
  if (input.people.length > MAX_PEOPLE) throw new AllocationError('people', `At most ${MAX_PEOPLE} people can be allocated at once; got ${input.people.length}.`, input.people.length - MAX_PEOPLE);
  const seen = new Set<string>();
  for (const p of input.people) {
    if (seen.has(p.id)) throw new AllocationError('input', `Person '${p.id}' is listed twice.`);
    seen.add(p.id);
  }
  if (input.facilitators) {
    const clash = input.facilitators.find((f) => seen.has(f));
    if (clash) throw new AllocationError('input', `'${clash}' is listed both as a member and as a facilitator.`);
  }
}

/** Encodes features as global value indices and shares over the table. */
function encode(input: AllocationInput): { vals: Int32Array; share: Float64Array; T: number } {
  const { people, features } = input;
  const n = people.length;
  const F = features.length;
  const vals = new Int32Array(n * F);
  const shares: number[] = [];
  let T = 0;
  features.forEach((f, fi) => {
    const codes = new Map<string, number>();
    people.forEach((p, i) => {
      const v = p.features[f] ?? '';
      let c = codes.get(v);
      if (c === undefined) {
        c = T + codes.size;
        codes.set(v, c);
        shares.push(0);
      }
      vals[i * F + fi] = c;
      shares[c] += 1 / n;
    });
    T += codes.size;
  });
  return { vals, share: Float64Array.from(shares), T };
}

function recordMeetings(met: Uint8Array, partners: number[][], n: number, groups: number[][]): void {
  for (const g of groups)
    for (let x = 0; x < g.length; x++)
      for (let y = x + 1; y < g.length; y++) {
        const a = g[x];
        const b = g[y];
        if (met[a * n + b] === 0) {
          partners[a].push(b);
          partners[b].push(a);
        }
        if (met[a * n + b] < 255) {
          met[a * n + b]++;
          met[b * n + a]++;
        }
      }
}

/**
 * The constraints alone (cheap: no search): throws the AllocationError allocate() would, so a request can be refused
 * at once before the search runs as a job. Returns the group sizes.
 */
export function checkAllocation(input: Pick<AllocationInput, 'people' | 'rounds' | 'facilitators' | 'groupSize' | 'minGroupSize'>): number[] {
  validate(input);
  const sizes = groupSizes(input.people.length, input.groupSize, input.minGroupSize ?? input.groupSize - 1);
  checkFacilitators(sizes.length, input.facilitators);
  return sizes;
}

export function allocate(input: AllocationInput): AllocationResult {
  const t0 = performance.now();
  const sizes = checkAllocation(input);
  const n = input.people.length;
  const minSize = input.minGroupSize ?? input.groupSize - 1;
  const rng = new Rng(`allocation:${input.seed}`);
  const index = new Map(input.people.map((p, i) => [p.id, i]));
  const { vals, share, T } = encode(input);
  const history = input.history ?? [];
  const historyIdx = history.map((round) => round.map((g) => g.map((id) => index.get(id)).filter((i): i is number => i !== undefined)));
  const fresh = () => ({ met: new Uint8Array(n * n), partners: Array.from({ length: n }, (): number[] => []) });
  const { met, partners } = fresh();
  for (const round of historyIdx) recordMeetings(met, partners, n, round);

  const P: RoundProblem = { n, F: input.features.length, T, vals, share, sizes, met, partners, featureWeight: input.featureWeight ?? 2 };
  const small = n <= POLISH_MAX_PEOPLE;
  const effort = {
    restarts: input.effort?.restarts ?? (small ? 8 : 1),
    maxPasses: input.effort?.maxPasses ?? 30,
    kicks: small ? 60 : 10,
    sweeps: input.effort?.sweeps ?? (small ? 4 : 0),
  };
  const greedyShare = effort.sweeps > 0 ? 0.6 : 1;
  const progress = (f: number) => input.onProgress?.(Math.min(1, f));
  const groupsOf = (groupOf: Int32Array) => {
    const groups: number[][] = sizes.map(() => []);
    for (let p = 0; p < n; p++) groups[groupOf[p]].push(p);
    return groups;
  };
  // greedy over rounds: each round given the earlier ones
  const chosen: Int32Array[] = [];
  for (let r = 0; r < input.rounds; r++) {
    const sol = solveRound(P, rng, effort, (done) => progress((greedyShare * (r + done)) / input.rounds));
    chosen.push(sol.groupOf);
    recordMeetings(met, partners, n, groupsOf(sol.groupOf));
  }
  // small pools: every round searched again knowing all the others, then polished for the largest deviation
  for (let sweep = 0; sweep < effort.sweeps; sweep++) {
    let changed = false;
    for (let r = 0; r < input.rounds; r++) {
      const other = fresh();
      for (const round of historyIdx) recordMeetings(other.met, other.partners, n, round);
      chosen.forEach((g, k) => k !== r && recordMeetings(other.met, other.partners, n, groupsOf(g)));
      const res = improveRound({ ...P, ...other }, chosen[r], rng, effort);
      if (res.groupOf.some((g, p) => g !== chosen[r][p])) {
        chosen[r] = res.groupOf;
        changed = true;
      }
      progress(greedyShare + ((1 - greedyShare) * (sweep * input.rounds + r + 1)) / (effort.sweeps * input.rounds));
    }
    if (!changed) break;
  }
  progress(1);
  const facilitators = input.facilitators ? rng.shuffle([...input.facilitators]) : null;
  const rounds: AllocatedGroup[][] = chosen.map((groupOf, r) => {
    const staff = facilitators ? assignFacilitators(facilitators, sizes.length, history.length + r) : null;
    return groupsOf(groupOf).map((g, j) => ({ group: j, members: g.map((p) => input.people[p].id), lead: staff?.[j].lead ?? null, coFacilitator: staff?.[j].co ?? null }));
  });
  const allRounds: Rounds = [...history, ...rounds.map((round) => round.map((g) => g.members))];
  const figures = allocationFigures(allRounds, input.people, input.features);
  const random = allocationFigures([...history, ...randomRounds(input.people.map((p) => p.id), sizes, input.rounds, input.seed)], input.people, input.features);
  return {
    rounds,
    figures,
    random,
    provenance: {
      stage: STAGE.name,
      version: STAGE.version,
      seed: input.seed,
      params: { groupSize: input.groupSize, minGroupSize: minSize, rounds: input.rounds, features: input.features, historyRounds: history.length, featureWeight: P.featureWeight, ...effort },
      seconds: (performance.now() - t0) / 1000,
    },
  };
}
