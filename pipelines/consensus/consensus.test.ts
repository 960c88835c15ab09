import { describe, expect, it } from 'vitest';
import { consensusCandidates, voteScores } from './index.js';

const unit = (a: number) => Float32Array.from([Math.cos(a), Math.sin(a)]);

describe('consensusCandidates', () => {
  // two clusters around angles 0 and 1.2 rad; 'bridge' at 0.6 sits between them
  const angles = [-0.1, -0.05, 0, 0.05, 0.1, 1.1, 1.15, 1.2, 1.25, 1.3, 0.6, 0.58, 0.62];
  const ids = angles.map((_, i) => (i === 10 ? 'bridge' : `s${i}`));
  const base = {
    ids,
    texts: ids,
    vectors: angles.map(unit),
    clusters: angles.map((a) => (a < 0.6 ? 0 : 1)),
    k: 2,
    stance: angles.map(() => null),
  };
  it('scores a statement supported in both clusters above one supported in one', () => {
    const r = consensusCandidates({ ...base, sentiment: angles.map(() => 0.5) }, { seed: 1, quantile: 0.5, minBreadth: 0.5 });
    const bridge = r.candidates.find((c) => c.contributionId === 'bridge');
    expect(bridge).toBeDefined();
    expect(bridge!.clusterBreadth).toBe(1);
    const edge = r.candidates.find((c) => c.contributionId === 's0');
    expect(!edge || edge.score < bridge!.score).toBe(true);
  });
  it('drops statements whose support is negative', () => {
    const r = consensusCandidates({ ...base, sentiment: angles.map(() => -0.5) }, { seed: 1, quantile: 0.5 });
    expect(r.candidates).toEqual([]);
  });
  it('uses votes when given: min over groups of smoothed agreement', () => {
    const s = voteScores([
      { participantId: 'p1', contributionId: 'x', vote: 1, group: 'g1' },
      { participantId: 'p2', contributionId: 'x', vote: 1, group: 'g1' },
      { participantId: 'p3', contributionId: 'x', vote: -1, group: 'g2' },
    ]);
    expect(s.get('x')).toEqual({ score: (0 + 1) / (0 + 1 + 2), n: 3 });
  });
});
