/**
 * Opinion groups from agree / disagree / pass votes, following the published Pol.is method
 * (Small et al. 2021, "Polis: Scaling deliberation by mapping high-dimensional opinion spaces"; Pol.is math docs):
 *
 *  1. participants enter the clustering once they have voted on min(7, #statements) statements; at least 15 are
 *     included (the most active), and once in they stay in (state);
 *  2. unseen votes are imputed by the statement's mean and centred (implicitly: the centred matrix stays sparse);
 *     two principal components by power iteration (warm-started from the previous run);
 *  3. each participant is projected and scaled by √(C / max(V, 1)), C = all statements, V = the participant's votes
 *     on statements in the math (passes included) plus the excluded statements (see `sparsityCount`), so sparse
 *     voters are not pulled to the centre;
 *  4. base clusters: k-means with k = 100 on the projections (each distinct point is a base when fewer);
 *  5. groups: weighted k-means of the base centres for k = 2 … min(5, 2 + ⌊bases / 12⌋), best of many seeded
 *     starts per k; k chosen by weighted silhouette, preferring the smaller k unless a larger one is better by more
 *     than a tolerance; the shown k changes only after a new k has won several updates in a row;
 *  6. representative statements, consensus, group-informed consensus, routing priority (stats.ts).
 *
 * Pure: plain data in, plain data out; the seed and the previous state are inputs.
 */
import { bestKmeans, lloyd, silhouette, kmeansPlusPlus } from './kmeans.js';
import type { VoteMatrix } from './matrix.js';
import { sparsePca } from './pca.js';
import { createPrng } from './prng.js';
import {
  consensusStatements, groupInformedConsensus, representativeStatements, routingPriority, META_PRIORITY,
  type ConsensusStatement, type GroupCounts, type RepresentativeStatement,
} from './stats.js';

export type StatementFlag = 'ok' | 'rejected' | 'meta';

export interface OpinionMapInput {
  matrix: VoteMatrix;
  /** per statement index; 'rejected' and 'meta' statements are left out of the math. Absent: all 'ok'. */
  statementFlags?: ArrayLike<StatementFlag>;
}

export interface OpinionMapOptions {
  seed: number;
  /** state returned by the previous run on this conversation (warm start, sticky membership, k smoothing) */
  previous?: OpinionMapState | null;
  /** votes needed to enter: min(minVotes, #statements). Default 7 */
  minVotes?: number;
  /** at least this many participants are clustered (the most active). Default 15 */
  minParticipants?: number;
  /** below this many clustered participants the result is 'not-enough-votes'. Default 10 */
  minClusterParticipants?: number;
  /** base clusters. Default 100 */
  baseClusters?: number;
  /** largest number of groups. Default 5 */
  maxGroups?: number;
  /** a new k is shown after winning this many updates in a row. Default 4 */
  kSwitchAfter?: number;
  /** seeded k-means++ starts per k for the group clustering. Default 64 */
  groupStarts?: number;
  /** a larger k must beat the best smaller k's silhouette by more than this. Default 0.02 */
  silhouetteTolerance?: number;
  /** power-iteration limits */
  pcaMaxIterations?: number;
  pcaTolerance?: number;
  /**
   * What counts in the sparsity correction √(C / max(V, 1)). 'polis' (default): C = every statement (excluded ones
   * included), V = the participant's votes on statements in the math (passes included) plus the number of excluded
   * statements — Pol.is zeroes moderated-out columns for everyone, so they count as seen by all. This reproduces
   * Pol.is's own projections to 1e-15 on the API dumps (given its components). 'all': V = every vote cast, C = every
   * statement. 'math': only statements in the math. Measured (seed 1, public exports, mean ARI): polis 0.551,
   * all 0.547, math 0.522.
   */
  sparsityCount?: 'all' | 'math' | 'polis';
  /**
   * What counts towards entry. 'math' (default): votes on statements in the math, against min(minVotes, statements
   * in the math). 'all' (as Pol.is's user-vote-counts on the API dumps): every vote cast, passes and votes on excluded
   * statements included, against min(minVotes, every statement). 'all' reproduces Pol.is's in-conv exactly on the API
   * dumps when combined with `include` from `replayInclusion`, but lowers group agreement there (see evals report).
   */
  entryCount?: 'all' | 'math';
  /**
   * Participants kept in the clustering from earlier updates (indices), e.g. from `replayInclusion` over the vote
   * history, when no previous state is available. Once in, a participant stays in (Pol.is's in-conv carry).
   */
  include?: ArrayLike<number>;
  /** base k-means start: best of seeded k-means++ starts (default) or the first k distinct points */
  baseInit?: 'first' | 'best';
  /** group k-means starts: best of seeded starts (default), the first k base centres, or both */
  groupInit?: 'first' | 'best' | 'both';
}

/** JSON-serialisable state carried from one run to the next. */
export interface OpinionMapState {
  version: 1;
  seed: number;
  nParticipants: number;
  nStatements: number;
  comps: [number[], number[]];
  /** participants in the clustering (sorted indices) */
  inConv: number[];
  /** base cluster centres, interleaved x, y */
  baseCenters: number[];
  /** group centres in group-id order, interleaved x, y */
  groupCenters: number[];
  shownK: number;
  candidateK: number;
  candidateRuns: number;
  updates: number;
}

export interface OpinionGroup {
  id: number;
  /** clustered participants in the group */
  size: number;
  center: [number, number];
  representative: RepresentativeStatement[];
}

export interface OpinionMap {
  status: 'ok';
  k: number;
  groups: OpinionGroup[];
  /** per participant: group id, or −1 when not clustered */
  participantGroup: Int32Array;
  /** per participant: nearest group (by projection) for everyone who voted, −1 for no votes */
  nearestGroup: Int32Array;
  /** clustered participants, sorted */
  inConv: Int32Array;
  /** per participant x, y (interleaved); NaN for participants without votes on statements in the math */
  projection: Float64Array;
  /** per participant: votes on statements in the math (pass included) */
  voteCount: Int32Array;
  base: { centers: Float64Array; size: Int32Array; group: Int32Array; participantBase: Int32Array };
  pca: { center: Float64Array; comps: [Float64Array, Float64Array]; eigenvalues: [number, number]; iterations: number; converged: boolean };
  consensus: { agree: ConsensusStatement[]; disagree: ConsensusStatement[] };
  /** per statement ∏_g (A_g + 1)/(S_g + 2); NaN for excluded statements */
  groupInformedConsensus: Float64Array;
  /** per statement routing priority (stats.ts routingPriority) */
  priority: Float64Array;
  /** per statement: projection of a participant agreeing with it alone (interleaved), and its norm */
  statementProjection: Float64Array;
  extremity: Float64Array;
  groupVotes: GroupCounts;
  silhouettes: Array<{ k: number; silhouette: number; inertia: number }>;
  /** milliseconds per phase (diagnostics; not part of the deterministic output) */
  timings: Record<string, number>;
  /** the k that won this update (shown k may lag behind it) */
  bestK: number;
  state: OpinionMapState;
}

export interface NotEnoughVotes {
  status: 'not-enough-votes';
  reason: string;
  participantsWithVotes: number;
  statementsWithVotes: number;
  clusteredParticipants: number;
  required: { participants: number; statements: number };
  /** the previous state, unchanged (null when none) */
  state: OpinionMapState | null;
}

export type OpinionMapResult = OpinionMap | NotEnoughVotes;

const DEFAULTS = {
  minVotes: 7, minParticipants: 15, minClusterParticipants: 10, baseClusters: 100, maxGroups: 5, kSwitchAfter: 4,
  groupStarts: 64, silhouetteTolerance: 0.02, pcaMaxIterations: 1000, pcaTolerance: 1e-10, sparsityCount: 'polis' as string, entryCount: 'math' as string, baseInit: 'best' as string, groupInit: 'best' as string,
};

export function computeOpinionMap(input: OpinionMapInput, options: OpinionMapOptions): OpinionMapResult {
  const timings: Record<string, number> = {};
  let tick = performance.now();
  const lap = (name: string) => { const now = performance.now(); timings[name] = Math.round((now - tick) * 10) / 10; tick = now; };
  const o: typeof DEFAULTS & { seed: number } = { ...DEFAULTS, ...stripUndefined(options), seed: options.seed } as typeof DEFAULTS & { seed: number };
  const m = input.matrix;
  const P = m.nParticipants, S = m.nStatements;
  const prev = options.previous && options.previous.version === 1 && options.previous.nStatements <= S && options.previous.nParticipants <= P ? options.previous : null;

  // 1. statements in the math
  const active = new Uint8Array(S);
  let C = 0;
  for (let j = 0; j < S; j++) {
    const f = input.statementFlags ? input.statementFlags[j] : 'ok';
    if (f === undefined || f === 'ok') { active[j] = 1; C++; }
  }
  const voteCount = new Int32Array(P);
  const colVotes = new Int32Array(S);
  for (let i = 0; i < P; i++) {
    let v = 0;
    for (let e = m.rowPtr[i]; e < m.rowPtr[i + 1]; e++) if (active[m.col[e]]) { v++; colVotes[m.col[e]]++; }
    voteCount[i] = v;
  }
  let statementsWithVotes = 0, participantsWithVotes = 0;
  for (let j = 0; j < S; j++) if (colVotes[j] > 0) statementsWithVotes++;
  for (let i = 0; i < P; i++) if (voteCount[i] > 0) participantsWithVotes++;

  // 2. who is clustered: min(minVotes, C) votes (entryCount), the carried set (previous state, `include`), and at
  // least minParticipants (the most active)
  const mathCount = o.entryCount !== 'all';
  const entryVotes = mathCount ? voteCount : Int32Array.from({ length: P }, (_, i) => m.rowPtr[i + 1] - m.rowPtr[i]);
  const threshold = Math.min(o.minVotes, mathCount ? C : S);
  const inFlag = new Uint8Array(P);
  for (let i = 0; i < P; i++) if (voteCount[i] > 0 && entryVotes[i] >= threshold) inFlag[i] = 1;
  if (prev) for (const i of prev.inConv) if (i < P && voteCount[i] > 0) inFlag[i] = 1;
  if (options.include) for (const i of Array.from(options.include)) if (i >= 0 && i < P && voteCount[i] > 0) inFlag[i] = 1;
  let nIn = 0;
  for (let i = 0; i < P; i++) nIn += inFlag[i];
  if (nIn < o.minParticipants) {
    const order = Array.from({ length: P }, (_, i) => i).filter((i) => !inFlag[i] && voteCount[i] > 0);
    order.sort((a, b) => entryVotes[b] - entryVotes[a] || a - b);
    for (const i of order) { if (nIn >= o.minParticipants) break; inFlag[i] = 1; nIn++; }
  }
  const notEnough = (reason: string): NotEnoughVotes => ({
    status: 'not-enough-votes', reason, participantsWithVotes, statementsWithVotes, clusteredParticipants: nIn,
    required: { participants: o.minClusterParticipants, statements: 2 }, state: options.previous ?? null,
  });
  if (statementsWithVotes < 2) return notEnough(`votes on ${statementsWithVotes} statement(s); at least 2 needed`);
  if (nIn < o.minClusterParticipants) return notEnough(`${nIn} participant(s) can be clustered; at least ${o.minClusterParticipants} needed`);
  const inConv = new Int32Array(nIn);
  for (let i = 0, t = 0; i < P; i++) if (inFlag[i]) inConv[t++] = i;

  // 3. PCA (all participants' votes), warm-started from the previous components
  lap('prepare');
  const start = prev ? ([prev.comps[0], prev.comps[1]] as const) : null;
  const pca = sparsePca(m, { active, start, rng: createPrng(o.seed, 1), maxIterations: o.pcaMaxIterations, tolerance: o.pcaTolerance });
  lap('pca');
  const [c1, c2] = pca.comps;
  const projection = new Float64Array(2 * P).fill(NaN);
  for (let i = 0; i < P; i++) {
    if (voteCount[i] === 0) continue;
    let x = 0, y = 0;
    for (let e = m.rowPtr[i]; e < m.rowPtr[i + 1]; e++) {
      const j = m.col[e];
      if (!active[j]) continue;
      const cv = m.val[e] - pca.center[j];
      x += cv * c1[j]; y += cv * c2[j];
    }
    let V = voteCount[i], CC = C;
    if (o.sparsityCount === 'all') { V = m.rowPtr[i + 1] - m.rowPtr[i]; CC = S; }
    else if (o.sparsityCount === 'polis') { V = voteCount[i] + (S - C); CC = S; }
    const scale = Math.sqrt(CC / Math.max(V, 1));
    projection[2 * i] = x * scale; projection[2 * i + 1] = y * scale;
  }
  const pts = new Float64Array(2 * nIn);
  for (let t = 0; t < nIn; t++) { pts[2 * t] = projection[2 * inConv[t]]; pts[2 * t + 1] = projection[2 * inConv[t] + 1]; }

  lap('project');
  // 4. base clusters
  const base = baseClusters(pts, o.baseClusters, o.seed, prev ? prev.baseCenters : null, o.baseInit);
  const nb = base.size.length;
  if (nb < 3) return notEnough(`only ${nb} distinct opinion position(s) among clustered participants; at least 3 needed`);

  lap('baseClusters');
  // 5. groups over the base centres
  const weights = Float64Array.from(base.size);
  const maxK = Math.max(2, Math.min(o.maxGroups, 2 + Math.floor(nb / 12), nb - 1));
  const silhouettes: OpinionMap['silhouettes'] = [];
  const byK = new Map<number, { centers: Float64Array; assign: Int32Array }>();
  const prevGroups = prev ? Float64Array.from(prev.groupCenters) : null;
  for (let k = 2; k <= maxK; k++) {
    const warm: Float64Array[] = prevGroups && prevGroups.length === 2 * k ? [prevGroups] : [];
    if (o.groupInit !== 'best') warm.push(firstDistinct(base.centers, k));
    const r = bestKmeans(base.centers, weights, k, o.groupInit === 'first' ? 0 : o.groupStarts, createPrng(o.seed, 10 + k), warm);
    byK.set(k, r);
    silhouettes.push({ k, silhouette: silhouette(base.centers, weights, r.assign, k), inertia: r.inertia });
  }
  let bestSil = -Infinity;
  for (const s of silhouettes) bestSil = Math.max(bestSil, s.silhouette);
  // smallest k within tolerance of the best silhouette
  const bestK = silhouettes.find((s) => s.silhouette >= bestSil - o.silhouetteTolerance)!.k;
  let shownK = bestK, candidateK = bestK, candidateRuns = 1;
  if (prev && byK.has(prev.shownK)) {
    if (bestK === prev.shownK) { shownK = prev.shownK; candidateK = bestK; candidateRuns = 0; }
    else {
      candidateRuns = bestK === prev.candidateK ? prev.candidateRuns + 1 : 1;
      candidateK = bestK;
      shownK = candidateRuns >= o.kSwitchAfter ? bestK : prev.shownK;
      if (shownK === bestK) candidateRuns = 0;
    }
  }
  const chosen = byK.get(shownK)!;
  const k = shownK;

  // stable group ids: match the previous centres when k is unchanged, else order by size then position
  const baseGroupRaw = chosen.assign;
  const sizes = new Float64Array(k);
  for (let b = 0; b < nb; b++) sizes[baseGroupRaw[b]] += weights[b];
  const perm = groupOrder(chosen.centers, sizes, prevGroups && prevGroups.length === 2 * k ? prevGroups : null);
  const relabel = new Int32Array(k);
  perm.forEach((raw, id) => { relabel[raw] = id; });
  const baseGroup = new Int32Array(nb);
  for (let b = 0; b < nb; b++) baseGroup[b] = relabel[baseGroupRaw[b]];
  const groupCenters = new Float64Array(2 * k);
  for (let id = 0; id < k; id++) { groupCenters[2 * id] = chosen.centers[2 * perm[id]]; groupCenters[2 * id + 1] = chosen.centers[2 * perm[id] + 1]; }

  const participantGroup = new Int32Array(P).fill(-1);
  const participantBase = new Int32Array(P).fill(-1);
  for (let t = 0; t < nIn; t++) { participantBase[inConv[t]] = base.assign[t]; participantGroup[inConv[t]] = baseGroup[base.assign[t]]; }
  const nearestGroup = new Int32Array(P).fill(-1);
  for (let i = 0; i < P; i++) {
    if (participantGroup[i] >= 0) { nearestGroup[i] = participantGroup[i]; continue; }
    if (voteCount[i] === 0) continue;
    let bd = Infinity, bg = -1;
    for (let g = 0; g < k; g++) {
      const d = (projection[2 * i] - groupCenters[2 * g]) ** 2 + (projection[2 * i + 1] - groupCenters[2 * g + 1]) ** 2;
      if (d < bd) { bd = d; bg = g; }
    }
    nearestGroup[i] = bg;
  }

  lap('groups');
  // 6. statement statistics
  const counts: GroupCounts = { k, nStatements: S, agree: new Int32Array(k * S), disagree: new Int32Array(k * S), seen: new Int32Array(k * S) };
  const totA = new Int32Array(S), totP = new Int32Array(S), totS = new Int32Array(S);
  for (let i = 0; i < P; i++) {
    const g = participantGroup[i];
    for (let e = m.rowPtr[i]; e < m.rowPtr[i + 1]; e++) {
      const j = m.col[e], v = m.val[e];
      totS[j]++;
      if (v === 1) totA[j]++; else if (v === 0) totP[j]++;
      if (g < 0) continue;
      counts.seen[g * S + j]++;
      if (v === 1) counts.agree[g * S + j]++; else if (v === -1) counts.disagree[g * S + j]++;
    }
  }
  const reps = representativeStatements(counts, active);
  const consensus = consensusStatements(counts, active);
  const gac = groupInformedConsensus(counts, active);
  const statementProjection = new Float64Array(2 * S);
  const extremity = new Float64Array(S);
  const priority = new Float64Array(S);
  const sqrtC = Math.sqrt(C);
  for (let j = 0; j < S; j++) {
    const f = input.statementFlags ? input.statementFlags[j] : 'ok';
    if (!active[j]) { priority[j] = f === 'meta' ? META_PRIORITY : 0; continue; }
    const dev = 1 - pca.center[j];
    const x = dev * c1[j] * sqrtC, y = dev * c2[j] * sqrtC;
    statementProjection[2 * j] = x; statementProjection[2 * j + 1] = y;
    extremity[j] = Math.hypot(x, y);
    priority[j] = routingPriority(totA[j], totP[j], totS[j], extremity[j]);
  }
  const groupSizes = new Int32Array(k);
  for (let t = 0; t < nIn; t++) groupSizes[participantGroup[inConv[t]]]++;
  const groups: OpinionGroup[] = [];
  for (let id = 0; id < k; id++) groups.push({ id, size: groupSizes[id], center: [groupCenters[2 * id], groupCenters[2 * id + 1]], representative: reps[id] });

  lap('statements');
  const state: OpinionMapState = {
    version: 1, seed: o.seed, nParticipants: P, nStatements: S,
    comps: [Array.from(c1), Array.from(c2)], inConv: Array.from(inConv),
    baseCenters: Array.from(base.centers), groupCenters: Array.from(groupCenters),
    shownK, candidateK, candidateRuns, updates: (prev ? prev.updates : 0) + 1,
  };
  return {
    status: 'ok', k, groups, participantGroup, nearestGroup, inConv, projection, voteCount,
    base: { centers: base.centers, size: base.size, group: baseGroup, participantBase },
    pca: { center: pca.center, comps: pca.comps, eigenvalues: pca.eigenvalues, iterations: pca.iterations, converged: pca.converged },
    consensus, groupInformedConsensus: gac, priority, statementProjection, extremity, groupVotes: counts, silhouettes, bestK, timings, state,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  return out;
}

/** Lloyd iteration caps for the base clustering (cold start, and warm start from the previous centres). */
const BASE_ITERATIONS = 50;
const BASE_WARM_ITERATIONS = 5;

/**
 * Base clusters of the clustered participants' projections. With no more distinct points than k, every distinct
 * point is its own base (in order of first appearance). Otherwise k-means: from the previous centres when given
 * (incremental update), else the best of a size-dependent number of seeded k-means++ starts.
 */
export function baseClusters(pts: Float64Array, k: number, seed: number, previous: readonly number[] | null, init = 'best'): { centers: Float64Array; size: Int32Array; assign: Int32Array } {
  const n = pts.length / 2;
  const key = new Map<string, number>();
  const firstOf: number[] = [];
  const assign = new Int32Array(n);
  for (let i = 0; i < n && firstOf.length <= k; i++) {
    const s = `${pts[2 * i]},${pts[2 * i + 1]}`;
    let b = key.get(s);
    if (b === undefined) { b = firstOf.length; key.set(s, b); firstOf.push(i); }
    assign[i] = b;
  }
  if (firstOf.length <= k) {
    const centers = new Float64Array(2 * firstOf.length);
    firstOf.forEach((i, b) => { centers[2 * b] = pts[2 * i]; centers[2 * b + 1] = pts[2 * i + 1]; });
    const size = new Int32Array(firstOf.length);
    for (let i = 0; i < n; i++) size[assign[i]]++;
    return { centers, size, assign };
  }
  let r;
  if (previous && previous.length === 2 * k) r = lloyd(pts, null, Float64Array.from(previous), BASE_WARM_ITERATIONS);
  else if (init === 'first') r = lloyd(pts, null, firstDistinct(pts, k), BASE_ITERATIONS);
  else {
    const starts = Math.max(1, Math.min(10, Math.round(2e6 / (n * k))));
    const rng = createPrng(seed, 2);
    r = lloyd(pts, null, kmeansPlusPlus(pts, null, k, rng), BASE_ITERATIONS);
    for (let s = 1; s < starts; s++) {
      const t = lloyd(pts, null, kmeansPlusPlus(pts, null, k, rng), BASE_ITERATIONS);
      if (t.inertia < r.inertia * (1 - 1e-12)) r = t;
    }
  }
  const size = new Int32Array(k);
  for (let i = 0; i < n; i++) size[r.assign[i]]++;
  // drop empty bases (possible only with duplicate points)
  const keep: number[] = [];
  for (let b = 0; b < k; b++) if (size[b] > 0) keep.push(b);
  if (keep.length === k) return { centers: r.centers, size, assign: r.assign };
  const map = new Int32Array(k).fill(-1);
  keep.forEach((b, t) => { map[b] = t; });
  const centers = new Float64Array(2 * keep.length);
  keep.forEach((b, t) => { centers[2 * t] = r.centers[2 * b]; centers[2 * t + 1] = r.centers[2 * b + 1]; });
  return { centers, size: Int32Array.from(keep, (b) => size[b]), assign: Int32Array.from(r.assign, (b) => map[b]) };
}

/** perm[id] = raw cluster index shown as group id. */
function groupOrder(centers: Float64Array, sizes: Float64Array, previous: Float64Array | null): number[] {
  const k = sizes.length;
  const ids = Array.from({ length: k }, (_, i) => i);
  if (!previous) return ids.sort((a, b) => sizes[b] - sizes[a] || centers[2 * a] - centers[2 * b] || centers[2 * a + 1] - centers[2 * b + 1] || a - b);
  // brute-force assignment (k ≤ 5 → at most 120 permutations): minimise the total distance to previous centres
  let best: number[] = ids.slice(), bestCost = Infinity;
  const permute = (arr: number[], l: number): void => {
    if (l === arr.length) {
      let cost = 0;
      for (let id = 0; id < k; id++) cost += Math.hypot(centers[2 * arr[id]] - previous[2 * id], centers[2 * arr[id] + 1] - previous[2 * id + 1]);
      if (cost < bestCost - 1e-12) { bestCost = cost; best = arr.slice(); }
      return;
    }
    for (let i = l; i < arr.length; i++) {
      [arr[l], arr[i]] = [arr[i], arr[l]];
      permute(arr, l + 1);
      [arr[l], arr[i]] = [arr[i], arr[l]];
    }
  };
  permute(ids, 0);
  return best;
}

/** The first k distinct points, in order (k-means initialisation that is stable as data is appended). */
export function firstDistinct(pts: Float64Array, k: number): Float64Array {
  const out = new Float64Array(2 * k);
  const seen = new Set<string>();
  let t = 0;
  for (let i = 0; i < pts.length / 2 && t < k; i++) {
    const key = `${pts[2 * i]},${pts[2 * i + 1]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out[2 * t] = pts[2 * i]; out[2 * t + 1] = pts[2 * i + 1]; t++;
  }
  return t === k ? out : out.slice(0, 2 * t);
}
