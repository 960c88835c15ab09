/**
 * Translation fr↔en with Apertium (Debian `apertium`, `apertium-fr-es`, `apertium-eng-spa`), through Spanish
 * (Debian 12 has no direct fr–en pair). One child process chain per call (`sh -c 'cat | apertium -u …'`;
 * feeding Node's stdin straight to apertium fails, and the null-flush mode `-z` hangs, so no persistent process).
 *
 * Two backends:
 * - 'apertium-plain': the plain chain, one input text per line (baseline for the translation eval).
 * - 'apertium': the same chain plus
 *     · sentence splitting: multi-sentence texts are split, translated one sentence a line, rejoined
 *       (paragraph breaks kept);
 *     · protected spans: URLs, e-mails, @mentions, numbers and caller-provided names become placeholder tokens
 *       Apertium passes through as unknown words, restored afterwards (so they come out unchanged);
 *     · typography: curly apostrophes normalised for the analyser; French guillemets become English quotes
 *       in fr→en output;
 *     · unknown-word marks are dropped (`-u`) so unknown words stay as plain text.
 */
import type { BackendDescriptor, ModelsConfig, Result, TranslateOptions, Translator } from '../types.js';
import { ModelError } from '../types.js';
import { splitSentences } from '../text.js';
import { makeProvenance, runCommand, Semaphore, which, withParams } from '../util.js';
import { readdir } from 'node:fs/promises';

const MODES_DIR = '/usr/share/apertium/modes';
/** fr→en and en→fr as chains of installed Apertium modes. */
const CHAINS: Record<string, string[]> = {
  'fr>en': ['fr-es', 'spa-eng'],
  'en>fr': ['eng-spa', 'es-fr'],
};
const FIX = 'apt-get install -y apertium apertium-fr-es apertium-eng-spa';
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

async function availablePairs(): Promise<Array<readonly [string, string]>> {
  if (!(await which('apertium'))) return [];
  const modes = new Set(await installedModes());
  const pairs: Array<readonly [string, string]> = [];
  for (const [key, chain] of Object.entries(CHAINS)) {
    if (chain.every((m) => modes.has(m))) {
      const [from, to] = key.split('>');
      pairs.push([from, to] as const);
    }
  }
  return pairs;
}

/** Runs lines through the chain for from→to; returns exactly one output line per input line. */
async function runChain(lines: string[], from: string, to: string): Promise<string[]> {
  const chain = CHAINS[`${from}>${to}`];
  if (!chain) throw new ModelError('UNSUPPORTED_LANGUAGE', `apertium: no chain for ${from}→${to}`);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += MAX_LINES_PER_CALL) {
    const part = lines.slice(i, i + MAX_LINES_PER_CALL);
    const script = ['cat', ...chain.map((m) => `apertium -u ${m}`)].join(' | ');
    const r = await runCommand('sh', ['-c', script], { input: part.join('\n') + '\n', timeoutMs: 60_000 + part.length * 50 });
    if (r.code !== 0) throw new ModelError('MODEL_FAILED', `apertium failed (${r.code}): ${r.stderr.slice(0, 500)}`, FIX);
    const got = r.stdout.replace(/\n$/, '').split('\n');
    if (got.length !== part.length) {
      throw new ModelError('MODEL_FAILED', `apertium returned ${got.length} lines for ${part.length}`);
    }
    out.push(...got);
  }
  return out;
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
  const pairs = await availablePairs();
  if (pairs.length === 0) {
    throw new ModelError('MISSING_BACKEND', 'no fr↔en Apertium chain installed (needs fr-es, es-fr, eng-spa, spa-eng modes)', FIX);
  }
  const version = await apertiumVersion();
  const provenance = makeProvenance('translator', variant, variant === 'apertium' ? 'apertium-fr-es+eng-spa' : 'apertium-fr-es+eng-spa (plain)', version, null, {
    pivot: 'es',
    ...(variant === 'apertium' ? { sentenceSplit: true, protectedSpans: true } : {}),
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
    const res = await runChain(idx.map((i) => lines[i]), from, to);
    const out = texts.map(() => '');
    idx.forEach((i, k) => (out[i] = res[k].trim()));
    return out;
  }

  async function enhanced(texts: string[], from: string, to: string, names: string[]): Promise<string[]> {
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
    const res = lines.length ? await runChain(lines, from, to) : [];
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
      const output = await sem.run(() => (variant === 'apertium' ? enhanced(texts, from, to, names) : plain(texts, from, to)));
      return { output, provenance: withParams(provenance, { from, to, ...(names.length ? { protectedNames: names.length } : {}) }) };
    },
    async close() {
      /* no persistent process */
    },
  };
}

function descriptor(variant: 'apertium' | 'apertium-plain', rank: number): BackendDescriptor<'translator'> {
  return {
    task: 'translator',
    backend: variant,
    modelId: variant === 'apertium' ? 'apertium-fr-es+eng-spa' : 'apertium-fr-es+eng-spa (plain)',
    tier: 'offline',
    rank,
    async probe() {
      if (!(await which('apertium'))) return { available: false, reason: 'apertium is not on PATH', fix: FIX };
      const pairs = await availablePairs();
      if (pairs.length === 0) return { available: false, reason: 'Apertium fr-es / eng-spa language pairs not installed', fix: FIX };
      return { available: true };
    },
    create: (cfg) => createApertiumTranslator(cfg, variant),
  };
}

export const apertiumTranslator = descriptor('apertium', 10);
export const apertiumPlainTranslator = descriptor('apertium-plain', 5);
