import { esc, f, marker, MARKER_SHAPES } from '../../web/svg.js';
import { convexHull, type OpinionMapPayload } from './domain.js';

/**
 * Server-side SVG of a published opinion map. Pure: payload in, markup out.
 * Accessible: role="img" with <title> and <desc> (a text summary of the groups), every group told apart by
 * colour AND marker shape AND a text label; colours have at least 3:1 contrast on white (WCAG 1.4.11).
 */

/** group colours (contrast on white checked in the tests) */
export const GROUP_COLOURS = ['#0B5FA5', '#B34700', '#1B7A3D', '#8B3A8F', '#4D4D4D', '#A3123A'];
export const GROUP_SHAPES = MARKER_SHAPES;

export interface MapStrings {
  title: string;
  /** e.g. "{n} participants in {k} groups." */
  summary: (n: number, k: number) => string;
  group: (label: string, size: number) => string;
  you: string;
  statement: string;
}


export function renderMapSvg(map: OpinionMapPayload, opts: { strings: MapStrings; highlight?: number | null; idPrefix?: string; width?: number; height?: number }): string {
  const W = opts.width ?? 640;
  const H = opts.height ?? 480;
  const pad = 36;
  const id = opts.idPrefix ?? 'opinion-map';
  const s = opts.strings;
  // legend: three columns when every name fits one (≈ 26 characters at 12 px), else one row per group; a name too
  // long for its row is abbreviated with "…" and given in full in a <title> (shown on hover) and in the <desc>
  const legendCols = map.groups.every((g) => s.group(g.label, g.size).length <= 26) ? 3 : 1;
  const legendChars = legendCols === 3 ? 28 : Math.floor((W - pad - 24) / 6.6);
  const legendH = 28 + 20 * Math.ceil(map.groups.length / legendCols);
  // statements shown on the map: representative ones and consensus (others would clutter it)
  const shown = new Map<number, { tid: number; x: number; y: number }>();
  const byId = new Map(map.statements.map((st) => [st.statementId, st]));
  for (const g of map.groups) for (const r of g.representative) if (byId.has(r.statementId)) shown.set(r.statementId, byId.get(r.statementId)!);
  for (const c of [...map.consensus.agree, ...map.consensus.disagree]) if (byId.has(c.statementId)) shown.set(c.statementId, byId.get(c.statementId)!);
  const xs = [...map.participants.map((p) => p.x), ...[...shown.values()].map((p) => p.x), 0];
  const ys = [...map.participants.map((p) => p.y), ...[...shown.values()].map((p) => p.y), 0];
  const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
  const span = Math.max(maxX - minX, maxY - minY, 1e-6);
  const scale = Math.min((W - 2 * pad) / Math.max(maxX - minX, span * 0.2), (H - legendH - 2 * pad) / Math.max(maxY - minY, span * 0.2));
  const cx = (W - (maxX - minX) * scale) / 2 - minX * scale;
  const cy = (H - legendH - (maxY - minY) * scale) / 2 - minY * scale;
  const X = (x: number) => cx + x * scale;
  const Y = (y: number) => cy + y * scale;

  const desc = [s.summary(map.participantCount, map.k), ...map.groups.map((g) => s.group(g.label, g.size))].join(' ');
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${id}-title ${id}-desc" class="opinion-map">`);
  out.push(`<title id="${id}-title">${esc(s.title)}</title>`);
  out.push(`<desc id="${id}-desc">${esc(desc)}</desc>`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<line x1="${f(X(0))}" y1="${pad / 2}" x2="${f(X(0))}" y2="${H - legendH - pad / 2}" stroke="#d0d0d0" stroke-width="1"/>`);
  out.push(`<line x1="${pad / 2}" y1="${f(Y(0))}" x2="${W - pad / 2}" y2="${f(Y(0))}" stroke="#d0d0d0" stroke-width="1"/>`);
  // hulls
  map.groups.forEach((g, gi) => {
    const colour = GROUP_COLOURS[gi % GROUP_COLOURS.length];
    const pts = map.participants.filter((p) => p.group === g.id).map((p) => [X(p.x), Y(p.y)] as [number, number]);
    const hull = convexHull(pts);
    if (hull.length >= 3) {
      out.push(`<polygon class="hull" data-group="${g.id}" points="${hull.map(([x, y]) => `${f(x)},${f(y)}`).join(' ')}" fill="${colour}" fill-opacity="0.1" stroke="${colour}" stroke-width="2" stroke-dasharray="${gi === 0 ? 'none' : `${4 + 2 * gi},3`}" stroke-linejoin="round"/>`);
    }
  });
  // participants
  const groupIndex = new Map(map.groups.map((g, i) => [g.id, i]));
  out.push('<g class="participants" aria-hidden="true">');
  for (const p of map.participants) {
    const gi = groupIndex.get(p.group);
    if (gi === undefined) out.push(`<circle cx="${f(X(p.x))}" cy="${f(Y(p.y))}" r="2.5" fill="none" stroke="#6b6b6b" stroke-width="1"/>`);
    else out.push(marker(GROUP_SHAPES[gi % GROUP_SHAPES.length], X(p.x), Y(p.y), 3.2, GROUP_COLOURS[gi % GROUP_COLOURS.length], ' fill-opacity="0.85"'));
  }
  out.push('</g>');
  // statements
  out.push('<g class="statements">');
  for (const [sid, st] of shown) {
    out.push(`<g data-statement="${sid}"><title>${esc(`${s.statement} ${st.tid}`)}</title><rect x="${f(X(st.x) - 3)}" y="${f(Y(st.y) - 3)}" width="6" height="6" fill="#222222" transform="rotate(45 ${f(X(st.x))} ${f(Y(st.y))})"/><text x="${f(X(st.x) + 6)}" y="${f(Y(st.y) - 5)}" font-size="10" fill="#222222">#${st.tid}</text></g>`);
  }
  out.push('</g>');
  // group labels
  map.groups.forEach((g, gi) => {
    const colour = GROUP_COLOURS[gi % GROUP_COLOURS.length];
    const full = `${g.label} (${g.size})`;
    // a label on the map stays short so that labels of neighbouring groups do not overlap
    const text = abbreviate(g.label, 22) === g.label ? full : `${abbreviate(g.label, 22)} (${g.size})`;
    const w = 7 * text.length + 10;
    // kept inside the picture, whatever the group's position
    const x = Math.min(W - w / 2 - 2, Math.max(w / 2 + 2, X(g.center[0]))), y = Y(g.center[1]);
    out.push(`<g class="group-label" data-group="${g.id}"><title>${esc(full)}</title><rect x="${f(x - w / 2)}" y="${f(y - 11)}" width="${f(w)}" height="18" rx="4" fill="#ffffff" fill-opacity="0.9" stroke="${colour}"/><text x="${f(x)}" y="${f(y + 2)}" text-anchor="middle" font-size="12" font-weight="bold" fill="${colour}">${esc(text)}</text></g>`);
  });
  // the viewer's own point
  const me = opts.highlight != null ? map.participants.find((p) => p.participantId === opts.highlight) : undefined;
  if (me) {
    const x = X(me.x), y = Y(me.y);
    out.push(`<g class="you" data-you="true"><circle cx="${f(x)}" cy="${f(y)}" r="9" fill="none" stroke="#000000" stroke-width="2.5"/><circle cx="${f(x)}" cy="${f(y)}" r="3" fill="#000000"/><text x="${f(x + 12)}" y="${f(y + 4)}" font-size="13" font-weight="bold" fill="#000000">${esc(s.you)}</text></g>`);
  }
  // legend
  const ly = H - legendH + 10;
  out.push(`<g class="legend" transform="translate(${pad / 2},${ly})">`);
  map.groups.forEach((g, gi) => {
    const col = gi % legendCols, row = Math.floor(gi / legendCols);
    const x = col * 200, y = row * 20;
    const full = s.group(g.label, g.size);
    out.push(`<g data-legend-group="${g.id}"><title>${esc(full)}</title>`);
    out.push(marker(GROUP_SHAPES[gi % GROUP_SHAPES.length], x + 6, y + 6, 5, GROUP_COLOURS[gi % GROUP_COLOURS.length]));
    out.push(`<text x="${x + 18}" y="${y + 10}" font-size="12" fill="#222222">${esc(abbreviate(full, legendChars))}</text></g>`);
  });
  out.push('</g>');
  out.push('</svg>');
  return out.join('');
}

/** `text` cut at a word boundary to at most `max` characters, with "…" when cut. */
export function abbreviate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(1, max - 1));
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 3 ? cut.slice(0, space) : cut).replace(/[\s,;:·–—-]+$/, '')}…`;
}

/**
 * The map's legend as HTML, for narrow screens (app.css shows it below 40rem and hides the SVG's own legend, whose
 * text would shrink with the picture): each group's marker and colour, and its full name, wrapping as long as it is.
 */
export function renderLegendHtml(map: OpinionMapPayload, strings: Pick<MapStrings, 'group'>): string {
  const items = map.groups.map((g, gi) => {
    const colour = GROUP_COLOURS[gi % GROUP_COLOURS.length];
    const icon = `<svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true" focusable="false">${marker(GROUP_SHAPES[gi % GROUP_SHAPES.length], 6, 6, 5, colour)}</svg>`;
    return `<li data-legend-group="${g.id}">${icon} ${esc(strings.group(g.label, g.size))}</li>`;
  });
  return `<ul class="map-legend">${items.join('')}</ul>`;
}
