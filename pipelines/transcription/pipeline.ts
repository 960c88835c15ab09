/**
 * Transcription of a recording made of one or more tracks (one file per speaker, or one mixed file).
 *
 * Stages, per track, window by window (memory stays bounded however long the recording):
 *   decode a window (the `decode` dependency streams PCM; ffmpeg in production)
 *   → voice activity → regions (pad 0.2 s, merge short gaps, ≤ 30 s)
 *   → language per region → transcription, regions in parallel (`concurrency`, default 2 = both cores)
 *   → one TranscribedSegment per region, emitted through `onSegment` as soon as it is done (checkpoint).
 *
 * Language: audio language id is not available offline (fastText works on text; no spoken-language-id
 * model exists here), so the language of speech comes from the assembly: each track declares it
 * (`track.language`). A region in a language the transcriber does not cover is returned `untranscribed`
 * with a reason — never English-sounding garbage. When a track does not declare a language, each
 * region is transcribed with the first candidate language the transcriber supports and then checked:
 * the text must be identified as that language by the LanguageId model (when given) and pocketsphinx'
 * mean word confidence must reach `minConfidence`; otherwise the region is `untranscribed`
 * (languageSource 'detected' / 'unknown'). See evals/asr for how well that check works.
 *
 * Speakers: a track with a speakerId attributes every segment to that member; a track without one (a
 * mixed recording) labels its turns "unknown speaker" with speakerId null — no names are ever guessed.
 *
 * Resuming: region indexes are stable for the same input and options (tracks in order, regions in time
 * order). Pass the segments a previous run finished in `completed`; they are not transcribed again and
 * reappear in the result. Cancellation: `signal` stops between regions and is passed on to the
 * transcriber (adapters that understand it kill their process).
 */
import type { LanguageId, Provenance, SpeechRegion, Transcriber, VoiceActivity, Word } from '../../models/types.js';
import { ModelError } from '../../models/types.js';
import { planRegions, type RegionPlanOptions } from './regions.js';

export const STAGE = { name: 'transcription', version: '1.0.0' } as const;
const RATE = 16000;

export interface TrackInput {
  /** audio file path (anything the decode dependency reads) */
  path: string;
  /** the member speaking on this track; null for a mixed recording */
  speakerId: string | null;
  /** declared spoken language (ISO 639-1); undefined = detect among `candidateLanguages` */
  language?: string;
  /** seconds, if known (ffprobe); used for progress */
  durationSec?: number;
}

export type SegmentStatus = 'transcribed' | 'untranscribed' | 'empty';

export interface TranscribedSegment {
  /** stable index across the whole job (tracks in order, regions in time order) */
  index: number;
  trackIndex: number;
  speakerId: string | null;
  /** 'unknown speaker' for turns of a mixed recording */
  speakerLabel: string | null;
  /** seconds from the start of the track */
  start: number;
  end: number;
  text: string;
  words: Word[];
  confidence: number | null;
  language: string | null;
  languageSource: 'declared' | 'detected' | 'unknown';
  status: SegmentStatus;
  /** why a segment is untranscribed */
  reason?: string;
  provenance: Provenance | null;
}

export interface Progress {
  fraction: number; // 0..1
  message: string;
}

/** Streams 16 kHz mono PCM in chunks (models/audio `streamPcm`). */
export type PcmSource = (path: string, opts: { sampleRate: number; chunkSamples: number; signal?: AbortSignal }) => AsyncIterable<Float32Array>;

export interface TranscriptionDeps {
  vad: VoiceActivity;
  transcriber: Transcriber;
  decode: PcmSource;
  /** text language id, used only for tracks without a declared language */
  languageId?: LanguageId;
}

export interface TranscriptionOptions extends RegionPlanOptions {
  /** regions transcribed at once (default 2: both cores) */
  concurrency?: number;
  /** seconds of audio decoded and analysed at a time (default 300) */
  windowSec?: number;
  /** languages the assembly works in, for tracks without a declared language */
  candidateLanguages?: string[];
  /** minimum mean word confidence for a detected-language region (default 0.3) */
  minConfidence?: number;
  /** segments finished by an earlier run, by index */
  completed?: TranscribedSegment[];
  onSegment?: (segment: TranscribedSegment) => void | Promise<void>;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export interface TranscriptionResult {
  segments: TranscribedSegment[];
  counts: { transcribed: number; untranscribed: number; empty: number; resumed: number };
  stage: typeof STAGE;
  params: Record<string, unknown>;
}

interface Job {
  index: number;
  trackIndex: number;
  track: TrackInput;
  start: number; // absolute seconds in the track
  audio: Float32Array;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  if (a.length === 0) return b;
  const out = new Float32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Runs `fn` over items with at most `n` in flight; rejects on the first error. */
async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}

export async function transcribeTracks(tracks: TrackInput[], deps: TranscriptionDeps, opts: TranscriptionOptions = {}): Promise<TranscriptionResult> {
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const windowSec = Math.max(10, opts.windowSec ?? 300);
  const maxSec = opts.maxSec ?? 30;
  const minConfidence = opts.minConfidence ?? 0.3;
  const candidates = (opts.candidateLanguages ?? []).map((l) => l.toLowerCase());
  const completed = new Map((opts.completed ?? []).map((s) => [s.index, s]));
  const signal = opts.signal;
  const results: TranscribedSegment[] = [];
  const counts = { transcribed: 0, untranscribed: 0, empty: 0, resumed: 0 };
  const totalSec = tracks.reduce((a, t) => a + (t.durationSec ?? 0), 0);
  const knownTotal = tracks.every((t) => (t.durationSec ?? 0) > 0) && totalSec > 0;
  let doneSec = 0;
  let nextIndex = 0;
  const report = (message: string, trackIdx: number, trackFrac: number) => {
    const fraction = knownTotal ? Math.min(1, doneSec / totalSec) : Math.min(1, (trackIdx + trackFrac) / Math.max(1, tracks.length));
    opts.onProgress?.({ fraction, message });
  };

  const finish = async (seg: TranscribedSegment, resumed: boolean) => {
    results.push(seg);
    if (resumed) counts.resumed++;
    else {
      counts[seg.status]++;
      await opts.onSegment?.(seg);
    }
  };

  const transcribeJob = async (job: Job): Promise<TranscribedSegment> => {
    const base = {
      index: job.index,
      trackIndex: job.trackIndex,
      speakerId: job.track.speakerId,
      speakerLabel: job.track.speakerId === null ? 'unknown speaker' : null,
      start: round3(job.start),
      end: round3(job.start + job.audio.length / RATE),
    };
    const untranscribed = (reason: string, language: string | null, source: TranscribedSegment['languageSource']): TranscribedSegment => ({
      ...base, text: '', words: [], confidence: null, language, languageSource: source, status: 'untranscribed', reason, provenance: null,
    });
    const declared = job.track.language?.toLowerCase();
    let lang: string;
    let source: TranscribedSegment['languageSource'];
    if (declared && declared !== 'auto') {
      if (!deps.transcriber.languages.includes(declared))
        return untranscribed(`no speech-to-text model for '${declared}' (installed: ${deps.transcriber.languages.join(', ') || 'none'})`, declared, 'declared');
      lang = declared;
      source = 'declared';
    } else {
      const usable = candidates.filter((c) => deps.transcriber.languages.includes(c));
      if (usable.length === 0) return untranscribed(`language not declared and no candidate language has a model (candidates: ${candidates.join(', ') || 'none'})`, null, 'unknown');
      lang = usable[0];
      source = 'detected';
    }
    let r;
    try {
      r = await deps.transcriber.transcribe(job.audio, { language: lang, signal } as { language: string });
    } catch (e) {
      if (e instanceof ModelError && e.code === 'UNSUPPORTED_LANGUAGE') return untranscribed(e.message, lang, source);
      throw e;
    }
    const words: Word[] = [];
    const texts: string[] = [];
    let confSum = 0;
    let confN = 0;
    for (const s of r.output) {
      if (s.text.trim()) texts.push(s.text.trim());
      for (const w of s.words ?? []) words.push({ word: w.word, start: round3(w.start + job.start), end: round3(w.end + job.start) });
      if (typeof s.confidence === 'number') {
        const n = Math.max(1, s.words?.length ?? 1);
        confSum += s.confidence * n;
        confN += n;
      }
    }
    const text = texts.join(' ');
    const confidence = confN > 0 ? round3(confSum / confN) : null;
    if (!text) return { ...base, text: '', words: [], confidence, language: lang, languageSource: source, status: 'empty', provenance: r.provenance };
    if (source === 'detected') {
      if (confidence !== null && confidence < minConfidence)
        return untranscribed(`speech not recognised as '${lang}' (confidence ${confidence} < ${minConfidence})`, null, 'unknown');
      if (deps.languageId && candidates.length > 1) {
        const g = (await deps.languageId.identify([text])).output[0];
        if (g && g.lang !== lang && g.confidence >= 0.5)
          return untranscribed(`text of the '${lang}' transcription reads as '${g.lang}': the speech is probably not '${lang}'`, null, 'unknown');
      }
    }
    return { ...base, text, words, confidence, language: lang, languageSource: source, status: 'transcribed', provenance: r.provenance };
  };

  for (let ti = 0; ti < tracks.length; ti++) {
    const track = tracks[ti];
    signal?.throwIfAborted();
    let carry = new Float32Array(0);
    let carryStart = 0;
    let consumedSec = 0;

    const processBuffer = async (buf: Float32Array, bufStart: number, final: boolean): Promise<void> => {
      const dur = buf.length / RATE;
      const speech: SpeechRegion[] = (await deps.vad.detect(buf, RATE)).output;
      let regions = planRegions(speech, dur, opts);
      // speech running into the end of a non-final window continues in the next: carry it over
      let cutAt = dur;
      if (!final && regions.length > 0) {
        const last = regions[regions.length - 1];
        const lastSpeech = speech.length > 0 ? speech[speech.length - 1].end : 0;
        if (dur - lastSpeech < 0.5 && dur - last.start < maxSec * 2) {
          cutAt = last.start;
          regions = regions.slice(0, -1);
        }
      }
      const jobs: Job[] = regions.map((reg) => ({
        index: nextIndex++,
        trackIndex: ti,
        track,
        start: bufStart + reg.start,
        audio: buf.subarray(Math.floor(reg.start * RATE), Math.min(buf.length, Math.ceil(reg.end * RATE))),
      }));
      await pool(jobs, concurrency, async (job) => {
        signal?.throwIfAborted();
        const prior = completed.get(job.index);
        if (prior) return finish(prior, true);
        await finish(await transcribeJob(job), false);
      });
      const keepFrom = Math.floor(cutAt * RATE);
      carry = keepFrom < buf.length ? buf.slice(keepFrom) : new Float32Array(0);
      carryStart = bufStart + keepFrom / RATE;
    };

    for await (const chunk of deps.decode(track.path, { sampleRate: RATE, chunkSamples: windowSec * RATE, signal })) {
      signal?.throwIfAborted();
      const buf = concat(carry, chunk);
      const bufStart = carry.length > 0 ? carryStart : consumedSec;
      consumedSec += chunk.length / RATE;
      // a short chunk is the last one (the source yields full windows until the end)
      await processBuffer(buf, bufStart, chunk.length < windowSec * RATE);
      doneSec += chunk.length / RATE;
      report(`track ${ti + 1}/${tracks.length}: ${Math.round(consumedSec)} s processed`, ti, track.durationSec ? consumedSec / track.durationSec : 0.5);
    }
    if (carry.length > 0) await processBuffer(carry, carryStart, true);
    report(`track ${ti + 1}/${tracks.length} done`, ti, 1);
  }

  results.sort((a, b) => a.start - b.start || a.trackIndex - b.trackIndex || a.index - b.index);
  opts.onProgress?.({ fraction: 1, message: 'transcription done' });
  return {
    segments: results,
    counts,
    stage: STAGE,
    params: {
      concurrency, windowSec, maxSec, padSec: opts.padSec ?? 0.2, mergeGapSec: opts.mergeGapSec ?? 0.5, minConfidence, candidateLanguages: candidates,
      vad: deps.vad.provenance, transcriber: deps.transcriber.provenance,
    },
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
