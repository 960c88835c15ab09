export { planRegions } from './regions.js';
export type { RegionPlanOptions } from './regions.js';
export { pool, transcribeTracks, STAGE } from './pipeline.js';
export type {
  PcmSource, Progress, SegmentStatus, TrackInput, TranscribedSegment, TranscriptionDeps, TranscriptionOptions, TranscriptionResult,
} from './pipeline.js';
