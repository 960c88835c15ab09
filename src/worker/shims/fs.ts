/**
 * node:fs for the Workers bundle (scripts/build-worker.mjs aliases node:fs here). Reads come from the files bundled at
 * build time (i18n catalogues, page scripts and styles, migrations), addressed as `file:///plenary/<repo path>` or by
 * that repo path; writes (the audit signing key, export files) stay in this isolate's memory. Anything else throws a
 * clear error: on Workers, files belong in R2.
 */
import bundled from 'virtual:plenary-files';

const files = new Map<string, string | Uint8Array>(Object.entries(bundled as Record<string, string>));

const keyOf = (p: unknown): string => {
  const s = p instanceof URL ? p.href : String(p);
  return s.replace(/^file:\/\/\/plenary\//, '').replace(/^\/+/, '').replace(/\/+$/, '');
};
const enoent = (p: unknown, op: string) =>
  Object.assign(new Error(`ENOENT: no such file or directory, ${op} '${keyOf(p)}' (on Workers only the files bundled at build time and this isolate's writes exist)`), { code: 'ENOENT' });

export function existsSync(p: unknown): boolean {
  const k = keyOf(p);
  if (files.has(k)) return true;
  for (const f of files.keys()) if (f.startsWith(`${k}/`)) return true;
  return false;
}

export function readFileSync(p: unknown, opts?: string | { encoding?: string }): string | Uint8Array {
  const v = files.get(keyOf(p));
  if (v === undefined) throw enoent(p, 'open');
  const enc = typeof opts === 'string' ? opts : opts?.encoding;
  if (enc) return typeof v === 'string' ? v : new TextDecoder().decode(v);
  return typeof v === 'string' ? new TextEncoder().encode(v) : v;
}

export function readdirSync(p: unknown): string[] {
  const k = keyOf(p);
  const names = new Set<string>();
  for (const f of files.keys()) if (f.startsWith(`${k}/`)) names.add(f.slice(k.length + 1).split('/')[0]);
  if (!names.size) throw enoent(p, 'scandir');
  return [...names].sort();
}

export function writeFileSync(p: unknown, data: string | Uint8Array): void {
  files.set(keyOf(p), typeof data === 'string' ? data : new Uint8Array(data));
}
export function mkdirSync(): void {}
export function chmodSync(): void {}
export function statSync(p: unknown) {
  const v = files.get(keyOf(p));
  if (v === undefined) {
    if (existsSync(p)) return { size: 0, mode: 0o40755, isFile: () => false, isDirectory: () => true };
    throw enoent(p, 'stat');
  }
  return { size: typeof v === 'string' ? new TextEncoder().encode(v).length : v.length, mode: 0o100600, isFile: () => true, isDirectory: () => false };
}
export function renameSync(a: unknown, b: unknown): void {
  const v = files.get(keyOf(a));
  if (v === undefined) throw enoent(a, 'rename');
  files.delete(keyOf(a));
  files.set(keyOf(b), v);
}
export function rmSync(p: unknown): void {
  const k = keyOf(p);
  for (const f of [...files.keys()]) if (f === k || f.startsWith(`${k}/`)) files.delete(f);
}
export function unlinkSync(p: unknown): void {
  files.delete(keyOf(p));
}
const unsupported = (name: string) => () => {
  throw new Error(`node:fs ${name} is not available on Cloudflare Workers (audio and large files live in R2 or on the Node host).`);
};
export const createReadStream = unsupported('createReadStream');
export const createWriteStream = unsupported('createWriteStream');
export const openSync = unsupported('openSync');
export const promises = {};
/** no executable exists on Workers: an access check always fails (the brochure's Chromium is then reported missing) */
export function accessSync(p: unknown): void {
  throw Object.assign(new Error(`ENOENT: no such file on Workers, access '${String(p)}'`), { code: 'ENOENT' });
}
export const constants = { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 };
export default { accessSync, constants, existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync, chmodSync, statSync, renameSync, rmSync, unlinkSync, createReadStream, createWriteStream, openSync, promises };
