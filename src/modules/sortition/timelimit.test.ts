import { beforeAll, describe, expect, it } from 'vitest';
import { ColumnGenerationTimeout, generatePool, poolToCsv } from '../../../pipelines/sortition/index.js';
import { testService, type TestService } from '../../testing/service.js';
import { sortitionProblem } from './domain.js';

/** The organiser's LEXIMIN time limit: past it, the run fails with what to relax; the API maps it to problem+json. */
describe('sortition time limit', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await testService();
  });
  const api = () => `/api/assemblies/${s.assemblyId}/sortition`;

  it('a run past timeLimitSeconds ends failed with a message saying what to relax, and no result', async () => {
    const g = generatePool({ people: 600, panelSize: 60, seed: 'time-limit' });
    const csv = poolToCsv(g);
    const fd = new FormData();
    fd.append('people', new Blob([csv.respondents], { type: 'text/csv' }), 'people.csv');
    fd.append('quotas', new Blob([csv.categories], { type: 'text/csv' }), 'quotas.csv');
    fd.append('panelSize', '60');
    const imp = await s.app.request(`${api()}/imports`, { method: 'POST', body: fd, headers: { authorization: `Bearer ${s.tokens.facilitator}` } });
    expect(imp.status).toBe(201);
    const pool = (await imp.json()) as { id: string };
    const bad = await s.call('facilitator', 'POST', `${api()}/pools/${pool.id}/runs`, { algorithm: 'leximin', timeLimitSeconds: 0 });
    expect(bad.status).toBe(422);
    const res = await s.call('facilitator', 'POST', `${api()}/pools/${pool.id}/runs`, { algorithm: 'leximin', timeLimitSeconds: 1 });
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    const job = await s.deps.jobs.runNext();
    expect(job?.status).toBe('succeeded');
    const run = (await (await s.call('facilitator', 'GET', `${api()}/runs/${runId}`)).json()) as { status: string; error: string | null; probabilities: unknown; lottery: unknown };
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/did not finish within the time limit of 1 s/);
    expect(run.error).toMatch(/raise the time limit, widen the tightest quotas/);
    expect(run.probabilities).toBeNull();
    expect(run.lottery).toBeNull();
  });

  it('maps the timeout to a 412 problem naming the time limit', () => {
    const e = new ColumnGenerationTimeout(600, { levels: 3, fixedGroups: 40, groups: 900, panels: 1200, lastLevelValue: 0.03, currentLower: 0.031, currentUpper: 0.032 });
    const p = sortitionProblem(e);
    expect(p.status).toBe(412);
    expect(p.detail).toMatch(/600 s \(stopped after 600 s\): 3 level\(s\) done, 40 of 900 groups .* at most 3\.200 % possible/);
    expect(JSON.stringify(p.extra)).toMatch(/timeLimitSeconds/);
  });
});
