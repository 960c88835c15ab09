import { beforeAll, describe, expect, it } from 'vitest';
import { isParticipantVisible } from './platform/auth/permissions.js';
import { endpoints, fillPath } from './testing/routes.js';
import { routeSamples } from './testing/samples.js';
import { testService, type TestService } from './testing/service.js';
import { MODULES, type Module } from './modules/index.js';
import { newRouter } from './platform/http/openapi.js';
import { requireAction } from './platform/http/guard.js';

/**
 * The heart of the product: participants and the public never see unreviewed machine output. This test seeds
 * AI outputs in every non-published state, each carrying a canary string, then calls EVERY route a participant
 * or the public may reach — found by enumerating the app, so a route added later is checked too — as both, and
 * fails if any response contains a canary. An approved item's text must appear somewhere (the positive control
 * shows the test can see published content at all).
 */
const prov = { stage: 'test', version: '1', modelIds: ['fake'], weightsSha256: [null], params: {}, seed: 1, inputHash: 'h' };
const CANARIES = ['CANARY-PENDING', 'CANARY-REJECTED', 'CANARY-SUPERSEDED', 'CANARY-TRANSLATION-PENDING'];
const VISIBLE = 'VISIBLE-APPROVED-SENTENCE';
const kindCanary = (kind: string) => `CANARY-KIND-${kind.toUpperCase().replace(/[^A-Z0-9]/g, '-')}`;

let s: TestService;
let samples: Record<string, string>;

async function seeded(modules?: Module[]) {
  const s = await testService({ modules });
  const submit = (subject: string, text: string, kind = 'summary', extra: Record<string, unknown> = {}) =>
    s.db.transaction((tx) =>
      s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind, subject, title: `${text} title`, payload: { title: `${text} title`, language: 'en', sentences: [{ text, sourceIds: ['c1'] }], ...extra }, sources: [{ id: 'c1', text }], provenance: prov }),
    );
  const old = submit('superseded', 'CANARY-SUPERSEDED');
  submit('superseded', 'CANARY-PENDING');
  expect(s.deps.review.get(s.db, old.id).status).toBe('superseded');
  const rej = submit('rejected', 'CANARY-REJECTED');
  s.deps.review.reject(s.db, rej.id, s.assemblyId, s.users.facilitator, 'wrong');
  const ok = submit('approved', VISIBLE);
  s.deps.review.approve(s.db, ok.id, s.assemblyId, s.users.facilitator);
  // the approval queued a machine translation: run it, and leave the translation pending with a canary inside
  await s.deps.jobs.runNext();
  const pendingTranslation = s.deps.review.list(s.db, { assemblyId: s.assemblyId, status: ['pending'], kind: 'translation' })[0];
  expect(pendingTranslation).toBeDefined();
  s.db.$client.prepare('update review_items set payload = json_set(payload, ?, ?) where id = ?').run('$.sentences[0].text', 'CANARY-TRANSLATION-PENDING', pendingTranslation.id);
  // and one pending draft of EVERY registered review kind (opinion maps, text maps, transcripts, ideas, consensus …),
  // written raw so that no kind's payload schema can keep its canary out
  const insert = s.db.$client.prepare(
    "insert into review_items (id, assembly_id, kind, subject, title, payload, sources, provenance, status) values (?, ?, ?, ?, ?, ?, '[]', '{}', 'pending')",
  );
  for (const k of s.deps.reviewKinds.list()) {
    const canary = kindCanary(k.kind);
    insert.run(`ri_canary_${k.kind}`, s.assemblyId, k.kind, `canary:${k.kind}`, `${canary} title`, JSON.stringify({ title: canary, text: canary, sentences: [{ text: canary, sourceIds: ['c1'] }], clusters: [{ label: canary }], groups: [{ label: canary }], segments: [{ text: canary }] }));
  }
  return { s, samples: routeSamples(s) };
}

/** calls every participant- or public-visible route as both; returns the leaks and whether approved text was seen */
async function probe(s: TestService, samples: Record<string, string>) {
  const visible = endpoints(s.app).filter((e) => e.action && isParticipantVisible(e.action));
  const leaks: string[] = [];
  let sawApproved = false;
  for (const e of visible) {
    for (const role of ['participant', 'public'] as const) {
      for (const accept of ['application/json', 'text/html']) {
        const path = fillPath(e.path, samples);
        const res = await s.call(role, e.method, path, e.method === 'GET' ? undefined : {}, { accept });
        const body = path.endsWith('/events') ? '' : await res.text();
        if (path.endsWith('/events')) await res.body?.cancel();
        for (const c of CANARIES) if (body.includes(c)) leaks.push(`${role} ${e.method} ${path} shows ${c}`);
        for (const k of s.deps.reviewKinds.list()) if (body.includes(kindCanary(k.kind))) leaks.push(`${role} ${e.method} ${path} shows a pending ${k.kind}`);
        if (body.includes(VISIBLE)) sawApproved = true;
      }
    }
  }
  return { visible, leaks, sawApproved };
}

beforeAll(async () => {
  ({ s, samples } = await seeded());
});

describe('review gate', () => {
  it('no participant or public route shows unreviewed, rejected or superseded machine output', async () => {
    const { visible, leaks, sawApproved } = await probe(s, samples);
    expect(visible.length).toBeGreaterThan(5);
    expect(leaks).toEqual([]);
    expect(sawApproved).toBe(true);
  });

  it('fails when someone adds a participant route that reads the review queue directly', async () => {
    const leaky: Module = {
      name: 'leaky',
      api: (deps) => {
        const r = newRouter();
        r.get('/assemblies/:assemblyId/latest-drafts', requireAction('participant.read'), (c) => c.json(deps.review.list(deps.db, { assemblyId: c.req.param('assemblyId') })));
        return r;
      },
    };
    const { s: s2, samples: samples2 } = await seeded([...MODULES, leaky]);
    const { leaks } = await probe(s2, samples2);
    expect(leaks.some((l) => l.includes('latest-drafts') && l.includes('CANARY-PENDING'))).toBe(true);
  });

  it('staff can see the pending items the participants cannot (the canaries are really there)', async () => {
    const res = await s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/review?status=pending,rejected,superseded`);
    const text = await res.text();
    for (const c of CANARIES) expect(text).toContain(c);
    const kinds = s.deps.reviewKinds.list().map((k) => k.kind);
    expect(kinds.length).toBeGreaterThanOrEqual(6);
    for (const k of kinds) expect(text).toContain(kindCanary(k));
  });
});
