/**
 * Every default that was tuned on data, in one place, each with the data it was chosen on. The splits are in
 * evals/SPLITS.md (rules: evals/splits.ts): a setting is chosen on the VALIDATION part of the public sets and its
 * figures reported on the TEST part. Values here predating the splits say so, with what re-checking them on
 * validation alone gave (each suite's RESULTS.md, evals/bench/RESULTS.md).
 */
import type { OpinionMapOptions } from './votes/opinion-map.js';

export { TRANSLATION_TUNED } from '../models/tuned.js';

/**
 * Text map: the range k is chosen in (by the silhouette of the embeddings), as functions of n contributions:
 * kMin = ⌈√(n / kMinDivisor)⌉ clamped to [2, kMinCap], kMax = ⌊√(n / kMaxDivisor)⌋ clamped to [2, kMaxCap].
 * First chosen (2026-11-25) as [√(n/8), √(n/2)] on ArgKP train+dev and Bowling Green together — test data included.
 * Re-checked 2026-12-07 on the VALIDATION parts only — CCC 'Se nourrir' (French, 42 measures, objective labels) and
 * Bowling Green even-hash ids (level-1 topics), semantic mode — with `npx tsx evals/topics/tune-k.ts` (per-k
 * silhouette, NMI and ARI; 9 windows scored from them): wider windows raise both means there — kMax ⌊√(2n)⌋ with
 * this floor: NMI 0.458 → 0.528, ARI 0.254 → 0.303 (k 4 → 9 on CCC); [√(n/2), √(2n)]: NMI 0.556, ARI 0.281 —
 * but both break the known-answer tests of clear coarse topics (pipelines/text/build.test.ts: 3 topics in 42 texts
 * are split; k-choice.test.ts with the higher floor: 6 topics in 120 texts are split). The validation sets' labels are
 * fine-grained (3 measures an objective); a facilitator's overview map is not. So the default is KEPT; a caller
 * wanting fine-grained topics passes kMin/kMax (the topics eval: --k-min/--k-max). See evals/topics/RESULTS.md.
 */
export const TEXT_MAP_K = { kMinDivisor: 8, kMinCap: 12, kMaxDivisor: 2, kMaxCap: 30 } as const;

/**
 * Vote replay cadence: votes within `updateIntervalMs` of an update's first vote form one update; at most
 * `maxUpdates` updates (the interval doubles until the history fits). First chosen (2026-11-25) over 1 min … 1 h on
 * every public export and API dump together; re-chosen on the validation conversations only (evals/SPLITS.md) with
 * `npm run eval -- votes --split validation --options '{"updateIntervalMs": …}'`.
 */
export const REPLAY_TUNED = { updateIntervalMs: 60 * 1000, maxUpdates: 300 } as const;

/**
 * Options for a conversation whose math runs update after update (a live conversation, or a replayed history);
 * the service uses them for every recompute. Chosen against Pol.is's own behaviour (its published algorithm) and
 * checked on the API dumps: each k's group clustering restarted from the first k base centres ('first'; continuing
 * each k's previous clustering agreed less with Pol.is's dumps: mean ARI 0.50 against 0.83 — measured on all three
 * dumps, before the split; not re-measured on the validation dumps alone).
 */
export const LIVE_TUNED = {
  baseInit: 'first', groupInit: 'first', groupWarmStart: 'first', entryCount: 'all', silhouetteWeights: 'bases',
} as const satisfies Partial<OpinionMapOptions>;
