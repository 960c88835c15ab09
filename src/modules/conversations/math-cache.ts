import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { addVotes, buildVoteMatrix, type StatementFlag, type VoteColumns, type VoteMatrix } from '../../../pipelines/votes/index.js';
import type { Db } from '../../platform/db/client.js';
import { conversationsRepo as repo, type ConversationRow, type StatementRow } from './repo.js';

/**
 * The vote math's input, kept warm between recomputes.
 *
 * A recompute needs the whole participant × statement vote matrix. Reading it from SQLite costs seconds at 10 M
 * votes, so the job process keeps each conversation's matrix in memory and, at the next recompute, reads only the
 * votes written since: every write of a vote row sets `votes.seq` above the conversation's `vote_events` as it was
 * before the write (schema.ts), so the rows with `seq > W` — W the `vote_events` the last read saw — are exactly the
 * votes added or changed since. They are merged into the matrix (`addVotes`: the later vote wins). Everything is
 * read inside one read transaction, so the matrix and the watermark it reflects belong to the same snapshot.
 *
 * Indices: participants and statements in id order (ids only grow, so new ones are appended and old indices stay).
 * A cold read (first recompute after a start, or when the cached ids no longer match — a cascade delete) streams
 * the vote rows as raw typed columns instead of row objects.
 *
 * The input hash is SHA-256 over the statement flags, the participant and statement ids and the CSR matrix's
 * arrays: the matrix is canonical (columns sorted, one entry per pair), so the same votes give the same hash
 * whichever path built it, at the cost of hashing ~5 bytes a vote (≈50 MB at 10 M votes) instead of sorting strings.
 */
export interface MathInput {
  conv: ConversationRow;
  participants: { id: number }[];
  stmts: StatementRow[];
  matrix: VoteMatrix;
  flags: StatementFlag[];
  inputHash: string;
  /** the conversation's vote_events when the votes were read: the draft reflects every vote event up to it */
  watermark: number;
  load: { kind: 'cold' | 'warm'; votesRead: number; seconds: number; cpuSeconds: number };
}

interface Warm {
  participantIds: number[];
  statementIds: number[];
  matrix: VoteMatrix;
  watermark: number;
}

/** id → dense index: a typed table when the ids are compact (the usual case), a Map otherwise. */
class IdIndex {
  private readonly min: number;
  private readonly table: Int32Array | null;
  private readonly map: Map<number, number> | null;
  constructor(ids: readonly number[]) {
    const min = ids.length ? ids[0] : 0, max = ids.length ? ids[ids.length - 1] : -1;
    this.min = min;
    if (max - min + 1 <= Math.max(1024, 4 * ids.length)) {
      this.table = new Int32Array(Math.max(0, max - min + 1)).fill(-1);
      ids.forEach((id, i) => (this.table![id - min] = i));
      this.map = null;
    } else {
      this.table = null;
      this.map = new Map(ids.map((id, i) => [id, i]));
    }
  }
  get(id: number): number {
    if (this.table) {
      const k = id - this.min;
      return k >= 0 && k < this.table.length ? this.table[k] : -1;
    }
    return this.map!.get(id) ?? -1;
  }
}

const HASH_VERSION = 'csr-sha256-v1';

/** CPU seconds (user + system) this process spent since `c0`. */
export function cpuSince(c0: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1e6;
}

export function matrixInputHash(flags: readonly StatementFlag[], participantIds: readonly number[], statementIds: readonly number[], m: VoteMatrix): string {
  const h = createHash('sha256');
  h.update(`${HASH_VERSION}\n${JSON.stringify(flags)}\n`);
  const bytes = (a: Int32Array | Int8Array | Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  h.update(bytes(Float64Array.from(participantIds)));
  h.update(bytes(Float64Array.from(statementIds)));
  h.update(bytes(m.rowPtr));
  h.update(bytes(m.col));
  h.update(bytes(m.val));
  return h.digest('hex');
}

/**
 * A vote row packed into one integer, so the read returns plain numbers (`.pluck()`) instead of an array per row:
 * participant id · 2^24 + statement id · 4 + (vote + 1). Exact while statement ids stay below 2^22 and participant
 * ids below 2^29 (2^53 in all); `load` checks the largest ids and reads unpacked rows beyond that.
 */
const PACKED = "(participant_id * 16777216 + statement_id * 4 + vote + 1)";
const PACK_LIMITS = { statement: 2 ** 22, participant: 2 ** 29 };

interface Statements {
  participantsAfter: Database.Statement<[string, number], [number]>;
  participantCount: Database.Statement<[string], [number]>;
  voteCount: Database.Statement<[string], [number]>;
  votesAll: Database.Statement<[string], [number, number, number]>;
  votesSince: Database.Statement<[string, number], [number, number, number]>;
  packedAll: Database.Statement<[string], number>;
  packedSince: Database.Statement<[string, number], number>;
}
const prepared = new WeakMap<Database.Database, Statements>();
function statementsFor(client: Database.Database): Statements {
  let s = prepared.get(client);
  if (!s) {
    s = {
      participantsAfter: client.prepare<[string, number], [number]>('select id from conversation_participants where conversation_id = ? and id > ? order by id').raw(),
      participantCount: client.prepare<[string], [number]>('select count(*) from conversation_participants where conversation_id = ?').raw(),
      voteCount: client.prepare<[string], [number]>('select count(*) from votes where conversation_id = ?').raw(),
      votesAll: client.prepare<[string], [number, number, number]>('select participant_id, statement_id, vote from votes where conversation_id = ?').raw(),
      votesSince: client.prepare<[string, number], [number, number, number]>('select participant_id, statement_id, vote from votes where conversation_id = ? and seq > ?').raw(),
      packedAll: client.prepare<[string], number>(`select ${PACKED} from votes where conversation_id = ?`).pluck(),
      packedSince: client.prepare<[string, number], number>(`select ${PACKED} from votes where conversation_id = ? and seq > ?`).pluck(),
    };
    prepared.set(client, s);
  }
  return s;
}

/** Vote rows (participant id, statement id, vote) into index columns, growing as needed; no allocation per row. */
class ColumnBuilder {
  private n = 0;
  private participant: Int32Array;
  private statement: Int32Array;
  private vote: Int8Array;
  constructor(sizeHint: number, private readonly pIndex: IdIndex, private readonly sIndex: IdIndex) {
    this.participant = new Int32Array(Math.max(16, sizeHint));
    this.statement = new Int32Array(this.participant.length);
    this.vote = new Int8Array(this.participant.length);
  }
  push(p: number, s: number, v: number): void {
    const n = this.n;
    if (n === this.participant.length) {
      const grow = <T extends Int32Array | Int8Array>(a: T, b: T) => (b.set(a), b);
      this.participant = grow(this.participant, new Int32Array(n * 2));
      this.statement = grow(this.statement, new Int32Array(n * 2));
      this.vote = grow(this.vote, new Int8Array(n * 2));
    }
    const pi = this.pIndex.get(p), si = this.sIndex.get(s);
    if (pi < 0 || si < 0) throw new Error(`vote row (${p}, ${s}) names a participant or statement outside the snapshot`);
    this.participant[n] = pi; this.statement[n] = si; this.vote[n] = v;
    this.n = n + 1;
  }
  done(): VoteColumns {
    return { participant: this.participant.subarray(0, this.n), statement: this.statement.subarray(0, this.n), vote: this.vote.subarray(0, this.n) };
  }
}

/** Packed rows (the hot loop of a cold read: one number per row) into index columns. */
function packedToColumns(rows: Iterable<number>, sizeHint: number, pIndex: IdIndex, sIndex: IdIndex): VoteColumns {
  const b = new ColumnBuilder(sizeHint, pIndex, sIndex);
  for (const x of rows) {
    const p = Math.floor(x / 16777216), rest = x - p * 16777216;
    b.push(p, rest >>> 2, (rest & 3) - 1);
  }
  return b.done();
}

/** Rows [participant id, statement id, vote] into index columns (ids beyond the packed range). */
function toColumns(rows: Iterable<[number, number, number]>, sizeHint: number, pIndex: IdIndex, sIndex: IdIndex): VoteColumns {
  const b = new ColumnBuilder(sizeHint, pIndex, sIndex);
  for (const [p, s, v] of rows) b.push(p, s, v);
  return b.done();
}

const sameIds = (cached: readonly number[], now: readonly number[]) => cached.length <= now.length && cached.every((id, i) => now[i] === id);

/**
 * One per job process: each conversation's matrix, kept for the next recompute. At most `capacity` conversations
 * (the least recently used goes first); a restarted process reads cold once and is warm after.
 */
export class MathCache {
  private readonly warm = new Map<string, Warm>();
  constructor(private readonly capacity = 4) {}

  /** The conversation's math input as of one snapshot, read warm when possible; undefined when it does not exist. */
  load(db: Db, conversationId: string): MathInput | undefined {
    const client = db.$client;
    const q = statementsFor(client);
    const t0 = performance.now(), c0 = process.cpuUsage();
    const read = client.transaction(() => {
      const conv = repo.byId(db, conversationId);
      if (!conv) return undefined;
      const stmts = repo.statements(db, conversationId).sort((a, b) => a.id - b.id);
      const statementIds = stmts.map((s) => s.id);
      let cached = this.warm.get(conversationId);
      if (cached && !sameIds(cached.statementIds, statementIds)) cached = undefined;
      const lastPid = cached?.participantIds.at(-1) ?? -1;
      const added = q.participantsAfter.all(conversationId, lastPid).map((r) => r[0]);
      const participantIds = cached ? [...cached.participantIds, ...added] : added;
      if (cached && q.participantCount.get(conversationId)![0] !== participantIds.length) {
        // a participant was removed: start again from SQLite
        this.warm.delete(conversationId);
        return 'cold-again' as const;
      }
      const pIndex = new IdIndex(participantIds), sIndex = new IdIndex(statementIds);
      const packable = (statementIds.at(-1) ?? 0) < PACK_LIMITS.statement && (participantIds.at(-1) ?? 0) < PACK_LIMITS.participant;
      const cols = cached
        ? packable
          ? packedToColumns(q.packedSince.iterate(conversationId, cached.watermark), 1024, pIndex, sIndex)
          : toColumns(q.votesSince.iterate(conversationId, cached.watermark), 1024, pIndex, sIndex)
        : packable
          ? packedToColumns(q.packedAll.iterate(conversationId), q.voteCount.get(conversationId)![0], pIndex, sIndex)
          : toColumns(q.votesAll.iterate(conversationId), q.voteCount.get(conversationId)![0], pIndex, sIndex);
      const matrix = cached
        ? addVotes(cached.matrix, cols, participantIds.length, statementIds.length)
        : buildVoteMatrix(participantIds.length, statementIds.length, cols);
      return { conv, stmts, participantIds, statementIds, matrix, kind: cached ? ('warm' as const) : ('cold' as const), votesRead: cols.vote.length };
    });
    let got = read.deferred();
    if (got === 'cold-again') got = read.deferred();
    if (got === undefined || got === 'cold-again') return undefined;
    const { conv, stmts, participantIds, statementIds, matrix, kind, votesRead } = got;
    this.warm.delete(conversationId);
    this.warm.set(conversationId, { participantIds, statementIds, matrix, watermark: conv.voteEvents });
    while (this.warm.size > this.capacity) this.warm.delete(this.warm.keys().next().value!);
    const flags: StatementFlag[] = stmts.map((s) => (s.status !== 'accepted' ? 'rejected' : s.isMeta ? 'meta' : 'ok'));
    const inputHash = matrixInputHash(flags, participantIds, statementIds, matrix);
    const participants = participantIds.map((id) => ({ id }));
    return { conv, participants, stmts, matrix, flags, inputHash, watermark: conv.voteEvents, load: { kind, votesRead, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSince(c0) } };
  }

  /** Forget a conversation (tests, or after a destructive change). */
  forget(conversationId: string): void {
    this.warm.delete(conversationId);
  }
}
