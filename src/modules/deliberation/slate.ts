/**
 * A fair slate of questions for the experts (pure). Rule, as shown to facilitators: rounds over the groups that
 * asked questions; in each round every group still holding questions contributes its most supported remaining one
 * (ties: the older first), groups taken in order of most support for that question; rounds repeat until the slate
 * is full. So when the slate has room for one question per group, every group is represented, and the most
 * supported questions fill the rest — support decides within a group, never across groups first.
 */
export const SLATE_RULE = 'round-robin over groups, most supported question of each group first';

export interface SlateQuestion {
  id: string;
  /** the asking member's group (e.g. their latest breakout group); null = not in a group */
  group: string | null;
  supports: number;
  createdAt: string;
}

export interface SlateResult {
  selected: string[];
  groups: Array<{ group: string | null; asked: number; selected: number; share: number }>;
}

export function fairSlate(questions: SlateQuestion[], size: number): SlateResult {
  const byGroup = new Map<string | null, SlateQuestion[]>();
  for (const q of questions) byGroup.set(q.group, [...(byGroup.get(q.group) ?? []), q]);
  for (const list of byGroup.values()) list.sort((a, b) => b.supports - a.supports || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const queues = new Map([...byGroup].map(([g, l]) => [g, [...l]]));
  const selected: SlateQuestion[] = [];
  while (selected.length < size) {
    const round = [...queues].filter(([, l]) => l.length > 0).map(([g, l]) => ({ g, q: l[0] }));
    if (round.length === 0) break;
    round.sort((a, b) => b.q.supports - a.q.supports || a.q.createdAt.localeCompare(b.q.createdAt) || a.q.id.localeCompare(b.q.id));
    for (const { g, q } of round) {
      if (selected.length >= size) break;
      selected.push(q);
      queues.get(g)!.shift();
    }
  }
  const n = selected.length;
  return {
    selected: selected.map((q) => q.id),
    groups: [...byGroup]
      .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
      .map(([group, l]) => {
      const k = selected.filter((q) => q.group === group).length;
      return { group, asked: l.length, selected: k, share: n ? k / n : 0 };
    }),
  };
}
