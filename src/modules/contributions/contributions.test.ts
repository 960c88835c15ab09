import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeRegistry } from '../../../models/testing.js';
import { testService, type TestService } from '../../testing/service.js';
import { verifyAudit } from '../../platform/audit/audit.js';
import { publications } from '../../platform/db/schema.js';
import { modelCacheRepo } from './repo.js';
import { EMBEDDING_CACHE, TRANSLATION_CACHE } from './jobs.js';
import type { TextMapPayload } from './domain.js';
import { addContributionsFromTranscript } from './service.js';

const FIXTURE = JSON.parse(readFileSync(new URL('../../../fixtures/text-map/contributions.json', import.meta.url), 'utf8')) as { contributions: Array<{ id: string; topic: string; lang: string; text: string }> };
const POLIS_COMMENTS = new URL('../../../fixtures/polis/15-per-hour-seattle/comments.csv', import.meta.url);

const api = (s: TestService, rest: string) => `/api/assemblies/${s.assemblyId}${rest}`;

async function upload(s: TestService, query: string, body: string | Uint8Array, role: 'facilitator' | 'participant' = 'facilitator') {
  return s.app.request(api(s, `/contributions/imports?${query}`), { method: 'POST', headers: { authorization: `Bearer ${s.tokens[role]}`, 'content-type': 'text/csv' }, body: body as BodyInit });
}

async function drain(s: TestService, type?: string) {
  const done = [];
  for (;;) {
    const next = s.deps.jobs.list({ status: 'queued' }).filter((j) => !type || j.type === type);
    if (next.length === 0) return done;
    const j = await s.deps.jobs.runNext();
    if (!j) return done;
    done.push(j);
  }
}

/** the fixture as JSONL, without languages (detected in a job) */
const jsonl = (items = FIXTURE.contributions) => items.map((c) => JSON.stringify({ id: c.id, body: c.text })).join('\n');

describe('submitting contributions', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await testService();
  });

  it('a participant submits one; its language is detected and only their own text comes back', async () => {
    const res = await s.call('participant', 'POST', api(s, '/contributions'), { text: '  Nous voulons plus de pistes cyclables dans le centre.  ' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.text).toBe('Nous voulons plus de pistes cyclables dans le centre.');
    expect(Object.keys(body).sort()).toEqual(['createdAt', 'id', 'language', 'text', 'topic']); // its language, so pages can mark it (lang="…")
    const staff = (await (await s.call('facilitator', 'GET', api(s, '/contributions'))).json()) as { items: Array<{ id: string; language: string; source: string }> };
    expect(staff.items.find((i) => i.id === body.id)).toMatchObject({ language: 'fr', source: 'participant' });
    const mine = (await (await s.call('participant', 'GET', api(s, '/contributions/mine'))).json()) as Array<{ id: string }>;
    expect(mine.map((m) => m.id)).toContain(body.id);
  });

  it('rejects empty, enormous and badly encoded text with clear problems', async () => {
    const cases: Array<[string, RegExp]> = [
      ['   ', /is empty/],
      ['x'.repeat(5001), /5001 characters long; the limit is 5000/],
      ['Le caf\uFFFD est froid', /U\+FFFD/],
      ['Le cafÃ© est froid', /Latin-1/],
    ];
    for (const [text, re] of cases) {
      const res = await s.call('participant', 'POST', api(s, '/contributions'), { text });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { detail: string }).detail).toMatch(re);
    }
    expect((await s.call('participant', 'POST', api(s, '/contributions'), { text: 'hi', extra: 1 })).status).toBe(422);
    expect((await s.call('public', 'POST', api(s, '/contributions'), { text: 'hello' })).status).toBe(401);
    expect((await s.call('participant', 'POST', `/api/assemblies/${s.otherAssemblyId}/contributions`, { text: 'hello' })).status).toBe(403);
  });

  it('groups near-duplicates instead of dropping them', async () => {
    const a = (await (await s.call('participant', 'POST', api(s, '/contributions'), { text: 'Free buses for students!' })).json()) as { id: string };
    const b = (await (await s.call('participant', 'POST', api(s, '/contributions'), { text: 'free buses, for STUDENTS' })).json()) as { id: string };
    const c = (await (await s.call('participant', 'POST', api(s, '/contributions'), { text: 'Free buses for pensioners' })).json()) as { id: string };
    const staff = (await (await s.call('facilitator', 'GET', api(s, '/contributions'))).json()) as { items: Array<{ id: string; duplicateOf: string | null }> };
    const by = new Map(staff.items.map((i) => [i.id, i.duplicateOf]));
    expect(by.get(a.id)).toBeNull();
    expect(by.get(b.id)).toBe(a.id);
    expect(by.get(c.id)).toBeNull();
  });

  it('flags (and keeps) a language the assembly does not work in', async () => {
    const s2 = await testService({ models: createFakeRegistry({ languageId: { provenance: { task: 'languageId', backend: 'fake', modelId: 'de', version: '0', weightsSha256: null, params: {} }, identify: async (t) => ({ output: t.map(() => ({ lang: 'de', confidence: 0.95 })), provenance: { task: 'languageId', backend: 'fake', modelId: 'de', version: '0', weightsSha256: null, params: {} } }) } }) });
    const res = await s2.call('participant', 'POST', api(s2, '/contributions'), { text: 'Mehr Busse in der Nacht, bitte.' });
    expect(res.status).toBe(201);
    const staff = (await (await s2.call('facilitator', 'GET', api(s2, '/contributions'))).json()) as { items: Array<{ language: string; flags: string[] }> };
    expect(staff.items[0]).toMatchObject({ language: 'de', flags: ['unsupported-language'] });
  });

  it('is rate limited as a public write', async () => {
    const s3 = await testService({ config: { publicWriteRateLimit: 3 } });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await s3.call('participant', 'POST', api(s3, '/contributions'), { text: `idea number ${i}` })).status);
    expect(codes).toEqual([201, 201, 201, 429, 429]);
  });
});

describe('imports', () => {
  it('imports a CSV with named columns, all or nothing, then detects languages in a job', async () => {
    const s = await testService();
    const csv = 'ref,comment,who\nr1,"Plus de bus le soir, c\'est urgent",p1\nr2,More trees in the parks,p2\nr3,more trees in the parks!,p3\n';
    const res = await upload(s, 'format=csv&textColumn=comment&idColumn=ref&authorColumn=who&topic=transport', csv);
    expect(res.status).toBe(201);
    const out = (await res.json()) as { imported: number; duplicates: number; languageJobId: string };
    expect(out).toMatchObject({ imported: 3, duplicates: 1 });
    expect(out.languageJobId).toBeTruthy();
    const jobs = await drain(s);
    expect(jobs.map((j) => [j.type, j.status])).toEqual([['contributions.detect', 'succeeded']]);
    const staff = (await (await s.call('facilitator', 'GET', api(s, '/contributions?topic=transport'))).json()) as { total: number; items: Array<{ externalId: string; language: string; authorLabel: string; topic: string }> };
    expect(staff.total).toBe(3);
    expect(Object.fromEntries(staff.items.map((i) => [i.externalId, i.language]))).toEqual({ 'csv:r1': 'fr', 'csv:r2': 'en', 'csv:r3': 'en' });
    // the same ids again: nothing is imported
    const again = await upload(s, 'format=csv&textColumn=comment&idColumn=ref', csv);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { detail: string }).detail).toMatch(/3 id\(s\) were imported before \(r1, r2, r3\)/);
    expect(((await (await s.call('facilitator', 'GET', api(s, '/contributions'))).json()) as { total: number }).total).toBe(3);
    expect(verifyAudit(s.db).ok).toBe(true);
  });

  it('groups near-duplicates that differ by a word (MinHash) in the import job', async () => {
    const s = await testService();
    const long = 'The council should open the swimming pool earlier in the morning so that people who work shifts can swim before their day starts and families can use it at weekends without queues';
    const csv = `text\n"${long} today"\n"${long} tomorrow"\nSomething else entirely about parks and trees in the city\n`;
    expect((await upload(s, 'format=csv&textColumn=text', csv)).status).toBe(201);
    const before = (await (await s.call('facilitator', 'GET', api(s, '/contributions'))).json()) as { items: Array<{ id: string; text: string; duplicateOf: string | null }> };
    expect(before.items.every((i) => i.duplicateOf === null)).toBe(true); // not identical after normalising
    await drain(s);
    const after = (await (await s.call('facilitator', 'GET', api(s, '/contributions'))).json()) as typeof before;
    const a = after.items.find((i) => i.text.endsWith('today'))!;
    const b = after.items.find((i) => i.text.endsWith('tomorrow'))!;
    expect(b.duplicateOf).toBe(a.id);
    expect(after.items.find((i) => i.text.startsWith('Something'))!.duplicateOf).toBeNull();
  });

  it('rejects a CSV without the named column, with broken encoding or with one bad row, importing nothing', async () => {
    const s = await testService();
    const count = async () => ((await (await s.call('facilitator', 'GET', api(s, '/contributions'))).json()) as { total: number }).total;
    let res = await upload(s, 'format=csv&textColumn=text', 'id,body\n1,hello\n');
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/no column "text" \(text\)\. Its columns are: "id", "body"/);
    const latin1 = new Uint8Array([...new TextEncoder().encode('text\nhello\ncaf'), 0xe9, 0x0a]);
    res = await upload(s, 'format=csv&textColumn=text', latin1);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/not valid UTF-8 .* on line 3/);
    res = await upload(s, 'format=csv&textColumn=text', `text\nfine\nalso fine\n${'y'.repeat(6000)}\n`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual(['line 4']);
    res = await upload(s, 'format=csv', 'text\nhello\n');
    expect(res.status).toBe(422);
    expect(await count()).toBe(0);
    // participants cannot import
    expect((await upload(s, 'format=csv&textColumn=text', 'text\nhello\n', 'participant')).status).toBe(403);
  });

  it('imports JSONL through a multipart form', async () => {
    const s = await testService();
    const fd = new FormData();
    fd.set('file', new Blob([jsonl(FIXTURE.contributions.slice(0, 5))], { type: 'application/x-ndjson' }), 'c.jsonl');
    fd.set('format', 'jsonl');
    fd.set('textColumn', 'body');
    fd.set('idColumn', 'id');
    const res = await s.app.request(api(s, '/contributions/imports'), { method: 'POST', headers: { authorization: `Bearer ${s.tokens.facilitator}` }, body: fd });
    expect(await res.text()).toMatch(/"imported":5/);
    expect(res.status).toBe(201);
  });

  it('imports a Pol.is comments.csv (fixture), keeping attribution and skipping moderated-out comments', async () => {
    const s = await testService();
    const text = readFileSync(POLIS_COMMENTS, 'utf8');
    const res = await upload(s, 'format=polis', text);
    expect(res.status).toBe(201);
    const out = (await res.json()) as { imported: number; skippedModerated: number; attribution: string };
    // 54 comments (some span several lines), 23 of them moderated out (-1): counted with Python's csv module
    expect(out.skippedModerated).toBe(23);
    expect(out.imported).toBe(31);
    expect(out.attribution).toMatch(/Computational Democracy Project/);
    const staff = (await (await s.call('facilitator', 'GET', api(s, '/contributions?limit=1000'))).json()) as { items: Array<{ externalId: string; text: string; source: string }> };
    expect(staff.items.find((i) => i.externalId === 'polis:36')?.text).toBe('It\'s just going to speed up the adoption of robotics in industries with unskilled or low-skilled workers.');
    expect(new Set(staff.items.map((i) => i.source))).toEqual(new Set(['polis']));
  });

  it('adds the turns of an approved transcript, once', async () => {
    const s = await testService();
    const turns = [
      { id: 1, text: 'We should keep the library open on Sundays.', speaker: 'S1' },
      { id: 2, text: '   ' },
      { id: 3, text: 'The library is too noisy. '.repeat(300) },
    ];
    const r1 = s.db.transaction((tx) => addContributionsFromTranscript(tx, s.deps.jobs, { assemblyId: s.assemblyId, transcriptId: 'tr_1', language: 'en', turns }));
    expect(r1.ids.length).toBeGreaterThanOrEqual(3); // turn 3 is split under the 5,000-character limit
    const r2 = s.db.transaction((tx) => addContributionsFromTranscript(tx, s.deps.jobs, { assemblyId: s.assemblyId, transcriptId: 'tr_1', language: 'en', turns }));
    expect(r2.ids).toEqual([]);
    const staff = (await (await s.call('facilitator', 'GET', api(s, '/contributions'))).json()) as { total: number; items: Array<{ text: string; source: string; authorLabel: string | null }> };
    expect(staff.total).toBe(r1.ids.length);
    for (const i of staff.items) expect(i.text.length).toBeLessThanOrEqual(5000);
    expect(staff.items.every((i) => i.source === 'transcript')).toBe(true);
    expect(s.deps.jobs.list({ type: 'contributions.detect' })).toHaveLength(0); // language given
  });
});

describe('the text map job (fake models)', () => {
  let s: TestService;
  let first: { mapItemId: string; summaryItemIds: string[]; consensusItemId: string | null; cache: Record<string, number>; mode: string; clusters: number };
  beforeAll(async () => {
    s = await testService();
    expect((await upload(s, 'format=jsonl&textColumn=body&idColumn=id', jsonl())).status).toBe(201);
    await drain(s);
    const res = await s.call('facilitator', 'POST', api(s, '/text-maps'), { mode: 'semantic' });
    expect(res.status).toBe(202);
    const [job] = await drain(s, 'contributions.map');
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    first = job.result as typeof first;
  });

  it('submits the map, one cited summary per cluster and consensus candidates, with provenance', async () => {
    expect(first.mode).toBe('semantic');
    expect(first.clusters).toBeGreaterThanOrEqual(2);
    const map = s.deps.review.get(s.db, first.mapItemId);
    expect(map.kind).toBe('text-map');
    expect(map.status).toBe('pending');
    const payload = map.payload as TextMapPayload;
    expect(payload.points).toHaveLength(FIXTURE.contributions.length);
    const tops = payload.clusters.filter((c) => c.level === 1);
    expect(tops).toHaveLength(first.clusters);
    expect(tops.reduce((a, c) => a + c.size, 0)).toBe(FIXTURE.contributions.length);
    for (const c of tops) {
      expect(c.label.length).toBeGreaterThan(0);
      expect(c.keywords.length).toBeGreaterThan(0);
      expect(c.representativeIds.every((id) => c.memberIds.includes(id))).toBe(true);
    }
    expect(map.provenance).toMatchObject({ stage: 'contributions.map', version: expect.any(String), inputHash: expect.any(String) });
    expect((map.provenance as { modelIds: string[] }).modelIds).toEqual(expect.arrayContaining(['fake-embedder', 'fake-translator']));
    // summaries: 100 % of cited ids exist and belong to the cluster
    expect(first.summaryItemIds).toHaveLength(tops.length);
    const ids = new Set((await (await s.call('facilitator', 'GET', api(s, '/contributions?limit=1000'))).json() as { items: Array<{ id: string }> }).items.map((i) => i.id));
    for (const sid of first.summaryItemIds) {
      const item = s.deps.review.get(s.db, sid);
      expect(item.kind).toBe('summary');
      const clusterId = item.subject.split(':').pop()!;
      const members = new Set(tops.find((c) => c.id === clusterId)!.memberIds);
      const sentences = (item.payload as { sentences: Array<{ sourceIds: string[] }> }).sentences;
      expect(sentences.length).toBeGreaterThan(0);
      for (const sen of sentences) {
        expect(sen.sourceIds.length).toBeGreaterThan(0);
        for (const id of sen.sourceIds) {
          expect(ids.has(id)).toBe(true);
          expect(members.has(id)).toBe(true);
        }
      }
      expect(item.provenance).toMatchObject({ stage: 'contributions.map.summary', params: { citationsVerified: true, clusterId } });
    }
    if (first.consensusItemId) expect(s.deps.review.get(s.db, first.consensusItemId).kind).toBe('consensus');
    // languages detected in the import job were passed on, French was translated to the pivot
    expect(payload.points.filter((p) => p.lang === 'fr').every((p) => p.translated)).toBe(true);
  });

  it('a rerun after new contributions reuses cached embeddings and translations', async () => {
    expect(first.cache.embeddingHits).toBe(0);
    expect(first.cache.embeddingMisses).toBeGreaterThan(30);
    const cachedVectors = modelCacheRepo.count(s.db, EMBEDDING_CACHE);
    const cachedTranslations = modelCacheRepo.count(s.db, TRANSLATION_CACHE);
    expect(cachedTranslations).toBeGreaterThan(5);
    await s.call('participant', 'POST', api(s, '/contributions'), { text: 'Please plant more fruit trees in the parks.' });
    await s.call('participant', 'POST', api(s, '/contributions'), { text: 'Les bus de nuit doivent passer plus souvent.' });
    await s.call('facilitator', 'POST', api(s, '/text-maps'), { mode: 'semantic' });
    const [job] = await drain(s, 'contributions.map');
    const r = job.result as typeof first;
    expect(r.cache.embeddingHits).toBe(cachedVectors);
    expect(r.cache.embeddingMisses).toBe(2);
    expect(r.cache.translationHits).toBe(cachedTranslations);
    expect(r.cache.translationMisses).toBe(1);
    // the new run superseded the pending map and summaries of the first
    expect(s.deps.review.get(s.db, first.mapItemId).status).toBe('superseded');
    first = r;
  });

  it('revisions make a new pending map superseding the old: rename, merge (union), split (k = 2)', async () => {
    const before = s.deps.review.get(s.db, first.mapItemId).payload as TextMapPayload;
    const tops = before.clusters.filter((c) => c.level === 1);
    let res = await s.call('facilitator', 'POST', api(s, `/text-maps/${first.mapItemId}/revise`), { op: 'rename', clusterId: tops[0].id, label: 'Getting around' });
    expect(res.status).toBe(200);
    let next = ((await res.json()) as { item: { id: string; payload: TextMapPayload } }).item;
    expect(next.payload.clusters.find((c) => c.id === tops[0].id)?.label).toBe('Getting around');
    expect(s.deps.review.get(s.db, first.mapItemId).status).toBe('superseded');
    expect(s.deps.review.get(s.db, first.mapItemId).supersededBy).toBe(next.id);

    res = await s.call('facilitator', 'POST', api(s, `/text-maps/${next.id}/revise`), { op: 'merge', clusterIds: [tops[0].id, tops[1].id] });
    expect(res.status).toBe(200);
    const merged = (await res.json()) as { item: { id: string; payload: TextMapPayload }; summaryItemIds: string[] };
    next = merged.item;
    const union = [...tops[0].memberIds, ...tops[1].memberIds].sort();
    const m = next.payload.clusters.find((c) => c.level === 1 && c.memberIds.length === union.length)!;
    expect([...m.memberIds].sort()).toEqual(union);
    expect(merged.summaryItemIds).toHaveLength(1); // a fresh, cited summary draft for the merged cluster
    const sum = s.deps.review.get(s.db, merged.summaryItemIds[0]);
    for (const sen of (sum.payload as { sentences: Array<{ sourceIds: string[] }> }).sentences) for (const id of sen.sourceIds) expect(m.memberIds).toContain(id);

    res = await s.call('facilitator', 'POST', api(s, `/text-maps/${next.id}/revise`), { op: 'split', clusterId: m.id });
    expect(res.status).toBe(200);
    const split = ((await res.json()) as { item: { id: string; payload: TextMapPayload } }).item;
    const parts = split.payload.clusters.filter((c) => c.level === 1 && !next.payload.clusters.some((o) => o.id === c.id));
    expect(parts).toHaveLength(2);
    expect([...parts[0].memberIds, ...parts[1].memberIds].sort()).toEqual(union);
    expect(parts.every((p) => p.memberIds.length > 0)).toBe(true);
    expect(split.payload.revisions.map((r) => r.op)).toEqual(['rename', 'merge', 'split']);
    expect((s.deps.review.get(s.db, split.id).provenance as { stage: string }).stage).toBe('contributions.map.revise');
    // revising a superseded map is refused
    expect((await s.call('facilitator', 'POST', api(s, `/text-maps/${first.mapItemId}/revise`), { op: 'split', clusterId: m.id })).status).toBe(409);
    first = { ...first, mapItemId: split.id };
  });

  it('participants never see unapproved maps, summaries or consensus; approval publishes, translation is labelled', async () => {
    const summaries = first.summaryItemIds.map((id) => s.deps.review.get(s.db, id)).filter((i) => i.status === 'pending');
    const canaries = [...summaries.flatMap((i) => (i.payload as { sentences: Array<{ text: string }> }).sentences.map((x) => x.text)), ...(s.deps.review.get(s.db, first.mapItemId).payload as TextMapPayload).clusters.map((c) => c.label)].filter((t) => t.length > 12);
    const look = async () => {
      const bodies = await Promise.all([
        Promise.resolve(s.call('participant', 'GET', api(s, '/summaries'))).then((r) => r.text()),
        Promise.resolve(s.call('participant', 'GET', api(s, '/summaries?lang=fr'))).then((r) => r.text()),
        Promise.resolve(s.call('participant', 'GET', `/a/${s.assemblyId}/summaries`, undefined, { accept: 'text/html' })).then((r) => r.text()),
        Promise.resolve(s.call('participant', 'GET', `/a/${s.assemblyId}/contribute`, undefined, { accept: 'text/html' })).then((r) => r.text()),
        Promise.resolve(s.call('participant', 'GET', api(s, '/publications'))).then((r) => r.text()),
      ]);
      return bodies.join('\n');
    };
    const seen = await look();
    for (const c of canaries) expect(seen).not.toContain(c);
    expect((await s.call('participant', 'GET', api(s, '/text-maps/latest'))).status).toBe(403);

    // approve one summary: it is published in English, and a machine translation into French is queued for review
    // (one of a cluster the revised map still has: approving that map withdraws summaries of merged-away clusters)
    const live = new Set((s.deps.review.get(s.db, first.mapItemId).payload as TextMapPayload).clusters.filter((c) => c.level === 1).map((c) => c.id));
    const target = summaries.find((i) => live.has(i.subject.split(':').pop()!)) ?? summaries[0];
    const survives = live.has(target.subject.split(':').pop()!);
    const approve = await s.call('facilitator', 'POST', api(s, `/review/${target.id}/approve`));
    expect(approve.status).toBe(200);
    const approvedTexts = [target.title, ...(target.payload as { sentences: Array<{ text: string }> }).sentences.map((x) => x.text)];
    const sentence = approvedTexts[1];
    let en = (await (await s.call('participant', 'GET', api(s, '/summaries?lang=en'))).json()) as { summaries: Array<{ origin: string; sentences: Array<{ text: string }> }> };
    expect(en.summaries).toHaveLength(1);
    expect(en.summaries[0].origin).toBe('original');
    expect(en.summaries[0].sentences[0].text).toBe(sentence);
    await drain(s, 'publications.translate');
    const tr = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'translation', status: ['pending'] });
    expect(tr).toHaveLength(1);
    let fr = (await (await s.call('participant', 'GET', api(s, '/summaries?lang=fr'))).json()) as { summaries: Array<{ id: string; origin: string; language: string }> };
    expect(fr.summaries[0]).toMatchObject({ origin: 'original', language: 'en' }); // the French draft is not shown yet
    await s.call('facilitator', 'POST', api(s, `/review/${tr[0].id}/approve`));
    fr = (await (await s.call('participant', 'GET', api(s, '/summaries?lang=fr'))).json()) as typeof fr;
    expect(fr.summaries[0]).toMatchObject({ origin: 'machine-translated', language: 'fr' });
    const html = await (await s.call('participant', 'GET', `/a/${s.assemblyId}/summaries?lang=fr`, undefined, { accept: 'text/html' })).text();
    expect(html).toContain('Traduction automatique relue par un animateur');

    // a facilitator's own translation: published at once, labelled human, kept apart from the machine one
    const original = s.db.select().from(publications).all().find((p) => p.kind === 'summary')!;
    const n = (original.body as { sentences: unknown[] }).sentences.length;
    const bad = await s.call('facilitator', 'POST', api(s, `/summaries/${original.id}/translations`), { language: 'fr', title: 'Titre', sentences: ['Une seule'].concat(n > 1 ? [] : ['de trop']) });
    expect(bad.status).toBe(422);
    const ok = await s.call('facilitator', 'POST', api(s, `/summaries/${original.id}/translations`), { language: 'fr', title: 'Se déplacer', sentences: Array.from({ length: n }, (_, i) => `Phrase traduite par une personne ${i + 1}.`) });
    expect(ok.status).toBe(201);
    fr = (await (await s.call('participant', 'GET', api(s, '/summaries?lang=fr'))).json()) as typeof fr;
    expect(fr.summaries[0]).toMatchObject({ origin: 'human-translated', language: 'fr' });
    const kinds = s.db.select().from(publications).all().map((p) => [p.kind, p.language, p.machineTranslated]);
    expect(kinds).toEqual(expect.arrayContaining([['summary', 'en', false], ['translation', 'fr', true], ['human-translation', 'fr', false]]));
    const html2 = await (await s.call('participant', 'GET', `/a/${s.assemblyId}/summaries?lang=fr`, undefined, { accept: 'text/html' })).text();
    expect(html2).toContain('Traduit par une personne');
    expect(html2).toContain('Phrase traduite par une personne 1.');
    en = (await (await s.call('participant', 'GET', api(s, '/summaries?lang=en'))).json()) as typeof en;
    expect(en.summaries[0].origin).toBe('original');

    // approving the map publishes it for staff only; participants still read only summaries
    expect((await s.call('facilitator', 'POST', api(s, `/review/${first.mapItemId}/approve`))).status).toBe(200);
    const after = await look();
    for (const c of canaries.filter((x) => !approvedTexts.includes(x))) expect(after).not.toContain(c);
    if (survives) expect(after).toContain(sentence);
    else expect(after).not.toContain(sentence);
    expect(verifyAudit(s.db).ok).toBe(true);
  });

  it('facilitator page: SVG map with title, legend and the chosen cluster with its contributions and actions', async () => {
    const latest = (await (await s.call('facilitator', 'GET', api(s, '/text-maps/latest'))).json()) as { id: string; payload: TextMapPayload };
    const c0 = latest.payload.clusters.find((c) => c.level === 1)!;
    const res = await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/contributions?cluster=${c0.id}`, undefined, { accept: 'text/html' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<svg');
    expect(html).toContain('<title id="text-map-title">');
    expect(html).toContain('class="legend-item"');
    expect(html).toContain(`data-selected-cluster="${c0.id}"`);
    expect(html).toContain(`/text-maps/${latest.id}/split`);
    expect(html).toContain('data-jobs-for');
    expect(html).toContain('/static/jobs.js');
    for (const id of c0.memberIds.slice(0, 3)) expect(html).toContain(`data-contribution="${id}"`);
    expect((await s.call('participant', 'GET', `/facilitate/${s.assemblyId}/contributions`, undefined, { accept: 'text/html' })).status).toBe(403);
  });

  it('a map needs enough contributions, and a cancelled job submits nothing', async () => {
    const s2 = await testService();
    const res = await s2.call('facilitator', 'POST', api(s2, '/text-maps'), {});
    expect(res.status).toBe(412);
    await upload(s2, 'format=jsonl&textColumn=body', jsonl());
    await drain(s2);
    const job = (await (await s2.call('facilitator', 'POST', api(s2, '/text-maps'), { mode: 'lexical' })).json()) as { id: string };
    const run = s2.deps.jobs.runNext();
    await new Promise((r) => setTimeout(r, 5));
    s2.deps.jobs.cancel(job.id, s2.users.facilitator);
    const row = await run;
    expect(row?.status).toBe('cancelled');
    expect(s2.deps.review.list(s2.db, { assemblyId: s2.assemblyId, kind: 'text-map' })).toHaveLength(0);
  });
});

describe('participant pages', () => {
  it('the contribution form posts, shows the author their text, and re-shows errors accessibly', async () => {
    const s = await testService();
    const post = (text: string) => s.app.request(`/a/${s.assemblyId}/contribute`, { method: 'POST', headers: { authorization: `Bearer ${s.tokens.participant}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: new URLSearchParams({ text }).toString() });
    const ok = await post('Des arbres fruitiers dans les parcs');
    expect(ok.status).toBe(303);
    const page = await (await s.call('participant', 'GET', `/a/${s.assemblyId}/contribute?sent=1`, undefined, { accept: 'text/html' })).text();
    expect(page).toContain('Des arbres fruitiers dans les parcs');
    expect(page).toContain('<label for="contrib-text">');
    const bad = await post('x'.repeat(5001));
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('role="alert"');
    expect(html).toMatch(/limit is 5000/);
  });
});
