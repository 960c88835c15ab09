/**
 * Choosing, sentence by sentence, between the outputs of several Apertium pivot chains (fr→es→en, fr→ca→en,
 * fr→eo→en …) without looking at any reference translation. Pure functions; the weights live in models/tuned.ts.
 *
 * Score of candidate j for one sentence (higher is better):
 *   consensus · mean chrF(c_j, c_k) over the other candidates k   (system combination by agreement: the output the
 *                                                                  other chains come closest to — minimum Bayes risk)
 * + roundTrip · chrF(back-translation of c_j, source)            (does it still say what the source said?)
 * − marks     · number of Apertium marks in c_j                   (`*` unknown word, `#` generation error,
 *                                                                  `@` transfer error: Apertium's own doubts)
 * Ties go to the earlier pivot in the tuned preference order.
 */

/** A mark is `*`, `#` or `@` at the start of a word (Apertium's unknown / generation / transfer error marks). */
const MARK_RE = /(^|[\s"'«([¿¡-])[*#@](?=[^\s*#@])/gu;

export function countMarks(s: string): number {
  return (s.match(MARK_RE) ?? []).length;
}

/** Removes Apertium's marks, keeping the words they mark. */
export function stripMarks(s: string): string {
  return s.replace(MARK_RE, '$1');
}

function charGrams(s: string, n: number): Map<string, number> {
  const chars = Array.from(s.replace(/\s+/gu, ''));
  const m = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    const g = chars.slice(i, i + n).join('');
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** Sentence-level chrF (character 1–6-grams, β = 2, whitespace ignored), 0–100; 0 when either side is empty. */
export function sentenceChrf(hyp: string, ref: string, order = 6, beta = 2): number {
  const b2 = beta * beta;
  let sum = 0;
  let used = 0;
  for (let n = 1; n <= order; n++) {
    const h = charGrams(hyp, n);
    const r = charGrams(ref, n);
    let hc = 0, rc = 0, m = 0;
    for (const c of h.values()) hc += c;
    for (const c of r.values()) rc += c;
    if (hc === 0 || rc === 0) continue;
    for (const [g, c] of h) m += Math.min(c, r.get(g) ?? 0);
    used++;
    const p = m / hc, rec = m / rc;
    sum += p + rec > 0 ? ((1 + b2) * p * rec) / (b2 * p + rec) : 0;
  }
  return used ? (100 * sum) / used : 0;
}

export interface SelectWeights {
  consensus: number;
  roundTrip: number;
  marks: number;
}

export interface Candidate {
  /** the pivot language ('es', 'ca', 'eo') */
  pivot: string;
  /** raw chain output, marks kept */
  raw: string;
  /** the candidate translated back into the source language (marks removed), or undefined when not computed */
  back?: string;
}

export interface Scored {
  pivot: string;
  text: string;
  consensus: number;
  roundTrip: number;
  marks: number;
  score: number;
}

/** Scores every candidate for one sentence and returns them best first (stable: ties keep candidate order). */
export function scoreCandidates(source: string, cands: readonly Candidate[], w: SelectWeights): Scored[] {
  const clean = cands.map((c) => stripMarks(c.raw).replace(/\s+/g, ' ').trim());
  const scored = cands.map((c, j) => {
    let consensus = 0;
    if (cands.length > 1 && w.consensus !== 0) {
      for (let k = 0; k < cands.length; k++) if (k !== j) consensus += sentenceChrf(clean[j], clean[k]);
      consensus /= cands.length - 1;
    }
    const roundTrip = c.back !== undefined && w.roundTrip !== 0 ? sentenceChrf(c.back, source) : 0;
    const marks = countMarks(c.raw);
    return { pivot: c.pivot, text: clean[j], consensus, roundTrip, marks, score: w.consensus * consensus + w.roundTrip * roundTrip - w.marks * marks, order: j };
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.map(({ order: _order, ...s }) => s);
}
