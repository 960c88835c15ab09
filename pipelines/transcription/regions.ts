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
