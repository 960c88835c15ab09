import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkComplete, oggEnding, wavDeclared } from './complete.js';
import { probeAudio } from './ffmpeg.js';
import { fixture } from './testutil.js';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'plenary-complete-test-'));
});

/** Encodes jfk.wav (11 s of speech) with ffmpeg, then keeps the first `keep` bytes (all when omitted). */
async function made(name: string, args: string[], keep?: (size: number) => number): Promise<string> {
  const full = path.join(tmp, `full-${name}`);
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', fixture('jfk.wav'), ...args, full]);
  if (!keep) return full;
  const bytes = await readFile(full);
  const cut = path.join(tmp, `cut-${name}`);
  await writeFile(cut, bytes.subarray(0, keep(bytes.length)));
  return cut;
}

describe('truncated recordings', () => {
  it('an Ogg/Opus file cut to 3,000 bytes probes as a short track; the check says it was cut', async () => {
    const full = await made('a.ogg', ['-c:a', 'libopus', '-b:a', '18k']);
    const fullInfo = await probeAudio(full);
    expect(await checkComplete(fullInfo)).toMatchObject({ problem: null });
    const cut = await made('a.ogg', ['-c:a', 'libopus', '-b:a', '18k'], () => 3000);
    const info = await probeAudio(cut); // accepted by the probe: this is what let it through
    expect(info.durationSec).toBeLessThan(2);
    const c = await checkComplete(info);
    expect(c.decodedSec).toBeLessThan(2);
    expect(c.problem).toMatch(/stops inside an Ogg page \(\d+ bytes of it are missing\)/);
  });

  it('WAV: the header declares more than the file holds', async () => {
    const full = fixture('jfk.wav');
    expect(await checkComplete(await probeAudio(full))).toMatchObject({ problem: null });
    const bytes = await readFile(full);
    const cut = path.join(tmp, 'cut.wav');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const c = await checkComplete(await probeAudio(cut));
    expect(c.problem).toMatch(/WAV header declares 11\.0 s of audio but the file holds 3\.\d s/);
    expect(c.declaredSec).toBeCloseTo(11, 0);
  });

  it('FLAC and MP3: the declared duration against the decoded one', async () => {
    for (const [name, args] of [['a.flac', ['-c:a', 'flac']], ['a.mp3', ['-c:a', 'libmp3lame', '-b:a', '32k']]] as const) {
      expect((await checkComplete(await probeAudio(await made(name, [...args])))).problem).toBeNull();
      const c = await checkComplete(await probeAudio(await made(name, [...args], (n) => Math.floor(n / 3))));
      expect(c.problem, name).toMatch(/declares 11\.\d s but only [2-5]\.\d s could be decoded/);
    }
  });

  it('page and chunk parsers', () => {
    const page = (flags: number, body: number) => [0x4f, 0x67, 0x67, 0x53, 0, flags, ...new Array(20).fill(0), 1, body, ...new Array(body).fill(7)];
    expect(oggEnding(Uint8Array.from([...page(2, 5), ...page(4, 3)]))).toEqual({ complete: true, eos: true, missingBytes: 0 });
    expect(oggEnding(Uint8Array.from([...page(2, 5), ...page(0, 3)]))).toMatchObject({ complete: true, eos: false });
    expect(oggEnding(Uint8Array.from([...page(2, 5), ...page(4, 3)].slice(0, -2)))).toEqual({ complete: false, eos: false, missingBytes: 2 });
    expect(wavDeclared(Uint8Array.from([1, 2, 3]))).toBeNull();
  });
});
