/** Vote counting, usable alone: ranked (Schulze, modified Borda), approval, support threshold, majority judgment, consent. */
export * from './types.js';
export * from './schulze.js';
export * from './borda.js';
export * from './approval.js';
export * from './mj.js';
export * from './consent.js';
export * from './readers.js';
export * from './tally.js';
