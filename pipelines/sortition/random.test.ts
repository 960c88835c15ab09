import { describe, expect, it } from 'vitest';
import { indexFromSeed, normaliseSeed, Rng, sha256Hex } from './random.js';

describe('Rng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = new Rng('x');
    const b = new Rng('x');
    const c = new Rng('y');
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('draws integers uniformly in range', () => {
    const r = new Rng('uniform');
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400); // > 4 sd
    for (let i = 0; i < 1000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const s = new Rng('s').shuffle([...items]);
    expect([...s].sort((a, b) => a - b)).toEqual(items);
    expect(s).not.toEqual(items);
  });
});

describe('indexFromSeed', () => {
  it('is sha256 of the normalised seed as a big integer mod m (values computed independently with Python hashlib)', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(indexFromSeed('abc', 1000).index).toBe(965);
    expect(indexFromSeed('  12 19  23 31 44 + 7 ', 1000)).toEqual({ seedSha256: sha256Hex('12 19 23 31 44 + 7'), index: 325 });
    expect(normaliseSeed(' a \n b ')).toBe('a b');
  });
});
