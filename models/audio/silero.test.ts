import { beforeAll, describe, expect, it } from 'vitest';
import { decodeToPcm } from './ffmpeg.js';
import { sileroDescriptor, type SileroVad } from './silero.js';
import { energySpans, fixture } from './testutil.js';

describe('SileroVad (real Silero ONNX)', () => {
  let vad: SileroVad;
  beforeAll(async () => {
    vad = (await sileroDescriptor.create({ modelsDir: '/x', prefer: {}, threads: 2, languages: [] })) as SileroVad;
  });

  it('finds the three turns of the mixed two-speaker fixture within 0.4 s of where the audio is', async () => {
    const pcm = await decodeToPcm(fixture('two-speakers-mixed.wav'));
    const truth = energySpans(pcm); // espeak speech between digital silence
    expect(truth).toHaveLength(3);
    const r = await vad.detect(pcm, 16000);
    expect(r.output).toHaveLength(3);
    r.output.forEach((reg, i) => {
      expect(Math.abs(reg.start - truth[i].start)).toBeLessThan(0.4);
      expect(Math.abs(reg.end - truth[i].end)).toBeLessThan(0.4);
    });
    expect(r.provenance).toMatchObject({ task: 'voiceActivity', backend: 'silero-onnx' });
    expect(r.provenance.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is deterministic across calls and finds nothing in silence', async () => {
    const pcm = await decodeToPcm(fixture('jfk.wav'));
    const [a, b] = await Promise.all([vad.detect(pcm, 16000), vad.detect(pcm, 16000)]);
    expect(a.output).toEqual(b.output);
    expect(a.output.length).toBeGreaterThan(0);
    expect((await vad.detect(new Float32Array(32000), 16000)).output).toEqual([]);
    expect((await vad.detect(new Float32Array(0), 16000)).output).toEqual([]);
  });
});
