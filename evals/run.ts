import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { DataError, type EvalArgs, type EvalResult } from './harness.js';
import { availableBenches, availableSuites, loadBench, loadSuite, SUITES } from './registry.js';

export function parseFlags(argv: string[]): { positional: string[]; flags: EvalArgs } {
  const positional: string[] = [];
  const flags: EvalArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2);
      if (v !== undefined) flags[k] = v;
      else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) flags[k] = argv[++i];
      else flags[k] = true;
    } else positional.push(a);
  }
  return { positional, flags };
}

function fmt(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
  if (Array.isArray(v)) return v.join(' ');
  return v === null || v === undefined ? '' : String(v);
}

export function table(rows: Array<Record<string, unknown>>): string {
  if (rows.length === 0) return '(no rows)';
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => fmt(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(w[i])).join('  ');
  return [line(cols), line(w.map((n) => '-'.repeat(n))), ...rows.map((r) => line(cols.map((c) => fmt(r[c]))))].join('\n');
}

/** `plenary eval <suite> --data <dir> [--out file.json] [options]`; returns the exit code. */
export interface Out {
  write(s: string): unknown;
}

export async function runEval(argv: string[], out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
  const { positional, flags } = parseFlags(argv);
  const list = () => `Suites: ${availableSuites().map((n) => n).join(', ')}`;
  if (flags.list || positional.length === 0) {
    for (const n of availableSuites()) {
      const s = await loadSuite(n);
      out.write(`${n.padEnd(12)} ${s?.description ?? ''}\n${''.padEnd(12)} usage: npm run eval -- ${n} --data <dir> ${s?.usage ?? ''}\n`);
    }
    return positional.length === 0 && !flags.list ? 2 : 0;
  }
  const name = positional[0];
  const suite = await loadSuite(name);
  if (!suite) {
    err.write(`Unknown suite '${name}'. ${list()}.${SUITES[name] ? ' (It is planned but not installed in this build.)' : ''}\n`);
    return 2;
  }
  if (typeof flags.data !== 'string') {
    err.write(`The ${name} suite needs --data <dir>. Usage: npm run eval -- ${name} --data <dir> ${suite.usage}\n`);
    return 2;
  }
  const data = resolve(flags.data);
  if (!existsSync(data)) {
    err.write(`Data not found: ${data}\n`);
    return 3;
  }
  const t0 = Date.now();
  let result: EvalResult;
  try {
    const r = await suite.run({ data, args: flags, log: (m) => err.write(`[${name}] ${m}\n`) });
    result = { suite: name, data, ...r, provenance: { ...r.provenance, startedAt: new Date(t0).toISOString(), seconds: (Date.now() - t0) / 1000, node: process.version } };
  } catch (e) {
    if (e instanceof DataError) {
      err.write(`Cannot read the data for '${name}': ${e.message}\n`);
      return 3;
    }
    throw e;
  }
  out.write(`\n${name} on ${data}\n\n${table(result.items)}\n\n${table([result.metrics])}\n`);
  if (typeof flags.out === 'string') {
    mkdirSync(dirname(resolve(flags.out)), { recursive: true });
    writeFileSync(resolve(flags.out), JSON.stringify(result, null, 2));
    out.write(`\nwrote ${resolve(flags.out)}\n`);
  }
  return 0;
}

/** `plenary bench <name> [options]` */
export async function runBench(argv: string[], out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
  const { positional, flags } = parseFlags(argv);
  if (positional.length === 0 || flags.list) {
    out.write(`Benchmarks: ${availableBenches().join(', ')}\n`);
    return positional.length === 0 && !flags.list ? 2 : 0;
  }
  const bench = await loadBench(positional[0]);
  if (!bench) {
    err.write(`Unknown benchmark '${positional[0]}'. Benchmarks: ${availableBenches().join(', ')}\n`);
    return 2;
  }
  const saved = resolve('evals/bench/results', `${bench.name}.json`);
  const before = existsSync(saved) ? statSync(saved).mtimeMs : 0;
  const startedAt = new Date().toISOString();
  const load = loadavg()[0];
  const r = await bench.run(flags, (m) => err.write(`[${bench.name}] ${m}\n`));
  out.write(`\n${bench.name}\n\n${table([r.figures])}\n`);
  // keep the printed figures with the code: unless the benchmark saved richer output itself during this run
  if (!flags['no-save'] && (!existsSync(saved) || statSync(saved).mtimeMs === before)) {
    mkdirSync(dirname(saved), { recursive: true });
    writeFileSync(saved, JSON.stringify({ ...r, startedAt, args: flags, machine: { cpus: cpus().length, loadavg1mAtStart: load, loadavg1mAtEnd: loadavg()[0], node: process.version } }, null, 2));
    out.write(`\nsaved ${saved}\n`);
  }
  if (r.rows?.length) out.write(`\n${table(r.rows)}\n`);
  for (const n of r.notes ?? []) out.write(`note: ${n}\n`);
  return 0;
}
