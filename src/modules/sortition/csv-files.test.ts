import { beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';

/** Spreadsheet-saved files: empty trailing columns, a byte-order mark, `;` separators and CRLF are accepted. */
const PEOPLE = '\uFEFFid;name;gender;age;;;\r\n' + Array.from({ length: 12 }, (_, i) => `p${i};Name${i};${['f', 'm'][i % 2]};${['young', 'old'][Math.floor(i / 2) % 2]};;;`).join('\r\n') + '\r\n';
const QUOTAS = 'category,name,min,max,,,,,\r\ngender,f,2,2,,,,,\r\ngender,m,2,2,,,,,\r\nage,young,1,3,,,,,\r\nage,old,1,3,,,,,\r\n';

let s: TestService;
beforeAll(async () => {
  s = await testService();
});

function form(fields: Record<string, string>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'people' || k === 'quotas') fd.append(k, new Blob([v], { type: 'text/csv' }), `${k}.csv`);
    else fd.append(k, v);
  }
  return fd;
}

describe('sortition CSV files saved by a spreadsheet', () => {
  it('imports them and says what was ignored (API)', async () => {
    const res = await s.app.request(`/api/assemblies/${s.assemblyId}/sortition/imports`, { method: 'POST', body: form({ people: PEOPLE, quotas: QUOTAS, panelSize: '4' }), headers: { authorization: `Bearer ${s.tokens.facilitator}` } });
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.people).toBe(12);
    expect(body.categories).toEqual(['gender', 'age']);
    expect(body.ignored.map((n: any) => n.message)).toEqual([
      'The quotas CSV: ignored 5 empty columns at the end (columns 5–9).',
      // (the byte-order mark is already dropped when the upload is decoded as UTF-8)
      'The people CSV: ignored 3 empty columns at the end (columns 5–7); read with semicolons as separators.',
    ]);
    // replacing the quotas from such a file
    const q = await s.app.request(`/api/assemblies/${s.assemblyId}/sortition/pools/${body.id}/imports/quotas`, { method: 'PUT', body: QUOTAS, headers: { authorization: `Bearer ${s.tokens.facilitator}`, 'content-type': 'text/csv' } });
    expect(q.status).toBe(200);
    expect(((await q.json()) as any).ignored[0].emptyColumns).toEqual([5, 6, 7, 8, 9]);
  });

  it('the mapping page lists what was ignored, in French', async () => {
    const res = await s.app.request(`/facilitate/${s.assemblyId}/sortition/imports/preview?lang=fr`, { method: 'POST', body: form({ people: PEOPLE, quotas: QUOTAS }), headers: { accept: 'text/html', authorization: `Bearer ${s.tokens.facilitator}` } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Lu depuis un fichier de tableur');
    expect(html).toContain('Fichier des quotas : 5 colonne(s) vide(s) en fin de ligne ignorée(s) (5–9).');
    expect(html).toContain('Fichier des personnes : lu avec « ; » comme séparateur.');
    // no empty column offered for mapping
    expect(html).not.toContain('name="role:"');
  });
});
