import { strFromU8, strToU8, Unzip, UnzipInflate, zipSync, type Zippable } from 'fflate';

/**
 * Zip in and out (fflate: small, dependency-free, maintained, sync API that works in Node and Workers).
 * Reading is defensive: entry names are checked before anything is inflated (no absolute paths, no '..', no
 * backslashes or odd characters, no duplicates), data is inflated in small slices and counted, so a zip bomb —
 * even one whose headers lie about sizes — is stopped at the limit instead of filling memory.
 */
export interface ZipLimits {
  maxEntries: number;
  /** total bytes once inflated */
  maxTotalBytes: number;
  /** total inflated bytes over the zip's size, checked once past 1 MiB */
  maxRatio: number;
}
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 20_000, maxTotalBytes: 512 * 1024 * 1024, maxRatio: 200 };

export class ZipRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipRefused';
  }
}

/** Same files → same bytes: fixed order (datapackage.json first) and a fixed time stamp. */
export function packZip(files: Map<string, string>): Uint8Array {
  const names = [...files.keys()].sort((a, b) => (a === 'datapackage.json' ? -1 : b === 'datapackage.json' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const z: Zippable = {};
  for (const n of names) z[n] = [strToU8(files.get(n)!), { level: 6, mtime: new Date('2000-01-01T00:00:00Z') }];
  return zipSync(z);
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Why a name is refused, or null. */
export function badEntryName(name: string): string | null {
  if (name.length > 240) return 'is too long';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.includes('\\')) return 'contains a backslash';
  if (name.split('/').some((s) => s === '..' || s === '.')) return 'leaves the package folder (..)';
  if (!SAFE_NAME.test(name)) return 'contains characters a package file name may not have';
  return null;
}

/** Unpacks a zip of UTF-8 text files. Throws ZipRefused with a sentence naming the entry and the problem. */
export function unpackZip(data: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Map<string, string> {
  if (data.length < 22 || data[0] !== 0x50 || data[1] !== 0x4b) throw new ZipRefused('The file is not a zip archive.');
  const out = new Map<string, string>();
  let total = 0;
  let entries = 0;
  const pending = new Set<string>();
  const uz = new Unzip();
  uz.register(UnzipInflate);
  uz.onfile = (f) => {
    if (f.name.endsWith('/')) return; // a folder entry: nothing to read
    const bad = badEntryName(f.name);
    if (bad) throw new ZipRefused(`The zip entry '${f.name.slice(0, 120)}' ${bad}; nothing was imported.`);
    if (out.has(f.name)) throw new ZipRefused(`The zip holds '${f.name}' twice; nothing was imported.`);
    if (++entries > limits.maxEntries) throw new ZipRefused(`The zip holds more than ${limits.maxEntries} files; nothing was imported.`);
    if (f.compression !== 0 && f.compression !== 8) throw new ZipRefused(`The zip entry '${f.name}' uses a compression method (${f.compression}) other than deflate; nothing was imported.`);
    const chunks: Uint8Array[] = [];
    out.set(f.name, '');
    pending.add(f.name);
    f.ondata = (err, chunk, final) => {
      if (err) throw new ZipRefused(`The zip entry '${f.name}' is damaged (${err.message}); nothing was imported.`);
      total += chunk.length;
      if (total > limits.maxTotalBytes) throw new ZipRefused(`The zip inflates to more than ${(limits.maxTotalBytes / 1048576).toFixed(limits.maxTotalBytes < 1048576 ? 2 : 0)} MiB (a zip bomb?); nothing was imported.`);
      if (total > 1048576 && total / data.length > limits.maxRatio) throw new ZipRefused(`The zip inflates more than ${limits.maxRatio} times its size (a zip bomb?); nothing was imported.`);
      chunks.push(chunk);
      if (final) {
        pending.delete(f.name);
        const all = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
        let o = 0;
        for (const c of chunks) {
          all.set(c, o);
          o += c.length;
        }
        try {
          out.set(f.name, strFromU8(all));
        } catch {
          throw new ZipRefused(`The zip entry '${f.name}' is not UTF-8 text; nothing was imported.`);
        }
      }
    };
    f.start();
  };
  const SLICE = 16 * 1024;
  try {
    for (let off = 0; off < data.length; off += SLICE) uz.push(data.subarray(off, Math.min(off + SLICE, data.length)), off + SLICE >= data.length);
  } catch (e) {
    if (e instanceof ZipRefused) throw e;
    throw new ZipRefused(`The zip archive could not be read (${(e as Error).message}); nothing was imported.`);
  }
  if (pending.size) throw new ZipRefused(`The zip archive is cut short ('${[...pending][0]}' is incomplete); nothing was imported.`);
  return out;
}
