/** Public API of the text opinion map pipeline. */
export * from './types.js';
export { buildTextMap, DEFAULT_STANCE_EXAMPLES, TEXT_MAP_VERSION } from './build.js';
export { normalise, normaliseText, detectBrokenEncoding, duplicateKey, DEFAULT_LIMITS } from './normalise.js';
export { identifyLanguages, translateToPivot, embedSemantic, embeddingKey, translationKey } from './stages.js';
export { fitTfidf, transformTfidf, randomizedSvd, lexicalEmbeddings } from './lexical.js';
export { clusterVectors, silhouette, defaultKMax, defaultKMin } from './cluster.js';
export { reduceUmap } from './reduce.js';
export { classTfidfKeywords, representatives } from './labels.js';
export { tokenize, STOP_WORDS } from './tokenize.js';
export { MemoryCache, memoryTextMapCache } from './cache.js';
export { verifyCitations, mmrKeyStatements } from '../summaries/index.js';
export { consensusCandidates } from '../consensus/index.js';
