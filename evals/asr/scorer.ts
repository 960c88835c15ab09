/**
 * Word and character error rates. Both texts are normalised first: Unicode NFKC, lower case,
 * apostrophes kept inside words (don't, l'accident), every other punctuation mark replaced by a space,
 * whitespace collapsed. WER = word-level Levenshtein distance / reference words; CER the same over
 * characters (spaces between words count as characters, leading/trailing spaces do not).
 */

export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/(^|[^\p{L}\p{N}])'+|'+(?=[^\p{L}\p{N}]|$)/gu, '$1 ') // quotes, not apostrophes inside words
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Levenshtein distance between two sequences (substitution, insertion, deletion cost 1). O(n·m) time, O(m) memory. */
export function levenshtein<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

export interface ErrorCounts {
  wordErrors: number;
  refWords: number;
  charErrors: number;
  refChars: number;
}

/** Edit counts of a hypothesis against a reference, after normalisation. */
export function errorCounts(reference: string, hypothesis: string): ErrorCounts {
  const r = normalizeText(reference);
  const h = normalizeText(hypothesis);
  const rw = r ? r.split(' ') : [];
  const hw = h ? h.split(' ') : [];
  const rc = Array.from(r);
  const hc = Array.from(h);
  return { wordErrors: levenshtein(rw, hw), refWords: rw.length, charErrors: levenshtein(rc, hc), refChars: rc.length };
}

export function wer(reference: string, hypothesis: string): number {
  const c = errorCounts(reference, hypothesis);
  return c.refWords === 0 ? (c.wordErrors === 0 ? 0 : 1) : c.wordErrors / c.refWords;
}

export function cer(reference: string, hypothesis: string): number {
  const c = errorCounts(reference, hypothesis);
  return c.refChars === 0 ? (c.charErrors === 0 ? 0 : 1) : c.charErrors / c.refChars;
}

/** Corpus-level rates: total edits / total reference length (not a mean of per-file rates). */
export function pooled(counts: ErrorCounts[]): { wer: number; cer: number } {
  const s = counts.reduce((a, c) => ({ we: a.we + c.wordErrors, rw: a.rw + c.refWords, ce: a.ce + c.charErrors, rc: a.rc + c.refChars }), { we: 0, rw: 0, ce: 0, rc: 0 });
  return { wer: s.rw ? s.we / s.rw : 0, cer: s.rc ? s.ce / s.rc : 0 };
}
