/**
 * Small helpers for the server-rendered SVG maps (opinion maps, text maps): escaping, compact numbers, and point
 * markers whose shape, not only their colour, tells groups apart.
 */
export const MARKER_SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross', 'star'] as const;
export type Shape = (typeof MARKER_SHAPES)[number];

export const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
export const f = (n: number) => (Math.round(n * 10) / 10).toString();

export function marker(shape: Shape, x: number, y: number, r: number, colour: string, extra = ''): string {
  switch (shape) {
    case 'circle':
      return `<circle cx="${f(x)}" cy="${f(y)}" r="${f(r)}" fill="${colour}"${extra}/>`;
    case 'square':
      return `<rect x="${f(x - r)}" y="${f(y - r)}" width="${f(2 * r)}" height="${f(2 * r)}" fill="${colour}"${extra}/>`;
    case 'triangle':
      return `<polygon points="${f(x)},${f(y - 1.2 * r)} ${f(x + 1.1 * r)},${f(y + 0.8 * r)} ${f(x - 1.1 * r)},${f(y + 0.8 * r)}" fill="${colour}"${extra}/>`;
    case 'diamond':
      return `<polygon points="${f(x)},${f(y - 1.3 * r)} ${f(x + 1.3 * r)},${f(y)} ${f(x)},${f(y + 1.3 * r)} ${f(x - 1.3 * r)},${f(y)}" fill="${colour}"${extra}/>`;
    case 'cross':
      return `<path d="M${f(x - r)},${f(y - r)}L${f(x + r)},${f(y + r)}M${f(x + r)},${f(y - r)}L${f(x - r)},${f(y + r)}" stroke="${colour}" stroke-width="2.2" fill="none"${extra}/>`;
    case 'star': {
      const pts: string[] = [];
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const rr = i % 2 === 0 ? 1.4 * r : 0.6 * r;
        pts.push(`${f(x + rr * Math.cos(a))},${f(y + rr * Math.sin(a))}`);
      }
      return `<polygon points="${pts.join(' ')}" fill="${colour}"${extra}/>`;
    }
  }
}

