/**
 * Is a recording complete? A file cut short (an interrupted copy, a recorder that crashed) often still probes and
 * decodes without an error: ffprobe reports what it finds, and an Ogg file holds no total duration at all (its
 * length is read from the last page present). Three checks, by what the container declares:
 * - Ogg: every page declares its length and the last one carries an end-of-stream flag (RFC 3533); a file that
 *   stops inside a page, or whose last page is not flagged, was cut.
 * - WAV: the RIFF `data` chunk declares its size; fewer bytes than that means the file was cut.
 * - any format: the duration the container declares (ffprobe: FLAC STREAMINFO, MP3 Xing/Info, MP4 moov …) against
 *   the duration actually decoded (ffmpeg to null; `-progress` reports the decoded time).
 */
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import type { AudioInfo } from './ffmpeg.js';

export interface Completeness {
  /** seconds ffmpeg could decode */
  decodedSec: number;
  /** seconds the container declares (from ffprobe, or the WAV header), when known */
  declaredSec: number | null;
  /** why the file looks cut short (English sentence fragment), or null when it looks complete */
  problem: string | null;
}

/** A decoded duration under this share of the declared one (minus half a second) counts as cut short. */
export const TRUNCATED_SHARE = 0.9;

/** Seconds of audio ffmpeg decodes from the file (first audio stream), or null when ffmpeg fails. */
export function decodedSeconds(file: string, opts: { ffmpegPath?: string; signal?: AbortSignal } = {}): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(opts.ffmpegPath ?? 'ffmpeg', ['-nostdin', '-v', 'error', '-i', file, '-vn', '-map', '0:a:0', '-f', 'null', '-', '-progress', 'pipe:1', '-nostats'], { stdio: ['ignore', 'pipe', 'ignore'], signal: opts.signal });
    let last = '';
    let us: number | null = null;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      last += d;
      for (const m of last.matchAll(/out_time_us=(\d+)/g)) us = Number(m[1]);
      last = last.slice(-64);
    });
    child.on('error', reject);
    child.on('close', () => resolve(us === null ? null : us / 1e6));
  });
}

/** Ogg pages (RFC 3533): does the file end on a complete page flagged end-of-stream? */
export function oggEnding(bytes: Uint8Array): { complete: boolean; eos: boolean; missingBytes: number } {
  let at = 0;
  let eos = false;
  while (at + 27 <= bytes.length) {
    if (bytes[at] !== 0x4f || bytes[at + 1] !== 0x67 || bytes[at + 2] !== 0x67 || bytes[at + 3] !== 0x53) return { complete: false, eos, missingBytes: 0 }; // not "OggS": damaged
    const segments = bytes[at + 26];
    if (at + 27 + segments > bytes.length) return { complete: false, eos: false, missingBytes: at + 27 + segments - bytes.length };
    let body = 0;
    for (let k = 0; k < segments; k++) body += bytes[at + 27 + k];
    const end = at + 27 + segments + body;
    if (end > bytes.length) return { complete: false, eos: false, missingBytes: end - bytes.length };
    eos = (bytes[at + 5] & 0x04) !== 0;
    at = end;
  }
  return at === bytes.length ? { complete: true, eos, missingBytes: 0 } : { complete: false, eos: false, missingBytes: 27 - (bytes.length - at) };
}

/**
 * WAV: seconds the `data` chunk declares and the seconds of bytes present, or null (not RIFF/WAVE, or size
 * unknown). `bytes` is the start of the file (its header), `fileSize` the whole file's size.
 */
export function wavDeclared(bytes: Uint8Array, fileSize = bytes.length): { declaredSec: number; presentSec: number } | null {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]);
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return null;
  let at = 12;
  let byteRate = 0;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    const size = dv.getUint32(at + 4, true);
    if (id === 'fmt ' && at + 16 <= bytes.length) byteRate = dv.getUint32(at + 16, true);
    if (id === 'data') {
      // 0 and 0xFFFFFFFF: written by a streaming recorder that never went back to fill in the size
      if (byteRate === 0 || size === 0 || size === 0xffffffff) return null;
      const present = Math.max(0, Math.min(size, fileSize - (at + 8)));
      return { declaredSec: size / byteRate, presentSec: present / byteRate };
    }
    at += 8 + size + (size % 2);
  }
  return null;
}

async function head(file: string, max: number): Promise<Uint8Array> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

const s1 = (x: number) => `${x.toFixed(1)} s`;

/** Checks that a probed file is complete (see the comment at the top). */
export async function checkComplete(info: AudioInfo, opts: { ffmpegPath?: string; signal?: AbortSignal; maxReadBytes?: number } = {}): Promise<Completeness> {
  const decoded = (await decodedSeconds(info.path, opts)) ?? 0;
  let declared: number | null = info.durationSec;
  let problem: string | null = null;
  const container = info.container.toLowerCase();
  if (container.includes('ogg') && info.sizeBytes <= (opts.maxReadBytes ?? 512 * 1024 * 1024)) {
    const end = oggEnding(await head(info.path, info.sizeBytes));
    if (!end.complete) problem = end.missingBytes > 0 ? `the file stops inside an Ogg page (${end.missingBytes} bytes of it are missing)` : 'the Ogg pages are damaged';
    else if (!end.eos) problem = 'the Ogg stream has no end-of-stream mark';
  } else if (container.includes('wav')) {
    const w = wavDeclared(await head(info.path, 64 * 1024), info.sizeBytes);
    if (w) {
      declared = w.declaredSec;
      if (w.presentSec < w.declaredSec * TRUNCATED_SHARE - 0.5) problem = `the WAV header declares ${s1(w.declaredSec)} of audio but the file holds ${s1(w.presentSec)}`;
    }
  }
  if (!problem && declared !== null && decoded < declared * TRUNCATED_SHARE - 0.5) problem = `the file declares ${s1(declared)} but only ${s1(decoded)} could be decoded`;
  return { decodedSec: decoded, declaredSec: declared, problem };
}
