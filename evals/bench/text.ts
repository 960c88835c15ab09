/**
 * Benchmark of the text opinion map (issue 6): N synthetic contributions (default 100,000) built from real
 * public sentences — Tatoeba fr/en pairs and CCC measures (French), ArgKP arguments, Pol.is comments and
 * Bowling Green statements (English), a little German from Pol.is Austria (unsupported: flagged, kept apart from the map, untranslated) —
 * recombined 2–3 sentences per contribution with a seeded PRNG; `--fr-share` French (default 0.25).
 *
 * Runs buildTextMap end to end (language id, translation of the non-pivot share, embeddings, UMAP,
 * clustering, labels, sentiment, stance on a sample, key statements, consensus) in lexical mode at --n and
 * in semantic mode at --semantic-n (default 3,000; the USE-lite embedder makes 100k take ~17 min: the
 * embedding time is extrapolated linearly to --n and labelled so). Then a rerun with 1,000 new
 * contributions on the same cache. Per-stage throughput beside the plain library calls on the same data.
 *
 *   npx tsx src/cli.ts bench text --data /work/shared/data [--n 100000] [--semantic-n 3000] [--modes lexical,semantic]
 */
import { readdirSync, readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import Papa from 'papaparse';
import { kmeans } from 'ml-kmeans';
import { UMAP } from 'umap-js';
import { createRegistry } from '../../models/registry.js';
import type { ModelRegistry } from '../../models/types.js';
import { buildTextMap } from '../../pipelines/text/build.js';
import { memoryTextMapCache } from '../../pipelines/text/cache.js';
import { seededRandom } from '../../pipelines/text/util.js';
import { lexicalEmbeddings } from '../../pipelines/text/lexical.js';
import { verifyCitations } from '../../pipelines/summaries/index.js';
import type { Contribution, EmbeddingMode, TextMap, TextMapDeps } from '../../pipelines/text/types.js';
import type { Bench, BenchResult, EvalArgs } from '../harness.js';
import { DataError } from '../harness.js';

interface Pools {
  fr: string[];
  en: string[];
  de: string[];
}

function splitSentences(t: string): string[] {
  return t.split(/(?<=[.!?])\s+(?=[\p{Lu}"«])/u).map((s) => s.trim()).filter((s) => s.length > 3);
}

function csvColumn(file: string, col: string): string[] {
  const r = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
  return r.data.map((x) => x[col]).filter((x): x is string => typeof x === 'string' && x.trim().length > 0);
}

export function loadPools(root: string): Pools {
  const p: Pools = { fr: [], en: [], de: [] };
  const need = (f: string) => {
    if (!existsSync(f)) throw new DataError(`bench text: ${f} missing (give --data <shared data root>)`);
    return f;
  };
  const tat = path.join(root, 'translation-fr-en/tatoeba-laser');
  p.fr.push(...readFileSync(need(path.join(tat, 'tatoeba.fra-eng.fra')), 'utf8').split('\n').filter(Boolean));
  p.en.push(...readFileSync(need(path.join(tat, 'tatoeba.fra-eng.eng')), 'utf8').split('\n').filter(Boolean));
  const ccc = JSON.parse(readFileSync(need(path.join(root, 'deliberation/ccc-voterpourleclimat/ccc_measures_with_votes.json')), 'utf8')) as Array<{ measure: string }>;
  for (const m of ccc) p.fr.push(...splitSentences(m.measure));
  const kp = path.join(root, 'deliberation/ibm-argkp-2021/kpm_data');
  for (const f of readdirSync(need(kp)).filter((f) => f.startsWith('arguments_'))) p.en.push(...csvColumn(path.join(kp, f), 'argument'));
  const bg = JSON.parse(readFileSync(need(path.join(root, 'deliberation/jigsaw-sensemaking-bowling-green/comments_with_topics.json')), 'utf8')) as Array<{ text: string }>;
  p.en.push(...bg.map((x) => x.text));
  const polis = path.join(root, 'polis-opendata');
  const index = JSON.parse(readFileSync(need(path.join(polis, 'INDEX.json')), 'utf8')) as Array<{ conversation: string; language: string }>;
  for (const c of index) {
    const f = path.join(polis, c.conversation, 'comments.csv');
    if (!existsSync(f)) continue;
    const texts = csvColumn(f, 'comment-body');
    if (c.language === 'en') p.en.push(...texts);
    else if (c.language === 'de') p.de.push(...texts);
  }
  return p;
}

/**
 * n contributions: each 2–3 sentences of one language pool (seeded): with the pools' sizes, single-sentence
 * picks would mostly repeat, and repeated texts are grouped (not re-processed) by the pipeline.
 */
export function synthesise(pools: Pools, n: number, seed: number, frShare: number, idPrefix = 's'): Contribution[] {
  const rand = seededRandom(seed);
  const frSent = pools.fr.flatMap(splitSentences);
  const enSent = pools.en.flatMap(splitSentences);
  const out: Contribution[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    const pool = r < frShare ? frSent : r < frShare + 0.01 && pools.de.length ? pools.de : enSent;
    const k = 2 + Math.floor(rand() * 2);
    const parts: string[] = [];
    for (let j = 0; j < k; j++) parts.push(pool[Math.floor(rand() * pool.length)]);
    out.push({ id: `${idPrefix}${i}`, text: parts.join(' ').slice(0, 4000) });
  }
  return out;
}

function progressBar(label: string): { onProgress: (f: number, m: string) => void; end: () => void } {
  let last = 0;
  const tty = process.stderr.isTTY;
  return {
    onProgress: (f, m) => {
      const now = Date.now();
      if (now - last < 250 && f < 1) return;
      last = now;
      const w = 30;
      const filled = Math.round(f * w);
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(w - filled)}] ${(f * 100).toFixed(1).padStart(5)}% ${m}`;
      process.stderr.write(tty ? `\r${line.padEnd(100)}` : `${line}\n`);
    },
    end: () => process.stderr.write(tty ? '\n' : ''),
  };
}

function rssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

async function runMode(
  mode: EmbeddingMode,
  n: number,
  pools: Pools,
  deps: TextMapDeps,
  frShare: number,
  seed: number,
  log: (m: string) => void,
): Promise<{ figures: Record<string, number | string>; rows: Array<Record<string, number | string>>; map: TextMap; contributions: Contribution[] }> {
  const contributions = synthesise(pools, n, seed, frShare);
  const cache = memoryTextMapCache();
  const bar = progressBar(`${mode} n=${n}`);
  const first = await timed(() => buildTextMap({ contributions }, { ...deps, cache }, { seed, mode, onProgress: bar.onProgress }));
  bar.end();
  const map = first.value;
  const cit = verifyCitations(map);
  log(`${mode}: ${n} contributions in ${first.seconds.toFixed(1)} s, k=${map.stats.k}, sub-topics ${map.stats.subtopics}, citations ok: ${cit.ok}`);
  const extra = synthesise(pools, 1000, seed + 999, frShare, 'new');
  cache.embeddings.resetCounters();
  cache.translations.resetCounters();
  const bar2 = progressBar(`${mode} rerun +1000`);
  const second = await timed(() => buildTextMap({ contributions: [...contributions, ...extra] }, { ...deps, cache }, { seed, mode, onProgress: bar2.onProgress }));
  bar2.end();
  log(`${mode}: rerun with 1,000 new in ${second.seconds.toFixed(1)} s (translation cache hits ${second.value.stats.translationCacheHits}, embedding cache hits ${second.value.stats.embeddingCacheHits ?? 0})`);
  const s = map.stats;
  const rows: Array<Record<string, number | string>> = [];
  const stageRow = (stage: string, items: number, ms: number) =>
    rows.push({ mode, n, stage, items, seconds: Number((ms / 1000).toFixed(2)), itemsPerSecond: ms > 0 ? Math.round((items * 1000) / ms) : 0, kind: 'pipeline' });
  stageRow('normalise+near-dup', s.contributions, s.ms_normalise);
  stageRow('language id', s.unique, s.ms_language);
  stageRow('translate (non-pivot)', s.translated, s.ms_translate);
  stageRow(`embed (${mode})`, s.unique, s.ms_embed);
  stageRow('cluster (+sub-topics)', s.unique, s.ms_cluster);
  stageRow('UMAP 2-D', s.unique, s.ms_reduce);
  stageRow('labels', s.unique, s.ms_label);
  stageRow('sentiment+stance', s.unique, s.ms_polarity);
  stageRow('key statements+consensus', s.unique, s.ms_summaries);
  const figures: Record<string, number | string> = {
    [`${mode}_n`]: n,
    [`${mode}_seconds`]: Number(first.seconds.toFixed(1)),
    [`${mode}_rerun_plus_1000_seconds`]: Number(second.seconds.toFixed(1)),
    [`${mode}_rerun_translation_cache_hits`]: second.value.stats.translationCacheHits,
    [`${mode}_rerun_embedding_cache_hits`]: second.value.stats.embeddingCacheHits ?? 0,
    [`${mode}_unique`]: s.unique,
    [`${mode}_translated`]: s.translated,
    [`${mode}_k`]: s.k,
    [`${mode}_subtopics`]: s.subtopics,
    [`${mode}_citations_ok`]: cit.ok ? 'yes' : 'no',
    [`${mode}_unsupported_set_apart`]: map.apart.length,
    [`${mode}_peak_rss_mb_after`]: rssMb(),
  };
  return { figures, rows, map, contributions };
}

async function plainCalls(registry: ModelRegistry, contributions: Contribution[], map: TextMap, log: (m: string) => void): Promise<Array<Record<string, number | string>>> {
  const rows: Array<Record<string, number | string>> = [];
  const row = (stage: string, items: number, seconds: number, note = '') =>
    rows.push({ mode: 'plain', n: contributions.length, stage, items, seconds: Number(seconds.toFixed(2)), itemsPerSecond: Math.round(items / seconds), kind: `plain library${note ? `: ${note}` : ''}` });
  const texts = contributions.map((c) => c.text);
  const lid = await registry.get('languageId');
  const l = await timed(() => lid.identify(texts));
  row('language id', texts.length, l.seconds, 'identify(all)');
  const fr = map.contributions.filter((c) => c.lang === 'fr').map((c) => c.text).slice(0, 2000);
  if (fr.length) {
    const tr = await registry.get('translator');
    const t = await timed(() => tr.translate(fr, 'fr', 'en'));
    row('translate fr→en', fr.length, t.seconds, 'translate(2,000 texts)');
  }
  const k = map.clusters.filter((c) => c.level === 1).length;
  // the same data: the pivot texts of the unique contributions, embedded lexically once more
  const pivot = map.contributions.filter((c) => c.duplicateOf === null).map((c) => c.pivotText);
  const lex = await timed(() => lexicalEmbeddings(pivot, { seed: 1, dims: 100 }));
  row('TF-IDF + randomized SVD (own)', pivot.length, lex.seconds, 'lexicalEmbeddings(all)');
  const X = lex.value.vectors.map((v) => Array.from(v));
  const km = await timed(() => kmeans(X, Math.max(2, k), { seed: 1 }));
  row(`ml-kmeans k=${k} (all points, one run)`, X.length, km.seconds, `kmeans(${X.length} × ${X[0]?.length ?? 0})`);
  const um = Math.min(5000, X.length);
  const u = await timed(() => new UMAP({ nComponents: 2, random: seededRandom(3) }).fit(X.slice(0, um)));
  row('umap-js fit (5,000 points)', um, u.seconds, `UMAP.fit(${um} points); fitting all points is out of budget`);
  log(`plain calls done`);
  return rows;
}

export const bench: Bench = {
  name: 'text',
  description: 'Text opinion map end to end on synthetic fr/en contributions from real sentences (lexical at --n, semantic at --semantic-n)',
  async run(args: EvalArgs, log): Promise<BenchResult> {
    const root = typeof args.data === 'string' ? args.data : '';
    if (!root) throw new DataError('bench text: give --data <shared data root> (with translation-fr-en/, deliberation/, polis-opendata/)');
    const n = args.n ? Number(args.n) : 100_000;
    const semN = args['semantic-n'] ? Number(args['semantic-n']) : 3000;
    const frShare = args['fr-share'] ? Number(args['fr-share']) : 0.25;
    const modes = (typeof args.modes === 'string' ? args.modes.split(',') : ['lexical', 'semantic']) as EmbeddingMode[];
    const seed = args.seed ? Number(args.seed) : 1;
    const pools = loadPools(root);
    log(`pools: ${pools.fr.length} fr, ${pools.en.length} en, ${pools.de.length} de texts`);
    const registry = createRegistry({ modelsDir: 'models-dir', prefer: {}, threads: 2, languages: ['en', 'fr'] }, { skipAudio: true });
    const figures: Record<string, number | string> = {
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, load average at start ${os.loadavg()[0].toFixed(1)}`,
      fr_share: frShare,
    };
    const rows: Array<Record<string, number | string>> = [];
    const notes: string[] = [];
    try {
      const deps: TextMapDeps = {
        languageId: await registry.get('languageId'),
        translator: await registry.get('translator'),
        sentiment: await registry.get('sentiment'),
      };
      let lexMap: { map: TextMap; contributions: Contribution[] } | null = null;
      for (const mode of modes) {
        const d: TextMapDeps = { ...deps };
        if (mode === 'semantic') {
          d.embedder = await registry.get('embedder');
          d.stance = await registry.get('stance');
        }
        const size = mode === 'semantic' ? semN : n;
        const r = await runMode(mode, size, pools, d, frShare, seed, log);
        Object.assign(figures, r.figures);
        rows.push(...r.rows);
        if (mode === 'lexical') lexMap = { map: r.map, contributions: r.contributions };
        if (mode === 'semantic' && size < n) {
          const embedS = r.map.stats.ms_embed / 1000;
          const rest = Number(r.figures.semantic_seconds) - embedS;
          figures.semantic_embed_sentences_per_second = Math.round(r.map.stats.unique / embedS);
          figures[`semantic_extrapolated_${n}_seconds`] = Math.round((embedS * n) / size + (rest * n) / size);
          notes.push(
            `semantic mode ran at n=${size}; semantic_extrapolated_${n}_seconds scales every stage linearly from that run (EXTRAPOLATED, not measured; UMAP and k-means are sampled so they grow less than linearly).`,
          );
        }
      }
      if (lexMap) rows.push(...(await plainCalls(registry, lexMap.contributions, lexMap.map, log)));
    } finally {
      await registry.close();
    }
    figures.peak_rss_mb = rssMb();
    notes.push('peak RSS is the Node process (main + worker threads); Apertium child processes are not included.');
    notes.push('plain rows: the library calls alone on the same data (the lexical vectors of the unique contributions): ml-kmeans once on all points with the k the pipeline chose (no k search), umap-js fit on 5,000 of them (fitting all is out of budget).');
    notes.push('stance runs on a seeded sample of at most 100 contributions per cluster (semantic mode only: the stance model needs the embedder).');
    const result: BenchResult = { name: 'text', figures, rows, notes };
    const outDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'results');
    mkdirSync(outDir, { recursive: true });
    if (args['no-save'] !== true) writeFileSync(path.join(outDir, 'text.json'), JSON.stringify({ date: new Date().toISOString(), args, ...result }, null, 2));
    return result;
  },
};
