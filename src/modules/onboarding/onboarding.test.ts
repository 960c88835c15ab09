import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../platform/audit/audit.js';
import { testService, type TestService } from '../../testing/service.js';

/**
 * The two-stage flow end to end through the API: addresses drawn for letters, volunteers register with their
 * codes, selection with the real pipeline, the public draw, confirmations (with an account invitation) and a
 * decline replaced by an alternate; then onboarding, the member's data download and deletion, and the public
 * transparency page.
 */
const ADDRESSES = ['street,town', '1 Elm Road,Northby', '2 Elm Road,Northby', '3 Oak Road,Southby', '4 Oak Road,Southby', '5 Ash Road,Eastby', '5 ASH ROAD,eastby', '6 Ash Road,Eastby'].join('\n');
const NAMES = ['Alice Volunteer', 'Bob Volunteer', 'Carol Volunteer', 'Dan Volunteer', 'Erin Volunteer', 'Frank Volunteer'];

let s: TestService;
let base: string;
let poolId: string;
const state: { panel: string[]; confirmedCode?: string; memberToken?: string; memberId?: string; personOf: Record<string, string> } = { panel: [], personOf: {} };

const json = async <T>(res: Response | Promise<Response>, status: number): Promise<T> => {
  const r = await res;
  const body = await r.text();
  expect(r.status, body).toBe(status);
  return JSON.parse(body) as T;
};

beforeAll(async () => {
  s = await testService();
  base = `/api/assemblies/${s.assemblyId}/sortition`;
});

describe('two-stage selection, end to end', () => {
  it('stage one: draws addresses reproducibly and prints one letter per page with a code', async () => {
    const quotas = [
      { category: 'gender', value: 'woman', min: 1, max: 1 },
      { category: 'gender', value: 'man', min: 1, max: 1 },
      { category: 'age', value: 'under 40', min: 0, max: 2 },
      { category: 'age', value: '40+', min: 0, max: 2 },
    ];
    // quotas that cannot reach the panel size are refused, naming the category
    const bad = await s.call('facilitator', 'POST', `${base}/pools`, { name: 'x', panelSize: 3, quotas });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('category gender');
    const pool = await json<{ id: string }>(s.call('facilitator', 'POST', `${base}/pools`, { name: 'Volunteers', panelSize: 2, quotas }), 201);
    poolId = pool.id;
    const res = await s.app.request(`${base}/pools/${poolId}/imports/addresses?count=5&seed=${encodeURIComponent('07 12 23 34 45')}`, { method: 'POST', body: ADDRESSES, headers: { authorization: `Bearer ${s.tokens.facilitator}`, 'content-type': 'text/csv' } });
    const batch = await json<{ addresses: number; letters: number }>(res, 201);
    expect(batch.addresses).toBe(6); // "5 ASH ROAD, eastby" is the same household as "5 Ash Road, Eastby"
    expect(batch.letters).toBe(5);
    expect((await s.app.request(`${base}/pools/${poolId}/imports/addresses?count=7&seed=1`, { method: 'POST', body: ADDRESSES, headers: { authorization: `Bearer ${s.tokens.facilitator}`, 'content-type': 'text/csv' } })).status).toBe(422);
    const letters = await json<{ code: string; address: Record<string, string> }[]>(s.call('facilitator', 'GET', `${base}/pools/${poolId}/letters`), 200);
    expect(letters.length).toBeGreaterThanOrEqual(5);
    const html = await (await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/sortition/pools/${poolId}/letters`, undefined, { accept: 'text/html' })).text();
    expect(html).toContain('page-break-after: always');
    expect(html.match(/class="letter"/g)?.length).toBe(letters.length);
    for (const l of letters.slice(0, 5)) expect(html).toContain(l.code);
  });

  it('volunteers register with their code; answers outside the quotas are refused', async () => {
    const letters = await json<{ code: string }[]>(s.call('facilitator', 'GET', `${base}/pools/${poolId}/letters`), 200);
    const form = await json<{ categories: { category: string; values: string[] }[] }>(s.call('public', 'POST', '/api/public/sortition/registration-form', { code: letters[0].code }), 200);
    expect(form.categories.map((c) => c.category)).toEqual(['gender', 'age']);
    const bad = await s.call('public', 'POST', '/api/public/sortition/registrations', { code: letters[0].code, features: { gender: 'other', age: '40+' }, personal: { name: 'Nobody' } });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('features.gender');
    expect((await s.call('public', 'POST', '/api/public/sortition/registrations', { code: 'AAAA-BBBB-CCCC-DDDD', features: {}, personal: { name: 'x' } })).status).toBe(404);
    const plan = [
      ['woman', 'under 40'],
      ['man', '40+'],
      ['woman', '40+'],
      ['man', 'under 40'],
      ['woman', 'under 40'],
      ['man', '40+'],
    ];
    for (let i = 0; i < plan.length; i++) {
      const code = letters[i % letters.length].code; // the sixth volunteer shares a household with the first
      const r = await json<{ reference: string }>(s.call('public', 'POST', '/api/public/sortition/registrations', { code, features: { gender: plan[i][0], age: plan[i][1] }, personal: { name: NAMES[i], email: `v${i}@example.test` } }), 201);
      state.personOf[NAMES[i]] = r.reference;
    }
    const people = await json<{ id: string; household: string }[]>(s.call('facilitator', 'GET', `${base}/pools/${poolId}/people`), 200);
    expect(people).toHaveLength(6);
    expect(JSON.stringify(people)).not.toContain('Volunteer');
  });

  it('selects, fixes the distribution, draws with a public seed, and verifies', async () => {
    const { runId } = await json<{ runId: string }>(s.call('facilitator', 'POST', `${base}/pools/${poolId}/runs`, {}), 202);
    // progress is visible to staff while it runs, then the job succeeds
    expect((await s.deps.jobs.runNext())?.status).toBe('succeeded');
    const run = await json<{ status: string; distributionSha256: string; probabilities: Record<string, number> }>(s.call('facilitator', 'GET', `${base}/runs/${runId}`), 200);
    expect(run.status).toBe('done');
    expect(Object.values(run.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(2, 6);
    // the fixed hash is public before the seed is known
    await json(s.call('facilitator', 'POST', `${base}/runs/${runId}/commit`), 200);
    const pub = await json<{ pools: { distributionSha256: string; draw: unknown }[] }>(s.call('public', 'GET', '/api/public/assemblies/test-assembly/sortition'), 200);
    expect(pub.pools[0].distributionSha256).toBe(run.distributionSha256);
    expect(pub.pools[0].draw).toBeNull();
    const d = await json<{ id: string; record: { panel: string[] } }>(s.call('facilitator', 'POST', `${base}/runs/${runId}/draw`, { seed: 'EuroMillions 2025-11-25: 3 17 22 38 41 + 2 9', distributionSha256: run.distributionSha256 }), 201);
    state.panel = d.record.panel;
    expect(state.panel).toHaveLength(2);
    const v = await json<{ ok: boolean }>(s.call('facilitator', 'POST', `${base}/draws/${d.id}/verify`), 200);
    expect(v.ok).toBe(true);
    const pv = await json<{ draws: { ok: boolean }[] }>(s.call('public', 'GET', '/api/public/assemblies/test-assembly/sortition/verify'), 200);
    expect(pv.draws[0].ok).toBe(true);
    // registration is closed once drawn
    const letters = await json<{ code: string }[]>(s.call('facilitator', 'GET', `${base}/pools/${poolId}/letters`), 200);
    expect((await s.call('public', 'POST', '/api/public/sortition/registrations', { code: letters[4].code, features: { gender: 'man', age: '40+' }, personal: { name: 'Late' } })).status).toBe(410);
  });

  it('confirmation gives an account invitation; a decline gives the seat to an alternate', async () => {
    const [first, second] = state.panel;
    const conf = await json<{ invitationCode: string }>(s.call('facilitator', 'POST', `${base}/pools/${poolId}/people/${first}/respond`, { response: 'confirm' }), 200);
    state.confirmedCode = conf.invitationCode;
    const dec = await json<{ replacement: { id: string; deviation: number } }>(s.call('facilitator', 'POST', `${base}/pools/${poolId}/people/${second}/respond`, { response: 'decline' }), 200);
    expect(dec.replacement.deviation).toBe(0);
    expect(state.panel).not.toContain(dec.replacement.id);
    // the confirmed volunteer joins with the code and chooses a pseudonym (identity module's invitations)
    const joined = await s.app.request('/api/auth/join', { method: 'POST', body: JSON.stringify({ code: conf.invitationCode, pseudonym: 'Juniper', language: 'fr' }), headers: { 'content-type': 'application/json' } });
    expect(joined.status).toBe(201);
    const { user } = (await joined.json()) as { user: { id: string } };
    state.memberId = user.id;
    const cookie = joined.headers.get('set-cookie')!.split(';')[0];
    state.memberToken = cookie;
    const me = await json<{ memberships: { assemblyId: string; pseudonym: string }[] }>(s.app.request('/api/me', { headers: { cookie } }), 200);
    expect(me.memberships).toEqual([{ assemblyId: s.assemblyId, pseudonym: 'Juniper' }]);
  });
});

describe('onboarding', () => {
  it('tracks the checklist, the assistant, loans and accessibility; lists who is not ready', async () => {
    const a = `/api/assemblies/${s.assemblyId}/onboarding`;
    const board = await json<{ userId: string; ready: boolean; missing: string[] }[]>(s.call('facilitator', 'GET', a), 200);
    expect(board.map((m) => m.userId).sort()).toEqual([s.users.participant, state.memberId].sort());
    expect(board.every((m) => !m.ready && m.missing.length === 5)).toBe(true);
    await json(s.call('facilitator', 'PATCH', `${a}/${state.memberId}`, { checklist: { device: true, connection: true, audioVideo: true, practiceCall: true, basics: true }, assistantId: s.users.facilitator }), 200);
    await json(s.call('facilitator', 'PATCH', `${a}/${s.users.participant}`, { checklist: { device: true } }), 200);
    expect((await s.call('facilitator', 'PATCH', `${a}/${s.users.participant}`, { assistantId: s.users.participant })).status).toBe(422);
    const notReady = await json<{ userId: string; missing: string[] }[]>(s.call('facilitator', 'GET', `${a}?ready=no`), 200);
    expect(notReady.map((m) => m.userId)).toEqual([s.users.participant]);
    expect(notReady[0].missing).toEqual(['connection', 'audioVideo', 'practiceCall', 'basics']);
    const noPractice = await json<unknown[]>(s.call('facilitator', 'GET', `${a}?missing=practiceCall`), 200);
    expect(noPractice).toHaveLength(1);
    const mine = await json<unknown[]>(s.call('facilitator', 'GET', `${a}?assistantId=${s.users.facilitator}`), 200);
    expect(mine).toHaveLength(1);
    const loan = await json<{ id: string }>(s.call('facilitator', 'POST', `${a}/${state.memberId}/loans`, { item: 'Tablet with 4G data', lentOn: '2025-11-01' }), 201);
    expect((await s.call('facilitator', 'POST', `${a}/loans/${loan.id}/return`, { returnedOn: '2025-10-01' })).status).toBe(422);
    await json(s.call('facilitator', 'POST', `${a}/loans/${loan.id}/return`, { returnedOn: '2025-12-20' }), 200);
    await json(s.call('facilitator', 'PUT', `${a}/${state.memberId}/accessibility`, { needs: 'Hearing loop; large print' }), 200);
    const html = await (await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/onboarding?ready=no`, undefined, { accept: 'text/html' })).text();
    expect(html).toContain(`data-member="${s.users.participant}"`);
    expect(html).not.toContain(`data-member="${state.memberId}"`);
    // the member sees their own status
    const own = await json<{ missing: string[]; assistant: { name: string } }>(s.app.request(`/api/assemblies/${s.assemblyId}/me/onboarding`, { headers: { cookie: state.memberToken! } }), 200);
    expect(own.missing).toEqual([]);
    expect(own.assistant.name).toBe('Test facilitator');
    const page = await s.app.request(`/a/${s.assemblyId}/me`, { headers: { cookie: state.memberToken!, accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="my-checklist"');
    expect((await s.call('public', 'GET', '/register', undefined, { accept: 'text/html' })).status).toBe(200);
    expect((await s.call('researcher', 'GET', a)).status).toBe(403);
    expect((await s.call('participant', 'GET', a)).status).toBe(403);
  });
});

describe('a member’s personal data', () => {
  it('downloads as JSON, then deletion anonymises: personal rows gone, features kept, "former member N"', async () => {
    const cookie = state.memberToken!;
    const data = await json<{ selection: { personal: Record<string, string>; features: Record<string, string> }[]; onboarding: { accessibility: string }; membership: { pseudonym: string } }>(s.app.request(`/api/assemblies/${s.assemblyId}/me/data`, { headers: { cookie } }), 200);
    expect(data.membership.pseudonym).toBe('Juniper');
    expect(data.selection).toHaveLength(1);
    const name = data.selection[0].personal.name;
    expect(NAMES).toContain(name);
    expect(data.onboarding.accessibility).toBe('Hearing loop; large print');
    const personId = state.personOf[name];
    // deletion needs an explicit confirmation
    const csrf = s.db.$client.prepare('select csrf_token c from sessions where user_id = ?').get(state.memberId) as { c: string };
    const headers = { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf.c };
    expect((await s.app.request(`/api/assemblies/${s.assemblyId}/me/data/delete`, { method: 'POST', body: '{}', headers })).status).toBe(422);
    const res = await json<{ pseudonym: string; deleted: { poolRecords: number; accessibility: number } }>(s.app.request(`/api/assemblies/${s.assemblyId}/me/data/delete`, { method: 'POST', body: JSON.stringify({ confirm: 'DELETE' }), headers }), 200);
    expect(res.pseudonym).toBe('former member 1');
    expect(res.deleted).toEqual({ poolRecords: 1, accessibility: 1 });
    expect(s.db.$client.prepare('select count(*) n from sortition_personal where person_id = ?').get(personId)).toEqual({ n: 0 });
    const person = s.db.$client.prepare('select features, status from sortition_people where person_id = ?').get(personId) as { features: string; status: string };
    expect(JSON.parse(person.features)).toHaveProperty('gender');
    expect(person.status).toBe('confirmed');
    const members = await json<{ userId: string; pseudonym: string }[]>(s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/members`), 200);
    expect(members.find((m) => m.userId === state.memberId)?.pseudonym).toBe('former member 1');
    // the account is closed
    expect((await s.app.request('/api/me', { headers: { cookie } })).status).toBe(401);
    const audit = s.db.$client.prepare("select data from audit_log where action = 'self.data.delete'").all() as { data: string }[];
    expect(audit).toHaveLength(1);
    for (const n of NAMES) expect(audit[0].data).not.toContain(n);
    // the draw still verifies: features were kept
    const pools = await json<{ drawId: string }[]>(s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/sortition/pools`), 200);
    expect((await json<{ ok: boolean }>(s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/sortition/draws/${pools[0].drawId}/verify`), 200)).ok).toBe(true);
    expect(verifyAudit(s.db).ok).toBe(true);
  });
});

describe('public transparency page', () => {
  it('is visible to the public, shows algorithm, seed, hashes, chart and quotas, and no personal data', async () => {
    const res = await s.call('public', 'GET', '/p/test-assembly/sortition', undefined, { accept: 'text/html' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('LEXIMIN');
    expect(html).toContain('EuroMillions 2025-11-25');
    expect(html).toMatch(/data-distribution="true">[0-9a-f]{64}</);
    expect(html).toContain('<svg');
    expect(html).toContain('role="img"');
    expect(html).toContain('data-quotas');
    const json = await (await s.call('public', 'GET', '/api/public/assemblies/test-assembly/sortition')).text();
    for (const text of [html, json]) {
      for (const n of NAMES) expect(text).not.toContain(n);
      expect(text).not.toContain('example.test');
      expect(text).not.toContain('Elm Road');
      for (const id of Object.values(state.personOf)) expect(text).not.toContain(id);
    }
    const fr = await (await s.call('public', 'GET', '/p/test-assembly/sortition?lang=fr', undefined, { accept: 'text/html' })).text();
    expect(fr).toContain('Comment les membres ont été tirés au sort');
  });
});
