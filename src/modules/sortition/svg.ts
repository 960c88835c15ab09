import { esc } from '../../web/svg.js';
/**
 * Server-side SVG of sorted selection-probability curves (LEXIMIN vs LEGACY). Pure: numbers in, markup out.
 * Accessible: role="img" with <title> and <desc> giving the minimum, median and maximum of each curve; the two
 * curves differ by colour (≥ 3:1 on white), line style (solid / dashed) and a text legend.
 */
export interface Curve {
  label: string;
  /** probabilities, any order */
  values: number[];
}

const COLOURS = ['#0B5FA5', '#B34700'];
const DASH = ['', ' stroke-dasharray="6 4"'];
const f = (n: number) => (Math.round(n * 10) / 10).toString();
const pct = (p: number) => `${(Math.round(p * 1000) / 10).toString()} %`;

function stats(v: number[]) {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return { min: n ? s[0] : 0, max: n ? s[n - 1] : 0, median: n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : 0 };
}

export function probabilityChartSvg(curves: Curve[], opts: { title: string; xLabel: string; yLabel: string; id?: string }): string {
  const W = 640;
  const H = 300;
  const L = 56;
  const R = 12;
  const T = 16;
  const B = 44;
  const usable = curves.filter((c) => c.values.length > 0);
  const top = Math.max(0.01, ...usable.flatMap((c) => c.values));
  const yMax = Math.min(1, Math.ceil(top * 10) / 10 || 0.1);
  const x = (i: number, n: number) => L + (n <= 1 ? 0 : (i / (n - 1)) * (W - L - R));
  const y = (p: number) => T + (1 - p / yMax) * (H - T - B);
  const id = opts.id ?? 'prob-chart';
  const desc = usable.map((c) => {
    const s = stats(c.values);
    return `${c.label}: ${c.values.length} people, lowest ${pct(s.min)}, median ${pct(s.median)}, highest ${pct(s.max)}.`;
  });
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="${id}-t ${id}-d" data-chart="probabilities">`);
  parts.push(`<title id="${id}-t">${esc(opts.title)}</title><desc id="${id}-d">${esc(desc.join(' '))}</desc>`);
  for (let k = 0; k <= 4; k++) {
    const p = (yMax * k) / 4;
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${f(y(p))}" y2="${f(y(p))}" stroke="#d0d0d0"/>`);
    parts.push(`<text x="${L - 6}" y="${f(y(p) + 4)}" text-anchor="end" font-size="11" fill="#1a1a1a">${pct(p)}</text>`);
  }
  parts.push(`<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#1a1a1a"/><line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#1a1a1a"/>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle" font-size="12" fill="#1a1a1a">${esc(opts.xLabel)}</text>`);
  parts.push(`<text x="14" y="${(T + H - B) / 2}" text-anchor="middle" font-size="12" fill="#1a1a1a" transform="rotate(-90 14 ${(T + H - B) / 2})">${esc(opts.yLabel)}</text>`);
  usable.forEach((c, ci) => {
    const s = [...c.values].sort((a, b) => a - b);
    const pts = s.map((p, i) => `${f(x(i, s.length))},${f(y(p))}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${COLOURS[ci % 2]}" stroke-width="2.5"${DASH[ci % 2]} points="${pts}" data-curve="${esc(c.label)}"/>`);
    const ly = T + 14 + ci * 18;
    parts.push(`<line x1="${L + 12}" x2="${L + 40}" y1="${ly}" y2="${ly}" stroke="${COLOURS[ci % 2]}" stroke-width="2.5"${DASH[ci % 2]}/>`);
    parts.push(`<text x="${L + 46}" y="${ly + 4}" font-size="12" fill="#1a1a1a">${esc(c.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
