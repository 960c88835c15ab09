/**
 * Who is in the clustering, replayed over the vote history (Pol.is's "in-conv" rule, Small et al. 2021 and the
 * Pol.is math documentation): at every update, participants who have voted on at least min(minVotes, #statements so
 * far) statements enter (passes count); while fewer than `minParticipants` are in, the most active participants
 * are admitted too, whatever their count; once in, a participant stays in.
 *
 * A live conversation gets this from `computeOpinionMap`'s carried state; an export or a dump holds only the final
 * votes, and early participants admitted by the "most active" floor would be lost. Replaying the time-stamped
 * votes recovers them without re-running the math at every update.
 */

export interface TimedVote {
  participant: number;
  statement: number;
  /** any increasing clock (ms); votes sharing a time are one update */
  time: number;
}

export interface ReplayInclusionOptions {
  /** default 7 */
  minVotes?: number;
  /** default 15 */
  minParticipants?: number;
  /** votes within this many ms after an update's first vote form one update. Default 0: each distinct time */
  updateIntervalMs?: number;
}

/** Participant indices (sorted) in the clustering after the last update. */
export function replayInclusion(votes: readonly TimedVote[], nParticipants: number, opts: ReplayInclusionOptions = {}): Int32Array {
  const minVotes = opts.minVotes ?? 7, minParticipants = opts.minParticipants ?? 15, interval = opts.updateIntervalMs ?? 0;
  const order = Array.from({ length: votes.length }, (_, i) => i).sort((a, b) => votes[a].time - votes[b].time || a - b);
  const seen = new Set<number>();
  const statements = new Set<number>();
  const count = new Int32Array(nParticipants);
  const inFlag = new Uint8Array(nParticipants);
  let nIn = 0;
  const touched = new Set<number>();
  let lastThreshold = -1;
  const update = (): void => {
    const threshold = Math.min(minVotes, statements.size);
    const check = threshold !== lastThreshold ? Array.from({ length: nParticipants }, (_, i) => i) : [...touched];
    lastThreshold = threshold;
    for (const p of check) if (!inFlag[p] && count[p] > 0 && count[p] >= threshold) { inFlag[p] = 1; nIn++; }
    touched.clear();
    if (nIn >= minParticipants) return;
    const rest: number[] = [];
    for (let p = 0; p < nParticipants; p++) if (!inFlag[p] && count[p] > 0) rest.push(p);
    rest.sort((a, b) => count[b] - count[a] || a - b);
    for (const p of rest) { if (nIn >= minParticipants) break; inFlag[p] = 1; nIn++; }
  };
  let batchStart = -Infinity, pending = false;
  for (const k of order) {
    const v = votes[k];
    if (v.participant < 0 || v.participant >= nParticipants) continue;
    if (pending && v.time > batchStart + interval) { update(); pending = false; }
    if (!pending) { batchStart = v.time; pending = true; }
    statements.add(v.statement);
    const key = v.participant * 2 ** 21 + v.statement;
    if (!seen.has(key)) { seen.add(key); count[v.participant]++; touched.add(v.participant); }
  }
  if (pending) update();
  const out: number[] = [];
  for (let p = 0; p < nParticipants; p++) if (inFlag[p]) out.push(p);
  return Int32Array.from(out);
}
