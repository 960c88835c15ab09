/**
 * Eval suite 'ballots': tallies every ballot file under --data (recursively) and, where the file carries
 * published answers, checks them.
 *
 *   ballots --data <dir> [--variant margin|winning|ratio]
 *
 * Files: PrefLib .soc/.soi/.toc/.toi, Debian tally sheets (tally*.txt), per-grade JSON; also the two JSON layouts
 * of the public data folder (Schulze's worked examples, several elections per file; the CCC measures). Other JSON
 * files are skipped (logged). Items, one per file (per election for the examples file) and method:
 * `{name, file, method, ranking, winner}` for Schulze (margins, unranked tied last) and modified Borda on ranked
 * files, and majority judgment on grade files; `ranking` is the JSON of `[[tied option names…], …]` best first
 * (JSON text because an eval item holds plain values), `winner` the single winner or null on a tie.
 * Metrics: files, items, unreadable files; where the data carries expectations: schulzeExpectations /
 * schulzeExpectationsMet (every winner, ranking and strongest-path entry of the worked examples, each under its own
 * variant), mjGrades / mjGradesReproduced (CCC's published majority grades from their per-grade counts, with
 * "Pas d'avis" (-1) as the lowest grade).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DataError, type EvalItem, type EvalSuite } from '../harness.js';
import {
  BallotError,
  isBallotFileName,
  majorityJudgment,
  readBallotFile,
  schulze,
  tallyFile,
  type BallotFile,
  type SchulzeVariant,
  type TallyMethod,
} from '../../pipelines/ballots/index.js';

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      const st = statSync(p);
      return st.isDirectory() ? walk(p) : st.isFile() && isBallotFileName(n) ? [p] : [];
    });
}

interface Expectation {
  id: string;
  candidates: string[];
  ballots: { ranking: string[][]; count: number }[];
  expected: Record<string, { winners?: string[]; ranking?: string[][]; strongest_paths?: Record<string, Record<string, number | { num: number; den: number }>> }>;
}

/** Checks every expectation of a Schulze worked-examples file: [checked, met]. */
export function checkSchulzeExamples(examples: Expectation[]): { checked: number; met: number } {
  let checked = 0;
  let met = 0;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const e of examples) {
    for (const [m, exp] of Object.entries(e.expected)) {
      const variant = m.replace('schulze-', '') as SchulzeVariant;
      const r = schulze({ options: e.candidates, ballots: e.ballots }, variant);
      checked++;
      let ok = (!exp.winners || same(r.winners, exp.winners)) && (!exp.ranking || same(r.ranking, exp.ranking));
      for (const [x, row] of Object.entries(exp.strongest_paths ?? {})) {
        for (const [y, want] of Object.entries(row)) {
          const got = r.pathFractions[e.candidates.indexOf(x)][e.candidates.indexOf(y)];
          const w = typeof want === 'number' ? { num: want, den: 1 } : want;
          if (got.num * w.den !== w.num * got.den) ok = false;
        }
      }
      if (ok) met++;
    }
  }
  return { checked, met };
}

/** CCC measures: how many published majority grades the lower median reproduces (-1 as lowest grade). */
export function checkCccGrades(measures: Array<{ mj_counts_per_grade: Record<string, number> | null; mj_majority_grade: number | null }>): { checked: number; met: number } {
  const scale = ['-1', '1', '2', '3', '4', '5'];
  const voted = measures.filter((m) => m.mj_counts_per_grade && Object.values(m.mj_counts_per_grade).some((x) => x > 0));
  const met = voted.filter((m) => {
    const r = majorityJudgment({ grades: scale, options: { m: scale.map((g) => m.mj_counts_per_grade![g] ?? 0) } });
    return Number(r.results[0].majorityGradeName) === m.mj_majority_grade;
  }).length;
  return { checked: voted.length, met };
}

export const suite: EvalSuite = {
  name: 'ballots',
  description: 'Tally every ballot file (PrefLib, Debian tally sheets, per-grade JSON) with Schulze, modified Borda and majority judgment; check published answers where given',
  usage: '[--variant margin|winning|ratio]',
  async run({ data, args, log }) {
    const variant = (typeof args.variant === 'string' ? args.variant : 'margin') as SchulzeVariant;
    if (!['margin', 'winning', 'ratio'].includes(variant)) throw new DataError(`--variant must be margin, winning or ratio`);
    let paths: string[];
    try {
      paths = statSync(data).isDirectory() ? walk(data) : [data];
    } catch (e) {
      throw new DataError(`cannot list ${data}: ${(e as Error).message}`);
    }
    const items: EvalItem[] = [];
    let files = 0;
    let unreadable = 0;
    const checks = { schulzeExpectations: 0, schulzeExpectationsMet: 0, mjGrades: 0, mjGradesReproduced: 0 };
    for (const path of paths) {
      const rel = relative(data, path) || path;
      const bytes = new Uint8Array(readFileSync(path));
      let parsed: BallotFile[];
      try {
        parsed = readBallotFile(bytes, rel);
      } catch (e) {
        if (!(e instanceof BallotError)) throw e;
        if (/\.json$/i.test(path) && /unknown layout/.test(e.message)) continue; // some other JSON: not a ballot file
        unreadable++;
        log(`unreadable: ${e.message}`);
        continue;
      }
      files++;
      for (const f of parsed) {
        const methods: TallyMethod[] = f.kind === 'ranked' ? ['schulze', 'borda'] : ['mj'];
        for (const method of methods) {
          const o = tallyFile(f, method, { variant });
          items.push({ name: `${f.name} ${method}`, file: f.name, method, ranking: JSON.stringify(o.ranking), winner: o.winner });
        }
      }
      if (parsed[0]?.format === 'schulze-examples-json') {
        const c = checkSchulzeExamples((JSON.parse(new TextDecoder().decode(bytes)) as { examples: Expectation[] }).examples);
        checks.schulzeExpectations += c.checked;
        checks.schulzeExpectationsMet += c.met;
      }
      if (parsed[0]?.format === 'ccc-json') {
        const c = checkCccGrades(JSON.parse(new TextDecoder().decode(bytes)) as Parameters<typeof checkCccGrades>[0]);
        checks.mjGrades += c.checked;
        checks.mjGradesReproduced += c.met;
      }
    }
    if (files === 0) throw new DataError(`no ballot files under ${data} (PrefLib .soc/.soi/.toc/.toi, tally*.txt, per-grade .json)`);
    log(`${files} files, ${items.length} tallies`);
    return {
      metrics: { files, items: items.length, unreadableFiles: unreadable, ...checks },
      items,
      provenance: { stage: 'ballots', version: 1, variant, unrankedOptions: 'tied last', borda: 'modified (m … 1, 0 unranked, ties averaged)', mjScale: 'file order, worst first' },
    };
  },
};
