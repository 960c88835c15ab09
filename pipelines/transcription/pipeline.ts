/**
 * Transcription of a recording made of one or more tracks (one file per speaker, or one mixed file).
 *
 * Stages, per track, window by window (memory stays bounded however long the recording):
 *   decode a window (the `decode` dependency streams PCM; ffmpeg in production)
 *   → voice activity → regions (pad 0.2 s, merge short gaps, ≤ 30 s)
 *   → language per region → the regions of the window transcribed on a bounded pool (`concurrency`,
 *     default 2 = both cores); with `cutRegions`, a window whose speech is one long region (a single sentence)
 *     has it cut at pauses so both cores work, the pieces stitched back (word times shifted by the piece
 *     offset) → one TranscribedSegment per region, emitted through `onSegment` as soon as it is done (checkpoint).
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
import { pauseCuts, planRegions, type RegionPlanOptions } from './regions.js';

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
  /** pieces transcribed at once (default 2: both cores) */
  concurrency?: number;
  /**
   * cut a region that is more than 1.5 workers' shares of its window's speech at pauses, so the pieces run on
   * all workers and are stitched back into one segment (see `transcribeJobs`). Default false: measured on the
   * FLEURS English clips it raised WER 0.66 → 0.70 (PocketSphinx loses the sentence's language-model context at
   * the cut) and CPU time by 10–25 %, and an hour-long breakout never needs it (its windows hold dozens of regions).
   */
  cutRegions?: boolean;
  /** shortest piece a cut may leave (default 2 s) */
  minPieceSec?: number;
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
  /** transcriber calls made (regions cut at pauses give several) */
  pieces: number;
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

/** One piece of a region, transcribed on its own (pieces of one region run in parallel). */
interface Piece {
  job: Job;
  lang: string;
  k: number;
  /** sample offset of the piece in the region */
  from: number;
  to: number;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  if (a.length === 0) return b;
  const out = new Float32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Runs `fn` over items with at most `n` in flight; rejects on the first error. */
/** Runs fn over items, at most n at a time, in order of the list. */
export async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
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
  const cutRegions = opts.cutRegions ?? false;
  const minPieceSec = Math.max(0.5, opts.minPieceSec ?? 2);
  const candidates = (opts.candidateLanguages ?? []).map((l) => l.toLowerCase());
  const completed = new Map((opts.completed ?? []).map((s) => [s.index, s]));
  const signal = opts.signal;
  const results: TranscribedSegment[] = [];
  const counts = { transcribed: 0, untranscribed: 0, empty: 0, resumed: 0 };
  const totalSec = tracks.reduce((a, t) => a + (t.durationSec ?? 0), 0);
  const knownTotal = tracks.every((t) => (t.durationSec ?? 0) > 0) && totalSec > 0;
  let doneSec = 0;
  let nextIndex = 0;
  let piecesRun = 0;
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

  const baseOf = (job: Job) => ({
    index: job.index,
    trackIndex: job.trackIndex,
    speakerId: job.track.speakerId,
    speakerLabel: job.track.speakerId === null ? 'unknown speaker' : null,
    start: round3(job.start),
    end: round3(job.start + job.audio.length / RATE),
  });
  const untranscribed = (job: Job, reason: string, language: string | null, source: TranscribedSegment['languageSource']): TranscribedSegment => ({
    ...baseOf(job), text: '', words: [], confidence: null, language, languageSource: source, status: 'untranscribed', reason, provenance: null,
  });

  /** The language a region is transcribed in, or the untranscribed segment when there is none. */
  const languageFor = (job: Job): { lang: string; source: TranscribedSegment['languageSource'] } | TranscribedSegment => {
    const declared = job.track.language?.toLowerCase();
    if (declared && declared !== 'auto') {
      if (!deps.transcriber.languages.includes(declared))
        return untranscribed(job, `no speech-to-text model for '${declared}' (installed: ${deps.transcriber.languages.join(', ') || 'none'})`, declared, 'declared');
      return { lang: declared, source: 'declared' };
    }
    const usable = candidates.filter((c) => deps.transcriber.languages.includes(c));
    if (usable.length === 0) return untranscribed(job, `language not declared and no candidate language has a model (candidates: ${candidates.join(', ') || 'none'})`, null, 'unknown');
    return { lang: usable[0], source: 'detected' };
  };

  /**
   * Stitches the pieces of one region back into its segment: word times are shifted by the region's start in
   * the track plus the piece's offset in the region; the confidence is the word-weighted mean.
   */
  const stitch = async (
    job: Job,
    lang: string,
    source: TranscribedSegment['languageSource'],
    parts: Array<{ offsetSec: number; result: Awaited<ReturnType<Transcriber['transcribe']>> } | { unsupported: string }>,
  ): Promise<TranscribedSegment> => {
    const refused = parts.find((p): p is { unsupported: string } => 'unsupported' in p);
    if (refused) return untranscribed(job, refused.unsupported, lang, source);
    const words: Word[] = [];
    const texts: string[] = [];
    let confSum = 0;
    let confN = 0;
    let provenance: Provenance | null = null;
    for (const p of parts as Array<{ offsetSec: number; result: Awaited<ReturnType<Transcriber['transcribe']>> }>) {
      provenance ??= p.result.provenance;
      const shift = job.start + p.offsetSec;
      for (const s of p.result.output) {
        if (s.text.trim()) texts.push(s.text.trim());
        for (const w of s.words ?? []) words.push({ word: w.word, start: round3(w.start + shift), end: round3(w.end + shift) });
        if (typeof s.confidence === 'number') {
          const n = Math.max(1, s.words?.length ?? 1);
          confSum += s.confidence * n;
          confN += n;
        }
      }
    }
    const text = texts.join(' ');
    const confidence = confN > 0 ? round3(confSum / confN) : null;
    const base = baseOf(job);
    if (!text) return { ...base, text: '', words: [], confidence, language: lang, languageSource: source, status: 'empty', provenance };
    if (source === 'detected') {
      if (confidence !== null && confidence < minConfidence)
        return untranscribed(job, `speech not recognised as '${lang}' (confidence ${confidence} < ${minConfidence})`, null, 'unknown');
      if (deps.languageId && candidates.length > 1) {
        const g = (await deps.languageId.identify([text])).output[0];
        if (g && g.lang !== lang && g.confidence >= 0.5)
          return untranscribed(job, `text of the '${lang}' transcription reads as '${g.lang}': the speech is probably not '${lang}'`, null, 'unknown');
      }
    }
    return { ...base, text, words, confidence, language: lang, languageSource: source, status: 'transcribed', provenance };
  };

  /**
   * Transcribes the regions of one window: resumed and untranscribable regions are settled at once; the others
   * share one pool of `concurrency` workers, in time order. A region longer than one worker's share of the
   * window's speech (all of it when the window holds a single sentence, as a FLEURS clip does) would leave
   * workers idle, so it is cut at pauses into round(length / share) pieces (from 1.5 shares up); regions of a busy window (an hour-long
   * breakout: dozens of regions per window) stay whole, since every extra piece costs a decoder start and some
   * accuracy at the cut. A region's segment is emitted as soon as its last piece is done. Cutting never changes
   * region indexes (pieces are stitched back), so resuming works whatever the concurrency.
   */
  const transcribeJobs = async (jobs: Job[]): Promise<void> => {
    const pieces: Piece[] = [];
    const pending = new Map<number, { lang: string; source: TranscribedSegment['languageSource']; parts: Parameters<typeof stitch>[3]; left: number }>();
    const todo: Array<{ job: Job; lang: string; source: TranscribedSegment['languageSource'] }> = [];
    for (const job of jobs) {
      const prior = completed.get(job.index);
      if (prior) {
        await finish(prior, true);
        continue;
      }
      const l = languageFor(job);
      if ('index' in l) await finish(l, false);
      else todo.push({ job, ...l });
    }
    const share = todo.reduce((a, t) => a + t.job.audio.length, 0) / concurrency;
    for (const { job, ...l } of todo) {
      // round, not ceil: a region only a little over its share gains nothing from a cut (the others fill the gap)
      const n = cutRegions && concurrency > 1 ? Math.round(job.audio.length / share) : 1;
      const cuts = n > 1 ? pauseCuts(job.audio, RATE, n, minPieceSec) : [0];
      pending.set(job.index, { ...l, parts: new Array(cuts.length), left: cuts.length });
      piecesRun += cuts.length;
      cuts.forEach((from, k) => pieces.push({ job, lang: l.lang, k, from, to: k + 1 < cuts.length ? cuts[k + 1] : job.audio.length }));
    }
    await pool(pieces, concurrency, async (piece) => {
      signal?.throwIfAborted();
      const p = pending.get(piece.job.index)!;
      const audio = piece.job.audio.subarray(piece.from, piece.to);
      try {
        p.parts[piece.k] = { offsetSec: piece.from / RATE, result: await deps.transcriber.transcribe(audio, { language: piece.lang, signal } as { language: string }) };
      } catch (e) {
        if (e instanceof ModelError && e.code === 'UNSUPPORTED_LANGUAGE') p.parts[piece.k] = { unsupported: e.message };
        else throw e;
      }
      if (--p.left === 0) {
        pending.delete(piece.job.index);
        await finish(await stitch(piece.job, p.lang, p.source, p.parts), false);
      }
    });
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
      await transcribeJobs(jobs);
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
    pieces: piecesRun,
    stage: STAGE,
    params: {
      concurrency, windowSec, maxSec, cutRegions, minPieceSec, padSec: opts.padSec ?? 0.2, mergeGapSec: opts.mergeGapSec ?? 0.5, minConfidence, candidateLanguages: candidates,
      vad: deps.vad.provenance, transcriber: deps.transcriber.provenance,
    },
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
