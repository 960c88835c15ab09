/**
 * Breakout jobs: transcription (resumable, cancellable, bounded memory), idea extraction from an approved
 * transcript, and deletion of raw audio after approval (retention). AI output goes to review only.
 */
import { rm } from 'node:fs/promises';
import { z } from 'zod';
import { AudioInputError } from '../../../models/audio/errors.js';
import { streamPcm } from '../../../models/audio/ffmpeg.js';
import { ModelError, type LanguageId } from '../../../models/types.js';
import { extractIdeas, STAGE as IDEAS_STAGE } from '../../../pipelines/ideas/index.js';
import { STAGE, transcribeTracks, type PcmSource, type TrackInput, type TranscribedSegment } from '../../../pipelines/transcription/index.js';
import type { Deps } from '../../deps.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { sha256 } from '../../platform/ids.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { groupSubject, IDEA_KIND, IDEAS_JOB, PURGE_AUDIO_JOB, TRANSCRIBE_JOB, TRANSCRIPT_KIND, type TranscriptPayload } from './domain.js';
import { breakoutsRepo as repo, type TrackRow } from './repo.js';
import { absPath, audioProblem } from './service.js';

/** What a transcription run keeps in its checkpoint: finished segments (without word lists, to stay small). */
interface TranscribeCheckpoint {
  segments: TranscribedSegment[];
}

/** Seconds of audio decoded at a time: bounds memory (one window of float samples per track in flight). */
export const WINDOW_SEC = 120;

/**
 * A PcmSource over ffmpeg that also checks the whole track was decoded: a file cut short (a truncated MP3 decodes
 * without an error) is refused with a clear message instead of silently transcribing half a meeting.
 */
export function checkedDecoder(tracks: Array<{ path: string; durationSec: number; filename: string }>, source: PcmSource = streamPcm): PcmSource {
  return async function* (path, opts) {
    const t = tracks.find((x) => x.path === path);
    let samples = 0;
    for await (const chunk of source(path, opts)) {
      samples += chunk.length;
      yield chunk;
    }
    const decoded = samples / opts.sampleRate;
    if (t && t.durationSec > 0 && decoded < t.durationSec * 0.9 - 1)
      throw new AudioInputError('TRUNCATED', `only ${decoded.toFixed(1)} s of the ${t.durationSec.toFixed(1)} s announced could be decoded: the file is truncated or damaged: ${path}`);
  };
}

async function optional<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ModelError && e.code === 'MISSING_BACKEND') return undefined;
    throw e;
  }
}

function mostCommon(xs: Array<string | null>): string | null {
  const n = new Map<string, number>();
  for (const x of xs) if (x) n.set(x, (n.get(x) ?? 0) + 1);
  let best: string | null = null;
  for (const [k, v] of n) if (best === null || v > n.get(best)!) best = k;
  return best;
}

export function registerBreakoutJobs(deps: Deps, opts: { decode?: PcmSource } = {}) {
  deps.jobs.register(TRANSCRIBE_JOB, {
    payload: z.object({ groupId: z.string() }),
    maxAttempts: 3,
    async handler(ctx) {
      const { groupId } = ctx.job.payload;
      const g = repo.group(ctx.db, groupId);
      if (!g) throw new AppError('NOT_FOUND', `Breakout group ${groupId} no longer exists.`);
      const session = repo.session(ctx.db, g.sessionId)!;
      const a = assembliesRepo.byId(ctx.db, g.assemblyId)!;
      const tracks: TrackRow[] = repo.liveTracks(ctx.db, groupId);
      if (tracks.length === 0) throw new AppError('PRECONDITION_FAILED', `Group '${g.name}' has no stored recording (the audio may have been deleted).`);
      ctx.progress(0.01, 'loading speech models');
      const [vad, transcriber] = await Promise.all([deps.models.get('voiceActivity'), deps.models.get('transcriber')]);
      const languageId: LanguageId | undefined = await optional(deps.models.get('languageId'));
      const saved = ctx.checkpoint.get<TranscribeCheckpoint>();
      const done: TranscribedSegment[] = saved?.segments ?? [];
      const files = tracks.map((t) => ({ path: absPath(deps.config.uploadsDir, t.path), durationSec: t.durationSec, filename: t.filename }));
      const inputs: TrackInput[] = tracks.map((t, i) => ({ path: files[i].path, speakerId: t.memberId, language: t.language ?? session.language ?? undefined, durationSec: t.durationSec }));
      let result;
      try {
        result = await transcribeTracks(
          inputs,
          { vad, transcriber, languageId, decode: checkedDecoder(files, opts.decode) },
          {
            windowSec: WINDOW_SEC,
            candidateLanguages: a.languages,
            completed: done,
            signal: ctx.signal,
            onSegment: (s) => {
              done.push({ ...s, words: [] });
              ctx.checkpoint.set({ segments: done } satisfies TranscribeCheckpoint);
            },
            onProgress: (p) => ctx.progress(0.02 + p.fraction * 0.95, p.message),
          },
        );
      } catch (e) {
        if (e instanceof AudioInputError) {
          const i = files.findIndex((f) => e.message.includes(f.path));
          const name = i >= 0 ? files[i].filename : 'a recording';
          const p = audioProblem(e, name);
          throw new AppError('VALIDATION', `${p.detail.replace(/\.$/, '')}. Nothing was submitted for review; replace the file and run the transcription again.`, { problem: e.problem });
        }
        throw e;
      }
      const counts = result.counts;
      const segments = result.segments;
      const withSpeech = segments.filter((s) => s.status !== 'empty');
      if (withSpeech.length === 0) {
        return ctx.complete(() => ({ status: 'nothing-to-transcribe', message: 'No speech was found in the recordings: nothing to transcribe.', counts, segments: segments.length }));
      }
      const payload: TranscriptPayload = {
        groupId,
        sessionId: g.sessionId,
        language: mostCommon(segments.filter((s) => s.status === 'transcribed').map((s) => s.language)) ?? session.language,
        segments: withSpeech.map((s) => ({
          index: s.index, trackIndex: s.trackIndex, start: s.start, end: s.end, speakerId: s.speakerId, text: s.text, language: s.language,
          status: s.status, ...(s.reason ? { reason: s.reason } : {}), confidence: s.confidence,
        })),
        counts: { ...counts },
      };
      ctx.progress(0.98, 'submitting the transcript for review');
      return ctx.complete((tx) => {
        const item = deps.review.submit(tx, {
          assemblyId: g.assemblyId,
          kind: TRANSCRIPT_KIND,
          subject: groupSubject(groupId),
          title: `Transcript: ${session.title} — ${g.name}`,
          payload,
          sources: tracks.map((t) => ({ type: 'track', id: t.id, filename: t.filename, sha256: t.sha256, memberId: t.memberId, durationSec: t.durationSec })),
          provenance: {
            stage: STAGE.name,
            version: STAGE.version,
            modelIds: [transcriber.provenance.modelId, vad.provenance.modelId],
            weightsSha256: [transcriber.provenance.weightsSha256, vad.provenance.weightsSha256],
            params: { ...result.params, transcriberBackend: transcriber.provenance.backend, resumed: counts.resumed },
            seed: null,
            inputHash: sha256(tracks.map((t) => `${t.id}:${t.sha256}:${t.memberId ?? ''}`).join('|')),
          },
          jobId: ctx.job.id,
        });
        return { status: 'submitted', reviewItemId: item.id, counts, segments: payload.segments.length };
      });
    },
  });

  deps.jobs.register(IDEAS_JOB, {
    payload: z.object({ transcriptId: z.string() }),
    maxAttempts: 3,
    async handler(ctx) {
      const tr = repo.transcript(ctx.db, ctx.job.payload.transcriptId);
      if (!tr) return { status: 'superseded', message: 'The transcript was replaced by a newer approval; nothing to do.' };
      const g = repo.group(ctx.db, tr.groupId)!;
      const segments = (tr.segments as TranscriptPayload['segments']).filter((s) => s.text.trim() && s.status !== 'untranscribed');
      ctx.progress(0.2, `looking for ideas in ${segments.length} segments`);
      const candidates = extractIdeas(segments.map((s) => ({ index: s.index, speakerId: s.speakerId, start: s.start, end: s.end, text: s.text, language: s.language })));
      return ctx.complete((tx) => {
        const ids = candidates.map((c) =>
          deps.review.submit(tx, {
            assemblyId: tr.assemblyId,
            kind: IDEA_KIND,
            subject: `breakout-idea:${g.id}:${c.segmentIndex}:${c.charStart}`,
            title: `${c.kind === 'proposal' ? 'Proposal' : 'Claim'} from ${g.name}: ${c.quote.slice(0, 80)}`,
            payload: {
              transcriptId: tr.id, groupId: g.id, sessionId: g.sessionId, kind: c.kind, text: c.quote, quote: c.quote, segmentIndex: c.segmentIndex,
              start: c.start, end: c.end, speakerId: c.speakerId, score: c.score, cues: c.cues, language: c.language,
            },
            sources: [{ type: 'breakout-transcript', id: tr.id, segmentIndex: c.segmentIndex, text: segments.find((s) => s.index === c.segmentIndex)?.text ?? '' }],
            provenance: { stage: IDEAS_STAGE.name, version: IDEAS_STAGE.version, modelIds: [], weightsSha256: [], params: { minScore: 0.4, rules: 'cue phrases (fr, en)' }, seed: null, inputHash: sha256(JSON.stringify(segments.map((s) => s.text))) },
            jobId: ctx.job.id,
          }).id,
        );
        return { status: 'submitted', candidates: ids.length, reviewItemIds: ids };
      });
    },
  });

  deps.jobs.register(PURGE_AUDIO_JOB, {
    payload: z.object({ groupId: z.string(), transcriptId: z.string() }),
    maxAttempts: 5,
    async handler(ctx) {
      const tracks = repo.liveTracks(ctx.db, ctx.job.payload.groupId);
      // files first (a re-run after a crash finds them gone and only records it), then the rows, audited
      for (const t of tracks) await rm(absPath(deps.config.uploadsDir, t.path), { force: true });
      return ctx.complete((tx) => {
        const at = new Date().toISOString();
        for (const t of tracks) {
          repo.markTrackDeleted(tx, t.id, at);
          recordAudit(tx, { actorId: null, action: 'breakouts.audio.delete', subject: `track:${t.id}`, data: { groupId: t.groupId, sha256: t.sha256, reason: 'deleteAudioAfterApproval', transcriptId: ctx.job.payload.transcriptId } });
        }
        return { deleted: tracks.map((t) => ({ id: t.id, sha256: t.sha256 })) };
      });
    },
  });
}
