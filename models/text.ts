/**
 * Sentence splitting shared by the translator and the summariser. Rule-based, for French and English:
 * splits after . ! ? … (and French spaced ' ?', ' !') followed by space + an uppercase letter, digit,
 * quote or opening bracket; never inside URLs, e-mails, decimals or after common abbreviations.
 */

/** Abbreviations that are only abbreviations when capitalised ("Me." = Maître, "No." = number, "M." = Monsieur). */
const CAPITALISED_ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'no', 'fig', 'inc', 'ltd', 'co', 'jan', 'feb', 'mar', 'apr', 'jun',
  'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'dept', 'm', 'mm', 'mme', 'mlle', 'mgr', 'me', 'pr', 'art', 'av',
  'bd', 'vol', 'chap', 'n°', 'nº',
]);
/** Abbreviations in any case. */
const ABBREVIATIONS = new Set(['vs', 'etc', 'e.g', 'i.e', 'cf', 'approx', 'env', 'pp', 'resp', 'ca']);

/** Splits text into sentences; paragraph breaks (newlines) always end a sentence. Trims each sentence. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const para of text.split(/\r?\n+/)) {
    const p = para.trim();
    if (!p) continue;
    out.push(...splitParagraph(p));
  }
  return out;
}

function splitParagraph(p: string): string[] {
  const sentences: string[] = [];
  // a candidate boundary: terminal punctuation (optionally closing quotes/brackets), then whitespace
  const re = /([.!?…]+|\s[?!]+)(["'»”’)\]]*)(\s+)(?=["'«“‘([]?\s?[\p{Lu}\p{N}¿¡])/gu;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(p)) !== null) {
    const endOfSentence = m.index + m[1].length + m[2].length;
    const before = p.slice(start, m.index + m[1].length);
    if (m[1] === '.' && isAbbreviation(before)) continue;
    const s = p.slice(start, endOfSentence).trim();
    if (s) sentences.push(s);
    start = endOfSentence + m[3].length;
  }
  const rest = p.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

function isAbbreviation(textEndingWithDot: string): boolean {
  const m = /(\S+)\.$/u.exec(textEndingWithDot);
  if (!m) return false;
  const word = m[1].replace(/^["'«“‘([]+/u, '');
  const lower = word.toLowerCase();
  if (ABBREVIATIONS.has(lower)) return true;
  if (/^\p{Lu}/u.test(word) && CAPITALISED_ABBREVIATIONS.has(lower)) return true;
  // capital initials ("J. Smith"), dotted acronyms ("U.S.")
  if (/^\p{Lu}$/u.test(word)) return true;
  if (/^(\p{L}\.)+\p{L}$/u.test(word)) return true;
  return false;
}
