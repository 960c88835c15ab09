import type { PcmSource } from '../../../pipelines/transcription/index.js';
import type { Module } from '../index.js';
import { DEFAULT_LIMITS, type BreakoutLimits } from './domain.js';
import { breakoutRoutes } from './http.js';
import { registerBreakoutJobs } from './jobs.js';
import { breakoutPages } from './pages.js';
import { breakoutKinds } from './service.js';
import { breakoutDesks } from './desk.js';

/** The breakouts module; tests pass smaller limits or another PCM source. */
export function breakoutsModule(opts: { limits?: Partial<BreakoutLimits>; decode?: PcmSource } = {}): Module {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  return {
    name: 'breakouts',
    api: (d) => breakoutRoutes(d, limits),
    pages: (d) => breakoutPages(d, limits),
    reviewKinds: (d) => breakoutKinds(d.jobs, d.review),
    desks: breakoutDesks,
    jobs: (d) => registerBreakoutJobs(d, { decode: opts.decode }),
  };
}
