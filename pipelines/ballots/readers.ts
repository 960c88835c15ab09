/**
 * Readers for published ballot formats (pure: bytes or text in, typed ballots out). Every error names the file
 * and the 1-based line.
 *
 * - PrefLib (https://www.preflib.org/format): `.soc` `.soi` (strict orders, complete / incomplete) and `.toc`
 *   `.toi` (orders with ties in `{…}`). Both the current layout (`# NUMBER ALTERNATIVES: n`,
 *   `# ALTERNATIVE NAME i: name` metadata, then `count: 1,{2,3},4`) and the legacy one (n, then `i,name` lines,
 *   a `voters,total,unique` line, then `count,1,{2,3},4`) are read. Ties in a strict-order file are an error.
 * - Debian tally sheets (vote.debian.org/~secretary/…/tally.txt): the header lines `Option N--->: name` (any
 *   decoration before `Option`, any number of dashes) and one `V: <ranks> <hash>` line per voter, where the i-th
 *   character is option i's rank (1–9, then A–Z for 10–35) and `-` means unranked. Older sheets are Latin-1:
 *   bytes that are not valid UTF-8 are decoded as Latin-1.
 * - Per-grade tallies in JSON: `{"grades": [worst … best], "options": {"name": [count per grade]}}`.
 * - Two JSON layouts of the public data folder, so the eval can run on it: Schulze's worked examples
 *   (`{"examples": [{id, candidates, ballots: [{ranking, count}]}]}`, several elections in one file) and the CCC
 *   measures (`[{measure, mj_counts_per_grade: {"-1": n, "1": n, …}}]`, where -1, "Pas d'avis", is the lowest grade).
 */
import { BallotError, type RankedBallot, type RankedProfile } from './types.js';
import type { GradeTally } from './mj.js';

export type BallotFile =
  | { kind: 'ranked'; name: string; format: string; profile: RankedProfile; encoding?: string }
  | { kind: 'grades'; name: string; format: string; tally: GradeTally };

/** Decodes bytes as UTF-8, or as Latin-1 when they are not valid UTF-8. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'latin1' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('latin1').decode(bytes), encoding: 'latin1' };
  }
}

/** Parses `1,{2,3},4` into tiers of 1-based option numbers. */
function parseOrder(s: string, file: string, line: number, allowTies: boolean): number[][] {
  const tiers: number[][] = [];
  const re = /\s*(\{[^}]*\}|[^,{}]+)\s*(,|$)/y;
  let pos = 0;
  const src = s.trim();
  if (src === '') return tiers;
  while (pos < src.length) {
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) throw new BallotError(`cannot read the order "${src}" (expected numbers separated by commas, ties in {…})`, { file, line });
    const tok = m[1].trim();
    const nums = (tok.startsWith('{') ? tok.slice(1, -1) : tok).split(',').map((x) => x.trim()).filter((x) => x !== '');
    if (tok.startsWith('{') && !allowTies && nums.length > 1) throw new BallotError('a tie {…} in a strict-order file (.soc/.soi); use .toc/.toi for ties', { file, line });
    if (nums.length === 0) throw new BallotError('an empty tie {}', { file, line });
    tiers.push(nums.map((x) => {
      if (!/^\d+$/.test(x)) throw new BallotError(`"${x}" is not an option number`, { file, line });
      return Number(x);
    }));
    pos = re.lastIndex;
    if (m[2] === '') break;
  }
  return tiers;
}

function toBallot(tiers: number[][], names: Map<number, string>, count: number, file: string, line: number): RankedBallot {
  const seen = new Set<number>();
  const ranking = tiers.map((t) => t.map((n) => {
    const name = names.get(n);
    if (name === undefined) throw new BallotError(`option ${n} is not declared in the header`, { file, line });
    if (seen.has(n)) throw new BallotError(`option ${n} appears twice in one order`, { file, line });
    seen.add(n);
    return name;
  }));
  if (!Number.isInteger(count) || count < 1) throw new BallotError(`the count must be a positive whole number`, { file, line });
  return { ranking, count };
}

/** Reads a PrefLib .soc/.soi/.toc/.toi file (current or legacy layout). */
export function readPrefLib(text: string, file: string): RankedProfile {
  const allowTies = /\.to[ci]$/i.test(file);
  const lines = text.split(/\r?\n/);
  const names = new Map<number, string>();
  const ballots: RankedBallot[] = [];
  let declared: number | null = null;
  if (lines.some((l) => l.startsWith('#'))) {
    lines.forEach((raw, i) => {
      const line = i + 1;
      const l = raw.trim();
      if (l === '') return;
      if (l.startsWith('#')) {
        const alt = /^#\s*ALTERNATIVE NAME (\d+):\s?(.*)$/i.exec(l);
        if (alt) names.set(Number(alt[1]), alt[2].trim());
        const n = /^#\s*NUMBER ALTERNATIVES:\s*(\d+)/i.exec(l);
        if (n) declared = Number(n[1]);
        return;
      }
      const m = /^(\d+)\s*:\s*(.*)$/.exec(l);
      if (!m) throw new BallotError(`not a PrefLib data line (expected "count: 1,2,{3,4}"): "${l.slice(0, 60)}"`, { file, line });
      ballots.push(toBallot(parseOrder(m[2], file, line, allowTies), names, Number(m[1]), file, line));
    });
  } else {
    let i = 0;
    const next = () => {
      while (i < lines.length && lines[i].trim() === '') i++;
      return i < lines.length ? { l: lines[i].trim(), line: ++i } : null;
    };
    const first = next();
    if (!first || !/^\d+$/.test(first.l)) throw new BallotError('not a PrefLib file: the first line should be the number of options (or a "# " header)', { file, line: first?.line ?? 1 });
    declared = Number(first.l);
    for (let k = 0; k < declared; k++) {
      const r = next();
      const m = r && /^(\d+)\s*,\s*(.*)$/.exec(r.l);
      if (!r || !m) throw new BallotError(`expected option line "${k + 1},name"`, { file, line: r?.line ?? lines.length });
      names.set(Number(m[1]), m[2].trim());
    }
    const totals = next();
    if (!totals || !/^\d+\s*,\s*\d+\s*,\s*\d+$/.test(totals.l)) throw new BallotError('expected the "voters,total,unique orders" line', { file, line: totals?.line ?? lines.length });
    for (let r = next(); r; r = next()) {
      const m = /^(\d+)\s*,\s*(.*)$/.exec(r.l);
      if (!m) throw new BallotError(`not a PrefLib data line (expected "count,1,2,{3,4}"): "${r.l.slice(0, 60)}"`, { file, line: r.line });
      ballots.push(toBallot(parseOrder(m[2], file, r.line, allowTies), names, Number(m[1]), file, r.line));
    }
  }
  if (names.size === 0) throw new BallotError('no options declared (no "# ALTERNATIVE NAME i:" lines)', { file, line: 1 });
  if (declared !== null && declared !== names.size) throw new BallotError(`the header declares ${declared} options but names ${names.size}`, { file, line: 1 });
  const options = [...names.keys()].sort((a, b) => a - b).map((k) => names.get(k)!);
  return { options, ballots };
}

const RANK_CHARS = '123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Reads a Debian tally sheet (text already decoded). */
export function readDebianTally(text: string, file: string): RankedProfile {
  const names = new Map<number, string>();
  const rows: Array<{ marks: string; line: number }> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const opt = /Option\s+(\d+)\s*-*>:\s?(.*)$/.exec(raw);
    if (opt) names.set(Number(opt[1]), opt[2].trim());
    const v = /^V:\s+(\S+)/.exec(raw.trimStart());
    if (v) rows.push({ marks: v[1], line: i + 1 });
  });
  if (names.size === 0) throw new BallotError('not a Debian tally sheet: no "Option N--->: name" header line', { file, line: 1 });
  const n = names.size;
  for (let k = 1; k <= n; k++) if (!names.has(k)) throw new BallotError(`the header names ${n} options but not option ${k}`, { file, line: 1 });
  const options = Array.from({ length: n }, (_, k) => names.get(k + 1)!);
  const ballots = rows.map(({ marks, line }) => {
    if (marks.length !== n) throw new BallotError(`the vote "${marks}" has ${marks.length} marks for ${n} options`, { file, line });
    const byRank = new Map<number, string[]>();
    [...marks.toUpperCase()].forEach((ch, k) => {
      if (ch === '-') return;
      const r = RANK_CHARS.indexOf(ch);
      if (r < 0 || r >= n) throw new BallotError(`"${ch}" is not a rank (1 to ${RANK_CHARS[n - 1]}, or - for unranked)`, { file, line });
      byRank.set(r, [...(byRank.get(r) ?? []), options[k]]);
    });
    const ranking = [...byRank.keys()].sort((a, b) => a - b).map((r) => byRank.get(r)!);
    return { ranking, count: 1 };
  });
  return { options, ballots };
}

function lineOf(text: string, needle: string): number | undefined {
  const at = text.indexOf(needle);
  return at < 0 ? undefined : text.slice(0, at).split('\n').length;
}

/** Reads a JSON ballot file: per-grade tallies, Schulze's examples, or the CCC measures. */
export function readJsonBallots(text: string, file: string): BallotFile[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec((e as Error).message);
    throw new BallotError(`not valid JSON (${(e as Error).message})`, { file, line: pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined });
  }
  const obj = data as Record<string, unknown>;
  if (obj && typeof obj === 'object' && Array.isArray(obj.grades) && obj.options && typeof obj.options === 'object') {
    const grades = obj.grades.map(String);
    const options = obj.options as Record<string, unknown>;
    for (const [name, c] of Object.entries(options)) {
      if (!Array.isArray(c) || c.length !== grades.length || c.some((x) => !Number.isInteger(x) || (x as number) < 0)) {
        throw new BallotError(`option "${name}": expected ${grades.length} whole counts (one per grade)`, { file, line: lineOf(text, JSON.stringify(name)) });
      }
    }
    return [{ kind: 'grades', name: file, format: 'grades-json', tally: { grades, options: options as Record<string, number[]> } }];
  }
  if (obj && typeof obj === 'object' && Array.isArray(obj.examples)) {
    return (obj.examples as Array<{ id: string; candidates: string[]; ballots: RankedBallot[] }>).map((e) => ({
      kind: 'ranked' as const,
      name: `${file}#${e.id}`,
      format: 'schulze-examples-json',
      profile: { options: e.candidates, ballots: e.ballots },
    }));
  }
  if (Array.isArray(data) && data.length > 0 && data.every((m) => m && typeof m === 'object' && 'mj_counts_per_grade' in m)) {
    const grades = ['-1', '1', '2', '3', '4', '5'];
    const options: Record<string, number[]> = {};
    (data as Array<{ measure: string; mj_counts_per_grade: Record<string, number> | null }>).forEach((m, i) => {
      if (m.mj_counts_per_grade) options[`${i + 1}. ${m.measure.slice(0, 60)}`] = grades.map((g) => m.mj_counts_per_grade![g] ?? 0);
    });
    return [{ kind: 'grades', name: file, format: 'ccc-json', tally: { grades, options } }];
  }
  throw new BallotError('JSON of an unknown layout: expected {"grades": […], "options": {name: [counts]}}', { file, line: 1 });
}

/** Reads any supported ballot file by its name and bytes. */
export function readBallotFile(bytes: Uint8Array, file: string): BallotFile[] {
  const { text, encoding } = decodeText(bytes);
  if (/\.json$/i.test(file)) return readJsonBallots(text, file);
  if (/\.(soc|soi|toc|toi)$/i.test(file)) return [{ kind: 'ranked', name: file, format: 'preflib', profile: readPrefLib(text, file), encoding }];
  if (/^\s*(\/|\|)*\s*Option\s+1\s*-*>:/m.test(text) || /\btally\b/i.test(file)) {
    return [{ kind: 'ranked', name: file, format: 'debian-tally', profile: readDebianTally(text, file), encoding }];
  }
  throw new BallotError('unknown ballot file: expected PrefLib .soc/.soi/.toc/.toi, a Debian tally sheet or per-grade JSON', { file, line: 1 });
}

/** True when a file name looks like a ballot file the readers know. */
export function isBallotFileName(name: string): boolean {
  return /\.(soc|soi|toc|toi|json)$/i.test(name) || /tally.*\.txt$/i.test(name);
}
