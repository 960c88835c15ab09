/**
 * Benchmark of the offline text models: throughput and peak RSS for every text task on varied real text
 * (Tatoeba fr/en sentences and Pol.is comments read from --data at run time). Embeddings: the USE worker pool
 * with 1 thread and with N threads (default 2) side by side on the same sentences, overall and per
 * sentence-length bucket, with the ratio.
 *
 * Run: npm run bench -- models [--data ../shared/data] [--threads 2] [--n 1000]
 *      (or: npx tsx scripts/models-bench.ts [--data …])
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { DataError, type Bench, type BenchResult, type EvalArgs } from '../harness.js';
import { UsePool } from '../../models/offline/use.js';
import { UseOnnxEngine } from '../../models/offline/use-onnx.js';
import { createRegistry } from '../../models/registry.js';
import type { ModelsConfig } from '../../models/types.js';

const BUCKETS: Array<[string, number, number]> = [
  ['<40 chars', 0, 40],
  ['40–79', 40, 80],
  ['80–159', 80, 160],
  ['≥160', 160, Infinity],
];

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** /proc/<pid>/stat and /proc/<pid>/status of each live child process of this one (Linux; none elsewhere). */
function childStatuses(): Array<{ stat: string; status: string }> {
  const out: Array<{ stat: string; status: string }> = [];
  try {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const status = readFileSync(`/proc/${d}/status`, 'utf8');
        if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) === process.pid) out.push({ stat: readFileSync(`/proc/${d}/stat`, 'utf8'), status });
      } catch {
        /* exited meanwhile */
      }
    }
  } catch {
    /* no /proc */
  }
  return out;
}

/** Peak RSS (VmHWM) of this process's live child processes, summed, in MB. */
function childrenPeakRssMb(): number {
  return Math.round(childStatuses().reduce((kb, c) => kb + Number(/^VmHWM:\s+(\d+)/m.exec(c.status)?.[1] ?? 0), 0) / 1024);
}

/** CPU seconds of this process (all threads) and of its live child processes (children are not in process.cpuUsage). */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  let ticks = 0;
  for (const { stat } of childStatuses()) {
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(f[11]) + Number(f[12]); // utime, stime
  }
  return (own.user + own.system) / 1e6 + ticks / 100; // USER_HZ is 100 on Linux
}

async function readLines(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').map((l) => l.trim()).filter(Boolean);
  } catch (e) {
    throw new DataError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

async function polisComments(dir: string): Promise<string[]> {
  let convs: string[];
  try {
    convs = (await readdir(dir)).sort();
  } catch (e) {
    throw new DataError(`cannot read Pol.is data in ${dir}: ${(e as Error).message}`);
  }
  const out: string[] = [];
  for (const c of convs) {
    if (!/^(brexit|canadian|american|london|15-per|scoop|bg2050)/.test(c)) continue; // English conversations
    try {
      const csv = await readFile(path.join(dir, c, 'comments.csv'), 'utf8');
      const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
      for (const r of rows) {
        const body = (r['comment-body'] ?? '').replace(/\s+/g, ' ').trim();
        if (body.length >= 10) out.push(body);
      }
    } catch {
      /* conversation without comments.csv */
    }
  }
  if (!out.length) throw new DataError(`no Pol.is comments found under ${dir}`);
  return out;
}

/** Deterministic sample spread over the list (no RNG needed). */
function spread<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  const step = xs.length / n;
  return Array.from({ length: n }, (_, i) => xs[Math.floor(i * step)]);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const r1 = (x: number) => Math.round(x * 10) / 10;

export const bench: Bench = {
  name: 'models',
  description: 'Offline text models: throughput and peak RSS per task; USE-lite embeddings 1 vs N (onnxruntime child processes, and TF.js worker threads) by sentence length',
  async run(args: EvalArgs, log): Promise<BenchResult> {
    const data = path.resolve(typeof args.data === 'string' ? args.data : '../shared/data');
    const threads = Number(args.threads ?? 2);
    const n = Number(args.n ?? 1000);
    const tat = path.join(data, 'translation-fr-en', 'tatoeba-laser');
    const fr = await readLines(path.join(tat, 'tatoeba.fra-eng.fra'));
    const en = await readLines(path.join(tat, 'tatoeba.fra-eng.eng'));
    const polis = await polisComments(path.join(data, 'polis-opendata'));
    const english = spread([...en, ...spread(polis, Math.max(0, n - en.length))], n);
    log(`data: ${fr.length} fr + ${en.length} en Tatoeba sentences, ${polis.length} Pol.is comments; ${english.length} English texts`);

    const figures: Record<string, number | string> = {};
    figures.cpus = os.cpus().length;
    figures.loadavg_1m_at_start = Math.round(os.loadavg()[0] * 10) / 10;
    const rows: Array<Record<string, number | string>> = [];
    const cfg: ModelsConfig = { modelsDir: path.resolve('models-dir'), prefer: {}, threads, languages: ['fr', 'en'] };

    // ---- embeddings: 1 vs N on the same texts, for both runtimes of USE-lite (same weights, same vectors):
    // onnxruntime-node in child processes (the registry's choice) and TF.js WebAssembly in worker threads
    const engines: Array<{ key: string; label: string; make: (t: number) => Promise<{ embed: (x: string[]) => Promise<Float32Array[]>; close: () => Promise<void> }> }> = [
      { key: 'embed', label: 'embedder (USE lite, onnxruntime, child processes)', make: (t) => UseOnnxEngine.create({ threads: t, mode: 'processes' }) },
      {
        key: 'tfjs_embed',
        label: 'embedder (USE lite, TF.js wasm, worker threads)',
        make: async (t) => {
          const p = new UsePool({ threads: t });
          await p.ready();
          return p;
        },
      },
    ];
    for (const eng of engines) {
      const pools: Record<number, { embed: (x: string[]) => Promise<Float32Array[]>; close: () => Promise<void> }> = {};
      for (const t of [1, threads]) {
        if (pools[t]) continue;
        const load = await timed(() => eng.make(t));
        pools[t] = load.value;
        figures[`${eng.key}_load_s_${t}thread`] = Math.round(load.seconds * 100) / 100;
      }
      await pools[1].embed(english.slice(0, 16)); // warm-up
      await pools[threads].embed(english.slice(0, 16 * threads));
      for (const t of [1, threads]) {
        const cpu0 = cpuSeconds();
        const r = await timed(() => pools[t].embed(english));
        const cpu = cpuSeconds() - cpu0;
        figures[`${eng.key}_sent_per_s_${t}thread`] = r1(english.length / r.seconds);
        // CPU seconds of this process and its child processes (every thread) per wall second: cores kept busy
        figures[`${eng.key}_cores_busy_${t}thread`] = Math.round((cpu / r.seconds) * 100) / 100;
        log(`${eng.label}, ${t}: ${r1(english.length / r.seconds)} sentences/s, ${figures[`${eng.key}_cores_busy_${t}thread`]} cores busy`);
      }
      figures[`${eng.key}_speedup`] = Math.round((Number(figures[`${eng.key}_sent_per_s_${threads}thread`]) / Number(figures[`${eng.key}_sent_per_s_1thread`])) * 100) / 100;
      for (const [label, lo, hi] of BUCKETS) {
        const texts = spread(english.filter((x) => x.length >= lo && x.length < hi), 200);
        if (texts.length < 10) continue;
        const one = await timed(() => pools[1].embed(texts));
        const many = await timed(() => pools[threads].embed(texts));
        const row = {
          task: eng.label,
          bucket: label,
          texts: texts.length,
          meanChars: Math.round(texts.reduce((a, x) => a + x.length, 0) / texts.length),
          sentPerSec1: r1(texts.length / one.seconds),
          [`sentPerSec${threads}`]: r1(texts.length / many.seconds),
          speedup: Math.round((one.seconds / many.seconds) * 100) / 100,
        };
        rows.push(row);
        log(JSON.stringify(row));
      }
      // child processes (onnxruntime mode): 1 + N of them are alive now
      if (eng.key === 'embed') figures.embed_child_processes_peak_rss_mb = childrenPeakRssMb();
      await pools[1].close();
      if (pools[threads] !== pools[1]) await pools[threads].close();
    }
    figures.peak_rss_mb_after_embeddings = peakRssMb();

    // ---- the other tasks through the registry
    const reg = createRegistry(cfg, { skipAudio: true });
    try {
      const mixed = spread([...fr, ...en], 1000);
      const lid = await reg.get('languageId');
      await lid.identify(mixed.slice(0, 20));
      const l = await timed(() => lid.identify(mixed));
      figures.langid_sent_per_s = Math.round(mixed.length / l.seconds);
      const truth = mixed.map((s) => (fr.includes(s) ? 'fr' : 'en'));
      figures.langid_accuracy_fr_en = Math.round((l.value.output.filter((g, i) => g.lang === truth[i]).length / mixed.length) * 1000) / 1000;
      figures.peak_rss_mb_after_langid = peakRssMb();
      log(`language id: ${figures.langid_sent_per_s} sentences/s`);

      for (const backend of ['apertium', 'apertium-plain']) {
        const r = createRegistry({ ...cfg, prefer: { translator: backend } }, { skipAudio: true });
        const tr = await r.get('translator');
        const fe = await timed(() => tr.translate(fr, 'fr', 'en'));
        const ef = await timed(() => tr.translate(en, 'en', 'fr'));
        figures[`translate_${backend}_fr_en_sent_per_s`] = Math.round(fr.length / fe.seconds);
        figures[`translate_${backend}_en_fr_sent_per_s`] = Math.round(en.length / ef.seconds);
        await r.close();
        log(`${backend}: fr→en ${figures[`translate_${backend}_fr_en_sent_per_s`]}/s, en→fr ${figures[`translate_${backend}_en_fr_sent_per_s`]}/s`);
      }
      figures.peak_rss_mb_after_translation = peakRssMb();

      const sent = await reg.get('sentiment');
      const sv = await timed(() => sent.score(polis));
      figures.sentiment_vader_sent_per_s = Math.round(polis.length / sv.seconds);
      log(`sentiment: ${figures.sentiment_vader_sent_per_s}/s on ${polis.length} comments`);

      const stance = await reg.get('stance');
      const examples = [
        { text: 'Brexit will make the country stronger and more independent.', label: 'leave' },
        { text: 'Leaving the EU gives us back control of our laws.', label: 'leave' },
        { text: 'Britain should stay in the European Union.', label: 'remain' },
        { text: 'Brexit will damage the economy and jobs.', label: 'remain' },
      ];
      const stTexts = spread(polis, 300);
      await stance.classify(stTexts.slice(0, 4), examples);
      const st = await timed(() => stance.classify(stTexts, examples));
      figures.stance_centroid_sent_per_s = r1(stTexts.length / st.seconds);
      log(`stance: ${figures.stance_centroid_sent_per_s}/s`);

      // summaries: groups of 40 comments → 5 sentences
      const groups = Array.from({ length: 5 }, (_, g) => spread(polis.slice(g * 200), 40).map((text, i) => ({ id: `g${g}c${i}`, text })));
      for (const backend of ['centroid-mmr', 'ots']) {
        const r = backend === 'centroid-mmr' ? reg : createRegistry({ ...cfg, prefer: { summarizer: backend } }, { skipAudio: true });
        const sum = await r.get('summarizer');
        const s = await timed(async () => {
          for (const docs of groups) await sum.summarize(docs, { maxSentences: 5, language: 'en' });
        });
        figures[`summarize_${backend}_ms_per_40_docs`] = Math.round((s.seconds * 1000) / groups.length);
        if (r !== reg) await r.close();
        log(`summarise ${backend}: ${figures[`summarize_${backend}_ms_per_40_docs`]} ms per 40 comments`);
      }
      figures.peak_rss_mb = peakRssMb();
      figures.loadavg_1m_at_end = Math.round(os.loadavg()[0] * 10) / 10;
    } finally {
      await reg.close();
    }
    return {
      name: 'models',
      figures,
      rows,
      notes: [
        `threads compared: 1 vs ${threads} in the same run, same ${english.length} English texts (500 Tatoeba + Pol.is comments): embed_* = onnxruntime-node in 1 vs ${threads} child processes (the registry's embedder), tfjs_embed_* = TF.js wasm in 1 vs ${threads} worker threads (the fallback); both give the same vectors (cosine ≥ 0.9999)`,
        `peak RSS is this process's maximum so far (worker threads share it; child processes are not in it: embed_child_processes_peak_rss_mb sums their peaks, all ${1 + threads} of them), read after each stage`,
        'loadavg_1m_* > cpus means other processes shared the cores during the run: thread speed-ups are then not meaningful',
        '*_cores_busy_*: CPU seconds of the process and its child processes (every thread, V8 garbage-collector helpers included) per wall second of the embedding run',
        'translation: 500 Tatoeba sentences each way; summarise: 5 groups of 40 Pol.is comments, 5 sentences each',
      ],
    };
  },
};
