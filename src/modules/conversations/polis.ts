import {
  parsePolisExport, PolisCsvError, serialisePolisExport, type PolisComment, type PolisCsvProblem, type PolisExport, type PolisFiles,
} from '../../../pipelines/votes/polis-csv.js';
import { buildVoteMatrix, joinOrderHistory, polisVoteHistory, replaySteps, type OpinionMapState, type StatementFlag } from '../../../pipelines/votes/index.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import { AppError, conflict } from '../../platform/errors.js';
import type { OpinionMapPayload } from './domain.js';
import { conversationsRepo as repo } from './repo.js';
import { MAP_PARAMS, seedFor } from './jobs.js';
import { conversationOf } from './service.js';

/**
 * Pol.is interchange for a conversation. Import: all or nothing, every problem named by file and line; imported
 * participants become pseudonymous "imported" participants (no accounts); the CC BY attribution is kept on the
 * conversation. Export: the same three files, from the stored statements and (final) votes.
 */

export interface PolisImportInput {
  comments?: string;
  votes?: string;
  participantsVotes?: string;
  /** where the data came from (shown with the attribution) */
  source?: string | null;
}

export interface PolisImportResult {
  conversationId: string;
  statements: number;
  participants: number;
  votes: number;
  attribution: { text: string; license: string; source: string | null };
}

function problemsError(problems: PolisCsvProblem[]): AppError {
  const shown = problems.slice(0, 10).map((p) => `${p.file} line ${p.line}: ${p.message}`).join('; ');
  return new AppError('VALIDATION', `The Pol.is export was not imported (nothing was written): ${shown}${problems.length > 10 ? `; … ${problems.length - 10} more` : ''}.`, {
    errors: problems.map((p) => ({ path: `${p.file}:${p.line}`, message: p.message })),
  });
}

export function parseImport(input: PolisImportInput): PolisExport {
  if (!input.comments) throw problemsError([{ file: 'comments.csv', line: 0, message: 'comments.csv is required' }]);
  if (!input.votes && !input.participantsVotes) throw problemsError([{ file: 'votes.csv', line: 0, message: 'give votes.csv or participants-votes.csv (or both)' }]);
  const files: PolisFiles = { 'comments.csv': input.comments };
  if (input.votes) files['votes.csv'] = input.votes;
  if (input.participantsVotes) files['participants-votes.csv'] = input.participantsVotes;
  let exp: PolisExport;
  try {
    exp = parsePolisExport(files, { source: input.source ?? null });
  } catch (e) {
    if (e instanceof PolisCsvError) throw problemsError(e.problems);
    throw e;
  }
  // references between the files
  const problems: PolisCsvProblem[] = [];
  const known = new Set(exp.comments!.rows.map((r) => r.commentId));
  exp.comments!.rows.forEach((r, i) => {
    if (!r.body.trim()) problems.push({ file: 'comments.csv', line: i + 2, message: `comment ${r.commentId} has an empty comment-body` });
  });
  // votes.csv has no multi-line fields in Pol.is exports: record i is on line i + 2
  exp.votes?.rows.forEach((r, i) => {
    if (!known.has(r.commentId)) problems.push({ file: 'votes.csv', line: i + 2, message: `vote on comment-id ${r.commentId}, which is not in comments.csv` });
  });
  exp.participantsVotes?.commentColumns.forEach((c) => {
    if (!known.has(c)) problems.push({ file: 'participants-votes.csv', line: 1, message: `column for comment-id ${c}, which is not in comments.csv` });
  });
  if (problems.length) throw problemsError(problems);
  return exp;
}

const notEmpty = () => conflict('Pol.is data can only be imported into a conversation without statements; create a new conversation for it.');

/**
 * Imports a Pol.is export into an empty conversation, in one transaction. The history replay before it yields to
 * the event loop between updates (a large export's replay takes seconds), so the conversation is checked again
 * inside the transaction.
 */
export async function importPolis(ctx: Ctx, assemblyId: string, conversationId: string, input: PolisImportInput): Promise<PolisImportResult> {
  const conv = conversationOf(ctx, assemblyId, conversationId);
  const exp = parseImport(input);
  if (repo.nextTid(ctx.db, conversationId) !== 0) throw notEmpty();
  const comments = exp.comments!.rows;
  // final votes: participants-votes.csv when given, else votes.csv in time order (the last vote wins)
  const final = new Map<string, { pid: number; cid: number; vote: number; at: number | null }>();
  const lastAt = new Map<string, number>();
  if (exp.votes) {
    const ordered = exp.votes.rows.map((r, i) => ({ r, i })).sort((a, b) => (a.r.timestamp ?? 0) - (b.r.timestamp ?? 0) || a.i - b.i);
    for (const { r } of ordered) {
      const key = `${r.voterId}:${r.commentId}`;
      if (r.timestamp !== null) lastAt.set(key, r.timestamp);
      if (!exp.participantsVotes) final.set(key, { pid: r.voterId, cid: r.commentId, vote: r.vote, at: r.timestamp });
    }
  }
  if (exp.participantsVotes) {
    const pv = exp.participantsVotes;
    for (const row of pv.rows) row.votes.forEach((v, k) => {
      if (v === null) return;
      const key = `${row.participant}:${pv.commentColumns[k]}`;
      final.set(key, { pid: row.participant, cid: pv.commentColumns[k], vote: v, at: lastAt.get(key) ?? null });
    });
  }
  const pids = new Set<number>();
  for (const c of comments) if (c.authorId !== null) pids.add(c.authorId);
  for (const v of final.values()) pids.add(v.pid);
  exp.participantsVotes?.rows.forEach((r) => pids.add(r.participant));
  const polisGroup = new Map(exp.participantsVotes?.rows.map((r) => [r.participant, r.groupId]) ?? []);
  const counts = new Map<number, { a: number; d: number; p: number }>();
  for (const v of final.values()) {
    const c = counts.get(v.cid) ?? { a: 0, d: 0, p: 0 };
    if (v.vote === 1) c.a++;
    else if (v.vote === -1) c.d++;
    else c.p++;
    counts.set(v.cid, c);
  }
  // the opinion-map state a live conversation would have carried through votes.csv's history (rows are inserted
  // in pid and comment-id order, so the indices below are the ones the next recompute loads)
  const sortedPids = [...pids].sort((a, b) => a - b);
  const sortedComments = [...comments].sort((a, b) => a.commentId - b.commentId);
  const hadParticipants = repo.participants(ctx.db, conversationId).length > 0;
  const replayed = hadParticipants
    ? null
    : await replayImportState(exp, sortedPids, sortedComments, seedFor(ctx.config.seed, conversationId), final.values());
  const mathState = replayed?.state ?? null;
  const now = ctx.clock().getTime();
  const attribution = { text: exp.attribution.text, license: exp.attribution.license, source: exp.attribution.source };
  const ins = ctx.db.$client.prepare('insert into votes (statement_id, participant_id, conversation_id, vote, voted_at, changes, seq) values (?, ?, ?, ?, ?, 0, ?)');
  return ctx.db.transaction((tx) => {
    // written meanwhile (another import, a statement): the replayed state would not fit it
    if (repo.nextTid(tx, conversationId) !== 0 || (!hadParticipants && repo.participants(tx, conversationId).length > 0)) throw notEmpty();
    const pRow = new Map<number, number>();
    for (const pid of sortedPids) {
      pRow.set(pid, repo.insertParticipant(tx, { conversationId, kind: 'imported', userId: null, pseudonym: `Pol.is #${pid}`, externalId: pid, polisGroup: polisGroup.get(pid) ?? null }).id);
    }
    const sRow = new Map<number, number>();
    for (const c of sortedComments) {
      const n = counts.get(c.commentId) ?? { a: 0, d: 0, p: 0 };
      const row = repo.insertStatement(tx, {
        conversationId, tid: c.commentId, authorId: c.authorId === null ? null : pRow.get(c.authorId)!, text: c.body,
        status: c.moderated === 1 ? 'accepted' : c.moderated === -1 ? 'rejected' : 'pending', isMeta: c.isMeta === true,
        agreeCount: n.a, disagreeCount: n.d, passCount: n.p, createdAt: c.timestamp !== null ? new Date(c.timestamp).toISOString() : new Date(now).toISOString(),
      });
      sRow.set(c.commentId, row.id);
    }
    const seq = conv.voteEvents + final.size; // the vote_events this import ends at (math-cache.ts watermark)
    for (const v of final.values()) ins.run(sRow.get(v.cid)!, pRow.get(v.pid)!, conversationId, v.vote, v.at ?? now, seq);
    repo.update(tx, conversationId, { attribution, voteEvents: conv.voteEvents + final.size, ...(mathState ? { mathState } : {}) });
    recordAudit(tx, {
      actorId: actorId(ctx.actor), action: 'conversation.import', subject: `conversation:${conversationId}`,
      data: { format: 'polis', statements: comments.length, participants: pids.size, votes: final.size, source: attribution.source, history: replayed?.history ?? null },
    });
    return { conversationId, statements: comments.length, participants: pids.size, votes: final.size, attribution };
  });
}

/**
 * Replays a Pol.is export's vote history through the opinion-map math, update by update as a live conversation
 * here (and Pol.is) would have computed it, and returns the state to continue from: the first recompute after the
 * import then warm-starts from the history instead of starting cold on the final votes. The history is votes.csv's
 * timestamps when every row has one; otherwise a stand-in with participants in join order (pid order: Pol.is numbers
 * participants as they join) over the final votes — measured on the public exports, it agrees with Pol.is's groups
 * almost as well as the true history (evals/votes). Participants are indexed in `pidOrder`, statements in `comments`
 * order, flagged as the recompute flags them. Null when there are no votes or nothing could be clustered.
 */
export async function replayImportState(
  exp: PolisExport, pidOrder: readonly number[], comments: readonly PolisComment[], seed: number,
  finalVotes: Iterable<{ pid: number; cid: number; vote: number }>,
): Promise<{ state: OpinionMapState; history: 'votes.csv' | 'join-order' } | null> {
  const pIndex = new Map(pidOrder.map((p, i) => [p, i]));
  const sIndex = new Map(comments.map((c, i) => [c.commentId, i]));
  let votes = polisVoteHistory(exp, pIndex, sIndex);
  const history = votes ? 'votes.csv' : 'join-order';
  if (!votes) {
    const cols = { participant: [] as number[], statement: [] as number[], vote: [] as number[] };
    for (const v of finalVotes) {
      const participant = pIndex.get(v.pid), statement = sIndex.get(v.cid);
      if (participant === undefined || statement === undefined || (v.vote !== 1 && v.vote !== -1 && v.vote !== 0)) continue;
      cols.participant.push(participant); cols.statement.push(statement); cols.vote.push(v.vote);
    }
    if (cols.vote.length === 0) return null;
    votes = joinOrderHistory(buildVoteMatrix(pidOrder.length, comments.length, {
      participant: Int32Array.from(cols.participant), statement: Int32Array.from(cols.statement), vote: Int8Array.from(cols.vote),
    }));
  }
  const statementFlags: StatementFlag[] = comments.map((c) => (c.moderated !== 1 ? 'rejected' : c.isMeta ? 'meta' : 'ok'));
  const steps = replaySteps({ nParticipants: pidOrder.length, nStatements: comments.length, votes, statementFlags }, { seed, ...MAP_PARAMS });
  let slice = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value.result.state ? { state: step.value.result.state, history } : null;
    // let other requests in at least every 50 ms
    if (performance.now() - slice > 50) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }
}

const COMMENT_HEADER = ['timestamp', 'datetime', 'comment-id', 'author-id', 'agrees', 'disagrees', 'moderated', 'comment-body'];
const VOTE_HEADER = ['timestamp', 'datetime', 'comment-id', 'voter-id', 'vote'];
/** Pol.is writes dates like "Wed Jun 18 11:53:44 WIB 2014"; we write the UTC form of the timestamp. */
export const polisDate = (ms: number) => new Date(ms).toUTCString();

export interface PolisExportResult {
  files: { 'comments.csv': string; 'votes.csv': string; 'participants-votes.csv': string };
  attribution: { text: string; license: string; source: string | null } | null;
}

/** Exports a conversation as Pol.is CSV files: final votes only (one row per participant and statement). */
export function exportPolis(ctx: Ctx, assemblyId: string, conversationId: string): PolisExportResult {
  const conv = conversationOf(ctx, assemblyId, conversationId);
  const participants = repo.participants(ctx.db, conversationId);
  const stmts = repo.statements(ctx.db, conversationId);
  const allVotes = repo.votes(ctx.db, conversationId);
  // Pol.is ids: imported participants keep theirs, members get numbers after the largest imported one
  let nextId = Math.max(-1, ...participants.map((p) => p.externalId ?? -1)) + 1;
  const exportId = new Map<number, number>();
  for (const p of participants) exportId.set(p.id, p.externalId ?? nextId++);
  const tidOf = new Map(stmts.map((s) => [s.id, s.tid]));
  // groups: the published map's when there is one, else the imported Pol.is group
  const published = repo.publishedMap(ctx.db, conversationId);
  const mapGroup = new Map<number, number>();
  if (published) for (const p of (published.body as OpinionMapPayload).participants) if (p.group >= 0) mapGroup.set(p.participantId, p.group);
  const anyMeta = stmts.some((s) => s.isMeta);
  const commentHeader = anyMeta ? [...COMMENT_HEADER, 'is-meta'] : COMMENT_HEADER;
  const byStatement = new Map<number, { a: number; d: number }>();
  for (const v of allVotes) {
    const c = byStatement.get(v.statementId) ?? { a: 0, d: 0 };
    if (v.vote === 1) c.a++;
    else if (v.vote === -1) c.d++;
    byStatement.set(v.statementId, c);
  }
  const exp: PolisExport = {
    attribution: { text: conv.attribution?.text ?? '', license: 'CC BY 4.0', source: conv.attribution?.source ?? null },
    comments: {
      header: commentHeader,
      eol: '\n',
      trailingNewline: true,
      rows: [...stmts].sort((a, b) => b.tid - a.tid).map((s) => {
        const ts = Date.parse(s.createdAt);
        return {
          commentId: s.tid, authorId: s.authorId == null ? null : exportId.get(s.authorId)!, timestamp: ts,
          agrees: byStatement.get(s.id)?.a ?? 0, disagrees: byStatement.get(s.id)?.d ?? 0,
          moderated: s.status === 'accepted' ? 1 : s.status === 'rejected' ? -1 : 0, isMeta: s.isMeta, body: s.text,
          extra: { datetime: polisDate(ts), ...(anyMeta ? { 'is-meta': s.isMeta ? 'true' : 'false' } : {}) },
        };
      }),
    },
    votes: {
      header: VOTE_HEADER,
      eol: '\n',
      trailingNewline: true,
      rows: allVotes
        .map((v) => ({ timestamp: v.votedAt, commentId: tidOf.get(v.statementId)!, voterId: exportId.get(v.participantId)!, vote: v.vote as 1 | -1 | 0, extra: { datetime: polisDate(v.votedAt) } }))
        .sort((a, b) => a.timestamp - b.timestamp || a.commentId - b.commentId || a.voterId - b.voterId),
    },
    participantsVotes: null,
  };
  const tids = stmts.map((s) => s.tid).sort((a, b) => a - b);
  const col = new Map(tids.map((t, k) => [t, k]));
  const perP = new Map<number, { votes: Array<1 | -1 | 0 | null>; a: number; d: number; n: number }>();
  for (const v of allVotes) {
    let r = perP.get(v.participantId);
    if (!r) perP.set(v.participantId, (r = { votes: tids.map(() => null), a: 0, d: 0, n: 0 }));
    r.votes[col.get(tidOf.get(v.statementId)!)!] = v.vote as 1 | -1 | 0;
    r.n++;
    if (v.vote === 1) r.a++;
    else if (v.vote === -1) r.d++;
  }
  const authored = new Map<number, number>();
  for (const s of stmts) if (s.authorId != null) authored.set(s.authorId, (authored.get(s.authorId) ?? 0) + 1);
  exp.participantsVotes = {
    header: ['participant', 'group-id', 'n-comments', 'n-votes', 'n-agree', 'n-disagree', ...tids.map(String)],
    commentColumns: tids,
    eol: '\n',
    trailingNewline: true,
    rows: participants
      .filter((p) => perP.has(p.id) || authored.has(p.id))
      .map((p) => {
        const r = perP.get(p.id) ?? { votes: tids.map(() => null), a: 0, d: 0, n: 0 };
        const g = published ? (mapGroup.get(p.id) ?? null) : p.polisGroup;
        return { participant: exportId.get(p.id)!, groupId: g, votes: r.votes, extra: { 'n-comments': String(authored.get(p.id) ?? 0), 'n-votes': String(r.n), 'n-agree': String(r.a), 'n-disagree': String(r.d) } };
      })
      .sort((a, b) => a.participant - b.participant),
  };
  const files = serialisePolisExport(exp);
  return {
    files: { 'comments.csv': files['comments.csv']!, 'votes.csv': files['votes.csv']!, 'participants-votes.csv': files['participants-votes.csv']! },
    attribution: conv.attribution ?? null,
  };
}
