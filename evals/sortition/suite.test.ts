import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataError } from '../harness.js';
import { suite } from './suite.js';

const dir = (p: string) => fileURLToPath(new URL(`../../fixtures/sortition/${p}`, import.meta.url));

describe('sortition eval suite', () => {
  it('reports the metrics named in the issue on a fixture directory', async () => {
    const r = await suite.run({ data: dir('flanigan-format'), args: { 'panel-size': '2', 'legacy-runs': '2000' }, log: () => {} });
    for (const name of ['minProbability', 'gini', 'geometricMean', 'sumProbabilities', 'quotaViolations', 'legacyMinProbability', 'seconds']) expect(r.metrics).toHaveProperty(name);
    expect(r.metrics.minProbability).toBeCloseTo(1 / 6, 6);
    expect(r.metrics.sumProbabilities).toBeCloseTo(2, 6);
    expect(r.metrics.quotaViolations).toBe(0);
    expect(r.metrics.lotteryQuotaViolations).toBe(0);
    expect(r.metrics.minProbability).toBeGreaterThanOrEqual(r.metrics.legacyMinProbability - 1e-9);
    expect(r.items.map((i) => i.name)).toEqual(['gender=female', 'gender=male', 'leaning=left', 'leaning=right']);
    expect(r.items[0]).toMatchObject({ poolCount: 4, expectedSeats: 1, meanProbability: 0.25 });
  });

  it('throws DataError for unreadable or ambiguous data', async () => {
    await expect(suite.run({ data: dir('no-such-dir'), args: { 'panel-size': '2' }, log: () => {} })).rejects.toBeInstanceOf(DataError);
    await expect(suite.run({ data: dir('flanigan-format'), args: { 'panel-size': '20' }, log: () => {} })).rejects.toThrow(/larger than the pool/);
    await expect(suite.run({ data: dir(''), args: { 'panel-size': '2' }, log: () => {} })).rejects.toThrow(/exactly one quotas CSV/);
  });
});
