/**
 * Sparse participant × statement vote matrix in CSR form (typed arrays, never dense).
 * Values: 1 agree, −1 disagree, 0 pass; an absent entry means "not seen".
 */
export type VoteValue = 1 | -1 | 0;

export interface Vote {
  /** participant index, 0 … nParticipants − 1 */
  participant: number;
  /** statement index, 0 … nStatements − 1 */
  statement: number;
  vote: VoteValue;
}

/** Column-oriented vote list, for bulk input (the benchmark, imports). */
export interface VoteColumns {
  participant: Int32Array;
  statement: Int32Array;
  vote: Int8Array;
}

export interface VoteMatrix {
  nParticipants: number;
  nStatements: number;
  /** length nParticipants + 1 */
  rowPtr: Int32Array;
  /** statement index of each entry, sorted within a row */
  col: Int32Array;
  /** vote of each entry */
  val: Int8Array;
}

export class VoteInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VoteInputError';
  }
}

function toColumns(votes: readonly Vote[] | VoteColumns): VoteColumns {
  if (!Array.isArray(votes)) return votes as VoteColumns;
  const list = votes as readonly Vote[];
  const n = list.length;
  const c: VoteColumns = { participant: new Int32Array(n), statement: new Int32Array(n), vote: new Int8Array(n) };
  for (let i = 0; i < n; i++) {
    c.participant[i] = list[i].participant;
    c.statement[i] = list[i].statement;
    c.vote[i] = list[i].vote;
  }
  return c;
}

function check(c: VoteColumns, nP: number, nS: number): void {
  const n = c.participant.length;
  if (c.statement.length !== n || c.vote.length !== n) throw new VoteInputError('vote columns differ in length');
  for (let i = 0; i < n; i++) {
    const p = c.participant[i], s = c.statement[i], v = c.vote[i];
    if (p < 0 || p >= nP) throw new VoteInputError(`vote ${i}: participant ${p} out of range 0…${nP - 1}`);
    if (s < 0 || s >= nS) throw new VoteInputError(`vote ${i}: statement ${s} out of range 0…${nS - 1}`);
    if (v !== 1 && v !== -1 && v !== 0) throw new VoteInputError(`vote ${i}: value ${v} is not 1, -1 or 0`);
  }
}

/**
 * Build the matrix from votes in time order: a later vote on the same (participant, statement) replaces an earlier one.
 */
export function buildVoteMatrix(nParticipants: number, nStatements: number, votes: readonly Vote[] | VoteColumns): VoteMatrix {
  const c = toColumns(votes);
  check(c, nParticipants, nStatements);
  const n = c.participant.length;
  const count = new Int32Array(nParticipants + 1);
  for (let i = 0; i < n; i++) count[c.participant[i] + 1]++;
  for (let p = 0; p < nParticipants; p++) count[p + 1] += count[p];
  const fill = count.slice(0, nParticipants);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[c.participant[i]]++] = i;
  // per row: sort by statement, stable on input order, keep the last vote per statement
  const rowPtr = new Int32Array(nParticipants + 1);
  const col = new Int32Array(n);
  const val = new Int8Array(n);
  let out = 0;
  let buf = new Float64Array(64);
  for (let p = 0; p < nParticipants; p++) {
    const a = count[p], b = count[p + 1], len = b - a;
    if (buf.length < len) buf = new Float64Array(len * 2);
    // key: statement * 2^26 + position (n ≤ 2^26 per row assumed… use rank within row instead)
    for (let k = 0; k < len; k++) buf[k] = c.statement[order[a + k]] * 67108864 + k;
    const keys = buf.subarray(0, len).sort();
    for (let k = 0; k < len; k++) {
      const s = Math.floor(keys[k] / 67108864);
      const idx = order[a + (keys[k] - s * 67108864)];
      if (k + 1 < len && Math.floor(keys[k + 1] / 67108864) === s) continue; // a later vote follows
      col[out] = s;
      val[out] = c.vote[idx];
      out++;
    }
    rowPtr[p + 1] = out;
  }
  return { nParticipants, nStatements, rowPtr, col: col.slice(0, out), val: val.slice(0, out) };
}

/**
 * Apply new votes to an existing matrix (new participants/statements may extend it). Cost: one copy of the
 * existing entries plus sorting only the touched rows. The input matrix is not modified.
 */
export function addVotes(m: VoteMatrix, votes: readonly Vote[] | VoteColumns, nParticipants = m.nParticipants, nStatements = m.nStatements): VoteMatrix {
  if (nParticipants < m.nParticipants || nStatements < m.nStatements) throw new VoteInputError('a matrix can only grow');
  const c = toColumns(votes);
  check(c, nParticipants, nStatements);
  const delta = buildVoteMatrix(nParticipants, nStatements, c);
  const rowPtr = new Int32Array(nParticipants + 1);
  // upper bound on size
  const col = new Int32Array(m.col.length + delta.col.length);
  const val = new Int8Array(m.col.length + delta.col.length);
  let out = 0;
  for (let p = 0; p < nParticipants; p++) {
    const a0 = p < m.nParticipants ? m.rowPtr[p] : 0, a1 = p < m.nParticipants ? m.rowPtr[p + 1] : 0;
    const b0 = delta.rowPtr[p], b1 = delta.rowPtr[p + 1];
    if (b0 === b1) {
      col.set(m.col.subarray(a0, a1), out);
      val.set(m.val.subarray(a0, a1), out);
      out += a1 - a0;
    } else {
      let i = a0, j = b0;
      while (i < a1 || j < b1) {
        if (j >= b1 || (i < a1 && m.col[i] < delta.col[j])) { col[out] = m.col[i]; val[out++] = m.val[i++]; }
        else if (i >= a1 || delta.col[j] < m.col[i]) { col[out] = delta.col[j]; val[out++] = delta.val[j++]; }
        else { col[out] = delta.col[j]; val[out++] = delta.val[j++]; i++; }
      }
    }
    rowPtr[p + 1] = out;
  }
  return { nParticipants, nStatements, rowPtr, col: out === col.length ? col : col.slice(0, out), val: out === val.length ? val : val.slice(0, out) };
}

/** The vote of participant p on statement s, or null when unseen. */
export function getVote(m: VoteMatrix, p: number, s: number): VoteValue | null {
  let lo = m.rowPtr[p], hi = m.rowPtr[p + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = m.col[mid];
    if (c === s) return m.val[mid] as VoteValue;
    if (c < s) lo = mid + 1; else hi = mid - 1;
  }
  return null;
}
