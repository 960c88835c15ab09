/**
 * Ballots: verbs. Secrecy by separation: a vote writes one row to the roll (who voted, no content) and one row to
 * the cast ballots (a random receipt code and the choice, no member id, no time), in one transaction, so the two
 * counts are always equal. A member changes their vote by presenting their receipt; after close the list receipt →
 * choice is public so anyone can recount and each member can find their own ballot. Votes are not written to the
 * audit log (an audit row would name the voter and the time); opening, closing and the announced result are.
 */
import { randomBytes } from 'node:crypto';
import type { Ctx } from '../../platform/context.js';
import { actorId } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { AppError, localised } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { checkDefinition, packRanking, rankedResult, receiptCode, statusAt, tally, unpackRankings, validateChoice, type BallotDef, type BallotResult, type Choice, type Method, type Status } from './domain.js';
import { ballotsRepo, type BallotRow } from './repo.js';

export interface CreateBallotInput {
  title: string;
  description?: string;
  method: Method;
  options: string[];
  grades?: string[] | null;
  threshold?: number | null;
  thresholdBase?: 'cast' | 'eligible' | null;
  quorum?: number;
  opensAt?: string | null;
  closesAt: string;
}

export interface BallotView {
  id: string;
  assemblyId: string;
  title: string;
  description: string;
  method: Method;
  options: Array<{ id: string; label: string }>;
  grades: string[] | null;
  threshold: number | null;
  thresholdBase: 'cast' | 'eligible' | null;
  quorum: number;
  opensAt: string;
  closesAt: string;
  closedAt: string | null;
  status: Status;
  /** members who have voted so far / eligible members now (the announced figures after close) */
  voted: number;
  eligible: number;
  /** for a participant: whether they are on the roll */
  hasVoted: boolean | null;
  result: BallotResult | null;
}

export const defOf = (b: BallotRow): BallotDef => ({
  method: b.method,
  options: b.options,
  grades: b.grades ?? null,
  threshold: b.threshold,
  thresholdBase: b.thresholdBase,
  quorum: b.quorum,
  opensAt: b.opensAt,
  closesAt: b.closesAt,
  closedAt: b.closedAt,
});

function load(ctx: Ctx, assemblyId: string, ballotId: string): BallotRow {
  const b = ballotsRepo.get(ctx.db, assemblyId, ballotId);
  if (!b) throw localised('NOT_FOUND', `Ballot '${ballotId}' does not exist.`, 'ballots.err.noBallot');
  return b;
}

export function createBallot(ctx: Ctx, assemblyId: string, input: CreateBallotInput): BallotView {
  const now = ctx.clock();
  const options = input.options.map((label, i) => ({ id: `o${i + 1}`, label: label.trim() }));
  const def = {
    method: input.method,
    options,
    grades: input.method === 'mj' ? (input.grades ?? null) : null,
    threshold: input.method === 'threshold' ? (input.threshold ?? null) : null,
    thresholdBase: input.method === 'threshold' ? (input.thresholdBase ?? null) : null,
    quorum: input.quorum ?? 0,
    opensAt: input.opensAt ? new Date(input.opensAt).toISOString() : now.toISOString(),
    closesAt: new Date(input.closesAt).toISOString(),
  };
  if (Number.isNaN(Date.parse(def.opensAt)) || Number.isNaN(Date.parse(def.closesAt))) throw localised('VALIDATION', 'Opening and closing times must be dates and times (ISO 8601).', 'ballots.err.times');
  checkDefinition(def, now);
  const row = ctx.db.transaction((tx) => {
    const r = ballotsRepo.insert(tx, { id: newId('bal_'), assemblyId, title: input.title.trim(), description: input.description?.trim() ?? '', ...def, createdBy: actorId(ctx.actor) });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'ballots.create', subject: r.id, data: { method: r.method, opensAt: r.opensAt, closesAt: r.closesAt, quorum: r.quorum } });
    return r;
  });
  return view(ctx, row);
}

/** The announced result: counted once, on the first read after close, and stored. */
function announced(ctx: Ctx, b: BallotRow): BallotRow {
  if (b.result || statusAt(b, ctx.clock()) !== 'closed') return b;
  return ctx.db.transaction((tx) => {
    const fresh = ballotsRepo.get(tx, b.assemblyId, b.id)!;
    if (fresh.result) return fresh;
    const def = defOf(fresh);
    const ranked = def.method === 'schulze' || def.method === 'borda';
    // ranked ballots are counted from their packed form (parsing 100,000 JSON rankings costs more than the count)
    const packed = ranked ? ballotsRepo.packedVotes(tx, b.id) : null;
    const votes = packed ? null : ballotsRepo.votes(tx, b.id);
    const cast = packed ? packed.length : votes!.length;
    const roll = ballotsRepo.rollCount(tx, b.id);
    if (roll !== cast) throw new AppError('INTERNAL', `The roll (${roll}) and the cast ballots (${cast}) disagree; the result is withheld.`);
    const eligible = Math.max(ballotsRepo.eligibleCount(tx, b.assemblyId), roll);
    const result = packed ? rankedResult(def, unpackRankings(def, packed), eligible) : tally(def, votes!.map((v) => v.choice as Choice), eligible);
    const r = ballotsRepo.update(tx, b.id, { result, eligibleAtClose: eligible });
    recordAudit(tx, { actorId: null, action: 'ballots.result', subject: b.id, data: { voters: result.voters, eligible: result.eligible, winners: result.winners, quorumMet: result.quorumMet } });
    return r;
  });
}

function view(ctx: Ctx, b0: BallotRow): BallotView {
  const b = announced(ctx, b0);
  const status = statusAt(b, ctx.clock());
  const uid = ctx.actor.kind === 'user' && ctx.actor.role === 'participant' ? ctx.actor.id : null;
  const result = (b.result as BallotResult | null) ?? null;
  return {
    id: b.id,
    assemblyId: b.assemblyId,
    title: b.title,
    description: b.description,
    method: b.method,
    options: b.options,
    grades: b.grades ?? null,
    threshold: b.threshold,
    thresholdBase: b.thresholdBase,
    quorum: b.quorum,
    opensAt: b.opensAt,
    closesAt: b.closesAt,
    closedAt: b.closedAt,
    status,
    voted: result ? result.voters : ballotsRepo.rollCount(ctx.db, b.id),
    eligible: result ? result.eligible : ballotsRepo.eligibleCount(ctx.db, b.assemblyId),
    hasVoted: uid ? ballotsRepo.onRoll(ctx.db, b.id, uid) : null,
    result,
  };
}

export const getBallot = (ctx: Ctx, assemblyId: string, ballotId: string): BallotView => view(ctx, load(ctx, assemblyId, ballotId));
export const listBallots = (ctx: Ctx, assemblyId: string): BallotView[] => ballotsRepo.list(ctx.db, assemblyId).map((b) => view(ctx, b));

/** Casts or changes a member's vote. Returns the receipt (new on a first vote, the same on a change). */
export function castVote(ctx: Ctx, assemblyId: string, ballotId: string, input: { choice: unknown; receipt?: string | null }): { receipt: string; changed: boolean } {
  if (ctx.actor.kind !== 'user' || ctx.actor.role !== 'participant') throw localised('FORBIDDEN', 'Only members of the assembly vote.', 'ballots.err.FORBIDDEN');
  const userId = ctx.actor.id;
  const b = load(ctx, assemblyId, ballotId);
  const status = statusAt(b, ctx.clock());
  if (status === 'scheduled') throw localised('CONFLICT', `This ballot is not open yet: it opens at ${b.opensAt}.`, 'ballots.err.notOpen', { at: b.opensAt.slice(0, 16).replace('T', ' ') });
  if (status === 'closed') throw localised('CONFLICT', 'This ballot is closed: votes can no longer be cast or changed.', 'ballots.err.closed');
  const choice = validateChoice(defOf(b), input.choice);
  const packed = 'ranking' in choice ? packRanking(defOf(b), choice.ranking) : null;
  return ctx.db.transaction((tx) => {
    if (!ballotsRepo.isEligible(tx, assemblyId, userId)) throw localised('FORBIDDEN', 'You are not an eligible member of this assembly.', 'ballots.err.notEligible');
    if (ballotsRepo.onRoll(tx, ballotId, userId)) {
      const receipt = input.receipt?.trim().toUpperCase();
      if (!receipt) throw localised('CONFLICT', 'You have already voted. To change your vote, give the receipt code you received.', 'ballots.err.voted');
      if (!ballotsRepo.vote(tx, ballotId, receipt)) throw localised('VALIDATION', 'This receipt code does not match a ballot in this vote.', 'ballots.err.receipt');
      ballotsRepo.replaceVote(tx, ballotId, receipt, choice, packed);
      return { receipt, changed: true };
    }
    if (input.receipt) throw localised('VALIDATION', 'You have not voted yet: there is no ballot to change.', 'ballots.err.notVoted');
    const receipt = receiptCode((n) => new Uint8Array(randomBytes(n)));
    ballotsRepo.addToRoll(tx, ballotId, userId);
    ballotsRepo.insertVote(tx, ballotId, receipt, choice, packed);
    return { receipt, changed: false };
  });
}

export function closeBallot(ctx: Ctx, assemblyId: string, ballotId: string): BallotView {
  const b = load(ctx, assemblyId, ballotId);
  if (statusAt(b, ctx.clock()) === 'closed') throw localised('CONFLICT', 'This ballot is already closed.', 'ballots.err.alreadyClosed');
  const at = ctx.clock().toISOString();
  const row = ctx.db.transaction((tx) => {
    const r = ballotsRepo.update(tx, ballotId, { closedAt: at, ...(at < b.opensAt ? { opensAt: at } : {}) });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'ballots.close', subject: ballotId, data: { at } });
    return r;
  });
  return view(ctx, row);
}

export interface PublicList {
  ballot: Omit<BallotView, 'hasVoted'>;
  rollCount: number;
  ballots: Array<{ receipt: string; choice: Choice }>;
}

/** After close: every cast ballot by receipt, the roll's count and the announced result. */
export function publicList(ctx: Ctx, assemblyId: string, ballotId: string): PublicList {
  const v = getBallot(ctx, assemblyId, ballotId);
  if (v.status !== 'closed') throw localised('CONFLICT', 'The list of ballots is published when the ballot closes.', 'ballots.err.listLater');
  const { hasVoted: _omit, ...ballot } = v;
  return { ballot, rollCount: ballotsRepo.rollCount(ctx.db, ballotId), ballots: ballotsRepo.votes(ctx.db, ballotId).map((r) => ({ receipt: r.receipt, choice: r.choice as Choice })) };
}

/** After close: the ballot cast under a receipt code. */
export function findReceipt(ctx: Ctx, assemblyId: string, ballotId: string, receipt: string): { receipt: string; choice: Choice } {
  const v = getBallot(ctx, assemblyId, ballotId);
  if (v.status !== 'closed') throw localised('CONFLICT', 'Receipts can be looked up once the ballot closes.', 'ballots.err.receiptLater');
  const r = ballotsRepo.vote(ctx.db, ballotId, receipt.trim().toUpperCase());
  if (!r) throw localised('NOT_FOUND', `Receipt '${receipt.trim()}' does not exist.`, 'ballots.err.noReceipt');
  return { receipt: r.receipt, choice: r.choice as Choice };
}
