/**
 * Speech-to-text benchmark: real-time factor of plain single-process PocketSphinx (one
 * pocketsphinx_continuous over the whole clip) against the pipeline without cuts (Silero regions, two
 * PocketSphinx processes at once — one per clip here, as a FLEURS clip is one region) and the pipeline as it
 * is (regions cut at pauses so both cores work), side by side on the same clips (JFK + FLEURS English), with
 * WER of each; then the streaming pipeline end to end (transcription included) on a long file (FLEURS + JFK
 * looped with ffmpeg, 60 min by default): wall and CPU RTF, peak RSS.
 *
 * RTF = wall-clock seconds / audio seconds, decoding included. CPU seconds (this process + its children)
 * are reported too: the machine is shared, so wall time depends on other load (load average printed).
 *
 * Run: npm run bench -- asr [--data ../shared/data/speech] [--long-minutes 60] [--long-transcribe true|false]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError, type Bench, type BenchResult, type EvalArgs } from '../harness.js';
import { createPocketsphinx, createSileroVad, decodeToPcm, probeAudio, streamPcm } from '../../models/audio/index.js';
import { pool, transcribeTracks } from '../../pipelines/transcription/index.js';
import { errorCounts, pooled, type ErrorCounts } from '../asr/scorer.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TICK = 100; // clock ticks per second on Linux

/** CPU seconds used so far by this process and its reaped children (/proc/self/stat utime+stime+cutime+cstime). */
function cpuSeconds(): number {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    // fields after the name start at state (field 3): utime=14, stime=15, cutime=16, cstime=17
    const n = (i: number) => Number(rest[i - 3]);
    return (n(14) + n(15) + n(16) + n(17)) / TICK;
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

async function findClips(dir: string): Promise<Array<{ name: string; audio: string; ref: string }>> {
  const out: Array<{ name: string; audio: string; ref: string }> = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (/\.(wav|ogg)$/.test(e.name)) {
        const stem = p.replace(/\.(wav|ogg)$/, '');
        const ref = [`${stem}.txt`, `${stem}.reference.txt`].find((f) => existsSync(f));
        const name = path.basename(stem);
        if (ref && (/fleurs-en-/.test(name) || name === 'jfk')) out.push({ name, audio: p, ref });
      }
    }
  };
  try {
    await walk(dir);
  } catch (e) {
    throw new DataError(`cannot read speech data in ${dir}: ${(e as Error).message}`);
  }
  if (out.length === 0) throw new DataError(`no JFK or FLEURS English clips with references under ${dir}`);
  return out;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} failed: ${err.slice(-300)}`))));
  });
}

/** Runs the given script in a fresh Node process (tsx) and returns its JSON output: isolates peak RSS. */
function runChild(script: string, args: string[]): Promise<Record<string, number | string>> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.on('error', reject);
    c.on('close', (code) => {
      if (code !== 0) return reject(new Error(`long-file run exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, number | string>);
      } catch (e) {
        reject(e);
      }
    });
  });
}

function writeResults(result: BenchResult, command: string): void {
  const dir = path.join(HERE, 'results');
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString();
  writeFileSync(path.join(dir, 'asr.json'), JSON.stringify({ ...result, date, command, machine: `${os.cpus().length} cores / ${Math.round(os.totalmem() / 2 ** 30)} GB` }, null, 2) + '\n');
  const md = path.join(HERE, 'RESULTS.md');
  const existing = existsSync(md) ? readFileSync(md, 'utf8') : '# Benchmark results\n';
  const rows = result.rows ?? [];
  const cols = rows.length ? Object.keys(rows[0]) : [];
  const section = [
    '<!-- asr:start -->',
    '## asr — speech to text (PocketSphinx plain vs the pipeline, whole regions or cut at pauses; files two at a time; long file)',
    '',
    `Date: ${date.slice(0, 10)}. Machine: ${os.cpus().length} cores / ${Math.round(os.totalmem() / 2 ** 30)} GB (shared with other jobs: see load average). Command: \`${command}\``,
    '',
    ...Object.entries(result.figures).map(([k, v]) => `- ${k}: ${v}`),
    '',
    ...(rows.length ? [`| ${cols.join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${cols.map((c) => r[c]).join(' | ')} |`), ''] : []),
    ...(result.notes ?? []).map((n) => `Note: ${n}`),
    '<!-- asr:end -->',
  ].join('\n');
  const re = /<!-- asr:start -->[\s\S]*?<!-- asr:end -->/;
  writeFileSync(md, re.test(existing) ? existing.replace(re, section) : `${existing.trimEnd()}\n\n${section}\n`);
}

export const bench: Bench = {
  name: 'asr',
  description: 'RTF of plain PocketSphinx vs the VAD-parallel pipeline (2 cores), WER side by side, peak RSS on a one-hour file',
  async run(args: EvalArgs, log): Promise<BenchResult> {
    const data = path.resolve(typeof args.data === 'string' ? args.data : path.join(HERE, '../../../shared/data/speech'));
    const longMinutes = Number(args['long-minutes'] ?? 60);
    const longTranscribe = String(args['long-transcribe'] ?? 'true') !== 'false';
    const clips = await findClips(data);
    const [vad, plain, parallel] = await Promise.all([createSileroVad(), createPocketsphinx({ concurrency: 1 }), createPocketsphinx({ concurrency: 2 })]);
    const rows: Array<Record<string, number | string>> = [];
    const tot = { audio: 0, plainWall: 0, plainCpu: 0, parWall: 0, parCpu: 0, wholeWall: 0, wholeCpu: 0 };
    const plainCounts: ErrorCounts[] = [];
    const parCounts: ErrorCounts[] = [];
    const wholeCounts: ErrorCounts[] = [];
    const fleurs = { audio: 0, plainWall: 0, parWall: 0, wholeWall: 0, parCpu: 0 };
    const fleursCounts = { plain: [] as ErrorCounts[], whole: [] as ErrorCounts[], par: [] as ErrorCounts[] };
    const minPieceSec = Number(args['min-piece-sec'] ?? 2);
    const load0 = os.loadavg()[0];
    const refs = new Map<string, string>();
    for (const clip of clips) {
      const ref = (await readFile(clip.ref, 'utf8')).trim();
      refs.set(clip.ref, ref);
      const info = await probeAudio(clip.audio);
      // plain: decode, one pocketsphinx process over the whole clip
      let c0 = cpuSeconds();
      let t0 = performance.now();
      const pcm = await decodeToPcm(clip.audio);
      const p = await plain.transcribe(pcm, { language: 'en' });
      const plainWall = (performance.now() - t0) / 1000;
      const plainCpu = cpuSeconds() - c0;
      const plainHyp = p.output.map((s) => s.text).join(' ');
      // pipeline as it was: regions only (no cutting at pauses), 2 pocketsphinx at once
      c0 = cpuSeconds();
      t0 = performance.now();
      const w = await transcribeTracks([{ path: clip.audio, speakerId: 'x', language: 'en' }], { vad, transcriber: parallel, decode: streamPcm }, { concurrency: 2, cutRegions: false });
      const wholeWall = (performance.now() - t0) / 1000;
      const wholeCpu = cpuSeconds() - c0;
      const wholeHyp = w.segments.map((s) => s.text).join(' ');
      // pipeline: streaming decode → Silero → regions → pieces cut at pauses → 2 pocketsphinx at once
      c0 = cpuSeconds();
      t0 = performance.now();
      const r = await transcribeTracks([{ path: clip.audio, speakerId: 'x', language: 'en' }], { vad, transcriber: parallel, decode: streamPcm }, { concurrency: 2, cutRegions: true, minPieceSec });
      const parWall = (performance.now() - t0) / 1000;
      const parCpu = cpuSeconds() - c0;
      const parHyp = r.segments.map((s) => s.text).join(' ');
      const pc = errorCounts(ref, plainHyp);
      const qc = errorCounts(ref, parHyp);
      const wc = errorCounts(ref, wholeHyp);
      plainCounts.push(pc);
      parCounts.push(qc);
      wholeCounts.push(wc);
      tot.wholeWall += wholeWall;
      tot.wholeCpu += wholeCpu;
      const d = info.durationSec;
      tot.audio += d;
      tot.plainWall += plainWall;
      tot.plainCpu += plainCpu;
      tot.parWall += parWall;
      tot.parCpu += parCpu;
      if (clip.name.startsWith('fleurs')) {
        fleurs.audio += d;
        fleurs.plainWall += plainWall;
        fleurs.parWall += parWall;
        fleurs.wholeWall += wholeWall;
        fleurs.parCpu += parCpu;
        fleursCounts.plain.push(pc);
        fleursCounts.whole.push(wc);
        fleursCounts.par.push(qc);
      }
      rows.push({
        clip: clip.name,
        audio_s: r3(d),
        regions: r.segments.length,
        cut_pieces: r.pieces,
        plain_rtf: r3(plainWall / d),
        pipeline_rtf: r3(wholeWall / d),
        cut_rtf: r3(parWall / d),
        plain_cpu_rtf: r3(plainCpu / d),
        pipeline_cpu_rtf: r3(wholeCpu / d),
        cut_cpu_rtf: r3(parCpu / d),
        plain_wer: r3(pc.wordErrors / pc.refWords),
        pipeline_wer: r3(wc.wordErrors / wc.refWords),
        cut_wer: r3(qc.wordErrors / qc.refWords),
      });
      log(`${clip.name}: plain RTF ${(plainWall / d).toFixed(3)}, pipeline ${(wholeWall / d).toFixed(3)}, cut pipeline ${(parWall / d).toFixed(3)} (load ${os.loadavg()[0].toFixed(2)})`);
    }
    // throughput: every clip through the default pipeline, two files at once on the same 2-process pool
    const fc0 = cpuSeconds();
    const ft0 = performance.now();
    const fcCounts: ErrorCounts[] = [];
    await pool(clips, 2, async (clip) => {
      const r = await transcribeTracks([{ path: clip.audio, speakerId: 'x', language: 'en' }], { vad, transcriber: parallel, decode: streamPcm }, { concurrency: 2 });
      fcCounts.push(errorCounts(refs.get(clip.ref)!, r.segments.map((x) => x.text).join(' ')));
    });
    const fcWall = (performance.now() - ft0) / 1000;
    const fcCpu = cpuSeconds() - fc0;
    const load1 = os.loadavg()[0];
    const figures: Record<string, number | string> = {
      clips: clips.length,
      audio_seconds: r3(tot.audio),
      min_piece_sec: minPieceSec,
      plain_rtf: r3(tot.plainWall / tot.audio),
      pipeline_rtf: r3(tot.wholeWall / tot.audio),
      cut_pipeline_rtf: r3(tot.parWall / tot.audio),
      plain_rtf_fleurs: fleurs.audio ? r3(fleurs.plainWall / fleurs.audio) : 'n/a',
      pipeline_rtf_fleurs: fleurs.audio ? r3(fleurs.wholeWall / fleurs.audio) : 'n/a',
      cut_pipeline_rtf_fleurs: fleurs.audio ? r3(fleurs.parWall / fleurs.audio) : 'n/a',
      plain_cpu_rtf: r3(tot.plainCpu / tot.audio),
      pipeline_cpu_rtf: r3(tot.wholeCpu / tot.audio),
      cut_pipeline_cpu_rtf: r3(tot.parCpu / tot.audio),
      cut_pipeline_cpu_rtf_fleurs: fleurs.audio ? r3(fleurs.parCpu / fleurs.audio) : 'n/a',
      plain_wer: r3(pooled(plainCounts).wer),
      pipeline_wer: r3(pooled(wholeCounts).wer),
      cut_pipeline_wer: r3(pooled(parCounts).wer),
      plain_wer_fleurs: fleurs.audio ? r3(pooled(fleursCounts.plain).wer) : 'n/a',
      pipeline_wer_fleurs: fleurs.audio ? r3(pooled(fleursCounts.whole).wer) : 'n/a',
      cut_pipeline_wer_fleurs: fleurs.audio ? r3(pooled(fleursCounts.par).wer) : 'n/a',
      files_concurrent_rtf: r3(fcWall / tot.audio),
      files_concurrent_cpu_rtf: r3(fcCpu / tot.audio),
      files_concurrent_wer: r3(pooled(fcCounts).wer),
      load_average_start_end: `${load0.toFixed(1)} / ${load1.toFixed(1)}`,
    };
    await Promise.all([plain.close(), parallel.close(), vad.close?.()]);

    const notes = [
      'RTF = wall seconds / audio seconds including decoding; cpu_rtf = CPU seconds of this process and its pocketsphinx children / audio seconds.',
      'The machine is shared with other engineers\' jobs: wall-clock RTF is inflated when the load average exceeds 2.',
      'pipeline = the default pipeline (regions whole): a FLEURS clip is one VAD region, so one pocketsphinx process. cut = with cutRegions: a region longer than 1.5 workers\' shares of its window\'s speech is cut at pauses (≥ 10 dB below the median) and the pieces run on both cores, stitched back into one segment.',
      'files_concurrent = the same clips through the default pipeline two files at a time, sharing one pool of two pocketsphinx processes (throughput: total wall / total audio).',
    ];
    if (longMinutes > 0) {
      const tmp = await mkdtemp(path.join(os.tmpdir(), 'plenary-asr-long-'));
      try {
        const loop = path.join(tmp, 'loop.wav');
        const long = path.join(tmp, 'long.ogg');
        // one pass of all clips with 1 s pauses, then loop it to the wanted length (Opus, like uploads)
        const inputs = clips.flatMap((c) => ['-i', c.audio]);
        const filter = clips.map((_, i) => `[${i}:a]aresample=16000,aformat=channel_layouts=mono,apad=pad_dur=1[a${i}]`).join(';') +
          ';' + clips.map((_, i) => `[a${i}]`).join('') + `concat=n=${clips.length}:v=0:a=1[out]`;
        await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...inputs, '-filter_complex', filter, '-map', '[out]', loop]);
        await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-stream_loop', '-1', '-i', loop, '-t', String(longMinutes * 60), '-c:a', 'libopus', '-b:a', '24k', long]);
        const info = await probeAudio(long);
        log(`long file: ${(info.durationSec / 60).toFixed(1)} min; running the streaming pipeline in a child process (transcribe=${longTranscribe})`);
        const child = await runChild(path.join(HERE, 'asr-long.ts'), [long, String(longTranscribe)]);
        figures.long_audio_minutes = r3(info.durationSec / 60);
        figures.long_transcribed = longTranscribe ? 'yes' : 'no (decode + VAD + regions only)';
        for (const [k, v] of Object.entries(child)) figures[`long_${k}`] = v;
        notes.push('Peak RSS of the long run is the Node process (ffmpeg and pocketsphinx children excluded; each pocketsphinx process peaks near 110 MB, two at a time).');
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    }
    const result: BenchResult = { name: 'asr', figures, rows, notes };
    if (args['no-write'] !== true) writeResults(result, `npm run bench -- asr --data ${typeof args.data === 'string' ? args.data : '../shared/data/speech'}${longMinutes !== 60 ? ` --long-minutes ${longMinutes}` : ''}`);
    return result;
  },
};

// allow `npx tsx evals/bench/asr.ts [--data …]` directly
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args: EvalArgs = {};
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) if (a[i].startsWith('--')) args[a[i].slice(2)] = a[i + 1] && !a[i + 1].startsWith('--') ? a[++i] : true;
  bench.run(args, (m) => process.stderr.write(`[asr] ${m}\n`)).then((r) => process.stdout.write(JSON.stringify(r, null, 2) + '\n'));
}

