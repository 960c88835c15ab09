/**
 * Forecast of a statement's (or recommendation's) support within each opinion group, from the votes seen so far.
 * Pure. Agree share = agrees / all votes (agree, disagree, pass) of the group on the statement.
 *
 * - naive: every group gets the statement's overall share.
 * - grouped: each group's own share, shrunk toward the overall share with a prior of strength k (empirical
 *   Bayes / additive smoothing): (agrees_g + k · overall) / (votes_g + k). k = 0 is the raw group share; a very large
 *   k is the naive forecast. k is chosen on a validation split (evals/forecast).
 * "Clears t in every group": every group's predicted share ≥ t.
 */
import { createPrng } from '../votes/prng.js';

export interface GroupVote {
  group: number;
  vote: 1 | 0 | -1;
}

export interface ShareForecast {
  overall: number;
  /** group → predicted agree share */
  groups: Map<number, number>;
}

export function forecastShares(visible: readonly GroupVote[], groups: readonly number[], k: number): ShareForecast {
  let agree = 0;
  const byGroup = new Map<number, { agree: number; n: number }>(groups.map((g) => [g, { agree: 0, n: 0 }]));
  for (const v of visible) {
    if (v.vote === 1) agree++;
    const s = byGroup.get(v.group);
    if (s) {
      s.n++;
      if (v.vote === 1) s.agree++;
    }
  }
  const overall = visible.length > 0 ? agree / visible.length : 0.5;
  const out = new Map<number, number>();
  for (const [g, s] of byGroup) {
    out.set(g, !Number.isFinite(k) ? overall : s.n + k > 0 ? (s.agree + k * overall) / (s.n + k) : overall);
  }
  return { overall, groups: out };
}

export const clearsEverywhere = (f: ShareForecast, threshold: number): boolean => [...f.groups.values()].every((p) => p >= threshold);

/** Hides `share` of a statement's votes at random (seeded): returns the visible and the hidden votes. */
export function hideVotes<T>(votes: readonly T[], share: number, seed: number, stream: number): { visible: T[]; hidden: T[] } {
  const rng = createPrng(seed, stream);
  const idx = votes.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const nHidden = Math.round(votes.length * share);
  const hiddenSet = new Set(idx.slice(0, nHidden));
  return { visible: votes.filter((_, i) => !hiddenSet.has(i)), hidden: votes.filter((_, i) => hiddenSet.has(i)) };
}
