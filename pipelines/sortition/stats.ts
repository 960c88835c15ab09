/**
 * Summary statistics of selection probabilities, chart-ready histograms and anonymised output for publishing.
 */

/** Gini coefficient of a non-negative vector (0 = everyone equal). */
export function gini(values: ArrayLike<number>): number {
  const x = Array.from(values).sort((a, b) => a - b);
  const n = x.length;
  const total = x.reduce((s, v) => s + v, 0);
  if (n === 0 || total <= 0) return 0;
  let acc = 0;
  for (let i = 0; i < n; i++) acc += (2 * (i + 1) - n - 1) * x[i];
  return acc / (n * total);
}

/** Geometric mean (0 when any value is 0). */
export function geometricMean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  let logSum = 0;
  for (let i = 0; i < n; i++) {
    if (!(values[i] > 0)) return 0;
    logSum += Math.log(values[i]);
  }
  return Math.exp(logSum / n);
}

export interface ProbabilitySummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  gini: number;
  geometricMean: number;
  sum: number;
}

export function summarise(values: ArrayLike<number>): ProbabilitySummary {
  const x = Array.from(values).sort((a, b) => a - b);
  const n = x.length;
  const sum = x.reduce((s, v) => s + v, 0);
  return {
    count: n,
    min: n ? x[0] : 0,
    max: n ? x[n - 1] : 0,
    mean: n ? sum / n : 0,
    median: n ? (n % 2 ? x[(n - 1) / 2] : (x[n / 2 - 1] + x[n / 2]) / 2) : 0,
    gini: gini(x),
    geometricMean: geometricMean(x),
    sum,
  };
}

export interface HistogramBin {
  /** inclusive lower edge */
  from: number;
  /** exclusive upper edge (inclusive for the last bin) */
  to: number;
  count: number;
}

/** Equal-width histogram over [0, max(top, largest value)] (probabilities), ready for a bar chart. */
export function probabilityHistogram(values: ArrayLike<number>, options: { bins?: number; top?: number } = {}): HistogramBin[] {
  const bins = options.bins ?? 20;
  let top = options.top ?? 0;
  for (let i = 0; i < values.length; i++) top = Math.max(top, values[i]);
  if (top <= 0) top = 1;
  const width = top / bins;
  const out: HistogramBin[] = Array.from({ length: bins }, (_, b) => ({ from: round(b * width), to: round((b + 1) * width), count: 0 }));
  for (let i = 0; i < values.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(values[i] / width + 1e-12)));
    out[b].count++;
  }
  return out;
}

function round(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}

/**
 * Probabilities for publishing without identities: the sorted list (rounded), the summary, a histogram, and the
 * mean probability per quota value for values held by at least `minGroup` people (smaller groups are withheld,
 * since a small group's mean can identify someone).
 */
export function anonymiseProbabilities(
  probabilities: Record<string, number>,
  options: { decimals?: number; features?: Record<string, Record<string, string>>; minGroup?: number; bins?: number } = {},
): {
  sorted: number[];
  summary: ProbabilitySummary;
  histogram: HistogramBin[];
  byValue: Array<{ category: string; value: string; people: number; meanProbability: number }>;
} {
  const decimals = options.decimals ?? 4;
  const f = 10 ** decimals;
  const values = Object.values(probabilities);
  const sorted = values.map((v) => Math.round(v * f) / f).sort((a, b) => a - b);
  const byValue: Array<{ category: string; value: string; people: number; meanProbability: number }> = [];
  if (options.features) {
    const acc = new Map<string, { category: string; value: string; people: number; sum: number }>();
    for (const [id, p] of Object.entries(probabilities)) {
      for (const [category, value] of Object.entries(options.features[id] ?? {})) {
        const key = `${category}\u0000${value}`;
        const a = acc.get(key) ?? { category, value, people: 0, sum: 0 };
        a.people++;
        a.sum += p;
        acc.set(key, a);
      }
    }
    const minGroup = options.minGroup ?? 5;
    for (const a of acc.values()) if (a.people >= minGroup) byValue.push({ category: a.category, value: a.value, people: a.people, meanProbability: Math.round((a.sum / a.people) * f) / f });
  }
  return { sorted, summary: summarise(values), histogram: probabilityHistogram(values, { bins: options.bins }), byValue };
}

// --- Jeffreys interval (for Monte-Carlo estimates of small probabilities) ---

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9)
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** continued fraction for the incomplete beta function (modified Lentz) */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-14) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Upper end of the Jeffreys interval: the `level` quantile of Beta(successes + ½, trials − successes + ½). */
export function jeffreysUpper(successes: number, trials: number, level = 0.99): number {
  if (successes >= trials) return 1;
  const a = successes + 0.5;
  const b = trials - successes + 0.5;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (incompleteBeta(mid, a, b) < level) lo = mid;
    else hi = mid;
  }
  return hi;
}
