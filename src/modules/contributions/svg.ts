import { esc, f, marker, MARKER_SHAPES, type Shape } from '../../web/svg.js';
import type { TextMapPayload } from './domain.js';

/**
 * Server-side SVG scatter of a text map. Pure: payload in, markup out.
 * Accessible: role="img" with <title> and <desc> (a text summary of the clusters); each cluster is told apart by
 * colour AND marker shape AND a numbered label at its centre, repeated in the legend. Colours have at least 3:1
 * contrast on white (WCAG 1.4.11, checked in the tests).
 */
export const CLUSTER_COLOURS = ['#0B5FA5', '#B34700', '#1B7A3D', '#8B3A8F', '#4D4D4D', '#A3123A', '#006B6B', '#7A5C00'];
export const CLUSTER_SHAPES = MARKER_SHAPES;
export type { Shape };

export const styleOf = (i: number) => ({ colour: CLUSTER_COLOURS[i % CLUSTER_COLOURS.length], shape: CLUSTER_SHAPES[i % CLUSTER_SHAPES.length] });

export interface TextMapStrings {
  title: string;
  /** e.g. "{n} contributions in {k} clusters." */
  summary: (n: number, k: number) => string;
  cluster: (num: number, label: string, size: number) => string;
}

/** Top-level clusters in map order: the number shown for cluster i is i + 1. */
export const topClusters = (m: TextMapPayload) => m.clusters.filter((c) => c.level === 1);

export function renderTextMapSvg(m: TextMapPayload, opts: { strings: TextMapStrings; selected?: string | null; idPrefix?: string; width?: number }): string {
  const W = opts.width ?? 640;
  const tops = topClusters(m);
  const legendRows = Math.ceil(tops.length / 2);
  const plotH = 400;
  const H = plotH + 16 + 22 * legendRows;
  const pad = 24;
  const id = opts.idPrefix ?? 'text-map';
  const xs = m.points.map((p) => p.x);
  const ys = m.points.map((p) => p.y);
  const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
  const sx = (W - 2 * pad) / Math.max(maxX - minX, 1e-6);
  const sy = (plotH - 2 * pad) / Math.max(maxY - minY, 1e-6);
  const X = (x: number) => pad + (x - minX) * sx;
  const Y = (y: number) => pad + (y - minY) * sy;
  const index = new Map(tops.map((c, i) => [c.id, i]));
  const s = opts.strings;
  const desc = [s.summary(m.points.length, tops.length), ...tops.map((c, i) => s.cluster(i + 1, c.label, c.size))].join(' ');
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc" class="text-map">`);
  out.push(`<title id="${id}-title">${esc(s.title)}</title>`);
  out.push(`<desc id="${id}-desc">${esc(desc)}</desc>`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<rect x="1" y="1" width="${W - 2}" height="${plotH - 2}" fill="none" stroke="#d0d0d0"/>`);
  // unselected clusters first, so the chosen one is drawn on top
  const order = [...tops.keys()].sort((a, b) => Number(tops[a].id === opts.selected) - Number(tops[b].id === opts.selected));
  for (const ci of order) {
    const c = tops[ci];
    const st = styleOf(ci);
    const dim = opts.selected && opts.selected !== c.id ? ' opacity="0.25"' : '';
    out.push(`<g data-cluster="${esc(c.id)}"${dim}>`);
    for (const p of m.points) if (index.get(p.cluster) === ci) out.push(marker(st.shape, X(p.x), Y(p.y), 3.2, st.colour));
    out.push('</g>');
  }
  // numbered labels at cluster centres (readable without colour)
  tops.forEach((c, i) => {
    const x = X(c.centroid[0]);
    const y = Y(c.centroid[1]);
    out.push(`<g class="cluster-label"><circle cx="${f(x)}" cy="${f(y)}" r="10" fill="#ffffff" stroke="${styleOf(i).colour}" stroke-width="2"/><text x="${f(x)}" y="${f(y + 4)}" text-anchor="middle" font-size="11" font-weight="700" fill="#1a1a1a">${i + 1}</text></g>`);
  });
  // legend
  tops.forEach((c, i) => {
    const col = i % 2;
    const row = Math.floor(i / 2);
    const lx = pad + col * (W / 2);
    const ly = plotH + 16 + row * 22;
    const st = styleOf(i);
    const label = c.label.length > 38 ? `${c.label.slice(0, 37)}…` : c.label;
    out.push(`<g class="legend-item">${marker(st.shape, lx + 5, ly + 1, 5, st.colour)}<text x="${f(lx + 16)}" y="${f(ly + 5)}" font-size="12" fill="#1a1a1a">${i + 1}. ${esc(label)} (${c.size})</text></g>`);
  });
  out.push('</svg>');
  return out.join('');
}

/** WCAG relative-luminance contrast ratio of two #rrggbb colours. */
export function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
