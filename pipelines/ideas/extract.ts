/**
 * Candidate ideas (proposals) and claims from an approved transcript, rule-based, French and English.
 *
 * Each segment is split into sentences (on . ! ? …; speech-to-text output without punctuation stays one
 * sentence per segment). A sentence becomes a candidate when it contains a cue:
 *   proposal cues  — "I propose", "we should", "let's", "je propose", "il faudrait", "on devrait" …
 *   modal + verb   — subject + should/must/ought to/need to + verb; on/nous/il… + devrait/doit/faudrait… + verb
 *   claim cues     — "I think", "the problem is", "studies show", "je pense que", "parce que" …
 * and it is scored in [0, 1]: the strongest cue's weight, adjusted for length (very short fragments and
 * rambling ones score lower), questions (lower, except suggestion questions like "why don't we"),
 * numbers (evidence, for claims) and several cues agreeing. Candidates keep the segment index, the
 * speaker, the verbatim quote (an exact substring of the segment text) and its start/end: from word
 * timestamps when the segment has them, else interpolated by character position (timeSource says which).
 * Everything is a draft for a facilitator to review.
 */
import type { Word } from '../../models/types.js';

export const STAGE = { name: 'ideas', version: '1.0.0' } as const;

export interface TranscriptSegmentInput {
  index: number;
  speakerId: string | null;
  start: number;
  end: number;
  text: string;
  words?: Word[];
  language?: string | null;
}

export type CandidateKind = 'proposal' | 'claim';

export interface IdeaCandidate {
  kind: CandidateKind;
  segmentIndex: number;
  speakerId: string | null;
  /** exact substring of the segment's text */
  quote: string;
  /** character offsets of the quote in the segment text */
  charStart: number;
  charEnd: number;
  start: number;
  end: number;
  timeSource: 'words' | 'interpolated';
  score: number;
  /** the cue phrases or patterns that matched */
  cues: string[];
  language: 'fr' | 'en' | null;
}

export interface ExtractOptions {
  /** candidates under this score are dropped (default 0.4) */
  minScore?: number;
}

interface Cue {
  re: RegExp;
  kind: CandidateKind;
  weight: number;
  lang: 'en' | 'fr';
  label: string;
}

const W = '[\\p{L}\\p{M}\'’-]+'; // a word
const cue = (pattern: string, kind: CandidateKind, weight: number, lang: 'en' | 'fr', label?: string): Cue => ({
  re: new RegExp(`(?<![\\p{L}])(?:${pattern})(?![\\p{L}])`, 'iu'),
  kind,
  weight,
  lang,
  label: label ?? pattern.replace(/\\s\+/g, ' ').replace(/\(\?:|\)|\\b/g, ''),
});

const CUES: Cue[] = [
  // explicit proposals
  cue('i\\s+propose', 'proposal', 1, 'en', 'I propose'),
  cue('i\\s+suggest', 'proposal', 0.95, 'en', 'I suggest'),
  cue('i\\s+recommend', 'proposal', 0.9, 'en', 'I recommend'),
  cue('(?:my|our|the)\\s+proposal\\s+is', 'proposal', 1, 'en', 'the proposal is'),
  cue('we\\s+should', 'proposal', 0.85, 'en', 'we should'),
  cue('we\\s+(?:must|need\\s+to|ought\\s+to|have\\s+to)', 'proposal', 0.8, 'en', 'we must / need to'),
  cue('we\\s+could', 'proposal', 0.65, 'en', 'we could'),
  cue("let'?s|let\\s+us", 'proposal', 0.75, 'en', "let's"),
  cue("why\\s+(?:don't|do\\s+not)\\s+we|how\\s+about", 'proposal', 0.7, 'en', "why don't we"),
  cue('it\\s+would\\s+be\\s+(?:good|better|great|wise)\\s+to', 'proposal', 0.75, 'en', 'it would be good to'),
  cue('je\\s+(?:propose|proposerais)', 'proposal', 1, 'fr', 'je propose'),
  cue('je\\s+(?:suggère|suggérerais|recommande)', 'proposal', 0.95, 'fr', 'je suggère'),
  cue('(?:ma|notre|la)\\s+proposition\\s+(?:est|c[\'’]est)', 'proposal', 1, 'fr', 'ma proposition est'),
  cue('il\\s+faudrait', 'proposal', 0.85, 'fr', 'il faudrait'),
  cue('on\\s+devrait|nous\\s+devrions', 'proposal', 0.85, 'fr', 'on devrait'),
  cue('il\\s+faut|on\\s+doit|nous\\s+devons', 'proposal', 0.75, 'fr', 'il faut / on doit'),
  cue('on\\s+pourrait|nous\\s+pourrions', 'proposal', 0.65, 'fr', 'on pourrait'),
  cue('pourquoi\\s+ne\\s+pas', 'proposal', 0.7, 'fr', 'pourquoi ne pas'),
  cue('proposons', 'proposal', 0.9, 'fr', 'proposons'),
  cue('il\\s+serait\\s+(?:bon|bien|utile|souhaitable)\\s+de', 'proposal', 0.75, 'fr', 'il serait bon de'),
  // claims
  cue('i\\s+(?:think|believe)|in\\s+my\\s+(?:opinion|view)', 'claim', 0.55, 'en', 'I think'),
  cue('the\\s+(?:fact|truth|problem|issue)\\s+is', 'claim', 0.65, 'en', 'the problem is'),
  cue('(?:it\\s+is|it\'s)\\s+(?:clear|obvious|true|a\\s+fact)\\s+that', 'claim', 0.7, 'en', 'it is clear that'),
  cue('(?:studies|research|evidence|data|figures)\\s+(?:show|shows|suggest|suggests|prove|proves)', 'claim', 0.8, 'en', 'studies show'),
  cue('because|therefore|this\\s+means|that\\s+is\\s+why', 'claim', 0.45, 'en', 'because / therefore'),
  cue('je\\s+(?:pense|crois)\\s+que|à\\s+mon\\s+avis|selon\\s+moi', 'claim', 0.55, 'fr', 'je pense que'),
  cue('le\\s+(?:problème|fait|souci)\\s+(?:est|c[\'’]est)', 'claim', 0.65, 'fr', 'le problème est'),
  cue('il\\s+est\\s+(?:clair|évident|vrai)\\s+que', 'claim', 0.7, 'fr', 'il est clair que'),
  cue('(?:les\\s+)?(?:études|recherches|données|chiffres)\\s+(?:montrent|prouvent|indiquent)', 'claim', 0.8, 'fr', 'les études montrent'),
  cue('parce\\s+que|donc|cela\\s+signifie|c[\'’]est\\s+pourquoi', 'claim', 0.45, 'fr', 'parce que / donc'),
];

/** subject + modal + verb (beyond the fixed cues): "the city should build", "la mairie devrait créer" */
const MODAL_EN = new RegExp(`(?<![\\p{L}])(?:we|you|they|everyone|people|the\\s+${W}|this\\s+${W}|our\\s+${W}|it)\\s+(?:should|must|ought\\s+to|needs?\\s+to|has\\s+to|have\\s+to)\\s+(?:not\\s+|also\\s+|really\\s+)?${W}`, 'iu');
const MODAL_FR = new RegExp(`(?<![\\p{L}])(?:on|nous|vous|ils|elles?|il|la\\s+${W}|le\\s+${W}|les\\s+${W}|l['’]${W})\\s+(?:devrait|devrions|devraient|devez|doit|devons|doivent|faudrait|pourrait|pourrions|pourraient)\\s+(?:pas\\s+|aussi\\s+|vraiment\\s+)?${W}`, 'iu');

/** Sentences of a text with their offsets; text without terminal punctuation is one sentence. */
export function sentenceSpans(text: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  const re = /[^.!?…]+(?:[.!?…]+["'»”’)]*|$)/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    let s = m.index;
    let e = m.index + m[0].length;
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    if (e > s) spans.push({ start: s, end: e });
  }
  return spans;
}

/** Times of the quote: from the segment's words when they line up with the text's words, else by character position. */
function timeOf(seg: TranscriptSegmentInput, charStart: number, charEnd: number): { start: number; end: number; source: 'words' | 'interpolated' } {
  const tokens = [...seg.text.matchAll(/\S+/g)].map((m) => ({ s: m.index!, e: m.index! + m[0].length }));
  const words = seg.words ?? [];
  if (words.length > 0 && words.length === tokens.length) {
    const first = tokens.findIndex((t) => t.e > charStart);
    let last = -1;
    for (let i = tokens.length - 1; i >= 0; i--) if (tokens[i].s < charEnd) { last = i; break; }
    if (first >= 0 && last >= first) return { start: words[first].start, end: words[last].end, source: 'words' };
  }
  const len = Math.max(1, seg.text.length);
  const d = seg.end - seg.start;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { start: r(seg.start + (d * charStart) / len), end: r(seg.start + (d * charEnd) / len), source: 'interpolated' };
}

function scoreSentence(sentence: string): { kind: CandidateKind; score: number; cues: string[]; lang: 'en' | 'fr' | null } | null {
  const hits = CUES.filter((c) => c.re.test(sentence));
  const modalEn = MODAL_EN.exec(sentence);
  const modalFr = MODAL_FR.exec(sentence);
  const cues = hits.map((h) => h.label);
  const modal = modalEn ?? modalFr;
  if (modal) cues.push(`modal: ${modal[0].toLowerCase()}`);
  const proposalW = Math.max(0, ...hits.filter((h) => h.kind === 'proposal').map((h) => h.weight), modal ? 0.6 : 0);
  const claimW = Math.max(0, ...hits.filter((h) => h.kind === 'claim').map((h) => h.weight));
  const kind: CandidateKind | null = proposalW > 0 ? 'proposal' : claimW > 0 ? 'claim' : null;
  if (!kind) return null;
  const best = kind === 'proposal' ? proposalW : claimW;
  const words = sentence.split(/\s+/).filter(Boolean).length;
  let score = best;
  if (words < 5) score *= 0.6; // fragments ("we should.")
  else if (words > 60) score *= 0.8; // rambling
  const question = /\?\s*["'»”’)]*$/.test(sentence);
  const suggestionQuestion = /why\s+(?:don't|do\s+not)\s+we|how\s+about|pourquoi\s+ne\s+pas|et\s+si\s+on/i.test(sentence);
  if (question && !suggestionQuestion) score *= 0.7;
  if (kind === 'claim' && /\d/.test(sentence)) score += 0.1;
  if (hits.length + (modalEn || modalFr ? 1 : 0) >= 2) score += 0.05;
  const en = hits.filter((h) => h.lang === 'en').length + (modalEn ? 1 : 0);
  const fr = hits.filter((h) => h.lang === 'fr').length + (modalFr ? 1 : 0);
  return { kind, score: Math.round(Math.min(1, score) * 1000) / 1000, cues: [...new Set(cues)], lang: en > fr ? 'en' : fr > en ? 'fr' : null };
}

/** Extracts proposal and claim candidates, in transcript order. */
export function extractIdeas(segments: TranscriptSegmentInput[], opts: ExtractOptions = {}): IdeaCandidate[] {
  const minScore = opts.minScore ?? 0.4;
  const out: IdeaCandidate[] = [];
  for (const seg of segments) {
    if (!seg.text?.trim()) continue;
    for (const sp of sentenceSpans(seg.text)) {
      const sentence = seg.text.slice(sp.start, sp.end);
      const s = scoreSentence(sentence);
      if (!s || s.score < minScore) continue;
      const t = timeOf(seg, sp.start, sp.end);
      out.push({
        kind: s.kind,
        segmentIndex: seg.index,
        speakerId: seg.speakerId,
        quote: sentence,
        charStart: sp.start,
        charEnd: sp.end,
        start: t.start,
        end: t.end,
        timeSource: t.source,
        score: s.score,
        cues: s.cues,
        language: seg.language === 'fr' || seg.language === 'en' ? seg.language : s.lang,
      });
    }
  }
  return out;
}
