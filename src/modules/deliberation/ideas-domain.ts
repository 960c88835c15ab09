/** Ideas carried from group to group: the review payload, rounds, and which groups fall behind. Pure, no I/O. */
import { z } from 'zod';

export const SHARED_IDEA_KIND = 'shared-idea';
export const IDEA_MAX = 2000;

/** What the facilitator reviews and, once approved, what the receiving groups read. */
export const SharedIdeaPayload = z.strictObject({
  text: z.string().trim().min(1).max(IDEA_MAX),
  /** the idea's language (ISO 639-1) when known */
  language: z.string().min(2).max(8).nullable(),
  originGroupId: z.string().min(1),
  originSessionId: z.string().min(1),
  targetSessionId: z.string().min(1),
  source: z.enum(['facilitator', 'transcript']),
  /** the extracted idea (breakout_ideas) it was taken from */
  sourceIdeaId: z.string().nullable(),
});
export type SharedIdeaPayload = z.infer<typeof SharedIdeaPayload>;

/** review subjects: a typed idea is its own subject; an extracted idea once per target round */
export const typedSubject = (groupId: string, uniq: string) => `shared-idea:typed:${groupId}:${uniq}`;
export const extractedSubject = (breakoutIdeaId: string, targetSessionId: string) => `shared-idea:extracted:${breakoutIdeaId}:${targetSessionId}`;

export interface SessionLike {
  id: string;
  startsAt: string | null;
  createdAt: string;
}

/**
 * The rounds of an assembly: its breakout sessions in time order (start, else creation; ties by creation and id).
 * Returns session id → round number (1-based).
 */
export function roundsOf(sessions: SessionLike[]): Map<string, number> {
  const key = (s: SessionLike) => s.startsAt ?? s.createdAt;
  const sorted = [...sessions].sort((a, b) => key(a).localeCompare(key(b)) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  return new Map(sorted.map((s, i) => [s.id, i + 1]));
}

/** the session of the round after `sessionId`, if any */
export function nextRound(rounds: Map<string, number>, sessionId: string): string | undefined {
  const r = rounds.get(sessionId);
  if (r === undefined) return undefined;
  for (const [id, n] of rounds) if (n === r + 1) return id;
  return undefined;
}

/** the display name of a group: allocated groups are stored as "Group N" and read as the reader's "Groupe N" */
export function groupLabel(name: string, t: (k: string, v?: Record<string, string | number>) => string): string {
  const m = /^Group (\d+)$/.exec(name);
  return m ? t('deliberation.ideas.groupN', { n: Number(m[1]) }) : name;
}

export interface GroupCount {
  groupId: string;
  round: number;
  count: number;
}

/**
 * Groups that took up noticeably fewer ideas than the other groups of their round: at least 2 fewer than the round's
 * median and under three quarters of it (a single idea behind is noise, not a pattern). A round where every group
 * has the same count flags none.
 */
export function laggingGroups(counts: GroupCount[]): Set<string> {
  const byRound = new Map<number, GroupCount[]>();
  for (const c of counts) {
    const list = byRound.get(c.round);
    if (list) list.push(c);
    else byRound.set(c.round, [c]);
  }
  const out = new Set<string>();
  for (const list of byRound.values()) {
    if (list.length < 2) continue;
    const sorted = list.map((c) => c.count).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    for (const c of list) if (median - c.count >= 2 && c.count < 0.75 * median) out.add(c.groupId);
  }
  return out;
}
