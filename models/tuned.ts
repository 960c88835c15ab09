/**
 * Tuned defaults of the model layer, in one place (pipelines/tuned.ts re-exports them beside the pipelines' own).
 * Each value says on which data it was chosen; evals/SPLITS.md says which items are validation and which test.
 */
import type { SelectWeights } from './offline/pivot-select.js';

/**
 * Apertium fr↔en through several pivots, chosen per sentence (models/offline/pivot-select.ts).
 * Tuned on the VALIDATION part only: Tatoeba (LASER) pairs whose French line hashes even (234 of 500) and Multi30k
 * `val` (1,014 pairs), with `npx tsx evals/translation/tune.ts` (grid of weights; figures in
 * evals/translation/RESULTS.md). Never on the test part (Tatoeba odd hashes, Multi30k test_2016_flickr).
 */
export const TRANSLATION_TUNED: {
  /** pivots per direction, in order of preference (ties go to the first); a pivot is used when its two modes are installed */
  pivots: Record<string, string[]>;
  /** selection weights per direction */
  weights: Record<string, SelectWeights>;
  /** pivot for the back-translations of the round-trip score, per direction of the back-translation */
  roundTripPivot: Record<string, string[]>;
} = {
  pivots: { 'fr>en': ['es', 'ca', 'eo'], 'en>fr': ['ca', 'es'] },
  // Rule: the cheapest setting within 0.15 chrF of the best on validation (each round trip costs one more chain run
  // per call, and the service shares 2 cores). Grid of 31 settings, validation chrF:
  weights: {
    // 42.76 without round trip (best 42.89 with it; Spanish chain alone 41.78, Catalan 40.96, Esperanto 39.04)
    'fr>en': { consensus: 1, roundTrip: 0, marks: 5 },
    // 47.65: fewest marks, ties to Catalan (best 47.71 with round trip; Catalan alone 47.52, Spanish 45.58)
    'en>fr': { consensus: 0, roundTrip: 0, marks: 2 },
  },
  roundTripPivot: { 'en>fr': ['ca', 'es'], 'fr>en': ['ca', 'es'] },
};
