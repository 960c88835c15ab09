import { describe, expect, it } from 'vitest';
import { fairSlate } from './slate.js';

const q = (id: string, group: string | null, supports: number, createdAt = '2030-01-01') => ({ id, group, supports, createdAt });

describe('fair slate', () => {
  const questions = [q('a1', 'A', 30), q('a2', 'A', 25), q('a3', 'A', 20), q('b1', 'B', 2), q('c1', 'C', 0), q('c2', 'C', 1)];
  it('represents every group before any group gets a second question', () => {
    const r = fairSlate(questions, 3);
    expect(r.selected).toEqual(['a1', 'b1', 'c2']); // the most supported alone would be a1, a2, a3
    expect(r.groups).toEqual([
      { group: 'A', asked: 3, selected: 1, share: 1 / 3 },
      { group: 'B', asked: 1, selected: 1, share: 1 / 3 },
      { group: 'C', asked: 2, selected: 1, share: 1 / 3 },
    ]);
  });
  it('fills further rounds by support, skipping groups that ran out', () => {
    expect(fairSlate(questions, 5).selected).toEqual(['a1', 'b1', 'c2', 'a2', 'c1']);
    expect(fairSlate(questions, 10).selected).toHaveLength(6);
  });
  it('with fewer seats than groups, the most supported groups’ best questions go first; ties by age', () => {
    expect(fairSlate(questions, 2).selected).toEqual(['a1', 'b1']);
    expect(fairSlate([q('x', 'X', 1, '2030-01-02'), q('y', 'Y', 1, '2030-01-01')], 1).selected).toEqual(['y']);
  });
});
