/**
 * Stage 2: turn voice-activity regions into transcription regions of sensible length.
 * Pad each region (default 0.2 s each side, clamped to the audio), merge regions whose padded gap is
 * small while the merged length stays under the cap, and split regions longer than the cap into equal
 * parts (no part longer than `maxSec`). Pure and deterministic.
 */
import type { SpeechRegion } from '../../models/types.js';

export interface RegionPlanOptions {
  /** seconds added before and after each region (default 0.2) */
  padSec?: number;
  /** regions closer than this (after padding) are merged when the result fits (default 0.5) */
  mergeGapSec?: number;
  /** no region longer than this (default 30) */
  maxSec?: number;
  /** drop regions shorter than this before padding (default 0.15) */
  minSec?: number;
}

export function planRegions(speech: SpeechRegion[], durationSec: number, opts: RegionPlanOptions = {}): SpeechRegion[] {
  const pad = opts.padSec ?? 0.2;
  const gap = opts.mergeGapSec ?? 0.5;
  const max = opts.maxSec ?? 30;
  const min = opts.minSec ?? 0.15;
  if (!(max > 0)) throw new Error('maxSec must be > 0');
  const sorted = speech
    .filter((r) => Number.isFinite(r.start) && Number.isFinite(r.end) && r.end - r.start >= min)
    .map((r) => ({ start: Math.max(0, r.start - pad), end: Math.min(durationSec, r.end + pad) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const merged: SpeechRegion[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start - last.end <= gap && Math.max(last.end, r.end) - last.start <= max) {
      last.end = Math.max(last.end, r.end);
    } else if (last && r.start < last.end) {
      // overlapping after padding but too long to merge: share the overlap at its midpoint
      const mid = (r.start + last.end) / 2;
      last.end = mid;
      merged.push({ start: mid, end: r.end });
    } else {
      merged.push({ ...r });
    }
  }
  const out: SpeechRegion[] = [];
  for (const r of merged) {
    const len = r.end - r.start;
    if (len <= max) {
      out.push(r);
      continue;
    }
    const parts = Math.ceil(len / max - 1e-9);
    const step = len / parts;
    for (let i = 0; i < parts; i++) out.push({ start: r.start + i * step, end: i === parts - 1 ? r.end : r.start + (i + 1) * step });
  }
  return out.map((r) => ({ start: round3(r.start), end: round3(r.end) }));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const FRAME_SEC = 0.01; // 10 ms energy frames
/** a cut point must be this far (natural log of energy: 2.3 ≈ 10 dB) below the region's median frame energy */
export const PAUSE_DEPTH = 2.3;
const SMOOTH_FRAMES = 5; // ±50 ms moving average: a pause must be a stretch of quiet, not one quiet frame

/**
 * Stage 2b: where to cut one speech region into `pieces` parts that can be transcribed at the same time
 * (fewer when the region is too short to give every part `minPieceSec`, default 2 s). Each cut is placed at the
 * quietest point (lowest log energy averaged over ~100 ms, i.e. a pause between words rather than a stop
 * closure inside one) within ±35 % of a part's length around its even position, with a mild pull towards the
 * even position so the parts stay balanced when several pauses are equally quiet. A point that is not at least
 * `minDepth` (default ≈ 10 dB) quieter than the region's median frame is no pause: no cut is made there. Returns
 * the part start offsets in samples, the first being 0. Pure and deterministic.
 */
export function pauseCuts(audio: Float32Array, rate: number, pieces: number, minPieceSec = 2, minDepth = PAUSE_DEPTH): number[] {
  const len = audio.length / rate;
  const n = Math.min(Math.floor(len / Math.max(0.1, minPieceSec)), Math.floor(pieces));
  if (!(n >= 2)) return [0];
  const frame = Math.max(1, Math.round(rate * FRAME_SEC));
  const frames = Math.floor(audio.length / frame);
  const logE = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let e = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) e += audio[i] * audio[i];
    logE[f] = Math.log(e / frame + 1e-10);
  }
  const smooth = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let s = 0;
    let c = 0;
    for (let k = Math.max(0, f - SMOOTH_FRAMES); k <= Math.min(frames - 1, f + SMOOTH_FRAMES); k++) {
      s += logE[k];
      c++;
    }
    smooth[f] = s / c;
  }
  const median = [...logE].sort((x, y) => x - y)[Math.floor(frames / 2)] ?? 0;
  const step = len / n;
  const cuts = [0];
  let prev = 0;
  for (let i = 1; i < n; i++) {
    const ideal = i * step;
    const w = 0.35 * step;
    const lo = Math.max(ideal - w, prev + minPieceSec);
    const hi = Math.min(ideal + w, len - minPieceSec * (n - i));
    if (hi < lo) continue; // no room for a cut that keeps every piece long enough
    let best = -1;
    let bestScore = Infinity;
    for (let f = Math.ceil(lo / FRAME_SEC); f <= Math.floor(hi / FRAME_SEC) && f < frames; f++) {
      const d = (f * FRAME_SEC - ideal) / w;
      const score = smooth[f] + d * d; // 1 nat ≈ a factor e in energy at the window edge
      if (score < bestScore) {
        bestScore = score;
        best = f;
      }
    }
    // no real pause near this position: cutting inside running speech costs words, so leave it whole here
    if (best < 0 || smooth[best] > median - minDepth) continue;
    const at = best * frame + Math.floor(frame / 2);
    cuts.push(at);
    prev = at / rate;
  }
  return cuts;
}
