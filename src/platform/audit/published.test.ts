import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testService } from '../../testing/service.js';
import { recordAudit } from './audit.js';
import { parseSignedHead, verifyAgainstHead } from './head.js';

describe('published audit head', () => {
  it('serves the public key and a signed head anyone can check; the transparency page shows it in both languages', async () => {
    const s = await testService();
    s.db.transaction((tx) => recordAudit(tx, { actorId: null, action: 'test', subject: 'x' }));
    const keyRes = await s.call('public', 'GET', '/.well-known/plenary-audit-key');
    expect(keyRes.status).toBe(200);
    const pem = await keyRes.text();
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const headRes = await s.call('public', 'GET', '/.well-known/plenary-audit-head');
    const head = parseSignedHead(await headRes.text());
    const seq = (s.db.$client.prepare('select max(seq) as n from audit_log').get() as { n: number }).n;
    expect(head.seq).toBe(seq);
    // checked with nothing but the published key
    const publicKey = createPublicKey(pem);
    const payload = Buffer.from(JSON.stringify({ format: head.format, seq: head.seq, hash: head.hash, at: head.at, keyId: head.keyId }));
    expect(verify(null, payload, publicKey, Buffer.from(head.signature, 'base64'))).toBe(true);
    expect(verifyAgainstHead(s.db, head, { publicKey, keyId: keyRes.headers.get('x-plenary-key-id')! })).toMatchObject({ ok: true });
    for (const [lang, title] of [['en', 'Audit log: latest signed head'], ['fr', 'Journal d’audit : dernière tête signée']]) {
      const html = await (await s.call('public', 'GET', `/p/test-assembly/sortition?lang=${lang}`, undefined, { accept: 'text/html' })).text();
      expect(html).toContain(title);
      expect(html).toMatch(new RegExp(`<dd data-seq[^>]*>${seq}</dd>`));
      expect(html).toContain(head.signature);
    }
  });
});
