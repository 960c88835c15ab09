import { createHash, randomBytes } from 'node:crypto';

/** Time-sortable random id (like a ULID, base-36): 9 chars of milliseconds + 12 random. */
export function newId(prefix = ''): string {
  const t = Date.now().toString(36).padStart(9, '0');
  const r = randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12).toLowerCase();
  return `${prefix}${t}${r}`;
}

export const sha256 = (s: string | Buffer | Uint8Array): string => createHash('sha256').update(s).digest('hex');

export const randomToken = (bytes = 24): string => randomBytes(bytes).toString('base64url');

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
