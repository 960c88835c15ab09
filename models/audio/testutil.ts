/** Test helpers for the audio adapters (fixtures path, speech spans of clean synthetic audio). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const AUDIO_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/audio');
export const fixture = (name: string): string => path.join(AUDIO_FIXTURES, name);

/**
 * Spans where clean synthetic audio (espeak-ng between digital silence) is non-silent: |x| > threshold,
 * gaps shorter than `minGap` seconds joined. An independent ground truth for VAD tests.
 */
export function energySpans(pcm: Float32Array, rate = 16000, threshold = 1e-3, minGap = 0.5): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  let cur: { start: number; end: number } | null = null;
  for (let i = 0; i < pcm.length; i++) {
    if (Math.abs(pcm[i]) <= threshold) continue;
    const t = i / rate;
    if (cur && t - cur.end <= minGap) cur.end = t;
    else {
      if (cur) spans.push(cur);
      cur = { start: t, end: t };
    }
  }
  if (cur) spans.push(cur);
  return spans;
}
