export { extractIdeas, sentenceSpans, STAGE } from './extract.js';
export type { CandidateKind, ExtractOptions, IdeaCandidate, TranscriptSegmentInput } from './extract.js';
