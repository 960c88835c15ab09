/**
 * Audio decoding and probing with Debian's ffmpeg/ffprobe, run as child processes (never blocking the
 * event loop). Decoding is streamed: ffmpeg writes 32-bit float mono PCM to a pipe and we read it in
 * chunks, so a caller that processes window by window (`streamPcm`) holds one window at a time however
 * long the recording is. `decodeToPcm` collects the whole signal for short inputs.
 */
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { AudioInputError } from './errors.js';

export const FFMPEG_FIX = 'apt-get install -y ffmpeg';

/** Sample rates outside this range are refused as absurd (telephone 8 kHz … studio 384 kHz). */
export const MIN_SAMPLE_RATE = 4000;
export const MAX_SAMPLE_RATE = 384000;
/** Refuse inputs longer than this (a day); the service's upload limit is normally far lower. */
export const MAX_DURATION_S = 24 * 3600;
/** Peak level (linear) under which an input counts as silent: −80 dBFS. */
export const SILENCE_PEAK = 1e-4;

export interface AudioInfo {
  path: string;
  /** seconds; from the container or the stream */
  durationSec: number;
  container: string;
  codec: string;
  sampleRate: number;
  channels: number;
  sizeBytes: number;
  /** peak level in dBFS; only when probed with checkSilence */
  peakDb?: number;
}

export interface DecodeOptions {
  /** output rate; default 16000 */
  sampleRate?: number;
  signal?: AbortSignal;
  /** ffmpeg binary; default 'ffmpeg' on PATH */
  ffmpegPath?: string;
}

export interface StreamOptions extends DecodeOptions {
  /** samples per yielded chunk (the last may be shorter); default 30 s of audio */
  chunkSamples?: number;
}

/** Something that yields PCM windows of a file: the shape pipelines take as their decoding dependency. */
export type PcmStreamer = (path: string, opts: StreamOptions) => AsyncIterable<Float32Array>;

function classifyFfmpegError(stderr: string, file: string): AudioInputError {
  const s = stderr.trim();
  const tail = s.split('\n').slice(-3).join(' | ').slice(0, 400);
  if (/No such file or directory/i.test(s)) return new AudioInputError('NOT_FOUND', `audio file not found: ${file}`);
  if (/does not contain any stream|Output file #0 does not contain any stream|matches no streams/i.test(s))
    return new AudioInputError('NO_AUDIO_STREAM', `no audio stream in ${file}`);
  if (/corrupt input packet|Truncat|partial file|End of file|Packet corrupt|premature/i.test(s))
    return new AudioInputError('TRUNCATED', `audio file is truncated or damaged: ${file} (${tail})`);
  if (/Invalid data found when processing input|could not find codec parameters|Unknown format|moov atom not found/i.test(s))
    return new AudioInputError('CORRUPT', `not a readable audio file (corrupt or unknown format): ${file} (${tail})`);
  if (/Decoder .* not found|Unsupported codec|not supported/i.test(s))
    return new AudioInputError('UNSUPPORTED', `unsupported audio codec in ${file} (${tail})`);
  return new AudioInputError('CORRUPT', `ffmpeg could not decode ${file}: ${tail || 'unknown error'}`);
}

async function assertFile(file: string): Promise<number> {
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new AudioInputError('NOT_FOUND', `not a file: ${file}`);
    if (st.size === 0) throw new AudioInputError('EMPTY', `audio file is empty: ${file}`);
    return st.size;
  } catch (e) {
    if (e instanceof AudioInputError) throw e;
    throw new AudioInputError('NOT_FOUND', `audio file not found: ${file}`);
  }
}

function spawnError(e: NodeJS.ErrnoException, bin: string): AudioInputError {
  if (e.code === 'ENOENT') return new AudioInputError('DECODER_MISSING', `${bin} is not installed`, FFMPEG_FIX);
  return new AudioInputError('CORRUPT', `${bin} failed to start: ${e.message}`);
}

/**
 * Streams a file as mono float PCM at `sampleRate`, yielding chunks of `chunkSamples` samples.
 * Only one chunk (plus one pipe buffer) is held at a time; stopping the iteration kills ffmpeg.
 * Throws AudioInputError when ffmpeg fails (corrupt, truncated, no audio stream …).
 */
export async function* streamPcm(file: string, opts: StreamOptions = {}): AsyncGenerator<Float32Array> {
  const rate = opts.sampleRate ?? 16000;
  const chunkSamples = Math.max(1, Math.floor(opts.chunkSamples ?? rate * 30));
  await assertFile(file);
  opts.signal?.throwIfAborted();
  const bin = opts.ffmpegPath ?? 'ffmpeg';
  const child = spawn(
    bin,
    ['-nostdin', '-hide_banner', '-v', 'warning', '-i', file, '-vn', '-f', 'f32le', '-acodec', 'pcm_f32le', '-ac', '1', '-ar', String(rate), 'pipe:1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 20_000) stderr += d;
  });
  let spawnErr: NodeJS.ErrnoException | null = null;
  child.on('error', (e) => {
    spawnErr = e;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const onAbort = () => child.kill('SIGKILL');
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  // chunk assembly: bytes may split a sample, so keep a small remainder
  let chunk = new Float32Array(chunkSamples);
  let filled = 0;
  let rem: Buffer | null = null;
  let finished = false;
  try {
    for await (const data of child.stdout as AsyncIterable<Buffer>) {
      let buf: Buffer = rem ? Buffer.concat([rem, data]) : data;
      const usable: number = buf.length - (buf.length % 4);
      rem = usable < buf.length ? Buffer.from(buf.subarray(usable)) : null;
      buf = buf.subarray(0, usable);
      let offset = 0;
      const n = usable / 4;
      let i = 0;
      while (i < n) {
        const take = Math.min(n - i, chunkSamples - filled);
        // f32le bytes straight into the chunk's memory (every platform Node supports here is little-endian)
        new Uint8Array(chunk.buffer, chunk.byteOffset + filled * 4, take * 4).set(buf.subarray(offset, offset + take * 4));
        filled += take;
        offset += take * 4;
        i += take;
        if (filled === chunkSamples) {
          yield chunk;
          chunk = new Float32Array(chunkSamples);
          filled = 0;
        }
      }
    }
    const code = await exited;
    opts.signal?.throwIfAborted();
    if (spawnErr) throw spawnError(spawnErr, bin);
    if (code !== 0 || /corrupt input packet|Packet corrupt|Truncat/i.test(stderr)) throw classifyFfmpegError(stderr, file);
    if (filled > 0) yield chunk.subarray(0, filled);
    finished = true;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (!finished && child.exitCode === null) child.kill('SIGKILL');
  }
}

/**
 * Decodes a whole file to mono Float32 PCM (default 16 kHz). Streams from ffmpeg and grows one buffer;
 * for long recordings prefer `streamPcm` and process window by window.
 */
export async function decodeToPcm(file: string, opts: DecodeOptions = {}): Promise<Float32Array> {
  const rate = opts.sampleRate ?? 16000;
  const parts: Float32Array[] = [];
  let total = 0;
  for await (const c of streamPcm(file, { ...opts, chunkSamples: rate * 10 })) {
    parts.push(c);
    total += c.length;
  }
  const out = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

interface FfprobeJson {
  streams?: Array<{ codec_type?: string; codec_name?: string; sample_rate?: string; channels?: number; duration?: string }>;
  format?: { format_name?: string; duration?: string; size?: string };
}

function runCapture(bin: string, args: string[], signal?: AbortSignal): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 50_000) stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Reads duration, container, codec, sample rate and channels with ffprobe and refuses inputs that
 * cannot be used: missing/empty/corrupt files, no audio stream, sample rate outside 4–384 kHz, zero or
 * absurd duration. With `checkSilence` it also decodes once (ffmpeg volumedetect) and refuses a silent file.
 */
export async function probeAudio(
  file: string,
  opts: { checkSilence?: boolean; ffprobePath?: string; ffmpegPath?: string; signal?: AbortSignal } = {},
): Promise<AudioInfo> {
  const size = await assertFile(file);
  const bin = opts.ffprobePath ?? 'ffprobe';
  let res;
  try {
    res = await runCapture(bin, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], opts.signal);
  } catch (e) {
    throw spawnError(e as NodeJS.ErrnoException, bin);
  }
  if (res.code !== 0) throw classifyFfmpegError(res.stderr, file);
  let json: FfprobeJson;
  try {
    json = JSON.parse(res.stdout) as FfprobeJson;
  } catch {
    throw new AudioInputError('CORRUPT', `ffprobe gave unreadable output for ${file}`);
  }
  const audio = (json.streams ?? []).find((s) => s.codec_type === 'audio');
  if (!audio) throw new AudioInputError('NO_AUDIO_STREAM', `no audio stream in ${file}`);
  const sampleRate = Number(audio.sample_rate ?? 0);
  if (!Number.isFinite(sampleRate) || sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE)
    throw new AudioInputError('BAD_SAMPLE_RATE', `sample rate ${sampleRate} Hz is outside ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz: ${file}`);
  const durationSec = Number(audio.duration ?? json.format?.duration ?? NaN);
  if (!Number.isFinite(durationSec) || durationSec <= 0)
    throw new AudioInputError('EMPTY', `audio has no duration (empty or unreadable stream): ${file}`);
  if (durationSec > MAX_DURATION_S)
    throw new AudioInputError('TOO_LONG', `audio lasts ${Math.round(durationSec)} s, over the ${MAX_DURATION_S} s limit: ${file}`);
  const channels = audio.channels ?? 0;
  if (channels < 1) throw new AudioInputError('NO_AUDIO_STREAM', `audio stream has no channels: ${file}`);
  const info: AudioInfo = {
    path: file,
    durationSec,
    container: json.format?.format_name ?? 'unknown',
    codec: audio.codec_name ?? 'unknown',
    sampleRate,
    channels,
    sizeBytes: size,
  };
  if (opts.checkSilence) {
    const ff = opts.ffmpegPath ?? 'ffmpeg';
    let vd;
    try {
      vd = await runCapture(ff, ['-nostdin', '-hide_banner', '-i', file, '-vn', '-af', 'volumedetect', '-f', 'null', '-'], opts.signal);
    } catch (e) {
      throw spawnError(e as NodeJS.ErrnoException, ff);
    }
    if (vd.code !== 0) throw classifyFfmpegError(vd.stderr, file);
    const m = /max_volume:\s*(-?[\d.]+|-inf) dB/.exec(vd.stderr);
    const peakDb = !m || m[1] === '-inf' ? -Infinity : Number(m[1]);
    info.peakDb = peakDb;
    if (peakDb < 20 * Math.log10(SILENCE_PEAK))
      throw new AudioInputError('SILENT', `audio is silent (peak ${peakDb === -Infinity ? '-inf' : peakDb.toFixed(1)} dBFS): ${file}`);
  }
  return info;
}

/** ffmpeg's version line, or null when it is not installed. */
export async function ffmpegVersion(bin = 'ffmpeg'): Promise<string | null> {
  try {
    const r = await runCapture(bin, ['-version']);
    const m = /version\s+(\S+)/.exec(r.stdout);
    return r.code === 0 ? (m?.[1] ?? 'unknown') : null;
  } catch {
    return null;
  }
}
