import { describe, expect, it } from 'vitest';
import { testDb } from '../db/client.js';
import { recordAudit, verifyAudit } from './audit.js';

function seeded() {
  const db = testDb();
  for (let i = 0; i < 5; i++) db.transaction((tx) => recordAudit(tx, { actorId: 'u1', action: 'review.approve', subject: `item:${i}`, data: { i } }));
  return db;
}

describe('audit log', () => {
  it('verifies an untouched chain', () => {
    expect(verifyAudit(seeded())).toEqual({ ok: true, rows: 5 });
  });
  it('detects an edited row', () => {
    const db = seeded();
    db.$client.prepare("update audit_log set data = '{\"i\":99}' where seq = 3").run();
    const r = verifyAudit(db);
    expect(r.ok).toBe(false);
    expect(r.brokenAt).toBe(3);
  });
  it('detects an edited row whose hash was recomputed naively', () => {
    const db = seeded();
    db.$client.prepare("update audit_log set actor_id = 'mallory' where seq = 2").run();
    expect(verifyAudit(db).brokenAt).toBe(2);
  });
  it('detects a deleted row in the middle and at the end of the chain', () => {
    const db = seeded();
    db.$client.prepare('delete from audit_log where seq = 4').run();
    expect(verifyAudit(db)).toMatchObject({ ok: false, brokenAt: 4 });
    const db2 = seeded();
    db2.$client.prepare('delete from audit_log where seq = 1').run();
    expect(verifyAudit(db2)).toMatchObject({ ok: false, brokenAt: 1 });
  });
  it('rolls back with the change it records', () => {
    const db = seeded();
    expect(() =>
      db.transaction((tx) => {
        recordAudit(tx, { actorId: 'u1', action: 'x', subject: 'y' });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(verifyAudit(db)).toEqual({ ok: true, rows: 5 });
  });
});
