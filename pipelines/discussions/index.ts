/**
 * A cited summary of a written discussion (a debate, or a recommendation's comments), with its points of agreement
 * and disagreement. Pure: the summariser arrives as an interface; no db, http or env.
 *
 * - sentences: the summariser over every visible comment; each sentence cites the comments it stands for.
 * - agreement: when one alignment holds at least `agreementShare` of the aligned comments (in favour or against),
 *   the key statements of that side — what most participants say; otherwise none (there is no broad agreement).
 * - disagreement: when both sides have comments, the key statements of each side, labelled with their side, so a
 *   reader sees what the sides oppose each other on.
 * Every point is checked against the comment ids given (the same check as pipelines/summaries' verifyCitations:
 * an unknown id or an empty citation list drops the point; the report says how many were dropped).
 */
import type { Provenance, SourceDoc, Summarizer } from '../../models/types.js';

export const DISCUSSIONS_VERSION = '1.0.0';

export type Side = 'in_favour' | 'against' | 'neutral';
export interface DiscussionComment extends SourceDoc {
  alignment: Side;
}
export interface Point {
  text: string;
  sourceIds: string[];
  side?: Side;
}
export interface DiscussionSummary {
  sentences: Point[];
  agreement: Point[];
  disagreement: Point[];
  citations: { checked: number; dropped: number };
  provenance: Provenance[];
  params: { maxSentences: number; sidePoints: number; agreementShare: number };
}

export interface DiscussionOptions {
  language: string;
  maxSentences?: number;
  sidePoints?: number;
  agreementShare?: number;
}

/** Keeps only points whose every cited id is known (and that cite at least one); counts what was dropped. */
export function checkCitations(points: Point[], known: Set<string>): { kept: Point[]; checked: number; dropped: number } {
  let checked = 0;
  let dropped = 0;
  const kept: Point[] = [];
  for (const p of points) {
    checked += p.sourceIds.length;
    if (p.text.trim() && p.sourceIds.length > 0 && p.sourceIds.every((id) => known.has(id))) kept.push(p);
    else dropped++;
  }
  return { kept, checked, dropped };
}

export async function summarizeDiscussion(comments: DiscussionComment[], summarizer: Summarizer, opts: DiscussionOptions): Promise<DiscussionSummary> {
  const maxSentences = opts.maxSentences ?? 5;
  const sidePoints = opts.sidePoints ?? 2;
  const agreementShare = opts.agreementShare ?? 2 / 3;
  const known = new Set(comments.map((c) => c.id));
  const provenance: Provenance[] = [];
  const run = async (docs: SourceDoc[], n: number, side?: Side): Promise<Point[]> => {
    if (docs.length === 0) return [];
    const r = await summarizer.summarize(docs, { maxSentences: n, language: opts.language });
    provenance.push(r.provenance);
    return r.output.map((s) => ({ text: s.text, sourceIds: s.sourceIds, ...(side ? { side } : {}) }));
  };
  const doc = (c: DiscussionComment): SourceDoc => ({ id: c.id, text: c.text });
  const favour = comments.filter((c) => c.alignment === 'in_favour');
  const against = comments.filter((c) => c.alignment === 'against');
  const aligned = favour.length + against.length;

  const sentences = await run(comments.map(doc), maxSentences);
  let agreement: Point[] = [];
  const majority = favour.length >= against.length ? favour : against;
  if (aligned > 0 && majority.length / aligned >= agreementShare) agreement = await run(majority.map(doc), sidePoints, majority[0].alignment);
  let disagreement: Point[] = [];
  if (favour.length > 0 && against.length > 0) disagreement = [...(await run(favour.map(doc), sidePoints, 'in_favour')), ...(await run(against.map(doc), sidePoints, 'against'))];

  const a = checkCitations(sentences, known);
  const b = checkCitations(agreement, known);
  const c = checkCitations(disagreement, known);
  return {
    sentences: a.kept,
    agreement: b.kept,
    disagreement: c.kept,
    citations: { checked: a.checked + b.checked + c.checked, dropped: a.dropped + b.dropped + c.dropped },
    provenance,
    params: { maxSentences, sidePoints, agreementShare },
  };
}
