/**
 * Translation memory: sentences a facilitator already reviewed (approved or edited machine translations, and
 * people's own translations) are reused for the same sentence instead of a fresh machine translation.
 * Pure: the service builds the memory from its publications (src/modules/publications/jobs.ts) and passes it in.
 *
 * Matches, per direction (from → to):
 *  - exact: the same sentence after normalisation (Unicode NFKC, case, spaces, apostrophes and quotes, final
 *    punctuation), the reviewed target as stored;
 *  - near-exact, numbers only: the same sentence with every number masked, and the same count of numbers in the
 *    source and the target: the target's numbers are replaced, in order, by the new source's (a figure changed
 *    between two summaries). Any other difference is not a match: a fuzzy match would put words the facilitator
 *    never saw in front of readers.
 */

export interface MemoryEntry {
  from: string;
  to: string;
  source: string;
  target: string;
}

export interface TranslationMemory {
  /** key `${from}>${to}\u0000${normalised source}` → target */
  exact: Map<string, string>;
  /** key `${from}>${to}\u0000${normalised source with numbers masked}` → entry */
  masked: Map<string, MemoryEntry>;
  size: number;
}

const NUMBER_RE = /\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)*/gu;

export function normaliseSentence(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2019\u02bc`]/g, "'")
    .replace(/[«»“”„]/g, '"')
    .replace(/[\u00a0\u202f\s]+/g, ' ')
    .replace(/\s*([,;:!?])/g, '$1')
    .replace(/[\s.!?…;:]+$/u, '')
    .trim();
}

function numbersOf(s: string): string[] {
  return s.match(NUMBER_RE) ?? [];
}

function maskNumbers(s: string): string {
  return s.replace(NUMBER_RE, '#');
}

/** A memory from reviewed pairs; a later entry for the same source replaces an earlier one (newest wins). */
export function buildMemory(entries: readonly MemoryEntry[]): TranslationMemory {
  const exact = new Map<string, string>();
  const masked = new Map<string, MemoryEntry>();
  for (const e of entries) {
    const src = e.source.trim();
    const tgt = e.target.trim();
    if (!src || !tgt || e.from === e.to) continue;
    const norm = normaliseSentence(src);
    if (!norm) continue;
    exact.set(`${e.from}>${e.to}\u0000${norm}`, tgt);
    if (numbersOf(src).length > 0 && numbersOf(src).length === numbersOf(tgt).length) masked.set(`${e.from}>${e.to}\u0000${maskNumbers(norm)}`, { ...e, source: src, target: tgt });
  }
  return { exact, masked, size: exact.size };
}

export type MemoryMatch = { text: string; kind: 'exact' | 'numbers' };

/** The reviewed translation of `sentence`, or null. */
export function lookupMemory(mem: TranslationMemory, sentence: string, from: string, to: string): MemoryMatch | null {
  const norm = normaliseSentence(sentence);
  if (!norm) return null;
  const hit = mem.exact.get(`${from}>${to}\u0000${norm}`);
  if (hit !== undefined) return { text: hit, kind: 'exact' };
  const nums = numbersOf(sentence);
  if (nums.length === 0) return null;
  const e = mem.masked.get(`${from}>${to}\u0000${maskNumbers(norm)}`);
  if (!e) return null;
  let q = 0;
  return { text: e.target.replace(NUMBER_RE, () => nums[q++] ?? ''), kind: 'numbers' };
}

/**
 * Translates texts with the memory first: matched texts come from it, the rest from `translate` (one call).
 * Returns the outputs in input order and which indices the memory answered.
 */
export async function translateWithMemory(
  texts: readonly string[],
  from: string,
  to: string,
  mem: TranslationMemory | null,
  translate: (texts: string[]) => Promise<string[]>,
): Promise<{ output: string[]; fromMemory: Array<{ index: number; kind: MemoryMatch['kind'] }> }> {
  const output: string[] = new Array(texts.length).fill('');
  const fromMemory: Array<{ index: number; kind: MemoryMatch['kind'] }> = [];
  const rest: number[] = [];
  texts.forEach((t, i) => {
    const m = mem ? lookupMemory(mem, t, from, to) : null;
    if (m) {
      output[i] = m.text;
      fromMemory.push({ index: i, kind: m.kind });
    } else rest.push(i);
  });
  if (rest.length) {
    const res = await translate(rest.map((i) => texts[i]));
    if (res.length !== rest.length) throw new Error(`translator returned ${res.length} texts for ${rest.length}`);
    rest.forEach((i, q) => (output[i] = res[q]));
  }
  return { output, fromMemory };
}
