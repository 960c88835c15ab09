/**
 * Child process of evals/bench/asr.ts: runs the streaming transcription pipeline over one long file and
 * prints one JSON line with wall time, CPU time and this process's peak RSS (a fresh process, so the peak
 * belongs to this run only). Usage: tsx evals/bench/asr-long.ts <file> [transcribe=true|false]
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createPocketsphinx, createSileroVad, probeAudio, streamPcm } from '../../models/audio/index.js';
import type { Result, Transcriber, TranscriptSegment } from '../../models/types.js';
import { transcribeTracks } from '../../pipelines/transcription/index.js';

function cpuSeconds(): number {
  const f = readFileSync('/proc/self/stat', 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(rest[i - 3]);
  return (n(14) + n(15) + n(16) + n(17)) / 100;
}

const [file, transcribeArg] = process.argv.slice(2);
const transcribe = transcribeArg !== 'false';
const info = await probeAudio(file);
const vad = await createSileroVad();
const real = await createPocketsphinx({ concurrency: 2 });
// stopped early (Ctrl-C, kill): take the pocketsphinx children down too
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void real.close().finally(() => process.exit(130)));
// decode + VAD + regions only: a transcriber that returns nothing (measures the streaming front end)
const none: Transcriber = { languages: ['en'], provenance: real.provenance, transcribe: async (): Promise<Result<TranscriptSegment[]>> => ({ output: [], provenance: real.provenance }) };
const load0 = os.loadavg()[0];
const c0 = cpuSeconds();
const t0 = performance.now();
let lastLog = 0;
const r = await transcribeTracks([{ path: file, speakerId: 'x', language: 'en', durationSec: info.durationSec }], { vad, transcriber: transcribe ? real : none, decode: streamPcm }, {
  concurrency: 2,
  windowSec: 300,
  onProgress: (p) => {
    if (performance.now() - lastLog > 30_000) {
      lastLog = performance.now();
      process.stderr.write(`[asr-long] ${(p.fraction * 100).toFixed(0)}% ${p.message} rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB, ${Math.round((performance.now() - t0) / 1000)} s, load ${os.loadavg()[0].toFixed(2)}\n`);
    }
  },
});
const wall = (performance.now() - t0) / 1000;
const cpu = cpuSeconds() - c0;
await real.close();
process.stdout.write(
  JSON.stringify({
    wall_s: Math.round(wall),
    rtf: Math.round((wall / info.durationSec) * 1000) / 1000,
    cpu_s: Math.round(cpu),
    cpu_rtf: Math.round((cpu / info.durationSec) * 1000) / 1000,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    segments: r.segments.length,
    pieces: r.pieces,
    load_average_start_end: `${load0.toFixed(1)} / ${os.loadavg()[0].toFixed(1)}`,
    words: r.segments.reduce((a, s) => a + s.words.length, 0),
  }) + '\n',
);
