/**
 * What a reader of a server-rendered page reads: its text and its accessible names (aria-label, title, alt,
 * placeholder), without scripts, styles, or any element marked as being in another language (lang="…"), which
 * a page may legitimately show (a language switch link, a contribution quoted in English, an English error detail),
 * and without <pre>/<code> (machine data: JSON provenance, identifiers).
 * A small tokenizer over the HTML that hono/jsx writes (well-formed; void and self-closed elements handled).
 */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'param']);
const NAMED_ATTRS = ['aria-label', 'title', 'alt', 'placeholder'];

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(attrs);
  return m ? decode(m[2] ?? m[3] ?? '') : undefined;
}

/** The readable text of `html` in its own language: text nodes and accessible-name attributes, one chunk a line. */
export function readableText(html: string, pageLang: string): string {
  const out: string[] = [];
  // stack of open elements: whether each is in another language or a script/style
  const stack: Array<{ tag: string; skip: boolean }> = [];
  const skipping = () => stack.length > 0 && stack[stack.length - 1].skip;
  const re = /<!--[\s\S]*?-->|<!doctype[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|([^<]+)/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (m[4] !== undefined) {
      if (!skipping()) out.push(decode(m[4]));
      continue;
    }
    if (!m[2]) continue;
    const tag = m[2].toLowerCase();
    if (m[1]) {
      // close the nearest open element of this tag
      for (let i = stack.length - 1; i >= 0; i--) {
        if (stack[i].tag === tag) {
          stack.length = i;
          break;
        }
      }
      continue;
    }
    const attrs = m[3] ?? '';
    const lang = attr(attrs, 'lang');
    const other = lang !== undefined && lang !== '' && !lang.toLowerCase().startsWith(pageLang);
    // <pre> and <code> hold machine data (JSON provenance, ids, identifiers), not sentences of the page
    const skip = skipping() || other || tag === 'script' || tag === 'style' || tag === 'pre' || tag === 'code';
    if (!skip) for (const a of NAMED_ATTRS) {
      const v = attr(attrs, a);
      if (v) out.push(v);
    }
    if (!skip && tag === 'input' && /type\s*=\s*"(submit|button)"/i.test(attrs)) out.push(attr(attrs, 'value') ?? '');
    if (VOID.has(tag) || /\/\s*$/.test(attrs)) continue;
    stack.push({ tag, skip });
  }
  return out.map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n');
}

/** A catalogue string as a pattern over text: its `{vars}` match anything short; letters around it must not continue a word. */
export function cataloguePattern(value: string): RegExp | null {
  const parts = value.split(/\{[a-zA-Z]+\}/);
  const literal = parts.join('');
  if ((literal.match(/\p{L}/gu) ?? []).length < 3) return null;
  const body = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')).join('.{0,80}?');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'u');
}

/**
 * English strings a French page must not show: catalogue values whose English differs from their French (found in
 * the French text), and a few words that pages used to write without the catalogue.
 */
export function englishIn(text: string, en: Record<string, string>, fr: Record<string, string>, extra: string[] = []): string[] {
  const found: string[] = [];
  for (const [k, v] of Object.entries(en)) {
    if (fr[k] === undefined || fr[k] === v) continue;
    const re = cataloguePattern(v);
    // the English value may be part of the French one ("Participants" in "Participants tirés au sort")
    if (re && re.test(text) && !Object.values(fr).some((f) => f.includes(v))) found.push(`${k}: “${v}”`);
  }
  for (const w of extra) if (new RegExp(`(?<![\\p{L}\\p{N}])${w}(?![\\p{L}\\p{N}])`, 'u').test(text)) found.push(`“${w}”`);
  return found;
}
