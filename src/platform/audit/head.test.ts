import { mkdtempSync, rmSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDb, type Db } from '../db/client.js';
import { recordAudit, rowHash, verifyAudit } from './audit.js';
import { auditSigner, KEY_FILE, parseSignedHead, signedHead, verifyAgainstHead } from './head.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'plenary-audit-'));
  dirs.push(d);
  return d;
};

function seeded(n = 5) {
  const db = testDb();
  for (let i = 0; i < n; i++) db.transaction((tx) => recordAudit(tx, { actorId: 'u1', action: 'review.approve', subject: `item:${i}`, data: { i } }));
  return db;
}

/** What an attacker with write access to the database does: rewrite row `from` and recompute every hash after it. */
function rewriteAndRehash(db: Db, from: number) {
  const rows = db.$client.prepare('select seq, at, actor_id as actorId, action, subject, data, prev_hash as prevHash, hash from audit_log order by seq').all() as any[];
  let prev = rows[from - 2]?.hash ?? '0'.repeat(64);
  for (const r of rows.slice(from - 1)) {
    if (r.seq === from) r.actorId = 'mallory';
    r.prevHash = prev;
    r.hash = rowHash(r);
    db.$client.prepare('update audit_log set actor_id = ?, prev_hash = ?, hash = ? where seq = ?').run(r.actorId, r.prevHash, r.hash, r.seq);
    prev = r.hash;
  }
}

describe('signed audit head', () => {
  const dir = tmp();
  const signer = auditSigner(dir, {});

  it('creates the key file once, readable by its owner only, and reuses it', () => {
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = auditSigner(dir, {});
    expect(again.keyId).toBe(signer.keyId);
    expect(signer.publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    chmodSync(join(dir, KEY_FILE), 0o644);
    expect(() => auditSigner(dir, {})).toThrow(/can be read by other users.*chmod 600/);
    chmodSync(join(dir, KEY_FILE), 0o600);
  });

  it('the chain check alone misses truncation and a rewrite with recomputed hashes; the saved head catches both', () => {
    const db = seeded();
    const head = parseSignedHead(JSON.stringify(signedHead(db, signer)));
    expect(head).toMatchObject({ seq: 5, keyId: signer.keyId });
    expect(verifyAgainstHead(db, head, signer)).toEqual({ ok: true, rows: 5 });
    // more rows later: still fine
    db.transaction((tx) => recordAudit(tx, { actorId: 'u1', action: 'x', subject: 'y' }));
    expect(verifyAgainstHead(db, head, signer).ok).toBe(true);

    const cut = seeded();
    const cutHead = signedHead(cut, signer);
    cut.$client.prepare('delete from audit_log where seq >= 4').run();
    expect(verifyAudit(cut)).toEqual({ ok: true, rows: 3 }); // what `audit verify` said before
    expect(verifyAgainstHead(cut, cutHead, signer)).toMatchObject({ ok: false, problem: expect.stringMatching(/head is at row 5 but the log ends at row 3: rows were deleted/) });

    const forged = seeded();
    const forgedHead = signedHead(forged, signer);
    rewriteAndRehash(forged, 2);
    expect(verifyAudit(forged).ok).toBe(true); // what `audit verify` said before
    expect(verifyAgainstHead(forged, forgedHead, signer)).toMatchObject({ ok: false, problem: expect.stringMatching(/row 5 no longer has the hash .* rewritten/) });
  });

  it('refuses a head that was altered or signed by another key', () => {
    const db = seeded();
    const head = signedHead(db, signer);
    rewriteAndRehash(db, 3);
    const newHash = (db.$client.prepare('select hash from audit_log where seq = 5').get() as { hash: string }).hash;
    expect(verifyAgainstHead(db, { ...head, hash: newHash }, signer).problem).toMatch(/signature is not valid/);
    const other = auditSigner(':memory:', {});
    expect(verifyAgainstHead(db, signedHead(db, other), signer).problem).toMatch(/signed with key .* not this server's key/);
    expect(() => parseSignedHead('{"seq":1}')).toThrow(/plenary-audit-head\/1/);
    expect(() => parseSignedHead('nope')).toThrow(/not JSON/);
  });

  it('signs the empty log as seq 0', () => {
    const h = signedHead(testDb(), signer);
    expect(h).toMatchObject({ seq: 0, hash: '0'.repeat(64), at: null });
    expect(verifyAgainstHead(testDb(), h, signer).ok).toBe(true);
  });
});
