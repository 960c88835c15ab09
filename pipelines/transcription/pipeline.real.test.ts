/** The pipeline against the real components: ffmpeg streaming, Silero VAD and PocketSphinx. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createPocketsphinx, createSileroVad, streamPcm } from '../../models/audio/index.js';
import { fixture } from '../../models/audio/testutil.js';
import type { Transcriber, VoiceActivity } from '../../models/types.js';
import { transcribeTracks } from './pipeline.js';

describe('transcribeTracks (real ffmpeg + Silero + PocketSphinx)', () => {
  let vad: VoiceActivity;
  let transcriber: Transcriber;
  beforeAll(async () => {
    [vad, transcriber] = await Promise.all([createSileroVad(), createPocketsphinx()]);
  });

  it('transcribes a two-track conversation with each turn attributed to its member, and a French track as untranscribed', async () => {
    const r = await transcribeTracks(
      [
        { path: fixture('two-speakers-a.wav'), speakerId: 'alice', language: 'en' },
        { path: fixture('two-speakers-b.wav'), speakerId: 'bob', language: 'en' },
        { path: fixture('fleurs-fr-000.ogg'), speakerId: 'chloe', language: 'fr' },
      ],
      { vad, transcriber, decode: streamPcm },
    );
    const en = r.segments.filter((s) => s.trackIndex < 2);
    // alice, bob, alice in time order (turns at ≈0.5 s, ≈5.4 s, ≈9.6 s)
    expect(en.map((s) => s.speakerId)).toEqual(['alice', 'bob', 'alice']);
    expect(en.every((s) => s.status === 'transcribed' && s.text.length > 0)).toBe(true);
    expect(en[1].start).toBeGreaterThan(4.5);
    expect(en[2].start).toBeGreaterThan(8.5);
    for (const s of en) for (const w of s.words) expect(w.start).toBeGreaterThanOrEqual(s.start - 0.05);
    const fr = r.segments.filter((s) => s.trackIndex === 2);
    expect(fr.length).toBeGreaterThan(0);
    expect(fr.every((s) => s.status === 'untranscribed' && s.text === '' && s.language === 'fr')).toBe(true);
    expect(en[0].provenance?.backend).toBe('pocketsphinx');
  });

  it('labels the turns of a mixed recording "unknown speaker"', async () => {
    const r = await transcribeTracks([{ path: fixture('two-speakers-mixed.wav'), speakerId: null, language: 'en' }], { vad, transcriber, decode: streamPcm });
    expect(r.segments.length).toBe(3);
    expect(r.segments.every((s) => s.speakerId === null && s.speakerLabel === 'unknown speaker')).toBe(true);
    expect(r.segments.every((s) => s.status === 'transcribed' && s.text.length > 0)).toBe(true);
  });
});
