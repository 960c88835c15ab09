/**
 * Corpus chrF and BLEU as sacreBLEU defines them (implemented from the papers and sacreBLEU's documented
 * behaviour, not copied):
 *  - chrF (Popović 2015; sacreBLEU 2.x defaults): character n-grams n = 1..6 with whitespace removed,
 *    matches/hyp/ref counts summed over the corpus per n; per n: P = m/h, R = m/r,
 *    F_n = (1+β²)·P·R / (β²·P + R), β = 2; chrF = 100 · mean over n of F_n (orders with no n-grams on
 *    either side do not count).
 *  - BLEU (Papineni et al. 2002): 13a tokenisation (mteval-v13a), clipped n-gram matches n = 1..4 summed
 *    over the corpus, geometric mean of precisions × brevity penalty exp(1 − r/c) when c < r; sacreBLEU's
 *    default 'exp' smoothing for an n with no match (precision 1 / (2^k · total), k counting such n).
 */

function charNgrams(s: string, n: number): Map<string, number> {
  const chars = Array.from(s.replace(/\s+/gu, ''));
  const m = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    const g = chars.slice(i, i + n).join('');
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

export interface ChrfStats {
  /** per n: [hypothesis n-grams, reference n-grams, matches] */
  orders: Array<[number, number, number]>;
}

export function chrfStats(hyps: string[], refs: string[], order = 6): ChrfStats {
  if (hyps.length !== refs.length) throw new Error(`chrF: ${hyps.length} hypotheses for ${refs.length} references`);
  const orders: Array<[number, number, number]> = Array.from({ length: order }, () => [0, 0, 0]);
  for (let i = 0; i < hyps.length; i++) {
    for (let n = 1; n <= order; n++) {
      const h = charNgrams(hyps[i], n);
      const r = charNgrams(refs[i], n);
      const o = orders[n - 1];
      for (const c of h.values()) o[0] += c;
      for (const c of r.values()) o[1] += c;
      for (const [g, c] of h) o[2] += Math.min(c, r.get(g) ?? 0);
    }
  }
  return { orders };
}

export function chrfFromStats(stats: ChrfStats, beta = 2): number {
  const b2 = beta * beta;
  let sum = 0;
  let effective = 0;
  for (const [h, r, m] of stats.orders) {
    if (h === 0 || r === 0) continue;
    effective++;
    const p = m / h;
    const rec = m / r;
    const den = b2 * p + rec;
    sum += den > 0 ? ((1 + b2) * p * rec) / den : 0;
  }
  return effective ? (100 * sum) / effective : 0;
}

/** Corpus chrF (0–100). */
export function corpusChrf(hyps: string[], refs: string[], opts: { order?: number; beta?: number } = {}): number {
  return chrfFromStats(chrfStats(hyps, refs, opts.order ?? 6), opts.beta ?? 2);
}

/** mteval-v13a tokenisation as used by sacreBLEU's default tokenizer. */
export function tokenize13a(line: string): string[] {
  let s = line.replace(/<skipped>/g, '').replace(/-\n/g, '').replace(/\n/g, ' ');
  if (s.includes('&')) s = s.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  s = ` ${s} `;
  s = s.replace(/([{-~[-` -&(-+:-@/])/g, ' $1 ');
  s = s.replace(/([^0-9])([.,])/g, '$1 $2 ');
  s = s.replace(/([.,])([^0-9])/g, ' $1 $2');
  s = s.replace(/([0-9])(-)/g, '$1 $2 ');
  return s.split(/\s+/).filter(Boolean);
}

export interface BleuResult {
  score: number;
  precisions: number[];
  brevityPenalty: number;
  hypLength: number;
  refLength: number;
  counts: number[];
  totals: number[];
}

/** sacreBLEU-style corpus BLEU (0–100), one reference per hypothesis. */
export function corpusBleu(hyps: string[], refs: string[], maxOrder = 4): BleuResult {
  if (hyps.length !== refs.length) throw new Error(`BLEU: ${hyps.length} hypotheses for ${refs.length} references`);
  const counts = new Array<number>(maxOrder).fill(0);
  const totals = new Array<number>(maxOrder).fill(0);
  let c = 0;
  let r = 0;
  for (let i = 0; i < hyps.length; i++) {
    const h = tokenize13a(hyps[i]);
    const ref = tokenize13a(refs[i]);
    c += h.length;
    r += ref.length;
    for (let n = 1; n <= maxOrder; n++) {
      const hg = new Map<string, number>();
      for (let k = 0; k + n <= h.length; k++) {
        const g = h.slice(k, k + n).join(' ');
        hg.set(g, (hg.get(g) ?? 0) + 1);
      }
      const rg = new Map<string, number>();
      for (let k = 0; k + n <= ref.length; k++) {
        const g = ref.slice(k, k + n).join(' ');
        rg.set(g, (rg.get(g) ?? 0) + 1);
      }
      for (const [g, cnt] of hg) counts[n - 1] += Math.min(cnt, rg.get(g) ?? 0);
      totals[n - 1] += Math.max(0, h.length - n + 1);
    }
  }
  const precisions: number[] = [];
  let smooth = 1;
  for (let n = 0; n < maxOrder; n++) {
    if (totals[n] === 0) {
      precisions.push(0);
      continue;
    }
    if (counts[n] === 0) {
      smooth *= 2;
      precisions.push(100 / (smooth * totals[n]));
    } else precisions.push((100 * counts[n]) / totals[n]);
  }
  const bp = c === 0 ? 0 : c < r ? Math.exp(1 - r / c) : 1;
  const score = precisions.some((p) => p === 0) ? 0 : bp * Math.exp(precisions.reduce((a, p) => a + Math.log(p), 0) / maxOrder);
  return { score, precisions, brevityPenalty: bp, hypLength: c, refLength: r, counts, totals };
}
