import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { defFromResource, readCsv } from './csv.js';
import { requestExport, download } from './service.js';
import { ctxFor } from '../../deps.js';
import { CANARIES, richAssembly, runJob } from './testkit.js';
import { unpackZip } from './zip.js';
import { users } from '../../platform/db/schema.js';

const profile = (f: string) => JSON.parse(readFileSync(new URL(`../../../fixtures/frictionless-2.0/${f}`, import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true });
// the profiles' only non-standard format is a UI hint
ajv.addFormat('textarea', () => true);
const validatePackage = ajv.compile(profile('datapackage.json'));
const validateResource = ajv.compile(profile('dataresource.json'));
const validateTableSchema = ajv.compile(profile('tableschema.json'));
const validateDialect = ajv.compile(profile('tabledialect.json'));

type Resource = { name: string; path: string; type?: string; format?: string; schema?: Parameters<typeof defFromResource>[0]['schema']; dialect?: object };

describe('open-data export', () => {
  let s: TestService;
  let files: Map<string, string>;
  let rich: Awaited<ReturnType<typeof richAssembly>>;
  beforeAll(async () => {
    s = await testService();
    rich = await richAssembly(s);
    const ctx = ctxFor(s.deps, { kind: 'user', id: s.users.facilitator, role: 'facilitator', displayName: 'F', language: 'en', via: 'token', assemblyIds: [] });
    const { job } = requestExport(ctx, s.deps.jobs, s.assemblyId, {});
    const done = await runJob(s, job.id);
    expect(done?.status, done?.error ?? '').toBe('succeeded');
    const exportId = (done!.result as { exportId: string }).exportId;
    files = unpackZip(download(ctx, s.assemblyId, exportId).bytes);
    if (process.env.OPENDATA_DUMP) for (const [k, v] of files) console.log(`=== ${k}\n${v.slice(0, 400)}`);
  }, 60_000);

  it('datapackage.json is a valid Frictionless 2.0 data package, and says the assembly is in progress', () => {
    const pkg = JSON.parse(files.get('datapackage.json')!) as { resources: Resource[]; plenary: { status: string }; description: string };
    expect(validatePackage(pkg), ajv.errorsText(validatePackage.errors)).toBe(true);
    expect(pkg.plenary.status).toBe('in-progress');
    expect(pkg.description).toMatch(/^INTERIM/);
    for (const r of pkg.resources) {
      expect(validateResource(r), `${r.name}: ${ajv.errorsText(validateResource.errors)}`).toBe(true);
      if (r.type === 'table') {
        expect(validateTableSchema(r.schema), `${r.name}: ${ajv.errorsText(validateTableSchema.errors)}`).toBe(true);
        expect(validateDialect(r.dialect), `${r.name}: ${ajv.errorsText(validateDialect.errors)}`).toBe(true);
      }
    }
  });

  it('every listed file exists, every file is listed, and every CSV matches its Table Schema (types, required, primary key)', () => {
    const pkg = JSON.parse(files.get('datapackage.json')!) as { resources: Resource[] };
    const listed = new Set(pkg.resources.map((r) => r.path));
    for (const p of listed) expect(files.has(p), p).toBe(true);
    for (const f of files.keys()) if (f !== 'datapackage.json') expect(listed.has(f), f).toBe(true);
    const tables = pkg.resources.filter((r) => r.type === 'table');
    expect(tables.length).toBeGreaterThanOrEqual(20);
    // header, two versions of the edited recommendation, one of the final one whose impact is tracked
    expect(files.get('recommendations/versions.csv')!.trim().split('\n')).toHaveLength(4);
    for (const r of tables) {
      const { rows, problems } = readCsv(defFromResource(r as Parameters<typeof defFromResource>[0]), r.path, files.get(r.path)!);
      expect(problems, r.path).toEqual([]);
      if (['sortition/people.csv', 'sortition/features.csv', 'conversations/statements.csv', 'conversations/votes.csv', 'conversations/opinion-groups.csv', 'transcripts/transcripts.csv', 'publications/publications.csv', 'recommendations/recommendations.csv', 'recommendations/amendments.csv', 'calendar/phases.csv', 'calendar/sessions.csv', 'calendar/attendance.csv', 'ballots/ballots.csv', 'ballots/options.csv', 'ballots/receipts.csv', 'surveys/surveys.csv', 'surveys/questions.csv', 'surveys/results.csv', 'debates/debates.csv', 'debates/comments.csv', 'impact/impact.csv', 'impact/timeline.csv', 'impact/sources.csv'].includes(r.path))
        expect(rows.length, r.path).toBeGreaterThan(0);
    }
  });

  it('the checker itself catches a wrong type, a missing required value and a repeated key', () => {
    const pkg = JSON.parse(files.get('datapackage.json')!) as { resources: Resource[] };
    const r = pkg.resources.find((x) => x.path === 'sortition/people.csv')!;
    const lines = files.get(r.path)!.split('\n');
    const cells = lines[1].split(',');
    const bad = [lines[0], [cells[0], cells[1], cells[2], cells[3], 'abc', cells[5]].join(','), ['', ...cells.slice(1)].join(','), lines[1], lines[1]].join('\n') + '\n';
    const { problems } = readCsv(defFromResource(r as Parameters<typeof defFromResource>[0]), r.path, bad);
    expect(problems.map((p) => `${p.row}:${p.field}`)).toEqual(['2:probability', '3:pool_id', '4:pool_id,person_id', '5:pool_id,person_id']);
  });

  it('holds no personal data: no canary names, contacts, addresses or pseudonyms, no original ids, user ids, codes or password hashes', () => {
    const all = [...files.values()].join('\n');
    for (const c of CANARIES) expect(all.includes(c), c).toBe(false);
    for (const id of rich.originalPersonIds) expect(all.includes(id), id).toBe(false);
    for (const u of s.db.select().from(users).all()) {
      expect(all.includes(u.id), u.id).toBe(false);
      if (u.passwordHash) expect(all.includes(u.passwordHash)).toBe(false);
    }
    for (const code of s.codes) expect(all.includes(code), code).toBe(false);
    const code = rich.confirmed.invitationCode as string;
    expect(code).toEqual(expect.any(String));
    expect(all.includes(code), 'account invitation code').toBe(false);
    expect(all).not.toMatch(/Tester|Test participant/);
    // people are there, by random id
    expect(files.get('sortition/people.csv')).toMatch(/^pool_id,person_id,status/);
    expect(files.get('transcripts/transcripts.csv')).toBeTruthy();
  });

  it('attendance, survey answers and ballots are published as aggregates and receipts only', () => {
    // attendance: counts per session, no per-person rows
    expect(files.get('calendar/attendance.csv')!.split('\n')[0]).toBe('session_id,expected,present,excused,absent,unrecorded,rate');
    expect(files.get('calendar/attendance.csv')).toMatch(/,2,1,1,0,0,0\.5\n/);
    // one member answered: below the withholding threshold, only the count of respondents leaves; free text never
    expect(files.get('surveys/results.csv')!.trim().split('\n').slice(1).map((l) => l.split(',').slice(1).join(','))).toEqual(['trust,(respondents),1', 'why,(respondents),1']);
    // the closed ballot: its receipt and choice, nothing about who voted
    expect(files.get('ballots/receipts.csv')).toContain(`${rich.ballotId},${rich.receipt},`);
    expect(files.get('ballots/receipts.csv')!.split('\n')[0]).toBe('ballot_id,receipt,choice');
    expect(JSON.parse(files.get(`ballots/results/${rich.ballotId}.json`)!)).toMatchObject({ method: 'approval', voters: 1 });
    // impact: the response, the entry and its two sources
    expect(files.get('impact/impact.csv')).toContain('in_progress,25,Cycling,The council accepts & will build the first lanes in 2027.,2026-11-20,https://example.org/council/answer?id=1&lang=en,');
    expect(files.get('impact/sources.csv')!.trim().split('\n')).toHaveLength(4);
  });

  it('the same assembly exported again gives the same tables (stable random ids)', async () => {
    const ctx = ctxFor(s.deps, { kind: 'user', id: s.users.admin, role: 'admin', displayName: 'A', language: 'en', via: 'token', assemblyIds: [] });
    const again = await runJob(s, requestExport(ctx, s.deps.jobs, s.assemblyId, {}).job.id);
    const second = unpackZip(download(ctx, s.assemblyId, (again!.result as { exportId: string }).exportId).bytes);
    for (const [p, text] of files) if (p.endsWith('.csv')) expect(second.get(p), p).toBe(text);
  });
});
