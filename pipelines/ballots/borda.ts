/**
 * Modified Borda count (Emerson's form): a voter who ranks m options gives m points to the first, m − 1 to the
 * second, …, 1 to the m-th, and 0 to every option left unranked. So a voter who ranks only one option gives it
 * 1 point: truncating a ballot does not pay.
 *
 * Ties inside a ballot (PrefLib .toc, tally sheets with equal ranks): the tied options share the points of the
 * positions they occupy, averaged (a tie for first and second among m ranked gives each (m + m − 1) / 2). This is
 * the usual averaging rule; it keeps every ballot's total at m(m + 1)/2.
 */
import { indexProfile, tiersByScore, type IndexedProfile, type RankedProfile, type Tiers } from './types.js';

export interface BordaResult {
  method: 'borda';
  options: string[];
  voters: number;
  /** points per option, by option index */
  scores: number[];
  ranking: Tiers;
  winners: string[];
}

export function bordaIndexed(p: IndexedProfile): BordaResult {
  const scores = new Float64Array(p.options.length);
  const { items, tierOf, start, counts } = p;
  for (let b = 0; b < counts.length; b++) {
    const c = counts[b];
    const end = start[b + 1];
    const m = end - start[b];
    let i = start[b];
    while (i < end) {
      let j = i + 1;
      while (j < end && tierOf[j] === tierOf[i]) j++;
      // positions pos … pos+len−1 (0-based) carry points m−pos … m−pos−len+1; tied options share their average
      const pos = i - start[b];
      const avg = m - pos - (j - i - 1) / 2;
      for (let x = i; x < j; x++) scores[items[x]] += avg * c;
      i = j;
    }
  }
  const ranking = tiersByScore(p.options, scores);
  return { method: 'borda', options: [...p.options], voters: p.voters, scores: [...scores], ranking, winners: ranking[0] ?? [] };
}

export function borda(profile: RankedProfile): BordaResult {
  return bordaIndexed(indexProfile(profile));
}
