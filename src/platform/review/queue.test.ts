import { describe, expect, it } from 'vitest';
import { testService } from '../../testing/service.js';
import { publications, reviewItems } from '../db/schema.js';
import { verifyAudit } from '../audit/audit.js';

const prov = { stage: 'test', version: '1', modelIds: ['m'], weightsSha256: [null], params: {}, seed: 1, inputHash: 'h' };
const summary = (text: string) => ({ title: 'T', language: 'en', sentences: [{ text, sourceIds: ['c1'] }] });

describe('review queue', () => {
  it('rejects payloads that do not match the kind, naming the fields', async () => {
    const s = await testService();
    expect(() => s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'summary', subject: 'x', title: 't', payload: { title: 'T' }, provenance: prov }))).toThrow(/not valid/);
    expect(s.db.select().from(reviewItems).all()).toHaveLength(0);
  });

  it('needs provenance', async () => {
    const s = await testService();
    expect(() =>
      s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'summary', subject: 'x', title: 't', payload: summary('a'), provenance: {} as never })),
    ).toThrow(/provenance/);
  });

  it('publishes only on approval, and a newer run supersedes the pending one', async () => {
    const s = await testService();
    const a = s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'summary', subject: 's1', title: 't', payload: summary('first'), provenance: prov }));
    const b = s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'summary', subject: 's1', title: 't', payload: summary('second'), provenance: prov }));
    expect(s.deps.review.get(s.db, a.id).status).toBe('superseded');
    expect(s.deps.review.get(s.db, a.id).supersededBy).toBe(b.id);
    expect(s.db.select().from(publications).all()).toHaveLength(0);
    s.deps.review.approve(s.db, b.id, s.assemblyId, s.users.facilitator);
    const pubs = s.db.select().from(publications).all();
    expect(pubs).toHaveLength(1);
    expect(JSON.stringify(pubs[0].body)).toContain('second');
    expect(() => s.deps.review.approve(s.db, a.id, s.assemblyId, s.users.facilitator)).toThrow(/already superseded/);
  });

  it('keeps the diff of an edit and publishes the edited text', async () => {
    const s = await testService();
    const a = s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'summary', subject: 's', title: 't', payload: summary('machine words'), provenance: prov }));
    const e = s.deps.review.edit(s.db, a.id, s.assemblyId, s.users.facilitator, summary('human words'));
    expect(e.status).toBe('edited');
    expect(String(e.diff)).toContain('-      "text": "machine words"');
    expect(String(e.diff)).toContain('+      "text": "human words"');
    expect(JSON.stringify(s.db.select().from(publications).get()?.body)).toContain('human words');
  });

  it('an invalid edit publishes nothing and leaves the item pending', async () => {
    const s = await testService();
    const a = s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'summary', subject: 's', title: 't', payload: summary('x'), provenance: prov }));
    expect(() => s.deps.review.edit(s.db, a.id, s.assemblyId, s.users.facilitator, { title: '' })).toThrow(/not valid/);
    expect(s.deps.review.get(s.db, a.id).status).toBe('pending');
    expect(s.db.select().from(publications).all()).toHaveLength(0);
  });

  it('rejection needs a reason and publishes nothing; decisions are audited', async () => {
    const s = await testService();
    const a = s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'summary', subject: 's', title: 't', payload: summary('x'), provenance: prov }));
    expect(() => s.deps.review.reject(s.db, a.id, s.assemblyId, s.users.facilitator, '  ')).toThrow(/why/);
    const r = s.deps.review.reject(s.db, a.id, s.assemblyId, s.users.facilitator, 'misleading');
    expect(r.status).toBe('rejected');
    expect(s.db.select().from(publications).all()).toHaveLength(0);
    const audit = s.db.$client.prepare("select action from audit_log where action like 'review.%'").all() as { action: string }[];
    expect(audit.map((x) => x.action)).toEqual(['review.submit', 'review.reject']);
    expect(verifyAudit(s.db).ok).toBe(true);
  });

  it('a job that re-runs submits its item once', async () => {
    const s = await testService();
    const a = s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'summary', subject: 's', title: 't', payload: summary('x'), provenance: prov, jobId: 'job1' }));
    const b = s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'summary', subject: 's', title: 't', payload: summary('x'), provenance: prov, jobId: 'job1' }));
    expect(b.id).toBe(a.id);
    expect(s.db.select().from(reviewItems).all()).toHaveLength(1);
  });

  it('approving a summary queues reviewed machine translations into the other languages', async () => {
    const s = await testService();
    const a = s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'summary', subject: 's', title: 'Buses', payload: summary('Buses every ten minutes.'), provenance: prov }));
    s.deps.review.approve(s.db, a.id, s.assemblyId, s.users.facilitator);
    const job = await s.deps.jobs.runNext();
    expect(job?.type).toBe('publications.translate');
    expect(job?.status).toBe('succeeded');
    const items = s.deps.review.list(s.db, { assemblyId: s.assemblyId, status: ['pending'] });
    expect(items).toHaveLength(1);
    expect(items[0].kind).toBe('translation');
    expect((items[0].payload as { language: string }).language).toBe('fr');
    // nothing in French is visible until the translation is approved
    expect(s.db.select().from(publications).all().map((p) => p.language)).toEqual(['en']);
  });
});
