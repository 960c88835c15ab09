import type { z } from 'zod';
import { ModelError, type ModelRegistry, type TaskMap, type TaskName } from '../../../models/types.js';
import { classTfidfKeywords, clusterVectors, normalise } from '../../../pipelines/text/index.js';
import { POLIS_ATTRIBUTION } from '../../../pipelines/votes/index.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import type { Tx } from '../../platform/db/client.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { newId, sha256 } from '../../platform/ids.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { ItemProvenance, ReviewItem, ReviewQueue } from '../../platform/review/queue.js';
import type { ReviewKind } from '../../platform/review/registry.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { SUMMARY_KIND, TRANSLATION_KIND } from '../publications/domain.js';
import { publicationsRepo } from '../publications/repo.js';
import { listPublications, type ReaderSentence } from '../publications/service.js';
import {
  checkText,
  CONSENSUS_KIND,
  consensusSubject,
  consensusSubjectPrefix,
  ConsensusPayload,
  decodeUpload,
  DETECT_JOB,
  HUMAN_TRANSLATION_KIND,
  MAP_JOB,
  mainLanguage,
  mapSubject,
  MAX_CHARS,
  mergeClusters,
  renameCluster,
  rowsFromCsv,
  rowsFromJsonl,
  rowsFromPolisComments,
  splitCluster,
  splitLongText,
  summarySubject,
  summarySubjectPrefix,
  TEXT_MAP_KIND,
  TextMapPayload,
  type Columns,
  type UploadRow,
} from './domain.js';
import { consensusRepo, contributionsRepo, textMapsRepo, type ContributionRow } from './repo.js';
import type { contributions } from './schema.js';

/** Below this language-id confidence a contribution is flagged 'uncertain-language' (the pipeline's default). */
export const MIN_LANGUAGE_CONFIDENCE = 0.4;

function assembly(ctx: Pick<Ctx, 'db'>, assemblyId: string) {
  const a = assembliesRepo.byId(ctx.db, assemblyId);
  if (!a) throw notFound('Assembly', assemblyId);
  return a;
}

/** A model if the registry has a backend for it, null when none is installed (other failures propagate). */
export async function optionalModel<T extends TaskName>(models: ModelRegistry, task: T): Promise<TaskMap[T] | null> {
  try {
    return await models.get(task);
  } catch (e) {
    if (e instanceof ModelError && e.code === 'MISSING_BACKEND') return null;
    throw e;
  }
}

/** Flags from the detected language: outside the assembly's languages → kept, flagged, never silently translated. */
export function languageFlags(lang: string | null, confidence: number | null, languages: string[]): string[] {
  const flags: string[] = [];
  if (lang && !languages.includes(lang)) flags.push('unsupported-language');
  if (confidence !== null && confidence < MIN_LANGUAGE_CONFIDENCE) flags.push('uncertain-language');
  return flags;
}

const cleanTopic = (t: string | undefined | null) => (t ?? '').trim().slice(0, 200);

// ---------------------------------------------------------------------------------------------------------
// Submission and imports

export interface ParticipantContribution {
  id: string;
  text: string;
  topic: string;
  /** the language it is written in, once known (pages mark the text with it) */
  language: string | null;
  createdAt: string;
}
const participantView = (r: ContributionRow): ParticipantContribution => ({ id: r.id, text: r.text, topic: r.topic, language: r.language, createdAt: r.createdAt });

/** Staff view: everything, language and grouping included. */
export const staffView = (r: ContributionRow) => ({
  id: r.id,
  topic: r.topic,
  text: r.text,
  source: r.source,
  externalId: r.externalId,
  authorLabel: r.authorLabel,
  language: r.language,
  languageConfidence: r.languageConfidence,
  languageSource: r.languageSource,
  flags: r.flags,
  duplicateOf: r.duplicateOf,
  importId: r.importId,
  createdAt: r.createdAt,
});
export type StaffContribution = ReturnType<typeof staffView>;

/**
 * One contribution from a participant (or a staff member): validated, language detected now (before the
 * transaction), grouped with an earlier identical one (after normalising case, accents and punctuation).
 * What the author gets back is their own text only.
 */
export async function submitContribution(ctx: Ctx, models: ModelRegistry, assemblyId: string, input: { text: string; topic?: string }): Promise<ParticipantContribution> {
  const a = assembly(ctx, assemblyId);
  const { text, dupKey } = checkText(input.text);
  let language: string | null = null;
  let confidence: number | null = null;
  try {
    const lid = await optionalModel(models, 'languageId');
    if (lid) {
      const g = (await lid.identify([text])).output[0];
      if (g?.lang) {
        language = g.lang;
        confidence = g.confidence;
      }
    }
  } catch (e) {
    // detection is an aid: the map job detects again when it is missing
    ctx.logger.warn({ err: (e as Error).message }, 'language detection failed at submission');
  }
  const author = actorId(ctx.actor);
  const source = ctx.actor.kind === 'user' && ctx.actor.role === 'participant' ? 'participant' : 'staff';
  const row = ctx.db.transaction((tx) => {
    const first = contributionsRepo.firstWithKey(tx, assemblyId, dupKey);
    const id = newId('ctb_');
    contributionsRepo.insertMany(tx, [
      {
        id,
        assemblyId,
        topic: cleanTopic(input.topic),
        text,
        source,
        authorId: author,
        language,
        languageConfidence: confidence,
        languageSource: language ? 'detected' : null,
        flags: languageFlags(language, confidence, a.languages),
        dupKey,
        duplicateOf: first ? (first.duplicateOf ?? first.id) : null,
      },
    ]);
    recordAudit(tx, { actorId: author, action: 'contribution.submit', subject: `contribution:${id}`, data: { assemblyId, source, duplicate: !!first } });
    return contributionsRepo.byId(tx, id)!;
  });
  return participantView(row);
}

export function myContributions(ctx: Ctx, assemblyId: string): ParticipantContribution[] {
  assembly(ctx, assemblyId);
  const me = actorId(ctx.actor);
  if (!me) return [];
  return contributionsRepo.page(ctx.db, { assemblyId, authorId: me, limit: 200, offset: 0 }).rows.map(participantView);
}

export function listContributions(ctx: Ctx, assemblyId: string, f: { topic?: string; limit?: number; offset?: number }) {
  assembly(ctx, assemblyId);
  const { total, rows } = contributionsRepo.page(ctx.db, { assemblyId, topic: f.topic, limit: Math.min(f.limit ?? 100, 1000), offset: f.offset ?? 0 });
  return { total, items: rows.map(staffView), topics: contributionsRepo.topics(ctx.db, assemblyId) };
}

export type ImportFormat = 'csv' | 'jsonl' | 'polis';

export interface ImportInput {
  format: ImportFormat;
  content: Uint8Array;
  filename?: string;
  /** csv / jsonl: the text column (required) and optional id, author and language columns */
  columns?: Partial<Columns>;
  topic?: string;
}

type NewRow = typeof contributions.$inferInsert;

/** Rows → contribution rows: near-duplicates grouped against the batch and the assembly's earlier ones. */
function toRows(tx: Tx, assemblyId: string, languages: string[], rows: Array<Omit<UploadRow, 'line'> & { text: string }>, base: Pick<NewRow, 'source' | 'topic' | 'importId'>, prefix: string): NewRow[] {
  const firstInBatch = new Map<string, string>();
  return rows.map((r) => {
    const { text, dupKey } = checkText(r.text);
    const id = newId('ctb_');
    let duplicateOf = firstInBatch.get(dupKey) ?? null;
    if (!duplicateOf) {
      const prev = contributionsRepo.firstWithKey(tx, assemblyId, dupKey);
      duplicateOf = prev ? (prev.duplicateOf ?? prev.id) : null;
    }
    if (!firstInBatch.has(dupKey)) firstInBatch.set(dupKey, duplicateOf ?? id);
    return {
      id,
      assemblyId,
      ...base,
      text,
      externalId: r.externalId !== null ? `${prefix}:${r.externalId}` : null,
      authorLabel: r.author,
      language: r.language,
      languageSource: r.language ? 'given' : null,
      flags: languageFlags(r.language, null, languages),
      dupKey,
      duplicateOf,
    };
  });
}

/**
 * A facilitator's upload: CSV or JSONL with a named text column, or a Pol.is comments.csv. All rows or none:
 * any problem (encoding, empty or too long text, missing column, repeated or already imported id) rejects the
 * whole file with every problem named by line. Rows without a language get one from a detection job.
 */
export function importContributions(ctx: Ctx, jobs: Pick<JobQueue, 'enqueue'>, assemblyId: string, input: ImportInput) {
  const a = assembly(ctx, assemblyId);
  const text = decodeUpload(input.content, input.filename ?? (input.format === 'polis' ? 'comments.csv' : 'The file'));
  let rows: UploadRow[];
  let skippedModerated = 0;
  if (input.format === 'polis') ({ rows, skippedModerated } = rowsFromPolisComments(text));
  else {
    const textColumn = input.columns?.text?.trim();
    if (!textColumn) throw new AppError('VALIDATION', 'Name the column that holds the contributions’ text (textColumn).', { errors: [{ path: 'textColumn', message: 'Required' }] });
    const columns: Columns = { ...input.columns, text: textColumn };
    rows = input.format === 'csv' ? rowsFromCsv(text, columns) : rowsFromJsonl(text, columns);
  }
  const topic = cleanTopic(input.topic);
  const prefix = input.format === 'polis' ? 'polis' : input.format;
  const by = actorId(ctx.actor);
  return ctx.db.transaction((tx) => {
    const ext = rows.filter((r) => r.externalId !== null).map((r) => `${prefix}:${r.externalId}`);
    const clash = contributionsRepo.existingExternalIds(tx, assemblyId, ext);
    if (clash.length) {
      throw conflict(`${clash.length} id(s) were imported before (${clash.slice(0, 5).map((c) => c.slice(prefix.length + 1)).join(', ')}${clash.length > 5 ? ', …' : ''}); nothing was imported. Remove them or import into another assembly.`);
    }
    const importId = newId('imp_');
    const imp = contributionsRepo.insertImport(tx, {
      id: importId,
      assemblyId,
      kind: input.format,
      filename: input.filename ?? null,
      topic,
      count: rows.length,
      attribution: input.format === 'polis' ? POLIS_ATTRIBUTION : null,
      createdBy: by,
    });
    const newRows = toRows(tx, assemblyId, a.languages, rows, { source: input.format === 'polis' ? 'polis' : 'upload', topic, importId }, prefix);
    contributionsRepo.insertMany(tx, newRows);
    let jobId: string | null = null;
    if (newRows.some((r) => !r.language)) {
      jobId = jobs.enqueue(tx, { type: DETECT_JOB, assemblyId, payload: { importId }, idempotencyKey: `detect:${importId}`, createdBy: by }).id;
      contributionsRepo.setImportJob(tx, importId, jobId);
    }
    recordAudit(tx, { actorId: by, action: 'contributions.import', subject: `import:${importId}`, data: { assemblyId, format: input.format, rows: rows.length, skippedModerated } });
    return { importId: imp.id, imported: newRows.length, duplicates: newRows.filter((r) => r.duplicateOf).length, skippedModerated, languageJobId: jobId, attribution: imp.attribution };
  });
}

export interface TranscriptInput {
  assemblyId: string;
  /** the approved transcript (names the contributions' external ids, so a second call adds nothing twice) */
  transcriptId: string;
  topic?: string;
  /** the breakout's language, when known; otherwise it is detected in a job */
  language?: string | null;
  turns: Array<{ id: string | number; text: string; speaker?: string | null }>;
}

/** A transcript's turns as contribution rows to be: long turns split, turns without a letter or digit dropped. */
function transcriptPieces(input: TranscriptInput) {
  const language = input.language ? input.language.toLowerCase() : null;
  return input.turns.flatMap((t) => {
    const parts = splitLongText(t.text, MAX_CHARS);
    return parts.map((p, k) => ({ text: p, externalId: `${input.transcriptId}:${t.id}${parts.length > 1 ? `:${k}` : ''}`, author: t.speaker ?? null, language }));
  }).filter((p) => /[\p{L}\p{N}]/u.test(p.text));
}

/**
 * For the audio module: turns of an approved breakout transcript become contributions, inside the caller's
 * transaction (synchronous). Empty turns are skipped; turns longer than the limit are split at sentence
 * boundaries; turns already added (same transcript and turn id) are skipped, so calling it twice is harmless.
 */
export function addContributionsFromTranscript(tx: Tx, jobs: Pick<JobQueue, 'enqueue'>, input: TranscriptInput): { importId: string | null; ids: string[] } {
  const a = assembliesRepo.byId(tx, input.assemblyId);
  if (!a) throw notFound('Assembly', input.assemblyId);
  const pieces = transcriptPieces(input);
  const existing = new Set(contributionsRepo.existingExternalIds(tx, input.assemblyId, pieces.map((p) => `transcript:${p.externalId}`)));
  const todo = pieces.filter((p) => !existing.has(`transcript:${p.externalId}`));
  if (todo.length === 0) return { importId: null, ids: [] };
  const importId = newId('imp_');
  const topic = cleanTopic(input.topic);
  contributionsRepo.insertImport(tx, { id: importId, assemblyId: input.assemblyId, kind: 'transcript', filename: input.transcriptId, topic, count: todo.length });
  const rows = toRows(tx, input.assemblyId, a.languages, todo, { source: 'transcript', topic, importId }, 'transcript');
  contributionsRepo.insertMany(tx, rows);
  if (!input.language) {
    const job = jobs.enqueue(tx, { type: DETECT_JOB, assemblyId: input.assemblyId, payload: { importId }, idempotencyKey: `detect:${importId}` });
    contributionsRepo.setImportJob(tx, importId, job.id);
  }
  recordAudit(tx, { actorId: null, action: 'contributions.transcript', subject: `import:${importId}`, data: { assemblyId: input.assemblyId, transcriptId: input.transcriptId, rows: rows.length } });
  return { importId, ids: rows.map((r) => r.id) };
}

export function listImports(ctx: Ctx, assemblyId: string) {
  assembly(ctx, assemblyId);
  return contributionsRepo.imports(ctx.db, assemblyId);
}

/**
 * Near-duplicate groups over a scope (exact normalised match, then MinHash over word 3-shingles, Jaccard ≥ 0.8):
 * id → the id of its group's first member (oldest first), or null for a group's first.
 */
export function nearDuplicates(rows: Array<Pick<ContributionRow, 'id' | 'text'>>): Map<string, string | null> {
  const out = new Map<string, string | null>();
  if (rows.length === 0) return out;
  const n = normalise(rows.map((r) => ({ id: r.id, text: r.text })), { onInvalid: 'skip', limits: { maxChars: MAX_CHARS * 2, maxContributions: 1_000_000 } });
  for (const c of n.contributions) out.set(c.id, c.groupId === c.id ? null : c.groupId);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The text map

export type MapMode = 'auto' | 'semantic' | 'lexical';

/** Queues a map of the assembly (or of one topic). A run already queued or running for the scope is returned. */
export function requestMap(ctx: Ctx, jobs: Pick<JobQueue, 'enqueue' | 'list'>, assemblyId: string, input: { topic?: string; mode?: MapMode; k?: number }) {
  assembly(ctx, assemblyId);
  const topic = cleanTopic(input.topic);
  const n = contributionsRepo.page(ctx.db, { assemblyId, topic: topic || undefined, limit: 1, offset: 0 }).total;
  if (n < 5) throw new AppError('PRECONDITION_FAILED', `A map needs at least 5 contributions; ${topic ? `topic '${topic}'` : 'this assembly'} has ${n}.`);
  const running = jobs.list({ assemblyId, type: MAP_JOB, status: ['queued', 'running'] }).find((j) => (j.payload as { topic?: string }).topic === topic);
  if (running) return running;
  const by = actorId(ctx.actor);
  return ctx.db.transaction((tx) => {
    const job = jobs.enqueue(tx, { type: MAP_JOB, assemblyId, payload: { topic, mode: input.mode ?? 'auto', ...(input.k ? { k: input.k } : {}) }, createdBy: by });
    recordAudit(tx, { actorId: by, action: 'contributions.map.request', subject: `job:${job.id}`, data: { assemblyId, topic, mode: input.mode ?? 'auto', contributions: n } });
    return job;
  });
}

const LIVE = ['pending', 'approved', 'edited'] as const;

/** The newest text-map item of a scope still standing (pending, approved or edited), with its effective payload. */
export function latestMap(ctx: Ctx, review: ReviewQueue, assemblyId: string, topic = ''): { item: ReviewItem; map: TextMapPayload } | null {
  assembly(ctx, assemblyId);
  const subject = mapSubject(assemblyId, cleanTopic(topic));
  const item = review.list(ctx.db, { assemblyId, kind: TEXT_MAP_KIND, status: [...LIVE], limit: 200 }).find((i) => i.subject === subject);
  if (!item) return null;
  return { item, map: TextMapPayload.parse(item.editedPayload ?? item.payload) };
}

/** The newest standing summary item of a cluster (staff only). */
export function clusterSummary(ctx: Ctx, review: ReviewQueue, assemblyId: string, topic: string, clusterId: string): ReviewItem | null {
  const subject = summarySubject(assemblyId, topic, clusterId);
  return review.list(ctx.db, { assemblyId, kind: SUMMARY_KIND, status: ['pending', 'approved', 'edited', 'rejected'], limit: 200 }).find((i) => i.subject === subject) ?? null;
}

export function contributionsByIds(ctx: Ctx, ids: string[]) {
  return contributionsRepo.byIds(ctx.db, ids).map(staffView);
}

export type MapRevisionInput = { op: 'rename'; clusterId: string; label: string; language?: string } | { op: 'merge'; clusterIds: string[]; label?: string } | { op: 'split'; clusterId: string };

/**
 * A facilitator's revision of a map (rename, merge = union, split = k-means with k = 2 on the cluster's 2-D
 * points). It makes a NEW pending text-map item that supersedes the pending one (or, once approved, replaces the
 * approved one when it is approved in turn); the revision is recorded in the payload and the provenance.
 * Merged and split clusters get fresh summary drafts from the Summarizer when one is installed.
 */
export async function reviseMap(ctx: Ctx, deps: { review: ReviewQueue; models: ModelRegistry }, assemblyId: string, itemId: string, input: MapRevisionInput) {
  const item = deps.review.get(ctx.db, itemId, assemblyId);
  if (item.kind !== TEXT_MAP_KIND) throw new AppError('VALIDATION', `Review item ${itemId} is a ${item.kind}, not a text map.`);
  if (!(LIVE as readonly string[]).includes(item.status)) throw conflict(`This map is ${item.status}; revise the newest one.`);
  const by = actorId(ctx.actor);
  if (!by) throw new AppError('UNAUTHENTICATED', 'Sign in to revise a map.');
  const before = TextMapPayload.parse(item.editedPayload ?? item.payload);
  let after: TextMapPayload;
  let touched: string[];
  let result: string[];
  if (input.op === 'rename') {
    const languages = assembly(ctx, assemblyId).languages;
    if (input.language !== undefined && !languages.includes(input.language)) {
      throw new AppError('VALIDATION', `A label's language is one of this assembly's (${languages.join(', ')}), not '${input.language}'.`, { errors: [{ path: 'language', message: `one of ${languages.join(', ')}` }] });
    }
    after = renameCluster(before, input.clusterId, input.label, input.language);
    touched = [input.clusterId];
    result = [input.clusterId];
  } else if (input.op === 'merge') {
    const r = mergeClusters(before, input.clusterIds, input.label);
    after = r.map;
    touched = [...new Set(input.clusterIds)];
    result = [r.merged];
  } else {
    const members = before.clusters.find((c) => c.id === input.clusterId)?.memberIds ?? [];
    const texts = new Map(contributionsRepo.byIds(ctx.db, members).map((r) => [r.id, r.text]));
    const r = splitCluster(before, input.clusterId, {
      kmeans2: (pts) => clusterVectors(pts.map((p) => Float32Array.from(p)), { seed: before.seed + 17, k: 2, metric: 'euclidean' }).labels,
      keywords: ([a, b]) => {
        const kws = classTfidfKeywords([...a, ...b].map((id) => texts.get(id) ?? ''), [...a.map(() => 0), ...b.map(() => 1)], 2);
        return [kws[0], kws[1]];
      },
    });
    after = r.map;
    touched = [input.clusterId];
    result = r.parts;
  }
  after.revisions = [...after.revisions, { op: input.op, clusters: touched, result, by, at: ctx.clock().toISOString(), fromItem: item.id }];
  // fresh summaries for merged / split clusters (drafts, cited, checked)
  const drafts = input.op === 'rename' ? [] : await draftSummaries(ctx, deps.models, after, result);
  const prov = item.provenance as ItemProvenance;
  const generation = mapGeneration(item);
  return ctx.db.transaction((tx) => {
    const next = deps.review.submit(tx, {
      assemblyId,
      kind: TEXT_MAP_KIND,
      subject: item.subject,
      title: item.title,
      payload: after,
      sources: item.sources as unknown[],
      provenance: { ...prov, stage: 'contributions.map.revise', params: { ...(prov.params ?? {}), revision: input, mapGeneration: generation }, revisedFrom: item.id, revisedBy: by },
    });
    const summaryIds = drafts.map((d) => deps.review.submit(tx, { ...d, assemblyId, provenance: { ...d.provenance, params: { ...d.provenance.params, mapGeneration: generation } } }).id);
    recordAudit(tx, { actorId: by, action: `contributions.map.${input.op}`, subject: `review:${next.id}`, data: { from: item.id, clusters: touched, result } });
    return { item: next, summaryItemIds: summaryIds };
  });
}

async function draftSummaries(ctx: Ctx, models: ModelRegistry, map: TextMapPayload, clusterIds: string[]) {
  const summarizer = await optionalModel(models, 'summarizer');
  if (!summarizer) return [];
  const out = [];
  for (const cid of clusterIds) {
    const c = map.clusters.find((x) => x.id === cid)!;
    const rows = contributionsRepo.byIds(ctx.db, c.memberIds).filter((r) => r.duplicateOf === null || !c.memberIds.includes(r.duplicateOf));
    if (rows.length === 0) continue;
    // the summarizer reads the originals one language at a time, so its sentences are in the contributors' language
    const language = mainLanguage(rows.map((r) => r.language ?? map.pivot)) ?? map.pivot;
    const byLang = new Map<string, typeof rows>();
    for (const r of rows) {
      const l = r.language ?? map.pivot;
      (byLang.get(l) ?? byLang.set(l, []).get(l)!).push(r);
    }
    const allowed = new Set(c.memberIds);
    const sentences: Array<{ text: string; sourceIds: string[]; language?: string }> = [];
    let res: Awaited<ReturnType<typeof summarizer.summarize>> | null = null;
    for (const [l, part] of [...byLang].sort((a, b) => b[1].length - a[1].length)) {
      res = await summarizer.summarize(part.map((r) => ({ id: r.id, text: r.text })), { maxSentences: Math.max(1, Math.round((3 * part.length) / rows.length)), language: l });
      for (const s of res.output) {
        const ids = [...new Set(s.sourceIds.filter((id) => allowed.has(id)))];
        if (ids.length > 0 && s.text.trim()) sentences.push({ text: s.text, sourceIds: ids, ...(l !== language ? { language: l } : {}) });
      }
    }
    if (sentences.length === 0 || !res) continue;
    const titles = Object.fromEntries(Object.entries(c.labels ?? {}).filter(([l]) => l !== language));
    out.push({
      kind: SUMMARY_KIND,
      subject: summarySubject(map.assemblyId, map.topic, cid),
      title: c.label,
      payload: { title: c.label, language, ...(Object.keys(titles).length ? { titles } : {}), sentences },
      sources: rows.map((r) => ({ type: 'contribution', id: r.id, text: r.text, language: r.language })),
      provenance: {
        stage: 'contributions.summary',
        version: '1',
        modelIds: [res.provenance.modelId],
        weightsSha256: [res.provenance.weightsSha256],
        params: { clusterId: cid, backend: res.provenance.backend, maxSentences: 3, citationsChecked: true },
        seed: null,
        inputHash: sha256(JSON.stringify(rows.map((r) => [r.id, r.text]))),
      },
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Review kinds

/**
 * The map generation of a review item: the map job that produced it, carried through the facilitator's revisions
 * (rename, merge, split) in `provenance.params.mapGeneration`. Summaries and consensus candidates share their map's.
 */
export function mapGeneration(item: { id: string; jobId: string | null; provenance: unknown }): string {
  const g = (item.provenance as { params?: { mapGeneration?: unknown } } | null)?.params?.mapGeneration;
  return typeof g === 'string' && g ? g : (item.jobId ?? item.id);
}

/**
 * When a map of a scope is approved, what participants can read of that scope must describe THIS map: published
 * summaries (their machine and human translations with them) of another map generation, or of a cluster this map
 * no longer has (merged, split), are withdrawn, and so are consensus candidates of another generation. Runs inside
 * the approval's transaction; returns what was withdrawn (audited).
 */
export function withdrawStale(
  tx: Tx, review: Pick<ReviewQueue, 'get' | 'pendingWithPrefix' | 'supersedePending'>, approved: Pick<ReviewItem, 'id' | 'assemblyId' | 'jobId' | 'provenance'>, payload: TextMapPayload,
) {
  const gen = mapGeneration(approved);
  const live = new Set(payload.clusters.filter((c) => c.level === 1).map((c) => c.id));
  // only asked of original summaries and consensus rows, which always have a review item (a human translation names itself)
  const genOf = (reviewItemId: string) => mapGeneration(review.get(tx, reviewItemId));
  const prefix = summarySubject(approved.assemblyId, payload.topic, '');
  const pubs = publicationsRepo.withSubjectPrefix(tx, approved.assemblyId, prefix).filter((p) => !p.subject.slice(prefix.length).includes(':'));
  const bySubject = new Map<string, typeof pubs>();
  for (const p of pubs) (bySubject.get(p.subject) ?? bySubject.set(p.subject, []).get(p.subject)!).push(p);
  const withdrawn: string[] = [];
  for (const [subject, list] of bySubject) {
    const clusterId = subject.slice(prefix.length);
    // the original summary decides for its translations: without a current one, they go too
    const current = live.has(clusterId) && list.some((p) => p.kind === SUMMARY_KIND && genOf(p.reviewItemId) === gen);
    if (!current) withdrawn.push(...list.map((p) => p.id));
  }
  if (withdrawn.length) publicationsRepo.remove(tx, withdrawn);
  const cons = consensusRepo.get(tx, approved.assemblyId, payload.topic);
  const consensusWithdrawn = cons && genOf(cons.reviewItemId) !== gen ? cons.id : null;
  if (consensusWithdrawn) consensusRepo.remove(tx, consensusWithdrawn);
  if (withdrawn.length || consensusWithdrawn) {
    recordAudit(tx, { actorId: null, action: 'contributions.map.withdraw-stale', subject: `review:${approved.id}`, data: { assemblyId: approved.assemblyId, topic: payload.topic, generation: gen, publications: withdrawn, consensus: consensusWithdrawn } });
  }
  // drafts still pending that describe another map (or a cluster this one no longer has) could otherwise be approved
  // later and published over this map: they are superseded now. Machine translations of a withdrawn summary go too.
  const consSubject = consensusSubject(approved.assemblyId, payload.topic);
  const moot = review
    .pendingWithPrefix(tx, approved.assemblyId, [SUMMARY_KIND, TRANSLATION_KIND], prefix)
    .concat(review.pendingWithPrefix(tx, approved.assemblyId, [CONSENSUS_KIND], consSubject).filter((i) => i.subject === consSubject))
    .filter((item) => {
      if (item.kind === TRANSLATION_KIND) {
        const source = (item.payload as { sourcePublicationId?: string }).sourcePublicationId;
        return !source || !publicationsRepo.byId(tx, source); // withdrawn ones are gone already
      }
      if (item.kind === SUMMARY_KIND) {
        const clusterId = item.subject.slice(prefix.length);
        return clusterId.includes(':') ? false : !live.has(clusterId) || mapGeneration(item) !== gen;
      }
      return mapGeneration(item) !== gen; // consensus candidates
    })
    .map((item) => item.id);
  const superseded = review.supersedePending(tx, moot, approved.id);
  return { publications: withdrawn, consensus: consensusWithdrawn, superseded };
}

export function contributionKinds(review: Pick<ReviewQueue, 'get' | 'pendingWithPrefix' | 'supersedePending'>): ReviewKind<any>[] {
  const map: ReviewKind<z.infer<typeof TextMapPayload>> = {
    kind: TEXT_MAP_KIND,
    label: 'text map',
    payload: TextMapPayload,
    publish(tx, { item, payload }) {
      // the approved map is staff material (participants read the approved summaries)
      textMapsRepo.upsert(tx, { id: newId('tm_'), assemblyId: item.assemblyId, topic: payload.topic, reviewItemId: item.id, payload });
      // summaries and consensus candidates of an older map (or of clusters this one no longer has) are withdrawn
      withdrawStale(tx, review, item, payload);
    },
  };
  const consensus: ReviewKind<z.infer<typeof ConsensusPayload>> = {
    kind: CONSENSUS_KIND,
    label: 'consensus candidates',
    payload: ConsensusPayload,
    publish(tx, { item, payload }) {
      consensusRepo.upsert(tx, { id: newId('cs_'), assemblyId: item.assemblyId, topic: payload.topic, reviewItemId: item.id, language: 'mul', statements: payload.statements });
    },
  };
  return [map, consensus];
}

// ---------------------------------------------------------------------------------------------------------
// What participants read, and human translations

export type SummaryOrigin = 'original' | 'machine-translated' | 'machine-translated-post-edited' | 'human-translated';

export interface ParticipantSummary {
  id: string;
  subject: string;
  title: string;
  /** the language of the version shown (its title's); each sentence says its own */
  language: string;
  titleLanguage: string;
  origin: SummaryOrigin;
  /** each sentence in its language, with how it reached the reader (quoted, reviewed machine translation, …) */
  sentences: ReaderSentence[];
  translationPending: boolean;
  publishedAt: string;
}

/**
 * Approved summaries of contributions, in the reader's language where an approved translation exists (a
 * human translation beats a reviewed machine translation, which beats the original), each labelled by origin;
 * and the approved consensus statements. Everything here went through publish(); nothing is read from the
 * review queue.
 */
export function participantSummaries(ctx: Ctx, assemblyId: string, lang?: string, opts: { pending?: Set<string> } = {}) {
  const prefix = summarySubjectPrefix(assemblyId);
  const pubs = listPublications(ctx, assemblyId, lang, { subjectPrefix: prefix, ...(opts.pending ? { pending: opts.pending } : {}) });
  const summaries: ParticipantSummary[] = pubs.map((p) => ({
    id: p.id,
    subject: p.subject,
    title: p.title,
    language: p.language,
    titleLanguage: p.titleLanguage,
    origin: p.kind === HUMAN_TRANSLATION_KIND ? 'human-translated' : p.machineTranslated ? (p.postEdited ? 'machine-translated-post-edited' : 'machine-translated') : 'original',
    sentences: p.sentences,
    translationPending: p.translationPending,
    publishedAt: p.publishedAt,
  }));
  return { summaries, consensus: participantConsensus(ctx, assemblyId) };
}

/** The assembly's published consensus statements, as participants read them. */
export function participantConsensus(ctx: Ctx, assemblyId: string) {
  return consensusRepo.forAssembly(ctx.db, assemblyId).flatMap((c) => (c.statements as ConsensusPayload['statements']).map((s) => ({ topic: c.topic, contributionId: s.contributionId, text: s.text, language: s.language })));
}

/** Approved original summaries of contributions (the ones a facilitator may translate by hand). */
export function approvedSummaries(ctx: Ctx, assemblyId: string) {
  assembly(ctx, assemblyId);
  const prefix = summarySubjectPrefix(assemblyId);
  return publicationsRepo.forAssembly(ctx.db, assemblyId).filter((p) => p.kind === SUMMARY_KIND && p.subject.startsWith(prefix));
}

/**
 * A facilitator publishes their own translation of an approved summary. A person wrote it, so it needs no review;
 * it is labelled human-translated and kept apart from the machine translation (its own publication kind), which
 * stays in the review queue / publications as it was. One line per sentence: citations stay with their line.
 */
export function publishHumanTranslation(ctx: Ctx, assemblyId: string, publicationId: string, input: { language: string; title: string; sentences: string[] }) {
  const a = assembly(ctx, assemblyId);
  const src = publicationsRepo.byId(ctx.db, publicationId);
  if (!src || src.assemblyId !== assemblyId) throw notFound('Publication', publicationId);
  if (src.kind !== SUMMARY_KIND) throw new AppError('VALIDATION', 'Only an approved original summary can be translated by hand.');
  const by = actorId(ctx.actor);
  if (!by) throw new AppError('UNAUTHENTICATED', 'Sign in to publish a translation.');
  const language = input.language.toLowerCase();
  if (!a.languages.includes(language)) throw new AppError('VALIDATION', `'${language}' is not one of this assembly’s languages (${a.languages.join(', ')}).`, { errors: [{ path: 'language', message: 'not an assembly language' }] });
  if (language === src.language) throw new AppError('VALIDATION', `The summary is already in '${language}'.`, { errors: [{ path: 'language', message: 'same as the original' }] });
  const orig = (src.body as { sentences: Array<{ text: string; sourceIds: string[] }> }).sentences;
  const lines = input.sentences.map((s) => s.trim()).filter(Boolean);
  if (lines.length !== orig.length) {
    throw new AppError('VALIDATION', `The summary has ${orig.length} sentence(s); give the translation as ${orig.length} line(s), one per sentence, so each keeps its citations.`, { errors: [{ path: 'sentences', message: `${orig.length} expected` }] });
  }
  const sentences = lines.map((l, i) => ({ text: checkText(l, `sentence ${i + 1}`).text, sourceIds: orig[i].sourceIds }));
  const title = checkText(input.title, 'title').text.slice(0, 300);
  return ctx.db.transaction((tx) => {
    const id = newId('pub_');
    const pub = publicationsRepo.upsert(tx, {
      id,
      assemblyId,
      // publications need a unique review-item id; a human translation has none, so it names itself
      reviewItemId: `human:${id}`,
      kind: HUMAN_TRANSLATION_KIND,
      subject: src.subject,
      language,
      title,
      body: { sentences, sourcePublicationId: src.id, sourceLanguage: src.language, humanTranslated: true, translatorId: by },
      machineTranslated: false,
    });
    recordAudit(tx, { actorId: by, action: 'contributions.summary.translate', subject: `publication:${pub.id}`, data: { source: src.id, language } });
    return { id: pub.id, subject: pub.subject, language, title, sentences, origin: 'human-translated' as const };
  });
}


// ---------------------------------------------------------------------------------------------------------
// A transcript approved again (breakouts: a newer run or a corrected version of the same recording).

/**
 * Like addContributionsFromTranscript, but the turns REPLACE those an earlier approval of the same transcript added
 * (external ids `transcript:<transcriptId>:…`) instead of being added beside them: a turn whose text is unchanged
 * keeps its row (id, detected language, near-duplicate group); rows whose turn is gone or whose text changed are
 * deleted (a near-duplicate group led by a deleted row is led by its oldest remaining member), and the changed and
 * new turns are then added exactly as addContributionsFromTranscript adds them. Returns the added and removed ids.
 */
export function replaceContributionsFromTranscript(
  tx: Tx, jobs: Pick<JobQueue, 'enqueue'>, review: Pick<ReviewQueue, 'pendingWithPrefix' | 'supersedePending'>, input: TranscriptInput & { approvedBy: string },
): { importId: string | null; ids: string[]; removed: string[]; withdrawn: ReturnType<typeof withdrawCiting> } {
  const prefix = `transcript:${input.transcriptId}:`;
  const wanted = new Map<string, string>();
  for (const p of transcriptPieces(input)) {
    let text = p.text;
    try {
      text = checkText(p.text).text;
    } catch {
      /* refused below by addContributionsFromTranscript, with its message */
    }
    wanted.set(`transcript:${p.externalId}`, text);
  }
  const stale = contributionsRepo
    .withExternalPrefix(tx, input.assemblyId, prefix)
    .filter((r) => r.externalId?.startsWith(prefix) && wanted.get(r.externalId) !== r.text)
    .map((r) => r.id);
  const withdrawn = withdrawCiting(tx, review, input.assemblyId, stale, input.approvedBy);
  if (stale.length > 0) {
    const gone = new Set(stale);
    const followers = contributionsRepo.removeWithFollowers(tx, input.assemblyId, stale);
    const groups = new Map<string, string[]>();
    for (const f of followers.filter((x) => !gone.has(x.id)).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))) {
      if (!groups.has(f.duplicateOf!)) groups.set(f.duplicateOf!, []);
      groups.get(f.duplicateOf!)!.push(f.id);
    }
    for (const [, members] of groups) {
      contributionsRepo.setDuplicateOf(tx, [members[0]], null);
      if (members.length > 1) contributionsRepo.setDuplicateOf(tx, members.slice(1), members[0]);
    }
    recordAudit(tx, { actorId: null, action: 'contributions.transcript.replace', subject: `transcript:${input.transcriptId}`, data: { assemblyId: input.assemblyId, removed: stale.length } });
  }
  return { ...addContributionsFromTranscript(tx, jobs, input), removed: stale, withdrawn };
}

/** Whether a JSON value mentions one of `ids` anywhere (citations sit in sentences, statements, members…). */
function mentionsAny(value: unknown, ids: ReadonlySet<string>): boolean {
  if (typeof value === 'string') return ids.has(value);
  if (Array.isArray(value)) return value.some((v) => mentionsAny(v, ids));
  if (value && typeof value === 'object') return Object.values(value).some((v) => mentionsAny(v, ids));
  return false;
}

/**
 * Contributions are about to be deleted (a transcript's turns replaced): what cites them describes text that is
 * gone, so published summaries citing one (with every translation of them), the published consensus statements citing
 * one, and pending summary, translation and consensus drafts citing one (or translating a withdrawn summary) are
 * withdrawn or superseded by `byId` (the review item whose approval removed them) — a participant never follows a
 * citation to nothing, and no such draft can be approved later. Returns what was withdrawn (audited).
 */
export function withdrawCiting(tx: Tx, review: Pick<ReviewQueue, 'pendingWithPrefix' | 'supersedePending'>, assemblyId: string, contributionIds: string[], byId: string) {
  if (contributionIds.length === 0) return { publications: [] as string[], consensus: [] as string[], superseded: [] as string[] };
  const gone = new Set(contributionIds);
  const pubs = publicationsRepo.withSubjectPrefix(tx, assemblyId, summarySubjectPrefix(assemblyId));
  const citing = new Set(pubs.filter((p) => mentionsAny(p.body, gone)).map((p) => p.id));
  // translations go with their original
  for (const p of pubs) {
    const source = (p.body as { sourcePublicationId?: unknown } | null)?.sourcePublicationId;
    if (typeof source === 'string' && citing.has(source)) citing.add(p.id);
  }
  const publications = [...citing];
  if (publications.length) publicationsRepo.remove(tx, publications);
  const consensus = consensusRepo.forAssembly(tx, assemblyId).filter((c) => mentionsAny(c.statements, gone)).map((c) => c.id);
  for (const id of consensus) consensusRepo.remove(tx, id);
  if (publications.length || consensus.length) {
    recordAudit(tx, { actorId: null, action: 'contributions.withdraw-citing', subject: `review:${byId}`, data: { assemblyId, removedContributions: contributionIds.length, publications, consensus } });
  }
  const moot = review
    .pendingWithPrefix(tx, assemblyId, [SUMMARY_KIND, TRANSLATION_KIND], summarySubjectPrefix(assemblyId))
    .concat(review.pendingWithPrefix(tx, assemblyId, [CONSENSUS_KIND], consensusSubjectPrefix(assemblyId)))
    .filter((item) => {
      const source = (item.payload as { sourcePublicationId?: unknown } | null)?.sourcePublicationId;
      return mentionsAny(item.payload, gone) || (typeof source === 'string' && citing.has(source));
    })
    .map((item) => item.id);
  return { publications, consensus, superseded: review.supersedePending(tx, moot, byId) };
}
