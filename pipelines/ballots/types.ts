/**
 * Plain ballots and results for the vote-counting pipeline (pure: no db, no http, no env).
 *
 * Options are named by string everywhere in the public API; internally the methods work on option indices.
 * A ranking is a list of tiers, best first; options in one tier are tied. Options a ballot leaves out are
 * "unranked": every ranked method here treats them as tied below every ranked option.
 */

/** One ranked ballot (or `count` identical ones): tiers best first, unranked options left out. */
export interface RankedBallot {
  ranking: string[][];
  count?: number;
}

/** A ranked election: the options and the ballots over them. */
export interface RankedProfile {
  options: string[];
  ballots: RankedBallot[];
}

/**
 * Ranked ballots by option index in flat typed arrays, the form every ranked method consumes (built once by
 * `indexProfile`): ballot b ranks items[start[b] … start[b+1]) best first, tierOf[i] being the tier of items[i]
 * within its ballot (0 = first); options a ballot leaves out are unranked.
 */
export interface IndexedProfile {
  options: string[];
  items: Int32Array;
  tierOf: Int32Array;
  start: Int32Array;
  counts: Float64Array;
  /** total number of voters (sum of counts) */
  voters: number;
}

/** A result ranking: tiers of option names, best first (options in one tier are tied). */
export type Tiers = string[][];

/** Errors in the input of a count: bad ballots, bad parameters, unreadable files. */
export class BallotError extends Error {
  constructor(
    message: string,
    /** file and 1-based line where a file reader found the problem */
    readonly where?: { file?: string; line?: number },
  ) {
    super(where?.file || where?.line ? `${where.file ?? 'input'}${where.line ? `, line ${where.line}` : ''}: ${message}` : message);
    this.name = 'BallotError';
  }
}

/**
 * Checks a ranked profile and turns it into option indices. Unknown options, an option ranked twice in one
 * ballot, empty tiers, or a count that is not a positive integer raise a BallotError naming the ballot.
 */
export function indexProfile(profile: RankedProfile): IndexedProfile {
  const index = new Map<string, number>();
  profile.options.forEach((o, i) => {
    if (index.has(o)) throw new BallotError(`option "${o}" is listed twice`);
    index.set(o, i);
  });
  const nb = profile.ballots.length;
  let total = 0;
  for (const b of profile.ballots) for (const t of b.ranking) total += t.length;
  const items = new Int32Array(total);
  const tierOf = new Int32Array(total);
  const start = new Int32Array(nb + 1);
  const counts = new Float64Array(nb);
  let voters = 0;
  let at = 0;
  const seen = new Int32Array(profile.options.length).fill(-1);
  for (let bi = 0; bi < nb; bi++) {
    const b = profile.ballots[bi];
    const count = b.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new BallotError(`ballot ${bi + 1}: count must be a positive whole number, got ${count}`);
    start[bi] = at;
    const ranking = b.ranking;
    for (let t = 0; t < ranking.length; t++) {
      const tier = ranking[t];
      if (tier.length === 0) throw new BallotError(`ballot ${bi + 1}: an empty tier in the ranking`);
      for (let k = 0; k < tier.length; k++) {
        const i = index.get(tier[k]);
        if (i === undefined) throw new BallotError(`ballot ${bi + 1}: unknown option "${tier[k]}"`);
        if (seen[i] === bi) throw new BallotError(`ballot ${bi + 1}: option "${tier[k]}" is ranked more than once`);
        seen[i] = bi;
        items[at] = i;
        tierOf[at++] = t;
      }
    }
    counts[bi] = count;
    voters += count;
  }
  start[nb] = at;
  return { options: [...profile.options], items, tierOf, start, counts, voters };
}

/** Sorts option indices into tiers by a score, best (highest) first; equal scores share a tier. */
export function tiersByScore(options: string[], score: ArrayLike<number>): Tiers {
  const order = options.map((_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  const out: Tiers = [];
  let last = Number.NaN;
  for (const i of order) {
    if (out.length > 0 && score[i] === last) out[out.length - 1].push(options[i]);
    else out.push([options[i]]);
    last = score[i];
  }
  return out;
}
