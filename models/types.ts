/**
 * Model task interfaces. Feature code (pipelines, jobs) depends on these only; adapters under
 * models/<backend>/ implement them and the registry (models/registry.ts) picks one per task.
 * This folder imports nothing from src/ or pipelines/.
 */

export type TaskName =
  | 'languageId'
  | 'embedder'
  | 'translator'
  | 'summarizer'
  | 'transcriber'
  | 'voiceActivity'
  | 'sentiment'
  | 'stance'
  | 'textGenerator';

/** Provenance attached to every model output. */
export interface Provenance {
  task: TaskName;
  backend: string; // e.g. 'fasttext-wasm', 'use-lite-tfjs', 'apertium', 'transformers.js'
  modelId: string; // e.g. 'lid.176.ftz', 'Xenova/multilingual-e5-small'
  version: string; // package or model version
  weightsSha256: string | null; // sha256 of the weights file(s); null for rule-based backends
  params: Record<string, unknown>;
}

/** Every model call returns its output together with the provenance of the model that made it. */
export interface Result<T> {
  output: T;
  provenance: Provenance;
}

export interface Model {
  readonly provenance: Provenance;
  /** Release resources (worker threads, child processes). Safe to call twice. */
  close?(): Promise<void>;
}

export interface LanguageGuess {
  lang: string; // ISO 639-1 where one exists ('fr', 'en'), else ISO 639-3
  confidence: number; // 0..1
}
export interface LanguageId extends Model {
  identify(texts: string[]): Promise<Result<LanguageGuess[]>>;
}

export interface Embedder extends Model {
  readonly dimensions: number;
  /** Languages the embedding space is meaningful for ('*' = multilingual). */
  readonly languages: string[];
  embed(texts: string[]): Promise<Result<Float32Array[]>>;
}

/** Optional per-call translation options (added; backends that cannot honour them ignore them). */
export interface TranslateOptions {
  /** names (people, places, organisations) that must come out unchanged */
  protectedNames?: string[];
}

export interface Translator extends Model {
  /** Supported [from, to] pairs, ISO 639-1. */
  readonly pairs: ReadonlyArray<readonly [string, string]>;
  translate(texts: string[], from: string, to: string, opts?: TranslateOptions): Promise<Result<string[]>>;
}

export interface SourceDoc {
  id: string;
  text: string;
}
export interface SummarySentence {
  text: string;
  /** ids of the source documents this sentence stands for; never empty */
  sourceIds: string[];
}
export interface Summarizer extends Model {
  summarize(docs: SourceDoc[], opts?: { maxSentences?: number; language?: string }): Promise<Result<SummarySentence[]>>;
}

export interface Word {
  word: string;
  start: number; // seconds
  end: number;
}
export interface TranscriptSegment {
  start: number; // seconds from the start of the audio given
  end: number;
  text: string;
  words?: Word[];
  confidence?: number;
}
export interface Transcriber extends Model {
  /** ISO 639-1 languages this backend can transcribe. */
  readonly languages: string[];
  /** audio: 16 kHz mono float samples in [-1, 1]. Throws ModelError('UNSUPPORTED_LANGUAGE') for other languages. */
  transcribe(audio: Float32Array, opts: { language: string }): Promise<Result<TranscriptSegment[]>>;
}

export interface SpeechRegion {
  start: number; // seconds
  end: number;
}
export interface VoiceActivity extends Model {
  detect(audio: Float32Array, sampleRate: number): Promise<Result<SpeechRegion[]>>;
}

export interface Sentiment extends Model {
  readonly languages: string[];
  /** compound polarity in [-1, 1] per text */
  score(texts: string[]): Promise<Result<number[]>>;
}

export interface StanceExample {
  text: string;
  label: string;
}
export interface StanceResult {
  label: string;
  scores: Record<string, number>;
}
export interface Stance extends Model {
  classify(texts: string[], examples: StanceExample[]): Promise<Result<StanceResult[]>>;
}

export interface TextGenerator extends Model {
  generate(prompt: string, opts?: { maxNewTokens?: number; temperature?: number; seed?: number }): Promise<Result<string>>;
}

export interface TaskMap {
  languageId: LanguageId;
  embedder: Embedder;
  translator: Translator;
  summarizer: Summarizer;
  transcriber: Transcriber;
  voiceActivity: VoiceActivity;
  sentiment: Sentiment;
  stance: Stance;
  textGenerator: TextGenerator;
}

export type ModelErrorCode = 'MISSING_BACKEND' | 'UNSUPPORTED_LANGUAGE' | 'BAD_INPUT' | 'MODEL_FAILED';

/** Errors from the model layer. `fix` names what to install when a backend is missing. */
export class ModelError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
    readonly fix?: string,
    readonly transient = false,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

/** What `plenary models list` and /readyz report for each backend. */
export interface BackendStatus {
  task: TaskName;
  backend: string;
  modelId: string;
  tier: 'offline' | 'production';
  available: boolean;
  chosen: boolean;
  /** why it is not available or not chosen */
  reason?: string;
  /** command or action that makes it available */
  fix?: string;
  /** languages the backend covers, where that is known without loading it (speech recognition: pocketsphinx 'en'; whisper from its file header) */
  languages?: string[];
}

/** Tools outside npm the service uses (ffmpeg, apertium, pocketsphinx …). */
export interface ToolStatus {
  name: string;
  available: boolean;
  version?: string;
  fix?: string;
}

export interface ModelRegistry {
  /** Loads lazily once and shares the instance. Throws ModelError('MISSING_BACKEND') naming what to install. */
  get<T extends TaskName>(task: T): Promise<TaskMap[T]>;
  status(): Promise<BackendStatus[]>;
  tools(): Promise<ToolStatus[]>;
  close(): Promise<void>;
}

/** Configuration the registry passes to backends (parsed by the service's config; defaults work offline). */
export interface ModelsConfig {
  /** directory holding production weights: <dir>/<model-id>/… (Hugging Face layout) and <dir>/whisper/*.bin */
  modelsDir: string;
  /** per-task backend preference; 'auto' = best available */
  prefer: Partial<Record<TaskName, string>>;
  /** worker threads for heavy CPU models (embeddings); default 2 */
  threads: number;
  /** languages the assembly works in (language id is restricted to these when set) */
  languages: string[];
}

/**
 * One backend for one task. Adapter modules export descriptors; models/registry.ts lists them and picks,
 * per task, the preferred available one (production before offline unless config says otherwise).
 */
export interface BackendDescriptor<T extends TaskName = TaskName> {
  task: T;
  backend: string;
  modelId: string;
  tier: 'offline' | 'production';
  /** higher wins among available backends of a task */
  rank: number;
  /** cheap check (files present, binary on PATH); never loads weights */
  probe(cfg: ModelsConfig): Promise<{ available: boolean; reason?: string; fix?: string; languages?: string[] }>;
  /** loads the model; called once by the registry, result shared */
  create(cfg: ModelsConfig): Promise<TaskMap[T]>;
}
