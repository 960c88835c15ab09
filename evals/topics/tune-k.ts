/**
 * Chooses the text map's k window (pipelines/tuned.ts TEXT_MAP_K) on the VALIDATION parts of the topic sets only.
 *   npx tsx evals/topics/tune-k.ts [--split validation|test] [--mode semantic|lexical]
 * For each set: the default pipeline (UMAP space, seed 42) once with k free over a wide window (its silhouette per k)
 * and once per fixed k (NMI / ARI per k); then every candidate rule = the k with the best silhouette inside the
 * rule's window, scored by the NMI and ARI at that k. Prints per set and the mean over sets.
 * `--split test` prints the same on the test parts: only to report after the choice, never to choose.
 */
import { existsSync } from 'node:fs';
import { parseFlags, table } from '../run.js';
import { adjustedRandIndex, normalizedMutualInfo } from './metrics.js';
import { loadModels, pipelineLabels, round } from './common.js';
import { readRecords, recordSplit } from './suite.js';
import { memoryTextMapCache } from '../../pipelines/text/cache.js';
import type { EmbeddingMode } from '../../pipelines/text/types.js';

const D = '/work/shared/data/deliberation';
const SETS = [
  { name: 'ccc-objectives (French)', file: `${D}/ccc-voterpourleclimat/ccc_measures_with_votes.json`, text: 'measure', label: 'objective_label', level: 0 },
  { name: 'bowling-green level 1', file: `${D}/jigsaw-sensemaking-bowling-green/comments_with_topics.json`, text: 'text', label: 'topics', level: 1 },
];

/** Candidate windows [kMin, kMax] as functions of n (the current rule first). */
export const RULES: Record<string, (n: number) => [number, number]> = {
  'current [√(n/8), √(n/2)]': (n) => [Math.min(12, Math.ceil(Math.sqrt(n / 8))), Math.min(30, Math.floor(Math.sqrt(n / 2)))],
  '[√(n/8), √n]': (n) => [Math.min(12, Math.ceil(Math.sqrt(n / 8))), Math.min(30, Math.floor(Math.sqrt(n)))],
  '[√(n/4), √n]': (n) => [Math.min(12, Math.ceil(Math.sqrt(n / 4))), Math.min(30, Math.floor(Math.sqrt(n)))],
  '[√(n/2), √n]': (n) => [Math.min(12, Math.ceil(Math.sqrt(n / 2))), Math.min(30, Math.floor(Math.sqrt(n)))],
  '[√(n/8), √(2n)]': (n) => [Math.min(12, Math.ceil(Math.sqrt(n / 8))), Math.min(30, Math.floor(Math.sqrt(2 * n)))],
  '[√(n/2), √(2n)]': (n) => [Math.min(12, Math.ceil(Math.sqrt(n / 2))), Math.min(30, Math.floor(Math.sqrt(2 * n)))],
  '[2, √n]': (n) => [2, Math.min(30, Math.floor(Math.sqrt(n)))],
  'k = ⌈√(n/2)⌉ fixed': (n) => [Math.ceil(Math.sqrt(n / 2)), Math.ceil(Math.sqrt(n / 2))],
  'k = ⌈√n⌉ fixed': (n) => [Math.ceil(Math.sqrt(n)), Math.ceil(Math.sqrt(n))],
};

async function main() {
  const { flags } = parseFlags(process.argv.slice(2));
  const side = flags.split === 'test' ? 'test' : 'validation';
  const mode = (flags.mode === 'lexical' ? 'lexical' : 'semantic') as EmbeddingMode;
  const m = await loadModels(flags, (x) => console.error(x));
  m.deps.cache = memoryTextMapCache();
  const perRule: Record<string, Array<{ nmi: number; ari: number; k: number }>> = {};
  try {
    for (const set of SETS.filter((s) => existsSync(s.file))) {
      const recs = readRecords(set.file).filter((r) => typeof r[set.text] === 'string' && typeof r[set.label] === 'string' && recordSplit(r, r[set.text] as string) === side);
      const texts = recs.map((r) => r[set.text] as string);
      const gold = recs.map((r) => (set.level ? (r[set.label] as string).split(':').slice(0, set.level).join(':') : (r[set.label] as string)));
      const n = texts.length;
      const top = Math.min(n - 1, 30, Math.floor(Math.sqrt(2 * n)) + 1);
      const free = await pipelineLabels(texts, m.deps, { mode, space: 'umap', seed: 42, k: 'auto', kMin: 2, kMax: top });
      const sil = new Map(free.silhouettes.map((s) => [s.k, s.silhouette]));
      const atK = new Map<number, { nmi: number; ari: number }>();
      const rows: Array<Record<string, unknown>> = [];
      for (let k = 2; k <= top; k++) {
        const r = await pipelineLabels(texts, m.deps, { mode, space: 'umap', seed: 42, k });
        atK.set(k, { nmi: normalizedMutualInfo(gold, r.labels), ari: adjustedRandIndex(gold, r.labels) });
        rows.push({ k, silhouette: round(sil.get(k) ?? NaN), nmi: round(atK.get(k)!.nmi), ari: round(atK.get(k)!.ari) });
      }
      console.log(`\n${set.name} (${side}): n = ${n}, ${new Set(gold).size} labels, ${mode}\n${table(rows)}`);
      const ruleRows: Array<Record<string, unknown>> = [];
      for (const [name, rule] of Object.entries(RULES)) {
        const [lo, hi] = rule(n).map((x) => Math.max(2, Math.min(top, x)));
        let best = lo;
        for (let k = lo; k <= hi; k++) if ((sil.get(k) ?? -Infinity) > (sil.get(best) ?? -Infinity)) best = k;
        const s = atK.get(best)!;
        (perRule[name] ??= []).push({ ...s, k: best });
        ruleRows.push({ rule: name, window: `${lo}-${hi}`, k: best, nmi: round(s.nmi), ari: round(s.ari) });
      }
      console.log(table(ruleRows));
    }
  } finally {
    await m.registry.close();
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`\nmean over sets (${side}, ${mode})\n${table(Object.entries(perRule).map(([rule, v]) => ({ rule, nmi: round(mean(v.map((x) => x.nmi))), ari: round(mean(v.map((x) => x.ari))), ks: v.map((x) => x.k).join(' ') })))}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
