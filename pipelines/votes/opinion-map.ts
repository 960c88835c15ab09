/**
 * Opinion groups from agree / disagree / pass votes, following the published Pol.is method
 * (Small et al. 2021, "Polis: Scaling deliberation by mapping high-dimensional opinion spaces"; Pol.is math docs):
 *
 *  1. participants enter the clustering once they have voted on min(7, #statements) statements; at least 15 are
 *     included (the most active), and once in they stay in (state);
 *  2. unseen votes are imputed by the statement's mean and centred (implicitly: the centred matrix stays sparse);
 *     two principal components by power iteration (warm-started from the previous run);
 *  3. each participant is projected and scaled by √(C / max(V, 1)), C = statements with votes, V = the participant's votes
 *     on statements in the math (passes included) plus the excluded statements (see `sparsityCount`), so sparse
 *     voters are not pulled to the centre;
 *  4. base clusters: k-means with k = 100 on the projections (each distinct point is a base when fewer); with a
 *     previous state, continued from the previous memberships (`warmBaseClusters`), as Pol.is does;
 *  5. groups: weighted k-means of the base centres for k = 2 … min(5, 2 + ⌊bases / 12⌋): one shot, best of many
 *     seeded starts per k; with a previous state, from that k's previous clustering or the first k base centres
 *     (`groupWarmStart`); k chosen by silhouette, preferring the smaller k unless a larger one is better by more
 *     than a tolerance; the shown k changes only after a new k has won several updates in a row;
 *  6. representative statements, consensus (over every vote cast), group-informed consensus, routing priority
 *     (stats.ts).
 *
 * A conversation computed update after update (the service, or `replayOpinionMaps` over a vote history) uses
 * LIVE_OPTIONS (replay.ts): that path reproduces Pol.is's groups far better than one shot on the final votes.
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

const BASE_WARM_ITERATIONS_DEFAULT = 5;

export interface OpinionMapInput {
  matrix: VoteMatrix;
  /** per statement index; 'rejected' and 'meta' statements are left out of the math. Absent: all 'ok'. */
  statementFlags?: ArrayLike<StatementFlag>;
  /**
   * Per participant: a rank giving the order in which participants are taken by the order-dependent steps (the
   * "first k distinct points" start, new base clusters). Pol.is's rows are in order of first vote; absent: index order.
   */
  participantOrder?: ArrayLike<number>;
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
  /**
   * Silhouette over the base centres: each weighted by its members ('members', default) or each counting once
   * ('bases', as Pol.is: on its own base clusters this picks Pol.is's k where the weighted one does not).
   */
  silhouetteWeights?: 'members' | 'bases';
  /**
   * With a previous state: each k's group clustering continues from the previous clustering for that k ('previous',
   * default), or restarts from the first k base centres in base order ('first'; base order itself is carried).
   */
  groupWarmStart?: 'previous' | 'first';
  /** power-iteration limits */
  pcaMaxIterations?: number;
  pcaTolerance?: number;
  /**
   * What counts in the sparsity correction √(C / max(V, 1)). 'polis' (default): C = every statement anyone has voted
   * on (excluded ones included: Pol.is's vote matrix has a column per such statement), V = the participant's votes on
   * statements in the math (passes included) plus the number of excluded statements with votes — Pol.is zeroes
   * moderated-out columns for everyone, so they count as seen by all. This reproduces Pol.is's own projections on
   * the API dumps (given its components). 'all': V = every vote cast, C = every statement. 'math': only statements in
   * the math. Measured (seed 1, public exports, one shot, mean ARI): polis 0.561 (0.551 when statements nobody voted
   * on still counted in C), all 0.547, math 0.522.
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
  /**
   * Lloyd iterations for the base clustering when warm-started from the previous state. Default 5 (the incremental
   * update of a 100k-participant conversation has a 1 s budget; on the public exports 20 or 100 changed one ARI by
   * 0.01).
   */
  baseWarmIterations?: number;
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
  /**
   * Base cluster of each clustered participant, aligned with `inConv` (base index into `baseCenters`). With
   * `groupsByK`, the next run warm-starts from memberships, as Pol.is does (absent in states from older versions:
   * those warm-start from the centres only).
   */
  baseMembers?: number[];
  /** per k (as a string key): the group (raw cluster index) of each base cluster in that k's clustering */
  groupsByK?: Record<string, number[]>;
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
  baseWarmIterations: BASE_WARM_ITERATIONS_DEFAULT, silhouetteWeights: 'members' as string, groupWarmStart: 'previous' as string,
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
  // excluded statements someone has voted on: Pol.is's vote matrix has a column for each statement with a vote
  const votedExcluded = new Uint8Array(S);
  for (let i = 0; i < P; i++) {
    let v = 0;
    for (let e = m.rowPtr[i]; e < m.rowPtr[i + 1]; e++) { const j = m.col[e]; if (active[j]) { v++; colVotes[j]++; } else votedExcluded[j] = 1; }
    voteCount[i] = v;
  }
  let statementsWithVotes = 0, participantsWithVotes = 0;
  let nVotedExcluded = 0;
  for (let j = 0; j < S; j++) { if (colVotes[j] > 0) statementsWithVotes++; nVotedExcluded += votedExcluded[j]; }
  const nVotedAny = statementsWithVotes + nVotedExcluded;
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
    else if (o.sparsityCount === 'polis') { V = voteCount[i] + nVotedExcluded; CC = nVotedAny; }
    const scale = Math.sqrt(CC / Math.max(V, 1));
    projection[2 * i] = x * scale; projection[2 * i + 1] = y * scale;
  }
  const pts = new Float64Array(2 * nIn);
  // clustering order (the order-dependent starts follow it)
  const rank = input.participantOrder;
  const ord = rank ? Int32Array.from(inConv).sort((a, b) => rank[a] - rank[b] || a - b) : inConv;
  for (let t = 0; t < nIn; t++) { pts[2 * t] = projection[2 * ord[t]]; pts[2 * t + 1] = projection[2 * ord[t] + 1]; }

  lap('project');
  // 4. base clusters: from the previous memberships (Pol.is's warm start), the previous centres (older states), or cold
  const warm = prev && prev.baseMembers && prev.groupsByK && prev.baseMembers.length === prev.inConv.length ? prev : null;
  const base = warm
    ? warmBaseClusters(pts, ord, o.baseClusters, warm.inConv, warm.baseMembers!, o.baseWarmIterations)
    : { ...baseClusters(pts, o.baseClusters, o.seed, prev ? prev.baseCenters : null, o.baseInit), previousBase: null };
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
    let r;
    if (warm) {
      // Pol.is: each k's clustering continues from the previous update's clustering for that k (memberships of the
      // surviving base clusters); the first time a k is tried, from the first k distinct base centres
      const from = o.groupWarmStart === 'first' ? null : warmGroupStart(base.centers, weights, k, base.previousBase, warm.groupsByK![String(k)]);
      r = lloyd(base.centers, weights, from ?? firstDistinct(base.centers, k), GROUP_ITERATIONS);
    } else {
      const starts: Float64Array[] = prevGroups && prevGroups.length === 2 * k ? [prevGroups] : [];
      if (o.groupInit !== 'best') starts.push(firstDistinct(base.centers, k));
      r = bestKmeans(base.centers, weights, k, o.groupInit === 'first' ? 0 : o.groupStarts, createPrng(o.seed, 10 + k), starts);
    }
    byK.set(k, r);
    silhouettes.push({ k, silhouette: silhouette(base.centers, o.silhouetteWeights === 'bases' ? null : weights, r.assign, k), inertia: r.inertia });
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
  for (let t = 0; t < nIn; t++) { participantBase[ord[t]] = base.assign[t]; participantGroup[ord[t]] = baseGroup[base.assign[t]]; }
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
  const totA = new Int32Array(S), totD = new Int32Array(S), totP = new Int32Array(S), totS = new Int32Array(S);
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
  // plain consensus over every vote cast, clustered or not (as Pol.is counts it: its n-trials on the API dumps are
  // all voters' votes)
  for (let j = 0; j < S; j++) totD[j] = totS[j] - totA[j] - totP[j];
  const consensus = consensusStatements({ k: 1, nStatements: S, agree: totA, disagree: totD, seen: totS }, active);
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
    baseMembers: Array.from(inConv, (i) => participantBase[i]),
    groupsByK: Object.fromEntries([...byK].map(([kk, r]) => [String(kk), Array.from(r.assign)])),
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
/** Lloyd iteration cap for the group clustering of the base centres. */
const GROUP_ITERATIONS = 300;

/**
 * Base clusters continued from the previous update (Pol.is's warm start): participants keep their previous base;
 * bases left without members are dropped; new participants found a new base while there are fewer than k (unless
 * their point is already a base centre), else join the nearest base; then Lloyd iterations. `previousBase[b]` is
 * the previous index of base b (−1 for a new one), for the group clusterings' warm start.
 */
export function warmBaseClusters(pts: Float64Array, inConv: ArrayLike<number>, k: number, prevInConv: readonly number[], prevMembers: readonly number[], iterations = BASE_WARM_ITERATIONS_DEFAULT): { centers: Float64Array; size: Int32Array; assign: Int32Array; previousBase: Int32Array } {
  const n = pts.length / 2;
  let nPrev = 0, maxId = -1;
  for (let t = 0; t < prevInConv.length; t++) { nPrev = Math.max(nPrev, prevMembers[t] + 1); maxId = Math.max(maxId, prevInConv[t]); }
  const prevOf = new Int32Array(maxId + 1).fill(-1);
  for (let t = 0; t < prevInConv.length; t++) if (prevInConv[t] >= 0) prevOf[prevInConv[t]] = prevMembers[t];
  const init = new Int32Array(n).fill(-1);
  const sx = new Float64Array(nPrev), sy = new Float64Array(nPrev), cnt = new Int32Array(nPrev);
  for (let t = 0; t < n; t++) {
    const b = inConv[t] <= maxId ? prevOf[inConv[t]] : -1;
    if (b < 0) continue;
    init[t] = b; sx[b] += pts[2 * t]; sy[b] += pts[2 * t + 1]; cnt[b]++;
  }
  const cx: number[] = [], cy: number[] = [], previous: number[] = [];
  const renumber = new Int32Array(nPrev).fill(-1);
  for (let b = 0; b < nPrev; b++) if (cnt[b] > 0) { renumber[b] = previous.length; previous.push(b); cx.push(sx[b] / cnt[b]); cy.push(sy[b] / cnt[b]); }
  for (let t = 0; t < n; t++) if (init[t] >= 0) init[t] = renumber[init[t]];
  const at = new Set<string>();
  if (cx.length < k) {
    // fewer bases than k: members of a base that have moved apart split off (in order) while there is room, so that
    // with no more distinct points than k every distinct point is its own base, as at a cold start
    const claim = new Map<number, string>();
    for (let t = 0; t < n; t++) {
      const b = init[t];
      if (b < 0) continue;
      const key = `${pts[2 * t]},${pts[2 * t + 1]}`;
      const c = claim.get(b);
      if (c === undefined) { claim.set(b, key); at.add(key); } else if (c !== key) init[t] = -2;
    }
    for (let b = 0; b < cx.length; b++) { const key = claim.get(b); if (key !== undefined) { const [x, y] = key.split(',').map(Number); cx[b] = x; cy[b] = y; } }
    for (let t = 0; t < n; t++) {
      if (init[t] !== -2) continue;
      const key = `${pts[2 * t]},${pts[2 * t + 1]}`;
      if (cx.length < k && !at.has(key)) { at.add(key); init[t] = cx.length; cx.push(pts[2 * t]); cy.push(pts[2 * t + 1]); previous.push(-1); }
      else init[t] = -1;
    }
  } else for (let b = 0; b < cx.length; b++) at.add(`${cx[b]},${cy[b]}`);
  for (let t = 0; t < n; t++) {
    if (init[t] >= 0) continue;
    const x = pts[2 * t], y = pts[2 * t + 1], key = `${x},${y}`;
    if (cx.length < k && !at.has(key)) { at.add(key); init[t] = cx.length; cx.push(x); cy.push(y); previous.push(-1); continue; }
    let bd = Infinity, bb = 0;
    for (let b = 0; b < cx.length; b++) { const d = (x - cx[b]) ** 2 + (y - cy[b]) ** 2; if (d < bd) { bd = d; bb = b; } }
    init[t] = bb;
  }
  // centres of the starting memberships, then Lloyd; a base left empty keeps its centre and is dropped below
  const kk = cx.length;
  const start = new Float64Array(2 * kk), w = new Int32Array(kk);
  for (let t = 0; t < n; t++) { start[2 * init[t]] += pts[2 * t]; start[2 * init[t] + 1] += pts[2 * t + 1]; w[init[t]]++; }
  for (let b = 0; b < kk; b++) if (w[b] > 0) { start[2 * b] /= w[b]; start[2 * b + 1] /= w[b]; } else { start[2 * b] = cx[b]; start[2 * b + 1] = cy[b]; }
  const { keep, ...kept } = dropEmptyBases(lloyd(pts, null, start, iterations, false), kk);
  return { ...kept, previousBase: keep ? Int32Array.from(keep, (b) => previous[b]) : Int32Array.from(previous) };
}

/** Sizes of k bases after Lloyd; empty ones dropped and the rest renumbered (`keep`: old index of each kept base, null when none was empty). */
function dropEmptyBases(r: { centers: Float64Array; assign: Int32Array }, k: number): { centers: Float64Array; size: Int32Array; assign: Int32Array; keep: number[] | null } {
  const size = new Int32Array(k);
  for (let i = 0; i < r.assign.length; i++) size[r.assign[i]]++;
  const keep: number[] = [];
  for (let b = 0; b < k; b++) if (size[b] > 0) keep.push(b);
  if (keep.length === k) return { centers: r.centers, size, assign: r.assign, keep: null };
  const map = new Int32Array(k).fill(-1);
  keep.forEach((b, t) => { map[b] = t; });
  const centers = new Float64Array(2 * keep.length);
  keep.forEach((b, t) => { centers[2 * t] = r.centers[2 * b]; centers[2 * t + 1] = r.centers[2 * b + 1]; });
  return { centers, size: Int32Array.from(keep, (b) => size[b]), assign: Int32Array.from(r.assign, (b) => map[b]), keep };
}

/**
 * Start centres for k groups of the base centres, continuing the previous clustering for this k: surviving bases
 * keep their group, the group centres are their weighted means, new bases join the nearest. Null when there is
 * no previous clustering for k or a group would start empty (then the caller starts from the first k points).
 */
export function warmGroupStart(centers: Float64Array, weights: Float64Array, k: number, previousBase: Int32Array | null, previous: readonly number[] | undefined): Float64Array | null {
  if (!previousBase || !previous) return null;
  const nb = centers.length / 2;
  const sx = new Float64Array(k), sy = new Float64Array(k), sw = new Float64Array(k);
  for (let b = 0; b < nb; b++) {
    const p = previousBase[b];
    const g = p >= 0 && p < previous.length ? previous[p] : -1;
    if (g < 0 || g >= k) continue;
    sx[g] += weights[b] * centers[2 * b]; sy[g] += weights[b] * centers[2 * b + 1]; sw[g] += weights[b];
  }
  const out = new Float64Array(2 * k);
  for (let g = 0; g < k; g++) {
    if (!(sw[g] > 0)) return null;
    out[2 * g] = sx[g] / sw[g]; out[2 * g + 1] = sy[g] / sw[g];
  }
  // new bases join the nearest group: fold them into that group's centre before iterating
  const tx = Float64Array.from(sx), ty = Float64Array.from(sy), tw = Float64Array.from(sw);
  for (let b = 0; b < nb; b++) {
    const p = previousBase[b];
    const g0 = p >= 0 && p < previous.length ? previous[p] : -1;
    if (g0 >= 0 && g0 < k) continue;
    let bd = Infinity, bg = 0;
    for (let g = 0; g < k; g++) { const d = (centers[2 * b] - out[2 * g]) ** 2 + (centers[2 * b + 1] - out[2 * g + 1]) ** 2; if (d < bd) { bd = d; bg = g; } }
    tx[bg] += weights[b] * centers[2 * b]; ty[bg] += weights[b] * centers[2 * b + 1]; tw[bg] += weights[b];
  }
  for (let g = 0; g < k; g++) { out[2 * g] = tx[g] / tw[g]; out[2 * g + 1] = ty[g] / tw[g]; }
  return out;
}

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
  if (previous && previous.length === 2 * k) r = lloyd(pts, null, Float64Array.from(previous), BASE_WARM_ITERATIONS_DEFAULT);
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
  // empty bases are possible only with duplicate points
  const kept = dropEmptyBases(r, k);
  return { centers: kept.centers, size: kept.size, assign: kept.assign };
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
