/**
 * Sortition pipeline: public API for the service. All functions are pure (no I/O, no environment); the ones that
 * solve LPs/MILPs are async because HiGHS (WebAssembly) loads asynchronously once per process.
 *
 *   parseQuotasCsv(text) / parsePeopleCsv(text, {mapping?, quotas?}) / detectColumnMapping / detectCsvKind
 *   validateSelectionInput(pool, quotas, k)                 → throws SortitionError (code + issues with lines)
 *   selectPanel(pool, quotas, k, {algorithm, …})            → SelectionResult (probabilities by id, distribution)
 *   diagnoseQuotas(pool, quotas, k)                         → feasible? smallest relaxation
 *   buildLottery(pool, quotas, result, {m}) → Lottery (publish lottery.sha256 before the draw)
 *   drawFromLottery(lottery, publicSeed) → DrawRecord;  verifyDraw(record, pool, quotas) → checks
 *   rankAlternates(pool, quotas, panel, {seed}) / replaceDropouts(pool, quotas, panel, dropouts, {seed})
 *   anonymiseProbabilities / probabilityHistogram / summarise
 */
export * from './types.js';
export { parsePeopleCsv, parseQuotasCsv, detectColumnMapping, detectCsvKind, householdKey, quotaColumns, readCsvCells, type ColumnMapping, type CsvNote, type ParsedPeople } from './csv.js';
export { validateSelectionInput, poolSha256, quotasSha256, inputSha256, canonicalPool, canonicalQuotas } from './pool.js';
export { selectPanel, diagnoseQuotas, countQuotaViolations, probabilitiesInOrder, selectionParams, type SelectOptions, type SelectionParams } from './select.js';
export type { QuotaDiagnosis } from './relax.js';
export { buildLottery, drawFromLottery, runDraw, verifyDraw, systematicRounding, type Lottery, type DrawRecord, type VerifyResult, type VerifyCheck } from './lottery.js';
export { rankAlternates, replaceDropouts, type AlternatesRanking, type AlternateCandidate, type DropoutReplacement } from './alternates.js';
export { legacyMonteCarlo, legacyPanel, type LegacyEstimate } from './legacy.js';
export { anonymiseProbabilities, probabilityHistogram, summarise, gini, geometricMean, jeffreysUpper, type HistogramBin, type ProbabilitySummary } from './stats.js';
export { Rng, sha256Hex, indexFromSeed } from './random.js';
export { loadHighs } from './solver.js';
export { ColumnGenerationTimeout, DEFAULT_GAP_TOLERANCE, LeximinStalledError } from './leximin.js';
export { generatePool, poolToCsv, SF_E_LIKE, type GeneratedPool, type PoolModel } from './generate.js';
