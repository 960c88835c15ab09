/**
 * Speech-to-text evaluation: `npm run eval -- asr --data <dir> [--default-language en] [--no-lid]`.
 *
 * Items: every audio file (wav, ogg, opus, mp3, flac, m4a) under <dir>, searched recursively, that has a
 * reference transcript with the same stem (`x.txt`, or `x.reference.txt`). Language of an item: a sidecar
 * `x.lang` file, else an `fr`/`en` token in the file or folder name (FLEURS files are `fleurs-fr-000.ogg`),
 * else --default-language (default en; the JFK clip has no language in its name).
 *
 * Each file goes through the real pipeline (ffmpeg streaming → Silero VAD → regions → PocketSphinx on a pool of
 * two processes; regions stay whole — cutting a one-region clip at a pause costs WER, see pipelines/transcription)
 * with its language declared. Metrics (after normalisation: lower case, punctuation
 * stripped; corpus-level, i.e. total edits / total reference words):
 *   wer, cer          — over files in languages that have a model (what the service actually transcribes)
 *   wer_<lang>, cer_<lang>
 *   For a language with no installed model the pipeline returns the file `untranscribed` (empty text, never
 *   garbage). Its wer_<lang> is reported as 1.0 — the true WER of an empty hypothesis (every reference word
 *   deleted), not an estimate — and the files are counted in `untranscribed`; `wer_all` pools every file that
 *   way, `coverage` is the fraction of audio seconds transcribed.
 *   rtf               — pipeline wall seconds / audio seconds over the files in a language with a model (decoding
 *                       included), transcribed --files-at-once (default 2) at a time on one pool of two processes
 *   lid_accuracy      — spoken-language identification when the language is NOT declared: each file is run
 *                       again with candidates [en, fr] and the pipeline's check (PocketSphinx confidence +
 *                       fastText on the text when the registry provides it) decides en vs not-en; not-en is
 *                       scored as fr (the only other candidate). Skipped with --no-lid.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataError, type EvalItem, type EvalSuite } from '../harness.js';
import { createPocketsphinx, createSileroVad, probeAudio, streamPcm } from '../../models/audio/index.js';
import type { LanguageId, ModelsConfig } from '../../models/types.js';
import { pool, transcribeTracks } from '../../pipelines/transcription/index.js';
import { errorCounts, pooled, type ErrorCounts } from './scorer.js';

const AUDIO = /\.(wav|ogg|opus|mp3|flac|m4a)$/i;
const r4 = (x: number) => Math.round(x * 10000) / 10000;

export interface AsrItemSpec {
  name: string;
  audio: string;
  reference: string;
  language: string;
}

/** Finds audio files with same-stem references under `dir` and works out their language. */
export async function findItems(dir: string, defaultLanguage = 'en'): Promise<AsrItemSpec[]> {
  const out: AsrItemSpec[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      throw new DataError(`cannot read ${d}: ${(e as Error).message}`);
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (AUDIO.test(e.name)) {
        const stem = p.replace(AUDIO, '');
        const reference = [`${stem}.txt`, `${stem}.reference.txt`].find((f) => existsSync(f));
        if (!reference) continue;
        out.push({ name: path.relative(dir, stem), audio: p, reference, language: await languageOf(dir, stem, defaultLanguage) });
      }
    }
  };
  await walk(dir);
  return out;
}

async function languageOf(root: string, stem: string, fallback: string): Promise<string> {
  if (existsSync(`${stem}.lang`)) return (await readFile(`${stem}.lang`, 'utf8')).trim().toLowerCase();
  // the file name first, then its folders from the nearest up ("fleurs-fr-en/fleurs-en-003" is English)
  const parts = path.relative(root, stem).split(/[\\/]/).reverse();
  for (const part of parts) {
    const m = /(?:^|[-_.])(fr|en|de|es|it|pt|nl)(?=[-_.]|$)/i.exec(part);
    if (m) return m[1].toLowerCase();
  }
  return fallback;
}

async function languageIdFromRegistry(log: (m: string) => void): Promise<LanguageId | undefined> {
  try {
    const { createRegistry } = (await import('../../models/registry.js')) as { createRegistry: (c: ModelsConfig, o?: { skipAudio?: boolean }) => { get: (t: 'languageId') => Promise<LanguageId> } };
    return await createRegistry({ modelsDir: 'models-dir', prefer: {}, threads: 1, languages: ['en', 'fr'] }, { skipAudio: true }).get('languageId');
  } catch (e) {
    log(`no text language id (${(e as Error).message}); the language check uses recognition confidence only`);
    return undefined;
  }
}

export const suite: EvalSuite = {
  name: 'asr',
  description: 'speech to text: WER/CER overall and per language, real-time factor, language-id accuracy (PocketSphinx + Silero VAD pipeline)',
  usage: '[--default-language en] [--no-lid] [--files-at-once 2]',
  async run(ctx) {
    const defaultLanguage = typeof ctx.args['default-language'] === 'string' ? ctx.args['default-language'] : 'en';
    const specs = await findItems(ctx.data, defaultLanguage);
    if (specs.length === 0) throw new DataError(`no audio file with a same-stem .txt reference under ${ctx.data}`);
    const [vad, transcriber] = await Promise.all([createSileroVad(), createPocketsphinx({ concurrency: 2 })]);
    const languageId = ctx.args['no-lid'] === true ? undefined : await languageIdFromRegistry(ctx.log);
    const items: EvalItem[] = [];
    const byLang = new Map<string, ErrorCounts[]>();
    const transcribedCounts: ErrorCounts[] = [];
    const allCounts: ErrorCounts[] = [];
    let untranscribed = 0;
    let wall = 0;
    let audioTranscribed = 0;
    let audioAll = 0;
    let lidRight = 0;
    let lidN = 0;
    // The files in a language with a model are transcribed first, `files-at-once` at a time (default 2) on the one
    // pool of two PocketSphinx processes: rtf = wall seconds of that phase / their audio seconds (throughput on
    // both cores; --files-at-once 1 gives the one-file-at-a-time latency).
    const filesAtOnce = Math.max(1, Number(ctx.args['files-at-once'] ?? 2) || 1);
    const infos = new Map<AsrItemSpec, Awaited<ReturnType<typeof probeAudio>>>();
    for (const spec of specs) infos.set(spec, await probeAudio(spec.audio));
    const first = new Map<AsrItemSpec, { r: Awaited<ReturnType<typeof transcribeTracks>>; seconds: number }>();
    const transcribe = async (spec: AsrItemSpec) => {
      const t0 = performance.now();
      const r = await transcribeTracks([{ path: spec.audio, speakerId: null, language: spec.language, durationSec: infos.get(spec)!.durationSec }], { vad, transcriber, decode: streamPcm });
      first.set(spec, { r, seconds: (performance.now() - t0) / 1000 });
    };
    const modelled = specs.filter((x) => transcriber.languages.includes(x.language));
    const phase0 = performance.now();
    await pool(modelled, filesAtOnce, transcribe);
    wall = (performance.now() - phase0) / 1000;
    for (const spec of specs) {
      let reference: string;
      try {
        reference = (await readFile(spec.reference, 'utf8')).trim();
      } catch (e) {
        throw new DataError(`cannot read ${spec.reference}: ${(e as Error).message}`);
      }
      const info = infos.get(spec)!;
      if (!first.has(spec)) await transcribe(spec);
      const { r, seconds } = first.get(spec)!;
      const done = r.segments.filter((s) => s.status !== 'untranscribed');
      const isUntranscribed = r.segments.length > 0 && done.length === 0;
      const hypothesis = done.map((s) => s.text).filter(Boolean).join(' ');
      const counts = errorCounts(reference, hypothesis);
      allCounts.push(counts);
      audioAll += info.durationSec;
      if (!byLang.has(spec.language)) byLang.set(spec.language, []);
      byLang.get(spec.language)!.push(counts);
      if (isUntranscribed) untranscribed++;
      else {
        transcribedCounts.push(counts);
        audioTranscribed += info.durationSec;
      }
      let detected: string | null = null;
      if (ctx.args['no-lid'] !== true && (spec.language === 'en' || spec.language === 'fr')) {
        const d = await transcribeTracks([{ path: spec.audio, speakerId: null }], { vad, transcriber, decode: streamPcm, languageId }, { candidateLanguages: ['en', 'fr'] });
        // en when the (longest) speech was accepted as English, otherwise the other candidate
        const speech = d.segments.reduce((a, s) => a + (s.status === 'transcribed' ? s.end - s.start : 0), 0);
        const rejected = d.segments.reduce((a, s) => a + (s.status === 'untranscribed' ? s.end - s.start : 0), 0);
        detected = speech >= rejected && speech > 0 ? 'en' : 'fr';
        lidN++;
        if (detected === spec.language) lidRight++;
      }
      items.push({
        name: spec.name,
        language: spec.language,
        seconds: r4(info.durationSec),
        status: isUntranscribed ? 'untranscribed' : 'transcribed',
        wer: isUntranscribed ? null : r4(counts.refWords ? counts.wordErrors / counts.refWords : 0),
        cer: isUntranscribed ? null : r4(counts.refChars ? counts.charErrors / counts.refChars : 0),
        rtf: r4(seconds / info.durationSec),
        detected_language: detected,
        hypothesis: hypothesis.slice(0, 160),
      });
      ctx.log(`${spec.name} [${spec.language}] ${isUntranscribed ? 'untranscribed (no model)' : `WER ${(counts.wordErrors / Math.max(1, counts.refWords)).toFixed(3)}`}${detected ? `, detected ${detected}` : ''}`);
    }
    await transcriber.close();
    await languageId?.close?.();

    const metrics: Record<string, number> = {};
    const overall = pooled(transcribedCounts);
    metrics.wer = r4(overall.wer);
    metrics.cer = r4(overall.cer);
    metrics.rtf = audioTranscribed ? r4(wall / audioTranscribed) : 0;
    for (const [lang, counts] of [...byLang.entries()].sort()) {
      const p = pooled(counts);
      metrics[`wer_${lang}`] = r4(p.wer);
      metrics[`cer_${lang}`] = r4(p.cer);
    }
    const all = pooled(allCounts);
    metrics.wer_all = r4(all.wer);
    metrics.untranscribed = untranscribed;
    metrics.files = specs.length;
    metrics.coverage = r4(audioAll ? audioTranscribed / audioAll : 0);
    if (lidN > 0) metrics.lid_accuracy = r4(lidRight / lidN);
    return {
      metrics,
      items,
      provenance: {
        transcriber: transcriber.provenance,
        vad: vad.provenance,
        languageId: languageId?.provenance ?? null,
        notes: [
          'wer/cer/rtf cover files in languages with an installed model only.',
          `rtf: those files transcribed ${filesAtOnce} at a time on one pool of two PocketSphinx processes (wall of that phase / their audio); per-item rtf is each file's own wall time, overlapping the others'.`,
          'wer_<lang> of a language without a model is 1.0 by definition (the pipeline returns no text rather than garbage); those files are counted in `untranscribed` and included in wer_all.',
          'lid_accuracy: undeclared-language mode, en vs not-en decided by the pipeline check; not-en scored as fr.',
        ],
      },
    };
  },
};
