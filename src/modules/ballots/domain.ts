/**
 * Ballots: pure rules. What a valid choice is for each method, when a ballot is open, and the count (through the
 * vote-counting pipeline, so the service and anyone recounting the public list use the same code).
 */
import {
  approval,
  bordaIndexed,
  indexProfile,
  schulzeIndexed,
  type IndexedProfile,
  BallotError,
  consent,
  GRADIENTS,
  majorityJudgment,
  tallyGrades,
  threshold,
  type Tiers,
} from '../../../pipelines/ballots/index.js';
import { localised } from '../../platform/errors.js';

/** a refusal with its sentence in the catalogues (ballots.err.<key>), so pages can say it in the reader's language */
const invalid = (detail: string, key: string, vars: Record<string, string | number> = {}) => localised('VALIDATION', detail, `ballots.err.${key}`, vars);

export const METHODS = ['threshold', 'approval', 'schulze', 'borda', 'mj', 'consent'] as const;
export type Method = (typeof METHODS)[number];

export interface BallotDef {
  method: Method;
  options: Array<{ id: string; label: string }>;
  grades: string[] | null;
  threshold: number | null;
  thresholdBase: 'cast' | 'eligible' | null;
  quorum: number;
  opensAt: string;
  closesAt: string;
  closedAt: string | null;
}

export type Choice = { approve: string[] } | { ranking: string[][] } | { grades: Record<string, number> } | { gradient: string };

export type Status = 'scheduled' | 'open' | 'closed';

export function statusAt(b: Pick<BallotDef, 'opensAt' | 'closesAt' | 'closedAt'>, now: Date): Status {
  const t = now.toISOString();
  const closes = b.closedAt && b.closedAt < b.closesAt ? b.closedAt : b.closesAt;
  if (t >= closes) return 'closed';
  return t >= b.opensAt ? 'open' : 'scheduled';
}

/** Checks a ballot's definition (creation): quorum and threshold in range, grades for MJ, distinct options. */
export function checkDefinition(d: Omit<BallotDef, 'closedAt'>, now: Date): void {
  if (!(d.quorum >= 0 && d.quorum <= 1)) throw invalid(`The quorum must be between 0 % and 100 % of eligible members; ${Math.round(d.quorum * 100)} % was given.`, 'quorum', { given: Math.round(d.quorum * 100) });
  if (d.method === 'threshold') {
    if (d.threshold === null || !(d.threshold > 0 && d.threshold <= 1)) throw invalid('A support threshold ballot needs a threshold above 0 % and at most 100 %.', 'threshold');
    if (!d.thresholdBase) throw invalid('Say whether the threshold counts votes cast or eligible members.', 'thresholdBase');
  }
  if (d.method === 'mj' && (!d.grades || d.grades.length < 2 || new Set(d.grades).size !== d.grades.length)) throw invalid('Majority judgment needs a scale of at least two distinct grades, worst first.', 'grades');
  if (d.method === 'consent' ? d.options.length !== 1 : d.options.length < 2) throw d.method === 'consent' ? invalid('A consent ballot asks about exactly one proposal.', 'consentOne') : invalid('A ballot needs at least two options.', 'twoOptions');
  const labels = d.options.map((o) => o.label.trim().toLowerCase());
  if (new Set(labels).size !== labels.length) throw invalid('Two options have the same label.', 'sameLabel');
  if (Date.parse(d.closesAt) <= now.getTime()) throw invalid('The closing time is already past.', 'closesPast');
  if (!(Date.parse(d.opensAt) < Date.parse(d.closesAt))) throw invalid('The ballot must close after it opens.', 'closesBeforeOpen');
}

function optionIds(def: BallotDef): Set<string> {
  return new Set(def.options.map((o) => o.id));
}

function checkKnownOnce(def: BallotDef, ids: string[], what: string): void {
  const known = optionIds(def);
  const seen = new Set<string>();
  for (const id of ids) {
    if (!known.has(id)) throw invalid(`"${id}" is not one of this ballot's options.`, 'notAnOption', { id });
    if (seen.has(id)) throw invalid(`An option appears twice in your ${what}.`, 'twice');
    seen.add(id);
  }
}

/** Validates a member's choice for the ballot's method; returns it normalised. */
export function validateChoice(def: BallotDef, raw: unknown): Choice {
  const c = (raw ?? {}) as Record<string, unknown>;
  switch (def.method) {
    case 'threshold':
    case 'approval': {
      if (!Array.isArray(c.approve) || c.approve.some((x) => typeof x !== 'string')) throw invalid('Give the options you support as a list ("approve").', 'approveList');
      checkKnownOnce(def, c.approve as string[], 'choice');
      return { approve: c.approve as string[] };
    }
    case 'schulze':
    case 'borda': {
      const r = c.ranking;
      if (!Array.isArray(r) || r.some((t) => !Array.isArray(t) || t.length === 0 || t.some((x) => typeof x !== 'string'))) throw invalid('Give your ranking as a list of groups of options, best first ("ranking").', 'rankingList');
      if (r.length === 0) throw invalid('Rank at least one option.', 'rankOne');
      checkKnownOnce(def, (r as string[][]).flat(), 'ranking');
      return { ranking: r as string[][] };
    }
    case 'mj': {
      const g = c.grades;
      if (!g || typeof g !== 'object' || Array.isArray(g)) throw invalid('Give a grade for each option ("grades": option → grade number).', 'gradesObject');
      const scale = def.grades ?? [];
      checkKnownOnce(def, Object.keys(g), 'grades');
      for (const [id, v] of Object.entries(g as Record<string, unknown>)) {
        if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= scale.length) throw invalid(`The grade for "${def.options.find((o) => o.id === id)?.label ?? id}" is outside the scale (0 to ${scale.length - 1}).`, 'gradeOff', { label: def.options.find((o) => o.id === id)?.label ?? id });
      }
      if (Object.keys(g).length !== def.options.length) throw invalid('Grade every option (an option you have no opinion on takes the lowest grade).', 'gradeAll');
      return { grades: g as Record<string, number> };
    }
    case 'consent': {
      if (typeof c.gradient !== 'string' || !(GRADIENTS as readonly string[]).includes(c.gradient)) throw invalid(`Choose one of the eight gradients of agreement (${GRADIENTS.join(', ')}).`, 'gradient');
      return { gradient: c.gradient };
    }
  }
}

export interface BallotResult {
  method: Method;
  voters: number;
  eligible: number;
  turnout: number;
  quorum: number;
  quorumMet: boolean;
  /** option ids in tiers, best first */
  ranking: Tiers;
  /** winners (or, for threshold, the options that pass; for consent, the proposal if it passes); empty without quorum */
  winners: string[];
  detail: Record<string, unknown>;
}

/** Counts the choices (as stored or as read from the public list). Pure; throws AppError on a bad definition. */
export function tally(def: BallotDef, choices: Choice[], eligible: number): BallotResult {
  const ids = def.options.map((o) => o.id);
  const voters = choices.length;
  const quorumMet = eligible > 0 && voters * 1e9 >= Math.round(def.quorum * 1e9) * eligible;
  const base = { method: def.method, voters, eligible, turnout: eligible > 0 ? voters / eligible : 0, quorum: def.quorum, quorumMet };
  try {
    switch (def.method) {
      case 'threshold': {
        const r = threshold(ids, choices.map((c) => ({ approve: (c as { approve: string[] }).approve })), { threshold: def.threshold!, base: def.thresholdBase!, quorum: def.quorum, eligible });
        return { ...base, ranking: r.ranking, winners: r.winners, detail: { support: r.support, share: r.share, passed: r.passed, threshold: r.threshold, base: r.base } };
      }
      case 'approval': {
        const r = approval(ids, choices.map((c) => ({ approve: (c as { approve: string[] }).approve })));
        return { ...base, ranking: r.ranking, winners: quorumMet ? r.winners : [], detail: { approvals: r.approvals } };
      }
      case 'schulze':
      case 'borda':
        return rankedResult(def, indexProfile({ options: ids, ballots: choices.map((c) => ({ ranking: (c as { ranking: string[][] }).ranking })) }), eligible);
      case 'mj': {
        const grades = def.grades ?? [];
        const r = majorityJudgment(tallyGrades(grades, ids, choices.map((c) => (c as { grades: Record<string, number> }).grades)));
        return { ...base, ranking: r.ranking, winners: quorumMet ? r.winners : [], detail: { grades, results: r.results } };
      }
      case 'consent': {
        const r = consent(choices.map((c) => ({ gradient: (c as { gradient: string }).gradient })));
        return { ...base, ranking: [ids], winners: quorumMet && r.passed ? ids : [], detail: { counts: r.counts, blocks: r.blocks, objections: r.objections, support: r.support, passed: r.passed } };
      }
    }
  } catch (e) {
    if (e instanceof BallotError) throw invalid(e.message, 'count');
    throw e;
  }
}

/** Schulze / Borda result from ballots already indexed (shared by `tally` and the packed fast path). */
export function rankedResult(def: BallotDef, p: IndexedProfile, eligible: number): BallotResult {
  const voters = p.voters;
  const quorumMet = eligible > 0 && voters * 1e9 >= Math.round(def.quorum * 1e9) * eligible;
  const base = { method: def.method, voters, eligible, turnout: eligible > 0 ? voters / eligible : 0, quorum: def.quorum, quorumMet };
  if (def.method === 'schulze') {
    const r = schulzeIndexed(p, 'margin');
    return { ...base, ranking: r.ranking, winners: quorumMet ? r.winners : [], detail: { variant: 'margin', pairwise: r.pairwise, paths: r.paths } };
  }
  const r = bordaIndexed(p);
  return { ...base, ranking: r.ranking, winners: quorumMet ? r.winners : [], detail: { scores: r.scores } };
}

/** A ranking packed for counting: option positions, tiers separated by ',', tied options by '=' ("2=0,4"). */
export function packRanking(def: BallotDef, ranking: string[][]): string {
  const pos = new Map(def.options.map((o, i) => [o.id, i]));
  return ranking.map((t) => t.map((id) => pos.get(id)).join('=')).join(',');
}

/** Packed rankings (validated when cast) → the indexed profile, without building per-ballot objects. */
export function unpackRankings(def: BallotDef, packed: string[]): IndexedProfile {
  const nb = packed.length;
  let total = 0;
  for (const s of packed) if (s.length > 0) for (let i = 0, n = 1; i <= s.length; i++) if (i === s.length) total += n; else if (s.charCodeAt(i) === 44 || s.charCodeAt(i) === 61) n++;
  const items = new Int32Array(total);
  const tierOf = new Int32Array(total);
  const start = new Int32Array(nb + 1);
  let at = 0;
  for (let b = 0; b < nb; b++) {
    start[b] = at;
    const s = packed[b];
    if (s.length === 0) continue;
    let num = 0;
    let tier = 0;
    for (let i = 0; i <= s.length; i++) {
      const ch = i < s.length ? s.charCodeAt(i) : 44;
      if (ch >= 48 && ch <= 57) num = num * 10 + (ch - 48);
      else {
        items[at] = num;
        tierOf[at++] = tier;
        num = 0;
        if (ch === 44) tier++;
      }
    }
  }
  start[nb] = at;
  return { options: def.options.map((o) => o.id), items, tierOf, start, counts: new Float64Array(nb).fill(1), voters: nb };
}

/** A random receipt code: 4 groups of 4 characters from an unambiguous alphabet (80 bits). */
export function receiptCode(randomBytes: (n: number) => Uint8Array): string {
  const a32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // 32 symbols without 0/O, 1/I
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => a32[b & 31]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}
