/**
 * Eval suite 'sortition': selection probabilities on a pool + quotas directory, compared with LEGACY.
 *
 *   sortition --data <dir> --panel-size <k> [--algorithm leximin|maximin|legacy] [--legacy-runs 10000]
 *             [--seed plenary] [--m 1000] [--no-compress] [--time-limit <seconds>]
 *
 * The directory holds one people CSV and one quotas CSV, told apart by their columns. Metrics: minProbability,
 * gini, geometricMean, sumProbabilities (= k), quotaViolations (panels in the distribution breaking a quota: 0),
 * legacyMinProbability (Monte-Carlo), seconds (wall time of the chosen algorithm; cpuSeconds beside it), plus LEGACY's Gini/geometric mean, the 99%
 * Jeffreys upper bound of LEGACY's minimum, and the m-ticket lottery's quota violations and largest deviation.
 * Items: one per quota value (pool count, quota, expected seats, mean probability under each algorithm).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DataError, type EvalItem, type EvalSuite } from '../harness.js';
import {
  buildLottery,
  countQuotaViolations,
  detectCsvKind,
  jeffreysUpper,
  loadHighs,
  parsePeopleCsv,
  parseQuotasCsv,
  selectPanel,
  SortitionError,
  summarise,
  type Algorithm,
  type Pool,
  type Quotas,
} from '../../pipelines/sortition/index.js';

export interface SortitionData {
  pool: Pool;
  quotas: Quotas;
  peopleFile: string;
  quotasFile: string;
  mapping: { id: string | null; features: string[]; address: string[]; personal: string[] };
}

/** Read the one people CSV and one quotas CSV of a directory (throws DataError). */
export function readSortitionDir(dir: string): SortitionData {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.csv') && statSync(join(dir, n)).isFile());
  } catch (e) {
    throw new DataError(`cannot read ${dir}: ${(e as Error).message}`);
  }
  const kinds = names.map((n) => ({ n, text: readFileSync(join(dir, n), 'utf8') })).map((f) => ({ ...f, kind: detectCsvKind(f.text) }));
  const q = kinds.filter((f) => f.kind === 'quotas');
  const p = kinds.filter((f) => f.kind === 'people');
  if (q.length !== 1 || p.length !== 1) {
    throw new DataError(`${dir} must hold exactly one quotas CSV (category/feature, value, min, max) and one people CSV; found quotas: [${q.map((f) => f.n).join(', ')}], people: [${p.map((f) => f.n).join(', ')}]`);
  }
  try {
    const quotas = parseQuotasCsv(q[0].text);
    const parsed = parsePeopleCsv(p[0].text, { quotas });
    return { pool: parsed.pool, quotas, peopleFile: p[0].n, quotasFile: q[0].n, mapping: parsed.mapping };
  } catch (e) {
    if (e instanceof SortitionError) throw new DataError(`${dir}: ${e.message}`);
    throw e;
  }
}

function panelSizeFrom(args: Record<string, string | boolean>, dir: string): number {
  const raw = args['panel-size'] ?? args.k;
  if (typeof raw === 'string') {
    const k = Number(raw);
    if (!Number.isInteger(k) || k < 1) throw new DataError(`--panel-size must be a positive integer, got ${raw}`);
    return k;
  }
  const m = /_(\d+)$/.exec(basename(dir)); // Flanigan et al.'s directories end in _<k>
  if (m) return Number(m[1]);
  throw new DataError('--panel-size <k> is required');
}

export const suite: EvalSuite = {
  name: 'sortition',
  description: 'LEXIMIN / maximin / LEGACY selection probabilities on a pool with quotas; LEGACY by Monte-Carlo as the baseline',
  usage: '--panel-size <k> [--algorithm leximin|maximin|legacy] [--legacy-runs 10000] [--seed plenary] [--m 1000] [--no-compress] [--time-limit <seconds>]',
  async run(ctx) {
    const k = panelSizeFrom(ctx.args, ctx.data);
    const algorithm = (typeof ctx.args.algorithm === 'string' ? ctx.args.algorithm : 'leximin') as Algorithm;
    if (!['leximin', 'maximin', 'legacy'].includes(algorithm)) throw new DataError(`--algorithm must be leximin, maximin or legacy, got ${algorithm}`);
    const legacyRuns = typeof ctx.args['legacy-runs'] === 'string' ? Number(ctx.args['legacy-runs']) : 10_000;
    const seed = typeof ctx.args.seed === 'string' ? ctx.args.seed : 'plenary';
    const m = typeof ctx.args.m === 'string' ? Number(ctx.args.m) : 1000;
    const compress = ctx.args['no-compress'] !== true;
    // LEXIMIN time limit (seconds): past it the suite fails with the pipeline's "what to relax" message
    const maxSeconds = typeof ctx.args['time-limit'] === 'string' ? Number(ctx.args['time-limit']) : undefined;
    const data = readSortitionDir(ctx.data);
    const { pool, quotas } = data;
    ctx.log(`pool ${data.peopleFile}: ${pool.people.length} people, features ${pool.categories.join(', ')}, id ${data.mapping.id ?? '(generated)'}, households from [${data.mapping.address.join(', ')}]; quotas ${data.quotasFile}: ${quotas.rows.length} rows; k = ${k}`);
    const highs = await loadHighs();
    const run = async (alg: Algorithm) => {
      try {
        return await selectPanel(pool, quotas, k, { algorithm: alg, seed, legacyRuns, compress, highs, log: ctx.log, maxSeconds });
      } catch (e) {
        if (e instanceof SortitionError) throw new DataError(`${ctx.data}: ${e.message}`);
        throw e;
      }
    };
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await run(algorithm);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    ctx.log(`${algorithm}: ${seconds.toFixed(2)} s`);
    const legacy = algorithm === 'legacy' ? result : await run('legacy');
    const probs = pool.people.map((p) => result.probabilities[p.id]);
    const legacyProbs = pool.people.map((p) => legacy.probabilities[p.id]);
    const s = summarise(probs);
    const ls = summarise(legacyProbs);
    const legacyMinCount = Math.round(ls.min * legacy.stats.runs);
    const quotaViolations = countQuotaViolations(pool, quotas, result.distribution, k);
    const lottery = await buildLottery(pool, quotas, result, { m, highs });
    const position = new Map(pool.people.map((p, i) => [p.id, i]));
    const lotteryViolations = countQuotaViolations(
      pool,
      quotas,
      { groups: pool.people.map((p) => [p.id]), panels: lottery.tickets.map((t) => t.map((id) => [position.get(id) ?? -1, 1] as [number, number]).sort((a, b) => a[0] - b[0])), weights: lottery.tickets.map(() => 1 / m) },
      k,
    );
    const belowLeximin = legacyProbs.filter((p) => p < s.min - 1e-9).length / legacyProbs.length;

    const items: EvalItem[] = quotas.rows.map((q) => {
      const members = pool.people.filter((p) => p.features[q.category] === q.value);
      const sum = members.reduce((a, p) => a + result.probabilities[p.id], 0);
      const lsum = members.reduce((a, p) => a + legacy.probabilities[p.id], 0);
      return {
        name: `${q.category}=${q.value}`,
        quotaMin: q.min,
        quotaMax: q.max,
        poolCount: members.length,
        expectedSeats: round(sum, 4),
        meanProbability: members.length ? round(sum / members.length, 6) : null,
        minProbability: members.length ? round(Math.min(...members.map((p) => result.probabilities[p.id])), 6) : null,
        legacyMeanProbability: members.length ? round(lsum / members.length, 6) : null,
      };
    });
    return {
      metrics: {
        minProbability: s.min,
        gini: s.gini,
        geometricMean: s.geometricMean,
        sumProbabilities: s.sum,
        quotaViolations,
        legacyMinProbability: ls.min,
        seconds,
        cpuSeconds,
        maxProbability: s.max,
        legacyGini: ls.gini,
        legacyGeometricMean: ls.geometricMean,
        legacyMinUpper99: jeffreysUpper(legacyMinCount, legacy.stats.runs, 0.99),
        legacyShareBelowMin: belowLeximin,
        legacyRuns: legacy.stats.runs,
        legacyFailures: legacy.stats.failures,
        panelsInSupport: result.distribution.panels.length,
        lotteryQuotaViolations: lotteryViolations,
        lotteryMaxDeviation: lottery.maxDeviation,
      },
      items,
      provenance: {
        ...result.provenance,
        stats: result.stats,
        peopleFile: data.peopleFile,
        quotasFile: data.quotasFile,
        mapping: data.mapping,
        panelSize: k,
        legacySeed: seed,
        lotterySha256: lottery.sha256,
        m,
      },
    };
  },
};

function round(v: number, d: number): number {
  const f = 10 ** d;
  return Math.round(v * f) / f;
}
