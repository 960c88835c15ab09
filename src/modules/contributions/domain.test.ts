import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import {
  checkText,
  decodeUpload,
  mergeClusters,
  parseCsv,
  renameCluster,
  rowsFromCsv,
  rowsFromJsonl,
  rowsFromPolisComments,
  splitCluster,
  splitLongText,
  TextMapPayload,
  type MapCluster,
} from './domain.js';
import { CLUSTER_COLOURS, contrast, renderTextMapSvg } from './svg.js';

const err = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
};

describe('contribution text rules', () => {
  it('accepts and normalises ordinary text, rejecting empty, too long and broken encodings with clear errors', () => {
    expect(checkText('  Plus de   bus\tle soir. ').text).toBe('Plus de bus le soir.');
    expect(err(() => checkText('   ')).detail).toMatch(/is empty/);
    expect(err(() => checkText('?!…')).detail).toMatch(/is empty/);
    expect(err(() => checkText('a'.repeat(5001))).detail).toMatch(/5001 characters long; the limit is 5000/);
    expect(checkText('a'.repeat(5000)).text).toHaveLength(5000);
    expect(err(() => checkText('caf\uFFFD au lait')).detail).toMatch(/U\+FFFD/);
    expect(err(() => checkText('le cafÃ© est froid')).detail).toMatch(/Latin-1/);
    expect(err(() => checkText(undefined)).code).toBe('VALIDATION');
  });

  it('splits long transcript turns at sentence boundaries under the limit', () => {
    const long = Array.from({ length: 300 }, (_, i) => `Sentence number ${i} is here.`).join(' ');
    const parts = splitLongText(long, 1000);
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(1000);
    expect(parts.join(' ')).toBe(long);
  });
});

describe('uploads', () => {
  it('names every line with invalid UTF-8', () => {
    const ok = new TextEncoder().encode('text\nbonjour\n');
    const bad = new Uint8Array([...new TextEncoder().encode('text\nfine\ncaf'), 0xe9, ...new TextEncoder().encode('\nok\n'), 0xff, 0x0a]);
    expect(decodeUpload(ok)).toBe('text\nbonjour\n');
    const e = err(() => decodeUpload(bad, 'c.csv'));
    expect(e.detail).toMatch(/c\.csv is not valid UTF-8 .* on lines 3, 5/);
  });

  it('parses RFC 4180 CSV with quotes, commas and line breaks in fields, keeping line numbers', () => {
    const r = parseCsv('id,text\r\n1,"a, b"\r\n2,"say ""hi""\nthere"\r\n\r\n3,plain\r\n');
    expect(r.map((x) => x.fields)).toEqual([['id', 'text'], ['1', 'a, b'], ['2', 'say "hi"\nthere'], ['3', 'plain']]);
    expect(r.map((x) => x.line)).toEqual([1, 2, 3, 6]);
    expect(err(() => parseCsv('a\n"open')).detail).toMatch(/line 2: a quoted field is never closed/);
  });

  it('reads named columns; a missing column is a clear error listing the columns present', () => {
    const csv = 'ref;comment;lang\nA1;Plus de bus;FR\nA2;More trees;en\n';
    const rows = rowsFromCsv(csv, { text: 'comment', id: 'ref', language: 'lang' });
    expect(rows).toEqual([
      { line: 2, text: 'Plus de bus', externalId: 'A1', author: null, language: 'fr' },
      { line: 3, text: 'More trees', externalId: 'A2', author: null, language: 'en' },
    ]);
    const e = err(() => rowsFromCsv(csv, { text: 'body' }));
    expect(e.detail).toMatch(/no column "body" \(text\)\. Its columns are: "ref", "comment", "lang"/);
  });

  it('fails the whole file on any bad row, naming each line', () => {
    const csv = `id,text\n1,good\n2,\n3,${'x'.repeat(5001)}\n1,again\n`;
    const e = err(() => rowsFromCsv(csv, { text: 'text', id: 'id' }));
    expect(e.detail).toMatch(/3 problems, nothing was imported/);
    expect(e.extra.errors).toEqual([
      { path: 'line 3', message: 'text is empty.' },
      { path: 'line 4', message: 'text is 5001 characters long; the limit is 5000.' },
      { path: 'line 5', message: 'id "1" is used on line 2 too' },
    ]);
  });

  it('reads JSONL and reports bad lines', () => {
    expect(rowsFromJsonl('{"t":"hello","id":7}\n\n{"t":"salut","lang":"fr"}\n', { text: 't', id: 'id', language: 'lang' })).toEqual([
      { line: 1, text: 'hello', externalId: '7', author: null, language: null },
      { line: 3, text: 'salut', externalId: null, author: null, language: 'fr' },
    ]);
    expect(err(() => rowsFromJsonl('{"t":"a"}\nnot json\n{"x":1}\n', { text: 't' })).extra.errors).toEqual([
      { path: 'line 2', message: 'not valid JSON' },
      { path: 'line 3', message: 'no string field "t"' },
    ]);
  });

  it('reads a Pol.is comments.csv, skipping comments the moderators rejected', () => {
    const csv = 'timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n1,x,0,5,1,0,1,"Raise it, now"\n2,y,1,6,0,0,-1,spam\n3,z,2,7,0,0,0,Maybe later\n';
    const { rows, skippedModerated } = rowsFromPolisComments(csv);
    expect(skippedModerated).toBe(1);
    expect(rows.map((r) => [r.externalId, r.author, r.text])).toEqual([
      ['0', '5', 'Raise it, now'],
      ['2', '7', 'Maybe later'],
    ]);
    expect(err(() => rowsFromPolisComments('id,text\n1,a\n')).detail).toMatch(/not a Pol\.is comments\.csv: no column "comment-id", "comment-body"/);
  });

  it('reads back formula-like comments as they were written, from a comments.csv this service exported', () => {
    const csv = "comment-id,comment-body\n0,'=1+2\n1,'-less cars\n2,''@not a mention\n3,-1\n";
    expect(rowsFromPolisComments(csv).rows.map((r) => r.text)).toEqual(['=1+2', '-less cars', "'@not a mention", '-1']);
  });
});

function sampleMap(): TextMapPayload {
  const pts = [
    { id: 'a', x: 0, y: 0, cluster: 'c0' },
    { id: 'b', x: 0.1, y: 0, cluster: 'c0' },
    { id: 'c', x: 5, y: 5, cluster: 'c0' },
    { id: 'd', x: 5.1, y: 5, cluster: 'c0' },
    { id: 'e', x: -3, y: 2, cluster: 'c1' },
    { id: 'f', x: -3, y: 2.2, cluster: 'c1' },
  ].map((p) => ({ ...p, subcluster: null, duplicateOf: null, lang: 'en', translated: false, flags: [], sentiment: 0.5, stance: 'support' }));
  const cl = (id: string, members: string[]): MapCluster => ({
    id,
    parentId: null,
    level: 1,
    label: `label ${id}`,
    labels: {},
    keywords: [{ term: `kw${id}`, score: 1 }],
    representativeIds: members.slice(0, 1),
    memberIds: members,
    size: members.length,
    sentiment: { n: members.length, mean: 0.5, positive: members.length, neutral: 0, negative: 0 },
    stance: { n: members.length, counts: { support: members.length } },
    centroid: [0, 0],
  });
  return TextMapPayload.parse({ assemblyId: 'as1', topic: '', mode: 'lexical', version: '1', seed: 1, pivot: 'en', clusters: [cl('c0', ['a', 'b', 'c', 'd']), cl('c1', ['e', 'f'])], points: pts, stats: { k: 2 } });
}

describe('map revisions', () => {
  it('renames', () => {
    const m = renameCluster(sampleMap(), 'c1', '  Trees and parks ');
    expect(m.clusters.find((c) => c.id === 'c1')?.label).toBe('Trees and parks');
    expect(err(() => renameCluster(sampleMap(), 'c9', 'x')).code).toBe('NOT_FOUND');
    expect(err(() => renameCluster(sampleMap(), 'c0', ' ')).code).toBe('VALIDATION');
  });

  it('renames per language: a label in one language keeps the others; without a language it replaces them all', () => {
    const base = sampleMap();
    base.clusters.find((c) => c.id === 'c1')!.labels = { en: 'parks · trees', fr: 'parcs · arbres' };
    const fr = renameCluster(base, 'c1', 'Les parcs et les arbres', 'fr').clusters.find((c) => c.id === 'c1')!;
    expect(fr.labels).toEqual({ en: 'parks · trees', fr: 'Les parcs et les arbres' });
    expect(fr.label).toBe('label c1'); // the members write English: the main label stays the English one
    const en = renameCluster(base, 'c1', 'Parks and trees', 'en').clusters.find((c) => c.id === 'c1')!;
    expect([en.label, en.labels.en, en.labels.fr]).toEqual(['Parks and trees', 'Parks and trees', 'parcs · arbres']);
    const all = renameCluster(base, 'c1', 'Green spaces').clusters.find((c) => c.id === 'c1')!;
    expect([all.label, all.labels]).toEqual(['Green spaces', {}]);
  });

  it('merge is the union of the clusters', () => {
    const { map, merged } = mergeClusters(sampleMap(), ['c0', 'c1']);
    expect(merged).toBe('c2');
    expect(map.clusters.map((c) => c.id)).toEqual(['c2']);
    expect(map.clusters[0].memberIds.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(map.clusters[0].size).toBe(6);
    expect(map.clusters[0].label).toBe('label c0 + label c1');
    expect(map.clusters[0].stance?.counts.support).toBe(6);
    expect(new Set(map.points.map((p) => p.cluster))).toEqual(new Set(['c2']));
    expect(TextMapPayload.safeParse(map).success).toBe(true);
    expect(err(() => mergeClusters(sampleMap(), ['c0'])).code).toBe('VALIDATION');
  });

  it('split re-partitions one cluster in two with the given k-means', () => {
    const calls: number[] = [];
    const { map, parts } = splitCluster(sampleMap(), 'c0', {
      kmeans2: (pts) => {
        calls.push(pts.length);
        return pts.map((p) => (p[0] > 2 ? 1 : 0));
      },
      keywords: () => [[{ term: 'near', score: 1 }], [{ term: 'far', score: 1 }]],
    });
    expect(calls).toEqual([4]);
    expect(parts).toEqual(['c2', 'c3']);
    const byId = Object.fromEntries(map.clusters.map((c) => [c.id, c.memberIds]));
    expect(byId).toEqual({ c1: ['e', 'f'], c2: ['a', 'b'], c3: ['c', 'd'] });
    expect(map.clusters.find((c) => c.id === 'c3')?.label).toBe('far');
    expect(TextMapPayload.safeParse(map).success).toBe(true);
  });

  it('the payload schema rejects an inconsistent map (a facilitator JSON edit cannot break it)', () => {
    const m = sampleMap();
    m.points[0].cluster = 'c7';
    expect(TextMapPayload.safeParse(m).success).toBe(false);
  });
});

describe('map SVG', () => {
  it('has a title, a description naming each cluster, a legend, and shapes besides colours', () => {
    const svg = renderTextMapSvg(sampleMap(), { strings: { title: 'Map <of> ideas', summary: (n, k) => `${n} in ${k}.`, cluster: (i, l, s) => `Cluster ${i}: ${l} (${s}).` } });
    expect(svg).toContain('<title id="text-map-title">Map &#60;of&#62; ideas</title>');
    expect(svg).toContain('6 in 2. Cluster 1: label c0 (4). Cluster 2: label c1 (2).');
    expect(svg).toContain('role="img"');
    expect((svg.match(/<circle cx/g) ?? []).length).toBeGreaterThanOrEqual(4); // cluster 1 points are circles
    expect((svg.match(/<rect x="[\d.-]+" y="[\d.-]+" width="6.4"/g) ?? []).length).toBe(2); // cluster 2 points are squares
    expect(svg).toContain('1. label c0 (4)');
    expect(svg).toContain('2. label c1 (2)');
  });

  it('uses colours with at least 3:1 contrast on white', () => {
    for (const c of CLUSTER_COLOURS) expect(contrast(c, '#ffffff')).toBeGreaterThanOrEqual(3);
  });
});
