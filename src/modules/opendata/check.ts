import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { defFromResource, readCsv, type Row, type TableProblem } from './csv.js';
import { LATER_TABLES, TABLES, type TableKey } from './tables.js';
import { PROGRESS_RANGE, type ImpactStatus } from '../impact/domain.js';

/**
 * Reads an open-data package (its files, already unzipped) and checks everything before anything is written:
 * the descriptor, every listed file present and every file listed, every CSV against its Table Schema, the JSON
 * documents' shapes and the references between tables. Problems are named by file, row and field.
 */
const AssemblyDoc = z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/), title: z.string().min(1), question: z.string(), languages: z.array(z.string().min(2).max(8)).min(1), status: z.enum(['in-progress', 'final']), createdAt: z.string() });
const Descriptor = z.object({
  created: z.string(),
  plenary: z.object({ format: z.literal('plenary-open-data/1'), status: z.enum(['in-progress', 'final']) }),
  resources: z.array(z.object({ name: z.string(), path: z.string(), type: z.string().optional(), schema: z.any().optional() }).passthrough()),
});
const Provenanced = z.object({ provenance: z.unknown(), review: z.object({ status: z.string(), decidedAt: z.string().nullable(), sources: z.unknown() }).nullable() });
export const MapDoc = Provenanced.extend({ map: z.record(z.string(), z.unknown()).and(z.object({ participants: z.array(z.object({ participantId: z.string().nullable() }).passthrough()) })), edited: z.boolean(), publishedAt: z.string() });
export const TranscriptDoc = Provenanced.extend({ segments: z.array(z.object({ speakerId: z.string().nullable() }).passthrough()) });
export const PublicationDoc = Provenanced.extend({ body: z.unknown() });
const BallotResultDoc = z.object({ method: z.string(), voters: z.number(), eligible: z.number(), winners: z.array(z.string()) }).passthrough();

export interface ParsedPackage {
  assembly: z.infer<typeof AssemblyDoc>;
  created: string;
  status: 'in-progress' | 'final';
  tables: Record<TableKey, Row[]>;
  maps: Map<string, z.infer<typeof MapDoc>>;
  transcripts: Map<string, z.infer<typeof TranscriptDoc>>;
  publications: Map<string, z.infer<typeof PublicationDoc>>;
  /** ballot id → its announced result */
  ballotResults: Map<string, Record<string, unknown>>;
  /** aggregate tables as published (path → CSV text), kept verbatim by an archive */
  raw: Map<string, string>;
}

function fail(problems: TableProblem[]): never {
  const at = (p: TableProblem) => `${p.file}${p.row ? ` row ${p.row}` : ''}${p.field ? `, field ${p.field}` : ''}`;
  const shown = problems.slice(0, 8).map((p) => `${at(p)}: ${p.message}`).join('; ');
  throw new AppError('VALIDATION', `The package was not imported (nothing was written): ${shown}${problems.length > 8 ? `; … ${problems.length - 8} more` : ''}.`, {
    errors: problems.map((p) => ({ path: `${p.file}${p.row ? `:${p.row}` : ''}${p.field ? `:${p.field}` : ''}`, message: p.message })),
  });
}

function jsonOf<T>(files: Map<string, string>, file: string, schema: z.ZodType<T>, problems: TableProblem[]): T | null {
  const text = files.get(file);
  if (text === undefined) {
    problems.push({ file, row: 0, field: null, message: 'is missing' });
    return null;
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    problems.push({ file, row: 0, field: null, message: `is not JSON (${(e as Error).message})` });
    return null;
  }
  const r = schema.safeParse(v);
  if (!r.success) {
    for (const i of r.error.issues.slice(0, 5)) problems.push({ file, row: 0, field: i.path.join('.') || null, message: i.message });
    return null;
  }
  return r.data;
}

export function checkPackage(files: Map<string, string>): ParsedPackage {
  const problems: TableProblem[] = [];
  const desc = jsonOf(files, 'datapackage.json', Descriptor, problems);
  if (!desc) fail(problems.length ? problems : [{ file: 'datapackage.json', row: 0, field: null, message: 'is not a Plenary open-data package' }]);
  const listed = new Set(desc.resources.map((r) => r.path));
  for (const p of listed) if (!files.has(p)) problems.push({ file: p, row: 0, field: null, message: 'is listed in datapackage.json but missing from the zip' });
  for (const f of files.keys()) if (f !== 'datapackage.json' && !listed.has(f)) problems.push({ file: f, row: 0, field: null, message: 'is in the zip but not listed in datapackage.json' });
  const assembly = jsonOf(files, 'assembly.json', AssemblyDoc, problems);
  const tables = {} as Record<TableKey, Row[]>;
  for (const [k, def] of Object.entries(TABLES) as [TableKey, (typeof TABLES)[TableKey]][]) {
    const text = files.get(def.path);
    if (text === undefined) {
      if (LATER_TABLES.has(def.path) && !listed.has(def.path)) {
        tables[k] = [];
        continue;
      }
      if (!problems.some((p) => p.file === def.path)) problems.push({ file: def.path, row: 0, field: null, message: 'is missing' });
      tables[k] = [];
      continue;
    }
    const r = readCsv(def, def.path, text);
    problems.push(...r.problems);
    tables[k] = r.rows;
  }
  // other tables (Pol.is layout) are checked against the schema the package gives them; they are rebuilt on export
  for (const r of desc.resources) {
    if (r.type !== 'table' || Object.values(TABLES).some((d) => d.path === r.path) || !files.has(r.path)) continue;
    problems.push(...readCsv(defFromResource(r as unknown as Parameters<typeof defFromResource>[0]), r.path, files.get(r.path)!).problems);
  }
  if (problems.length) fail(problems);
  const maps = new Map<string, z.infer<typeof MapDoc>>();
  for (const m of tables.maps) {
    const d = jsonOf(files, String(m.path), MapDoc, problems);
    if (d) maps.set(String(m.conversation_id), d);
  }
  const transcripts = new Map<string, z.infer<typeof TranscriptDoc>>();
  for (const t of tables.transcripts) {
    const d = jsonOf(files, String(t.path), TranscriptDoc, problems);
    if (d) transcripts.set(String(t.transcript_id), d);
  }
  const publications = new Map<string, z.infer<typeof PublicationDoc>>();
  for (const p of tables.publications) {
    const d = jsonOf(files, String(p.path), PublicationDoc, problems);
    if (d) publications.set(String(p.publication_id), d);
  }
  const ballotResults = new Map<string, Record<string, unknown>>();
  for (const b of tables.ballots) {
    if (b.result_path === null) continue;
    const d = jsonOf(files, String(b.result_path), BallotResultDoc, problems);
    if (d) ballotResults.set(String(b.ballot_id), d);
  }
  checkReferences(tables, problems);
  if (problems.length || !assembly) fail(problems);
  const raw = new Map(Object.values(TABLES).flatMap((d) => (files.has(d.path) ? [[d.path, files.get(d.path)!] as const] : [])));
  return { assembly, created: desc.created, status: desc.plenary.status, tables, maps, transcripts, publications, ballotResults, raw };
}

/** Every reference points at a row that exists (file, row and field of the first dangling ones). */
function checkReferences(t: Record<TableKey, Row[]>, problems: TableProblem[]) {
  const keys = (rows: Row[], ...f: string[]) => new Set(rows.map((r) => f.map((x) => String(r[x])).join('\u0000')));
  const ref = (key: TableKey, rows: Row[], target: Set<string>, fields: string[], label: string, optional = false) =>
    rows.forEach((r, i) => {
      if (optional && r[fields[fields.length - 1]] === null) return;
      if (!target.has(fields.map((x) => String(r[x])).join('\u0000')))
        problems.push({ file: TABLES[key].path, row: i + 2, field: fields[fields.length - 1], message: `refers to ${label} ${fields.map((x) => String(r[x])).join(' / ')}, which is not in the package` });
    });
  const pools = keys(t.pools, 'pool_id');
  const people = keys(t.people, 'pool_id', 'person_id');
  ref('quotas', t.quotas, pools, ['pool_id'], 'pool');
  ref('people', t.people, pools, ['pool_id'], 'pool');
  ref('features', t.features, people, ['pool_id', 'person_id'], 'candidate');
  ref('replacements', t.replacements, people, ['pool_id', 'out_person_id'], 'candidate');
  ref('replacements', t.replacements, people, ['pool_id', 'in_person_id'], 'candidate', true);
  ref('letters', t.letters, pools, ['pool_id'], 'pool');
  const convs = keys(t.conversations, 'conversation_id');
  const parts = keys(t.participants, 'conversation_id', 'participant_id');
  const stmts = keys(t.statements, 'conversation_id', 'statement_id');
  ref('participants', t.participants, convs, ['conversation_id'], 'conversation');
  ref('statements', t.statements, convs, ['conversation_id'], 'conversation');
  ref('statements', t.statements, parts, ['conversation_id', 'author_id'], 'participant', true);
  ref('votes', t.votes, stmts, ['conversation_id', 'statement_id'], 'statement');
  ref('votes', t.votes, parts, ['conversation_id', 'participant_id'], 'participant');
  ref('maps', t.maps, convs, ['conversation_id'], 'conversation');
  ref('groups', t.groups, parts, ['conversation_id', 'participant_id'], 'participant');
  const recs = keys(t.recommendations, 'recommendation_id');
  ref('versions', t.versions, recs, ['recommendation_id'], 'recommendation');
  ref('impact', t.impact, recs, ['recommendation_id'], 'recommendation');
  ref('impactEntries', t.impactEntries, recs, ['recommendation_id'], 'recommendation');
  ref('impactSources', t.impactSources, keys(t.impactEntries, 'entry_id'), ['entry_id'], 'timeline entry');
  const ballots = keys(t.ballots, 'ballot_id');
  ref('ballotOptions', t.ballotOptions, ballots, ['ballot_id'], 'ballot');
  ref('receipts', t.receipts, ballots, ['ballot_id'], 'ballot');
  ref('sessions', t.sessions, keys(t.phases, 'phase_id'), ['phase_id'], 'phase', true);
  const sessions = keys(t.sessions, 'session_id');
  ref('attendance', t.attendance, sessions, ['session_id'], 'session');
  ref('groupAttendance', t.groupAttendance, sessions, ['session_id'], 'session');
  const surveys = keys(t.surveys, 'survey_id');
  ref('surveyQuestions', t.surveyQuestions, surveys, ['survey_id'], 'survey');
  ref('surveyResults', t.surveyResults, keys(t.surveyQuestions, 'survey_id', 'key'), ['survey_id', 'key'], 'question');
  ref('comments', t.comments, keys(t.debates, 'debate_id'), ['debate_id'], 'debate');
  // impact: the progress must agree with the status (the rule of src/modules/impact/domain.ts)
  for (const key of ['impact', 'impactEntries'] as const)
    t[key].forEach((r, i) => {
      if (r.status === null || r.progress === null) return;
      const [lo, hi] = PROGRESS_RANGE[r.status as ImpactStatus];
      if (Number(r.progress) < lo || Number(r.progress) > hi) problems.push({ file: TABLES[key].path, row: i + 2, field: 'progress', message: `${String(r.progress)} % does not fit the status ${String(r.status)} (${lo}–${hi} %)` });
    });
}
