import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AudioInputError } from './errors.js';
import { decodeToPcm, probeAudio, streamPcm } from './ffmpeg.js';
import { fixture } from './testutil.js';
import { encodeWav16 } from './wav.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'plenary-ffmpeg-test-'));
});

async function problemOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AudioInputError);
    return (e as AudioInputError).problem;
  }
  return 'no error';
}

describe('probeAudio', () => {
  it('reads duration, codec, rate and channels of WAV and Ogg/Opus', async () => {
    const wav = await probeAudio(fixture('jfk.wav'));
    expect(wav).toMatchObject({ codec: 'pcm_s16le', sampleRate: 16000, channels: 1 });
    expect(wav.durationSec).toBeCloseTo(11, 1);
    const ogg = await probeAudio(fixture('fleurs-en-003.ogg'), { checkSilence: true });
    expect(ogg).toMatchObject({ codec: 'opus', sampleRate: 48000, channels: 1 });
    expect(ogg.durationSec).toBeGreaterThan(5);
    expect(ogg.peakDb).toBeLessThan(-20); // FLEURS clips are quiet, but not silent
  });

  it('refuses missing, empty, corrupt, silent and absurd-rate files with a clear problem', async () => {
    expect(await problemOf(probeAudio(path.join(tmp, 'nope.wav')))).toBe('NOT_FOUND');
    await writeFile(path.join(tmp, 'empty.wav'), Buffer.alloc(0));
    expect(await problemOf(probeAudio(path.join(tmp, 'empty.wav')))).toBe('EMPTY');
    const junk = Buffer.alloc(4000);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) % 251;
    await writeFile(path.join(tmp, 'junk.mp3'), junk);
    expect(await problemOf(probeAudio(path.join(tmp, 'junk.mp3')))).toBe('CORRUPT');
    await writeFile(path.join(tmp, 'silent.wav'), encodeWav16(new Float32Array(16000)));
    expect(await problemOf(probeAudio(path.join(tmp, 'silent.wav'), { checkSilence: true }))).toBe('SILENT');
    await writeFile(path.join(tmp, 'lowrate.wav'), encodeWav16(new Float32Array(2000).fill(0.1), 1000));
    expect(await problemOf(probeAudio(path.join(tmp, 'lowrate.wav')))).toBe('BAD_SAMPLE_RATE');
  });
});

describe('decodeToPcm / streamPcm', () => {
  it('decodes WAV to 16 kHz mono floats matching the 16-bit source', async () => {
    const pcm = await decodeToPcm(fixture('jfk.wav'));
    expect(pcm.length).toBe(176000);
    const raw = await readFile(fixture('jfk.wav'));
    const dataAt = raw.indexOf('data') + 8;
    for (const i of [1000, 50_000, 123_456]) expect(pcm[i]).toBeCloseTo(raw.readInt16LE(dataAt + i * 2) / 32768, 5);
  });

  it('resamples 48 kHz Opus to 16 kHz', async () => {
    const info = await probeAudio(fixture('fleurs-en-003.ogg'));
    const pcm = await decodeToPcm(fixture('fleurs-en-003.ogg'));
    expect(Math.abs(pcm.length / 16000 - info.durationSec)).toBeLessThan(0.05);
  });

  it('streams fixed-size chunks whose concatenation equals the whole decode', async () => {
    const whole = await decodeToPcm(fixture('jfk.wav'));
    const sizes: number[] = [];
    const joined = new Float32Array(whole.length);
    let o = 0;
    for await (const c of streamPcm(fixture('jfk.wav'), { chunkSamples: 48_000 })) {
      sizes.push(c.length);
      joined.set(c, o);
      o += c.length;
    }
    expect(sizes).toEqual([48_000, 48_000, 48_000, 32_000]);
    expect(joined).toEqual(whole);
  });

  it('stops ffmpeg when the consumer stops early, and honours an abort signal', async () => {
    let n = 0;
    for await (const _c of streamPcm(fixture('jfk.wav'), { chunkSamples: 16_000 })) if (++n === 2) break;
    expect(n).toBe(2);
    const ac = new AbortController();
    ac.abort();
    await expect(decodeToPcm(fixture('jfk.wav'), { signal: ac.signal })).rejects.toThrow();
  });

  it('reports a truncated WAV and a corrupt file', async () => {
    const raw = await readFile(fixture('jfk.wav'));
    await writeFile(path.join(tmp, 'trunc.wav'), raw.subarray(0, 100_001));
    expect(await problemOf(decodeToPcm(path.join(tmp, 'trunc.wav')))).toBe('TRUNCATED');
    await writeFile(path.join(tmp, 'junk.ogg'), Buffer.from('OggS this is not really an ogg stream'.repeat(40)));
    expect(['CORRUPT', 'TRUNCATED', 'NO_AUDIO_STREAM']).toContain(await problemOf(decodeToPcm(path.join(tmp, 'junk.ogg'))));
  });
});
