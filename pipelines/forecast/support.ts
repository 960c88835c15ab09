/**
 * Support forecast for one recommendation, as the service shows it: per opinion group the predicted agree share
 * (forecastShares: the group's own share shrunk toward the overall share with prior strength k), the number of votes
 * it rests on, an approximate 95 % interval, and whether it clears a threshold in every group. Pure.
 *
 * Interval: the shrunk share is the mean of a Beta(agree + k·overall, others + k·(1 − overall)) posterior; its
 * standard deviation is √(p(1 − p)/(n + k + 1)) and the interval is p ± 1.96 sd, clipped to [0, 1] (a normal
 * approximation that ignores the uncertainty of the overall share itself, so it is somewhat too narrow for groups
 * with few votes).
 */
import { forecastShares, type GroupVote } from './index.js';

export interface GroupSupport {
  group: number;
  /** predicted agree share */
  share: number;
  /** the group's own votes on the statement (agree, disagree, pass) */
  votes: number;
  low: number;
  high: number;
}

export interface SupportForecast {
  /** agree share over every vote (groups and participants outside the map) */
  overall: number;
  votes: number;
  groups: GroupSupport[];
  /** every group's predicted share ≥ threshold; null without any vote */
  clears: boolean | null;
  /** some group's interval contains the threshold: the verdict could go either way */
  close: boolean;
}

const Z95 = 1.96;
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function supportForecast(votes: readonly GroupVote[], groups: readonly number[], k: number, threshold: number): SupportForecast {
  const f = forecastShares(votes, groups, k);
  const counts = new Map<number, number>(groups.map((g) => [g, 0]));
  for (const v of votes) if (counts.has(v.group)) counts.set(v.group, counts.get(v.group)! + 1);
  const out: GroupSupport[] = groups.map((g) => {
    const p = f.groups.get(g)!;
    const n = counts.get(g)!;
    const sd = Math.sqrt((p * (1 - p)) / (n + k + 1));
    return { group: g, share: r4(p), votes: n, low: r4(Math.max(0, p - Z95 * sd)), high: r4(Math.min(1, p + Z95 * sd)) };
  });
  const any = votes.length > 0;
  return {
    overall: r4(f.overall),
    votes: votes.length,
    groups: out,
    clears: any ? out.every((g) => f.groups.get(g.group)! >= threshold) : null,
    close: any && out.some((g) => g.low < threshold && threshold <= g.high),
  };
}
