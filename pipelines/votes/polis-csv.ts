/**
 * Pol.is export interchange: parse and serialise the CSV files of a Pol.is export folder
 * (`comments.csv`, `votes.csv`, `participants-votes.csv`) as plain data. Pure: file contents in, data out.
 *
 * Conventions (checked on the public exports): votes 1 = agree, −1 = disagree, 0 = pass, blank = unseen;
 * `moderated` 1 = accepted, 0 = unmoderated, −1 = rejected; `group-id` blank = not clustered by Pol.is.
 * Columns this module does not interpret are kept verbatim so serialising gives the same file back.
 * Parsing is all or nothing: every file is read in full, and any error throws one PolisCsvError listing every
 * problem by file and line.
 */
import { buildVoteMatrix, type VoteMatrix, type VoteValue } from './matrix.js';
import type { StatementFlag } from './opinion-map.js';
import type { TimedVoteValue } from './replay.js';
import { dropEmptyTrailingColumns, sniffDelimiter, unmarkFormula, writeCsv as writeCsvFile, type CsvDelimiter, type CsvIgnored } from '../csv.js';

export const POLIS_ATTRIBUTION =
  'Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project';

export type PolisFileName = 'comments.csv' | 'votes.csv' | 'participants-votes.csv';
export type PolisFiles = Partial<Record<PolisFileName, string>>;

export interface PolisAttribution {
  text: string;
  license: 'CC BY 4.0';
  /** where the data came from (case-study URL or conversation URL), when known */
  source: string | null;
}

export interface PolisComment {
  commentId: number;
  authorId: number | null;
  timestamp: number | null;
  agrees: number | null;
  disagrees: number | null;
  /** 1 accepted, 0 unmoderated, −1 rejected */
  moderated: -1 | 0 | 1;
  /** from an `is-meta` column when present */
  isMeta: boolean | null;
  body: string;
  /** every other column, verbatim */
  extra: Record<string, string>;
}

export interface PolisVoteRow {
  timestamp: number | null;
  commentId: number;
  voterId: number;
  vote: VoteValue;
  extra: Record<string, string>;
}

export interface PolisParticipantRow {
  participant: number;
  /** Pol.is opinion group, null when Pol.is did not cluster this participant */
  groupId: number | null;
  /** aligned with PolisParticipantsVotes.commentColumns; null = unseen */
  votes: Array<VoteValue | null>;
  extra: Record<string, string>;
}

export interface PolisTable<R> {
  header: string[];
  rows: R[];
  /** line ending of the source file, reused when serialising */
  eol: '\n' | '\r\n';
  trailingNewline: boolean;
}

export interface PolisParticipantsVotes extends PolisTable<PolisParticipantRow> {
  /** comment ids of the vote columns, in header order */
  commentColumns: number[];
}

export interface PolisExport {
  attribution: PolisAttribution;
  comments: PolisTable<PolisComment> | null;
  votes: PolisTable<PolisVoteRow> | null;
  participantsVotes: PolisParticipantsVotes | null;
  /** per file, what reading left out or adapted (byte-order mark, empty trailing columns, `;` separator); absent = nothing */
  ignored?: Partial<Record<PolisFileName, CsvIgnored>>;
}

export interface PolisCsvProblem {
  file: string;
  /** 1-based line of the record (its first line when a quoted field spans lines) */
  line: number;
  message: string;
}

export class PolisCsvError extends Error {
  readonly problems: PolisCsvProblem[];
  readonly file: string;
  readonly line: number;
  constructor(problems: PolisCsvProblem[]) {
    const shown = problems.slice(0, 10).map((p) => `${p.file}:${p.line}: ${p.message}`).join('; ');
    super(problems.length > 10 ? `${shown}; … ${problems.length - 10} more` : shown);
    this.name = 'PolisCsvError';
    this.problems = problems;
    this.file = problems[0]?.file ?? '';
    this.line = problems[0]?.line ?? 0;
  }
}

interface CsvRecord { line: number; fields: string[] }

/**
 * RFC 4180 reader: quoted fields may hold the separator, doubled quotes and line breaks. A byte-order mark is
 * skipped; the separator is `,` unless the first line has more `;` (or tabs), as spreadsheets write in some locales.
 */
export function readCsv(text: string, file: string, problems: PolisCsvProblem[]): { records: CsvRecord[]; eol: '\n' | '\r\n'; trailingNewline: boolean; bom: boolean; delimiter: CsvDelimiter } {
  const records: CsvRecord[] = [];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let i = 0, line = 1;
  const n = text.length;
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) i = 1;
  const delimiter = sniffDelimiter(text.slice(i, i + 64 * 1024));
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let inQuotes = false, quoted = false;
    for (;;) {
      if (i >= n) {
        if (inQuotes) problems.push({ file, line: startLine, message: 'unterminated quoted field' });
        fields.push(field);
        break;
      }
      const ch = text[i];
      if (inQuotes) {
        if (ch === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          inQuotes = false; i++; continue;
        }
        if (ch === '\n') line++;
        field += ch; i++;
        continue;
      }
      if (ch === '"') {
        if (field.length === 0 && !quoted) { inQuotes = true; quoted = true; i++; continue; }
        problems.push({ file, line, message: 'stray quote inside an unquoted field' });
        field += ch; i++; continue;
      }
      if (ch === delimiter) { fields.push(field); field = ''; quoted = false; i++; continue; }
      if (ch === '\r' && text[i + 1] === '\n') { fields.push(field); i += 2; line++; break; }
      if (ch === '\n') { fields.push(field); i++; line++; break; }
      field += ch; i++;
    }
    records.push({ line: startLine, fields });
  }
  const trailingNewline = text.endsWith('\n');
  return { records, eol, trailingNewline, bom, delimiter };
}

/** Cells starting like a spreadsheet formula are written with an apostrophe in front (see pipelines/csv.ts). */
function writeCsv(header: string[], rows: string[][], eol: '\n' | '\r\n', trailingNewline: boolean): string {
  return writeCsvFile(header, rows, { eol, trailingNewline });
}

const INT = /^-?\d+$/;

const indexCache = new WeakMap<string[], Map<string, number>>();

class RowReader {
  private index: Map<string, number>;
  constructor(private file: string, private header: string[], private rec: CsvRecord, private problems: PolisCsvProblem[]) {
    let idx = indexCache.get(header);
    if (!idx) { idx = new Map(header.map((h, k) => [h, k])); indexCache.set(header, idx); }
    this.index = idx;
  }
  raw(col: string): string | undefined {
    const k = this.index.get(col);
    return k === undefined ? undefined : this.rec.fields[k];
  }
  fail(message: string): void { this.problems.push({ file: this.file, line: this.rec.line, message }); }
  int(col: string, required: boolean): number | null {
    const v = this.raw(col);
    if (v === undefined || v === '') {
      if (required) this.fail(`missing value in column "${col}"`);
      return null;
    }
    if (!INT.test(v)) { this.fail(`column "${col}": "${v}" is not an integer`); return null; }
    return Number(v);
  }
  vote(col: string, blankOk: boolean): VoteValue | null {
    const v = this.raw(col);
    if (v === undefined || v === '') {
      if (!blankOk) this.fail(`missing vote in column "${col}"`);
      return null;
    }
    if (v === '1' || v === '-1' || v === '0') return Number(v) as VoteValue;
    this.fail(`column "${col}": vote "${v}" is not 1, -1, 0 or blank`);
    return null;
  }
  extra(skip: Set<string>): Record<string, string> {
    const out: Record<string, string> = {};
    this.header.forEach((h, k) => { if (!skip.has(h)) out[h] = this.rec.fields[k] ?? ''; });
    return out;
  }
}

function table(file: PolisFileName, text: string, required: string[], problems: PolisCsvProblem[], ignored: Partial<Record<PolisFileName, CsvIgnored>>): { header: string[]; records: CsvRecord[]; eol: '\n' | '\r\n'; trailingNewline: boolean } | null {
  const read = readCsv(text, file, problems);
  const { eol, trailingNewline } = read;
  let records = read.records;
  if (records.length === 0 || (records.length === 1 && records[0].fields.length === 1 && records[0].fields[0] === '')) {
    problems.push({ file, line: 1, message: 'empty file: no header' });
    return null;
  }
  // what a spreadsheet adds: empty trailing columns; cells this service's export marked as text ('=…)
  const trimmed = dropEmptyTrailingColumns(records.map((r) => r.fields));
  records = records.map((r, k) => ({ line: r.line, fields: trimmed.rows[k].map(unmarkFormula) }));
  if (trimmed.dropped.length || read.bom || read.delimiter !== ',') ignored[file] = { bom: read.bom, emptyColumns: trimmed.dropped, delimiter: read.delimiter };
  const header = records[0].fields;
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length) { problems.push({ file, line: 1, message: `missing column(s): ${missing.join(', ')}` }); return null; }
  const dup = header.find((h, k) => header.indexOf(h) !== k);
  if (dup !== undefined) { problems.push({ file, line: 1, message: `duplicate column "${dup}"` }); return null; }
  const body = records.slice(1);
  for (const r of body) if (r.fields.length !== header.length) problems.push({ file, line: r.line, message: `${r.fields.length} fields, header has ${header.length}` });
  return { header, records: body, eol, trailingNewline };
}

const COMMENT_TYPED = new Set(['comment-id', 'author-id', 'timestamp', 'agrees', 'disagrees', 'moderated', 'comment-body']);
const VOTE_TYPED = new Set(['comment-id', 'voter-id', 'vote', 'timestamp']);

/** Parse a Pol.is export. Give the contents of whichever of the three files exist (at least one). */
export function parsePolisExport(files: PolisFiles, opts: { source?: string | null } = {}): PolisExport {
  const problems: PolisCsvProblem[] = [];
  const out: PolisExport = {
    attribution: { text: POLIS_ATTRIBUTION, license: 'CC BY 4.0', source: opts.source ?? null },
    comments: null, votes: null, participantsVotes: null,
  };
  const ignored: Partial<Record<PolisFileName, CsvIgnored>> = {};
  if (files['comments.csv'] === undefined && files['votes.csv'] === undefined && files['participants-votes.csv'] === undefined) {
    throw new PolisCsvError([{ file: '(export)', line: 0, message: 'none of comments.csv, votes.csv, participants-votes.csv given' }]);
  }
  const c = files['comments.csv'];
  if (c !== undefined) {
    const t = table('comments.csv', c, ['comment-id', 'comment-body'], problems, ignored);
    if (t) {
      const rows: PolisComment[] = [];
      const seen = new Set<number>();
      for (const rec of t.records) {
        const r = new RowReader('comments.csv', t.header, rec, problems);
        const id = r.int('comment-id', true);
        if (id !== null && seen.has(id)) r.fail(`duplicate comment-id ${id}`);
        if (id !== null) seen.add(id);
        const mod = t.header.includes('moderated') ? r.int('moderated', true) : 1;
        if (mod !== null && mod !== -1 && mod !== 0 && mod !== 1) r.fail(`column "moderated": ${mod} is not -1, 0 or 1`);
        const metaRaw = r.raw('is-meta');
        if (metaRaw !== undefined && metaRaw !== '' && !/^(true|false|1|0)$/i.test(metaRaw)) r.fail(`column "is-meta": "${metaRaw}" is not a boolean`);
        rows.push({
          commentId: id ?? -1, authorId: r.int('author-id', false), timestamp: r.int('timestamp', false),
          agrees: r.int('agrees', false), disagrees: r.int('disagrees', false),
          moderated: (mod === -1 || mod === 0 || mod === 1 ? mod : 1) as -1 | 0 | 1,
          isMeta: metaRaw === undefined || metaRaw === '' ? null : /^(true|1)$/i.test(metaRaw),
          body: r.raw('comment-body') ?? '', extra: r.extra(COMMENT_TYPED),
        });
      }
      out.comments = { header: t.header, rows, eol: t.eol, trailingNewline: t.trailingNewline };
    }
  }
  const v = files['votes.csv'];
  if (v !== undefined) {
    const t = table('votes.csv', v, ['comment-id', 'voter-id', 'vote'], problems, ignored);
    if (t) {
      const rows: PolisVoteRow[] = [];
      for (const rec of t.records) {
        const r = new RowReader('votes.csv', t.header, rec, problems);
        const cid = r.int('comment-id', true), vid = r.int('voter-id', true), vote = r.vote('vote', false);
        rows.push({ timestamp: r.int('timestamp', false), commentId: cid ?? -1, voterId: vid ?? -1, vote: vote ?? 0, extra: r.extra(VOTE_TYPED) });
      }
      out.votes = { header: t.header, rows, eol: t.eol, trailingNewline: t.trailingNewline };
    }
  }
  const pv = files['participants-votes.csv'];
  if (pv !== undefined) {
    const t = table('participants-votes.csv', pv, ['participant', 'group-id'], problems, ignored);
    if (t) {
      const commentColumns: number[] = [];
      const colIndex: number[] = [];
      t.header.forEach((h, k) => { if (INT.test(h)) { commentColumns.push(Number(h)); colIndex.push(k); } });
      if (commentColumns.length === 0) problems.push({ file: 'participants-votes.csv', line: 1, message: 'no comment-id columns' });
      const skip = new Set(['participant', 'group-id', ...commentColumns.map(String)]);
      const rows: PolisParticipantRow[] = [];
      const seen = new Set<number>();
      for (const rec of t.records) {
        const r = new RowReader('participants-votes.csv', t.header, rec, problems);
        const p = r.int('participant', true);
        if (p !== null && seen.has(p)) r.fail(`duplicate participant ${p}`);
        if (p !== null) seen.add(p);
        rows.push({
          participant: p ?? -1, groupId: r.int('group-id', false),
          votes: commentColumns.map((cid) => r.vote(String(cid), true)),
          extra: r.extra(skip),
        });
      }
      out.participantsVotes = { header: t.header, rows, commentColumns, eol: t.eol, trailingNewline: t.trailingNewline };
    }
  }
  if (problems.length) throw new PolisCsvError(problems);
  if (Object.keys(ignored).length) out.ignored = ignored;
  return out;
}

const str = (n: number | null): string => (n === null ? '' : String(n));

/** Serialise back to the Pol.is CSV files (only those present in the data). */
export function serialisePolisExport(exp: PolisExport): PolisFiles {
  const files: PolisFiles = {};
  if (exp.comments) {
    const { header, rows, eol, trailingNewline } = exp.comments;
    files['comments.csv'] = writeCsv(header, rows.map((r) => header.map((h) => {
      switch (h) {
        case 'comment-id': return String(r.commentId);
        case 'author-id': return str(r.authorId);
        case 'timestamp': return str(r.timestamp);
        case 'agrees': return str(r.agrees);
        case 'disagrees': return str(r.disagrees);
        case 'moderated': return String(r.moderated);
        case 'comment-body': return r.body;
        default: return r.extra[h] ?? '';
      }
    })), eol, trailingNewline);
  }
  if (exp.votes) {
    const { header, rows, eol, trailingNewline } = exp.votes;
    files['votes.csv'] = writeCsv(header, rows.map((r) => header.map((h) => {
      switch (h) {
        case 'comment-id': return String(r.commentId);
        case 'voter-id': return String(r.voterId);
        case 'vote': return String(r.vote);
        case 'timestamp': return str(r.timestamp);
        default: return r.extra[h] ?? '';
      }
    })), eol, trailingNewline);
  }
  if (exp.participantsVotes) {
    const { header, rows, commentColumns, eol, trailingNewline } = exp.participantsVotes;
    const pos = new Map(commentColumns.map((c, k) => [String(c), k]));
    files['participants-votes.csv'] = writeCsv(header, rows.map((r) => header.map((h) => {
      if (h === 'participant') return String(r.participant);
      if (h === 'group-id') return str(r.groupId);
      const k = pos.get(h);
      if (k !== undefined) return str(r.votes[k] ?? null);
      return r.extra[h] ?? '';
    })), eol, trailingNewline);
  }
  return files;
}

/**
 * votes.csv as a time-stamped vote history (replay input), participants and statements indexed by the given maps;
 * null when there is no history, or an incomplete one (a row without timestamp, or with an id the maps lack).
 */
export function polisVoteHistory(exp: PolisExport, pIndex: ReadonlyMap<number, number>, sIndex: ReadonlyMap<number, number>): TimedVoteValue[] | null {
  const rows = exp.votes?.rows;
  if (!rows || rows.length === 0) return null;
  const votes: TimedVoteValue[] = [];
  for (const r of rows) {
    const participant = pIndex.get(r.voterId), statement = sIndex.get(r.commentId);
    if (participant === undefined || statement === undefined || r.timestamp === null) return null;
    votes.push({ participant, statement, vote: r.vote, time: r.timestamp });
  }
  return votes;
}

/** Votes of a Pol.is export as math input, with the index ↔ id maps. */
export interface PolisConversation {
  matrix: VoteMatrix;
  /** participant index → Pol.is participant id */
  participantIds: number[];
  /** statement index → Pol.is comment id */
  statementIds: number[];
  statementFlags: StatementFlag[];
  /** per participant index: Pol.is group id, −1 when not clustered or unknown */
  polisGroup: Int32Array;
}

/**
 * Build the vote matrix from `participants-votes.csv` (final votes) or else from `votes.csv` (in file order,
 * later rows replace earlier ones). Statements: the comments in comments.csv plus any voted-on id; moderated −1 →
 * 'rejected', is-meta → 'meta'.
 */
export function polisToConversation(exp: PolisExport, opts: { prefer?: 'participants-votes' | 'votes' } = {}): PolisConversation {
  const stmtIds = new Set<number>();
  exp.comments?.rows.forEach((r) => stmtIds.add(r.commentId));
  exp.participantsVotes?.commentColumns.forEach((c) => stmtIds.add(c));
  exp.votes?.rows.forEach((r) => stmtIds.add(r.commentId));
  const statementIds = [...stmtIds].sort((a, b) => a - b);
  const sIndex = new Map(statementIds.map((id, k) => [id, k]));
  const flags: StatementFlag[] = statementIds.map(() => 'ok');
  exp.comments?.rows.forEach((r) => {
    const k = sIndex.get(r.commentId)!;
    flags[k] = r.moderated === -1 ? 'rejected' : r.isMeta ? 'meta' : 'ok';
  });
  const pids = new Set<number>();
  exp.participantsVotes?.rows.forEach((r) => pids.add(r.participant));
  exp.votes?.rows.forEach((r) => pids.add(r.voterId));
  const participantIds = [...pids].sort((a, b) => a - b);
  const pIndex = new Map(participantIds.map((id, k) => [id, k]));
  const usePv = exp.participantsVotes && (opts.prefer !== 'votes' || !exp.votes);
  const P: number[] = [], Sx: number[] = [], V: number[] = [];
  if (usePv) {
    const pvt = exp.participantsVotes!;
    for (const r of pvt.rows) r.votes.forEach((v, k) => {
      if (v === null) return;
      P.push(pIndex.get(r.participant)!); Sx.push(sIndex.get(pvt.commentColumns[k])!); V.push(v);
    });
  } else if (exp.votes) {
    for (const r of exp.votes.rows) { P.push(pIndex.get(r.voterId)!); Sx.push(sIndex.get(r.commentId)!); V.push(r.vote); }
  }
  const matrix = buildVoteMatrix(participantIds.length, statementIds.length, {
    participant: Int32Array.from(P), statement: Int32Array.from(Sx), vote: Int8Array.from(V),
  });
  const polisGroup = new Int32Array(participantIds.length).fill(-1);
  exp.participantsVotes?.rows.forEach((r) => { if (r.groupId !== null) polisGroup[pIndex.get(r.participant)!] = r.groupId; });
  return { matrix, participantIds, statementIds, statementFlags: flags, polisGroup };
}
