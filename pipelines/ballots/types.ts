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

/** Ranked ballots by option index, the form every ranked method consumes (built once by `indexProfile`). */
export interface IndexedProfile {
  options: string[];
  /** tiers of option indices per ballot */
  tiers: number[][][];
  counts: number[];
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
  const tiers: number[][][] = [];
  const counts: number[] = [];
  let voters = 0;
  const seen = new Int32Array(profile.options.length).fill(-1);
  profile.ballots.forEach((b, bi) => {
    const count = b.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new BallotError(`ballot ${bi + 1}: count must be a positive whole number, got ${count}`);
    const t: number[][] = [];
    for (const tier of b.ranking) {
      if (tier.length === 0) throw new BallotError(`ballot ${bi + 1}: an empty tier in the ranking`);
      const ti: number[] = [];
      for (const name of tier) {
        const i = index.get(name);
        if (i === undefined) throw new BallotError(`ballot ${bi + 1}: unknown option "${name}"`);
        if (seen[i] === bi) throw new BallotError(`ballot ${bi + 1}: option "${name}" is ranked more than once`);
        seen[i] = bi;
        ti.push(i);
      }
      t.push(ti);
    }
    tiers.push(t);
    counts.push(count);
    voters += count;
  });
  return { options: [...profile.options], tiers, counts, voters };
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
