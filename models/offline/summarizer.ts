/**
 * Extractive summarisers with sentence-level citations.
 *
 * 'centroid-mmr' (ours, over whichever Embedder the registry chose):
 *   1. every document is split into sentences; each candidate sentence cites its document's id;
 *   2. sentences are embedded (translated to English first for the embedding only when the embedder is
 *      English-only and opts.language is another language and a translator is available; output sentences
 *      stay in the original language);
 *   3. centroid = mean of per-document centroids (a long document does not outweigh many short ones);
 *      relevance = cosine(sentence, centroid) + a support bonus (share of other documents with a similar sentence);
 *   4. Maximal Marginal Relevance (Carbonell & Goldstein 1998) picks sentences: λ·relevance − (1−λ)·max
 *      similarity to those already picked; near-duplicates of picked sentences are skipped;
 *   5. each picked sentence cites its own document plus every other document holding a sentence with
 *      cosine ≥ citeThreshold to it.
 * 'ots' (Debian `ots`, comparison baseline): the concatenated documents go through `ots --ratio`; each output
 *   sentence is matched back to the documents that contain it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BackendDescriptor, Embedder, Result, SourceDoc, SummarySentence, Summarizer, Translator } from '../types.js';
import { ModelError } from '../types.js';
import { splitSentences } from '../text.js';
import { cosine, makeProvenance, normalize, runCommand, which, withParams, yieldToLoop } from '../util.js';

export interface CentroidMmrParams {
  lambda: number;
  citeThreshold: number;
  duplicateThreshold: number;
  minWords: number;
  supportWeight: number;
}

export const DEFAULT_MMR: CentroidMmrParams = {
  lambda: 0.7,
  citeThreshold: 0.8,
  duplicateThreshold: 0.92,
  minWords: 4,
  supportWeight: 0.2,
};

interface Candidate {
  text: string;
  docId: string;
  docIndex: number;
}

function candidates(docs: SourceDoc[], minWords: number): Candidate[] {
  const all: Candidate[] = [];
  docs.forEach((d, docIndex) => {
    for (const s of splitSentences(d.text)) all.push({ text: s, docId: d.id, docIndex });
  });
  const long = all.filter((c) => c.text.split(/\s+/).length >= minWords);
  return long.length ? long : all;
}

export function createCentroidMmrSummarizer(
  embedder: Embedder,
  getTranslator: () => Promise<Translator | null>,
  params: Partial<CentroidMmrParams> = {},
): Summarizer {
  const p = { ...DEFAULT_MMR, ...params };
  const provenance = makeProvenance(
    'summarizer',
    'centroid-mmr',
    `centroid-mmr over ${embedder.provenance.modelId}`,
    '1',
    embedder.provenance.weightsSha256,
    { ...p, embedder: embedder.provenance.backend },
  );
  return {
    provenance,
    async summarize(docs: SourceDoc[], opts?: { maxSentences?: number; language?: string }): Promise<Result<SummarySentence[]>> {
      const maxSentences = Math.max(1, opts?.maxSentences ?? 5);
      const ids = new Set<string>();
      for (const d of docs) {
        if (ids.has(d.id)) throw new ModelError('BAD_INPUT', `summarize: duplicate document id ${d.id}`);
        ids.add(d.id);
      }
      const cands = candidates(docs, p.minWords);
      if (cands.length === 0) return { output: [], provenance: withParams(provenance, { maxSentences, sentences: 0 }) };

      // embed (through English when the embedder needs it)
      let toEmbed = cands.map((c) => c.text);
      let translatedVia: string | null = null;
      const lang = opts?.language;
      if (lang && !embedder.languages.includes('*') && !embedder.languages.includes(lang)) {
        const target = embedder.languages[0];
        const tr = await getTranslator();
        if (tr && tr.pairs.some(([f, t]) => f === lang && t === target)) {
          toEmbed = (await tr.translate(toEmbed, lang, target)).output;
          translatedVia = tr.provenance.backend;
        }
      }
      const vecs = (await embedder.embed(toEmbed)).output.map(normalize);

      // centroid of document centroids
      const dims = vecs[0].length;
      const docSums = new Map<number, Float32Array>();
      cands.forEach((c, i) => {
        const s = docSums.get(c.docIndex) ?? new Float32Array(dims);
        for (let d = 0; d < dims; d++) s[d] += vecs[i][d];
        docSums.set(c.docIndex, s);
      });
      const centroid = new Float32Array(dims);
      for (const s of docSums.values()) {
        const n = normalize(s);
        for (let d = 0; d < dims; d++) centroid[d] += n[d];
      }
      const cn = normalize(centroid);

      // support: share of other documents holding a sentence with cosine ≥ citeThreshold
      const nDocs = docSums.size;
      const relevance = new Array<number>(cands.length);
      for (let i = 0; i < cands.length; i++) {
        const supporting = new Set<number>();
        for (let j = 0; j < cands.length; j++) {
          if (cands[j].docIndex !== cands[i].docIndex && cosine(vecs[i], vecs[j]) >= p.citeThreshold) supporting.add(cands[j].docIndex);
        }
        relevance[i] = cosine(vecs[i], cn) + (nDocs > 1 ? (p.supportWeight * supporting.size) / (nDocs - 1) : 0);
        if ((i + 1) % 200 === 0) await yieldToLoop();
      }

      // MMR
      const picked: number[] = [];
      const remaining = new Set(cands.map((_, i) => i));
      while (picked.length < maxSentences && remaining.size > 0) {
        let best = -1;
        let bestScore = -Infinity;
        for (const i of remaining) {
          const red = picked.length ? Math.max(...picked.map((j) => cosine(vecs[i], vecs[j]))) : 0;
          if (red >= p.duplicateThreshold) continue;
          const score = p.lambda * relevance[i] - (1 - p.lambda) * red;
          if (score > bestScore) {
            bestScore = score;
            best = i;
          }
        }
        if (best < 0) break;
        picked.push(best);
        remaining.delete(best);
      }

      const output: SummarySentence[] = picked.map((i) => {
        const sourceIds = [cands[i].docId];
        for (let j = 0; j < cands.length; j++) {
          if (!sourceIds.includes(cands[j].docId) && cosine(vecs[i], vecs[j]) >= p.citeThreshold) sourceIds.push(cands[j].docId);
        }
        return { text: cands[i].text, sourceIds };
      });
      return {
        output,
        provenance: withParams(provenance, { maxSentences, sentences: cands.length, documents: docs.length, translatedVia }),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// ots

const OTS_FIX = 'apt-get install -y ots';
const OTS_LANGS = ['bg', 'ca', 'cs', 'cy', 'da', 'de', 'el', 'en', 'eo', 'es', 'et', 'eu', 'fi', 'fr', 'ga', 'gl', 'he', 'hu', 'ia', 'id', 'is', 'it', 'lv', 'mi', 'ms', 'mt', 'nl', 'nn', 'pl', 'pt', 'ro', 'ru', 'sv', 'tl', 'tr', 'uk', 'yi'];

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

export async function createOtsSummarizer(): Promise<Summarizer> {
  if (!(await which('ots'))) throw new ModelError('MISSING_BACKEND', 'the ots summariser needs Debian package ots', OTS_FIX);
  const r = await runCommand('dpkg-query', ['-W', '-f=${Version}', 'ots'], { timeoutMs: 5000 }).catch(() => null);
  const provenance = makeProvenance('summarizer', 'ots', 'ots', r?.code === 0 ? `ots ${r.stdout.trim()}` : 'ots unknown', null, {});
  return {
    provenance,
    async summarize(docs: SourceDoc[], opts?: { maxSentences?: number; language?: string }): Promise<Result<SummarySentence[]>> {
      const maxSentences = Math.max(1, opts?.maxSentences ?? 5);
      const lang = opts?.language && OTS_LANGS.includes(opts.language) ? opts.language : 'en';
      const cands = candidates(docs, 1);
      if (!cands.length) return { output: [], provenance: withParams(provenance, { language: lang, maxSentences }) };
      const ratio = Math.min(100, Math.max(1, Math.ceil((100 * maxSentences) / cands.length)));
      const dir = await mkdtemp(path.join(os.tmpdir(), 'plenary-ots-'));
      try {
        const file = path.join(dir, 'in.txt');
        // one sentence a line keeps ots's sentence boundaries equal to ours
        await writeFile(file, docs.map((d) => splitSentences(d.text).join('\n')).join('\n\n') + '\n');
        const res = await runCommand('ots', [`--dic=${lang}`, `--ratio=${ratio}`, file], { timeoutMs: 30_000 });
        if (res.code !== 0) throw new ModelError('MODEL_FAILED', `ots failed: ${res.stderr.slice(0, 300)}`);
        const outSentences = res.stdout.split(/\n+/).flatMap((l) => splitSentences(l));
        const output: SummarySentence[] = [];
        for (const s of outSentences) {
          const key = norm(s);
          const sourceIds = [...new Set(cands.filter((c) => norm(c.text) === key).map((c) => c.docId))];
          if (!sourceIds.length) {
            const containing = docs.filter((d) => norm(d.text).includes(key)).map((d) => d.id);
            if (!containing.length) continue; // cannot cite: leave out rather than emit an uncited sentence
            sourceIds.push(...containing);
          }
          output.push({ text: s, sourceIds });
          if (output.length >= maxSentences) break;
        }
        return { output, provenance: withParams(provenance, { language: lang, ratio, maxSentences }) };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

export const otsSummarizer: BackendDescriptor<'summarizer'> = {
  task: 'summarizer',
  backend: 'ots',
  modelId: 'ots',
  tier: 'offline',
  rank: 1,
  async probe() {
    return (await which('ots')) ? { available: true } : { available: false, reason: 'ots is not on PATH', fix: OTS_FIX };
  },
  create: () => createOtsSummarizer(),
};
