/**
 * Approval voting and the support threshold (with quorum).
 *
 * Approval: each ballot approves a set of options; the options with the most approvals win (ties share a tier).
 *
 * Support threshold: each option passes on its own when its support reaches the threshold. The base of the share
 * is said on the ballot: `cast` = share of the ballots cast, `eligible` = share of all eligible members (stricter:
 * abstention counts against). A quorum is a minimum turnout (ballots cast / eligible members); when it is not met,
 * nothing passes, whatever the shares.
 */
import { BallotError, tiersByScore, type Tiers } from './types.js';

export interface ApprovalBallot {
  approve: string[];
  count?: number;
}

export interface ApprovalResult {
  method: 'approval';
  options: string[];
  voters: number;
  approvals: number[];
  ranking: Tiers;
  winners: string[];
}

function countApprovals(options: string[], ballots: ApprovalBallot[]): { approvals: number[]; voters: number } {
  const index = new Map(options.map((o, i) => [o, i]));
  const approvals = new Array<number>(options.length).fill(0);
  let voters = 0;
  ballots.forEach((b, bi) => {
    const c = b.count ?? 1;
    if (!Number.isInteger(c) || c < 1) throw new BallotError(`ballot ${bi + 1}: count must be a positive whole number, got ${c}`);
    const seen = new Set<number>();
    for (const name of b.approve) {
      const i = index.get(name);
      if (i === undefined) throw new BallotError(`ballot ${bi + 1}: unknown option "${name}"`);
      if (seen.has(i)) throw new BallotError(`ballot ${bi + 1}: option "${name}" is approved more than once`);
      seen.add(i);
      approvals[i] += c;
    }
    voters += c;
  });
  return { approvals, voters };
}

export function approval(options: string[], ballots: ApprovalBallot[]): ApprovalResult {
  const { approvals, voters } = countApprovals(options, ballots);
  const ranking = tiersByScore(options, approvals);
  return { method: 'approval', options: [...options], voters, approvals, ranking, winners: voters > 0 ? ranking[0] : [] };
}

export type ThresholdBase = 'cast' | 'eligible';

export interface ThresholdRule {
  /** share needed to pass, in (0, 1] (0.8 = 80 %) */
  threshold: number;
  base: ThresholdBase;
  /** minimum turnout as a share of eligible members, in [0, 1] */
  quorum: number;
  /** number of eligible members (needed for a quorum and for base 'eligible') */
  eligible: number;
}

export interface ThresholdResult {
  method: 'threshold';
  options: string[];
  voters: number;
  eligible: number;
  turnout: number;
  quorum: number;
  quorumMet: boolean;
  threshold: number;
  base: ThresholdBase;
  support: number[];
  /** support share per option on the chosen base */
  share: number[];
  passed: boolean[];
  ranking: Tiers;
  winners: string[];
}

/** Checks a threshold rule: thresholds in (0, 1], quorum in [0, 1], a whole number of eligible members. */
export function checkThresholdRule(rule: ThresholdRule): void {
  if (!(rule.threshold > 0 && rule.threshold <= 1)) throw new BallotError(`the threshold must be above 0 % and at most 100 %, got ${rule.threshold * 100} %`);
  if (!(rule.quorum >= 0 && rule.quorum <= 1)) throw new BallotError(`the quorum must be between 0 % and 100 %, got ${rule.quorum * 100} %`);
  if (!Number.isInteger(rule.eligible) || rule.eligible < 0) throw new BallotError(`the number of eligible members must be a whole number ≥ 0, got ${rule.eligible}`);
  if (rule.base !== 'cast' && rule.base !== 'eligible') throw new BallotError(`the threshold base must be 'cast' or 'eligible', got '${String(rule.base)}'`);
}

/** Support threshold: `ballots` list the options each voter supports (yes); the others count as not supported. */
export function threshold(options: string[], ballots: ApprovalBallot[], rule: ThresholdRule): ThresholdResult {
  checkThresholdRule(rule);
  const { approvals, voters } = countApprovals(options, ballots);
  if (voters > rule.eligible) throw new BallotError(`${voters} ballots were cast but only ${rule.eligible} members are eligible`);
  const turnout = rule.eligible > 0 ? voters / rule.eligible : 0;
  const quorumMet = rule.eligible > 0 && voters * 1e9 >= Math.round(rule.quorum * 1e9) * rule.eligible;
  const denom = rule.base === 'cast' ? voters : rule.eligible;
  const share = approvals.map((a) => (denom > 0 ? a / denom : 0));
  // compare in whole numbers to avoid 0.8 * 10 = 8.000000000000002 style misses
  const passed = approvals.map((a) => quorumMet && denom > 0 && a * 1e9 >= Math.round(rule.threshold * 1e9) * denom);
  const ranking = tiersByScore(options, approvals);
  return {
    method: 'threshold',
    options: [...options],
    voters,
    eligible: rule.eligible,
    turnout,
    quorum: rule.quorum,
    quorumMet,
    threshold: rule.threshold,
    base: rule.base,
    support: approvals,
    share,
    passed,
    ranking,
    winners: options.filter((_, i) => passed[i]),
  };
}
