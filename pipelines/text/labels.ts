/**
 * Cluster labels: class-based TF-IDF (Grootendorst 2022, BERTopic): the documents of a cluster are one
 * class document; weight(t, c) = tf(t, c) / |c| · log(1 + A / f(t)), A = mean number of words per class,
 * f(t) = frequency of t over all classes. Stop words (en, fr) removed; unigrams and bigrams.
 */
import { tokenize } from './tokenize.js';
import type { Keyword } from './types.js';

export function classTfidfKeywords(texts: string[], labels: ArrayLike<number>, k: number, top = 8): Keyword[][] {
  const perClass: Array<Map<string, number>> = Array.from({ length: k }, () => new Map());
  const classWords = new Float64Array(k);
  const total = new Map<string, number>();
  for (let i = 0; i < texts.length; i++) {
    const c = labels[i];
    if (c < 0 || c >= k) continue;
    const toks = tokenize(texts[i]);
    const terms = toks.slice();
    for (let j = 0; j + 1 < toks.length; j++) terms.push(`${toks[j]} ${toks[j + 1]}`);
    const m = perClass[c];
    for (const t of terms) {
      m.set(t, (m.get(t) ?? 0) + 1);
      total.set(t, (total.get(t) ?? 0) + 1);
    }
    classWords[c] += toks.length;
  }
  const avg = classWords.reduce((a, b) => a + b, 0) / Math.max(1, k);
  return perClass.map((m, c) => {
    const words = Math.max(1, classWords[c]);
    const scored: Keyword[] = [];
    for (const [t, tf] of m) {
      // a bigram must occur at least twice to be a label
      if (t.includes(' ') && tf < 2) continue;
      scored.push({ term: t, score: (tf / words) * Math.log(1 + avg / total.get(t)!) });
    }
    scored.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1));
    const chosen: Keyword[] = [];
    for (const kw of scored) {
      // skip a unigram already covered by a chosen bigram and vice versa
      if (chosen.some((c2) => c2.term.split(' ').includes(kw.term) || kw.term.split(' ').includes(c2.term))) continue;
      chosen.push({ term: kw.term, score: Number(kw.score.toFixed(6)) });
      if (chosen.length >= top) break;
    }
    return chosen;
  });
}

/** Indices of the `top` members closest (cosine) to the members' mean vector. Vectors L2-normalised. */
export function representatives(vectors: Float32Array[], members: number[], top = 3): number[] {
  if (members.length === 0) return [];
  const d = vectors[members[0]].length;
  const c = new Float64Array(d);
  for (const i of members) for (let j = 0; j < d; j++) c[j] += vectors[i][j];
  const scored = members.map((i) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += vectors[i][j] * c[j];
    return { i, s };
  });
  scored.sort((a, b) => b.s - a.s || a.i - b.i);
  return scored.slice(0, top).map((x) => x.i);
}

/**
 * Keywords per cluster and per language: class-based TF-IDF over the texts written in that language only (so a
 * French cluster is labelled with French words from its contributors, not with the pivot translation's).
 * Returns, per class, language → keywords (a language with no member in the class is absent).
 */
export function keywordsPerLanguage(texts: string[], langs: string[], labels: ArrayLike<number>, k: number, top = 8): Array<Record<string, Keyword[]>> {
  const out: Array<Record<string, Keyword[]>> = Array.from({ length: k }, () => ({}));
  for (const l of [...new Set(langs)].sort()) {
    const idx: number[] = [];
    for (let i = 0; i < texts.length; i++) if (langs[i] === l) idx.push(i);
    const kws = classTfidfKeywords(idx.map((i) => texts[i]), idx.map((i) => labels[i]), k, top);
    const present = new Set(idx.map((i) => labels[i]));
    kws.forEach((kw, c) => {
      if (present.has(c)) out[c][l] = kw;
    });
  }
  return out;
}
