import pino from 'pino';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeRegistry } from '../../../models/testing.js';
import { buildService } from '../../build.js';
import { testConfig } from '../../config.js';
import { ctxFor, type Deps } from '../../deps.js';
import { testDb } from '../../platform/db/client.js';
import { assemblies } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { testService, type TestService } from '../../testing/service.js';
import { conversationsRepo } from '../conversations/repo.js';
import { transparency } from '../sortition/service.js';
import { feedEntries, publicImpact } from '../impact/service.js';
import { listBallots, publicList } from '../ballots/service.js';
import { recommendationsRepo } from '../recommendations/repo.js';
import { importPackage } from './importer.js';
import { download, requestExport } from './service.js';
import { richAssembly, runJob } from './testkit.js';
import { packZip, unpackZip } from './zip.js';

const admin = (deps: Deps) => ctxFor(deps, { kind: 'user', id: 'system', role: 'admin', displayName: 'admin', language: 'en', via: 'token', assemblyIds: [] });

async function exportOf(deps: Deps, assemblyId: string, run: () => Promise<unknown>) {
  const { job } = requestExport(admin(deps), deps.jobs, assemblyId, {});
  await run();
  const row = deps.jobs.get(job.id)!;
  expect(row.status, row.error ?? '').toBe('succeeded');
  return download(admin(deps), assemblyId, (row.result as { exportId: string }).exportId).bytes;
}

/** A fresh, empty instance: no assemblies, no users. */
function emptyInstance() {
  return buildService(testConfig(), { db: testDb(), models: createFakeRegistry(), logger: pino({ level: 'silent' }) }).deps;
}

describe('open data: export → import → export', () => {
  let s: TestService;
  let first: Uint8Array;
  let target: Deps;
  let imported: ReturnType<typeof importPackage>;
  beforeAll(async () => {
    s = await testService();
    await richAssembly(s);
    first = await exportOf(s.deps, s.assemblyId, async () => {
      const j = s.deps.jobs.list({ assemblyId: s.assemblyId, type: 'opendata.export', status: ['queued'] })[0];
      await runJob(s, j.id);
    });
    target = emptyInstance();
    imported = importPackage(admin(target), first);
  }, 60_000);

  it('loads the package as an archived assembly with the same slug', () => {
    expect(imported.slug).toBe('test-assembly');
    expect(imported.counts).toMatchObject({ pools: 1, conversations: 1, transcripts: 1, publications: 1, recommendations: 2, sessions: 2, ballots: 1, surveys: 1, debates: 3, impact: 1 });
  });

  it('exporting the archive again gives byte-identical CSV tables', async () => {
    const second = await exportOf(target, imported.assemblyId, async () => {
      while (await target.jobs.runNext());
    });
    const a = unpackZip(first), b = unpackZip(second);
    const csv = [...a.keys()].filter((k) => k.endsWith('.csv')).sort();
    expect(csv.length).toBeGreaterThanOrEqual(20);
    expect([...b.keys()].filter((k) => k.endsWith('.csv')).sort()).toEqual(csv);
    for (const k of csv) expect(b.get(k), k).toBe(a.get(k));
  });

  it('reproduces the public numbers: selection probabilities, quotas vs panel, draw, and the opinion groups', () => {
    // byValue lists the same numbers in the order people were stored: compare it sorted
    const norm = (t: ReturnType<typeof transparency>) => {
      for (const p of t.pools) p.probabilities?.byValue.sort((x, y) => `${x.category}/${x.value}`.localeCompare(`${y.category}/${y.value}`));
      return t;
    };
    const before = norm(transparency(admin(s.deps), 'test-assembly'));
    const after = norm(transparency(admin(target), 'test-assembly'));
    expect(before.pools[0].probabilities!.sorted.length).toBe(12);
    expect(after).toEqual(before);
    const groups = (deps: Deps, assemblyId: string) => {
      const c = conversationsRepo.forAssembly(deps.db, assemblyId)[0];
      const m = conversationsRepo.publishedMap(deps.db, c.id)!.body as { groups: Array<{ id: number; size: number; label: string }>; participants: Array<{ group: number }> };
      return { groups: m.groups.map((g) => [g.id, g.size, g.label]), perGroup: m.participants.map((p) => p.group).sort() };
    };
    const c0 = s.db.select().from(assemblies).all().find((x) => x.slug === 'test-assembly')!;
    expect(groups(target, imported.assemblyId)).toEqual(groups(s.deps, c0.id));
  });

  it('reproduces the impact statuses, progress and responses of the public impact page, and its feed entries', () => {
    const before = publicImpact(s.deps, 'test-assembly');
    const after = publicImpact(target, 'test-assembly');
    expect(before.items.map((x) => [x.status, x.progress])).toEqual([['in_progress', 25]]);
    expect({ ...after, assembly: null }).toEqual({ ...before, assembly: null });
    const feed = (deps: Deps, id: string) => feedEntries(deps, id).map(({ recommendationId: _r, ...e }) => e);
    expect(feed(target, imported.assemblyId)).toEqual(feed(s.deps, s.assemblyId));
    expect(feed(target, imported.assemblyId)).toHaveLength(2);
  });

  it('links each recommendation of the archive to its comment space again', () => {
    const recs = (deps: Deps, id: string) => recommendationsRepo.forAssembly(deps.db, id).map((r) => [r.title, r.debateId]).sort();
    expect(recs(target, imported.assemblyId)).toEqual(recs(s.deps, s.assemblyId));
    expect(recs(target, imported.assemblyId).every(([, d]) => d)).toBe(true);
  });

  it('reproduces the ballot tallies and the public list of ballots by receipt', () => {
    const b0 = listBallots(admin(s.deps), s.assemblyId);
    const b1 = listBallots(admin(target), imported.assemblyId);
    expect(b0).toHaveLength(1);
    expect(b0[0].result).toMatchObject({ voters: 1, winners: [b0[0].options[0].id] });
    const strip = (v: (typeof b0)[number]) => ({ ...v, assemblyId: null, hasVoted: null });
    expect(b1.map(strip)).toEqual(b0.map(strip));
    expect(publicList(admin(target), imported.assemblyId, b0[0].id).ballots).toEqual(publicList(admin(s.deps), s.assemblyId, b0[0].id).ballots);
  });

  it('refuses a second import of the same slug, writing nothing', () => {
    const n = target.db.select().from(assemblies).all().length;
    expect(() => importPackage(admin(target), first)).toThrow(/exists already/);
    expect(target.db.select().from(assemblies).all().length).toBe(n);
  });

  it('names the file, row and field of a value that does not match the schema, and writes nothing', () => {
    const files = unpackZip(first);
    const lines = files.get('sortition/people.csv')!.split('\n');
    const cells = lines[2].split(',');
    cells[4] = 'lots';
    lines[2] = cells.join(',');
    files.set('sortition/people.csv', lines.join('\n'));
    const fresh = emptyInstance();
    let err: AppError | null = null;
    try {
      importPackage(admin(fresh), packZip(files));
    } catch (e) {
      err = e as AppError;
    }
    expect(err?.code).toBe('VALIDATION');
    expect(err?.detail).toMatch(/sortition\/people\.csv row 3, field probability: 'lots' is not a number/);
    expect(fresh.db.select().from(assemblies).all()).toEqual([]);
  });

  it('names a dangling reference (a vote by an unknown participant)', () => {
    const files = unpackZip(first);
    files.set('conversations/votes.csv', files.get('conversations/votes.csv')!.replace(/\n(cv_[^,]+),(\d+),p[0-9a-f]+,/, '\n$1,$2,pffffffffffff,'));
    const fresh = emptyInstance();
    expect(() => importPackage(admin(fresh), packZip(files))).toThrow(/conversations\/votes\.csv row 2, field participant_id: refers to participant/);
    expect(fresh.db.select().from(assemblies).all()).toEqual([]);
  });

  it('names an impact entry of an unknown recommendation, a progress that is not an integer, and one that contradicts its status', () => {
    const files = unpackZip(first);
    files.set('impact/timeline.csv', files.get('impact/timeline.csv')!.replace(/\n([0-9a-f-]{36}),rec_[^,]+,/, '\n$1,rec_missing,'));
    const fresh = emptyInstance();
    expect(() => importPackage(admin(fresh), packZip(files))).toThrow(/impact\/timeline\.csv row 2, field recommendation_id: refers to recommendation rec_missing/);
    const bad = unpackZip(first);
    bad.set('impact/impact.csv', bad.get('impact/impact.csv')!.replace(',in_progress,25,', ',in_progress,25.5,'));
    expect(() => importPackage(admin(fresh), packZip(bad))).toThrow(/impact\/impact\.csv row 2, field progress: '25\.5' is not an integer/);
    bad.set('impact/impact.csv', unpackZip(first).get('impact/impact.csv')!.replace(',in_progress,25,', ',implemented,25,'));
    expect(() => importPackage(admin(fresh), packZip(bad))).toThrow(/impact\/impact\.csv row 2, field progress: 25 % does not fit the status implemented \(100–100 %\)/);
    expect(fresh.db.select().from(assemblies).all()).toEqual([]);
  });

  it('refuses path traversal and zip bombs before writing anything', () => {
    const fresh = emptyInstance();
    const evil = zipSync({ 'datapackage.json': strToU8('{}'), '../../etc/evil.csv': strToU8('x') });
    expect(() => importPackage(admin(fresh), evil)).toThrow(/leaves the package folder/);
    expect(() => importPackage(admin(fresh), zipSync({ '/abs.csv': strToU8('x') }))).toThrow(/absolute path/);
    // 8 MiB of zeros in a few kB: refused by the ratio long before it is all inflated
    const bomb = zipSync({ 'datapackage.json': new Uint8Array(8 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(40_000);
    expect(() => importPackage(admin(fresh), bomb)).toThrow(/zip bomb/);
    // and by the total size, whatever the ratio
    expect(() => importPackage(admin(fresh), first, { maxEntries: 1000, maxTotalBytes: 10_000, maxRatio: 1e9 })).toThrow(/inflates to more than 0.01 MiB/);
    expect(() => importPackage(admin(fresh), new Uint8Array([1, 2, 3]))).toThrow(/not a zip/);
    expect(fresh.db.select().from(assemblies).all()).toEqual([]);
  });
});
