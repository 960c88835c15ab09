import { asc, desc } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { auditLog } from '../db/schema.js';
import { sha256 } from '../ids.js';

/**
 * Append-only, hash-chained audit log. Each row's hash covers its content and the previous row's hash,
 * so editing or deleting any row breaks the chain from there on. Write it with `recordAudit(tx, …)` inside the
 * same transaction as the change it records (better-sqlite3 transactions are serialised, so reading the last
 * hash inside the transaction is race-free).
 */
export const GENESIS = '0'.repeat(64);

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subject: string;
  data?: Record<string, unknown>;
  at?: string;
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

export function rowHash(r: { seq: number; at: string; actorId: string | null; action: string; subject: string; data: string; prevHash: string }): string {
  return sha256(canonical({ seq: r.seq, at: r.at, actorId: r.actorId, action: r.action, subject: r.subject, data: r.data, prevHash: r.prevHash }));
}

export function recordAudit(tx: DbOrTx, e: AuditEntry): void {
  const last = tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1).get();
  const seq = (last?.seq ?? 0) + 1;
  const row = {
    seq,
    at: e.at ?? new Date().toISOString(),
    actorId: e.actorId,
    action: e.action,
    subject: e.subject,
    data: canonical(e.data ?? {}),
    prevHash: last?.hash ?? GENESIS,
  };
  tx.insert(auditLog).values({ ...row, hash: rowHash(row) }).run();
}

export interface AuditVerifyResult {
  ok: boolean;
  rows: number;
  /** first sequence number at which the chain breaks */
  brokenAt?: number;
  problem?: string;
}

export function verifyAudit(db: DbOrTx): AuditVerifyResult {
  const rows = db.select().from(auditLog).orderBy(asc(auditLog.seq)).all();
  let prev = GENESIS;
  let expectedSeq = 1;
  for (const r of rows) {
    if (r.seq !== expectedSeq) return { ok: false, rows: rows.length, brokenAt: expectedSeq, problem: `row ${expectedSeq} is missing (deleted)` };
    if (r.prevHash !== prev) return { ok: false, rows: rows.length, brokenAt: r.seq, problem: `row ${r.seq} does not follow row ${r.seq - 1} (a row was edited or removed)` };
    if (rowHash(r) !== r.hash) return { ok: false, rows: rows.length, brokenAt: r.seq, problem: `row ${r.seq} was modified after it was written` };
    prev = r.hash;
    expectedSeq++;
  }
  return { ok: true, rows: rows.length };
}
