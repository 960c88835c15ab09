import { describe, expect, it } from 'vitest';
import { buildVoteMatrix, type Vote } from './matrix.js';
import { replayInclusion, type TimedVote } from './inclusion.js';
import { computeOpinionMap } from './opinion-map.js';

describe('replayInclusion (Pol.is in-conv carry and most-active floor)', () => {
  it('keeps early light voters admitted by the floor, and adds later voters only at the threshold', () => {
    const votes: TimedVote[] = [];
    let t = 0;
    // participants 0…15 arrive first with one vote each: the floor admits the first 15 of them
    for (let p = 0; p < 16; p++) votes.push({ participant: p, statement: p % 10, time: t++ });
    // later: 16…19 vote 7 times (in), 20 votes 6 times (out)
    for (let p = 16; p < 21; p++) for (let j = 0; j < (p === 20 ? 6 : 7); j++) votes.push({ participant: p, statement: j, time: t++ });
    const inConv = Array.from(replayInclusion(votes, 21));
    expect(inConv).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19]);
  });

  it('counts passes and repeated votes once, and lowers the threshold while few statements exist', () => {
    const votes: TimedVote[] = [];
    for (let p = 0; p < 20; p++) votes.push({ participant: p, statement: 0, time: 0 });
    // all 20 vote at the same time on the only two statements: threshold min(7, 2) = 2 once both exist
    for (let p = 0; p < 20; p++) votes.push({ participant: p, statement: 1, time: 1 }, { participant: p, statement: 1, time: 2 });
    expect(replayInclusion(votes, 20).length).toBe(20);
  });

  it('a carried participant stays in the opinion map below the threshold (include)', () => {
    const votes: Vote[] = [];
    for (let i = 0; i < 30; i++) for (let j = 0; j < 8; j++) votes.push({ participant: i, statement: j, vote: j === i % 8 ? 0 : (i < 15) === (j < 4) ? 1 : -1 });
    votes.push({ participant: 30, statement: 0, vote: 1 });
    const matrix = buildVoteMatrix(31, 8, votes);
    const without = computeOpinionMap({ matrix }, { seed: 1 });
    const withInclude = computeOpinionMap({ matrix }, { seed: 1, include: [30] });
    if (without.status !== 'ok' || withInclude.status !== 'ok') throw new Error(`expected ok: ${without.status === 'ok' ? '' : without.reason}`);
    expect(without.participantGroup[30]).toBe(-1);
    expect(withInclude.participantGroup[30]).toBeGreaterThanOrEqual(0);
    expect(withInclude.inConv.length).toBe(31);
  });
});
