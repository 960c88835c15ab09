/** Small planted conversations for tests (seeded). */
import { buildVoteMatrix, type Vote, type VoteMatrix } from './matrix.js';
import { createPrng } from './prng.js';

export interface Planted {
  matrix: VoteMatrix;
  votes: Vote[];
  group: Int32Array;
}

/**
 * Two planted groups: group 0 agrees with statements 0…d−1 and disagrees with d…2d−1, group 1 the opposite;
 * statements 2d…2d+c−1 are agreed by everyone. Each vote is seen with probability `seen` and flipped to pass
 * with probability `noise`.
 */
export function plantedTwoGroups(nParticipants: number, d: number, c: number, seed: number, seen = 0.8, noise = 0.1): Planted {
  const rng = createPrng(seed, 5);
  const S = 2 * d + c;
  const votes: Vote[] = [];
  const group = new Int32Array(nParticipants);
  for (let i = 0; i < nParticipants; i++) {
    group[i] = i % 2;
    for (let j = 0; j < S; j++) {
      if (rng.next() > seen) continue;
      let v: 1 | -1 | 0;
      if (j >= 2 * d) v = 1;
      else v = (j < d) === (group[i] === 0) ? 1 : -1;
      if (rng.next() < noise) v = 0;
      votes.push({ participant: i, statement: j, vote: v });
    }
  }
  return { matrix: buildVoteMatrix(nParticipants, S, votes), votes, group };
}
