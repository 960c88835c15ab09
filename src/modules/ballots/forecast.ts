/**
 * The forecast of a ballot's recommendations, per opinion group, as a review item (issue 16 ★).
 *
 * Matching a recommendation to a statement: the facilitator links each ballot option to a statement of ONE
 * conversation whose opinion map is approved, when requesting the forecast. The form pre-selects the statement whose
 * text equals the option's (ignoring case, accents and punctuation), so posting the recommendations as statements of
 * the conversation is all a facilitator needs to do; any link can be changed or left empty ("not linked").
 *
 * Groups are the approved map's groups; a statement's votes are the members' current votes on it, each counted in the
 * group the approved map puts its participant in (participants outside the map count in the overall share only).
 * The job (jobs.ts) runs pipelines/forecast and submits a draft; members see it only once approved (publish writes
 * ballot_forecasts, the only table the member's ballot page reads a forecast from).
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Ctx } from '../../platform/context.js';
import { actorId } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { invalid, localised } from '../../platform/errors.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { ReviewKind } from '../../platform/review/registry.js';
import { normalise, type OpinionMapPayload } from '../conversations/domain.js';
import { conversationsRepo, type StatementRow } from '../conversations/repo.js';
import { statusAt } from './domain.js';
import { ballotsRepo, type BallotRow } from './repo.js';
import { ballotForecasts } from './schema.js';

export const FORECAST_KIND = 'ballot-forecast';
export const FORECAST_JOB = 'ballots.forecast';
/** shrinkage strength chosen on the validation conversations of evals/forecast (RESULTS.md: k = 2) */
export const FORECAST_K = 2;

const Share = z.number().finite().min(0).max(1);
export const GroupCell = z.strictObject({ group: z.number().int(), share: Share, votes: z.number().int().min(0), low: Share, high: Share });
export const ForecastRow = z.strictObject({
  optionId: z.string(),
  label: z.string(),
  statementId: z.number().int().nullable(),
  statementText: z.string().nullable(),
  overall: Share.nullable(),
  votes: z.number().int().min(0),
  groups: z.array(GroupCell),
  clears: z.boolean().nullable(),
  close: z.boolean(),
});
export const ForecastPayload = z.strictObject({
  ballotId: z.string(),
  ballotTitle: z.string(),
  conversationId: z.string(),
  topic: z.string(),
  threshold: z.number().gt(0).max(1),
  thresholdSource: z.enum(['ballot', 'facilitator']),
  groups: z.array(z.strictObject({ id: z.number().int(), label: z.string(), size: z.number().int().min(0) })).min(1),
  rows: z.array(ForecastRow).min(1, 'Keep at least one recommendation in the forecast.'),
  /** a facilitator's note shown above the table (review desk) */
  note: z.string().trim().max(1000).default(''),
});
export type ForecastPayload = z.infer<typeof ForecastPayload>;
export type ForecastRowT = z.infer<typeof ForecastRow>;

export const ForecastRequest = z.strictObject({
  conversationId: z.string().min(1).max(80),
  /** share (0–1] to check in every group; defaults to the ballot's own threshold */
  threshold: z.number().nullable().optional(),
  /** option → statement; options left out are matched by identical text; statementId null: not linked */
  links: z.array(z.strictObject({ optionId: z.string().max(40), statementId: z.number().int().nullable() })).max(200).optional(),
});
export type ForecastRequest = z.infer<typeof ForecastRequest>;

export interface ForecastJobPayload {
  ballotId: string;
  conversationId: string;
  threshold: number;
  thresholdSource: 'ballot' | 'facilitator';
  links: Array<{ optionId: string; statementId: number | null }>;
}

/** The statement a recommendation's text matches (same words, ignoring case, accents and punctuation), if any. */
export function suggestLinks(options: BallotRow['options'], stmts: Pick<StatementRow, 'id' | 'text' | 'status'>[]): Map<string, number> {
  const byText = new Map<string, number>();
  for (const s of stmts) if (s.status !== 'rejected' && !byText.has(normalise(s.text))) byText.set(normalise(s.text), s.id);
  const out = new Map<string, number>();
  for (const o of options) {
    const id = byText.get(normalise(o.label));
    if (id !== undefined) out.set(o.id, id);
  }
  return out;
}

/** The given links checked against the ballot and the conversation, completed by text matches. */
export function resolveLinks(b: BallotRow, stmts: Pick<StatementRow, 'id' | 'text' | 'status'>[], given: ForecastRequest['links']): ForecastJobPayload['links'] {
  const known = new Map(stmts.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const chosen = new Map<string, number | null>();
  for (const l of given ?? []) {
    if (!b.options.some((o) => o.id === l.optionId)) throw localised('VALIDATION', `The ballot has no option '${l.optionId}'.`, 'ballots.err.unknownOption', { option: l.optionId }, { errors: [{ path: 'links', message: `unknown option ${l.optionId}` }] });
    if (seen.has(l.optionId)) throw localised('VALIDATION', `Option '${l.optionId}' is linked twice.`, 'ballots.err.linkedTwice', { option: l.optionId }, { errors: [{ path: 'links', message: `repeated option ${l.optionId}` }] });
    seen.add(l.optionId);
    if (l.statementId !== null) {
      const s = known.get(l.statementId);
      if (!s) throw localised('VALIDATION', `Statement ${l.statementId} is not a statement of this conversation.`, 'ballots.err.forecastLink', { id: l.statementId }, { errors: [{ path: 'links', message: `unknown statement ${l.statementId}` }] });
      if (s.status === 'rejected') throw localised('VALIDATION', `Statement ${l.statementId} was rejected by moderation: link another one.`, 'ballots.err.rejectedStatement', { id: l.statementId }, { errors: [{ path: 'links', message: `rejected statement ${l.statementId}` }] });
    }
    chosen.set(l.optionId, l.statementId);
  }
  const suggested = suggestLinks(b.options, stmts);
  const links = b.options.map((o) => ({ optionId: o.id, statementId: chosen.has(o.id) ? chosen.get(o.id)! : (suggested.get(o.id) ?? null) }));
  if (links.every((l) => l.statementId === null)) {
    throw localised('VALIDATION', 'No recommendation is linked to a statement of this conversation: link at least one (or post the recommendations as statements).', 'ballots.err.noLink', {}, { errors: [{ path: 'links', message: 'no link' }] });
  }
  return links;
}

function ballotOf(db: DbOrTx, assemblyId: string, ballotId: string): BallotRow {
  const b = ballotsRepo.get(db, assemblyId, ballotId);
  if (!b) throw localised('NOT_FOUND', `Ballot '${ballotId}' does not exist.`, 'ballots.err.noBallot');
  return b;
}

/** The conversation, checked to belong to the assembly and to have an approved opinion map. */
export function mappedConversation(db: DbOrTx, assemblyId: string, conversationId: string) {
  const conv = conversationsRepo.byId(db, conversationId);
  if (!conv || conv.assemblyId !== assemblyId) throw localised('NOT_FOUND', `Conversation '${conversationId}' does not exist.`, 'ballots.err.noConversation');
  const map = conversationsRepo.publishedMap(db, conversationId);
  if (!map) {
    throw localised('PRECONDITION_FAILED', `The conversation “${conv.topic}” has no approved opinion map yet: approve its map first, the forecast uses its groups.`, 'ballots.err.noMap', { topic: conv.topic }, { reason: 'no-approved-map' });
  }
  return { conv, map, body: map.body as OpinionMapPayload };
}

/** Queues the forecast job (idempotent per ballot, conversation, links, threshold and vote count). */
export function requestForecast(ctx: Ctx, jobs: JobQueue, assemblyId: string, ballotId: string, input: ForecastRequest) {
  const b = ballotOf(ctx.db, assemblyId, ballotId);
  if (statusAt(b, ctx.clock()) === 'closed') throw localised('CONFLICT', 'This ballot is closed: its result is known, a forecast would say nothing more.', 'ballots.err.forecastClosed');
  const { conv } = mappedConversation(ctx.db, assemblyId, input.conversationId);
  const threshold = input.threshold ?? (b.method === 'threshold' ? b.threshold : null);
  if (threshold === null || threshold === undefined) {
    throw localised('VALIDATION', 'This ballot has no support threshold: say which share of each group the forecast should check (for example 60 %).', 'ballots.err.forecastNoThreshold', {}, { errors: [{ path: 'threshold', message: 'Required' }] });
  }
  if (!(threshold > 0 && threshold <= 1)) throw localised('VALIDATION', 'The threshold is a share between 0 and 100 %.', 'ballots.err.forecastThreshold', {}, { errors: [{ path: 'threshold', message: 'out of range' }] });
  const links = resolveLinks(b, conversationsRepo.statements(ctx.db, conv.id), input.links);
  const payload: ForecastJobPayload = { ballotId, conversationId: conv.id, threshold, thresholdSource: input.threshold != null ? 'facilitator' : 'ballot', links };
  const key = `${FORECAST_JOB}:${ballotId}:${conv.id}:${conv.voteEvents}:${threshold}:${links.map((l) => `${l.optionId}=${l.statementId ?? '-'}`).join(',')}`;
  return ctx.db.transaction((tx) => {
    const job = jobs.enqueue(tx, { type: FORECAST_JOB, assemblyId, payload, idempotencyKey: key, createdBy: actorId(ctx.actor) });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'ballots.forecast.request', subject: ballotId, data: { jobId: job.id, conversationId: conv.id, threshold } });
    return job;
  });
}

/** The review kind: publishing writes ballot_forecasts (the latest approved forecast of the ballot). */
export function forecastKind(): ReviewKind<ForecastPayload> {
  return {
    kind: FORECAST_KIND,
    label: 'support forecast',
    payload: ForecastPayload,
    publish(tx, { item, payload, machine }) {
      if (item.subject !== `ballot:${payload.ballotId}`) throw invalid('The forecast does not belong to the ballot it was made for.');
      const b = ballotOf(tx, item.assemblyId, payload.ballotId);
      for (const r of payload.rows) if (!b.options.some((o) => o.id === r.optionId)) throw invalid(`The ballot has no option '${r.optionId}'.`);
      tx.delete(ballotForecasts).where(eq(ballotForecasts.ballotId, b.id)).run();
      tx.insert(ballotForecasts).values({ ballotId: b.id, assemblyId: item.assemblyId, reviewItemId: item.id, body: payload, provenance: item.provenance ?? {}, edited: !machine }).run();
    },
  };
}

export interface PublishedForecast {
  forecast: ForecastPayload;
  provenance: ForecastProvenance;
  reviewItemId: string;
  edited: boolean;
  publishedAt: string;
}

export interface ForecastProvenance {
  stage: string;
  version: string;
  inputHash: string;
  params: { k: number; threshold: number; voteWatermark: number; votesRead: number; mapReviewItemId: string; mapPublishedAt: string; computedAt: string; [key: string]: unknown };
}

/** The approved forecast of a ballot, or null (members read only this). */
export function publishedForecast(ctx: Pick<Ctx, 'db'>, assemblyId: string, ballotId: string): PublishedForecast | null {
  ballotOf(ctx.db, assemblyId, ballotId);
  const row = ctx.db.select().from(ballotForecasts).where(eq(ballotForecasts.ballotId, ballotId)).get();
  if (!row) return null;
  return { forecast: row.body as ForecastPayload, provenance: row.provenance as ForecastProvenance, reviewItemId: row.reviewItemId, edited: row.edited, publishedAt: row.publishedAt };
}

/** What the facilitator's request form needs: conversations with an approved map, the chosen one's statements and the suggested links. */
export function forecastChoices(ctx: Pick<Ctx, 'db'>, assemblyId: string, ballotId: string, conversationId?: string) {
  const b = ballotOf(ctx.db, assemblyId, ballotId);
  const mapped = conversationsRepo.forAssembly(ctx.db, assemblyId).filter((c) => conversationsRepo.publishedMap(ctx.db, c.id));
  const current = mapped.find((c) => c.id === conversationId) ?? mapped[0] ?? null;
  const stmts = current ? conversationsRepo.statements(ctx.db, current.id, ['accepted', 'pending']) : [];
  return { ballot: b, conversations: mapped.map((c) => ({ id: c.id, topic: c.topic })), current: current ? { id: current.id, topic: current.topic } : null, statements: stmts.map((s) => ({ id: s.id, tid: s.tid, text: s.text })), suggested: suggestLinks(b.options, stmts) };
}
