import { afterAll, describe, expect, it } from 'vitest';
import { UsePool } from './use.js';

const cosine = (a: Float32Array, b: Float32Array) => {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { d += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
  return d / Math.sqrt(na * nb);
};

describe('UsePool (real USE-lite weights, worker threads)', () => {
  // tiny batches and two workers with prefetch: many batches in flight, dispatched longest first
  const pool = new UsePool({ threads: 2, batchSize: 2, prefetch: 2 });
  const single = new UsePool({ threads: 1, batchSize: 64, prefetch: 1 });
  afterAll(async () => { await pool.close(); await single.close(); });

  const texts = [
    'Public transport should be free for young people.',
    'More cycle lanes in the city centre.',
    'Public transport should be free for young people.',
    'Tax frequent flyers.',
    '',
    'Insulate every social housing flat before 2030, starting with the oldest buildings.',
    'More cycle lanes in the city centre.',
    'Plant trees along the ring road.',
  ];

  it('returns one vector per input, in input order, equal to a one-worker unbatched run', async () => {
    const [a, b] = await Promise.all([pool.embed(texts), single.embed(texts)]);
    expect(a).toHaveLength(texts.length);
    for (let i = 0; i < texts.length; i++) {
      expect(a[i]).toHaveLength(512);
      expect(cosine(a[i], b[i])).toBeGreaterThan(0.9999);
    }
    // different texts really differ (the order was restored, not a constant)
    expect(cosine(a[0], a[1])).toBeLessThan(0.9);
  });

  it('embeds identical texts once but gives every position its own vector', async () => {
    const a = await pool.embed(texts);
    expect(cosine(a[0], a[2])).toBeCloseTo(1, 6);
    expect(a[0]).not.toBe(a[2]);
    a[2].fill(0); // mutating one copy leaves the other intact
    expect(cosine(a[0], a[6])).toBeLessThan(0.9);
    expect(Math.abs(a[0][0])).toBeGreaterThan(0);
  });

  it('keeps concurrent calls apart', async () => {
    const [x, y] = await Promise.all([pool.embed(texts.slice(0, 4)), pool.embed(texts.slice(4))]);
    const all = await single.embed(texts);
    x.forEach((v, i) => expect(cosine(v, all[i])).toBeGreaterThan(0.9999));
    y.forEach((v, i) => expect(cosine(v, all[i + 4])).toBeGreaterThan(0.9999));
  });
});
