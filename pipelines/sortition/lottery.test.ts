import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePeopleCsv, parseQuotasCsv } from './csv.js';
import { buildLottery, drawFromLottery, improveRounding, systematicRounding, verifyDraw, type Lottery } from './lottery.js';
import { countQuotaViolations, selectPanel } from './select.js';
import type { Pool, Quotas, SelectionResult } from './types.js';

const fixture = (p: string) => readFileSync(new URL(`../../fixtures/sortition/${p}`, import.meta.url), 'utf8');

describe('rounding to m tickets', () => {
  it('systematic rounding keeps Σ = m and every count at floor or ceil', () => {
    const w = [0.3333, 0.25, 0.1667, 0.1, 0.15];
    for (const m of [7, 10, 1000]) {
      const c = systematicRounding(w, m);
      expect(c.reduce((s, x) => s + x, 0)).toBe(m);
      c.forEach((x, j) => expect(Math.abs(x - w[j] * m)).toBeLessThan(1));
    }
    expect(systematicRounding([0.5, 0.5], 10)).toEqual([5, 5]);
  });

  it('local improvement never makes the sum of squared deviations worse', () => {
    // 3 groups of one; panels {0,1}, {1,2}, {0,2} with weights giving fractional tickets
    const panels: Array<Array<[number, number]>> = [[[0, 1], [1, 1]], [[1, 1], [2, 1]], [[0, 1], [2, 1]], [[0, 1], [1, 1]]];
    const weights = [0.26, 0.26, 0.26, 0.22];
    const m = 10;
    const start = systematicRounding(weights, m);
    const better = improveRounding(panels, [1, 1, 1], weights, m, start);
    const sq = (counts: number[]) => {
      const dev = [0, 0, 0];
      panels.forEach((p, j) => p.forEach(([g, c]) => (dev[g] += ((counts[j] - weights[j] * m) * c) / m)));
      return dev.reduce((s, d) => s + d * d, 0);
    };
    expect(better.reduce((s, x) => s + x, 0)).toBe(m);
    expect(sq(better)).toBeLessThanOrEqual(sq(start) + 1e-15);
  });
});

describe('lottery, draw and verification on the 30-person fixture', () => {
  let quotas: Quotas;
  let pool: Pool;
  let result: SelectionResult;
  let lottery: Lottery;
  beforeAll(async () => {
    quotas = parseQuotasCsv(fixture('small30/quotas.csv'));
    pool = parsePeopleCsv(fixture('small30/people.csv'), { quotas }).pool;
    result = await selectPanel(pool, quotas, 8);
    lottery = await buildLottery(pool, quotas, result, { m: 1000 });
  });

  it('builds m tickets that all meet the quotas, with shares close to the probabilities', () => {
    expect(lottery.tickets).toHaveLength(1000);
    const position = new Map(pool.people.map((p, i) => [p.id, i]));
    const asDist = { groups: pool.people.map((p) => [p.id]), panels: lottery.tickets.map((t) => t.map((id) => [position.get(id) as number, 1] as [number, number]).sort((a, b) => a[0] - b[0])), weights: lottery.tickets.map(() => 0.001) };
    expect(countQuotaViolations(pool, quotas, asDist, 8)).toBe(0);
    expect(lottery.maxDeviation).toBeLessThan(0.01);
    const share = new Map<string, number>();
    for (const t of lottery.tickets) for (const id of t) share.set(id, (share.get(id) ?? 0) + 0.001);
    for (const p of pool.people) expect(Math.abs((share.get(p.id) ?? 0) - result.probabilities[p.id])).toBeLessThanOrEqual(lottery.maxDeviation + 1e-12);
  });

  it('is reproducible: same inputs give the same lottery hash; row order does not matter', async () => {
    const reordered: Pool = { categories: pool.categories, people: [...pool.people].reverse() };
    const again = await buildLottery(reordered, quotas, await selectPanel(reordered, quotas, 8), { m: 1000 });
    expect(again.sha256).toBe(lottery.sha256);
  });

  it('draws from a public seed, and verifyDraw re-runs it', async () => {
    const record = drawFromLottery(lottery, '2024-06-01 EuroMillions 04 17 23 38 45 * 02 11');
    expect(record.panel).toEqual(lottery.tickets[record.ticket]);
    expect(record.poolSha256).toMatch(/^[0-9a-f]{64}$/);
    const ok = await verifyDraw(record, pool, quotas);
    expect(ok.checks.filter((c) => !c.ok)).toEqual([]);
    expect(ok.ok).toBe(true);

    // tampering is caught
    const other = record.panel.includes('c001') ? 'c030' : 'c001';
    const forged = { ...record, panel: [...record.panel.slice(1), other].sort() };
    const bad = await verifyDraw(forged, pool, quotas);
    expect(bad.ok).toBe(false);
    expect(bad.checks.find((c) => c.check === 'panel')?.ok).toBe(false);
    const changedPool: Pool = { ...pool, people: pool.people.map((p) => (p.id === 'c005' ? { ...p, features: { ...p.features, region: 'Coast' } } : p)) };
    const bad2 = await verifyDraw(record, changedPool, quotas);
    expect(bad2.checks.find((c) => c.check === 'pool')?.ok).toBe(false);
    const bad3 = await verifyDraw({ ...record, ticket: (record.ticket + 1) % 1000 }, pool, quotas);
    expect(bad3.checks.find((c) => c.check === 'seed')?.ok).toBe(false);
  });
});
