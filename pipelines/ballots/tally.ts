/**
 * One entry point for "count this file with that method", shared by the CLI and the eval suite.
 *
 * Ranked files under approval/threshold: a voter supports (approves) every option they rank; unranked = not
 * supported. Grade files under approval/threshold: not meaningful, refused. Ranked files under mj: refused.
 */
import { approval, threshold, type ApprovalBallot, type ThresholdRule } from './approval.js';
import { bordaIndexed } from './borda.js';
import { majorityJudgment } from './mj.js';
import type { BallotFile } from './readers.js';
import { schulzeIndexed, type SchulzeVariant } from './schulze.js';
import { BallotError, indexProfile, type Tiers } from './types.js';

export const TALLY_METHODS = ['schulze', 'borda', 'approval', 'mj', 'threshold'] as const;
export type TallyMethod = (typeof TALLY_METHODS)[number];

export interface TallyOptions {
  variant?: SchulzeVariant;
  rule?: Partial<ThresholdRule>;
}

export interface TallyOutcome {
  file: string;
  method: TallyMethod;
  ranking: Tiers;
  winner: string | null;
  winners: string[];
  /** the method's full result (pairwise matrix and paths, scores, per-grade results …) */
  detail: unknown;
}

export function tallyFile(file: BallotFile, method: TallyMethod, opts: TallyOptions = {}): TallyOutcome {
  const done = (ranking: Tiers, winners: string[], detail: unknown): TallyOutcome => ({
    file: file.name,
    method,
    ranking,
    winners,
    winner: winners.length === 1 ? winners[0] : null,
    detail,
  });
  if (method === 'mj') {
    if (file.kind !== 'grades') throw new BallotError(`majority judgment needs grades; ${file.name} holds rankings`);
    const r = majorityJudgment(file.tally);
    return done(r.ranking, r.winners, r);
  }
  if (file.kind !== 'ranked') throw new BallotError(`${method} needs ballots; ${file.name} holds per-grade tallies (use --method mj)`);
  const p = indexProfile(file.profile);
  if (method === 'schulze') {
    const r = schulzeIndexed(p, opts.variant ?? 'margin');
    return done(r.ranking, r.winners, r);
  }
  if (method === 'borda') {
    const r = bordaIndexed(p);
    return done(r.ranking, r.winners, r);
  }
  const ballots: ApprovalBallot[] = file.profile.ballots.map((b) => ({ approve: b.ranking.flat(), count: b.count }));
  if (method === 'approval') {
    const r = approval(p.options, ballots);
    return done(r.ranking, r.winners, r);
  }
  const rule: ThresholdRule = { threshold: 0.5, base: 'cast', quorum: 0, eligible: p.voters, ...opts.rule };
  const r = threshold(p.options, ballots, rule);
  return done(r.ranking, r.winners, r);
}
