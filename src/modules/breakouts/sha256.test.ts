/** The uploader's incremental SHA-256 (static/breakouts.js), run as the browser runs it, against FIPS 180-4 vectors. */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

interface Hasher {
  update(b: Uint8Array): Hasher;
  hex(): string;
}

function loadSha256(): new () => Hasher {
  const window: Record<string, unknown> = {};
  const document = { addEventListener: () => undefined, querySelector: () => null };
  vm.runInNewContext(readFileSync(new URL('./static/breakouts.js', import.meta.url), 'utf8'), { window, document, Uint8Array, Uint32Array, Math, Array, Number, String });
  return window.PlenarySha256 as new () => Hasher;
}

const Sha256 = loadSha256();
const enc = (s: string) => new TextEncoder().encode(s);
const hash = (parts: Uint8Array[]) => parts.reduce((h, p) => h.update(p), new Sha256()).hex();

describe('incremental SHA-256 of the uploader', () => {
  it('matches the FIPS 180-4 / NIST example digests', () => {
    expect(hash([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hash([enc('abc')])).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hash([enc('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')])).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    // one million 'a', fed in uneven pieces
    const a = enc('a'.repeat(1_000_000));
    expect(hash([a.subarray(0, 1), a.subarray(1, 65), a.subarray(65, 999_937), a.subarray(999_937)])).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('gives the same digest however the bytes are split into chunks (padding edge lengths included)', () => {
    for (const len of [55, 56, 63, 64, 65, 119, 120, 128, 100_003]) {
      const data = randomBytes(len);
      const want = createHash('sha256').update(data).digest('hex');
      expect(hash([data])).toBe(want);
      const parts: Uint8Array[] = [];
      for (let i = 0, step = 1; i < len; i += step, step = (step * 7 + 3) % 97 || 1) parts.push(data.subarray(i, Math.min(len, i + step)));
      expect(hash(parts)).toBe(want);
    }
  });
});
