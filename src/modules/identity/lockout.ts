import type { DbOrTx } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors.js';
import { FAILURE_MEMORY_S, lockSeconds } from './domain.js';
import { identityRepo } from './repo.js';

/**
 * The back-off on failed sign-ins, per account ('user:<username>') and per invitation code ('code:<sha256>'),
 * kept in the database so it holds across processes and restarts. The rule is in domain.ts (lockSeconds).
 */
export function assertNotLocked(db: DbOrTx, key: string, now: number): void {
  const row = identityRepo.failures(db, key);
  if (!row || now - row.lastFailureAt > FAILURE_MEMORY_S * 1000) return;
  const waitUntil = row.lastFailureAt + lockSeconds(row.failures) * 1000;
  if (now < waitUntil) {
    const retry = Math.max(1, Math.ceil((waitUntil - now) / 1000));
    throw new AppError('RATE_LIMITED', `Too many failed sign-ins for this account or code; try again in ${retry} s.`, { retryAfter: retry, i18n: 'identity.err.locked', vars: { s: retry } });
  }
}

export function recordFailure(db: DbOrTx, key: string, now: number): void {
  const row = identityRepo.failures(db, key);
  const fresh = !row || now - row.lastFailureAt > FAILURE_MEMORY_S * 1000;
  identityRepo.setFailures(db, key, fresh ? 1 : row.failures + 1, now);
  // rows older than the memory are worth nothing; keep the table small even when usernames are made up
  identityRepo.forgetFailuresBefore(db, now - FAILURE_MEMORY_S * 1000);
}

export function clearFailures(db: DbOrTx, key: string): void {
  identityRepo.clearFailures(db, key);
}
