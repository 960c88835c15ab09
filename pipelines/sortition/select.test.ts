import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePeopleCsv, parseQuotasCsv } from './csv.js';
import { countQuotaViolations, diagnoseQuotas, selectPanel } from './select.js';
import { makePool, makeQuotas } from './testing.js';
import { InfeasibleQuotasError } from './types.js';

const fixture = (p: string) => readFileSync(new URL(`../../fixtures/sortition/${p}`, import.meta.url), 'utf8');
const small30Quotas = parseQuotasCsv(fixture('small30/quotas.csv'));
const small30 = parsePeopleCsv(fixture('small30/people.csv'), { quotas: small30Quotas }).pool;

describe('LEXIMIN known answers', () => {
  it('one woman and one man from 4 women and 6 men: 1/4 and 1/6 (Flanigan et al. CSV layout)', async () => {
    const quotas = parseQuotasCsv(fixture('flanigan-format/categories.csv'));
    const { pool } = parsePeopleCsv(fixture('flanigan-format/respondents.csv'), { quotas });
    for (const algorithm of ['leximin', 'maximin'] as const) {
      const r = await selectPanel(pool, quotas, 2, { algorithm });
      const women = pool.people.filter((p) => p.features.gender === 'female').map((p) => r.probabilities[p.id]);
      const men = pool.people.filter((p) => p.features.gender === 'male').map((p) => r.probabilities[p.id]);
      expect(Math.min(...women, ...men)).toBeCloseTo(1 / 6, 6);
      if (algorithm === 'leximin') {
        for (const p of women) expect(p).toBeCloseTo(1 / 4, 6);
        for (const p of men) expect(p).toBeCloseTo(1 / 6, 6);
      }
      expect(countQuotaViolations(pool, quotas, r.distribution, 2)).toBe(0);
    }
  });

  it('two levels with a household: C and D always sit (1), housemates A and B share the third seat (1/2 each)', async () => {
    const pool = makePool(['all'], ['A:x:H', 'B:x:H', 'C:x', 'D:x']);
    const quotas = makeQuotas(['all=x:3-3']);
    for (const compress of [true, false]) {
      const r = await selectPanel(pool, quotas, 3, { compress });
      expect(r.probabilities.A).toBeCloseTo(0.5, 6);
      expect(r.probabilities.B).toBeCloseTo(0.5, 6);
      expect(r.probabilities.C).toBeCloseTo(1, 6);
      expect(r.probabilities.D).toBeCloseTo(1, 6);
      expect(r.stats.levels).toBeGreaterThanOrEqual(2); // two distinct values; degenerate duals may fix A and B in separate rounds
      expect(countQuotaViolations(pool, quotas, r.distribution, 3)).toBe(0);
    }
  });

  it('gives probability 0 to people who can sit on no feasible panel', async () => {
    const pool = makePool(['g'], ['a:f', 'b:f', 'c:m', 'd:m', 'e:x']);
    const quotas = makeQuotas(['g=f:1-1', 'g=m:1-1', 'g=x:0-0']);
    const r = await selectPanel(pool, quotas, 2);
    expect(r.probabilities.e).toBe(0);
    expect(r.probabilities.a).toBeCloseTo(0.5, 6);
    expect(r.stats.impossibleGroups).toBe(1);
  });
});

describe('selection on the 30-person fixture (k = 8, three households)', () => {
  it('LEXIMIN: sums to k, no quota violations, same answer with and without grouping, beats LEGACY and maximin in the leximin order', async () => {
    const lex = await selectPanel(small30, small30Quotas, 8);
    const plain = await selectPanel(small30, small30Quotas, 8, { compress: false });
    const ids = small30.people.map((p) => p.id);
    const sum = ids.reduce((s, id) => s + lex.probabilities[id], 0);
    expect(sum).toBeCloseTo(8, 6);
    expect(countQuotaViolations(small30, small30Quotas, lex.distribution, 8)).toBe(0);
    expect(countQuotaViolations(small30, small30Quotas, plain.distribution, 8)).toBe(0);
    const sortedLex = ids.map((id) => lex.probabilities[id]).sort((a, b) => a - b);
    const sortedPlain = ids.map((id) => plain.probabilities[id]).sort((a, b) => a - b);
    sortedLex.forEach((p, i) => expect(p).toBeCloseTo(sortedPlain[i], 5));
    for (const id of ids) expect(lex.probabilities[id]).toBeCloseTo(plain.probabilities[id], 5); // LEXIMIN allocation is unique

    const legacy = await selectPanel(small30, small30Quotas, 8, { algorithm: 'legacy', legacyRuns: 3000, seed: 't' });
    const legacyMin = Math.min(...ids.map((id) => legacy.probabilities[id]));
    expect(sortedLex[0]).toBeGreaterThanOrEqual(legacyMin - 1e-9);
    expect(countQuotaViolations(small30, small30Quotas, legacy.distribution, 8)).toBe(0);

    const maximin = await selectPanel(small30, small30Quotas, 8, { algorithm: 'maximin' });
    const sortedMax = ids.map((id) => maximin.probabilities[id]).sort((a, b) => a - b);
    expect(sortedMax[0]).toBeCloseTo(sortedLex[0], 6);
    // leximin order: the first index where they differ must favour LEXIMIN
    const i = sortedLex.findIndex((p, j) => Math.abs(p - sortedMax[j]) > 1e-6);
    if (i >= 0) expect(sortedLex[i]).toBeGreaterThan(sortedMax[i]);

    // housemates never sit together
    const hh = new Map(small30.people.map((p) => [p.id, p.household]));
    for (const panel of plain.distribution.panels) {
      const houses = panel.map(([g]) => hh.get(plain.distribution.groups[g][0]));
      expect(new Set(houses).size).toBe(houses.length);
    }
  });
});

describe('infeasible quotas', () => {
  it('proposes the smallest relaxation', async () => {
    const pool = makePool(['g'], ['w1:f', 'w2:f', 'm1:m', 'm2:m', 'm3:m', 'm4:m']);
    const quotas = makeQuotas(['g=f:3-4', 'g=m:0-1']);
    const d = await diagnoseQuotas(pool, quotas, 4);
    expect(d.feasible).toBe(false);
    expect(d.totalRelaxation).toBe(2);
    expect(d.relaxations).toEqual([
      { category: 'g', value: 'f', min: 3, max: 4, newMin: 2, newMax: 4 },
      { category: 'g', value: 'm', min: 0, max: 1, newMin: 0, newMax: 2 },
    ]);
    const err = await selectPanel(pool, quotas, 4).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfeasibleQuotasError);
    expect((err as InfeasibleQuotasError).relaxations).toEqual(d.relaxations);
    expect((err as InfeasibleQuotasError).message).toContain('g=f: 3–4 → 2–4');
    expect((await diagnoseQuotas(pool, makeQuotas(['g=f:2-2', 'g=m:2-2']), 4)).feasible).toBe(true);
  });

  it('diagnoses quotas that cannot add up to k (which selectPanel rejects outright)', async () => {
    const pool = makePool(['g'], ['w1:f', 'w2:f', 'm1:m', 'm2:m']);
    const quotas = makeQuotas(['g=f:0-1', 'g=m:0-1']);
    await expect(selectPanel(pool, quotas, 3)).rejects.toMatchObject({ code: 'QUOTA_SUM' });
    const d = await diagnoseQuotas(pool, quotas, 3);
    expect(d.totalRelaxation).toBe(1);
  });
});
