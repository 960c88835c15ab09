/**
 * Translation fr↔en with Apertium (Debian `apertium` and language pairs). Debian 12 has no direct fr–en pair, so
 * every chain goes through a pivot language: Spanish (`apertium-fr-es` + `apertium-eng-spa`), Catalan
 * (`apertium-fra-cat` + `apertium-eng-cat`) and, for fr→en only, Esperanto (`apertium-eo-fr` + `apertium-eo-en`).
 * One child process chain per call (`sh -c 'cat | apertium …'`; feeding Node's stdin straight to apertium fails,
 * and the null-flush mode `-z` hangs, so no persistent process).
 *
 * Two backends:
 * - 'apertium-plain': the Spanish chain alone, one input text per line, marks dropped (the translation eval's baseline).
 * - 'apertium': every installed pivot chain, and per sentence the output chosen by a score that never looks at a
 *   reference (models/offline/pivot-select.ts: agreement between the chains, round trip back to the source,
 *   Apertium's unknown-word marks; weights in models/tuned.ts, chosen on the validation split). Plus
 *     · sentence splitting: multi-sentence texts are split, translated one sentence a line, rejoined
 *       (paragraph breaks kept);
 *     · protected spans: URLs, e-mails, @mentions, numbers and caller-provided names become placeholder tokens
 *       Apertium passes through as unknown words, restored afterwards (so they come out unchanged);
 *     · typography: curly apostrophes normalised for the analyser; French guillemets become English quotes
 *       in fr→en output;
 *     · unknown words pass through as written, without Apertium's `*`/`#`/`@` marks.
 *   With only the Spanish pair installed it is the Spanish chain with these additions.
 */
import type { BackendDescriptor, ModelsConfig, Result, TranslateOptions, Translator } from '../types.js';
import { ModelError } from '../types.js';
import { splitSentences } from '../text.js';
import { TRANSLATION_TUNED } from '../tuned.js';
import { makeProvenance, runCommand, Semaphore, which, withParams } from '../util.js';
import { scoreCandidates, stripMarks, type Candidate, type SelectWeights } from './pivot-select.js';
import { readdir } from 'node:fs/promises';

const MODES_DIR = '/usr/share/apertium/modes';
/** Chains per direction and pivot: the Apertium modes to run in turn. */
const CHAINS: Record<string, Record<string, string[]>> = {
  'fr>en': { es: ['fr-es', 'spa-eng'], ca: ['fra-cat', 'cat-eng'], eo: ['fr-eo', 'eo-en'] },
  'en>fr': { es: ['eng-spa', 'es-fr'], ca: ['eng-cat', 'cat-fra'] },
};
/** The plain baseline's pivot. */
const PLAIN_PIVOT = 'es';
const FIX = 'apt-get install -y apertium apertium-fr-es apertium-eng-spa (better: also apertium-fra-cat apertium-eng-cat apertium-eo-fr apertium-eo-en)';
const MAX_LINES_PER_CALL = 2000;

let versionCache: string | undefined;
async function apertiumVersion(): Promise<string> {
  if (versionCache) return versionCache;
  try {
    const r = await runCommand('dpkg-query', ['-W', '-f=${Version}', 'apertium'], { timeoutMs: 5000 });
    versionCache = r.code === 0 && r.stdout.trim() ? `apertium ${r.stdout.trim()}` : 'apertium unknown';
  } catch {
    versionCache = 'apertium unknown';
  }
  return versionCache;
}

/** Installed Apertium modes (from /usr/share/apertium/modes). */
export async function installedModes(): Promise<string[]> {
  try {
    return (await readdir(MODES_DIR)).filter((f) => f.endsWith('.mode')).map((f) => f.replace(/\.mode$/, '')).sort();
  } catch {
    return [];
  }
}

/** Installed pivots per direction, in the tuned order of preference; only `onlyPivot` when given. */
export async function installedPivots(onlyPivot?: string): Promise<Record<string, string[]>> {
  if (!(await which('apertium'))) return {};
  const modes = new Set(await installedModes());
  const out: Record<string, string[]> = {};
  for (const [dir, chains] of Object.entries(CHAINS)) {
    const order = [...new Set([...(TRANSLATION_TUNED.pivots[dir] ?? []), ...Object.keys(chains)])];
    const ok = order.filter((p) => chains[p] && chains[p].every((m) => modes.has(m)) && (!onlyPivot || p === onlyPivot));
    if (ok.length) out[dir] = ok;
  }
  return out;
}

function pairsOf(pivots: Record<string, string[]>): Array<readonly [string, string]> {
  return Object.keys(pivots).map((k) => k.split('>') as [string, string]).map(([a, b]) => [a, b] as const);
}

/** Runs lines through one chain; returns exactly one output line per input line. Marks kept unless `unmarked`. */
async function runChain(lines: string[], modes: string[], unmarked: boolean): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += MAX_LINES_PER_CALL) {
    const part = lines.slice(i, i + MAX_LINES_PER_CALL);
    const script = ['cat', ...modes.map((m) => `apertium ${unmarked ? '-u ' : ''}${m}`)].join(' | ');
    const r = await runCommand('sh', ['-c', script], { input: part.join('\n') + '\n', timeoutMs: 120_000 + part.length * 100 });
    if (r.code !== 0) throw new ModelError('MODEL_FAILED', `apertium failed (${r.code}): ${r.stderr.slice(0, 500)}`, FIX);
    const got = r.stdout.replace(/\n$/, '').split('\n');
    if (got.length !== part.length) {
      throw new ModelError('MODEL_FAILED', `apertium returned ${got.length} lines for ${part.length}`);
    }
    out.push(...got);
  }
  return out;
}

/** A placeholder passes through as an unknown word: its mark is not a doubt about the translation. */
const unmarkPlaceholders = (s: string) => s.replace(/[*#@](ZQX\d+Z)/gi, '$1');

/**
 * Every installed pivot's output for each line (marks kept), and with `roundTrip` its back-translation into the
 * source language through the first installed round-trip pivot. Exported for the weight tuning (evals/translation/tune.ts).
 */
export async function pivotCandidates(lines: string[], from: string, to: string, o: { roundTrip: boolean; pivots?: Record<string, string[]> }): Promise<Candidate[][]> {
  const installed = o.pivots ?? (await installedPivots());
  const dir = `${from}>${to}`;
  const pivots = installed[dir];
  if (!pivots?.length) throw new ModelError('UNSUPPORTED_LANGUAGE', `apertium: no chain for ${from}→${to}`, FIX);
  // one chain after another: each is a pipeline of several processes already, and the machine may be shared
  const outs: string[][] = [];
  for (const p of pivots) outs.push(await runChain(lines, CHAINS[dir][p], false));
  const cands: Candidate[][] = lines.map((_, i) => pivots.map((p, j) => ({ pivot: p, raw: unmarkPlaceholders(outs[j][i]) })));
  const backDir = `${to}>${from}`;
  const backPivot = (TRANSLATION_TUNED.roundTripPivot[backDir] ?? []).find((p) => installed[backDir]?.includes(p)) ?? installed[backDir]?.[0];
  if (o.roundTrip && backPivot) {
    // only where the candidates differ (otherwise the choice does not matter), each distinct text once
    const distinct = new Map<string, number>();
    for (const cs of cands) {
      const texts = cs.map((c) => stripMarks(c.raw).trim());
      if (new Set(texts).size > 1) for (const t of texts) if (!distinct.has(t)) distinct.set(t, distinct.size);
    }
    const back = distinct.size ? await runChain([...distinct.keys()], CHAINS[backDir][backPivot], true) : [];
    for (const cs of cands) for (const c of cs) {
      const q = distinct.get(stripMarks(c.raw).trim());
      if (q !== undefined) c.back = back[q];
    }
  }
  return cands;
}

// ---------------------------------------------------------------------------------------------------------
// protected spans

const PH = (i: number) => `ZQX${i}Z`;
const PH_RE = /ZQX(\d+)Z/gi;

const SPAN_PATTERNS: RegExp[] = [
  /\b(?:https?:\/\/|www\.)[^\s<>"«»]+[^\s<>"«».,;:!?)\]]/giu, // URLs (trailing punctuation left out)
  /\b[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}\b/giu, // e-mails
  /(?<![\p{L}\p{N}_])@[\p{L}\p{N}_]{1,50}/gu, // @mentions
  /(?<![\p{L}\p{N}])[+-]?\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)*(?:\s?%)?(?![\p{L}\p{N}])/gu, // numbers, 3 000, 3,5, 12%
];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces protected spans with placeholders; returns the masked text and the spans in placeholder order. */
export function protectSpans(text: string, names: string[]): { masked: string; spans: string[] } {
  type Hit = { start: number; end: number };
  const hits: Hit[] = [];
  const take = (re: RegExp) => {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const start = m.index;
      const end = start + m[0].length;
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      if (!hits.some((h) => start < h.end && end > h.start)) hits.push({ start, end });
    }
  };
  // names first (longest first), then URLs, e-mails, mentions, numbers
  const sortedNames = [...new Set(names.map((n) => n.trim()).filter(Boolean))].sort((a, b) => b.length - a.length);
  for (const n of sortedNames) take(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(n)}(?![\\p{L}\\p{N}])`, 'gu'));
  for (const re of SPAN_PATTERNS) take(re);
  hits.sort((a, b) => a.start - b.start);
  let masked = '';
  let pos = 0;
  const spans: string[] = [];
  for (const h of hits) {
    masked += text.slice(pos, h.start) + PH(spans.length);
    spans.push(text.slice(h.start, h.end));
    pos = h.end;
  }
  masked += text.slice(pos);
  return { masked, spans };
}

export function restoreSpans(text: string, spans: string[]): string {
  return text.replace(PH_RE, (m, d: string) => spans[Number(d)] ?? m);
}

function preprocess(s: string): string {
  return s
    .replace(/[\u2019\u02bc]/g, "'") // ’ → '
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function postprocess(s: string, to: string): string {
  let t = s.replace(/\s+/g, ' ').trim();
  if (to === 'en') t = t.replace(/«\s*/g, '"').replace(/\s*»/g, '"');
  // tidy spaces Apertium leaves before punctuation in English output
  if (to === 'en') t = t.replace(/\s+([,.;:!?])/g, '$1');
  return t;
}

export async function createApertiumTranslator(cfg: ModelsConfig, variant: 'apertium' | 'apertium-plain'): Promise<Translator> {
  if (!(await which('apertium'))) throw new ModelError('MISSING_BACKEND', 'translation needs Apertium (Debian package apertium)', FIX);
  const installed = await installedPivots(variant === 'apertium-plain' ? PLAIN_PIVOT : undefined);
  const pairs = pairsOf(installed);
  if (pairs.length === 0) {
    throw new ModelError('MISSING_BACKEND', 'no fr↔en Apertium chain installed (needs e.g. the fr-es, es-fr, eng-spa and spa-eng modes)', FIX);
  }
  const version = await apertiumVersion();
  const used = [...new Set(Object.values(installed).flat())];
  const provenance = makeProvenance('translator', variant, modelIdOf(variant, used), version, null, {
    pivots: installed,
    ...(variant === 'apertium' ? { sentenceSplit: true, protectedSpans: true, selection: TRANSLATION_TUNED.weights } : {}),
  });
  const sem = new Semaphore(Math.max(1, Math.min(2, cfg.threads || 2)));
  const check = (from: string, to: string) => {
    if (!pairs.some(([f, t]) => f === from && t === to)) {
      throw new ModelError(
        'UNSUPPORTED_LANGUAGE',
        `apertium: ${from}→${to} not supported (installed: ${pairs.map((p) => p.join('→')).join(', ')})`,
        FIX,
      );
    }
  };

  async function plain(texts: string[], from: string, to: string): Promise<string[]> {
    const lines = texts.map((t) => t.replace(/\s*\n\s*/g, ' ').trim());
    const idx = lines.map((l, i) => (l ? i : -1)).filter((i) => i >= 0);
    const res = await runChain(idx.map((i) => lines[i]), CHAINS[`${from}>${to}`][PLAIN_PIVOT], true);
    const out = texts.map(() => '');
    idx.forEach((i, k) => (out[i] = res[k].trim()));
    return out;
  }

  /** One line per sentence through every pivot; the best candidate per sentence. */
  async function selectLines(lines: string[], from: string, to: string, chosen: Record<string, number>): Promise<string[]> {
    if (lines.length === 0) return [];
    const w: SelectWeights = TRANSLATION_TUNED.weights[`${from}>${to}`] ?? { consensus: 1, roundTrip: 0, marks: 1 };
    const cands = await pivotCandidates(lines, from, to, { roundTrip: w.roundTrip !== 0, pivots: installed });
    return cands.map((cs, i) => {
      const best = scoreCandidates(lines[i], cs, w)[0];
      chosen[best.pivot] = (chosen[best.pivot] ?? 0) + 1;
      return best.text;
    });
  }

  async function enhanced(texts: string[], from: string, to: string, names: string[], chosen: Record<string, number>): Promise<string[]> {
    // structure: text → paragraphs → sentences; every sentence is one line
    const lines: string[] = [];
    const spansPerLine: string[][] = [];
    const structure = texts.map((text) =>
      text.split(/\n\s*\n|\r?\n/).map((para) =>
        splitSentences(para).map((s) => {
          const { masked, spans } = protectSpans(preprocess(s), names);
          lines.push(masked);
          spansPerLine.push(spans);
          return lines.length - 1;
        }),
      ),
    );
    const res = await selectLines(lines, from, to, chosen);
    return structure.map((paras) =>
      paras
        .map((sentIdx) => sentIdx.map((i) => postprocess(restoreSpans(res[i], spansPerLine[i]), to)).join(' '))
        .filter((p) => p.length > 0)
        .join('\n'),
    );
  }

  return {
    provenance,
    pairs,
    async translate(texts: string[], from: string, to: string, opts?: TranslateOptions): Promise<Result<string[]>> {
      if (from === to) return { output: [...texts], provenance: withParams(provenance, { from, to, identity: true }) };
      check(from, to);
      const names = opts?.protectedNames ?? [];
      const chosen: Record<string, number> = {};
      const output = await sem.run(() => (variant === 'apertium' ? enhanced(texts, from, to, names, chosen) : plain(texts, from, to)));
      return {
        output,
        provenance: withParams(provenance, { from, to, ...(names.length ? { protectedNames: names.length } : {}), ...(variant === 'apertium' ? { chosenPivots: chosen } : {}) }),
      };
    },
    async close() {
      /* no persistent process */
    },
  };
}

function modelIdOf(variant: 'apertium' | 'apertium-plain', pivots: string[]): string {
  return variant === 'apertium' ? `apertium-pivots(${pivots.join(',')})` : 'apertium-fr-es+eng-spa (plain)';
}

function descriptor(variant: 'apertium' | 'apertium-plain', rank: number): BackendDescriptor<'translator'> {
  return {
    task: 'translator',
    backend: variant,
    modelId: modelIdOf(variant, variant === 'apertium' ? TRANSLATION_TUNED.pivots['fr>en'] : [PLAIN_PIVOT]),
    tier: 'offline',
    rank,
    async probe() {
      if (!(await which('apertium'))) return { available: false, reason: 'apertium is not on PATH', fix: FIX };
      const pairs = pairsOf(await installedPivots(variant === 'apertium-plain' ? PLAIN_PIVOT : undefined));
      if (pairs.length === 0) return { available: false, reason: 'no fr↔en Apertium language pairs installed', fix: FIX };
      return { available: true };
    },
    create: (cfg) => createApertiumTranslator(cfg, variant),
  };
}

export const apertiumTranslator = descriptor('apertium', 10);
export const apertiumPlainTranslator = descriptor('apertium-plain', 5);
