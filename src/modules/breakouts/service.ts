/**
 * Breakout sessions, groups, resumable recording uploads, tracks, and the review kinds that publish approved
 * transcripts and ideas. Files are written before (or after) the synchronous transaction that records them, so
 * the database never points at a half-stored file.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { AudioInputError } from '../../../models/audio/errors.js';
import { checkComplete } from '../../../models/audio/complete.js';
import { probeAudio } from '../../../models/audio/ffmpeg.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import type { DbOrTx, Tx } from '../../platform/db/client.js';
import { users } from '../../platform/db/schema.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { ReviewQueue } from '../../platform/review/queue.js';
import type { ReviewKind } from '../../platform/review/registry.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { replaceContributionsFromTranscript } from '../contributions/service.js';
import {
  checkFilename,
  checkProbed,
  checkTrackDuration,
  groupSubject,
  IDEA_KIND,
  IDEAS_JOB,
  IdeaPayload,
  PURGE_AUDIO_JOB,
  speakerLabel,
  TRANSCRIBE_JOB,
  TRANSCRIPT_KIND,
  TranscriptPayload,
  type BreakoutLimits,
} from './domain.js';
import { breakoutsRepo as repo, type GroupRow, type TrackRow } from './repo.js';

// ---------------------------------------------------------------------------------------------------------
// Lookups

function assembly(db: DbOrTx, assemblyId: string) {
  const a = assembliesRepo.byId(db, assemblyId);
  if (!a) throw notFound('Assembly', assemblyId);
  return a;
}
export function sessionOf(db: DbOrTx, assemblyId: string, sessionId: string) {
  const s = repo.session(db, sessionId);
  if (!s || s.assemblyId !== assemblyId) throw notFound('Breakout session', sessionId);
  return s;
}
export function groupOf(db: DbOrTx, assemblyId: string, groupId: string): GroupRow {
  const g = repo.group(db, groupId);
  if (!g || g.assemblyId !== assemblyId) throw notFound('Breakout group', groupId);
  return g;
}
function uploadOf(db: DbOrTx, assemblyId: string, uploadId: string) {
  const u = repo.upload(db, uploadId);
  if (!u || u.assemblyId !== assemblyId) throw notFound('Upload', uploadId);
  return u;
}
export function trackOf(db: DbOrTx, assemblyId: string, trackId: string): TrackRow {
  const t = repo.track(db, trackId);
  if (!t || t.assemblyId !== assemblyId) throw notFound('Track', trackId);
  return t;
}

const by = (ctx: Ctx) => actorId(ctx.actor);

// ---------------------------------------------------------------------------------------------------------
// Sessions and groups

export function createSession(ctx: Ctx, assemblyId: string, input: { title: string; language?: string | null; startsAt?: string | null }) {
  const a = assembly(ctx.db, assemblyId);
  const language = input.language ? input.language.toLowerCase() : null;
  if (language && !a.languages.includes(language))
    throw invalid(`'${language}' is not one of this assembly's languages (${a.languages.join(', ')}).`, [{ path: 'language', message: 'Not an assembly language' }]);
  return ctx.db.transaction((tx) => {
    const s = repo.insertSession(tx, { id: newId('bs_'), assemblyId, title: input.title.trim(), language, startsAt: input.startsAt ?? null, createdBy: by(ctx) });
    recordAudit(tx, { actorId: by(ctx), action: 'breakouts.session.create', subject: `breakout-session:${s.id}`, data: { assemblyId, title: s.title } });
    return s;
  });
}

function checkStaff(db: DbOrTx, userId: string | null | undefined, path: string) {
  if (!userId) return null;
  const u = db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, userId)).get();
  if (!u || (u.role !== 'facilitator' && u.role !== 'admin')) throw invalid(`User '${userId}' is not a facilitator.`, [{ path, message: 'Not a facilitator' }]);
  return u.id;
}

function checkMembers(tx: DbOrTx, assemblyId: string, sessionId: string, groupId: string | null, memberIds: string[]) {
  for (const m of memberIds) {
    if (!repo.isAssemblyMember(tx, assemblyId, m)) throw invalid(`'${m}' is not a member of this assembly.`, [{ path: 'memberIds', message: `Unknown member ${m}` }]);
    const other = repo.memberOfSession(tx, sessionId, m);
    if (other && other.groupId !== groupId) throw conflict(`Member '${m}' is already in another group of this session.`);
  }
}

export function createGroup(ctx: Ctx, assemblyId: string, sessionId: string, input: { name: string; leadFacilitatorId?: string | null; coFacilitatorId?: string | null; memberIds?: string[] }) {
  sessionOf(ctx.db, assemblyId, sessionId);
  return ctx.db.transaction((tx) => {
    const lead = checkStaff(tx, input.leadFacilitatorId, 'leadFacilitatorId');
    const co = checkStaff(tx, input.coFacilitatorId, 'coFacilitatorId');
    if (lead && co && lead === co) throw invalid('The lead and the co-facilitator must be two people.', [{ path: 'coFacilitatorId', message: 'Same as the lead' }]);
    if (repo.groups(tx, sessionId).some((g) => g.name === input.name.trim())) throw conflict(`This session already has a group named '${input.name.trim()}'.`);
    const g = repo.insertGroup(tx, { id: newId('bg_'), assemblyId, sessionId, name: input.name.trim(), leadFacilitatorId: lead, coFacilitatorId: co });
    const memberIds = [...new Set(input.memberIds ?? [])];
    checkMembers(tx, assemblyId, sessionId, g.id, memberIds);
    repo.addMembers(tx, memberIds.map((userId) => ({ groupId: g.id, sessionId, assemblyId, userId })));
    recordAudit(tx, { actorId: by(ctx), action: 'breakouts.group.create', subject: `breakout-group:${g.id}`, data: { assemblyId, sessionId, name: g.name, members: memberIds.length } });
    return g;
  });
}

export function addMembers(ctx: Ctx, assemblyId: string, groupId: string, memberIds: string[]) {
  const g = groupOf(ctx.db, assemblyId, groupId);
  return ctx.db.transaction((tx) => {
    const ids = [...new Set(memberIds)];
    checkMembers(tx, assemblyId, g.sessionId, g.id, ids);
    repo.addMembers(tx, ids.map((userId) => ({ groupId: g.id, sessionId: g.sessionId, assemblyId, userId })));
    recordAudit(tx, { actorId: by(ctx), action: 'breakouts.group.members', subject: `breakout-group:${g.id}`, data: { added: ids.length } });
    return groupDetail(ctx, assemblyId, groupId);
  });
}

export function listSessions(ctx: Ctx, assemblyId: string) {
  assembly(ctx.db, assemblyId);
  return repo.sessions(ctx.db, assemblyId).map((s) => ({
    ...s,
    groups: repo.groups(ctx.db, s.id).map((g) => ({ id: g.id, name: g.name, members: repo.members(ctx.db, g.id).length, tracks: repo.liveTracks(ctx.db, g.id).length })),
  }));
}

export function groupDetail(ctx: Pick<Ctx, 'db'>, assemblyId: string, groupId: string) {
  const g = groupOf(ctx.db, assemblyId, groupId);
  const session = repo.session(ctx.db, g.sessionId)!;
  const members = repo.members(ctx.db, groupId).map((m) => ({ memberId: m.userId, pseudonym: m.pseudonym ?? 'member' }));
  const tracks = repo.tracks(ctx.db, groupId).map(trackView);
  const uploads = repo.openUploads(ctx.db, groupId).map((u) => ({ id: u.id, filename: u.filename, size: u.size, memberId: u.memberId, createdAt: u.createdAt }));
  return { ...g, session: { id: session.id, title: session.title, language: session.language }, members, tracks, openUploads: uploads };
}

export function trackView(t: TrackRow) {
  return {
    id: t.id,
    groupId: t.groupId,
    memberId: t.memberId,
    language: t.language,
    filename: t.filename,
    sizeBytes: t.sizeBytes,
    sha256: t.sha256,
    container: t.container,
    codec: t.codec,
    sampleRate: t.sampleRate,
    channels: t.channels,
    durationSec: t.durationSec,
    deletedAt: t.deletedAt,
    createdAt: t.createdAt,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Resumable uploads

const locks = new Map<string, Promise<unknown>>();
/** one operation at a time per upload (chunks of the same upload are serialised) */
async function locked<R>(key: string, fn: () => Promise<R>): Promise<R> {
  const prev = locks.get(key) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  const tail = run.catch(() => undefined);
  locks.set(key, tail);
  try {
    return await run;
  } finally {
    if (locks.get(key) === tail) locks.delete(key);
  }
}

export const partPath = (uploadsDir: string, assemblyId: string, uploadId: string) => join(uploadsDir, 'breakouts', assemblyId, 'parts', `${uploadId}.part`);
export const absPath = (uploadsDir: string, rel: string) => join(uploadsDir, rel);

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

export interface UploadStatus {
  id: string;
  groupId: string;
  memberId: string | null;
  filename: string;
  size: number;
  /** bytes stored so far: resume from here */
  offset: number;
  status: 'open' | 'completed' | 'aborted' | 'failed';
  error: string | null;
  trackId: string | null;
  chunkBytes: number;
}

export async function createUpload(
  ctx: Ctx,
  limits: BreakoutLimits,
  assemblyId: string,
  groupId: string,
  input: { filename: string; size: number; memberId?: string | null; language?: string | null },
): Promise<UploadStatus> {
  const g = groupOf(ctx.db, assemblyId, groupId);
  checkFilename(input.filename);
  if (input.size > limits.maxUploadBytes)
    throw new AppError('TOO_LARGE', `This recording is ${input.size} bytes; the limit is ${limits.maxUploadBytes} bytes (${Math.round(limits.maxUploadBytes / 1048576)} MiB).`, { limit: limits.maxUploadBytes });
  if (input.size <= 0) throw invalid('The recording is empty.', [{ path: 'size', message: 'Must be > 0' }]);
  const a = assembly(ctx.db, assemblyId);
  const language = input.language ? input.language.toLowerCase() : null;
  if (language && !a.languages.includes(language)) throw invalid(`'${language}' is not one of this assembly's languages.`, [{ path: 'language', message: 'Not an assembly language' }]);
  if (input.memberId) {
    const session = repo.session(ctx.db, g.sessionId)!;
    const m = repo.memberOfSession(ctx.db, g.sessionId, input.memberId);
    if (!m || m.groupId !== g.id)
      throw invalid(`Member '${input.memberId}' is not in group '${g.name}' of session '${session.title}': a track must belong to a member of the group.`, [{ path: 'memberId', message: 'Not a member of this group' }]);
  }
  const id = newId('up_');
  const part = partPath(ctx.config.uploadsDir, assemblyId, id);
  await mkdir(dirname(part), { recursive: true });
  const fh = await open(part, 'w');
  await fh.close();
  const row = ctx.db.transaction((tx) => {
    const u = repo.insertUpload(tx, { id, assemblyId, groupId, memberId: input.memberId ?? null, language, filename: input.filename.trim().slice(0, 200), size: input.size, createdBy: by(ctx) });
    recordAudit(tx, { actorId: by(ctx), action: 'breakouts.upload.create', subject: `upload:${id}`, data: { groupId, size: input.size, memberId: input.memberId ?? null } });
    return u;
  });
  return { ...statusOf(row, 0, limits) };
}

function statusOf(u: NonNullable<ReturnType<typeof repo.upload>>, offset: number, limits: BreakoutLimits): UploadStatus {
  return { id: u.id, groupId: u.groupId, memberId: u.memberId, filename: u.filename, size: u.size, offset, status: u.status, error: u.error, trackId: u.trackId, chunkBytes: limits.chunkBytes };
}

export async function uploadStatus(ctx: Ctx, limits: BreakoutLimits, assemblyId: string, uploadId: string): Promise<UploadStatus> {
  const u = uploadOf(ctx.db, assemblyId, uploadId);
  const offset = u.status === 'open' ? await sizeOf(partPath(ctx.config.uploadsDir, assemblyId, uploadId)) : u.status === 'completed' ? u.size : 0;
  return statusOf(u, offset, limits);
}

/** Writes one chunk at `offset`, which must be the number of bytes already stored (409 with the right offset otherwise). */
export async function writeChunk(ctx: Ctx, limits: BreakoutLimits, assemblyId: string, uploadId: string, offset: number, bytes: Uint8Array): Promise<UploadStatus> {
  return locked(uploadId, async () => {
    const u = uploadOf(ctx.db, assemblyId, uploadId);
    if (u.status !== 'open') throw conflict(`This upload is ${u.status}; start a new one.`);
    const part = partPath(ctx.config.uploadsDir, assemblyId, uploadId);
    const stored = await sizeOf(part);
    if (offset !== stored) throw new AppError('CONFLICT', `This upload has ${stored} bytes stored; send the chunk that starts at ${stored}.`, { offset: stored });
    if (offset + bytes.length > u.size)
      throw new AppError('TOO_LARGE', `This chunk ends at byte ${offset + bytes.length}, past the ${u.size} bytes declared for the upload.`, { offset: stored, size: u.size });
    if (bytes.length === 0) return statusOf(u, stored, limits);
    const fh = await open(part, 'r+');
    try {
      await fh.write(bytes, 0, bytes.length, offset);
      await fh.sync();
    } finally {
      await fh.close();
    }
    const row = repo.updateUpload(ctx.db, uploadId, {}) ?? u;
    return statusOf(row, offset + bytes.length, limits);
  });
}

async function fileSha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Maps a refused audio input to a clear problem: 415 for codecs, 503 for a missing decoder, 422 otherwise. */
export function audioProblem(e: AudioInputError, filename: string): AppError {
  const msg = e.message.split(/:\s*\//)[0]; // drop the server-side path
  switch (e.problem) {
    case 'UNSUPPORTED':
      return new AppError('UNSUPPORTED_MEDIA', `'${filename}': ${msg}.`, { problem: e.problem });
    case 'DECODER_MISSING':
      return new AppError('UNAVAILABLE', `The audio decoder is not installed on this server (${e.fix ?? 'ffmpeg'}).`, { problem: e.problem });
    default:
      return new AppError('VALIDATION', `'${filename}' cannot be used: ${msg}.`, { problem: e.problem, errors: [{ path: 'file', message: e.problem.toLowerCase() }] });
  }
}

/** Stored, but with something the uploader should know (a file that looks cut short). */
export interface TrackWarning {
  code: 'TRUNCATED';
  file: string;
  decodedSec: number;
  declaredSec: number | null;
  message: string;
}

/**
 * Verifies the whole file (size and sha256), probes it (container, codec, sample rate, duration), and only then
 * stores it as a track of the group. Any refusal removes the partial file and marks the upload failed.
 */
export async function completeUpload(ctx: Ctx, limits: BreakoutLimits, assemblyId: string, uploadId: string, sha256: string) {
  return locked(uploadId, async () => {
    const u = uploadOf(ctx.db, assemblyId, uploadId);
    if (u.status === 'completed' && u.trackId) return trackView(trackOf(ctx.db, assemblyId, u.trackId)); // a retried completion
    if (u.status !== 'open') throw conflict(`This upload is ${u.status}; start a new one.`);
    const part = partPath(ctx.config.uploadsDir, assemblyId, uploadId);
    const stored = await sizeOf(part);
    if (stored !== u.size) throw new AppError('CONFLICT', `Only ${stored} of ${u.size} bytes are stored; send the rest before completing.`, { offset: stored });
    const fail = async (err: AppError): Promise<never> => {
      await rm(part, { force: true });
      ctx.db.transaction((tx) => {
        repo.updateUpload(tx, uploadId, { status: 'failed', error: err.detail });
        recordAudit(tx, { actorId: by(ctx), action: 'breakouts.upload.fail', subject: `upload:${uploadId}`, data: { code: err.code, detail: err.detail } });
      });
      throw err;
    };
    const actual = await fileSha256(part);
    if (actual !== sha256.toLowerCase())
      return fail(new AppError('VALIDATION', `The stored file's sha256 is ${actual}, not ${sha256}: the upload was damaged. Upload it again.`, { errors: [{ path: 'sha256', message: 'Does not match the stored bytes' }] }));
    let info;
    try {
      info = await probeAudio(part);
    } catch (e) {
      if (e instanceof AudioInputError) return fail(audioProblem(e, u.filename));
      throw e;
    }
    // a file cut short may still probe (an Ogg file holds no total duration): store it, and say so
    const warnings: TrackWarning[] = [];
    const whole = await checkComplete(info).catch(() => null);
    if (whole?.problem) {
      if (whole.decodedSec < 0.1) return fail(new AppError('VALIDATION', `'${u.filename}' is cut short (${whole.problem}) and holds no audio that can be decoded. Upload the complete file.`, { errors: [{ path: 'file', message: 'truncated' }] }));
      warnings.push({ code: 'TRUNCATED', file: u.filename, decodedSec: whole.decodedSec, declaredSec: whole.declaredSec, message: `'${u.filename}' looks cut short: ${whole.problem}. It was stored, but only ${whole.decodedSec.toFixed(1)} s of it can be decoded; if the recording was longer, upload the complete file again.` });
      ctx.logger.warn({ uploadId, problem: whole.problem, decodedSec: whole.decodedSec }, 'truncated audio upload');
    }
    try {
      checkProbed(info, u.filename);
      if (info.durationSec > limits.maxDurationSec)
        throw new AppError('VALIDATION', `'${u.filename}' lasts ${Math.round(info.durationSec)} s; recordings up to ${limits.maxDurationSec} s are accepted.`, { limit: limits.maxDurationSec, errors: [{ path: 'file', message: 'too long' }] });
      if (u.memberId) {
        const others = repo.liveTracks(ctx.db, u.groupId).filter((t) => t.memberId).map((t) => t.durationSec);
        checkTrackDuration(info.durationSec, others, limits.trackDurationToleranceSec);
      }
    } catch (e) {
      if (e instanceof AppError) return fail(e);
      throw e;
    }
    const g = repo.group(ctx.db, u.groupId)!;
    const trackId = newId('tr_');
    const ext = checkFilename(u.filename);
    const rel = join('breakouts', assemblyId, `${trackId}.${ext}`);
    const final = absPath(ctx.config.uploadsDir, rel);
    await rename(part, final);
    try {
      return ctx.db.transaction((tx) => {
        const t = repo.insertTrack(tx, {
          id: trackId, assemblyId, sessionId: g.sessionId, groupId: g.id, memberId: u.memberId, language: u.language, filename: u.filename, path: rel,
          sizeBytes: u.size, sha256: actual, container: info.container, codec: info.codec, sampleRate: info.sampleRate, channels: info.channels, durationSec: info.durationSec, createdBy: by(ctx),
        });
        repo.updateUpload(tx, uploadId, { status: 'completed', trackId });
        recordAudit(tx, { actorId: by(ctx), action: 'breakouts.track.store', subject: `track:${trackId}`, data: { groupId: g.id, sha256: actual, bytes: u.size, durationSec: info.durationSec, memberId: u.memberId, ...(warnings.length ? { truncated: whole?.problem } : {}) } });
        return { ...trackView(t), warnings };
      });
    } catch (e) {
      await rm(final, { force: true });
      throw e;
    }
  });
}

export async function abortUpload(ctx: Ctx, limits: BreakoutLimits, assemblyId: string, uploadId: string): Promise<UploadStatus> {
  return locked(uploadId, async () => {
    const u = uploadOf(ctx.db, assemblyId, uploadId);
    if (u.status === 'completed') throw conflict('This upload is already stored as a track; it cannot be aborted.');
    await rm(partPath(ctx.config.uploadsDir, assemblyId, uploadId), { force: true });
    const row = ctx.db.transaction((tx) => {
      const r = repo.updateUpload(tx, uploadId, { status: 'aborted' })!;
      recordAudit(tx, { actorId: by(ctx), action: 'breakouts.upload.abort', subject: `upload:${uploadId}`, data: {} });
      return r;
    });
    return statusOf(row, 0, limits);
  });
}

/** Aborts open uploads untouched for `staleUploadHours` (their partial files are removed). */
export async function cleanupStaleUploads(ctx: Ctx, limits: BreakoutLimits, assemblyId: string): Promise<{ aborted: string[] }> {
  assembly(ctx.db, assemblyId);
  const before = new Date(ctx.clock().getTime() - limits.staleUploadHours * 3600_000).toISOString();
  const stale = repo.staleUploads(ctx.db, assemblyId, before);
  for (const u of stale) await abortUpload(ctx, limits, assemblyId, u.id);
  return { aborted: stale.map((u) => u.id) };
}

// ---------------------------------------------------------------------------------------------------------
// Audio, transcription

const MIME: Record<string, string> = { wav: 'audio/wav', ogg: 'audio/ogg', opus: 'audio/ogg', oga: 'audio/ogg', webm: 'audio/webm', mp3: 'audio/mpeg', m4a: 'audio/mp4', mp4: 'audio/mp4', aac: 'audio/aac', flac: 'audio/flac' };

export async function audioFile(ctx: Ctx, assemblyId: string, trackId: string) {
  const t = trackOf(ctx.db, assemblyId, trackId);
  if (t.deletedAt) throw new AppError('GONE', `The audio of this track was deleted on ${t.deletedAt} (retention setting); its checksum was ${t.sha256}.`);
  const file = absPath(ctx.config.uploadsDir, t.path);
  const size = await sizeOf(file);
  if (size === 0) throw new AppError('GONE', 'The audio file of this track is missing from storage.');
  return { file, size, contentType: MIME[t.path.split('.').pop() ?? ''] ?? 'application/octet-stream', filename: t.filename };
}

export function requestTranscription(ctx: Ctx, jobs: Pick<JobQueue, 'enqueue' | 'list'>, assemblyId: string, groupId: string) {
  const g = groupOf(ctx.db, assemblyId, groupId);
  if (repo.liveTracks(ctx.db, groupId).length === 0) throw new AppError('PRECONDITION_FAILED', `Group '${g.name}' has no stored recording to transcribe; upload one first.`);
  const running = jobs.list({ assemblyId, type: TRANSCRIBE_JOB, status: ['queued', 'running'] }).find((j) => (j.payload as { groupId?: string }).groupId === groupId);
  if (running) return running;
  return ctx.db.transaction((tx) => {
    const job = jobs.enqueue(tx, { type: TRANSCRIBE_JOB, assemblyId, payload: { groupId }, createdBy: by(ctx) });
    recordAudit(tx, { actorId: by(ctx), action: 'breakouts.transcribe.request', subject: `job:${job.id}`, data: { groupId } });
    return job;
  });
}

/** The latest transcript review item of a group (any status), for the facilitator. */
export function latestTranscriptItem(ctx: Pick<Ctx, 'db'>, review: ReviewQueue, assemblyId: string, groupId: string) {
  return review.list(ctx.db, { assemblyId, kind: TRANSCRIPT_KIND, limit: 200 }).find((i) => i.subject === groupSubject(groupId)) ?? null;
}

// ---------------------------------------------------------------------------------------------------------
// Participant views (published rows only)

export function publishedTranscript(ctx: Ctx, assemblyId: string, groupId: string) {
  const g = groupOf(ctx.db, assemblyId, groupId);
  const row = repo.transcriptOfGroup(ctx.db, groupId);
  if (!row) throw notFound('Approved transcript of group', g.name);
  const names = repo.pseudonyms(ctx.db, assemblyId);
  const segments = (row.segments as TranscriptPayload['segments'])
    .filter((s) => s.text.trim())
    .map((s) => ({ start: s.start, end: s.end, speaker: speakerLabel(s.speakerId, names), text: s.text, language: s.language }));
  return { groupId, groupName: g.name, language: row.language, publishedAt: row.publishedAt, segments };
}

export function publishedIdeas(ctx: Ctx, assemblyId: string) {
  assembly(ctx.db, assemblyId);
  const rows = repo.ideas(ctx.db, assemblyId);
  const groups = new Map(repo.groupsByIds(ctx.db, [...new Set(rows.map((r) => r.groupId))]).map((g) => [g.id, g]));
  const sessions = new Map(repo.sessions(ctx.db, assemblyId).map((s) => [s.id, s]));
  const names = repo.pseudonyms(ctx.db, assemblyId);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    text: r.text,
    quote: r.quote,
    start: r.start,
    end: r.end,
    speaker: speakerLabel(r.speakerId, names),
    language: r.language,
    groupId: r.groupId,
    groupName: groups.get(r.groupId)?.name ?? '',
    sessionTitle: sessions.get(r.sessionId)?.title ?? '',
    publishedAt: r.publishedAt,
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Review kinds

export function breakoutKinds(jobs: Pick<JobQueue, 'enqueue'>, review: Pick<ReviewQueue, 'pendingWithPrefix' | 'supersedePending'>): ReviewKind<any>[] {
  const transcript: ReviewKind<z.infer<typeof TranscriptPayload>> = {
    kind: TRANSCRIPT_KIND,
    label: 'breakout transcript',
    payload: TranscriptPayload,
    publish(tx: Tx, { item, payload, reviewerId }) {
      const g = repo.group(tx, payload.groupId);
      if (!g || g.assemblyId !== item.assemblyId) throw notFound('Breakout group', payload.groupId);
      const members = new Set(repo.members(tx, g.id).map((m) => m.userId));
      const bad = payload.segments.filter((s) => s.speakerId && !members.has(s.speakerId));
      if (bad.length) throw invalid(`Segment ${bad[0].index}: the speaker is not a member of group '${g.name}'.`, bad.map((s) => ({ path: `segments.${s.index}.speakerId`, message: 'Not a member of this group' })));
      const row = repo.upsertTranscript(tx, { id: newId('bt_'), assemblyId: item.assemblyId, sessionId: g.sessionId, groupId: g.id, reviewItemId: item.id, language: payload.language, segments: payload.segments });
      const names = repo.pseudonyms(tx, item.assemblyId);
      const turns = payload.segments
        .filter((s) => s.text.trim() && (s.status === 'transcribed' || s.status === 'edited'))
        .map((s) => ({ id: s.index, text: s.text, speaker: speakerLabel(s.speakerId, names) }));
      // a stable id per group: approving a later run (or a corrected version) replaces the turns an earlier approval
      // added — unchanged turns keep their contribution, changed or vanished ones are replaced or removed
      const contributions = replaceContributionsFromTranscript(tx, jobs, review, { assemblyId: item.assemblyId, transcriptId: `breakout:${g.id}`, language: payload.language, turns, approvedBy: item.id });
      jobs.enqueue(tx, { type: IDEAS_JOB, assemblyId: item.assemblyId, payload: { transcriptId: row.id }, idempotencyKey: `ideas:${row.id}` });
      const a = assembliesRepo.byId(tx, item.assemblyId);
      if (a?.deleteAudioAfterApproval) jobs.enqueue(tx, { type: PURGE_AUDIO_JOB, assemblyId: item.assemblyId, payload: { groupId: g.id, transcriptId: row.id }, idempotencyKey: `purge:${row.id}` });
      recordAudit(tx, { actorId: reviewerId, action: 'breakouts.transcript.publish', subject: `breakout-transcript:${row.id}`, data: { groupId: g.id, segments: payload.segments.length, contributions: contributions.ids.length, contributionsRemoved: contributions.removed.length, citingWithdrawn: contributions.withdrawn.publications.length + contributions.withdrawn.consensus.length, deleteAudio: !!a?.deleteAudioAfterApproval } });
    },
  };
  const idea: ReviewKind<z.infer<typeof IdeaPayload>> = {
    kind: IDEA_KIND,
    label: 'breakout idea',
    payload: IdeaPayload,
    publish(tx: Tx, { item, payload }) {
      const g = repo.group(tx, payload.groupId);
      if (!g || g.assemblyId !== item.assemblyId) throw notFound('Breakout group', payload.groupId);
      repo.upsertIdea(tx, {
        id: newId('bi_'), assemblyId: item.assemblyId, sessionId: g.sessionId, groupId: g.id, transcriptId: payload.transcriptId, reviewItemId: item.id, subject: item.subject,
        kind: payload.kind, text: payload.text, quote: payload.quote, start: payload.start, end: payload.end, speakerId: payload.speakerId, language: payload.language,
      });
    },
  };
  return [transcript, idea];
}
