import { beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { runJob } from './testkit.js';
import { unpackZip } from './zip.js';

const base = (s: TestService) => `/api/assemblies/${s.assemblyId}/opendata`;

describe('open data over HTTP', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await testService();
  });

  it('an export asked for twice at once makes one job', async () => {
    const [a, b] = await Promise.all([s.call('facilitator', 'POST', `${base(s)}/exports`, {}), s.call('admin', 'POST', `${base(s)}/exports`, { status: 'final' })]);
    expect([a.status, b.status]).toEqual([202, 202]);
    const ja = (await a.json()) as { job: { id: string }; reused: boolean };
    const jb = (await b.json()) as { job: { id: string }; reused: boolean };
    expect(jb.job.id).toBe(ja.job.id);
    expect([ja.reused, jb.reused]).toEqual([false, true]);
    expect(s.deps.jobs.list({ assemblyId: s.assemblyId, type: 'opendata.export' })).toHaveLength(1);
    expect((await runJob(s, ja.job.id)).status).toBe('succeeded');
  });

  it('nothing is public until the organiser publishes; then the public page links the zip', async () => {
    const list = (await (await s.call('researcher', 'GET', `${base(s)}/exports`)).json()) as Array<{ id: string; status: string; sha256: string }>;
    expect(list).toHaveLength(1);
    expect(list[0].status).toBe('in-progress');
    expect((await s.call('public', 'GET', '/api/public/assemblies/test-assembly/opendata/download')).status).toBe(404);
    expect(await (await s.call('public', 'GET', '/p/test-assembly/sortition')).text()).not.toContain('data-testid="opendata-link"');
    let html = await (await s.call('public', 'GET', '/p/test-assembly/opendata?lang=fr')).text();
    expect(html).toContain('pas encore publié');
    expect((await s.call('researcher', 'POST', `${base(s)}/exports/${list[0].id}/publication`, { published: true })).status).toBe(403);
    expect((await s.call('facilitator', 'POST', `${base(s)}/exports/${list[0].id}/publication`, { published: true })).status).toBe(200);
    expect(await (await s.call('public', 'GET', '/p/test-assembly/sortition')).text()).toContain('href="/p/test-assembly/opendata"');
    html = await (await s.call('public', 'GET', '/p/test-assembly/opendata')).text();
    expect(html).toContain('/api/public/assemblies/test-assembly/opendata/download');
    expect(html).toContain('Interim');
    const res = await s.call('public', 'GET', '/api/public/assemblies/test-assembly/opendata/download');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('x-content-sha256')).toBe(list[0].sha256);
    const files = unpackZip(new Uint8Array(await res.arrayBuffer()));
    expect(JSON.parse(files.get('assembly.json')!).slug).toBe('test-assembly');
  });

  it('import: admin only; a bad package is answered with problem+json naming the problem', async () => {
    const zip = new Uint8Array(await (await s.call('public', 'GET', '/api/public/assemblies/test-assembly/opendata/download')).arrayBuffer());
    const post = (role: 'admin' | 'facilitator', body: Uint8Array) =>
      s.app.request('/api/opendata/imports', { method: 'POST', body: body as Uint8Array<ArrayBuffer>, headers: { authorization: `Bearer ${s.tokens[role]}`, 'content-type': 'application/zip' } });
    expect((await post('facilitator', zip)).status).toBe(403);
    const dup = await post('admin', zip);
    expect(dup.status).toBe(409);
    expect(dup.headers.get('content-type')).toContain('application/problem+json');
    const junk = await post('admin', new TextEncoder().encode('not a zip at all, just text'));
    expect(junk.status).toBe(422);
    expect(((await junk.json()) as { detail: string }).detail).toMatch(/not a zip archive/);
  });
});
