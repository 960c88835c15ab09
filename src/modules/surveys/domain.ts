/**
 * Surveys: pure rules. Question kinds: single choice, multiple choice, scale (whole numbers min…max), free text.
 * Opinion change between a 'pre' and a 'post' survey is computed per question key over the members who answered
 * both, and reported only in aggregate and only for groups of at least MIN_GROUP members (smaller groups would let a
 * researcher guess individuals' answers).
 */
import { localised } from '../../platform/errors.js';

const invalid = (detail: string, key: string, vars: Record<string, string | number> = {}) => localised('VALIDATION', detail, `surveys.err.${key}`, vars);

export type QuestionKind = 'single' | 'multiple' | 'scale' | 'text';
export interface Question {
  key: string;
  kind: QuestionKind;
  label: string;
  choices?: string[];
  min?: number;
  max?: number;
}
export type Answer = string | string[] | number;

export const MIN_GROUP = 5;
export const TEXT_MAX = 2000;

export function checkQuestions(qs: Question[]): void {
  if (qs.length === 0) throw invalid('A survey needs at least one question.', 'noQuestion');
  const keys = new Set<string>();
  for (const q of qs) {
    if (!/^[a-z0-9][a-z0-9_-]{0,39}$/i.test(q.key)) throw invalid(`Question key “${q.key}” must be 1–40 letters, digits, - or _.`, 'badKey', { key: q.key });
    if (keys.has(q.key)) throw invalid(`Two questions have the key “${q.key}”.`, 'sameKey', { key: q.key });
    keys.add(q.key);
    if ((q.kind === 'single' || q.kind === 'multiple') && (!q.choices || q.choices.length < 2 || new Set(q.choices).size !== q.choices.length)) throw invalid(`Question “${q.label}” needs at least two distinct choices.`, 'choices', { label: q.label });
    if (q.kind === 'scale' && !(Number.isInteger(q.min) && Number.isInteger(q.max) && q.min! < q.max! && q.max! - q.min! <= 100)) throw invalid(`Question “${q.label}” needs a scale with whole-number ends, min below max.`, 'scale', { label: q.label });
  }
}

/** Validates a member's answers; unanswered questions are allowed (left out). */
export function validateAnswers(qs: Question[], raw: Record<string, unknown>): Record<string, Answer> {
  const byKey = new Map(qs.map((q) => [q.key, q]));
  const out: Record<string, Answer> = {};
  for (const [key, v] of Object.entries(raw)) {
    const q = byKey.get(key);
    if (!q) throw invalid(`“${key}” is not a question of this survey.`, 'unknownQuestion', { key });
    if (q.kind === 'single') {
      if (typeof v !== 'string' || !q.choices!.includes(v)) throw invalid(`Choose one of the given answers for “${q.label}”.`, 'single', { label: q.label });
    } else if (q.kind === 'multiple') {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !q.choices!.includes(x)) || new Set(v).size !== v.length) throw invalid(`For “${q.label}”, choose among the given answers, each at most once.`, 'multiple', { label: q.label });
    } else if (q.kind === 'scale') {
      if (!Number.isInteger(v) || (v as number) < q.min! || (v as number) > q.max!) throw invalid(`For “${q.label}”, give a whole number from ${q.min} to ${q.max}.`, 'scaleAnswer', { label: q.label, min: q.min!, max: q.max! });
    } else if (typeof v !== 'string' || v.length > TEXT_MAX) throw invalid(`The answer to “${q.label}” must be text of at most ${TEXT_MAX} characters.`, 'text', { label: q.label, max: TEXT_MAX });
    out[key] = v as Answer;
  }
  return out;
}

export interface QuestionChange {
  key: string;
  kind: QuestionKind;
  label: string;
  /** members who answered this question in both surveys */
  paired: number;
  /** null when fewer than MIN_GROUP members are paired (withheld) */
  meanPre: number | null;
  meanPost: number | null;
  meanShift: number | null;
  shareChanged: number | null;
  withheld: boolean;
}

const same = (a: Answer, b: Answer) => (Array.isArray(a) && Array.isArray(b) ? [...a].sort().join('\u0000') === [...b].sort().join('\u0000') : a === b);

/** Opinion change per question key present in both surveys, from pairs of answers (pre, post) of the same members. */
export function opinionChange(pre: Question[], post: Question[], pairs: Array<{ pre: Record<string, Answer>; post: Record<string, Answer> }>, minGroup = MIN_GROUP): QuestionChange[] {
  const postByKey = new Map(post.map((q) => [q.key, q]));
  return pre
    .filter((q) => postByKey.get(q.key)?.kind === q.kind)
    .map((q) => {
      const both = pairs.filter((p) => p.pre[q.key] !== undefined && p.post[q.key] !== undefined).map((p) => [p.pre[q.key], p.post[q.key]] as const);
      const withheld = both.length < minGroup;
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const scale = q.kind === 'scale' && !withheld;
      return {
        key: q.key,
        kind: q.kind,
        label: q.label,
        paired: both.length,
        meanPre: scale ? mean(both.map(([a]) => a as number)) : null,
        meanPost: scale ? mean(both.map(([, b]) => b as number)) : null,
        meanShift: scale ? mean(both.map(([a, b]) => (b as number) - (a as number))) : null,
        shareChanged: withheld || q.kind === 'text' ? null : both.filter(([a, b]) => !same(a, b)).length / both.length,
        withheld,
      };
    });
}
