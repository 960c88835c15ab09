import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { verifyAudit } from '../platform/audit/audit.js';
import { auditSigner, parseSignedHead, signedHead, verifyAgainstHead } from '../platform/audit/head.js';
import { openDb } from '../platform/db/client.js';

export const AUDIT_USAGE = `usage: plenary audit verify [--data-dir DIR] [--head FILE]   check the hash chain (and a saved head against it)
       plenary audit head [--data-dir DIR] [--out FILE]     print the chain's head (seq, hash) signed with the server key
       plenary audit key [--data-dir DIR]                   print the public key that verifies heads`;

/** `plenary audit verify | head | key`: exit 0 when intact, 1 when the log was tampered with, 2 on usage errors. */
export function auditCommand(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'data-dir': { type: 'string' }, head: { type: 'string' }, out: { type: 'string' } } });
  const sub = positionals[0];
  if (sub !== 'verify' && sub !== 'head' && sub !== 'key') {
    err(`${AUDIT_USAGE}\n`);
    return 2;
  }
  const config = loadConfig(process.env, { dataDir: values['data-dir'], logLevel: 'warn' });
  const signer = () => auditSigner(config.dataDir, config);
  if (sub === 'key') {
    out(signer().publicPem);
    return 0;
  }
  const db = openDb(config.dbFile);
  try {
    if (sub === 'head') {
      const json = JSON.stringify(signedHead(db, signer()), null, 2) + '\n';
      if (values.out) writeFileSync(values.out, json);
      out(json);
      return 0;
    }
    if (values.head) {
      let head;
      try {
        head = parseSignedHead(readFileSync(values.head, 'utf8'));
      } catch (e) {
        err(`${values.head}: ${(e as Error).message}\n`);
        return 2;
      }
      const r = verifyAgainstHead(db, head, signer());
      out(r.ok ? `audit log intact: ${r.rows} rows, and row ${head.seq} still has the saved head's hash\n` : `AUDIT LOG TAMPERED WITH: ${r.problem}\n`);
      return r.ok ? 0 : 1;
    }
    const r = verifyAudit(db);
    out(r.ok ? `audit log intact: ${r.rows} rows (this checks the chain only: to detect deleted newest rows or a recomputed chain, keep heads from 'plenary audit head' and check with --head FILE)\n` : `AUDIT LOG BROKEN at row ${r.brokenAt}: ${r.problem}\n`);
    return r.ok ? 0 : 1;
  } finally {
    db.$client.close();
  }
}
