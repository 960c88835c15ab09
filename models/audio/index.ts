/**
 * Audio backends: speech to text (PocketSphinx offline; whisper.cpp production) and voice activity
 * (Silero). models/registry.ts lists `audioBackends`; decoding helpers (ffmpeg) are exported for the
 * service, which passes them to the transcription pipeline as a function argument.
 */
import type { BackendDescriptor } from '../types.js';
import { pocketsphinxDescriptor } from './pocketsphinx.js';
import { sileroDescriptor } from './silero.js';
import { whisperCppDescriptor } from './whisper.js';

export const audioBackends: BackendDescriptor[] = [
  whisperCppDescriptor as BackendDescriptor,
  pocketsphinxDescriptor as BackendDescriptor,
  sileroDescriptor as BackendDescriptor,
];

export { decodeToPcm, streamPcm, probeAudio, ffmpegVersion } from './ffmpeg.js';
export type { AudioInfo, DecodeOptions, StreamOptions, PcmStreamer } from './ffmpeg.js';
export { AudioInputError } from './errors.js';
export type { AudioProblem } from './errors.js';
export { createPocketsphinx, PocketsphinxTranscriber } from './pocketsphinx.js';
export { createSileroVad, SileroVad } from './silero.js';
export { createWhisperCpp, WhisperCppTranscriber, findWhisperModel } from './whisper.js';
export { encodeWav16 } from './wav.js';
