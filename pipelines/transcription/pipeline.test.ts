import { describe, expect, it } from 'vitest';
import type { Provenance, Result, SpeechRegion, Transcriber, TranscriptSegment, VoiceActivity } from '../../models/types.js';
import { ModelError } from '../../models/types.js';
import { transcribeTracks, type PcmSource, type TranscribedSegment } from './pipeline.js';

const RATE = 16000;
const prov = (task: 'transcriber' | 'voiceActivity'): Provenance => ({ task, backend: 'fake', modelId: 'fake', version: '0', weightsSha256: null, params: {} });

/** Audio with 440 Hz bursts at the given [start, end] seconds. */
function bursts(duration: number, spans: Array<[number, number]>): Float32Array {
  const a = new Float32Array(Math.round(duration * RATE));
  for (const [s, e] of spans) for (let i = Math.round(s * RATE); i < Math.round(e * RATE); i++) a[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / RATE);
  return a;
}

/** VAD that marks 0.1 s frames with energy as speech: exact on synthetic bursts. */
const energyVad: VoiceActivity = {
  provenance: prov('voiceActivity'),
  async detect(audio: Float32Array, rate: number): Promise<Result<SpeechRegion[]>> {
    const frame = rate / 10;
    const out: SpeechRegion[] = [];
    for (let f = 0; f * frame < audio.length; f++) {
      let e = 0;
      for (let i = f * frame; i < Math.min(audio.length, (f + 1) * frame); i++) e = Math.max(e, Math.abs(audio[i]));
      if (e < 0.01) continue;
      const s = f / 10;
      const last = out[out.length - 1];
      if (last && Math.abs(last.end - s) < 1e-9) last.end = s + 0.1;
      else out.push({ start: s, end: Math.min(audio.length / rate, s + 0.1) });
    }
    return { output: out.map((r) => ({ start: Math.round(r.start * 10) / 10, end: Math.round(r.end * 10) / 10 })), provenance: this.provenance };
  },
};

function fakeTranscriber(languages = ['en']) {
  let inFlight = 0;
  const stats = { calls: 0, maxInFlight: 0, langs: [] as string[] };
  const t: Transcriber = {
    languages,
    provenance: prov('transcriber'),
    async transcribe(audio, opts): Promise<Result<TranscriptSegment[]>> {
      if (!languages.includes(opts.language)) throw new ModelError('UNSUPPORTED_LANGUAGE', opts.language);
      stats.calls++;
      stats.langs.push(opts.language);
      inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      const d = audio.length / RATE;
      return { output: [{ start: 0.1, end: d - 0.1, text: `speech ${d.toFixed(1)}`, words: [{ word: 'speech', start: 0.1, end: d - 0.1 }], confidence: 0.9 }], provenance: this.provenance };
    },
  };
  return { t, stats };
}

function memorySource(files: Record<string, Float32Array>): PcmSource {
  return async function* (path, opts) {
    const a = files[path];
    for (let i = 0; i < a.length; i += opts.chunkSamples) {
      opts.signal?.throwIfAborted();
      yield a.slice(i, i + opts.chunkSamples);
    }
  };
}

const speechA = bursts(25, [[2, 4], [9, 12], [15, 16], [23, 24.5]]);

describe('transcribeTracks (fake models)', () => {
  it('gives the same regions whether the audio comes in one window or several (speech across a window edge is carried)', async () => {
    const decode = memorySource({ a: speechA });
    const one = await transcribeTracks([{ path: 'a', speakerId: 'm1', language: 'en' }], { vad: energyVad, transcriber: fakeTranscriber().t, decode }, { windowSec: 300 });
    const many = await transcribeTracks([{ path: 'a', speakerId: 'm1', language: 'en' }], { vad: energyVad, transcriber: fakeTranscriber().t, decode }, { windowSec: 10 });
    const spans = (r: typeof one) => r.segments.map((s) => [s.start, s.end]);
    expect(spans(one)).toEqual([[1.8, 4.2], [8.8, 12.2], [14.8, 16.2], [22.8, 24.7]]);
    expect(spans(many)).toEqual(spans(one));
    // word times are absolute in the track
    expect(one.segments[1].words[0].start).toBeCloseTo(8.9, 3);
  });

  it('attributes per-speaker tracks, labels a mixed track "unknown speaker", and leaves undeclared-model languages untranscribed', async () => {
    const decode = memorySource({ a: bursts(6, [[1, 2]]), b: bursts(6, [[3, 4]]), mix: bursts(6, [[0.5, 1.5], [4, 5]]), fr: bursts(6, [[1, 3]]) });
    const { t, stats } = fakeTranscriber();
    const r = await transcribeTracks(
      [
        { path: 'a', speakerId: 'alice', language: 'en' },
        { path: 'b', speakerId: 'bob', language: 'en' },
        { path: 'mix', speakerId: null, language: 'en' },
        { path: 'fr', speakerId: 'chloe', language: 'fr' },
      ],
      { vad: energyVad, transcriber: t, decode },
    );
    const byTrack = (i: number) => r.segments.filter((s) => s.trackIndex === i);
    expect(byTrack(0).map((s) => s.speakerId)).toEqual(['alice']);
    expect(byTrack(1).map((s) => s.speakerId)).toEqual(['bob']);
    expect(byTrack(2).map((s) => [s.speakerId, s.speakerLabel])).toEqual([[null, 'unknown speaker'], [null, 'unknown speaker']]);
    const fr = byTrack(3);
    expect(fr).toHaveLength(1);
    expect(fr[0]).toMatchObject({ status: 'untranscribed', text: '', language: 'fr', speakerId: 'chloe' });
    expect(fr[0].reason).toMatch(/no speech-to-text model for 'fr'/);
    expect(stats.langs).not.toContain('fr');
    // interleaved by time across tracks
    const starts = r.segments.map((s) => s.start);
    expect(starts).toEqual([...starts].sort((x, y) => x - y));
    expect(r.counts).toEqual({ transcribed: 4, untranscribed: 1, empty: 0, resumed: 0 });
  });

  it('transcribes two regions at a time and reports monotone progress ending at 1', async () => {
    const { t, stats } = fakeTranscriber();
    const progress: number[] = [];
    await transcribeTracks([{ path: 'a', speakerId: 'm', language: 'en', durationSec: 25 }], { vad: energyVad, transcriber: t, decode: memorySource({ a: speechA }) }, {
      onProgress: (p) => progress.push(p.fraction),
    });
    expect(stats.maxInFlight).toBe(2);
    expect(progress[progress.length - 1]).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
  });

  it('resumes after a cancellation without redoing finished regions', async () => {
    const decode = memorySource({ a: speechA });
    const full = await transcribeTracks([{ path: 'a', speakerId: 'm', language: 'en' }], { vad: energyVad, transcriber: fakeTranscriber().t, decode }, { concurrency: 1 });
    const saved: TranscribedSegment[] = [];
    const ac = new AbortController();
    const first = fakeTranscriber();
    await expect(
      transcribeTracks([{ path: 'a', speakerId: 'm', language: 'en' }], { vad: energyVad, transcriber: first.t, decode }, {
        concurrency: 1,
        signal: ac.signal,
        onSegment: (s) => {
          saved.push(s);
          if (saved.length === 2) ac.abort();
        },
      }),
    ).rejects.toThrow();
    expect(saved).toHaveLength(2);
    const second = fakeTranscriber();
    const resumed = await transcribeTracks([{ path: 'a', speakerId: 'm', language: 'en' }], { vad: energyVad, transcriber: second.t, decode }, { concurrency: 1, completed: saved });
    expect(second.stats.calls).toBe(2);
    expect(resumed.counts.resumed).toBe(2);
    expect(resumed.segments).toEqual(full.segments);
  });

  it('for an undeclared language transcribes with a supported candidate, and refuses when none has a model', async () => {
    const decode = memorySource({ a: bursts(4, [[1, 2]]) });
    const { t, stats } = fakeTranscriber();
    const ok = await transcribeTracks([{ path: 'a', speakerId: 'm' }], { vad: energyVad, transcriber: t, decode }, { candidateLanguages: ['fr', 'en'] });
    expect(ok.segments[0]).toMatchObject({ status: 'transcribed', language: 'en', languageSource: 'detected' });
    expect(stats.langs).toEqual(['en']);
    const none = await transcribeTracks([{ path: 'a', speakerId: 'm' }], { vad: energyVad, transcriber: t, decode }, { candidateLanguages: ['fr'] });
    expect(none.segments[0]).toMatchObject({ status: 'untranscribed', language: null, languageSource: 'unknown' });
  });

  it('cuts a lone long region at its pause so both workers run, and stitches the pieces back with track times', async () => {
    // one 9 s sentence (6–15 s in the track) with a 0.3 s pause at 10.0–10.3: the VAD region is merged across it
    const decode = memorySource({ a: bursts(20, [[6, 10], [10.3, 15]]) });
    const cut = fakeTranscriber();
    const r = await transcribeTracks([{ path: 'a', speakerId: 'm', language: 'en' }], { vad: energyVad, transcriber: cut.t, decode }, { cutRegions: true });
    expect(r.segments).toHaveLength(1);
    expect(r.pieces).toBe(2);
    expect(cut.stats.calls).toBe(2);
    expect(cut.stats.maxInFlight).toBe(2);
    const seg = r.segments[0];
    expect([seg.start, seg.end]).toEqual([5.8, 15.2]);
    expect(seg.text.split(' ').filter((w) => w === 'speech')).toHaveLength(2);
    // each piece's word is shifted by the region start plus the piece offset: the second starts just after the pause
    expect(seg.words).toHaveLength(2);
    expect(seg.words[0].start).toBeCloseTo(5.9, 3);
    expect(seg.words[1].start).toBeGreaterThan(10.0);
    expect(seg.words[1].start).toBeLessThan(10.45);
    expect(seg.words[0].end).toBeLessThan(seg.words[1].start);
    expect(seg.words[1].end).toBeCloseTo(15.1, 3);

    const whole = fakeTranscriber();
    const w = await transcribeTracks([{ path: 'a', speakerId: 'm', language: 'en' }], { vad: energyVad, transcriber: whole.t, decode }); // default: no cut
    expect(whole.stats.calls).toBe(1);
    expect(w.segments.map((s) => [s.index, s.start, s.end])).toEqual(r.segments.map((s) => [s.index, s.start, s.end]));
    // with one worker there is nothing to gain: no cut
    const one = fakeTranscriber();
    await transcribeTracks([{ path: 'a', speakerId: 'm', language: 'en' }], { vad: energyVad, transcriber: one.t, decode }, { concurrency: 1, cutRegions: true });
    expect(one.stats.calls).toBe(1);
  });

  it('leaves the regions of a busy window whole (no worker would be idle)', async () => {
    const decode = memorySource({ a: bursts(30, [[1, 5], [7, 11], [13, 17], [19, 23]]) });
    const { t, stats } = fakeTranscriber();
    const r = await transcribeTracks([{ path: 'a', speakerId: 'm', language: 'en' }], { vad: energyVad, transcriber: t, decode }, { cutRegions: true });
    expect(r.segments).toHaveLength(4);
    expect(stats.calls).toBe(4);
    expect(stats.maxInFlight).toBe(2);
    // 12 s + 6 s: the long one is under 1.5 workers' shares, the short one fills the other worker — no cut
    const two = fakeTranscriber();
    const r2 = await transcribeTracks([{ path: 'b', speakerId: 'm', language: 'en' }], { vad: energyVad, transcriber: two.t, decode: memorySource({ b: bursts(25, [[1, 13], [15, 21]]) }) }, { cutRegions: true });
    expect(r2.segments).toHaveLength(2);
    expect(two.stats.calls).toBe(2);
  });
});
