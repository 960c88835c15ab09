import { beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { atom, nameUuid, xmlEscape } from './feed.js';
import { finalRecommendation } from './testing.js';
import { child, childrenNamed, parseXml, type XmlElement } from './xml-check.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const URN_UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRICKY = `Tram & bus <fast> "now" it's 5 > 3 ]]> done`;

describe('the XML checker', () => {
  it('accepts well-formed XML and refuses what is not', () => {
    expect(parseXml('<?xml version="1.0"?><a x="1"><b>t &amp; &#233;</b><c/></a>').children.map((c) => c.name)).toEqual(['b', 'c']);
    for (const bad of ['<a><b></a></b>', '<a>x & y</a>', '<a x="1" x="2"/>', '<a x=1/>', '<a>', '<a/><b/>', '<a>&nbsp;</a>', '<a>\u0001</a>', '<a x="<"/>', 'text<a/>', '<a>]]></a>'])
      expect(() => parseXml(bad), bad).toThrow();
  });
});

describe('Atom feed of impact updates', () => {
  let s: TestService;
  let rec: string;
  beforeAll(async () => {
    s = await testService({ clock: () => new Date('2026-12-07T12:00:00Z') });
    rec = finalRecommendation(s, `Buses & trams <every> ten "minutes"`);
    const base = `/api/assemblies/${s.assemblyId}/impact/${rec}`;
    expect((await s.call('facilitator', 'PUT', `${base}/response`, { text: 'We accept.', date: '2026-10-01', url: 'https://example.org/a?x=1&y=2' })).status).toBe(200);
    expect((await s.call('facilitator', 'POST', `${base}/entries`, { date: '2026-11-02', text: TRICKY, sources: ['https://example.org/m?a=1&b=2 Minutes & notes'], status: 'in_progress', progress: 40 })).status).toBe(201);
  });

  const feedOf = async (q = '') => {
    const res = await s.call('public', 'GET', `/p/test-assembly/impact/feed.atom${q}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    return parseXml(await res.text());
  };

  it('parses as XML and has the elements RFC 4287 requires, with the text escaped and read back intact', async () => {
    const feed = await feedOf();
    expect(feed.name).toBe('feed');
    expect(feed.attrs.xmlns).toBe('http://www.w3.org/2005/Atom');
    expect(child(feed, 'id')!.text).toMatch(URN_UUID);
    expect(child(feed, 'title')!.text).toBe('What became of the recommendations — Test assembly');
    expect(child(feed, 'updated')!.text).toMatch(RFC3339);
    expect(child(child(feed, 'author')!, 'name')!.text).toBe('Test assembly');
    expect(childrenNamed(feed, 'link').find((l) => l.attrs.rel === 'self')!.attrs.href).toMatch(/\/p\/test-assembly\/impact\/feed\.atom$/);
    const entries = childrenNamed(feed, 'entry');
    expect(entries).toHaveLength(2);
    const ids = new Set<string>();
    for (const e of entries as XmlElement[]) {
      const id = child(e, 'id')!.text;
      expect(id).toMatch(URN_UUID);
      ids.add(id);
      expect(child(e, 'title')!.text.length).toBeGreaterThan(0);
      expect(child(e, 'updated')!.text).toMatch(RFC3339);
      expect(childrenNamed(e, 'link').find((l) => l.attrs.rel === 'alternate')!.attrs.href).toMatch(new RegExp(`/p/test-assembly/impact#rec-${rec}$`));
      expect(child(e, 'content')!.attrs.type).toBe('text');
    }
    expect(ids.size).toBe(2);
    // newest first; the update carries the tricky text, its status and its source, all read back as written
    const [update, response] = entries;
    expect(child(update, 'title')!.text).toBe(`Buses & trams <every> ten "minutes": in progress, 40 %`);
    expect(child(update, 'content')!.text).toContain(TRICKY);
    expect(childrenNamed(update, 'link').find((l) => l.attrs.rel === 'related')!.attrs).toMatchObject({ href: 'https://example.org/m?a=1&b=2', title: 'Minutes & notes' });
    expect(child(response, 'title')!.text).toMatch(/responded$/);
    // the feed's newest entry dates the feed
    expect(child(feed, 'updated')!.text).toBe(child(update, 'updated')!.text);
  });

  it('keeps the same ids from one fetch to the next, and speaks French when asked', async () => {
    const a = await feedOf();
    const b = await feedOf('?lang=fr');
    expect(child(b, 'id')!.text).toBe(child(a, 'id')!.text);
    expect(childrenNamed(b, 'entry').map((e) => child(e, 'id')!.text)).toEqual(childrenNamed(a, 'entry').map((e) => child(e, 'id')!.text));
    expect(b.attrs['xml:lang']).toBe('fr');
    expect(child(childrenNamed(b, 'entry')[0], 'title')!.text).toBe(`Buses & trams <every> ten "minutes" : en cours, 40 %`);
  });

  it('escapes and drops what XML cannot hold; name-based ids are stable UUIDs', () => {
    expect(xmlEscape(`a\u0001b<&>"'`)).toBe('ab&lt;&amp;&gt;&quot;&apos;');
    expect(nameUuid('x')).toBe(nameUuid('x'));
    expect(nameUuid('x')).not.toBe(nameUuid('y'));
    const doc = parseXml(atom({ id: nameUuid('f'), title: 'T\u0002', updated: '2026-01-01T00:00:00Z', author: 'A & B', self: 'https://h/f', alternate: 'https://h/', lang: 'en', entries: [] }));
    expect(child(doc, 'title')!.text).toBe('T');
    expect(child(child(doc, 'author')!, 'name')!.text).toBe('A & B');
  });
});
