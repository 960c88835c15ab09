/** Public API of the votes pipeline: opinion groups from agree / disagree / pass votes, and Pol.is interchange. */
export { buildVoteMatrix, addVotes, getVote, VoteInputError, type Vote, type VoteColumns, type VoteMatrix, type VoteValue } from './matrix.js';
export {
  computeOpinionMap, type OpinionMapInput, type OpinionMapOptions, type OpinionMapResult, type OpinionMap, type OpinionMapState,
  type NotEnoughVotes, type OpinionGroup, type StatementFlag,
} from './opinion-map.js';
export {
  representativeStatements, consensusStatements, groupInformedConsensus, routingPriority, proportionZ, twoProportionZ, smoothed,
  META_PRIORITY, Z90, type RepresentativeStatement, type ConsensusStatement, type GroupCounts,
} from './stats.js';
export { createPrng, type Prng } from './prng.js';
export { replayInclusion, type TimedVote, type ReplayInclusionOptions } from './inclusion.js';
export {
  parsePolisExport, serialisePolisExport, polisToConversation, polisVoteHistory, readCsv, PolisCsvError, POLIS_ATTRIBUTION,
  type PolisExport, type PolisFiles, type PolisComment, type PolisVoteRow, type PolisParticipantRow, type PolisConversation,
  type PolisAttribution, type PolisCsvProblem,
} from './polis-csv.js';
export {
  replayOpinionMaps, replaySteps, joinOrderHistory, updateBoundaries, LIVE_OPTIONS, REPLAY_DEFAULTS,
  type TimedVoteValue, type ReplayInput, type ReplayOptions, type ReplayResult,
} from './replay.js';
