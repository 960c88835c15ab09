import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '../types.js';
import { decodeToPcm } from './ffmpeg.js';
import { normalizePeak, parsePocketsphinxTimed, pocketsphinxDescriptor, type PocketsphinxTranscriber } from './pocketsphinx.js';
import { fixture } from './testutil.js';

const SAMPLE = `and then our my arm arrow
<s> 0.000 0.040 0.998900
and 0.050 0.160 0.032758
then 0.170 0.670 0.213530
our(3) 0.680 0.980 0.207841
</s> 2.310 2.440 1.000000

<s> 2.500 2.600 1.000000
<sil> 2.600 2.700 0.5
</s> 2.700 2.800 1.000000
and not
<s> 3.170 3.280 1.000300
and(2) 3.290 3.730 0.985603
<sil> 3.740 3.980 0.828680
[NOISE] 3.980 3.990 0.8
not 3.990 4.300 0.817730
</s> 4.310 4.760 1.000000
`;

describe('parsePocketsphinxTimed', () => {
  it('turns utterances into segments with word timings, dropping fillers and variant suffixes', () => {
    const segs = parsePocketsphinxTimed(SAMPLE);
    expect(segs).toHaveLength(2); // the filler-only utterance gives no segment
    expect(segs[0]).toMatchObject({ start: 0.05, end: 0.98, text: 'and then our' });
    expect(segs[0].words!.map((w) => w.word)).toEqual(['and', 'then', 'our']);
    expect(segs[0].confidence).toBeCloseTo((0.032758 + 0.21353 + 0.207841) / 3, 3);
    expect(segs[1]).toMatchObject({ start: 3.29, end: 4.3, text: 'and not' });
  });
  it('returns nothing for empty output', () => {
    expect(parsePocketsphinxTimed('')).toEqual([]);
  });
});

describe('normalizePeak', () => {
  it('scales to −3 dBFS, caps the gain and leaves silence alone', () => {
    const quiet = new Float32Array([0.01, -0.005, 0]);
    expect(normalizePeak(quiet)[0]).toBeCloseTo(0.708, 3);
    const silent = new Float32Array(10);
    expect(normalizePeak(silent)).toBe(silent);
    expect(normalizePeak(new Float32Array([1e-6]))[0]).toBeCloseTo(1e-3, 6);
  });
});

describe('PocketsphinxTranscriber (real pocketsphinx)', () => {
  let ps: PocketsphinxTranscriber;
  let jfk: Float32Array;
  beforeAll(async () => {
    ps = (await pocketsphinxDescriptor.create({ modelsDir: '/nonexistent', prefer: {}, threads: 2, languages: ['en'] })) as PocketsphinxTranscriber;
    jfk = await decodeToPcm(fixture('jfk.wav'));
  });
  afterAll(() => ps.close());

  it('probes available and lists English only', async () => {
    expect(await pocketsphinxDescriptor.probe({ modelsDir: '/x', prefer: {}, threads: 2, languages: [] })).toEqual({ available: true, languages: ['en'] });
    expect(ps.languages).toEqual(['en']);
  });

  it('transcribes JFK with ordered, in-range timestamps and provenance', async () => {
    const r = await ps.transcribe(jfk, { language: 'en' });
    expect(r.output.length).toBeGreaterThanOrEqual(2);
    const words = r.output.flatMap((s) => s.words ?? []);
    const text = r.output.map((s) => s.text).join(' ');
    // pocketsphinx is weak on this clip (WER ≈ 0.5), but these words come out reliably
    expect(text).toMatch(/country/);
    expect(text).toMatch(/\bnot\b/);
    let prev = 0;
    for (const w of words) {
      expect(w.start).toBeGreaterThanOrEqual(prev - 1e-9);
      expect(w.end).toBeGreaterThanOrEqual(w.start);
      expect(w.end).toBeLessThanOrEqual(11.01);
      prev = w.start;
    }
    for (const s of r.output) expect(s.confidence).toBeGreaterThanOrEqual(0);
    expect(r.provenance).toMatchObject({ task: 'transcriber', backend: 'pocketsphinx', modelId: 'cmusphinx-en-us' });
    expect(r.provenance.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.provenance.version).toMatch(/pocketsphinx/);
  });

  it('refuses French instead of producing garbage', async () => {
    const err = await ps.transcribe(jfk.subarray(0, 16000), { language: 'fr' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).code).toBe('UNSUPPORTED_LANGUAGE');
  });

  it('returns no segments for silence and very short input; cancels on abort', async () => {
    expect((await ps.transcribe(new Float32Array(16000), { language: 'en' })).output).toEqual([]);
    expect((await ps.transcribe(new Float32Array(100), { language: 'en' })).output).toEqual([]);
    const ac = new AbortController();
    const p = ps.transcribe(jfk, { language: 'en', signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await expect(p).rejects.toThrow();
  });
});
