import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../platform/audit/audit.js';
import { KEY_FILE } from '../platform/audit/head.js';
import { openDb } from '../platform/db/client.js';
import { auditCommand } from './audit.js';

const dir = mkdtempSync(join(tmpdir(), 'plenary-cli-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  let out = '', err = '';
  const code = auditCommand([...args, '--data-dir', dir], (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

describe('plenary audit head / verify --head', () => {
  it('signs the head, then detects deleting the newest rows that plain verify misses', () => {
    const db = openDb(join(dir, 'plenary.sqlite'));
    for (let i = 0; i < 6; i++) db.transaction((tx) => recordAudit(tx, { actorId: 'u', action: 'vote', subject: `s:${i}` }));
    const headFile = join(dir, 'head.json');
    const h = run('head', '--out', headFile);
    expect(h.code).toBe(0);
    expect(JSON.parse(h.out)).toMatchObject({ format: 'plenary-audit-head/1', seq: 6 });
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(run('verify', '--head', headFile)).toMatchObject({ code: 0, out: expect.stringContaining('intact: 6 rows') });
    db.$client.prepare('delete from audit_log where seq > 4').run();
    db.$client.close();
    expect(run('verify').code).toBe(0); // the chain alone still looks intact
    const v = run('verify', '--head', headFile);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/TAMPERED WITH: the saved head is at row 6 but the log ends at row 4/);
    // an edited head file
    writeFileSync(headFile, readFileSync(headFile, 'utf8').replace('"seq": 6', '"seq": 4'));
    expect(run('verify', '--head', headFile).out).toMatch(/signature is not valid/);
    expect(run('nope').code).toBe(2);
  });

  it('runs as the plenary command', () => {
    const out = execFileSync(process.execPath, ['bin/plenary.js', 'audit', 'key', '--data-dir', dir], { encoding: 'utf8' });
    expect(out).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });
});
