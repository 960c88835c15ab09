import { beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import type { OpinionMapPayload } from '../conversations/domain.js';
import { pendingOpinionMap, postForm } from '../review/testing.js';
import type { ForecastPayload } from './forecast.js';

/**
 * The support forecast as a review item: requested for a ballot against a conversation's approved opinion map
 * (recommendations matched to statements by identical text), computed by the job from the members' votes, a draft
 * that members cannot see until a facilitator approves it, shown on the desk as members will see it, and refused
 * with a clear problem (nothing queued) on bad input.
 */
type Json = Record<string, any>;
let s: TestService;
let convId: string;
let stmts: Array<{ id: number; tid: number; text: string }>;
let ballotId: string;
let itemId: string;
const api = () => `/api/assemblies/${s.assemblyId}/ballots`;
const html = async (role: 'facilitator' | 'participant', path: string) => (await s.call(role, 'GET', path, undefined, { accept: 'text/html' })).text();

async function ok(res: Response, status = 200) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return text ? JSON.parse(text) : null;
}
async function problem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as { detail: string; code: string };
}
async function drain() {
  for (let i = 0; i < 20 && (await s.deps.jobs.runNext()); i++);
}
const jobCount = () => (s.db.$client.prepare("select count(*) as n from jobs where type = 'ballots.forecast'").get() as { n: number }).n;

beforeAll(async () => {
  s = await testService();
  const mapItem = await pendingOpinionMap(s, 'Our streets');
  await ok(await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/review/${mapItem}/approve`));
  convId = (s.deps.review.get(s.db, mapItem).payload as OpinionMapPayload).conversationId;
  stmts = await ok(await s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/conversations/${convId}/statements`));
  const b = await ok(
    await s.call('facilitator', 'POST', api(), {
      title: 'Final recommendations', method: 'threshold', threshold: 0.6, thresholdBase: 'cast', closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      // the first two are the statements' own words (matched); the third matches nothing
      options: [stmts[0].text.toUpperCase(), stmts[11].text, 'Free buses on Sundays'],
    }),
    201,
  );
  ballotId = b.id;
}, 60_000);

describe('ballot forecast: a reviewed prediction of support in every opinion group', () => {
  it('the job forecasts each linked recommendation per group from the members’ votes; a draft members cannot see', async () => {
    await problem(await s.call('participant', 'GET', `${api()}/${ballotId}/forecast`), 404);
    const job = await ok(await s.call('facilitator', 'POST', `${api()}/${ballotId}/forecast`, { conversationId: convId }), 202);
    const again = await ok(await s.call('facilitator', 'POST', `${api()}/${ballotId}/forecast`, { conversationId: convId }), 202);
    expect(again.id).toBe(job.id); // nothing changed: the same job
    await drain();
    expect(s.deps.jobs.get(job.id)!.status, String(s.deps.jobs.get(job.id)!.error)).toBe('succeeded');
    const items = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'ballot-forecast', status: ['pending'] });
    expect(items).toHaveLength(1);
    itemId = items[0].id;
    const f = items[0].payload as ForecastPayload;
    expect(f.threshold).toBe(0.6);
    expect(f.thresholdSource).toBe('ballot');
    expect(f.rows.map((r) => r.statementId)).toEqual([stmts[0].id, stmts[11].id, null]);
    expect(f.rows[2].clears).toBeNull();
    // recompute the first row by hand from the database: the approved map's groups and the votes on the statement
    const map = (s.db.$client.prepare('select body from published_maps where conversation_id = ?').get(convId) as { body: string }).body;
    const groupOf = new Map((JSON.parse(map) as OpinionMapPayload).participants.filter((p) => p.group >= 0).map((p) => [p.participantId, p.group]));
    const votes = s.db.$client.prepare('select participant_id as p, vote as v from votes where statement_id = ?').all(stmts[0].id) as Array<{ p: number; v: number }>;
    const overall = votes.filter((v) => v.v === 1).length / votes.length;
    expect(f.rows[0].votes).toBe(votes.length);
    for (const g of f.rows[0].groups) {
      const mine = votes.filter((v) => groupOf.get(v.p) === g.group);
      expect(g.votes).toBe(mine.length);
      expect(g.share).toBeCloseTo((mine.filter((v) => v.v === 1).length + 2 * overall) / (mine.length + 2), 3);
      expect(g.low).toBeLessThanOrEqual(g.share);
      expect(g.high).toBeGreaterThanOrEqual(g.share);
    }
    // two planted camps: one group agrees, the other disagrees, so no statement clears 60 % in every group
    const shares = f.rows[0].groups.map((g) => g.share).sort();
    expect(shares[0]).toBeLessThan(0.3);
    expect(shares[shares.length - 1]).toBeGreaterThan(0.7);
    expect(f.rows[0].clears).toBe(false);
    expect(f.rows[1].clears).toBe(false);
    expect(items[0].provenance).toMatchObject({ stage: 'ballots.forecast', inputHash: expect.stringMatching(/^[0-9a-f]{64}$/), params: { k: 2, threshold: 0.6, votesRead: expect.any(Number), voteWatermark: expect.any(Number) } });
    // members: nothing yet, in JSON or on the ballot page
    await problem(await s.call('participant', 'GET', `${api()}/${ballotId}/forecast`), 404);
    expect(await html('participant', `/a/${s.assemblyId}/ballots/${ballotId}`)).not.toContain('data-forecast');
    // the facilitator's ballot page links the draft
    expect(await html('facilitator', `/facilitate/${s.assemblyId}/ballots/${ballotId}`)).toContain(`/review/${itemId}`);
  });

  it('the desk shows the table as members will see it, in English and French, with no JSON', async () => {
    const en = await html('facilitator', `/facilitate/${s.assemblyId}/review/${itemId}?lang=en`);
    expect(en).toContain('data-forecast-table');
    expect(en).toContain('Clears 60 % in every group?');
    expect(en).toContain('No, unlikely');
    expect(en).toContain('Not linked to a statement');
    expect(en).toMatch(/Group A \(\d+ members\)/);
    expect(en).toContain('How this forecast was made');
    expect(en).toContain(`/review/${itemId}/approve`);
    const visible = en.replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"');
    expect(visible).not.toMatch(/"[\w$-]+"\s*:|\{\s*"|\[\s*\{/);
    const fr = await html('facilitator', `/facilitate/${s.assemblyId}/review/${itemId}?lang=fr`);
    expect(fr).toContain('Atteint 60 % dans chaque groupe ?');
    expect(fr).toContain('Prévision, pas un résultat');
    expect(fr).not.toContain('ballots.forecast.');
    expect(fr).not.toContain('Clears');
  });

  it('a bad edit is refused on the desk with a sentence and writes nothing; a good one publishes the edited forecast', async () => {
    const bad = await postForm(s, `/facilitate/${s.assemblyId}/review/${itemId}/edit`, [['note', 'x']]);
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Keep at least one recommendation');
    expect(s.deps.review.get(s.db, itemId).status).toBe('pending');
    const good = await postForm(s, `/facilitate/${s.assemblyId}/review/${itemId}/edit`, [['note', 'Read with care: few votes so far.'], ['keep', 'o1'], ['keep', 'o2']]);
    expect(good.status).toBe(303);
    const pub = await ok(await s.call('participant', 'GET', `${api()}/${ballotId}/forecast`));
    expect(pub.edited).toBe(true);
    expect(pub.forecast.rows.map((r: Json) => r.optionId)).toEqual(['o1', 'o2']);
    expect(pub.provenance.inputHash).toMatch(/^[0-9a-f]{64}$/);
    const page = await html('participant', `/a/${s.assemblyId}/ballots/${ballotId}`);
    expect(page).toContain('data-forecast');
    expect(page).toContain('Forecast, not a result');
    expect(page).toContain('Read with care: few votes so far.');
    expect(page).toContain(pub.provenance.inputHash.slice(0, 16));
    const fr = await html('participant', `/a/${s.assemblyId}/ballots/${ballotId}?lang=fr`);
    expect(fr).toContain('vérifiée, modifiée et approuvée');
  });

  it('refuses bad requests with a clear problem and queues nothing', async () => {
    const before = jobCount();
    const post = (body: unknown, id = ballotId) => s.call('facilitator', 'POST', `${api()}/${id}/forecast`, body);
    expect((await problem(await post({ conversationId: 'nope' }), 404)).detail).toContain('does not exist');
    const bare = await ok(await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/conversations`, { topic: 'No map yet' }), 201);
    expect((await problem(await post({ conversationId: bare.id }), 412)).detail).toContain('no approved opinion map');
    expect((await problem(await post({ conversationId: convId, threshold: 1.5 }), 422)).detail).toContain('between 0 and 100');
    expect((await problem(await post({ conversationId: convId, links: [{ optionId: 'o9', statementId: stmts[0].id }] }), 422)).detail).toContain("no option 'o9'");
    expect((await problem(await post({ conversationId: convId, links: [{ optionId: 'o1', statementId: 999_999 }] }), 422)).detail).toContain('not a statement of this conversation');
    expect((await problem(await post({ conversationId: convId, links: [{ optionId: 'o1', statementId: null }, { optionId: 'o2', statementId: null }] }), 422)).detail).toContain('No recommendation is linked');
    await problem(await post({ conversationId: convId, surprise: 1 }), 422);
    const approval = await ok(await s.call('facilitator', 'POST', api(), { title: 'Approval', method: 'approval', options: [stmts[0].text, 'Other'], closesAt: new Date(Date.now() + 86_400_000).toISOString() }), 201);
    expect((await problem(await post({ conversationId: convId }, approval.id), 422)).detail).toContain('no support threshold');
    expect((await ok(await post({ conversationId: convId, threshold: 0.5 }, approval.id), 202)).status).toBe('queued');
    await ok(await s.call('facilitator', 'POST', `${api()}/${approval.id}/close`));
    expect((await problem(await post({ conversationId: convId, threshold: 0.5 }, approval.id), 409)).detail).toContain('closed');
    expect((await problem(await s.call('participant', 'POST', `${api()}/${ballotId}/forecast`, { conversationId: convId }), 403)).code).toBe('FORBIDDEN');
    expect(jobCount()).toBe(before + 1);
    // the page form says it in the reader's language
    const fr = await postForm(s, `/facilitate/${s.assemblyId}/ballots/${ballotId}/forecast?lang=fr`, [['conversationId', bare.id], ['threshold', '60']]);
    expect(fr.status).toBe(412);
    expect(await fr.text()).toContain('n’a pas encore de carte des opinions approuvée');
  });
});
