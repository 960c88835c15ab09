import { beforeEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../platform/audit/audit.js';
import { auditLog } from '../../platform/db/schema.js';
import { testService, type TestService } from '../../testing/service.js';
import { sampleRecommendation } from '../recommendations/testing.js';
import { checkProgress, PROGRESS_RANGE, IMPACT_STATUSES } from './domain.js';
import { impactEntries, impactRecords } from './schema.js';
import { finalRecommendation } from './testing.js';
import { englishIn, readableText } from '../../testing/page-text.js';
import { CATALOGUES } from '../../web/i18n.js';

const NOW = new Date('2026-12-07T12:00:00Z');
let s: TestService;
let rec: string;
let base: string;
const problem = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as { detail: string; errors?: { path: string }[] };
};
const counts = () => ({ records: s.db.select().from(impactRecords).all().length, entries: s.db.select().from(impactEntries).all().length, audit: s.db.select().from(auditLog).all().length });
const entry = (over: Record<string, unknown> = {}) => ({ date: '2026-11-02', text: 'The council voted the budget for the new lines.', sources: ['https://example.org/council/2026-11-02 Minutes'], ...over });

beforeEach(async () => {
  s = await testService({ clock: () => NOW });
  rec = finalRecommendation(s);
  base = `/api/assemblies/${s.assemblyId}/impact/${rec}`;
});

describe('progress rule (domain)', () => {
  it('forces 0 or 100 where the status fixes it, keeps a fitting value, refuses the rest', () => {
    expect(checkProgress('implemented', undefined, 40)).toBe(100);
    expect(checkProgress('rejected', undefined, 40)).toBe(0);
    expect(checkProgress('in_progress', undefined, 40)).toBe(40);
    expect(() => checkProgress('partly_implemented', undefined, 0)).toThrow(/between 1 and 99/);
    for (const st of IMPACT_STATUSES) {
      const [lo, hi] = PROGRESS_RANGE[st];
      expect(checkProgress(st, lo, 0)).toBe(lo);
      expect(checkProgress(st, hi, 0)).toBe(hi);
      if (lo > 0) expect(() => checkProgress(st, lo - 1, 0)).toThrow();
      if (hi < 100) expect(() => checkProgress(st, hi + 1, 0)).toThrow();
    }
    expect(() => checkProgress('in_progress', 12.5, 0)).toThrow(/whole percentage/);
  });
});

describe('impact tracking service', () => {
  it('an entry moves status and progress, with its sources, and writes one audit row in a sound chain', async () => {
    const before = counts();
    const res = await s.call('facilitator', 'POST', `${base}/entries`, entry({ status: 'in_progress', progress: 30 }));
    expect(res.status, await res.clone().text()).toBe(201);
    const e = (await res.json()) as { id: string; status: string; progress: number; sources: { url: string; title: string }[] };
    expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(e).toMatchObject({ status: 'in_progress', progress: 30, sources: [{ url: 'https://example.org/council/2026-11-02', title: 'Minutes' }] });
    expect(counts()).toEqual({ records: before.records + 1, entries: before.entries + 1, audit: before.audit + 1 });
    const row = s.db.select().from(auditLog).all().at(-1)!;
    expect(row).toMatchObject({ action: 'impact.entry', subject: `impact:${rec}`, actorId: s.users.facilitator });
    expect(JSON.parse(row.data)).toMatchObject({ from: { status: 'not_started', progress: 0 }, to: { status: 'in_progress', progress: 30 } });
    // implemented without a progress: 100
    await s.call('facilitator', 'POST', `${base}/entries`, entry({ date: '2026-12-01', status: 'implemented' }));
    const view = (await (await s.call('facilitator', 'GET', base)).json()) as { item: { status: string; progress: number; entries: number }; timeline: { date: string }[] };
    expect(view.item).toMatchObject({ status: 'implemented', progress: 100, entries: 2 });
    expect(view.timeline.map((x) => x.date)).toEqual(['2026-12-01', '2026-11-02']);
    expect(verifyAudit(s.db).ok).toBe(true);
  });

  it('records the response (text, date, link) as a timeline entry and an audit row', async () => {
    const res = await s.call('facilitator', 'PUT', `${base}/response`, { text: 'The region accepts and will fund it from 2027.', date: '2026-10-15', url: 'https://example.org/region/answer' });
    expect(res.status, await res.clone().text()).toBe(200);
    const list = (await (await s.call('admin', 'GET', `/api/assemblies/${s.assemblyId}/impact`)).json()) as { response: unknown; status: string }[];
    expect(list[0]).toMatchObject({ status: 'not_started', response: { text: 'The region accepts and will fund it from 2027.', date: '2026-10-15', url: 'https://example.org/region/answer' } });
    expect(s.db.select().from(auditLog).all().at(-1)!.action).toBe('impact.response');
  });

  it.each([
    ['a percent above 100', entry({ status: 'in_progress', progress: 101 }), /whole percentage between 0 and 100; 101 is not/, 'progress'],
    ['a negative percent', entry({ progress: -1 }), /whole percentage between 0 and 100/, 'progress'],
    ['a percent that contradicts the status', entry({ status: 'implemented', progress: 60 }), /implemented is at 100 %, not 60/, 'progress'],
    ['an unknown status', entry({ status: 'done' }), /Unknown status 'done'/, 'status'],
    ['a date in the future', entry({ date: '2027-03-01' }), /in the future/, 'date'],
    ['a date that does not exist', entry({ date: '2026-02-30' }), /calendar date/, 'date'],
    ['a source that is not a link', entry({ sources: ['minutes of the council'] }), /not a web link/, 'sources.0'],
    ['a javascript: source', entry({ sources: ['javascript:alert(1)'] }), /not a web link/, 'sources.0'],
    ['no source', entry({ sources: [] }), /at least one source/, 'sources'],
    ['an empty text', entry({ text: '   ' }), /empty/, 'text'],
  ])('refuses %s with a clear problem, writing nothing', async (_name, body, message, path) => {
    const before = counts();
    const p = await problem(await s.call('facilitator', 'POST', `${base}/entries`, body), 422);
    expect(p.detail).toMatch(message);
    expect(p.errors?.[0]?.path).toBe(path);
    expect(counts()).toEqual(before);
  });

  it('refuses a response dated in the future and a response link that is not a URL', async () => {
    const before = counts();
    expect((await problem(await s.call('facilitator', 'PUT', `${base}/response`, { text: 'Yes.', date: '2027-01-01' }), 422)).detail).toMatch(/future/);
    expect((await problem(await s.call('facilitator', 'PUT', `${base}/response`, { text: 'Yes.', date: '2026-01-01', url: 'ftp://x' }), 422)).detail).toMatch(/not a web link/);
    expect(counts()).toEqual(before);
  });

  it('unknown or unfinished recommendations: 404 and 409', async () => {
    expect((await problem(await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/impact/rec_nope/entries`, entry()), 404)).detail).toMatch(/does not exist/);
    const draft = sampleRecommendation(s);
    expect((await problem(await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/impact/${draft}/entries`, entry()), 409)).detail).toMatch(/Only final recommendations/);
    // another assembly's recommendation is unknown here
    const elsewhere = finalRecommendation(s, 'Elsewhere', s.otherAssemblyId);
    await problem(await s.call('admin', 'POST', `/api/assemblies/${s.assemblyId}/impact/${elsewhere}/entries`, entry()), 404);
  });

  it('a missing field is named by the service, in French too', async () => {
    const p = await problem(await s.call('facilitator', 'PUT', `${base}/response?lang=fr`, { date: '2026-10-01' }), 422);
    expect(p.detail).toBe('Le champ « réponse » est vide ; écrivez ce qui s’est passé.');
    expect(p.errors?.[0]?.path).toBe('responseText');
  });

  it('French readers get the details in French', async () => {
    const p = await problem(await s.call('facilitator', 'POST', `${base}/entries?lang=fr`, entry({ status: 'implemented', progress: 60 })), 422);
    expect(p.detail).toBe('Une recommandation mise en œuvre est à 100 %, pas à 60 %.');
    const q = await problem(await s.call('facilitator', 'POST', `${base}/entries`, entry({ sources: ['nope'] }), { cookie: 'lang=fr' }), 422);
    expect(q.detail).toMatch(/^« nope » n’est pas un lien web/);
  });

  it('only staff of the assembly edit: participants, researchers and the public are refused', async () => {
    expect((await s.call('participant', 'POST', `${base}/entries`, entry())).status).toBe(403);
    expect((await s.call('researcher', 'POST', `${base}/entries`, entry())).status).toBe(403);
    expect((await s.call('public', 'POST', `${base}/entries`, entry())).status).toBe(401);
  });

  it('the public JSON filters by status and theme; unknown status filters are refused', async () => {
    const other = finalRecommendation(s, 'Safe cycle lanes on every main road');
    await s.call('facilitator', 'PUT', `${base}/theme`, { theme: 'Public transport' });
    await s.call('facilitator', 'PUT', `/api/assemblies/${s.assemblyId}/impact/${other}/theme`, { theme: 'Cycling' });
    await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/impact/${other}/entries`, entry({ status: 'rejected' }));
    const get = async (q: string) => (await (await s.call('public', 'GET', `/api/public/assemblies/test-assembly/impact${q}`)).json()) as { items: { recommendationId: string }[]; themes: string[]; total: number };
    expect((await get('')).total).toBe(2);
    expect((await get('')).themes).toEqual(['Cycling', 'Public transport']);
    expect((await get('?status=rejected')).items.map((x) => x.recommendationId)).toEqual([other]);
    expect((await get('?theme=Public%20transport')).items.map((x) => x.recommendationId)).toEqual([rec]);
    expect((await get('?status=rejected&theme=Public%20transport')).items).toEqual([]);
    await problem(await s.call('public', 'GET', '/api/public/assemblies/test-assembly/impact?status=finished'), 422);
  });
});

describe('impact pages in French, with data behind them', () => {
  it('show no English string to a French reader (staff page, public page, filtered)', async () => {
    await s.call('facilitator', 'PUT', `${base}/response`, { text: 'La région accepte.', date: '2026-10-15', url: 'https://example.org/r' });
    await s.call('facilitator', 'POST', `${base}/entries`, entry({ text: 'Le budget est voté.', status: 'partly_implemented', progress: 60 }));
    await s.call('facilitator', 'PUT', `${base}/theme`, { theme: 'Transports' });
    const { db } = s;
    db.$client.prepare('update recommendations set title = ? where id = ?').run('Des bus toutes les dix minutes', rec);
    db.$client.prepare('update assemblies set title = ? where id = ?').run('Assemblée citoyenne', s.assemblyId);
    // staff names are data, not page strings (as in src/web/pages-i18n.test.ts)
    db.$client.prepare('update users set display_name = ?').run('Camille');
    for (const [role, path] of [
      ['facilitator', `/facilitate/${s.assemblyId}/impact`],
      ['facilitator', `/facilitate/${s.assemblyId}/impact/${rec}`],
      ['public', '/p/test-assembly/impact'],
      ['public', '/p/test-assembly/impact?status=partly_implemented&theme=Transports'],
    ] as const) {
      const res = await s.call(role, 'GET', `${path}${path.includes('?') ? '&' : '?'}lang=fr`, undefined, { accept: 'text/html' });
      expect(res.status, path).toBe(200);
      const text = readableText(await res.text(), 'fr');
      expect(text, path).toMatch(/partiellement mise en œuvre/);
      expect(englishIn(text, CATALOGUES.en, CATALOGUES.fr), path).toEqual([]);
    }
  });
});
