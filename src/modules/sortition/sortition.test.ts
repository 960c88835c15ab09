import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeRegistry } from '../../../models/testing.js';
import { verifyDraw } from '../../../pipelines/sortition/index.js';
import { buildService } from '../../build.js';
import { testConfig } from '../../config.js';
import { ctxFor } from '../../deps.js';
import { verifyAudit } from '../../platform/audit/audit.js';
import { createApiToken } from '../../platform/auth/sessions.js';
import { testDb } from '../../platform/db/client.js';
import { users as usersTable } from '../../platform/db/schema.js';
import { newId } from '../../platform/ids.js';
import { testService, type TestService } from '../../testing/service.js';
import { createAssembly } from '../assemblies/service.js';

const fixture = (p: string) => readFileSync(new URL(`../../../fixtures/sortition/${p}`, import.meta.url), 'utf8');
const SMALL30 = { people: fixture('small30/people.csv'), quotas: fixture('small30/quotas.csv') };
const FLANIGAN = { people: fixture('flanigan-format/respondents.csv'), quotas: fixture('flanigan-format/categories.csv') };
// strings from small30's personal columns: they must never leave the personal-data table
const NL = SMALL30.people.includes('\r\n') ? '\r\n' : '\n';
const QNL = SMALL30.quotas.includes('\r\n') ? '\r\n' : '\n';
const PERSONAL = ['First1', 'Last1', 'person1@example.org', '07700 900001', '1 High Street', 'AB1 1CD', 'High Street', 'example.org'];

/** A synthetic pool of 12: gender × age, no personal data, plus a name column; k = 4. */
function synthetic() {
  const rows = ['id,name,gender,age'];
  const g = ['f', 'm'];
  const a = ['young', 'old'];
  for (let i = 0; i < 12; i++) rows.push(`p${String(i).padStart(2, '0')},Name${i} Surname${i},${g[i % 2]},${a[Math.floor(i / 2) % 2]}`);
  return { people: rows.join('\n'), quotas: 'category,value,min,max\ngender,f,2,2\ngender,m,2,2\nage,young,1,3\nage,old,1,3\n' };
}

async function upload(s: TestService, path: string, fields: Record<string, string>, role: 'admin' | 'facilitator' = 'facilitator') {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'people' || k === 'quotas' || k === 'addresses') fd.append(k, new Blob([v], { type: 'text/csv' }), `${k}.csv`);
    else fd.append(k, v);
  }
  return s.app.request(path, { method: 'POST', body: fd, headers: { authorization: `Bearer ${s.tokens[role]}` } });
}

const api = (s: TestService) => `/api/assemblies/${s.assemblyId}/sortition`;

async function importPool(s: TestService, data: { people: string; quotas: string }, panelSize: number, extra: Record<string, string> = {}) {
  const res = await upload(s, `${api(s)}/imports`, { ...data, panelSize: String(panelSize), ...extra });
  const body = (await res.json()) as { id: string; people: number; categories: string[]; errors?: { path: string; message: string }[] };
  return { res, body };
}

async function runSelection(s: TestService, poolId: string, algorithm = 'leximin') {
  const res = await s.call('facilitator', 'POST', `${api(s)}/pools/${poolId}/runs`, { algorithm });
  expect(res.status).toBe(202);
  const { runId, jobId } = (await res.json()) as { runId: string; jobId: string };
  const job = await s.deps.jobs.runNext();
  expect(job?.id).toBe(jobId);
  expect(job?.status).toBe('succeeded');
  const run = await (await s.call('facilitator', 'GET', `${api(s)}/runs/${runId}`)).json();
  return run as { id: string; status: string; probabilities: Record<string, number> | null; legacyProbabilities: Record<string, number> | null; distributionSha256: string | null; infeasible: { message: string; relaxations: { category: string; value: string; newMin: number; newMax: number }[] } | null };
}

async function commitAndDraw(s: TestService, runId: string, hash: string, seed: string) {
  expect((await s.call('facilitator', 'POST', `${api(s)}/runs/${runId}/commit`)).status).toBe(200);
  const res = await s.call('facilitator', 'POST', `${api(s)}/runs/${runId}/draw`, { seed, distributionSha256: hash });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; poolId: string; record: { panel: string[]; seedSha256: string; ticket: number; lotterySha256: string }; members: { id: string; status: string }[]; alternates: { id: string }[] };
}

describe('pool import', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await testService();
  });

  it('previews a people CSV: headers and the suggested mapping (text/csv)', async () => {
    const res = await s.app.request(`${api(s)}/imports/preview`, { method: 'POST', body: SMALL30.people, headers: { authorization: `Bearer ${s.tokens.admin}`, 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { headers: string[]; rows: number; mapping: { id: string; address: string[]; personal: string[] } };
    expect(body.rows).toBe(30);
    expect(body.mapping.id).toBe('person_id');
    expect(body.mapping.address).toEqual(['address_line1', 'postcode']);
    expect(body.mapping.personal).toContain('email');
  });

  it('imports with the automatic mapping; the people and export never carry personal data', async () => {
    const { res, body } = await importPool(s, SMALL30, 8, { name: 'Town pool' });
    expect(res.status).toBe(201);
    expect(body.people).toBe(30);
    expect(body.categories.sort()).toEqual(['age', 'gender', 'region']);
    const people = await (await s.call('facilitator', 'GET', `${api(s)}/pools/${body.id}/people`)).text();
    const exported = await (await s.call('facilitator', 'GET', `${api(s)}/pools/${body.id}/export`)).text();
    for (const text of [people, exported]) for (const p of PERSONAL) expect(text).not.toContain(p);
    const exp = JSON.parse(exported) as { people: { id: string; features: Record<string, string>; household: string | null }[] };
    expect(exp.people).toHaveLength(30);
    // c002 and c003 share "2 High Street / AB2 2CD" spelt differently: one household
    const hh = (id: string) => exp.people.find((p) => p.id === id)!.household;
    expect(hh('c002')).toBe(hh('c003'));
    expect(hh('c001')).not.toBe(hh('c002'));
    // personal data is in its own table, features in another
    const feat = s.db.$client.prepare('select * from sortition_people where pool_id = ?').all(body.id);
    const pers = s.db.$client.prepare('select data from sortition_personal where pool_id = ?').all(body.id) as { data: string }[];
    expect(JSON.stringify(feat)).not.toContain('First1');
    expect(pers.map((r) => r.data).join()).toContain('person1@example.org');
    expect(pers.map((r) => r.data).join()).toContain('1 High Street');
  });

  it('honours the organiser’s mapping (generated ids when there is no id column; unmapped columns dropped)', async () => {
    const mapping = { id: null, features: ['gender', 'leaning'], address: [], personal: [] };
    const { res, body } = await importPool(s, FLANIGAN, 2, { mapping: JSON.stringify(mapping) });
    expect(res.status).toBe(201);
    const people = (await (await s.call('facilitator', 'GET', `${api(s)}/pools/${body.id}/people`)).json()) as { id: string; line: number }[];
    expect(people.map((p) => p.id)).toContain('row-2');
    expect(s.db.$client.prepare('select count(*) n from sortition_personal where pool_id = ?').get(body.id)).toEqual({ n: 0 });
  });

  const count = () => (s.db.$client.prepare('select count(*) n from sortition_people').get() as { n: number }).n;

  it.each([
    ['a value outside the quotas, named by line', { people: SMALL30.people.replace('c005,First5,Last5,person5@example.org,07700 900005,5 High Street,AB5 5CD,Female', 'c005,First5,Last5,person5@example.org,07700 900005,5 High Street,AB5 5CD,Other'), quotas: SMALL30.quotas }, 8, 'people line 6', 'VALUE_OUTSIDE_QUOTAS'],
    ['quotas that cannot sum to the panel size, named by category', { people: SMALL30.people, quotas: SMALL30.quotas.replace('gender,Female,4,4', 'gender,Female,6,6') }, 8, 'quotas line 2, category gender', 'QUOTA_SUM'],
    ['a quota category the pool lacks', { people: SMALL30.people, quotas: `${SMALL30.quotas.trimEnd()}${QNL}income,low,0,8,0,8${QNL}income,high,0,8,0,8${QNL}` }, 8, 'category income', 'UNKNOWN_CATEGORY'],
    ['a quota value nobody has', { people: SMALL30.people, quotas: SMALL30.quotas.replace('region,Coast,1,2,0,8', `region,Coast,1,2,0,8${QNL}region,Islands,1,1,0,8`).replace('region,North,3,5', 'region,North,2,5') }, 8, 'category region=Islands', 'UNKNOWN_VALUE'],
    ['duplicate ids, named by line', { people: `${SMALL30.people.trimEnd()}${NL}c001,X,Y,x@example.org,0,9 Road,ZZ1,Male,60+,North${NL}`, quotas: SMALL30.quotas }, 8, 'people line 32', 'DUPLICATE_ID'],
    ['an empty pool', { people: 'person_id,gender,age,region\n', quotas: SMALL30.quotas }, 8, 'people', 'EMPTY_POOL'],
    ['a panel larger than the pool', FLANIGAN, 11, 'panelSize', 'PANEL_TOO_LARGE'],
    ['a malformed row, named by line', { people: SMALL30.people.replace('c010,First10', 'c010,extra,First10'), quotas: SMALL30.quotas }, 8, 'people line 11', 'CSV_PARSE'],
  ])('refuses %s as problem+json, importing nothing', async (_name, data, k, path, code) => {
    const before = count();
    const pools = (await (await s.call('facilitator', 'GET', `${api(s)}/pools`)).json()) as unknown[];
    const { res, body } = await importPool(s, data, k);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((body as unknown as { sortitionCode: string }).sortitionCode).toBe(code);
    expect(body.errors!.map((e) => e.path).some((p) => p.includes(path))).toBe(true);
    expect(count()).toBe(before);
    expect(((await (await s.call('facilitator', 'GET', `${api(s)}/pools`)).json()) as unknown[]).length).toBe(pools.length);
  });

  it('refuses a request that is not an upload, and participants and the public', async () => {
    expect((await s.call('facilitator', 'POST', `${api(s)}/imports`, { people: 'x' })).status).toBe(415);
    expect((await s.call('participant', 'POST', `${api(s)}/imports`, {})).status).toBe(403);
    expect((await s.call('public', 'GET', `${api(s)}/pools`)).status).toBe(401);
  });
});

describe('selection, public draw, verification, alternates', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await testService();
  });

  it('runs LEXIMIN with the real pipeline as a job; LEGACY is computed alongside', async () => {
    const { body: pool } = await importPool(s, FLANIGAN, 2);
    const run = await runSelection(s, pool.id);
    expect(run.status).toBe('done');
    // 4 women and 6 men, one of each on a panel of 2: LEXIMIN gives 1/4 and 1/6
    const women = FLANIGAN.people.split('\n').slice(1).filter(Boolean).map((l, i) => [`row-${i + 2}`, l.startsWith('female')] as const);
    for (const [id, female] of women) expect(run.probabilities![id]).toBeCloseTo(female ? 1 / 4 : 1 / 6, 5);
    expect(Object.keys(run.legacyProbabilities!)).toHaveLength(10);
    expect(Object.values(run.legacyProbabilities!).reduce((a, b) => a + b, 0)).toBeCloseTo(2, 1);
    expect(run.distributionSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('infeasible quotas end as a clear result naming the quotas and the smallest relaxation', async () => {
    // every woman leans left, every man right; two women and at most one left-leaner cannot both hold
    const people = 'id,gender,leaning\n' + ['a,f,left', 'b,f,left', 'c,f,left', 'd,m,right', 'e,m,right', 'f,m,right'].join('\n');
    const quotas = 'category,value,min,max\ngender,f,2,2\ngender,m,0,2\nleaning,left,0,1\nleaning,right,0,2\n';
    const { res, body: pool } = await importPool(s, { people, quotas }, 2);
    expect(res.status).toBe(201);
    const run = await runSelection(s, pool.id);
    expect(run.status).toBe('infeasible');
    expect(run.infeasible!.message).toMatch(/no panel satisfies the quotas/);
    expect(run.infeasible!.relaxations.length).toBeGreaterThan(0);
    expect(run.infeasible!.relaxations.map((r) => `${r.category}=${r.value}`).some((k) => ['gender=f', 'leaning=left'].includes(k))).toBe(true);
    // and no draw is possible
    expect((await s.call('facilitator', 'POST', `${api(s)}/runs/${run.id}/commit`)).status).toBe(412);
  });

  it('draws only after the distribution is fixed, reproducibly, verifiable by anyone; refuses a changed distribution', async () => {
    const { body: pool } = await importPool(s, synthetic(), 4);
    const run = await runSelection(s, pool.id);
    const hash = run.distributionSha256!;
    // not fixed yet
    expect((await s.call('facilitator', 'POST', `${api(s)}/runs/${run.id}/draw`, { seed: '4 8 15 16 23 42', distributionSha256: hash })).status).toBe(412);
    expect((await s.call('facilitator', 'POST', `${api(s)}/runs/${run.id}/commit`)).status).toBe(200);
    // the organiser confirms a hash that is not the fixed one
    expect((await s.call('facilitator', 'POST', `${api(s)}/runs/${run.id}/draw`, { seed: '4 8 15 16 23 42', distributionSha256: 'f'.repeat(64) })).status).toBe(409);
    // the quotas change after the distribution was fixed: that distribution can no longer be drawn
    const quotas = [
      { category: 'gender', value: 'f', min: 2, max: 2 },
      { category: 'gender', value: 'm', min: 2, max: 2 },
      { category: 'age', value: 'young', min: 2, max: 2 },
      { category: 'age', value: 'old', min: 2, max: 2 },
    ];
    expect((await s.call('facilitator', 'PUT', `${api(s)}/pools/${pool.id}/quotas`, { quotas })).status).toBe(200);
    const refused = await s.call('facilitator', 'POST', `${api(s)}/runs/${run.id}/draw`, { seed: '4 8 15 16 23 42', distributionSha256: hash });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/newer|changed/);
    // a direct database edit of the pool after fixing is caught too
    const run2 = await runSelection(s, pool.id);
    expect((await s.call('facilitator', 'POST', `${api(s)}/runs/${run2.id}/commit`)).status).toBe(200);
    s.db.$client.prepare("update sortition_people set features = json_set(features, '$.age', 'young') where pool_id = ? and person_id = 'p02'").run(pool.id);
    expect((await s.call('facilitator', 'POST', `${api(s)}/runs/${run2.id}/draw`, { seed: 'x', distributionSha256: run2.distributionSha256 })).status).toBe(409);
    s.db.$client.prepare("update sortition_people set features = json_set(features, '$.age', 'old') where pool_id = ? and person_id = 'p02'").run(pool.id);

    const d = await commitAndDraw(s, run2.id, run2.distributionSha256!, '4 8 15 16 23 42');
    expect(d.record.panel).toHaveLength(4);
    expect(d.members.filter((m) => m.status === 'selected')).toHaveLength(4);
    // a second draw of the same pool is refused
    expect((await s.call('facilitator', 'POST', `${api(s)}/runs/${run2.id}/draw`, { seed: 'again', distributionSha256: run2.distributionSha256 })).status).toBe(409);
    // verify endpoint re-runs everything
    const v = (await (await s.call('facilitator', 'POST', `${api(s)}/draws/${d.id}/verify`)).json()) as { ok: boolean; panel: string[]; checks: { check: string; ok: boolean }[] };
    expect(v.ok).toBe(true);
    expect(v.panel).toEqual(d.record.panel);
    // anyone can re-run it independently from the export and the record
    const exp = (await (await s.call('facilitator', 'GET', `${api(s)}/pools/${pool.id}/export`)).json()) as { people: { id: string; features: Record<string, string> }[]; categories: string[]; quotas: { category: string; value: string; min: number; max: number }[] };
    const again = await verifyDraw(d.record as never, { categories: exp.categories, people: exp.people.map((p) => ({ id: p.id, features: p.features })) }, { rows: exp.quotas });
    expect(again.ok).toBe(true);
    // a tampered record fails verification
    const tampered = await verifyDraw({ ...(d.record as object), seedSource: 'another seed' } as never, { categories: exp.categories, people: exp.people.map((p) => ({ id: p.id, features: p.features })) }, { rows: exp.quotas });
    expect(tampered.ok).toBe(false);
    // the same pool, quotas and seed in another service give the same panel
    const s2 = await testService();
    const { body: pool2 } = await importPool(s2, synthetic(), 4);
    expect((await s2.call('facilitator', 'PUT', `${api(s2)}/pools/${pool2.id}/quotas`, { quotas })).status).toBe(200);
    const r2 = await runSelection(s2, pool2.id);
    expect(r2.distributionSha256).toBe(run2.distributionSha256);
    const d2 = await commitAndDraw(s2, r2.id, r2.distributionSha256!, '  4 8 15  16 23 42 ');
    expect(d2.record.panel).toEqual(d.record.panel);

    // dropouts: the next suitable alternate takes the seat, quotas kept, audit-logged
    const seated = d.record.panel[0];
    const res = await s.call('facilitator', 'POST', `${api(s)}/pools/${pool.id}/people/${seated}/respond`, { response: 'decline' });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { status: string; replacement: { id: string; deviation: number } };
    expect(out.status).toBe('declined');
    expect(out.replacement.deviation).toBe(0);
    expect(d.record.panel).not.toContain(out.replacement.id);
    const people = (await (await s.call('facilitator', 'GET', `${api(s)}/pools/${pool.id}/people`)).json()) as { id: string; features: Record<string, string>; status: string; selectedVia: string | null }[];
    const byId = new Map(people.map((p) => [p.id, p]));
    expect(byId.get(out.replacement.id)!.status).toBe('selected');
    expect(byId.get(out.replacement.id)!.selectedVia).toBe('alternate');
    expect(byId.get(out.replacement.id)!.features.gender).toBe(byId.get(seated)!.features.gender);
    const panel = people.filter((p) => p.status === 'selected');
    expect(panel).toHaveLength(4);
    for (const q of quotas) expect(panel.filter((p) => p.features[q.category] === q.value).length).toBe(q.min);
    const audit = s.db.$client.prepare("select data from audit_log where action = 'sortition.replace'").all() as { data: string }[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].data)).toMatchObject({ out: seated, in: out.replacement.id, reason: 'declined' });
    // a confirmed member who drops out is replaced too, never by someone who declined
    const second = d.record.panel[1];
    const conf = (await (await s.call('facilitator', 'POST', `${api(s)}/pools/${pool.id}/people/${second}/respond`, { response: 'confirm' })).json()) as { invitationCode: string };
    expect(conf.invitationCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const drop = (await (await s.call('facilitator', 'POST', `${api(s)}/pools/${pool.id}/people/${second}/respond`, { response: 'dropout' })).json()) as { replacement: { id: string } };
    expect(drop.replacement.id).not.toBe(seated);
    expect(verifyAudit(s.db).ok).toBe(true);
  });
});

describe('personal data never reaches the logs', () => {
  it('import, errors, registration, export and the public page leave no personal data in a captured pino stream', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = pino({ level: 'trace' }, sink);
    const db = testDb();
    const { app, deps } = buildService(testConfig(), { db, models: createFakeRegistry(), logger });
    const sys = ctxFor(deps, { kind: 'user', id: 'system', role: 'admin', displayName: 'system', language: 'en', via: 'token', assemblyIds: [] });
    const assembly = createAssembly(sys, { slug: 'logged', title: 'Logged assembly' });
    const admin = db.insert(usersTable).values({ id: newId('u_'), role: 'admin', username: 'adm', displayName: 'Adm' }).returning().get();
    const token = createApiToken(db, admin.id, 't').token;
    const auth = { authorization: `Bearer ${token}` };
    const base = `/api/assemblies/${assembly.id}/sortition`;
    const fd = (fields: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(fields)) f.append(k, v);
      return f;
    };
    // a good import, a bad one (personal data on the offending line), the people, the export
    expect((await app.request(`${base}/imports`, { method: 'POST', body: fd({ ...SMALL30, panelSize: '8' }), headers: auth })).status).toBe(201);
    const bad = SMALL30.people.replace('c001,First1,Last1,person1@example.org,07700 900001,1 High Street,AB1 1CD,Male', 'c001,First1,Last1,person1@example.org,07700 900001,1 High Street,AB1 1CD,Unknown');
    expect((await app.request(`${base}/imports`, { method: 'POST', body: fd({ people: bad, quotas: SMALL30.quotas, panelSize: '8' }), headers: auth })).status).toBe(422);
    const pools = (await (await app.request(`${base}/pools`, { headers: auth })).json()) as { id: string }[];
    const texts = [await (await app.request(`${base}/pools/${pools[0].id}/people`, { headers: auth })).text(), await (await app.request(`${base}/pools/${pools[0].id}/export`, { headers: auth })).text()];
    // a volunteer registers with personal data through the public API
    const vol = (await (await app.request(`${base}/pools`, { method: 'POST', body: JSON.stringify({ name: 'Vol', panelSize: 1, quotas: [{ category: 'gender', value: 'f', min: 0, max: 1 }, { category: 'gender', value: 'm', min: 0, max: 1 }] }), headers: { ...auth, 'content-type': 'application/json' } })).json()) as { id: string };
    const letters = await app.request(`${base}/pools/${vol.id}/imports/addresses?count=1&seed=7`, { method: 'POST', body: 'street,town\n1 Volunteer Lane,Privacyville\n', headers: { ...auth, 'content-type': 'text/csv' } });
    expect(letters.status).toBe(201);
    const [letter] = (await (await app.request(`${base}/pools/${vol.id}/letters`, { headers: auth })).json()) as { code: string }[];
    const reg = await app.request('/api/public/sortition/registrations', { method: 'POST', body: JSON.stringify({ code: letter.code, features: { gender: 'x' }, personal: { name: 'Secret Volunteer', email: 'secret@volunteer.test' } }), headers: { 'content-type': 'application/json' } });
    expect(reg.status).toBe(422);
    const ok = await app.request('/api/public/sortition/registrations', { method: 'POST', body: JSON.stringify({ code: letter.code, features: { gender: 'f' }, personal: { name: 'Secret Volunteer', email: 'secret@volunteer.test' } }), headers: { 'content-type': 'application/json' } });
    expect(ok.status).toBe(201);
    texts.push(await (await app.request('/p/logged/sortition', { headers: { accept: 'text/html' } })).text());
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(5); // the stream really captured the requests
    for (const p of [...PERSONAL, 'Secret Volunteer', 'secret@volunteer.test', 'Volunteer Lane', 'Privacyville']) expect(log).not.toContain(p);
    for (const t of texts) for (const p of PERSONAL) expect(t).not.toContain(p);
  });
});

describe('wizard pages', () => {
  it('upload → map columns (with line-numbered errors) → quotas → run with progress → probabilities chart → draw', async () => {
    const s = await testService();
    const page = `/facilitate/${s.assemblyId}/sortition`;
    const html = { accept: 'text/html', authorization: `Bearer ${s.tokens.facilitator}` };
    expect((await s.app.request(page, { headers: html })).status).toBe(200);
    const fd = new FormData();
    fd.append('people', new Blob([synthetic().people], { type: 'text/csv' }), 'people.csv');
    fd.append('quotas', new Blob([synthetic().quotas], { type: 'text/csv' }), 'quotas.csv');
    const map = await s.app.request(`${page}/imports/preview`, { method: 'POST', body: fd, headers: html });
    expect(map.status).toBe(200);
    const mapHtml = await map.text();
    expect(mapHtml).toContain('name="role:name"');
    expect(mapHtml).toMatch(/<option value="personal" selected="">/);
    // the mapping form: a wrong feature choice is shown with the offending line
    const form = (roles: Record<string, string>, people = synthetic().people) => {
      const f = new URLSearchParams({ people, quotas: synthetic().quotas, panelSize: '4', name: 'Wizard pool' });
      for (const [k, v] of Object.entries(roles)) f.append(`role:${k}`, v);
      return s.app.request(`${page}/imports/create`, { method: 'POST', body: f, headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' } });
    };
    const bad = await form({ id: 'id', name: 'personal', gender: 'feature', age: 'feature' }, synthetic().people.replace('p03,Name3 Surname3,m,old', 'p03,Name3 Surname3,x,old'));
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('people line 5');
    expect(badHtml).not.toContain('Name3 Surname3</'); // kept only inside the hidden form field
    const ok = await form({ id: 'id', name: 'personal', gender: 'feature', age: 'feature' });
    expect(ok.status).toBe(303);
    const poolUrl = ok.headers.get('location')!;
    const poolHtml = await (await s.app.request(poolUrl, { headers: html })).text();
    expect(poolHtml).toContain('data-quotas');
    const run = await s.app.request(`${poolUrl}/runs`, { method: 'POST', body: new URLSearchParams({ algorithm: 'leximin' }), headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(run.status).toBe(303);
    const queued = await (await s.app.request(poolUrl, { headers: html })).text();
    expect(queued).toContain(`data-jobs-for="${s.assemblyId}"`);
    expect(queued).toContain('/static/jobs.js');
    await s.deps.jobs.runNext();
    const runUrl = /href="([^"]*\/runs\/run_[^"]+)"/.exec(await (await s.app.request(poolUrl, { headers: html })).text())![1];
    const runHtml = await (await s.app.request(runUrl, { headers: html })).text();
    expect(runHtml).toContain('data-curve="LEXIMIN"');
    expect(runHtml).toContain('data-curve="LEGACY"');
    expect(runHtml).toContain('<desc');
    const commit = await s.app.request(`${runUrl}/commit`, { method: 'POST', headers: html });
    expect(commit.status).toBe(303);
    const hash = /name="distributionSha256" value="([0-9a-f]{64})"/.exec(await (await s.app.request(runUrl, { headers: html })).text())![1];
    const drawn = await s.app.request(`${runUrl}/draw`, { method: 'POST', body: new URLSearchParams({ seed: '1 2 3', distributionSha256: hash }), headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(drawn.status).toBe(303);
    const drawHtml = await (await s.app.request(drawn.headers.get('location')!, { headers: html })).text();
    expect(drawHtml.match(/data-person=/g)).toHaveLength(4);
    expect(drawHtml).toMatch(/Name\d+ Surname\d+/); // organisers see who to contact
    // the public and participants cannot open the wizard
    expect((await s.call('participant', 'GET', page, undefined, { accept: 'text/html' })).status).toBe(403);
  });
});
