import { ModelError } from '../types.js';

/** Why an audio input was refused. */
export type AudioProblem =
  | 'NOT_FOUND'
  | 'EMPTY'
  | 'CORRUPT'
  | 'TRUNCATED'
  | 'UNSUPPORTED'
  | 'NO_AUDIO_STREAM'
  | 'BAD_SAMPLE_RATE'
  | 'TOO_LONG'
  | 'SILENT'
  | 'DECODER_MISSING';

/**
 * A bad audio input (or a missing decoder). A ModelError with code BAD_INPUT (MISSING_BACKEND for a
 * missing ffmpeg) and a machine-readable `problem`, so the service can map it to a clear 4xx message.
 */
export class AudioInputError extends ModelError {
  constructor(
    readonly problem: AudioProblem,
    message: string,
    fix?: string,
  ) {
    super(problem === 'DECODER_MISSING' ? 'MISSING_BACKEND' : 'BAD_INPUT', message, fix);
    this.name = 'AudioInputError';
  }
}
