/**
 * Types of the text opinion map pipeline (issue 6). Every stage is a pure function from typed input to
 * typed output; models arrive as the interfaces of models/types.ts; every stage output carries provenance.
 */
import type {
  Embedder,
  LanguageId,
  Provenance,
  Sentiment,
  Stance,
  StanceExample,
  Summarizer,
  Translator,
} from '../../models/types.js';

/** One contribution as the service hands it over. `lang` (ISO 639-1) skips language id when given. */
export interface Contribution {
  id: string;
  text: string;
  lang?: string;
}

/** A vote on a contribution (Pol.is convention: 1 agree, -1 disagree, 0 pass). `group` = voter group, if known. */
export interface VoteRecord {
  participantId: string;
  contributionId: string;
  vote: 1 | 0 | -1;
  group?: string;
}

export interface TextMapInput {
  contributions: Contribution[];
  votes?: VoteRecord[];
}

/** Provenance of one stage output: ISSUE/ARCHITECTURE contract. */
export interface StageProvenance {
  stage: string;
  version: string;
  modelIds: string[];
  weightsSha256: Array<string | null>;
  params: Record<string, unknown>;
  seed: number | null;
  /** sha256 of the canonical JSON of the stage's input */
  inputHash: string;
  /** full provenance of every model call the stage made (from Result<T>.provenance), deduplicated */
  models: Provenance[];
}

export type TextMapErrorCode =
  | 'MISSING_FIELD'
  | 'DUPLICATE_ID'
  | 'EMPTY_TEXT'
  | 'TOO_LONG'
  | 'TOO_MANY'
  | 'EMPTY_INPUT'
  | 'MISSING_MODEL'
  | 'BAD_OPTION'
  | 'ABORTED';

/** Typed error of the text pipelines. `ids` lists every offending contribution (all of them, not the first). */
export class TextMapError extends Error {
  constructor(
    readonly code: TextMapErrorCode,
    message: string,
    readonly ids: string[] = [],
  ) {
    super(message);
    this.name = 'TextMapError';
  }
}

export type ContributionFlag =
  /** U+FFFD or typical UTF-8-read-as-Latin-1 sequences (Ã©, â€™) found */
  | 'broken-encoding'
  /** language has no translation pair to the pivot: kept untranslated */
  | 'unsupported-language'
  /** language id confidence below the threshold */
  | 'uncertain-language'
  /** no translator given, text kept in its own language */
  | 'untranslated'
  /** the embedder's languages do not include this text's language (kept, embedded as is) */
  | 'language-outside-embedder';

export interface NormalisedContribution {
  id: string;
  /** input text as given */
  original: string;
  /** NFC, control chars stripped, whitespace collapsed */
  text: string;
  /** near-duplicate group id = id of the group's first member (input order) */
  groupId: string;
  flags: ContributionFlag[];
  lang?: string;
}

export interface MappedContribution {
  id: string;
  text: string;
  lang: string;
  langConfidence: number;
  /** text in the pivot language (translation, or the text itself) */
  pivotText: string;
  translated: boolean;
  flags: ContributionFlag[];
  /** id of the group representative when this is a near-duplicate of it, else null */
  duplicateOf: string | null;
  x: number;
  y: number;
  /** top-level cluster id ('c0', 'c1', …) */
  cluster: string;
  /** sub-topic id ('c0.1') or null */
  subcluster: string | null;
  sentiment: number | null;
  stance: string | null;
}

/**
 * A contribution set apart from the map: its language is unsupported (outside `opts.languages`, or without a
 * translation pair to the pivot). Kept and flagged 'unsupported-language', never translated, never embedded,
 * clustered or summarised: the facilitator sees it listed apart (to translate by hand or to add the language).
 */
export interface ApartContribution {
  id: string;
  text: string;
  lang: string;
  langConfidence: number;
  flags: ContributionFlag[];
  duplicateOf: string | null;
}

export interface Keyword {
  term: string;
  score: number;
}

export interface SentimentDistribution {
  /** contributions scored (in the sentiment model's languages) */
  n: number;
  mean: number;
  positive: number;
  neutral: number;
  negative: number;
}

export interface StanceDistribution {
  /** contributions classified (a seeded sample of at most opts.stanceSample per cluster) */
  n: number;
  counts: Record<string, number>;
}

/** A sentence of a key-statement summary; `sourceIds` are contribution ids of this cluster, never empty. */
export interface KeyStatement {
  /** the contributor's own words, verbatim, in the language they were written in (never the pivot translation) */
  text: string;
  /** language of `text` (ISO 639-1), when known */
  lang?: string;
  /** the contribution the sentence was extracted from, when extractive over contributions */
  contributionId: string | null;
  sourceIds: string[];
}

export interface Cluster {
  id: string;
  parentId: string | null;
  level: 1 | 2;
  size: number;
  memberIds: string[];
  /** class-based TF-IDF keywords over the pivot texts (comparable across languages; staff material) */
  keywords: Keyword[];
  /** keywords per language, over the original texts of the members written in that language (labels readers see) */
  keywordsByLang: Record<string, Keyword[]>;
  representativeIds: string[];
  sentiment: SentimentDistribution | null;
  stance: StanceDistribution | null;
  keyStatements: KeyStatement[];
  centroid2d: [number, number];
}

export interface ConsensusCandidate {
  contributionId: string;
  text: string;
  score: number;
  /** share of clusters whose nearest-neighbour support of this statement is non-negative */
  clusterBreadth: number;
  /** share of the support with non-negative sentiment / stance */
  nonNegativeShare: number;
  supportSize: number;
  /** smoothed agreement (min over voter groups) when votes were given */
  voteScore: number | null;
}

export interface TextMap {
  version: string;
  seed: number;
  mode: EmbeddingMode;
  pivot: string;
  /** mapped contributions, in input order (those set apart are in `apart`) */
  contributions: MappedContribution[];
  /** contributions in unsupported languages, set apart (input order) */
  apart: ApartContribution[];
  clusters: Cluster[];
  consensus: ConsensusCandidate[];
  rejected: Array<{ id: string; code: TextMapErrorCode; message: string }>;
  provenance: StageProvenance[];
  stats: Record<string, number>;
}

export type EmbeddingMode = 'semantic' | 'lexical';
export type ClusterSpace = 'embedding' | 'umap';

/** Batch key–value cache keyed by content hash (the service backs it with SQLite). */
export interface KeyValueCache<V> {
  get(keys: string[]): Promise<Array<V | undefined>>;
  set(entries: Array<[string, V]>): Promise<void>;
}

export interface TextMapCache {
  embeddings?: KeyValueCache<Float32Array>;
  translations?: KeyValueCache<string>;
}

export interface TextMapDeps {
  languageId?: LanguageId;
  translator?: Translator;
  /** required for mode 'semantic' */
  embedder?: Embedder;
  sentiment?: Sentiment;
  stance?: Stance;
  /** optional: key statements through this model instead of the built-in centroid/MMR selection */
  summarizer?: Summarizer;
  cache?: TextMapCache;
}

export interface Limits {
  /** characters after normalisation (default 5,000) */
  maxChars: number;
  /** contributions (default 250,000) */
  maxContributions: number;
}

export type ProgressFn = (fraction: number, message: string) => void;

export interface TextMapOptions {
  seed?: number;
  pivot?: string;
  mode?: EmbeddingMode;
  limits?: Partial<Limits>;
  /** 'error' (default): any invalid contribution fails the whole call before any work; 'skip': listed in map.rejected */
  onInvalid?: 'error' | 'skip';
  /**
   * languages the contributions may be in (ISO 639-1; the assembly's languages). A contribution in another language
   * is flagged 'unsupported-language' and set apart (map.apart), not translated, even when a translation pair exists.
   * Without it, only languages lacking a pair to the pivot are unsupported.
   */
  languages?: string[];
  /** fixed k, or 'auto' (silhouette of the embeddings over k ∈ [kMin, kMax]) */
  k?: number | 'auto';
  /** smallest k tried by 'auto' (default ⌈√(n/8)⌉ between 2 and 12, see defaultKMin; tuned: pipelines/tuned.ts) */
  kMin?: number;
  /** largest k tried by 'auto' (default ⌊√(n/2)⌋ between 2 and 30; pipelines/tuned.ts) */
  kMax?: number;
  /** cluster on a 5-d UMAP of the vectors (default, BERTopic style; measured better on the keypoints and topics evals) or on the vectors */
  clusterSpace?: ClusterSpace;
  /** second level of sub-topics for clusters with at least this many members (default 60; 0 = off) */
  subtopicMinSize?: number;
  /** UMAP is fitted on at most this many points; the rest are placed from their neighbours (default 5,000) */
  umapSample?: number;
  /** lexical mode: SVD dimensions (default 100) */
  svdDims?: number;
  /** language-id confidence below which a contribution is flagged (default 0.4) */
  minLanguageConfidence?: number;
  stanceExamples?: StanceExample[];
  /** sentiment on a seeded sample of at most this many contributions per cluster (and ⌊32,000 / k⌋, ≥ 200) (default 2,000: all of them in
   * most assemblies; an estimate of the distribution for very large ones; unsampled ones get sentiment null) */
  sentimentSample?: number;
  /** stance is classified on a seeded sample of at most this many contributions per cluster (default 100; and at
   * most ⌊600 / k⌋ (≥ 10) per cluster, since the stance model embeds the texts again) */
  stanceSample?: number;
  keyStatements?: number;
  batchSize?: number;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}
