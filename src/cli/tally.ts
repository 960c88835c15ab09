import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  BallotError,
  readBallotFile,
  tallyFile,
  TALLY_METHODS,
  type MjResult,
  type SchulzeResult,
  type SchulzeVariant,
  type TallyMethod,
  type TallyOutcome,
  type ThresholdResult,
} from '../../pipelines/ballots/index.js';

export const TALLY_USAGE = `usage: plenary tally FILE --method schulze|borda|approval|mj|threshold [--variant margin|winning|ratio]
         [--threshold 0.8] [--base cast|eligible] [--quorum 0.5] [--eligible N] [--json]
FILE: PrefLib .soc/.soi/.toc/.toi, a Debian tally sheet (tally*.txt), or per-grade JSON
      {"grades": [worst … best], "options": {"name": [count per grade]}}`;

interface Out {
  write(s: string): unknown;
}

function share(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

function render(o: TallyOutcome): string {
  const lines = [`${o.method} — ${o.file}`, '', 'ranking (best first; options on one line are tied):'];
  o.ranking.forEach((tier, i) => lines.push(`  ${i + 1}. ${tier.join(' = ')}`));
  lines.push('', o.winner ? `winner: ${o.winner}` : `winners (tied): ${o.winners.join(', ') || 'none'}`);
  if (o.method === 'schulze') {
    const r = o.detail as SchulzeResult;
    const head = r.options.map((_, i) => String(i + 1).padStart(7)).join('');
    const matrix = (m: number[][]) => m.map((row, x) => `  ${String(x + 1).padStart(3)} ${row.map((v, y) => (x === y ? '—' : Number.isFinite(v) ? String(+v.toFixed(3)) : '∞').padStart(7)).join('')}`);
    lines.push('', ...r.options.map((n, i) => `  ${i + 1}: ${n}`), '', `pairwise d[row][col] (${r.voters} voters, unranked tied last):`, `      ${head}`, ...matrix(r.pairwise));
    lines.push('', `strongest paths (${r.variant}):`, `      ${head}`, ...matrix(r.paths));
  }
  if (o.method === 'mj') {
    const r = o.detail as MjResult;
    lines.push('', `grades (worst → best): ${r.grades.join(' | ')}`);
    for (const x of r.results) lines.push(`  ${x.option}: majority grade ${x.majorityGradeName ?? '—'} (${x.counts.join(' / ')}; above ${share(x.above)}, below ${share(x.below)})`);
  }
  if (o.method === 'threshold') {
    const r = o.detail as ThresholdResult;
    lines.push('', `turnout ${r.voters}/${r.eligible} = ${share(r.turnout)} against a quorum of ${share(r.quorum)}: ${r.quorumMet ? 'met' : 'NOT met'}`);
    r.options.forEach((n, i) => lines.push(`  ${n}: ${r.support[i]} (${share(r.share[i])} of ${r.base === 'cast' ? 'votes cast' : 'eligible members'}) ${r.passed[i] ? 'passes' : 'does not pass'} ${share(r.threshold)}`));
  }
  return lines.join('\n') + '\n';
}

/** `plenary tally FILE --method …` prints the result; returns the exit code. */
export function tallyCommand(argv: string[], out: Out = process.stdout, err: Out = process.stderr): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        method: { type: 'string' },
        variant: { type: 'string' },
        threshold: { type: 'string' },
        base: { type: 'string' },
        quorum: { type: 'string' },
        eligible: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
  } catch (e) {
    err.write(`${(e as Error).message}\n${TALLY_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const method = values.method as TallyMethod | undefined;
  if (positionals.length !== 1 || !method || !TALLY_METHODS.includes(method)) {
    err.write(`${TALLY_USAGE}\n`);
    return 2;
  }
  const variant = (values.variant ?? 'margin') as SchulzeVariant;
  if (!['margin', 'winning', 'ratio'].includes(variant)) {
    err.write(`--variant must be margin, winning or ratio\n`);
    return 2;
  }
  const num = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v.replace(/%$/, '')) / (v.endsWith('%') ? 100 : 1);
    if (!Number.isFinite(n)) throw new BallotError(`--${name} must be a number, got "${v}"`);
    return n;
  };
  const path = positionals[0];
  try {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(path));
    } catch (e) {
      throw new BallotError(`cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file: path });
    }
    const files = readBallotFile(bytes, path);
    const rule = Object.fromEntries(
      Object.entries({ threshold: num(values.threshold, 'threshold'), quorum: num(values.quorum, 'quorum'), eligible: num(values.eligible, 'eligible'), base: values.base }).filter(([, v]) => v !== undefined),
    );
    const outcomes = files.map((f) => tallyFile(f, method, { variant, rule }));
    out.write(values.json ? JSON.stringify(outcomes.length === 1 ? outcomes[0] : outcomes, null, 2) + '\n' : outcomes.map(render).join('\n'));
    return 0;
  } catch (e) {
    if (e instanceof BallotError) {
      err.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
