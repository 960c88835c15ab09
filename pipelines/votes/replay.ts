/**
 * Opinion maps replayed over a conversation's vote history.
 *
 * Pol.is recomputes its math each time new votes arrive, and every stage continues from the previous update:
 * power iteration from the previous components, base clusters from the previous memberships, each k's group
 * clustering from the previous clustering for that k, the shown k smoothed over updates, and participants once
 * clustered stay clustered. Its groups are therefore a local optimum that depends on the order in which votes
 * came in. A live conversation in Plenary does the same (the service recomputes with the previous state); an export
 * or a dump holds only the history, so this function replays it: votes are grouped into updates (all votes within
 * `updateIntervalMs` of an update's first vote), and `computeOpinionMap` runs once per update with the previous
 * update's state, with `LIVE_OPTIONS` (the options the service uses for a live conversation) unless overridden.
 *
 * Pure and deterministic: the same votes, flags and options give the same result.
 */
import { addVotes, buildVoteMatrix, type VoteColumns, type VoteMatrix, type VoteValue } from './matrix.js';
import { LIVE_TUNED, REPLAY_TUNED } from '../tuned.js';
import { computeOpinionMap, type OpinionMapOptions, type OpinionMapResult, type OpinionMapState, type StatementFlag } from './opinion-map.js';

export interface TimedVoteValue {
  participant: number;
  statement: number;
  vote: VoteValue;
  /** any increasing clock (ms); ties keep input order */
  time: number;
}

export interface ReplayInput {
  nParticipants: number;
  nStatements: number;
  votes: readonly TimedVoteValue[];
  /** final moderation flags, applied at every update (the history of moderation is not known) */
  statementFlags?: ArrayLike<StatementFlag>;
}

export interface ReplayOptions extends OpinionMapOptions {
  /** votes within this many ms after an update's first vote form one update. Default 1 minute */
  updateIntervalMs?: number;
  /** at most this many updates: the interval is doubled until the history fits. Default 300 */
  maxUpdates?: number;
}

export interface ReplayResult {
  /** the map after the last update (its `state` continues a live conversation) */
  result: OpinionMapResult;
  /** updates replayed (math runs), and those that could be clustered */
  updates: number;
  clusteredUpdates: number;
  /** the update interval used (ms), after doubling to fit `maxUpdates` */
  intervalMs: number;
  /** shown k after each clustered update */
  kHistory: number[];
  ms: number;
}

/** Tuned on the validation conversations: see pipelines/tuned.ts. */
export const REPLAY_DEFAULTS = REPLAY_TUNED;

/**
 * Options for a conversation whose math runs update after update (a live conversation, or a replayed history);
 * the service uses them for every recompute, so a live conversation and a replay of its history agree. Measured
 * against Pol.is (public exports and API dumps, see evals/bench/RESULTS.md), as Pol.is does:
 * - cold start from the first k distinct points (base clusters, then groups over the base centres);
 * - base clusters continued from the previous memberships (in `computeOpinionMap` whenever the state has them);
 * - each k's group clustering restarted from the first k base centres in carried base order ('first'; continuing
 *   each k's previous clustering agreed less with Pol.is's API dumps: mean ARI 0.50 against 0.83);
 * - every vote counts towards entry; silhouette over the base centres, each counting once.
 */
export const LIVE_OPTIONS = LIVE_TUNED;

/** Update boundaries: indices into `order` where each update ends (exclusive). */
export function updateBoundaries(times: ArrayLike<number>, order: ArrayLike<number>, intervalMs: number): number[] {
  const ends: number[] = [];
  let start = -Infinity;
  for (let r = 0; r < order.length; r++) {
    const t = times[order[r]];
    if (r > 0 && t > start + intervalMs) ends.push(r);
    if (r === 0 || t > start + intervalMs) start = t;
  }
  if (order.length > 0) ends.push(order.length);
  return ends;
}

/**
 * A stand-in history for votes without timestamps (a Pol.is export without votes.csv, only the participants × statements
 * matrix): participants arrive in index order — Pol.is numbers participants as they join, and imports index them by
 * that number —, one per `intervalMs`, each casting all their votes at once in statement order (statement ids are
 * given in creation order). Participants without votes are skipped. Replayed with the default interval, an update
 * takes two arrivals (votes up to one interval after its first, inclusive), more once the update cap widens the
 * interval; the replay follows the order in which the groups formed,
 * which the final votes alone do not record. Measured on the public exports that do have timestamps (evals/votes,
 * `ari_joinOrder`): it agrees with Pol.is almost as well as the true history, and better than one shot.
 */
export function joinOrderHistory(matrix: VoteMatrix, intervalMs: number = REPLAY_DEFAULTS.updateIntervalMs): TimedVoteValue[] {
  const out: TimedVoteValue[] = [];
  let rank = 0;
  for (let p = 0; p < matrix.nParticipants; p++) {
    const from = matrix.rowPtr[p], to = matrix.rowPtr[p + 1];
    if (to === from) continue;
    const time = rank++ * intervalMs;
    for (let e = from; e < to; e++) out.push({ participant: p, statement: matrix.col[e], vote: matrix.val[e] as VoteValue, time });
  }
  return out;
}

export function replayOpinionMaps(input: ReplayInput, options: ReplayOptions): ReplayResult {
  const steps = replaySteps(input, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `replayOpinionMaps` one update at a time: yields the number of updates done after each, and returns the result.
 * A caller on an event loop can yield to it between updates (a long history then never blocks it for long).
 */
export function* replaySteps(input: ReplayInput, options: ReplayOptions): Generator<number, ReplayResult, void> {
  const t0 = performance.now();
  const { nParticipants: P, nStatements: S, votes } = input;
  const { updateIntervalMs, maxUpdates, ...mapOptions } = options;
  const maxU = Math.max(1, maxUpdates ?? REPLAY_DEFAULTS.maxUpdates);
  let interval = Math.max(0, updateIntervalMs ?? REPLAY_DEFAULTS.updateIntervalMs);
  const times = Float64Array.from(votes, (v) => v.time);
  for (const t of times) if (!Number.isFinite(t)) throw new Error('replayOpinionMaps: every vote needs a finite time');
  const order = Int32Array.from({ length: votes.length }, (_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  let ends = updateBoundaries(times, order, interval);
  while (ends.length > maxU) {
    interval = Math.max(1, interval * 2);
    ends = updateBoundaries(times, order, interval);
  }
  // Pol.is's cold start: the first k distinct points (base clusters and each k's group clustering)
  const opts: OpinionMapOptions = { ...LIVE_OPTIONS, ...mapOptions };
  let matrix: VoteMatrix = buildVoteMatrix(P, S, { participant: new Int32Array(0), statement: new Int32Array(0), vote: new Int8Array(0) });
  let state: OpinionMapState | null = options.previous ?? null;
  let result: OpinionMapResult | null = null;
  let clustered = 0;
  const kHistory: number[] = [];
  // Pol.is's rows are in order of first vote: the order-dependent starts follow it
  const participantOrder = new Float64Array(P).fill(Infinity);
  for (let r = 0; r < order.length; r++) { const p = votes[order[r]].participant; if (participantOrder[p] === Infinity) participantOrder[p] = r; }
  let from = 0;
  let done = 0;
  for (const end of ends) {
    const n = end - from;
    const batch: VoteColumns = { participant: new Int32Array(n), statement: new Int32Array(n), vote: new Int8Array(n) };
    for (let r = 0; r < n; r++) {
      const v = votes[order[from + r]];
      batch.participant[r] = v.participant; batch.statement[r] = v.statement; batch.vote[r] = v.vote;
    }
    from = end;
    matrix = addVotes(matrix, batch);
    result = computeOpinionMap({ matrix, statementFlags: input.statementFlags, participantOrder }, { ...opts, previous: state });
    if (result.status === 'ok') { state = result.state; clustered++; kHistory.push(result.k); }
    yield ++done;
  }
  if (!result) result = computeOpinionMap({ matrix, statementFlags: input.statementFlags, participantOrder }, { ...opts, previous: state });
  return { result, updates: ends.length, clusteredUpdates: clustered, intervalMs: interval, kHistory, ms: performance.now() - t0 };
}
