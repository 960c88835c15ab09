/**
 * Offline speech to text with CMU PocketSphinx (Debian `pocketsphinx` + `pocketsphinx-en-us`).
 * English only: no French acoustic model exists in Debian, so other languages throw
 * ModelError('UNSUPPORTED_LANGUAGE') instead of returning English-sounding garbage.
 *
 * Each call writes the samples to a temporary 16-bit WAV and runs `pocketsphinx_continuous -time yes`
 * as a child process (the event loop never blocks); at most one process per core runs at a time
 * across all calls. Word timings come from `-time yes`; pocketsphinx splits the input into
 * utterances at pauses, and each utterance becomes one TranscriptSegment.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BackendDescriptor, ModelsConfig, Provenance, Result, Transcriber, TranscriptSegment, Word } from '../types.js';
import { ModelError } from '../types.js';
import { Semaphore, fileExists, makeProvenance, runCommand, sha256Files, which, withParams } from '../util.js';
import { encodeWav16 } from './wav.js';

export const POCKETSPHINX_FIX = 'apt-get install -y pocketsphinx pocketsphinx-en-us';
export const POCKETSPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

export interface PocketsphinxOptions {
  /** directory holding en-us/ (acoustic model), en-us.lm.bin and cmudict-en-us.dict */
  modelDir?: string;
  binary?: string;
  /** concurrent processes; default: number of cores */
  concurrency?: number;
  /** extra decoder flags, e.g. ['-beam', '1e-40'] (recorded in provenance) */
  extraArgs?: string[];
  /** kill a process after this long; default 10 min */
  timeoutMs?: number;
  /**
   * scale each input to a −3 dBFS peak (gain capped at +60 dB) before decoding; default true.
   * Measured here on JFK + 5 FLEURS English clips: WER 0.78 raw → 0.67 normalised (FLEURS clips peak near −45 dBFS).
   */
  normalize?: boolean;
}

/** Scales samples so the peak is at −3 dBFS (gain at most ×1000); returns the input when silent or already loud. */
export function normalizePeak(audio: Float32Array, targetPeak = 0.708, maxGain = 1000): Float32Array {
  let peak = 0;
  for (let i = 0; i < audio.length; i++) {
    const a = Math.abs(audio[i]);
    if (a > peak) peak = a;
  }
  if (peak === 0) return audio;
  const gain = Math.min(maxGain, targetPeak / peak);
  if (Math.abs(gain - 1) < 0.01) return audio;
  const out = new Float32Array(audio.length);
  for (let i = 0; i < audio.length; i++) out[i] = audio[i] * gain;
  return out;
}

/** Tokens that are not words: sentence markers, silence and noise fillers. */
function isFiller(tok: string): boolean {
  return tok.startsWith('<') || tok.startsWith('[') || tok.startsWith('++') || tok === '';
}

/** Strips the pronunciation-variant suffix: "read(2)" → "read". */
function baseWord(tok: string): string {
  return tok.replace(/\(\d+\)$/, '');
}

/**
 * Parses `pocketsphinx_continuous -time yes` output: per utterance, one hypothesis line followed by
 * lines "word start end posterior". Returns one segment per utterance that contains words.
 */
export function parsePocketsphinxTimed(stdout: string): TranscriptSegment[] {
  const segments: TranscriptSegment[] = [];
  let words: Word[] = [];
  let probs: number[] = [];
  let uttStart: number | null = null;
  let uttEnd = 0;
  const flush = () => {
    if (words.length > 0) {
      const confidence = probs.reduce((a, b) => a + b, 0) / probs.length;
      segments.push({
        start: words[0].start,
        end: words[words.length - 1].end,
        text: words.map((w) => w.word).join(' '),
        words,
        confidence: Math.round(confidence * 1000) / 1000,
      });
    }
    words = [];
    probs = [];
    uttStart = null;
  };
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    const m = /^(\S+)\s+(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)$/i.exec(line);
    if (!m) continue; // hypothesis line (or blank): the timed lines carry everything we need
    const tok = m[1];
    const start = Number(m[2]);
    const end = Number(m[3]);
    const p = Number(m[4]);
    if (tok === '<s>') {
      flush();
      uttStart = start;
      continue;
    }
    if (tok === '</s>') {
      uttEnd = end;
      flush();
      continue;
    }
    if (isFiller(tok)) continue;
    if (uttStart === null) uttStart = start;
    words.push({ word: baseWord(tok), start, end });
    probs.push(Math.min(1, Math.max(0, p)));
  }
  void uttEnd;
  flush();
  return segments;
}

const globalSlots = new Semaphore(Math.max(1, os.availableParallelism()));

export class PocketsphinxTranscriber implements Transcriber {
  readonly languages = ['en'];
  private readonly slots: Semaphore;
  private closed = false;
  private readonly running = new Set<ReturnType<typeof spawn>>();

  constructor(
    readonly provenance: Provenance,
    private readonly binary: string,
    private readonly modelDir: string,
    private readonly opts: PocketsphinxOptions,
  ) {
    this.slots = opts.concurrency ? new Semaphore(opts.concurrency) : globalSlots;
  }

  private args(wav: string): string[] {
    const d = this.modelDir;
    return [
      '-infile', wav,
      '-hmm', path.join(d, 'en-us'),
      '-lm', path.join(d, 'en-us.lm.bin'),
      '-dict', path.join(d, 'cmudict-en-us.dict'),
      '-logfn', '/dev/null',
      '-time', 'yes',
      ...(this.opts.extraArgs ?? []),
    ];
  }

  async transcribe(audio: Float32Array, opts: { language: string; signal?: AbortSignal }): Promise<Result<TranscriptSegment[]>> {
    const lang = (opts.language ?? '').toLowerCase().split(/[-_]/)[0];
    if (!this.languages.includes(lang))
      throw new ModelError('UNSUPPORTED_LANGUAGE', `pocketsphinx has no model for language '${opts.language}' (installed: en)`);
    if (this.closed) throw new ModelError('MODEL_FAILED', 'transcriber is closed');
    if (!(audio instanceof Float32Array)) throw new ModelError('BAD_INPUT', 'audio must be a Float32Array of 16 kHz mono samples');
    const provenance = withParams(this.provenance, { language: 'en' });
    // under 0.1 s there is nothing pocketsphinx can decode
    if (audio.length < 1600) return { output: [], provenance };
    opts.signal?.throwIfAborted();
    return this.slots.run(async () => {
      opts.signal?.throwIfAborted();
      const dir = await mkdtemp(path.join(os.tmpdir(), 'plenary-ps-'));
      try {
        const wav = path.join(dir, 'in.wav');
        await writeFile(wav, encodeWav16(this.opts.normalize === false ? audio : normalizePeak(audio), 16000));
        const stdout = await this.run(wav, opts.signal);
        return { output: parsePocketsphinxTimed(stdout), provenance };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  private run(wav: string, signal?: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, this.args(wav), { stdio: ['ignore', 'pipe', 'pipe'] });
      this.running.add(child);
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        if (err.length < 10_000) err += d;
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), this.opts.timeoutMs ?? 600_000);
      const onAbort = () => child.kill('SIGKILL');
      signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (e) => {
        clearTimeout(timer);
        this.running.delete(child);
        reject(new ModelError('MISSING_BACKEND', `cannot run ${this.binary}: ${e.message}`, POCKETSPHINX_FIX));
      });
      child.on('close', (code, sig) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.running.delete(child);
        if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
        if (code !== 0)
          return reject(new ModelError('MODEL_FAILED', `pocketsphinx exited with ${code ?? sig}: ${err.trim().slice(-300)}`, undefined, true));
        resolve(out);
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.running) c.kill('SIGKILL');
    this.running.clear();
  }
}

async function modelFiles(dir: string): Promise<string[]> {
  const files = [path.join(dir, 'en-us.lm.bin'), path.join(dir, 'cmudict-en-us.dict')];
  const am = path.join(dir, 'en-us');
  for (const f of (await readdir(am)).sort()) files.push(path.join(am, f));
  return files;
}

async function debVersion(pkg: string): Promise<string> {
  try {
    const r = await runCommand('dpkg-query', ['-W', '-f', '${Version}', pkg], { timeoutMs: 5000 });
    return r.code === 0 && r.stdout.trim() ? r.stdout.trim() : 'unknown';
  } catch {
    return 'unknown';
  }
}

async function probe(modelDir: string, binary: string): Promise<{ available: boolean; reason?: string; fix?: string; languages?: string[] }> {
  const bin = binary.includes('/') ? ((await fileExists(binary)) ? binary : null) : await which(binary);
  if (!bin) return { available: false, reason: `${binary} not found on PATH`, fix: POCKETSPHINX_FIX };
  for (const f of ['en-us.lm.bin', 'cmudict-en-us.dict', 'en-us/mdef']) {
    if (!(await fileExists(path.join(modelDir, f))))
      return { available: false, reason: `pocketsphinx English model missing (${path.join(modelDir, f)})`, fix: POCKETSPHINX_FIX };
  }
  // the only acoustic model Debian ships is US English
  return { available: true, languages: ['en'] };
}

/** Builds a PocketSphinx transcriber (hashes the model files once; the hash is cached by the util). */
export async function createPocketsphinx(opts: PocketsphinxOptions = {}): Promise<PocketsphinxTranscriber> {
  const modelDir = opts.modelDir ?? POCKETSPHINX_MODEL_DIR;
  const binary = opts.binary ?? 'pocketsphinx_continuous';
  const p = await probe(modelDir, binary);
  if (!p.available) throw new ModelError('MISSING_BACKEND', p.reason ?? 'pocketsphinx unavailable', p.fix);
  const files = await modelFiles(modelDir);
  const [sha, version, modelVersion] = await Promise.all([sha256Files(files, modelDir), debVersion('pocketsphinx'), debVersion('pocketsphinx-en-us')]);
  const provenance = makeProvenance('transcriber', 'pocketsphinx', 'cmusphinx-en-us', `pocketsphinx ${version}; pocketsphinx-en-us ${modelVersion}`, sha, {
    decoder: 'pocketsphinx_continuous',
    lm: 'en-us.lm.bin',
    dict: 'cmudict-en-us.dict',
    extraArgs: opts.extraArgs ?? [],
    normalizePeakDbfs: opts.normalize === false ? null : -3,
  });
  return new PocketsphinxTranscriber(provenance, binary, modelDir, opts);
}

export const pocketsphinxDescriptor: BackendDescriptor<'transcriber'> = {
  task: 'transcriber',
  backend: 'pocketsphinx',
  modelId: 'cmusphinx-en-us',
  tier: 'offline',
  rank: 10,
  probe: (_cfg: ModelsConfig) => probe(POCKETSPHINX_MODEL_DIR, 'pocketsphinx_continuous'),
  create: (_cfg: ModelsConfig) => createPocketsphinx(),
};
