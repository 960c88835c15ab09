/** node:fs/promises for the Workers bundle: the same in-memory files as ./fs.ts; streaming file handles are unsupported. */
import * as fs from './fs.js';

export const readFile = async (p: unknown, o?: string | { encoding?: string }) => fs.readFileSync(p, o);
export const writeFile = async (p: unknown, d: string | Uint8Array) => fs.writeFileSync(p, d);
export const mkdir = async () => undefined;
export const rm = async (p: unknown) => fs.rmSync(p);
export const unlink = async (p: unknown) => fs.unlinkSync(p);
export const rename = async (a: unknown, b: unknown) => fs.renameSync(a, b);
export const stat = async (p: unknown) => fs.statSync(p);
export const readdir = async (p: unknown) => fs.readdirSync(p);
export const mkdtemp = async (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 8)}`;
export const open = async () => {
  throw new Error('node:fs/promises open() is not available on Cloudflare Workers (uploads go to R2 or the Node host).');
};
export default { readFile, writeFile, mkdir, rm, unlink, rename, stat, readdir, mkdtemp, open };
