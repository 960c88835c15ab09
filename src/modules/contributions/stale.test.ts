/**
 * Issue 6: when a newer text map of a scope is approved, what participants read of that scope describes the new
 * map only — summaries (with their translations) and consensus candidates of the older map are withdrawn, and so
 * are summaries of clusters a revision merged or split away.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { publications } from '../../platform/db/schema.js';
import { verifyAudit } from '../../platform/audit/audit.js';
import type { TextMapPayload } from './domain.js';
import { replaceContributionsFromTranscript } from './service.js';

const FIXTURE = JSON.parse(readFileSync(new URL('../../../fixtures/text-map/contributions.json', import.meta.url), 'utf8')) as { contributions: Array<{ id: string; lang: string; text: string }> };
const api = (s: TestService, rest: string) => `/api/assemblies/${s.assemblyId}${rest}`;

async function drain(s: TestService, type: string) {
  for (;;) {
    const next = s.deps.jobs.list({ status: 'queued' }).filter((j) => j.type === type);
    if (next.length === 0) return;
    await s.deps.jobs.runNext();
  }
}

interface MapResult {
  mapItemId: string;
  summaryItemIds: string[];
  consensusItemId: string | null;
}

async function mapRun(s: TestService, body: Record<string, unknown> = { mode: 'semantic' }): Promise<MapResult> {
  const res = await s.call('facilitator', 'POST', api(s, '/text-maps'), body);
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await drain(s, 'contributions.map');
  const job = s.deps.jobs.list({ type: 'contributions.map' }).find((j) => j.id === id)!;
  expect(job.status).toBe('succeeded');
  return job.result as MapResult;
}

const approve = async (s: TestService, id: string) => expect((await s.call('facilitator', 'POST', api(s, `/review/${id}/approve`))).status).toBe(200);
const seen = async (s: TestService, lang = 'en') =>
  (await (await s.call('participant', 'GET', api(s, `/summaries?lang=${lang}`))).json()) as { summaries: Array<{ subject: string; origin: string; sentences: Array<{ text: string }> }>; consensus: unknown[] };
const clusterOf = (s: TestService, itemId: string) => s.deps.review.get(s.db, itemId).subject.split(':').pop()!;

describe('stale summaries when a newer map is approved', () => {
  it('participants see the new map’s summaries, not the old one’s (translations and consensus included)', async () => {
    const s = await testService();
    for (const c of FIXTURE.contributions.slice(0, 40)) await s.call('participant', 'POST', api(s, '/contributions'), { text: c.text });
    const a = await mapRun(s);
    await approve(s, a.mapItemId);
    await approve(s, a.summaryItemIds[0]);
    if (a.consensusItemId) await approve(s, a.consensusItemId);
    await drain(s, 'publications.translate');
    const tr = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'translation', status: ['pending'] });
    expect(tr.length).toBe(1);
    await approve(s, tr[0].id);
    const oldSubject = s.deps.review.get(s.db, a.summaryItemIds[0]).subject;
    // the summary quotes contributions in their own language: the translation goes to the other assembly language
    const to = (tr[0].payload as { language: string }).language;
    let view = await seen(s, to);
    expect(view.summaries.map((x) => x.subject)).toEqual([oldSubject]);
    expect(view.summaries[0].origin).toBe('machine-translated');
    const consensusBefore = view.consensus.length;
    expect(consensusBefore).toBe(a.consensusItemId ? (await seen(s)).consensus.length : 0);

    // a newer map of the same contributions (and some more) is made; until it is approved, the old one stands
    for (const c of FIXTURE.contributions.slice(40, 50)) await s.call('participant', 'POST', api(s, '/contributions'), { text: c.text });
    const b = await mapRun(s);
    expect((await seen(s)).summaries).toHaveLength(1);
    await approve(s, b.mapItemId);
    view = await seen(s, to);
    expect(view.summaries).toHaveLength(0); // the old summary and its translation are withdrawn
    expect(view.consensus).toHaveLength(0);
    expect(s.db.select().from(publications).all().filter((p) => p.subject === oldSubject)).toHaveLength(0);
    expect((await (await s.call('participant', 'GET', api(s, '/publications'))).json()) as unknown[]).toHaveLength(0);

    // the new map's summaries appear once approved
    await approve(s, b.summaryItemIds[1]);
    view = await seen(s);
    expect(view.summaries.map((x) => x.subject)).toEqual([s.deps.review.get(s.db, b.summaryItemIds[1]).subject]);
    expect(verifyAudit(s.db).ok).toBe(true);
  });

  it('drafts of the older map still pending are superseded when the newer map is approved, and cannot be published later', async () => {
    const s = await testService();
    for (const c of FIXTURE.contributions.slice(0, 40)) await s.call('participant', 'POST', api(s, '/contributions'), { text: c.text });
    const a = await mapRun(s);
    await approve(s, a.mapItemId);
    await approve(s, a.summaryItemIds[0]);
    await drain(s, 'publications.translate');
    const pendingTranslation = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'translation', status: ['pending'] })[0];
    expect(pendingTranslation.subject).toMatch(/@(fr|en)$/); // one draft per target language
    const stillPending = a.summaryItemIds.slice(1);
    expect(stillPending.length).toBeGreaterThan(0);

    const b = await mapRun(s);
    await approve(s, b.mapItemId);
    for (const id of [...stillPending, pendingTranslation.id, ...(a.consensusItemId && a.consensusItemId !== b.consensusItemId ? [a.consensusItemId] : [])]) {
      const item = s.deps.review.get(s.db, id);
      expect(item.status === 'superseded', `${item.kind} ${id} is ${item.status}`).toBe(true);
      const res = await s.call('facilitator', 'POST', api(s, `/review/${id}/approve`));
      expect(res.status).toBe(409);
    }
    expect((await seen(s)).summaries).toHaveLength(0);
    expect((await seen(s, 'fr')).summaries).toHaveLength(0);
    // the newer map's own drafts are untouched
    for (const id of b.summaryItemIds) expect(s.deps.review.get(s.db, id).status).toBe('pending');
    expect(verifyAudit(s.db).ok).toBe(true);
  });

  it('approving a revision withdraws summaries of merged-away clusters and keeps the others', async () => {
    const s = await testService();
    for (const c of FIXTURE.contributions) await s.call('participant', 'POST', api(s, '/contributions'), { text: c.text });
    const a = await mapRun(s, { mode: 'semantic', k: 3 });
    const payload = s.deps.review.get(s.db, a.mapItemId).payload as TextMapPayload;
    const tops = payload.clusters.filter((c) => c.level === 1).map((c) => c.id);
    expect(tops).toHaveLength(3);
    await approve(s, a.mapItemId);
    for (const id of a.summaryItemIds) await approve(s, id);
    expect((await seen(s)).summaries).toHaveLength(3);
    const merged = (await (await s.call('facilitator', 'POST', api(s, `/text-maps/${a.mapItemId}/revise`), { op: 'merge', clusterIds: [tops[0], tops[1]] })).json()) as { item: { id: string } };
    await approve(s, merged.item.id);
    const kept = (await seen(s)).summaries.map((x) => x.subject.split(':').pop());
    expect(kept).toEqual([tops[2]]);
    expect(a.summaryItemIds.map((id) => clusterOf(s, id))).toEqual(expect.arrayContaining(tops));
  });
});

describe('contributions removed when a transcript is approved again', () => {
  it('withdraws what cites a removed turn (summaries with their translations, drafts) and keeps what does not', async () => {
    const s = await testService();
    const turns = FIXTURE.contributions.slice(0, 12).map((c, i) => ({ id: i, text: c.text }));
    const replace = (ts: typeof turns, approvedBy: string) =>
      s.db.transaction((tx) => replaceContributionsFromTranscript(tx, s.deps.jobs, s.deps.review, { assemblyId: s.assemblyId, transcriptId: 'breakout:g1', language: 'en', turns: ts, approvedBy }));
    replace(turns, 'review:first');
    for (const c of FIXTURE.contributions.slice(12, 40)) await s.call('participant', 'POST', api(s, '/contributions'), { text: c.text });
    const ids = (s.db.$client.prepare("select id, external_id from contributions where external_id like 'transcript:%'").all() as { id: string; external_id: string }[]);
    expect(ids).toHaveLength(12);
    const a = await mapRun(s);
    await approve(s, a.mapItemId);
    // approve every summary but the last, which stays a pending draft
    for (const id of a.summaryItemIds.slice(0, -1)) await approve(s, id);
    await drain(s, 'publications.translate');
    for (const t of s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'translation', status: ['pending'] })) await approve(s, t.id);
    const cites = (body: unknown, set: Set<string>) => JSON.stringify(body).split('"').some((x) => set.has(x));
    // the turns cited by the first approved summary are reworded in the corrected transcript
    const firstBody = s.deps.review.get(s.db, a.summaryItemIds[0]).payload;
    const citedTurns = ids.filter((r) => cites(firstBody, new Set([r.id])));
    expect(citedTurns.length).toBeGreaterThan(0);
    const reworded = new Set(citedTurns.map((r) => Number(r.external_id.split(':').pop())));
    const removed = new Set(citedTurns.map((r) => r.id));
    const pubsBefore = s.db.select().from(publications).all();
    const citingBefore = pubsBefore.filter((p) => cites(p.body, removed) || pubsBefore.some((o) => cites(o.body, removed) && (p.body as { sourcePublicationId?: string }).sourcePublicationId === o.id));
    const othersBefore = pubsBefore.filter((p) => !citingBefore.includes(p));
    expect(citingBefore.length).toBeGreaterThanOrEqual(2); // the summary and its machine translation
    const out = replace(turns.map((t) => (reworded.has(t.id) ? { ...t, text: `${t.text} (corrected)` } : t)), a.mapItemId);
    expect(out.removed.sort()).toEqual([...removed].sort());
    const pubsAfter = s.db.select().from(publications).all();
    expect(pubsAfter.filter((p) => cites(p.body, removed))).toHaveLength(0);
    expect(pubsAfter.map((p) => p.id).sort()).toEqual(othersBefore.map((p) => p.id).sort());
    expect(out.withdrawn.publications.sort()).toEqual(citingBefore.map((p) => p.id).sort());
    // a pending draft that cites a removed turn can no longer be approved
    const last = s.deps.review.get(s.db, a.summaryItemIds[a.summaryItemIds.length - 1]);
    expect(last.status).toBe(cites(last.payload, removed) ? 'superseded' : 'pending');
    for (const id of out.withdrawn.superseded) expect(cites(s.deps.review.get(s.db, id).payload, removed)).toBe(true);
    expect(verifyAudit(s.db).ok).toBe(true);
  });
});
