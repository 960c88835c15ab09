/**
 * A small XML 1.0 well-formedness checker for tests (no npm XML parser is installed): one root element, matched and
 * properly nested tags, quoted and unique attributes, only the five predefined entities or character references,
 * no bare '&' or '<', no characters XML forbids. Returns the element tree, or throws naming the offset.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_.:]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// eslint-disable-next-line no-control-regex
const BAD_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

function decode(s: string, at: number): string {
  if (BAD_CHAR.test(s)) throw new Error(`forbidden character near offset ${at}`);
  return s.replace(/&([^;]*);|&/g, (m, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare '&' near offset ${at}`);
    if (ref in ENTITIES) return ENTITIES[ref];
    const n = /^#x([0-9a-fA-F]+)$/.exec(ref) ? parseInt(ref.slice(2), 16) : /^#([0-9]+)$/.exec(ref) ? parseInt(ref.slice(1), 10) : NaN;
    if (!Number.isFinite(n)) throw new Error(`unknown entity '${m}' near offset ${at}`);
    return String.fromCodePoint(n);
  });
}

export function parseXml(src: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const skipMisc = () => {
    for (;;) {
      const ws = /^\s*/.exec(src.slice(i))![0].length;
      i += ws;
      if (src.startsWith('<?', i)) i = end('?>');
      else if (src.startsWith('<!--', i)) i = end('-->');
      else return;
    }
  };
  const end = (marker: string) => {
    const j = src.indexOf(marker, i);
    if (j < 0) throw new Error(`unterminated construct at offset ${i}`);
    return j + marker.length;
  };
  skipMisc();
  while (i < src.length) {
    if (!stack.length) {
      if (root) {
        skipMisc();
        if (i < src.length) throw new Error(`content after the root element at offset ${i}`);
        break;
      }
      if (src[i] !== '<') throw new Error(`text before the root element at offset ${i}`);
    }
    if (src.startsWith('<!--', i)) i = end('-->');
    else if (src.startsWith('<![CDATA[', i)) {
      const j = end(']]>');
      stack.at(-1)!.text += src.slice(i + 9, j - 3);
      i = j;
    } else if (src.startsWith('<?', i)) i = end('?>');
    else if (src.startsWith('</', i)) {
      const m = NAME.exec(src.slice(i + 2));
      const top = stack.pop();
      if (!m || !top || m[0] !== top.name) throw new Error(`end tag </${m?.[0]}> does not close <${top?.name}> at offset ${i}`);
      i += 2 + m[0].length;
      i += /^\s*/.exec(src.slice(i))![0].length;
      if (src[i] !== '>') throw new Error(`malformed end tag at offset ${i}`);
      i++;
    } else if (src[i] === '<') {
      const m = NAME.exec(src.slice(i + 1));
      if (!m) throw new Error(`malformed start tag at offset ${i}`);
      const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
      i += 1 + m[0].length;
      for (;;) {
        const ws = /^\s*/.exec(src.slice(i))![0].length;
        i += ws;
        if (src.startsWith('/>', i) || src[i] === '>') break;
        if (!ws) throw new Error(`attributes must be separated by spaces at offset ${i}`);
        const a = /^([A-Za-z_:][-A-Za-z0-9_.:]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(src.slice(i));
        if (!a) throw new Error(`malformed attribute at offset ${i}`);
        if (a[1] in el.attrs) throw new Error(`attribute ${a[1]} repeated at offset ${i}`);
        el.attrs[a[1]] = decode(a[3] ?? a[4], i);
        i += a[0].length;
      }
      if (stack.length) stack.at(-1)!.children.push(el);
      else root = el;
      if (src.startsWith('/>', i)) i += 2;
      else {
        i++;
        stack.push(el);
      }
    } else {
      const j = src.indexOf('<', i);
      const raw = src.slice(i, j < 0 ? src.length : j);
      if (raw.includes(']]>')) throw new Error(`']]>' in text at offset ${i}`);
      stack.at(-1)!.text += decode(raw, i);
      i += raw.length;
    }
  }
  if (stack.length) throw new Error(`<${stack.at(-1)!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

export const child = (el: XmlElement, name: string) => el.children.find((c) => c.name === name);
export const childrenNamed = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);
