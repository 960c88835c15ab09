import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { auditLog } from '../db/schema.js';
import { GENESIS, verifyAudit } from './audit.js';

/**
 * Published heads of the audit chain. The hash chain alone shows edits in the middle, but not someone who deletes
 * the newest rows or rewrites rows and recomputes every hash after them. So the server signs the chain's head —
 * (seq, hash) of the newest row — with an Ed25519 key kept in the data directory (file mode 0600), and publishes
 * it (`plenary audit head`, the public transparency page, the public key at /.well-known/plenary-audit-key).
 * Anyone who saved a head can later check the chain against it (`plenary audit verify --head FILE`): the row at
 * that seq must still exist with that hash. Since every hash covers the one before, this proves rows 1..seq
 * are unchanged; rows after it are later appends.
 */

export const HEAD_FORMAT = 'plenary-audit-head/1';
export const KEY_FILE = 'audit-signing-key.pem';

export interface AuditSigner {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** sha256 of the public key (DER SubjectPublicKeyInfo), first 16 hex digits */
  keyId: string;
  /** the public key as PEM (SubjectPublicKeyInfo) */
  publicPem: string;
}

export interface SignedHead {
  format: typeof HEAD_FORMAT;
  /** sequence number of the newest row (0 for an empty log) */
  seq: number;
  /** that row's hash (64 zeros for an empty log) */
  hash: string;
  /** that row's timestamp (null for an empty log) */
  at: string | null;
  keyId: string;
  /** Ed25519 signature of the canonical payload, base64 */
  signature: string;
}

function signerFrom(privateKey: KeyObject): AuditSigner {
  const publicKey = createPublicKey(privateKey);
  const raw = publicKey.export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey, keyId: createHash('sha256').update(raw).digest('hex').slice(0, 16), publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString() };
}

const signers = new WeakMap<object, AuditSigner>();

/**
 * The server's audit signing key: `<dataDir>/audit-signing-key.pem`, created on first use with mode 0600 (and
 * refused when another user could read it), loaded once per `owner` (the config object). With an in-memory data
 * directory (tests) the key is generated and lives as long as `owner`.
 */
export function auditSigner(dataDir: string, owner: object): AuditSigner {
  let s = signers.get(owner);
  if (!s) signers.set(owner, (s = dataDir === ':memory:' ? signerFrom(generateKeyPairSync('ed25519').privateKey) : loadKeyFile(dataDir)));
  return s;
}

function loadKeyFile(dataDir: string): AuditSigner {
  const file = join(dataDir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    try {
      writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600); // in case the umask narrowed nothing or the file system ignored mode on create
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process created it first: use theirs
    }
  }
  const mode = statSync(file).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new Error(`The audit signing key ${file} can be read by other users (mode ${mode.toString(8)}); run: chmod 600 ${file}`);
  }
  return signerFrom(createPrivateKey(readFileSync(file)));
}

function payload(h: Omit<SignedHead, 'signature'>): Buffer {
  return Buffer.from(JSON.stringify({ format: h.format, seq: h.seq, hash: h.hash, at: h.at, keyId: h.keyId }), 'utf8');
}

/** The newest row's (seq, hash, at), signed. */
export function signedHead(db: DbOrTx, signer: AuditSigner): SignedHead {
  const last = db.select({ seq: auditLog.seq, hash: auditLog.hash, at: auditLog.at }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1).get();
  const head = { format: HEAD_FORMAT, seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS, at: last?.at ?? null, keyId: signer.keyId } as const;
  return { ...head, signature: sign(null, payload(head), signer.privateKey).toString('base64') };
}

/** Reads a saved head (JSON); throws a sentence saying what is wrong with it. */
export function parseSignedHead(text: string): SignedHead {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error('The saved head is not JSON (save the output of `plenary audit head`).');
  }
  const h = v as Partial<SignedHead>;
  if (!h || h.format !== HEAD_FORMAT || !Number.isInteger(h.seq) || (h.seq as number) < 0 || typeof h.hash !== 'string' || !/^[0-9a-f]{64}$/.test(h.hash) || typeof h.keyId !== 'string' || typeof h.signature !== 'string' || !(h.at === null || typeof h.at === 'string')) {
    throw new Error(`The saved head is not a ${HEAD_FORMAT} object with seq, hash, at, keyId and signature.`);
  }
  return h as SignedHead;
}

export interface HeadCheck {
  ok: boolean;
  /** rows in the log now */
  rows: number;
  problem?: string;
}

/**
 * Checks the chain and a saved head against it: the signature (by this server's key), then the row at the head's
 * seq must exist and carry the head's hash. Detects deleting the newest rows (the row is gone) and rewriting rows
 * with recomputed hashes (the hash differs), which the chain check alone cannot see.
 */
export function verifyAgainstHead(db: DbOrTx, head: SignedHead, signer: Pick<AuditSigner, 'publicKey' | 'keyId'>): HeadCheck {
  const chain = verifyAudit(db);
  if (head.keyId !== signer.keyId) return { ok: false, rows: chain.rows, problem: `the saved head was signed with key ${head.keyId}, not this server's key ${signer.keyId}` };
  if (!verify(null, payload(head), signer.publicKey, Buffer.from(head.signature, 'base64'))) return { ok: false, rows: chain.rows, problem: 'the saved head\'s signature is not valid (the file was altered, or not signed by this server)' };
  if (!chain.ok) return { ok: false, rows: chain.rows, problem: `the chain is broken at row ${chain.brokenAt}: ${chain.problem}` };
  if (head.seq === 0) return { ok: true, rows: chain.rows };
  const row = db.select({ hash: auditLog.hash }).from(auditLog).where(eq(auditLog.seq, head.seq)).get();
  if (!row) return { ok: false, rows: chain.rows, problem: `the saved head is at row ${head.seq} but the log ends at row ${chain.rows}: rows were deleted from the end` };
  if (row.hash !== head.hash) return { ok: false, rows: chain.rows, problem: `row ${head.seq} no longer has the hash the saved head recorded: rows up to ${head.seq} were rewritten` };
  return { ok: true, rows: chain.rows };
}
