/** Breakouts: pure rules (limits, accepted formats, Content-Range, review payloads). No I/O. */
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';

export const TRANSCRIPT_KIND = 'transcript';
export const IDEA_KIND = 'idea';
export const TRANSCRIBE_JOB = 'breakouts.transcribe';
export const IDEAS_JOB = 'breakouts.ideas';
export const PURGE_AUDIO_JOB = 'breakouts.purgeAudio';
export const UNKNOWN_SPEAKER = 'unknown speaker';

/** Upload limits (config-like constants; the module factory takes overrides, tests use small ones). */
export interface BreakoutLimits {
  /** largest recording accepted, bytes (an hour of 48 kHz stereo 16-bit WAV is ~690 MB) */
  maxUploadBytes: number;
  /** longest recording accepted, seconds */
  maxDurationSec: number;
  /** chunk size the uploader is told to use, bytes (each chunk must also fit the server's uploadLimit) */
  chunkBytes: number;
  /** tracks of one group differing in length by more than max(this, 10 %) are refused as not from the same session */
  trackDurationToleranceSec: number;
  /** open uploads untouched this long are removed by cleanup */
  staleUploadHours: number;
}
export const DEFAULT_LIMITS: BreakoutLimits = {
  maxUploadBytes: 1024 * 1024 * 1024,
  maxDurationSec: 3 * 3600,
  chunkBytes: 8 * 1024 * 1024,
  trackDurationToleranceSec: 30,
  staleUploadHours: 48,
};

/** File extensions and the containers ffprobe reports for them. */
export const ACCEPTED_EXTENSIONS = ['wav', 'ogg', 'opus', 'oga', 'webm', 'mp3', 'm4a', 'mp4', 'aac', 'flac'] as const;
const ACCEPTED_CONTAINERS = ['wav', 'ogg', 'matroska', 'webm', 'mp3', 'mov', 'mp4', 'm4a', 'aac', 'flac'];
const ACCEPTED_CODECS = [/^pcm_/, /^opus$/, /^vorbis$/, /^mp3$/, /^aac$/, /^flac$/, /^alac$/];
export const FORMATS_HINT = 'WAV (PCM), Ogg/Opus, WebM (Opus/Vorbis), MP3 or M4A (AAC)';

export function extensionOf(filename: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(filename.trim());
  return m ? m[1].toLowerCase() : '';
}

/** Refuses a file name whose extension is not an accepted audio format (415). */
export function checkFilename(filename: string): string {
  const ext = extensionOf(filename);
  if (!(ACCEPTED_EXTENSIONS as readonly string[]).includes(ext))
    throw new AppError('UNSUPPORTED_MEDIA', `'${filename}' is not an accepted recording; send ${FORMATS_HINT} (.${ACCEPTED_EXTENSIONS.join(', .')}).`);
  return ext;
}

/** Refuses a probed container/codec outside the accepted list (415). */
export function checkProbed(info: { container: string; codec: string }, filename: string): void {
  const containers = info.container.split(',');
  if (!containers.some((c) => ACCEPTED_CONTAINERS.includes(c)))
    throw new AppError('UNSUPPORTED_MEDIA', `'${filename}' is a ${info.container} file; send ${FORMATS_HINT}.`, { container: info.container });
  if (!ACCEPTED_CODECS.some((re) => re.test(info.codec)))
    throw new AppError('UNSUPPORTED_MEDIA', `'${filename}' uses the ${info.codec} codec, which is not accepted; send ${FORMATS_HINT}.`, { codec: info.codec });
}

/** Refuses a track whose length does not match the group's other per-member tracks (recorded in the same session). */
export function checkTrackDuration(durationSec: number, others: number[], toleranceSec: number): void {
  if (others.length === 0) return;
  const ref = others.reduce((a, b) => a + b, 0) / others.length;
  const tol = Math.max(toleranceSec, ref * 0.1);
  if (Math.abs(durationSec - ref) > tol)
    throw new AppError(
      'VALIDATION',
      `This track lasts ${Math.round(durationSec)} s but the group's other tracks last about ${Math.round(ref)} s: it does not look like a recording of the same session. Check that it belongs to this group.`,
      { errors: [{ path: 'file', message: 'duration does not match the session' }] },
    );
}

/**
 * Where a chunk goes: `Content-Range: bytes a-b/total` (total may be '*') or an `offset` query parameter.
 * Returns the start offset; checks the range agrees with the body length and the declared size.
 */
export function chunkOffset(contentRange: string | undefined, offsetParam: string | undefined, bodyLength: number, size: number): number {
  if (contentRange) {
    const m = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(contentRange.trim());
    if (!m) throw new AppError('BAD_REQUEST', `Content-Range must look like "bytes 0-1048575/${size}"; got "${contentRange}".`);
    const start = Number(m[1]);
    const end = Number(m[2]);
    if (end < start || end - start + 1 !== bodyLength)
      throw new AppError('BAD_REQUEST', `Content-Range says ${end - start + 1} bytes but the body has ${bodyLength}.`);
    if (m[3] !== '*' && Number(m[3]) !== size) throw new AppError('BAD_REQUEST', `Content-Range total ${m[3]} differs from the upload's declared size ${size}.`);
    return start;
  }
  if (offsetParam !== undefined && /^\d+$/.test(offsetParam)) return Number(offsetParam);
  throw new AppError('BAD_REQUEST', 'Say where this chunk goes: a Content-Range header ("bytes start-end/total") or an ?offset= parameter.');
}

/** `Range: bytes=a-b` → [start, end] inclusive within size, or null for no/ignored range; throws 416-like for unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // multi-range or malformed: serve the whole file
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

// ---------------------------------------------------------------------------------------------------------
// Review payloads

export const TranscriptSegmentPayload = z.strictObject({
  index: z.number().int().min(0),
  trackIndex: z.number().int().min(0).default(0),
  start: z.number().min(0),
  end: z.number().min(0),
  /** the member speaking (a user id of the group); null = unknown speaker */
  speakerId: z.string().nullable(),
  text: z.string().max(20_000),
  language: z.string().max(8).nullable(),
  status: z.enum(['transcribed', 'untranscribed', 'empty', 'edited']),
  reason: z.string().max(1000).optional(),
  confidence: z.number().nullable().optional(),
});
export type TranscriptSegmentPayload = z.infer<typeof TranscriptSegmentPayload>;

export const TranscriptPayload = z.strictObject({
  groupId: z.string(),
  sessionId: z.string(),
  language: z.string().max(8).nullable(),
  segments: z.array(TranscriptSegmentPayload).max(20_000),
  counts: z.record(z.string(), z.number()).default({}),
});
export type TranscriptPayload = z.infer<typeof TranscriptPayload>;

export const IdeaPayload = z.strictObject({
  transcriptId: z.string(),
  groupId: z.string(),
  sessionId: z.string(),
  kind: z.enum(['proposal', 'claim']),
  /** the idea as it will be shown (starts as the quote; the facilitator may rephrase) */
  text: z.string().trim().min(1).max(2000),
  /** verbatim words from the transcript */
  quote: z.string().min(1).max(5000),
  segmentIndex: z.number().int().min(0),
  start: z.number().min(0),
  end: z.number().min(0),
  speakerId: z.string().nullable(),
  score: z.number().min(0).max(1),
  cues: z.array(z.string()).default([]),
  language: z.string().nullable(),
});
export type IdeaPayload = z.infer<typeof IdeaPayload>;

export const groupSubject = (groupId: string) => `breakout-group:${groupId}`;

/** A member's pseudonym, or a neutral label; never the account name. */
export function speakerLabel(speakerId: string | null, pseudonyms: Map<string, string | null>): string {
  if (!speakerId) return UNKNOWN_SPEAKER;
  const p = pseudonyms.get(speakerId);
  return p ?? 'member';
}

/** mm:ss or h:mm:ss */
export function clock(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}
