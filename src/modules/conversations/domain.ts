import { z } from 'zod';
import { createPrng, META_PRIORITY, routingPriority } from '../../../pipelines/votes/index.js';

/** Pure rules and shapes of conversations: payloads, routing, near-duplicate detection. No I/O. */

export const OPINION_MAP_KIND = 'opinion-map';
export const RECOMPUTE_JOB = 'conversations.recompute';
export const VOTE_VALUES = [1, -1, 0] as const;
export type VoteValue = (typeof VOTE_VALUES)[number];

export const StatementText = z.string().trim().min(3, 'A statement needs at least 3 characters.').max(400, 'Keep statements under 400 characters.');

const Num = z.number().finite();
const StatementRef = z.strictObject({ statementId: z.number().int(), tid: z.number().int(), text: z.string() });

export const RepresentativeSchema = StatementRef.extend({
  direction: z.enum(['agree', 'disagree']),
  /** share of the group voting in that direction (smoothed) */
  pSuccess: Num,
  /** how much more than the rest of the participants (ratio of smoothed probabilities) */
  repness: Num,
  nSuccess: z.number().int(),
  nTrials: z.number().int(),
});

export const ConsensusSchema = StatementRef.extend({ pSuccess: Num, nSuccess: z.number().int(), nTrials: z.number().int() });

/** The machine's opinion map, as reviewed and (once approved) published. Facilitators edit the group labels. */
export const OpinionMapPayload = z.strictObject({
  conversationId: z.string(),
  topic: z.string(),
  k: z.number().int().min(2).max(10),
  groups: z
    .array(
      z.strictObject({
        id: z.number().int().min(0),
        label: z.string().trim().min(1).max(80),
        /** a facilitator's description of the group (review desk), shown under its name */
        description: z.string().trim().max(300).optional(),
        size: z.number().int().min(0),
        center: z.tuple([Num, Num]),
        representative: z.array(RepresentativeSchema),
      }),
    )
    .min(2),
  /** every participant with votes in the math: position and group (−1: not clustered, shown nearest group in nearestGroup) */
  participants: z.array(z.strictObject({ participantId: z.number().int(), x: Num, y: Num, group: z.number().int(), nearestGroup: z.number().int() })),
  /** statement loadings: where a participant agreeing with the statement alone would sit */
  statements: z.array(StatementRef.extend({ x: Num, y: Num, groupInformedConsensus: Num })),
  consensus: z.strictObject({ agree: z.array(ConsensusSchema), disagree: z.array(ConsensusSchema) }),
  /** statements with the highest group-informed consensus (agreement across every group) */
  groupInformedConsensus: z.array(StatementRef.extend({ value: Num })),
  voteEvents: z.number().int(),
  participantCount: z.number().int(),
  statementCount: z.number().int(),
});
export type OpinionMapPayload = z.infer<typeof OpinionMapPayload>;

/** Default label of group i: A, B, C … */
export const groupLetter = (i: number) => String.fromCharCode(65 + (i % 26));

// ---------- routing ----------

export interface RoutingCandidate {
  id: number;
  isMeta: boolean;
  agree: number;
  disagree: number;
  pass: number;
  extremity: number;
}

/** Priority of a statement for routing (pipelines/votes routingPriority; meta statements get META_PRIORITY). */
export function priorityOf(c: RoutingCandidate): number {
  if (c.isMeta) return META_PRIORITY;
  return routingPriority(c.agree, c.pass, c.agree + c.disagree + c.pass, c.extremity);
}

/** 32-bit FNV-1a hash of a string (seeds per participant). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Weighted random choice among the candidates (the participant's unseen accepted statements), seeded by the
 * participant and how many votes they cast, so the same state always routes to the same statement.
 */
export function pickNext(candidates: RoutingCandidate[], seed: number, stream: number): RoutingCandidate | null {
  if (candidates.length === 0) return null;
  const weights = candidates.map((c) => Math.max(priorityOf(c), 1e-9));
  const total = weights.reduce((a, b) => a + b, 0);
  const r = createPrng(seed, stream).next() * total;
  let acc = 0;
  for (let i = 0; i < candidates.length; i++) {
    acc += weights[i];
    if (r < acc) return candidates[i];
  }
  return candidates[candidates.length - 1];
}

// ---------- near-duplicates ----------

/** Normalised text: lower case, accents removed, punctuation to spaces, spaces collapsed. */
export function normalise(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Character trigrams of the normalised text, padded with a space at each end. */
export function trigrams(s: string): Set<string> {
  const t = ` ${normalise(s)} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= t.length; i++) out.add(t.slice(i, i + 3));
  return out;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const g of small) if (large.has(g)) inter++;
  return inter / (a.size + b.size - inter);
}

export interface SimilarHit {
  id: number;
  similarity: number;
}

/** Statements whose trigram Jaccard similarity to the draft is at least `threshold`, best first. */
export function similarTo(draft: string, corpus: Array<{ id: number; grams: Set<string> }>, threshold = 0.35, limit = 5): SimilarHit[] {
  const d = trigrams(draft);
  if (d.size < 4) return [];
  const hits: SimilarHit[] = [];
  for (const c of corpus) {
    const sim = jaccard(d, c.grams);
    if (sim >= threshold) hits.push({ id: c.id, similarity: Math.round(sim * 1000) / 1000 });
  }
  return hits.sort((a, b) => b.similarity - a.similarity || a.id - b.id).slice(0, limit);
}

// ---------- geometry ----------

/** Convex hull (Andrew's monotone chain), counter-clockwise, without repeated points. */
export function convexHull(points: Array<[number, number]>): Array<[number, number]> {
  const pts = [...new Map(points.map((p) => [`${p[0]},${p[1]}`, p])).values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length <= 2) return pts;
  const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Array<[number, number]> = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Array<[number, number]> = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}
