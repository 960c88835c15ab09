import { createHash } from 'node:crypto';

/**
 * An Atom 1.0 feed (RFC 4287), built as text: a feed has an id, a title, an updated time and an author; each entry an
 * id (urn:uuid: URI), a title, an updated time, an alternate link and its content. Text is escaped for XML and
 * characters XML 1.0 forbids are dropped.
 */
export interface AtomEntry {
  /** a UUID */
  uuid: string;
  title: string;
  /** RFC 3339 date-time */
  updated: string;
  published?: string;
  link: string;
  content: string;
  categories?: string[];
  related?: { href: string; title: string }[];
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string;
  updated: string;
  author: string;
  self: string;
  alternate: string;
  lang: string;
  entries: AtomEntry[];
}

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes text for XML content and attribute values. */
export function xmlEscape(s: string): string {
  return s.replace(FORBIDDEN, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A stable name-based UUID (version 5 layout, SHA-1 of the name as RFC 9562 does with its namespace) as a urn:uuid URI. */
export function nameUuid(name: string): string {
  const h = createHash('sha1').update(`plenary:${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export function atom(f: AtomFeed): string {
  const e = xmlEscape;
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${e(f.lang)}">`,
    `  <id>${e(f.id)}</id>`,
    `  <title type="text">${e(f.title)}</title>`,
    ...(f.subtitle ? [`  <subtitle type="text">${e(f.subtitle)}</subtitle>`] : []),
    `  <updated>${e(f.updated)}</updated>`,
    `  <author><name>${e(f.author)}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${e(f.self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${e(f.alternate)}"/>`,
    '  <generator>Plenary</generator>',
  ];
  for (const x of f.entries) {
    out.push(
      '  <entry>',
      `    <id>urn:uuid:${e(x.uuid)}</id>`,
      `    <title type="text">${e(x.title)}</title>`,
      `    <updated>${e(x.updated)}</updated>`,
      ...(x.published ? [`    <published>${e(x.published)}</published>`] : []),
      `    <link rel="alternate" type="text/html" href="${e(x.link)}"/>`,
      ...(x.related ?? []).map((r) => `    <link rel="related" href="${e(r.href)}" title="${e(r.title)}"/>`),
      ...(x.categories ?? []).map((c) => `    <category term="${e(c)}"/>`),
      `    <content type="text">${e(x.content)}</content>`,
      '  </entry>',
    );
  }
  out.push('</feed>', '');
  return out.join('\n');
}
