import { createHash } from 'node:crypto';

/** sha256 of a UTF-8 string, hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Small seeded PRNG (xoshiro128**, Blackman & Vigna), seeded from the sha256 of a string so every seed string
 * gives an independent, reproducible stream. Not for cryptography; for Monte-Carlo and tie-breaking.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: string) {
    const h = createHash('sha256').update(`rng:${seed}`, 'utf8').digest();
    this.s0 = h.readUInt32LE(0);
    this.s1 = h.readUInt32LE(4);
    this.s2 = h.readUInt32LE(8);
    this.s3 = h.readUInt32LE(12);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** next 32-bit unsigned integer */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** uniform in [0, 1) with 53 bits */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** uniform integer in [0, n) without modulo bias */
  int(n: number): number {
    if (!(n >= 1) || n > 0x100000000) throw new RangeError(`Rng.int: bad bound ${n}`);
    if (n === 1) return 0;
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Fisher–Yates shuffle in place */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Index in [0, m) from the sha256 of a public seed string: the big-endian 256-bit integer modulo m. */
export function indexFromSeed(seedSource: string, m: number): { seedSha256: string; index: number } {
  const seedSha256 = sha256Hex(normaliseSeed(seedSource));
  const index = Number(BigInt(`0x${seedSha256}`) % BigInt(m));
  return { seedSha256, index };
}

/** Public seeds are typed by people: trim and collapse whitespace so "12 34" and " 12  34 " agree. */
export function normaliseSeed(seedSource: string): string {
  return seedSource.normalize('NFC').trim().replace(/\s+/g, ' ');
}
