import { describe, expect, it } from 'vitest';
import { cholesky, generatePool, normalCdf, poolToCsv, SF_E_LIKE } from './generate.js';
import { parsePeopleCsv, parseQuotasCsv } from './csv.js';
import { diagnoseQuotas } from './select.js';
import { validateSelectionInput } from './pool.js';

function codeCorrelation(codes: number[][], a: number, b: number): number {
  const n = codes.length;
  const mean = (i: number) => codes.reduce((s, c) => s + c[i], 0) / n;
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (const c of codes) {
    sab += (c[a] - ma) * (c[b] - mb);
    saa += (c[a] - ma) ** 2;
    sbb += (c[b] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('hard pool generator', () => {
  const k = 110;
  const g = generatePool({ people: 1700, panelSize: k, seed: 'test' });
  const F = SF_E_LIKE.features;
  const codes = g.pool.people.map((p) => F.map((f) => f.values.indexOf(p.features[f.name])));

  it('has the shape of a real pool: 7 features of 2–6 values, ≥ 400 profiles, households of 1–3', () => {
    expect(g.pool.people).toHaveLength(1700);
    expect(g.pool.categories).toHaveLength(7);
    for (const f of F) expect(f.values.length).toBeGreaterThanOrEqual(2);
    for (const f of F) expect(f.values.length).toBeLessThanOrEqual(6);
    expect(codes.every((c) => c.every((v) => v >= 0))).toBe(true);
    expect(g.profiles).toBeGreaterThanOrEqual(400);
    const sizes = new Map<string, number>();
    for (const p of g.pool.people) if (p.household) sizes.set(p.household, (sizes.get(p.household) ?? 0) + 1);
    const counts = [...sizes.values()];
    expect(Math.max(...counts)).toBe(3);
    expect(Math.min(...counts)).toBe(2);
    const shared = counts.reduce((s, c) => s + c, 0) / 1700;
    expect(shared).toBeGreaterThan(0.05);
    expect(shared).toBeLessThan(0.3);
    // housemates share the region feature (c)
    const regionOf = new Map<string, Set<string>>();
    for (const p of g.pool.people) if (p.household) regionOf.set(p.household, (regionOf.get(p.household) ?? new Set()).add(p.features.c));
    expect([...regionOf.values()].every((s) => s.size === 1)).toBe(true);
  });

  it('reproduces the population marginals on untilted features and the tilt on b and e', () => {
    F.forEach((f, i) => {
      const share = f.values.map((_, v) => codes.filter((c) => c[i] === v).length / codes.length);
      if (f.beta === 0) f.shares.forEach((s, v) => expect(Math.abs(share[v] - s)).toBeLessThan(0.05));
    });
    // self-selection: b's highest code is over-represented, e's highest codes under-represented
    const b = F.findIndex((f) => f.name === 'b');
    expect(codes.filter((c) => c[b] === 3).length / codes.length).toBeGreaterThan(F[b].shares[3] + 0.05);
  });

  it('reproduces the measured pairwise correlations (copula) on the strongest pairs', () => {
    const idx = (n: string) => F.findIndex((f) => f.name === n);
    // b–g 0.19 and d–e −0.17 in sf_e's population; the pool keeps the sign and rough size
    expect(codeCorrelation(codes, idx('b'), idx('g'))).toBeGreaterThan(0.08);
    expect(codeCorrelation(codes, idx('d'), idx('e'))).toBeLessThan(-0.06);
    expect(Math.abs(codeCorrelation(codes, idx('a'), idx('f')))).toBeLessThan(0.06);
  });

  it('derives proportional quotas with slack that admit a panel, and round-trips through the OpenDLP CSV layout', async () => {
    let lo = 0;
    for (const f of F) {
      const rows = g.quotas.rows.filter((q) => q.category === f.name);
      f.values.forEach((v, i) => {
        const q = rows.find((r) => r.value === v)!;
        const ideal = k * f.shares[i];
        expect(q.min).toBeLessThanOrEqual(ideal);
        expect(q.max).toBeGreaterThanOrEqual(Math.min(ideal, codes.filter((c) => c[F.indexOf(f)] === i).length));
        expect(q.max - q.min).toBeLessThanOrEqual(Math.ceil(ideal * 0.2) + 2);
      });
      lo = Math.max(lo, rows.reduce((s, q) => s + q.min, 0));
    }
    expect(lo).toBeLessThanOrEqual(k);
    expect(() => validateSelectionInput(g.pool, g.quotas, k)).not.toThrow();
    expect((await diagnoseQuotas(g.pool, g.quotas, k)).feasible).toBe(true);
    const csv = poolToCsv(g);
    const quotas = parseQuotasCsv(csv.categories);
    const parsed = parsePeopleCsv(csv.respondents, { quotas });
    expect(parsed.pool.people).toHaveLength(1700);
    const households = new Set(parsed.pool.people.map((p) => p.household));
    expect(households.size).toBe(g.households);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const again = generatePool({ people: 300, panelSize: 30, seed: 's1' });
    expect(generatePool({ people: 300, panelSize: 30, seed: 's1' })).toEqual(again);
    expect(generatePool({ people: 300, panelSize: 30, seed: 's2' }).pool.people).not.toEqual(again.pool.people);
  });

  it('checks its numerical helpers', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(() => cholesky([[1, 2], [2, 1]])).toThrow(/positive definite/);
    const l = cholesky(SF_E_LIKE.correlation);
    expect(l[1][0] * l[1][0] + l[1][1] * l[1][1]).toBeCloseTo(1, 12);
  });
});
