/**
 * Chooses the pivot-selection weights of the 'apertium' translator (models/tuned.ts) on the VALIDATION split only.
 *   npx tsx evals/translation/tune.ts [--data DIR …] [--split validation|test]
 * Default data: /work/shared/data/translation-fr-en/{tatoeba-laser,multi30k}. Runs every installed pivot chain once (marks kept) and the round trips, then
 * scores a grid of weights without re-running Apertium; prints corpus chrF per setting and per pivot alone.
 * `--split test` prints the same grid on the test part: only to report after the choice, never to choose.
 */
import { existsSync } from 'node:fs';
import { pivotCandidates } from '../../models/offline/apertium.js';
import { scoreCandidates, stripMarks, type Candidate, type SelectWeights } from '../../models/offline/pivot-select.js';
import { parseFlags, table } from '../run.js';
import { readPairs } from './suite.js';
import { corpusChrf } from './scorers.js';

const GRID: SelectWeights[] = [];
for (const consensus of [0, 1]) for (const roundTrip of [0, 0.5, 1, 2]) for (const marks of [0, 2, 5, 10]) if (consensus || roundTrip || marks) GRID.push({ consensus, roundTrip, marks });

async function main() {
  const { flags } = parseFlags(process.argv.slice(2));
  const side = flags.split === 'test' ? 'test' : 'validation';
  const dirs = typeof flags.data === 'string' ? flags.data.split(',') : ['/work/shared/data/translation-fr-en/tatoeba-laser', '/work/shared/data/translation-fr-en/multi30k'];
  const fr: string[] = [];
  const en: string[] = [];
  for (const d of dirs.filter((x) => existsSync(x))) {
    const p = readPairs(d);
    p.fr.forEach((f, i) => {
      if (p.split[i] !== side) return;
      fr.push(f);
      en.push(p.en[i]);
    });
  }
  console.log(`${side}: ${fr.length} pairs from ${dirs.join(', ')}`);
  for (const [from, to, src, ref] of [['fr', 'en', fr, en], ['en', 'fr', en, fr]] as const) {
    const cands: Candidate[][] = await pivotCandidates(src, from, to, { roundTrip: true });
    const rows: Array<Record<string, unknown>> = [];
    for (const p of cands[0].map((c) => c.pivot)) {
      rows.push({ setting: `pivot ${p} alone`, chrF: corpusChrf(cands.map((cs) => stripMarks(cs.find((c) => c.pivot === p)!.raw).replace(/\s+/g, ' ').trim()), ref).toFixed(2) });
    }
    for (const w of GRID) {
      const out = cands.map((cs, i) => scoreCandidates(src[i], cs, w)[0].text);
      rows.push({ setting: `consensus ${w.consensus} roundTrip ${w.roundTrip} marks ${w.marks}`, chrF: corpusChrf(out, ref).toFixed(2) });
    }
    const best = rows.slice(cands[0].length).reduce((a, b) => (Number(b.chrF) > Number(a.chrF) ? b : a));
    console.log(`\n${from}→${to} (${side})\n${table(rows)}\nbest: ${best.setting} ${best.chrF}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
