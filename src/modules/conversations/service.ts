import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import type { Db, Tx } from '../../platform/db/client.js';
import { groupCommit } from '../../platform/db/group-commit.js';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { ReviewQueue } from '../../platform/review/queue.js';
import type { ReviewKind } from '../../platform/review/registry.js';
import {
  hash32, OPINION_MAP_KIND, OpinionMapPayload, pickNext, RECOMPUTE_JOB, similarTo, StatementText, trigrams, VOTE_VALUES,
  type RoutingCandidate, type VoteValue,
} from './domain.js';
import { conversationsRepo as repo, type ConversationRow, type StatementRow } from './repo.js';

/** Clustering needs at least this many participants with votes (pipelines/votes minClusterParticipants default). */
export const MIN_CLUSTER_PARTICIPANTS = 10;

type Jobs = Pick<JobQueue, 'enqueue'>;

// ---------- views ----------

export interface ConversationView {
  id: string;
  assemblyId: string;
  topic: string;
  description: string;
  moderation: 'pre' | 'post';
  status: 'open' | 'closed';
  recomputeEvery: number;
  voteEvents: number;
  attribution: { text: string; license: string; source: string | null } | null;
  statements: { pending: number; accepted: number; rejected: number };
  createdAt: string;
}

function view(db: Db | Tx, c: ConversationRow): ConversationView {
  const counts = { pending: 0, accepted: 0, rejected: 0 };
  for (const r of repo.statementCounts(db, c.id)) counts[r.status] = r.n;
  return {
    id: c.id, assemblyId: c.assemblyId, topic: c.topic, description: c.description, moderation: c.moderation, status: c.status,
    recomputeEvery: c.recomputeEvery, voteEvents: c.voteEvents, attribution: c.attribution ?? null, statements: counts, createdAt: c.createdAt,
  };
}

export interface StatementView {
  id: number;
  tid: number;
  text: string;
  status: 'pending' | 'accepted' | 'rejected';
  isMeta: boolean;
  author: string | null;
  votes: { agree: number; disagree: number; pass: number };
  createdAt: string;
}

function statementView(s: StatementRow, authors: Map<number, string>): StatementView {
  return {
    id: s.id, tid: s.tid, text: s.text, status: s.status, isMeta: s.isMeta, author: s.authorId == null ? null : (authors.get(s.authorId) ?? null),
    votes: { agree: s.agreeCount, disagree: s.disagreeCount, pass: s.passCount }, createdAt: s.createdAt,
  };
}

/** The conversation, checked to belong to the assembly in the path. */
export function conversationOf(ctx: Pick<Ctx, 'db'>, assemblyId: string, conversationId: string): ConversationRow {
  const c = repo.byId(ctx.db, conversationId);
  if (!c || c.assemblyId !== assemblyId) throw notFound('Conversation', conversationId);
  return c;
}

function userId(ctx: Ctx): string {
  const id = actorId(ctx.actor);
  if (!id) throw new AppError('UNAUTHENTICATED', 'Sign in to take part.');
  return id;
}

/** The caller's participant row in this conversation, created on first contribution. */
/** The caller's participant row, created on first contribution (prepared statements: a first vote is a hot path too). */
function participantFor(ctx: Ctx, conv: Pick<ConversationRow, 'id' | 'assemblyId'>): number {
  const uid = userId(ctx);
  const f = repo.fast(ctx.db);
  const found = f.participant.get(conv.id, uid);
  if (found) return found.id;
  const pseudonym = f.pseudonym.get(conv.assemblyId, uid)?.p ?? (ctx.actor.kind === 'user' ? ctx.actor.displayName : 'participant');
  return f.insertMember.get(conv.id, uid, pseudonym)!.id;
}

// ---------- conversations ----------

export function createConversation(ctx: Ctx, assemblyId: string, input: { topic: string; description?: string; moderation?: 'pre' | 'post'; recomputeEvery?: number }): ConversationView {
  return ctx.db.transaction((tx) => {
    const row = repo.insert(tx, {
      id: newId('cv_'), assemblyId, topic: input.topic, description: input.description ?? '', moderation: input.moderation ?? 'pre',
      recomputeEvery: input.recomputeEvery ?? 50, createdBy: actorId(ctx.actor),
    });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'conversation.create', subject: `conversation:${row.id}`, data: { assemblyId, moderation: row.moderation } });
    return view(tx, row);
  });
}

export function listConversations(ctx: Ctx, assemblyId: string): ConversationView[] {
  return repo.forAssembly(ctx.db, assemblyId).map((c) => view(ctx.db, c));
}

export function getConversation(ctx: Ctx, assemblyId: string, conversationId: string): ConversationView {
  return view(ctx.db, conversationOf(ctx, assemblyId, conversationId));
}

export function updateConversation(
  ctx: Ctx,
  assemblyId: string,
  conversationId: string,
  patch: { topic?: string; description?: string; moderation?: 'pre' | 'post'; status?: 'open' | 'closed'; recomputeEvery?: number },
): ConversationView {
  const current = conversationOf(ctx, assemblyId, conversationId);
  const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if (Object.keys(changes).length === 0) return view(ctx.db, current);
  return ctx.db.transaction((tx) => {
    const row = repo.update(tx, conversationId, changes)!;
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'conversation.update', subject: `conversation:${conversationId}`, data: patch });
    return view(tx, row);
  });
}

// ---------- statements ----------

function statementText(text: string): string {
  const r = StatementText.safeParse(text);
  if (!r.success) throw invalid(r.error.issues[0]?.message ?? 'The statement is not valid.', [{ path: 'text', message: r.error.issues[0]?.message ?? 'Invalid' }]);
  return r.data;
}

/** Statements with their moderation state (facilitators), optionally by status. */
export function listStatements(ctx: Ctx, assemblyId: string, conversationId: string, status?: StatementRow['status'][]): StatementView[] {
  conversationOf(ctx, assemblyId, conversationId);
  const authors = new Map(repo.participants(ctx.db, conversationId).map((p) => [p.id, p.pseudonym]));
  return repo.statements(ctx.db, conversationId, status).map((s) => statementView(s, authors));
}

/** A participant's statement. Waits for moderation when the conversation says so; its author agrees with it (as in Pol.is). */
export function addStatement(ctx: Ctx, assemblyId: string, conversationId: string, text: string): StatementView {
  const conv = conversationOf(ctx, assemblyId, conversationId);
  if (conv.status !== 'open') throw new AppError('CONFLICT', 'This conversation is closed.');
  const clean = statementText(text);
  return ctx.db.transaction((tx) => {
    const author = participantFor(ctx, conv);
    const s = repo.insertStatement(tx, {
      conversationId, tid: repo.nextTid(tx, conversationId), authorId: author, text: clean, status: conv.moderation === 'pre' ? 'pending' : 'accepted', agreeCount: 1,
    });
    // above the current vote_events, so a warm recompute that read the votes before this one sees it (math-cache.ts)
    const seq = (repo.byId(tx, conversationId)?.voteEvents ?? 0) + 1;
    repo.insertVote(tx, { statementId: s.id, participantId: author, conversationId, vote: 1, votedAt: ctx.clock().getTime(), seq });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'statement.create', subject: `conversation:${conversationId}`, data: { statementId: s.id, status: s.status } });
    const pseudonym = repo.participants(tx, conversationId).find((p) => p.id === author)?.pseudonym ?? '';
    return statementView(s, new Map([[author, pseudonym]]));
  });
}

/** A statement written by a facilitator (seed statement): accepted at once, shown without an author. */
export function seedStatement(ctx: Ctx, assemblyId: string, conversationId: string, input: { text: string; isMeta?: boolean }): StatementView {
  conversationOf(ctx, assemblyId, conversationId);
  const clean = statementText(input.text);
  return ctx.db.transaction((tx) => {
    const s = repo.insertStatement(tx, {
      conversationId, tid: repo.nextTid(tx, conversationId), authorId: null, text: clean, status: 'accepted', isMeta: input.isMeta ?? false,
      moderatedBy: actorId(ctx.actor), moderatedAt: ctx.clock().toISOString(),
    });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'statement.seed', subject: `conversation:${conversationId}`, data: { statementId: s.id } });
    return statementView(s, new Map());
  });
}

export function moderateStatement(ctx: Ctx, assemblyId: string, conversationId: string, statementId: number, input: { status?: StatementRow['status']; isMeta?: boolean }): StatementView {
  conversationOf(ctx, assemblyId, conversationId);
  const s = repo.statement(ctx.db, statementId);
  if (!s || s.conversationId !== conversationId) throw notFound('Statement', statementId);
  if (input.status === undefined && input.isMeta === undefined) throw invalid('Say what to change: status and/or isMeta.', [{ path: 'status', message: 'Required' }]);
  return ctx.db.transaction((tx) => {
    const row = repo.updateStatement(tx, statementId, {
      ...(input.status ? { status: input.status } : {}), ...(input.isMeta !== undefined ? { isMeta: input.isMeta } : {}),
      moderatedBy: actorId(ctx.actor), moderatedAt: ctx.clock().toISOString(),
    })!;
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'statement.moderate', subject: `conversation:${conversationId}`, data: { statementId, from: s.status, to: row.status, isMeta: row.isMeta } });
    const authors = new Map(repo.participants(tx, conversationId).map((p) => [p.id, p.pseudonym]));
    return statementView(row, authors);
  });
}

// ---------- votes ----------

export interface VoteResult {
  statementId: number;
  vote: VoteValue;
  previous: VoteValue | null;
  voteEvents: number;
  recomputeJobId: string | null;
}

/**
 * Records a vote; the last vote on a statement wins (one row per statement and participant). Hot path: prepared
 * statements only, one transaction. Every `recomputeEvery` vote events it queues a recompute, whose idempotency
 * key (conversation + vote count) debounces triggers. Votes are not written to the audit log one by one (volume,
 * and an append-only log of who voted what would be a privacy liability); imports and moderation are.
 */
export function vote(ctx: Ctx, jobs: Jobs, assemblyId: string, conversationId: string, input: { statementId: number; vote: number }): VoteResult {
  if (!VOTE_VALUES.includes(input.vote as VoteValue)) throw invalid(`A vote is 1 (agree), -1 (disagree) or 0 (pass), not ${input.vote}.`, [{ path: 'vote', message: 'Must be 1, -1 or 0' }]);
  const uid = userId(ctx);
  const f = repo.fast(ctx.db);
  const conv = f.conversation.get(conversationId);
  if (!conv || conv.assembly_id !== assemblyId) throw notFound('Conversation', conversationId);
  if (conv.status !== 'open') throw new AppError('CONFLICT', 'This conversation is closed to votes.');
  const st = f.statement.get(input.statementId);
  if (!st || st.conversation_id !== conversationId) throw notFound('Statement', input.statementId);
  if (st.status !== 'accepted') throw new AppError('CONFLICT', `Statement ${input.statementId} is ${st.status === 'rejected' ? 'rejected' : 'awaiting moderation'} and cannot be voted on.`, { statementStatus: st.status });
  const v = input.vote as VoteValue;
  const now = ctx.clock().getTime();
  // better-sqlite3's own transaction on the service connection (same semantics as ctx.db.transaction, without
  // drizzle's per-call statement preparation: this is the hot path, measured by evals/bench/votes-http.ts)
  const tx = ctx.db;
  return ctx.db.$client.transaction((): VoteResult => {
    let pid = f.participant.get(conversationId, uid)?.id;
    pid ??= participantFor(ctx, { id: conversationId, assemblyId });
    const old = f.oldVote.get(input.statementId, pid);
    const previous = old ? (old.vote as VoteValue) : null;
    const events = f.bumpEvents.get(conversationId)!.vote_events;
    f.upsertVote.run(input.statementId, pid, conversationId, v, now, events);
    if (previous !== v) {
      const d = (x: VoteValue) => [Number(v === x) - Number(previous === x)];
      f.counts.run(...d(1), ...d(-1), ...d(0), input.statementId);
    }
    let recomputeJobId: string | null = null;
    if (conv.recompute_every > 0 && events % conv.recompute_every === 0) {
      recomputeJobId = jobs.enqueue(tx, { type: RECOMPUTE_JOB, assemblyId, payload: { conversationId, voteEvents: events }, idempotencyKey: `${RECOMPUTE_JOB}:${conversationId}:${events}` }).id;
    }
    return { statementId: input.statementId, vote: v, previous, voteEvents: events, recomputeJobId };
  }).immediate(); // the write lock first: see openDb
}

/**
 * `vote`, committed together with the other votes that arrive in the same event-loop turn (platform/db/group-commit:
 * one transaction, a savepoint per vote, answered after COMMIT). Same checks, errors and effects as `vote`; the API
 * route uses it because a commit per vote was the largest single cost of ingestion.
 */
export function voteGrouped(ctx: Ctx, jobs: Jobs, assemblyId: string, conversationId: string, input: { statementId: number; vote: number }): Promise<VoteResult> {
  return groupCommit(ctx.db.$client).run(() => vote(ctx, jobs, assemblyId, conversationId, input));
}

export interface NextStatement {
  statement: { id: number; tid: number; text: string; isMeta: boolean } | null;
  /** accepted statements the caller has not voted on, including this one */
  remaining: number;
  voted: number;
}

/** The next statement for the caller: a weighted random pick (routing priority) among unseen accepted statements. */
export function nextStatement(ctx: Ctx, assemblyId: string, conversationId: string): NextStatement {
  conversationOf(ctx, assemblyId, conversationId);
  const f = repo.fast(ctx.db);
  const uid = actorId(ctx.actor);
  const pid = uid ? (f.participant.get(conversationId, uid)?.id ?? 0) : 0;
  const rows = f.unseen.all(conversationId, pid);
  const voted = pid ? f.votedCount.get(pid)!.n : 0;
  const cands: RoutingCandidate[] = rows.map((r) => ({ id: r.id, isMeta: !!r.is_meta, agree: r.agree_count, disagree: r.disagree_count, pass: r.pass_count, extremity: r.extremity }));
  const pick = pickNext(cands, hash32(`${conversationId}:${uid ?? 'anonymous'}`), voted);
  if (!pick) return { statement: null, remaining: 0, voted };
  const s = repo.statement(ctx.db, pick.id)!;
  return { statement: { id: s.id, tid: s.tid, text: s.text, isMeta: s.isMeta }, remaining: rows.length, voted };
}

/** The caller's own statements and votes in this conversation. */
export function myActivity(ctx: Ctx, assemblyId: string, conversationId: string) {
  conversationOf(ctx, assemblyId, conversationId);
  const uid = actorId(ctx.actor);
  const p = uid ? repo.participantForUser(ctx.db, conversationId, uid) : undefined;
  if (!p) return { participantId: null, pseudonym: null, statements: [] as StatementView[], votes: [] as { statementId: number; vote: number }[] };
  const authors = new Map([[p.id, p.pseudonym]]);
  return { participantId: p.id, pseudonym: p.pseudonym, statements: repo.statementsByAuthor(ctx.db, p.id).map((s) => statementView(s, authors)), votes: repo.votesOf(ctx.db, p.id) };
}

// ---------- near-duplicates ----------

const similarCache = new WeakMap<Db, Map<string, { fp: string; corpus: Array<{ id: number; tid: number; text: string; grams: Set<string> }> }>>();

/** Accepted statements similar to a draft (character-trigram Jaccard), to warn before a near-duplicate is written. */
export function similarStatements(ctx: Ctx, assemblyId: string, conversationId: string, draft: string, limit = 5) {
  conversationOf(ctx, assemblyId, conversationId);
  if (draft.trim().length < 8) return [];
  const fpRow = repo.acceptedFingerprint(ctx.db, conversationId);
  const fp = `${fpRow?.n}:${fpRow?.m}:${fpRow?.t}`;
  let byConv = similarCache.get(ctx.db);
  if (!byConv) similarCache.set(ctx.db, (byConv = new Map()));
  let entry = byConv.get(conversationId);
  if (!entry || entry.fp !== fp) {
    entry = { fp, corpus: repo.statements(ctx.db, conversationId, ['accepted']).map((s) => ({ id: s.id, tid: s.tid, text: s.text, grams: trigrams(s.text) })) };
    byConv.set(conversationId, entry);
  }
  const byId = new Map(entry.corpus.map((c) => [c.id, c]));
  return similarTo(draft, entry.corpus, 0.35, limit).map((h) => ({ id: h.id, tid: byId.get(h.id)!.tid, text: byId.get(h.id)!.text, similarity: h.similarity }));
}

// ---------- opinion map ----------

/**
 * Queues a recompute. Idempotent per conversation and vote count: asking again before new votes returns the same
 * job. Refuses with 412 when too few participants have voted to cluster ("not enough votes yet").
 */
export function requestRecompute(ctx: Ctx, jobs: Jobs, assemblyId: string, conversationId: string) {
  const conv = conversationOf(ctx, assemblyId, conversationId);
  const cov = repo.mathCoverage(ctx.db, conversationId, { participants: MIN_CLUSTER_PARTICIPANTS, statements: 2 });
  if (cov.participants < MIN_CLUSTER_PARTICIPANTS || cov.statements < 2) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Not enough votes yet: ${cov.participants} participant(s) voted on ${cov.statements} accepted statement(s); an opinion map needs at least ${MIN_CLUSTER_PARTICIPANTS} participants and 2 statements.`,
      { reason: 'not-enough-votes', participants: cov.participants, statements: cov.statements },
    );
  }
  return ctx.db.transaction((tx) => {
    const job = jobs.enqueue(tx, {
      type: RECOMPUTE_JOB, assemblyId, payload: { conversationId, voteEvents: conv.voteEvents },
      idempotencyKey: `${RECOMPUTE_JOB}:${conversationId}:${conv.voteEvents}`, createdBy: actorId(ctx.actor),
    });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'conversation.recompute', subject: `conversation:${conversationId}`, data: { jobId: job.id, voteEvents: conv.voteEvents } });
    return job;
  });
}

/** The opinion-map review kind: publishing writes published_maps, the only table participant routes read maps from. */
export function opinionMapKind(): ReviewKind<z.infer<typeof OpinionMapPayload>> {
  return {
    kind: OPINION_MAP_KIND,
    label: 'opinion map',
    payload: OpinionMapPayload,
    publish(tx, { item, payload, machine }) {
      if (item.subject !== `conversation:${payload.conversationId}`) throw invalid('The map does not belong to the conversation it was made for.');
      const conv = repo.byId(tx, payload.conversationId);
      if (!conv) throw notFound('Conversation', payload.conversationId);
      const ids = payload.groups.map((g) => g.id);
      if (new Set(ids).size !== ids.length) throw invalid('Two groups share an id.');
      repo.upsertPublishedMap(tx, { id: newId('map_'), assemblyId: item.assemblyId, conversationId: conv.id, reviewItemId: item.id, body: payload, edited: !machine });
    },
  };
}

export interface PublishedMapView {
  map: OpinionMapPayload;
  reviewItemId: string;
  publishedAt: string;
  edited: boolean;
  /** the caller's participant id in the map, when they are on it */
  you: number | null;
  youGroup: number | null;
}

/** The approved map (participants read only this). NOT_FOUND while none is published. */
export function publishedMap(ctx: Ctx, assemblyId: string, conversationId: string): PublishedMapView {
  conversationOf(ctx, assemblyId, conversationId);
  const row = repo.publishedMap(ctx.db, conversationId);
  if (!row) throw new AppError('NOT_FOUND', 'No opinion map has been published for this conversation yet.', { reason: 'not-published' });
  const map = row.body as OpinionMapPayload;
  const uid = actorId(ctx.actor);
  const p = uid ? repo.participantForUser(ctx.db, conversationId, uid) : undefined;
  const me = p ? map.participants.find((x) => x.participantId === p.id) : undefined;
  return { map, reviewItemId: row.reviewItemId, publishedAt: row.publishedAt, edited: row.edited, you: me ? me.participantId : null, youGroup: me ? (me.group >= 0 ? me.group : me.nearestGroup) : null };
}

/** Facilitators relabel groups of a pending map: the edit goes through the review queue, which keeps the diff and publishes. */
export function labelGroups(ctx: Ctx, review: ReviewQueue, assemblyId: string, itemId: string, labels: Record<string, string>) {
  const uid = actorId(ctx.actor);
  if (!uid) throw forbidden();
  const item = review.get(ctx.db, itemId, assemblyId);
  if (item.kind !== OPINION_MAP_KIND) throw invalid('This review item is not an opinion map.');
  const payload = item.payload as OpinionMapPayload;
  const groups = payload.groups.map((g) => ({ ...g, label: (labels[String(g.id)] ?? g.label).trim() || g.label }));
  return review.edit(ctx.db, itemId, assemblyId, uid, { ...payload, groups });
}
