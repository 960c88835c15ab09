import { invalid } from '../../platform/errors.js';
import { cleanText } from '../debates/domain.js';

/** The analysis fields, in the order a reader meets them (names = columns of `recommendations`). */
export const FIELDS = ['title', 'proposal', 'rationale', 'pros', 'cons', 'costs', 'implementers', 'tradeoffs', 'evidence'] as const;
export type Field = (typeof FIELDS)[number];
export const FIELD_MAX: Record<Field, number> = { title: 200, proposal: 4000, rationale: 8000, pros: 6000, cons: 6000, costs: 4000, implementers: 2000, tradeoffs: 6000, evidence: 4000 };

export const STATUSES = ['draft', 'under_discussion', 'final', 'put_to_vote'] as const;
export type Status = (typeof STATUSES)[number];
/** allowed moves: forward one step; a final text may go back to discussion until it is put to the vote */
export const TRANSITIONS: Record<Status, Status[]> = { draft: ['under_discussion'], under_discussion: ['final', 'draft'], final: ['put_to_vote', 'under_discussion'], put_to_vote: [] };
export const EDITABLE: Status[] = ['draft', 'under_discussion'];

export const recSubject = (id: string) => `recommendation:${id}`;

/** Cleans and checks a patch of fields: limits said in words, evidence lines must start with an http(s) link. */
export function cleanFields(patch: Partial<Record<Field, string>>): Partial<Record<Field, string>> {
  const out: Partial<Record<Field, string>> = {};
  for (const f of FIELDS) {
    const raw = patch[f];
    if (raw === undefined) continue;
    const v = f === 'title' ? cleanText(raw).replace(/\s+/g, ' ') : cleanText(raw);
    if (f === 'title' && v.length < 5) throw invalid('A recommendation needs a title of at least 5 characters.', [{ path: f, message: 'At least 5 characters' }]);
    if (v.length > FIELD_MAX[f]) throw invalid(`The field “${f}” can be at most ${FIELD_MAX[f].toLocaleString('en')} characters; it has ${v.length.toLocaleString('en')}.`, [{ path: f, message: `At most ${FIELD_MAX[f]} characters` }]);
    if (f === 'evidence') {
      for (const [i, line] of v.split('\n').entries()) {
        if (!line.trim()) continue;
        const url = line.trim().split(/\s+/)[0];
        let ok = false;
        try {
          ok = ['http:', 'https:'].includes(new URL(url).protocol);
        } catch {
          ok = false;
        }
        if (!ok) throw invalid(`Evidence line ${i + 1} must start with a web link (http:// or https://), then an optional title.`, [{ path: 'evidence', message: `Line ${i + 1}: not an http(s) link` }]);
      }
    }
    out[f] = v;
  }
  return out;
}

/** Evidence lines as links: { url, title } (the title defaults to the link). */
export function evidenceLinks(evidence: string): { url: string; title: string }[] {
  return evidence
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [url, ...rest] = l.split(/\s+/);
      return { url, title: rest.join(' ') || url };
    });
}
