/**
 * Stage 1 — normalise: validate (typed errors listing every offending id), Unicode NFC, strip control
 * characters, collapse whitespace, flag broken encodings, and group near-duplicates (grouped, never dropped).
 *
 * Near-duplicates: (a) exact match of an aggressively normalised key (case, accents, punctuation, spacing);
 * (b) MinHash over word 3-shingles with LSH banding, candidates confirmed by estimated Jaccard ≥ threshold.
 */
import type { Contribution, ContributionFlag, Limits, NormalisedContribution, TextMapErrorCode } from './types.js';
import { TextMapError } from './types.js';
import { tokenize } from './tokenize.js';
import { hashInput, stageProvenance } from './util.js';
import type { StageProvenance } from './types.js';

export const NORMALISE_VERSION = '1.0.0';
export const DEFAULT_LIMITS: Limits = { maxChars: 5000, maxContributions: 250_000 };

// C0/C1 controls except tab/newline/CR (turned into spaces), zero-width and bidi controls, BOM
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
const MOJIBAKE = /Ã[\u0080-\u00BF©¨ª«®´¹¼½¾§¢£¤¥¦°±²³µ¶·¸»¿]|â€[™œ\u009D“”˜¦¢]|Â[\u00A0-\u00BF]/u;

export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(CONTROL, '').replace(/\s+/gu, ' ').trim();
}

export function detectBrokenEncoding(text: string): boolean {
  return text.includes('\uFFFD') || MOJIBAKE.test(text);
}

/** Key for exact near-duplicates: lower case, no accents, letters and digits only. */
export function duplicateKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export interface Rejection {
  id: string;
  code: TextMapErrorCode;
  message: string;
}

export interface NormaliseResult {
  contributions: NormalisedContribution[];
  rejected: Rejection[];
  /** group id → member ids (input order), only groups with ≥ 2 members */
  groups: Record<string, string[]>;
  provenance: StageProvenance;
}

export interface NormaliseOptions {
  limits?: Partial<Limits>;
  onInvalid?: 'error' | 'skip';
  /** MinHash Jaccard threshold for near-duplicates (default 0.8) */
  jaccard?: number;
}

/** Validates and normalises; throws TextMapError (all offending ids) unless onInvalid = 'skip'. */
export function normalise(input: unknown, opts: NormaliseOptions = {}): NormaliseResult {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  if (!Array.isArray(input)) throw new TextMapError('MISSING_FIELD', 'contributions must be an array');
  if (input.length === 0) throw new TextMapError('EMPTY_INPUT', 'no contributions given');
  if (input.length > limits.maxContributions) {
    throw new TextMapError('TOO_MANY', `${input.length} contributions exceed the limit of ${limits.maxContributions}`);
  }
  const rejected: Rejection[] = [];
  const out: NormalisedContribution[] = [];
  const seenIds = new Set<string>();
  input.forEach((raw: unknown, index: number) => {
    const c = raw as Partial<Contribution> | null;
    const id = c && typeof c.id === 'string' && c.id.length > 0 ? c.id : null;
    if (id === null) {
      rejected.push({ id: `#${index}`, code: 'MISSING_FIELD', message: `contribution at index ${index} has no string id` });
      return;
    }
    if (seenIds.has(id)) {
      rejected.push({ id, code: 'DUPLICATE_ID', message: `id ${id} is used twice` });
      return;
    }
    seenIds.add(id);
    if (typeof c!.text !== 'string') {
      rejected.push({ id, code: 'MISSING_FIELD', message: `contribution ${id} has no string text` });
      return;
    }
    // cheap guard before normalising something enormous
    if (c!.text.length > limits.maxChars * 4) {
      rejected.push({ id, code: 'TOO_LONG', message: `contribution ${id} has ${c!.text.length} characters (limit ${limits.maxChars})` });
      return;
    }
    const text = normaliseText(c!.text);
    if (text.length === 0 || !/[\p{L}\p{N}]/u.test(text)) {
      rejected.push({ id, code: 'EMPTY_TEXT', message: `contribution ${id} has no words after normalisation` });
      return;
    }
    if (text.length > limits.maxChars) {
      rejected.push({ id, code: 'TOO_LONG', message: `contribution ${id} has ${text.length} characters (limit ${limits.maxChars})` });
      return;
    }
    const flags: ContributionFlag[] = [];
    if (detectBrokenEncoding(c!.text)) flags.push('broken-encoding');
    const lang = typeof c!.lang === 'string' && c!.lang ? c!.lang.toLowerCase() : undefined;
    out.push({ id, original: c!.text, text, groupId: id, flags, ...(lang ? { lang } : {}) });
  });
  if (rejected.length > 0 && opts.onInvalid !== 'skip') {
    const codes = [...new Set(rejected.map((r) => r.code))];
    const code = codes.length === 1 ? codes[0] : rejected[0].code;
    const head = rejected.slice(0, 5).map((r) => r.message).join('; ');
    throw new TextMapError(code, `${rejected.length} invalid contribution(s): ${head}${rejected.length > 5 ? '; …' : ''}`, rejected.map((r) => r.id));
  }
  if (out.length === 0) throw new TextMapError('EMPTY_INPUT', 'no valid contributions left');
  const groups = groupNearDuplicates(out, opts.jaccard ?? 0.8);
  const params = { limits, onInvalid: opts.onInvalid ?? 'error', jaccard: opts.jaccard ?? 0.8, minhash: { hashes: 64, bands: 16 } };
  return {
    contributions: out,
    rejected,
    groups,
    provenance: stageProvenance('normalise', NORMALISE_VERSION, hashInput(input), params, null),
  };
}

const NH = 64;
const BANDS = 16;
const ROWS = NH / BANDS;

function fnv1a(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function shingles(text: string): string[] {
  const toks = tokenize(text, false);
  if (toks.length < 3) return toks.length ? [toks.join(' ')] : [];
  const out: string[] = [];
  for (let i = 0; i + 2 < toks.length; i++) out.push(`${toks[i]} ${toks[i + 1]} ${toks[i + 2]}`);
  return out;
}

const A = Array.from({ length: NH }, (_, i) => (Math.imul(i + 1, 0x9e3779b1) | 1) >>> 0);
const B = Array.from({ length: NH }, (_, i) => Math.imul(i + 7, 0x85ebca6b) >>> 0);

function minhash(sh: string[]): Uint32Array {
  const sig = new Uint32Array(NH).fill(0xffffffff);
  for (const s of sh) {
    const h = fnv1a(s, 0);
    for (let i = 0; i < NH; i++) {
      const v = (Math.imul(A[i], h) + B[i]) >>> 0;
      if (v < sig[i]) sig[i] = v;
    }
  }
  return sig;
}

/** Sets groupId on each contribution (mutates the array it creates) and returns the multi-member groups. */
function groupNearDuplicates(items: NormalisedContribution[], threshold: number): Record<string, string[]> {
  const n = items.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const byKey = new Map<string, number>();
  const sigs: Array<Uint32Array | null> = new Array(n).fill(null);
  const sizes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = duplicateKey(items[i].text);
    const prev = byKey.get(key);
    if (prev !== undefined) {
      union(prev, i);
      continue;
    }
    byKey.set(key, i);
    const sh = shingles(items[i].text);
    sizes[i] = sh.length;
    // MinHash only for texts long enough for shingles to be meaningful (≥ 5 shingles)
    if (sh.length >= 5) sigs[i] = minhash(sh);
  }
  for (let b = 0; b < BANDS; b++) {
    const buckets = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const sig = sigs[i];
      if (!sig) continue;
      let key = '';
      for (let r = 0; r < ROWS; r++) key += sig[b * ROWS + r].toString(36) + ',';
      const first = buckets.get(key);
      if (first === undefined) {
        buckets.set(key, i);
        continue;
      }
      if (find(first) === find(i)) continue;
      const s1 = sigs[first]!;
      let eq = 0;
      for (let k = 0; k < NH; k++) if (s1[k] === sig[k]) eq++;
      if (eq / NH >= threshold) union(first, i);
    }
  }
  const groups: Record<string, string[]> = {};
  for (let i = 0; i < n; i++) {
    const root = find(i);
    items[i].groupId = items[root].id;
    if (root !== i) (groups[items[root].id] ??= [items[root].id]).push(items[i].id);
  }
  return groups;
}
