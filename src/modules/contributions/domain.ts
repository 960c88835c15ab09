import { z } from 'zod';
import { unmarkFormula } from '../../../pipelines/csv.js';
import { detectBrokenEncoding, duplicateKey, normaliseText } from '../../../pipelines/text/index.js';
import { AppError, type FieldError } from '../../platform/errors.js';

/**
 * Pure rules of the contributions module: text limits, upload decoding (CSV, JSONL, Pol.is comments.csv) with
 * line-numbered errors, and the payloads of the review kinds this module owns (`text-map`, `consensus`).
 */

export const MAX_CHARS = 5000;
/** rows per import; larger consultations are split into several files */
export const MAX_IMPORT_ROWS = 100_000;
/** above this many contributions the map defaults to the lexical (TF-IDF + SVD) mode */
export const LEXICAL_ABOVE = 5000;

export const TEXT_MAP_KIND = 'text-map';
export const CONSENSUS_KIND = 'consensus';
export const DETECT_JOB = 'contributions.detect';
export const MAP_JOB = 'contributions.map';
/** publications kind of a facilitator's own translation of an approved summary (no machine involved) */
export const HUMAN_TRANSLATION_KIND = 'human-translation';

/** Review-queue subjects; they carry the assembly because the queue supersedes by kind + subject. */
export const scopeKey = (assemblyId: string, topic: string) => `${assemblyId}:${topic ? `topic:${topic}` : 'all'}`;
export const mapSubject = (assemblyId: string, topic: string) => `textmap:${scopeKey(assemblyId, topic)}`;
export const summarySubjectPrefix = (assemblyId: string) => `contributions:${assemblyId}:`;
export const summarySubject = (assemblyId: string, topic: string, clusterId: string) => `contributions:${scopeKey(assemblyId, topic)}:${clusterId}`;
export const consensusSubject = (assemblyId: string, topic: string) => `consensus:${scopeKey(assemblyId, topic)}`;
/** the most clusters a facilitator may ask a map for */
export const MAP_K_MAX = 50;
export const consensusSubjectPrefix = (assemblyId: string) => `consensus:${assemblyId}:`;

export interface CheckedText {
  text: string;
  dupKey: string;
}

/**
 * Validates one contribution text: not empty, at most MAX_CHARS characters after normalisation, no broken
 * encoding (U+FFFD replacement characters or UTF-8 read as Latin-1). `where` names it in the error ("line 4").
 */
export function checkText(raw: unknown, where?: string): CheckedText {
  const at = where ? ` (${where})` : '';
  if (typeof raw !== 'string') throw new AppError('VALIDATION', `The contribution${at} has no text.`, { errors: [{ path: where ?? 'text', message: 'Required' }] });
  const problem = textProblem(raw);
  if (problem) throw new AppError('VALIDATION', `The contribution${at} ${problem}`, { errors: [{ path: where ?? 'text', message: problem }] });
  const text = normaliseText(raw);
  return { text, dupKey: duplicateKey(text) };
}

/** Why a text cannot be accepted, or null. */
export function textProblem(raw: string): string | null {
  if (detectBrokenEncoding(raw)) {
    return raw.includes('\uFFFD')
      ? 'contains U+FFFD replacement characters: the text was damaged by a wrong character encoding. Save the file as UTF-8 and try again.'
      : 'looks like UTF-8 read as Latin-1 (e.g. "Ã©" for "é"): fix the file’s encoding and try again.';
  }
  const text = normaliseText(raw);
  if (text.length === 0 || !/[\p{L}\p{N}]/u.test(text)) return 'is empty.';
  if (text.length > MAX_CHARS) return `is ${text.length} characters long; the limit is ${MAX_CHARS}.`;
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Uploads

/**
 * Bytes → text. Invalid UTF-8 becomes an error naming every line it occurs on (decoded with replacement, so a
 * U+FFFD already in the file is reported the same way). A UTF-8 byte-order mark is dropped.
 */
export function decodeUpload(bytes: Uint8Array, filename = 'the file'): string {
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
  if (text.includes('\uFFFD')) {
    const lines: number[] = [];
    text.split('\n').forEach((l, i) => {
      if (l.includes('\uFFFD')) lines.push(i + 1);
    });
    const shown = lines.slice(0, 10).join(', ') + (lines.length > 10 ? ` … (${lines.length} lines)` : '');
    throw new AppError('VALIDATION', `${filename} is not valid UTF-8 (or holds U+FFFD replacement characters) on line${lines.length > 1 ? 's' : ''} ${shown}. Save it as UTF-8 and upload it again; nothing was imported.`, {
      errors: lines.slice(0, 50).map((l) => ({ path: `line ${l}`, message: 'invalid UTF-8' })),
    });
  }
  return text;
}

export interface CsvRecord {
  /** line of the record's first character (1-based; the header is line 1) */
  line: number;
  fields: string[];
}

/** RFC 4180 CSV: quoted fields may hold the delimiter, doubled quotes and line breaks. Throws naming the line. */
export function parseCsv(text: string, delimiter = ','): CsvRecord[] {
  const out: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let endOfRecord = false;
    while (i < n && !endOfRecord) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            quoted = false;
            i++;
            const nx = text[i];
            if (i < n && nx !== delimiter && nx !== '\n' && nx !== '\r') throw new AppError('VALIDATION', `CSV line ${line}: text after a closing quote.`, { errors: [{ path: `line ${line}`, message: 'text after a closing quote' }] });
          }
        } else {
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
      } else if (ch === '"' && field === '') {
        quoted = true;
        i++;
      } else if (ch === delimiter) {
        fields.push(field);
        field = '';
        i++;
      } else if (ch === '\r' || ch === '\n') {
        i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        endOfRecord = true;
      } else {
        field += ch;
        i++;
      }
    }
    if (quoted) throw new AppError('VALIDATION', `CSV line ${start}: a quoted field is never closed.`, { errors: [{ path: `line ${start}`, message: 'unclosed quote' }] });
    fields.push(field);
    if (fields.length === 1 && fields[0] === '') continue; // blank line
    out.push({ line: start, fields });
  }
  return out;
}

export interface UploadRow {
  line: number;
  text: string;
  externalId: string | null;
  author: string | null;
  language: string | null;
  /** Pol.is moderation: -1 rejected by the conversation's moderators */
  moderated?: number;
}

export interface Columns {
  text: string;
  id?: string;
  author?: string;
  language?: string;
}

const LANG = /^[a-z]{2,3}$/;

function checkLanguage(v: string | null, line: number, errors: FieldError[]): string | null {
  if (v === null || v.trim() === '') return null;
  const l = v.trim().toLowerCase().split(/[-_]/)[0];
  if (!LANG.test(l)) {
    errors.push({ path: `line ${line}`, message: `language "${v}" is not an ISO 639 code` });
    return null;
  }
  return l;
}

function fail(what: string, errors: FieldError[]): never {
  const shown = errors.slice(0, 10).map((e) => `${e.path}: ${e.message}`).join('; ');
  throw new AppError('VALIDATION', `${what}: ${errors.length} problem${errors.length > 1 ? 's' : ''}, nothing was imported. ${shown}${errors.length > 10 ? '; …' : ''}`, { errors: errors.slice(0, 200) });
}

/** Checks every row (all problems reported at once, by line); a row with a problem fails the whole import. */
function checkRows(rows: UploadRow[], what: string): UploadRow[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const p = textProblem(r.text);
    if (p) errors.push({ path: `line ${r.line}`, message: `text ${p}` });
    if (r.externalId !== null) {
      const first = seen.get(r.externalId);
      if (first !== undefined) errors.push({ path: `line ${r.line}`, message: `id "${r.externalId}" is used on line ${first} too` });
      else seen.set(r.externalId, r.line);
    }
  }
  if (rows.length === 0) errors.push({ path: '(file)', message: 'no rows' });
  if (rows.length > MAX_IMPORT_ROWS) errors.push({ path: '(file)', message: `${rows.length} rows; the limit is ${MAX_IMPORT_ROWS} per import` });
  if (errors.length) fail(what, errors);
  return rows;
}

/** A CSV with a header row; `columns.text` names the text column (required), the others are optional. */
export function rowsFromCsv(text: string, columns: Columns): UploadRow[] {
  const delimiter = sniffDelimiter(text);
  const records = parseCsv(text, delimiter);
  if (records.length === 0) throw new AppError('VALIDATION', 'The CSV file is empty.');
  const header = records[0].fields.map((h) => h.trim());
  const want = Object.entries(columns).filter(([, v]) => v !== undefined && v !== '') as Array<[keyof Columns, string]>;
  const missing = want.filter(([, name]) => !header.includes(name.trim()));
  if (missing.length) {
    throw new AppError('VALIDATION', `The CSV file has no column ${missing.map(([k, n]) => `"${n}" (${k})`).join(', ')}. Its columns are: ${header.map((h) => `"${h}"`).join(', ')}. Nothing was imported.`, {
      errors: missing.map(([k, n]) => ({ path: `columns.${k}`, message: `no column "${n}"` })),
    });
  }
  const idx = (name?: string) => (name ? header.indexOf(name.trim()) : -1);
  const ti = idx(columns.text), ii = idx(columns.id), ai = idx(columns.author), li = idx(columns.language);
  const errors: FieldError[] = [];
  const rows = records.slice(1).map((r) => {
    if (r.fields.length !== header.length) errors.push({ path: `line ${r.line}`, message: `${r.fields.length} fields where the header has ${header.length}` });
    const get = (k: number) => (k >= 0 ? (r.fields[k] ?? '').trim() : '');
    return {
      line: r.line,
      text: r.fields[ti] ?? '',
      externalId: ii >= 0 && get(ii) ? get(ii) : null,
      author: ai >= 0 && get(ai) ? get(ai) : null,
      language: checkLanguage(li >= 0 ? get(li) : null, r.line, errors),
    };
  });
  if (errors.length) fail('The CSV file', errors);
  return checkRows(rows, 'The CSV file');
}

function sniffDelimiter(text: string): string {
  const first = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, first.split(d).length - 1] as const);
  return counts.reduce((a, b) => (b[1] > a[1] ? b : a))[1] > 0 ? counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0] : ',';
}

/** JSON Lines: one object a line; `columns.text` names the text field. */
export function rowsFromJsonl(text: string, columns: Columns): UploadRow[] {
  const errors: FieldError[] = [];
  const rows: UploadRow[] = [];
  text.split('\n').forEach((raw, k) => {
    const line = k + 1;
    const l = raw.replace(/^\uFEFF/, '').trim();
    if (!l) return;
    let o: unknown;
    try {
      o = JSON.parse(l);
    } catch {
      errors.push({ path: `line ${line}`, message: 'not valid JSON' });
      return;
    }
    if (!o || typeof o !== 'object' || Array.isArray(o)) {
      errors.push({ path: `line ${line}`, message: 'not a JSON object' });
      return;
    }
    const r = o as Record<string, unknown>;
    const t = r[columns.text];
    if (typeof t !== 'string') {
      errors.push({ path: `line ${line}`, message: `no string field "${columns.text}"` });
      return;
    }
    const str = (key?: string) => {
      if (!key) return null;
      const v = r[key];
      return typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null;
    };
    rows.push({ line, text: t, externalId: str(columns.id), author: str(columns.author), language: checkLanguage(str(columns.language), line, errors) });
  });
  if (errors.length) fail('The JSONL file', errors);
  return checkRows(rows, 'The JSONL file');
}

/**
 * A Pol.is `comments.csv` export (columns: timestamp, datetime, comment-id, author-id, agrees, disagrees,
 * moderated, comment-body, …). comment-id and comment-body are required; comments the conversation's moderators
 * rejected (moderated = -1) are skipped and counted.
 */
export function rowsFromPolisComments(text: string): { rows: UploadRow[]; skippedModerated: number } {
  const records = parseCsv(text, ',');
  if (records.length === 0) throw new AppError('VALIDATION', 'comments.csv is empty.');
  const header = records[0].fields.map((h) => h.trim());
  const missing = ['comment-id', 'comment-body'].filter((c) => !header.includes(c));
  if (missing.length) {
    throw new AppError('VALIDATION', `This is not a Pol.is comments.csv: no column ${missing.map((m) => `"${m}"`).join(', ')}. Its columns are: ${header.map((h) => `"${h}"`).join(', ')}. Nothing was imported.`, {
      errors: missing.map((m) => ({ path: `columns.${m}`, message: 'missing' })),
    });
  }
  const ci = header.indexOf('comment-id'), bi = header.indexOf('comment-body'), ai = header.indexOf('author-id'), mi = header.indexOf('moderated');
  const errors: FieldError[] = [];
  const rows: UploadRow[] = [];
  let skipped = 0;
  for (const r of records.slice(1)) {
    const id = (r.fields[ci] ?? '').trim();
    if (!/^\d+$/.test(id)) errors.push({ path: `line ${r.line}`, message: `comment-id "${id}" is not a whole number` });
    const mod = mi >= 0 ? (r.fields[mi] ?? '').trim() : '1';
    if (mod !== '' && !/^-?[01]$/.test(mod)) errors.push({ path: `line ${r.line}`, message: `moderated "${mod}" is not -1, 0 or 1` });
    if (mod === '-1') {
      skipped++;
      continue;
    }
    const author = ai >= 0 ? (r.fields[ai] ?? '').trim() : '';
    // a comments.csv this service exported marks formula-like text with an apostrophe (pipelines/csv.ts): undo it
    rows.push({ line: r.line, text: unmarkFormula(r.fields[bi] ?? ''), externalId: id, author: author || null, language: null, moderated: Number(mod || 1) });
  }
  if (errors.length) fail('comments.csv', errors);
  return { rows: checkRows(rows, 'comments.csv'), skippedModerated: skipped };
}

/** Splits a long transcript turn into pieces of at most MAX_CHARS at sentence (else word) boundaries. */
export function splitLongText(text: string, max = MAX_CHARS): string[] {
  const t = normaliseText(text);
  if (t.length <= max) return t ? [t] : [];
  const sentences = t.match(/[^.!?…]+[.!?…]*\s*/gu) ?? [t];
  const out: string[] = [];
  let cur = '';
  for (const s of sentences) {
    if ((cur + s).length <= max) {
      cur += s;
      continue;
    }
    if (cur.trim()) out.push(cur.trim());
    cur = '';
    if (s.length <= max) cur = s;
    else for (let k = 0; k < s.length; k += max) out.push(s.slice(k, k + max).trim());
  }
  if (cur.trim()) out.push(cur.trim());
  return out.filter(Boolean);
}

// ---------------------------------------------------------------------------------------------------------
// Review payloads

const Keyword = z.strictObject({ term: z.string(), score: z.number() });

export const MapCluster = z.strictObject({
  id: z.string().min(1),
  parentId: z.string().nullable(),
  level: z.union([z.literal(1), z.literal(2)]),
  label: z.string().trim().min(1).max(200),
  /** the label in each assembly language that has members in the cluster, from the originals of that language */
  labels: z.record(z.string(), z.string().trim().min(1).max(200)).default({}),
  keywords: z.array(Keyword),
  representativeIds: z.array(z.string()),
  memberIds: z.array(z.string()),
  size: z.number().int().min(0),
  sentiment: z.strictObject({ n: z.number(), mean: z.number(), positive: z.number(), neutral: z.number(), negative: z.number() }).nullable(),
  stance: z.strictObject({ n: z.number(), counts: z.record(z.string(), z.number()) }).nullable(),
  centroid: z.tuple([z.number(), z.number()]),
});
export type MapCluster = z.infer<typeof MapCluster>;

export const MapPoint = z.strictObject({
  id: z.string(),
  x: z.number(),
  y: z.number(),
  cluster: z.string(),
  subcluster: z.string().nullable(),
  duplicateOf: z.string().nullable(),
  lang: z.string(),
  translated: z.boolean(),
  flags: z.array(z.string()),
  sentiment: z.number().nullable(),
  stance: z.string().nullable(),
});
export type MapPoint = z.infer<typeof MapPoint>;

export const MapRevision = z.strictObject({
  op: z.enum(['rename', 'merge', 'split']),
  clusters: z.array(z.string()),
  result: z.array(z.string()),
  by: z.string(),
  at: z.string(),
  fromItem: z.string(),
});

/** A contribution set apart from the map: its language is not one of the assembly's (kept, flagged, untranslated). */
export const ApartPoint = z.strictObject({
  id: z.string(),
  lang: z.string(),
  flags: z.array(z.string()),
  duplicateOf: z.string().nullable(),
});
export type ApartPoint = z.infer<typeof ApartPoint>;

/** The map itself: clusters with labels, keywords, representatives, sub-topics, 2-D points, distributions. */
export const TextMapPayload = z
  .strictObject({
    assemblyId: z.string(),
    topic: z.string(),
    mode: z.enum(['semantic', 'lexical']),
    version: z.string(),
    seed: z.number(),
    pivot: z.string(),
    clusters: z.array(MapCluster).min(1),
    points: z.array(MapPoint).min(1),
    stats: z.record(z.string(), z.number()),
    revisions: z.array(MapRevision).default([]),
    /** contributions in unsupported languages, listed apart (not translated, not clustered, not summarised) */
    apart: z.array(ApartPoint).default([]),
  })
  .superRefine((m, ctx) => {
    const top = new Set(m.clusters.filter((c) => c.level === 1).map((c) => c.id));
    const all = new Set(m.clusters.map((c) => c.id));
    if (all.size !== m.clusters.length) ctx.addIssue({ code: 'custom', path: ['clusters'], message: 'cluster ids must be unique' });
    const ids = new Set(m.points.map((p) => p.id));
    m.points.forEach((p, i) => {
      if (!top.has(p.cluster)) ctx.addIssue({ code: 'custom', path: ['points', i, 'cluster'], message: `unknown cluster ${p.cluster}` });
      if (p.subcluster !== null && !all.has(p.subcluster)) ctx.addIssue({ code: 'custom', path: ['points', i, 'subcluster'], message: `unknown sub-topic ${p.subcluster}` });
    });
    m.clusters.forEach((c, i) => {
      if (c.parentId !== null && !top.has(c.parentId)) ctx.addIssue({ code: 'custom', path: ['clusters', i, 'parentId'], message: `unknown parent ${c.parentId}` });
      const bad = c.memberIds.find((id) => !ids.has(id));
      if (bad) ctx.addIssue({ code: 'custom', path: ['clusters', i, 'memberIds'], message: `${bad} is not a point of the map` });
    });
  });
export type TextMapPayload = z.infer<typeof TextMapPayload>;

export const ConsensusStatement = z.strictObject({
  contributionId: z.string(),
  /** the contribution as written */
  text: z.string().min(1),
  language: z.string(),
  score: z.number(),
  clusterBreadth: z.number(),
  nonNegativeShare: z.number(),
  supportSize: z.number().int(),
});
export const ConsensusPayload = z.strictObject({
  assemblyId: z.string(),
  topic: z.string(),
  statements: z.array(ConsensusStatement).min(1).max(100),
});
export type ConsensusPayload = z.infer<typeof ConsensusPayload>;

/** The language most members of a cluster wrote in (ties: alphabetical), or null for an empty cluster. */
export function mainLanguage(memberLangs: string[]): string | null {
  const n = new Map<string, number>();
  for (const l of memberLangs) n.set(l, (n.get(l) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
}

/** Labels of merged clusters, per language: joined where every part has one in that language. */
function mergeLabels(parts: MapCluster[]): Record<string, string> {
  const langs = [...new Set(parts.flatMap((p) => Object.keys(p.labels ?? {})))];
  return Object.fromEntries(langs.filter((l) => parts.every((p) => p.labels?.[l])).map((l) => [l, parts.map((p) => p.labels[l]).join(' + ').slice(0, 200)]));
}

/** A default cluster label: its top keywords. */
export function defaultLabel(keywords: Array<{ term: string }>, fallback: string): string {
  const t = keywords.slice(0, 3).map((k) => k.term);
  return t.length ? t.join(' · ') : fallback;
}

// ---------------------------------------------------------------------------------------------------------
// Map revisions (pure). Each returns a new payload; the service submits it as a new pending item.

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function topCluster(m: TextMapPayload, id: string): MapCluster {
  const c = m.clusters.find((x) => x.id === id);
  if (!c) throw new AppError('NOT_FOUND', `The map has no cluster '${id}'.`);
  if (c.level !== 1) throw new AppError('VALIDATION', `'${id}' is a sub-topic; merge and split work on top-level clusters.`);
  return c;
}

/**
 * Renames a cluster. With `language`, the label in that language (and the main label when it is the cluster's main
 * language or no other exists); without, the facilitator's name replaces the keyword labels in every language.
 */
export function renameCluster(m: TextMapPayload, clusterId: string, label: string, language?: string): TextMapPayload {
  const out = clone(m);
  const c = out.clusters.find((x) => x.id === clusterId);
  if (!c) throw new AppError('NOT_FOUND', `The map has no cluster '${clusterId}'.`);
  const l = label.trim();
  if (!l || l.length > 200) throw new AppError('VALIDATION', 'A cluster label has 1 to 200 characters.', { errors: [{ path: 'label', message: '1–200 characters' }] });
  if (language) {
    const main = mainLanguage(out.points.filter((p) => p.cluster === c.id || p.subcluster === c.id).map((p) => p.lang));
    if (language === main || Object.keys(c.labels ?? {}).length === 0) c.label = l;
    c.labels = { ...(c.labels ?? {}), [language]: l };
  } else {
    c.label = l;
    c.labels = {};
  }
  return out;
}

function nextId(m: TextMapPayload): () => string {
  let n = Math.max(-1, ...m.clusters.filter((c) => c.level === 1).map((c) => Number(/^c(\d+)$/.exec(c.id)?.[1] ?? -1))) + 1;
  return () => `c${n++}`;
}

function centroidOf(points: MapPoint[]): [number, number] {
  const n = Math.max(1, points.length);
  return [points.reduce((a, p) => a + p.x, 0) / n, points.reduce((a, p) => a + p.y, 0) / n];
}

function weighted<T extends { n: number }>(parts: Array<T | null>, f: (ps: T[]) => T): T | null {
  const ps = parts.filter((p): p is T => p !== null);
  return ps.length ? f(ps) : null;
}

/** Merge = union: one new cluster with every member; sub-topics of the merged clusters are kept under it. */
export function mergeClusters(m: TextMapPayload, ids: string[], label?: string): { map: TextMapPayload; merged: string } {
  const uniq = [...new Set(ids)];
  if (uniq.length < 2) throw new AppError('VALIDATION', 'Choose at least two clusters to merge.', { errors: [{ path: 'clusterIds', message: 'at least two' }] });
  const parts = uniq.map((id) => topCluster(m, id));
  const out = clone(m);
  const id = nextId(out)();
  const gone = new Set(uniq);
  const memberIds = parts.flatMap((p) => p.memberIds);
  const pts = out.points.filter((p) => gone.has(p.cluster));
  for (const p of pts) p.cluster = id;
  const merged: MapCluster = {
    id,
    parentId: null,
    level: 1,
    label: label?.trim() || parts.map((p) => p.label).join(' + ').slice(0, 200),
    labels: label?.trim() ? {} : mergeLabels(parts),
    keywords: mergeKeywords(parts.map((p) => p.keywords), parts.map((p) => p.size)),
    representativeIds: parts.flatMap((p) => p.representativeIds.slice(0, 2)).slice(0, 3),
    memberIds,
    size: memberIds.length,
    sentiment: weighted(parts.map((p) => p.sentiment), (ps) => {
      const n = ps.reduce((a, s) => a + s.n, 0);
      return { n, mean: n ? ps.reduce((a, s) => a + s.mean * s.n, 0) / n : 0, positive: ps.reduce((a, s) => a + s.positive, 0), neutral: ps.reduce((a, s) => a + s.neutral, 0), negative: ps.reduce((a, s) => a + s.negative, 0) };
    }),
    stance: weighted(parts.map((p) => p.stance), (ps) => {
      const counts: Record<string, number> = {};
      for (const s of ps) for (const [k, v] of Object.entries(s.counts)) counts[k] = (counts[k] ?? 0) + v;
      return { n: ps.reduce((a, s) => a + s.n, 0), counts };
    }),
    centroid: centroidOf(pts),
  };
  out.clusters = [...out.clusters.filter((c) => !gone.has(c.id)).map((c) => (c.parentId && gone.has(c.parentId) ? { ...c, parentId: id } : c)), merged];
  return { map: out, merged: id };
}

function mergeKeywords(lists: Array<Array<{ term: string; score: number }>>, sizes: number[]): Array<{ term: string; score: number }> {
  const total = sizes.reduce((a, b) => a + b, 0) || 1;
  const acc = new Map<string, number>();
  lists.forEach((l, i) => l.forEach((k) => acc.set(k.term, (acc.get(k.term) ?? 0) + (k.score * sizes[i]) / total)));
  return [...acc.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([term, score]) => ({ term, score: Number(score.toFixed(6)) }));
}

export interface SplitHelpers {
  /** k-means with k = 2 over the 2-D points; returns a 0/1 label per point */
  kmeans2(points: Array<[number, number]>): ArrayLike<number>;
  /** keywords for the two halves from the contributions' texts */
  keywords(memberIds: [string[], string[]]): [Array<{ term: string; score: number }>, Array<{ term: string; score: number }>];
}

/** Split = k-means with k = 2 on the cluster's 2-D points; sub-topics of the cluster are dropped. */
export function splitCluster(m: TextMapPayload, clusterId: string, h: SplitHelpers): { map: TextMapPayload; parts: [string, string] } {
  const c = topCluster(m, clusterId);
  const out = clone(m);
  const pts = out.points.filter((p) => p.cluster === clusterId);
  if (pts.length < 2) throw new AppError('VALIDATION', `Cluster '${clusterId}' has fewer than two contributions; it cannot be split.`);
  const labels = h.kmeans2(pts.map((p) => [p.x, p.y]));
  const halves: [MapPoint[], MapPoint[]] = [[], []];
  pts.forEach((p, i) => halves[labels[i] === 1 ? 1 : 0].push(p));
  if (halves[0].length === 0 || halves[1].length === 0) throw new AppError('PRECONDITION_FAILED', `The contributions of '${clusterId}' sit on the same spot of the map; k-means found one group only.`);
  const next = nextId(out);
  const ids: [string, string] = [next(), next()];
  const kws = h.keywords([halves[0].map((p) => p.id), halves[1].map((p) => p.id)]);
  const made = halves.map((half, k): MapCluster => {
    for (const p of half) {
      p.cluster = ids[k];
      p.subcluster = null;
    }
    const memberIds = half.map((p) => p.id);
    const scored = half.filter((p) => p.sentiment !== null).map((p) => p.sentiment!);
    const stanced = half.filter((p) => p.stance !== null);
    const counts: Record<string, number> = {};
    for (const p of stanced) counts[p.stance!] = (counts[p.stance!] ?? 0) + 1;
    const centroid = centroidOf(half);
    const reps = half
      .filter((p) => p.duplicateOf === null)
      .sort((a, b) => Math.hypot(a.x - centroid[0], a.y - centroid[1]) - Math.hypot(b.x - centroid[0], b.y - centroid[1]))
      .slice(0, 3)
      .map((p) => p.id);
    return {
      id: ids[k],
      parentId: null,
      level: 1,
      label: defaultLabel(kws[k], `${c.label} (${k + 1})`),
      labels: {},
      keywords: kws[k],
      representativeIds: reps,
      memberIds,
      size: memberIds.length,
      sentiment: c.sentiment ? { n: scored.length, mean: scored.length ? scored.reduce((a, b) => a + b, 0) / scored.length : 0, positive: scored.filter((x) => x >= 0.05).length, neutral: scored.filter((x) => x > -0.05 && x < 0.05).length, negative: scored.filter((x) => x <= -0.05).length } : null,
      stance: c.stance ? { n: stanced.length, counts } : null,
      centroid,
    };
  });
  out.clusters = [...out.clusters.filter((x) => x.id !== clusterId && x.parentId !== clusterId), ...made];
  return { map: out, parts: ids };
}
