/**
 * Key statements per cluster, extractive and cited.
 *
 * Built-in method (centroid + MMR over the cluster's embeddings): the first statement is the member closest
 * to the cluster centroid; each next one maximises λ·sim(centroid) − (1−λ)·max sim(already chosen), λ = 0.5 (Carbonell & Goldstein 1998, balanced relevance and novelty).
 * Every member of the cluster is then cited by the chosen statement it is most similar to, so each
 * statement's `sourceIds` are exactly the contributions it stands for (its own id first), and together the
 * statements cite every member once.
 *
 * With a Summarizer model, its sentences and their source ids are used instead, after dropping ids that do
 * not belong to the cluster (and sentences left with none).
 */
import type { Summarizer } from '../../models/types.js';
import type { Provenance } from '../../models/types.js';
import type { KeyStatement, TextMap } from '../text/types.js';

export const SUMMARIES_VERSION = '1.0.0';

export interface MmrOptions {
  maxStatements?: number;
  lambda?: number;
}

/**
 * Extractive key statements for one cluster.
 * @param vectors L2-normalised vectors of `members` (same order)
 * @param members contribution ids and texts of the cluster's members (representatives of duplicate groups)
 * @param duplicates rep id → ids of its near-duplicates (cited together with their representative)
 */
export function mmrKeyStatements(
  vectors: Float32Array[],
  members: Array<{ id: string; text: string; lang?: string }>,
  opts: MmrOptions = {},
  duplicates: Record<string, string[]> = {},
): KeyStatement[] {
  const m = members.length;
  if (m === 0) return [];
  const maxS = Math.max(1, Math.min(opts.maxStatements ?? 3, m));
  const lambda = opts.lambda ?? 0.5;
  const d = vectors[0].length;
  const centroid = new Float64Array(d);
  for (const v of vectors) for (let j = 0; j < d; j++) centroid[j] += v[j];
  let cn = 0;
  for (let j = 0; j < d; j++) cn += centroid[j] * centroid[j];
  cn = Math.sqrt(cn) || 1;
  const rel = vectors.map((v) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += v[j] * centroid[j];
    return s / cn;
  });
  const sim = (a: number, b: number) => {
    let s = 0;
    const va = vectors[a];
    const vb = vectors[b];
    for (let j = 0; j < d; j++) s += va[j] * vb[j];
    return s;
  };
  const chosen: number[] = [];
  const maxSimToChosen = new Float64Array(m).fill(-Infinity);
  while (chosen.length < maxS) {
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < m; i++) {
      if (chosen.includes(i)) continue;
      const red = chosen.length ? maxSimToChosen[i] : 0;
      const score = lambda * rel[i] - (1 - lambda) * red;
      if (score > bestScore + 1e-12) {
        bestScore = score;
        best = i;
      }
    }
    if (best < 0) break;
    // a statement (nearly) identical to one already chosen adds nothing
    if (chosen.length && maxSimToChosen[best] > 0.98) break;
    chosen.push(best);
    for (let i = 0; i < m; i++) maxSimToChosen[i] = Math.max(maxSimToChosen[i], sim(i, best));
  }
  const cites: string[][] = chosen.map((c) => [members[c].id, ...(duplicates[members[c].id] ?? [])]);
  for (let i = 0; i < m; i++) {
    if (chosen.includes(i)) continue;
    let bestC = 0;
    let bestSim = -Infinity;
    chosen.forEach((c, q) => {
      const s = sim(i, c);
      if (s > bestSim) {
        bestSim = s;
        bestC = q;
      }
    });
    cites[bestC].push(members[i].id, ...(duplicates[members[i].id] ?? []));
  }
  return chosen.map((c, q) => ({ text: members[c].text, ...(members[c].lang ? { lang: members[c].lang } : {}), contributionId: members[c].id, sourceIds: cites[q] }));
}

/** Key statements through a Summarizer model over docs in one language (`opts.language`, which tags the statements); citations restricted to the cluster's ids. */
export async function summarizerKeyStatements(
  summarizer: Summarizer,
  docs: Array<{ id: string; text: string }>,
  opts: { maxSentences?: number; language?: string } = {},
): Promise<{ statements: KeyStatement[]; provenance: Provenance }> {
  const allowed = new Set(docs.map((d) => d.id));
  const r = await summarizer.summarize(docs, opts);
  const statements: KeyStatement[] = [];
  for (const s of r.output) {
    const ids = [...new Set(s.sourceIds.filter((id) => allowed.has(id)))];
    if (ids.length === 0) continue;
    const exact = docs.find((d) => d.text === s.text);
    statements.push({ text: s.text, ...(opts.language ? { lang: opts.language } : {}), contributionId: exact ? exact.id : null, sourceIds: ids });
  }
  return { statements, provenance: r.provenance };
}

export interface CitationProblem {
  clusterId: string;
  statement: number;
  kind: 'no-sources' | 'unknown-id' | 'outside-cluster' | 'unknown-cluster';
  id?: string;
}

export interface CitationReport {
  ok: boolean;
  statements: number;
  citations: number;
  /** citations whose id exists and belongs to the statement's cluster */
  valid: number;
  /** valid / citations (1 when there are none) */
  share: number;
  problems: CitationProblem[];
}

/**
 * Proves every key statement of every cluster cites at least one id, that every cited id is a contribution
 * of the map, and that it belongs to that cluster (a sub-topic's statements must cite the sub-topic's
 * members; a top-level cluster's, members of the cluster or of its sub-topics). `ok` only at 100 %.
 */
export function verifyCitations(map: Pick<TextMap, 'clusters' | 'contributions'>): CitationReport {
  const known = new Set(map.contributions.map((c) => c.id));
  const problems: CitationProblem[] = [];
  let statements = 0;
  let citations = 0;
  let valid = 0;
  for (const cl of map.clusters) {
    const members = new Set(cl.memberIds);
    cl.keyStatements.forEach((s, q) => {
      statements++;
      if (s.sourceIds.length === 0) problems.push({ clusterId: cl.id, statement: q, kind: 'no-sources' });
      if (s.contributionId !== null && !members.has(s.contributionId)) {
        problems.push({ clusterId: cl.id, statement: q, kind: 'outside-cluster', id: s.contributionId });
      }
      for (const id of s.sourceIds) {
        citations++;
        if (!known.has(id)) problems.push({ clusterId: cl.id, statement: q, kind: 'unknown-id', id });
        else if (!members.has(id)) problems.push({ clusterId: cl.id, statement: q, kind: 'outside-cluster', id });
        else valid++;
      }
    });
  }
  return { ok: problems.length === 0, statements, citations, valid, share: citations ? valid / citations : 1, problems };
}
