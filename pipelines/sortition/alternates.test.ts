import { describe, expect, it } from 'vitest';
import { rankAlternates, replaceDropouts } from './alternates.js';
import { makePool, makeQuotas } from './testing.js';

const pool = makePool(['g', 'a'], ['w1:f,y', 'w2:f,o', 'w3:f,y:H', 'm1:m,y:H', 'm2:m,o', 'm3:m,o', 'm4:m,y']);
const quotas = makeQuotas(['g=f:1-1', 'g=m:1-1', 'a=y:1-1', 'a=o:1-1']);

describe('alternates', () => {
  it('ranks replacements by quota deviation and excludes housemates of remaining members', () => {
    const r = rankAlternates(pool, quotas, ['w1', 'm2'], { seed: 's' });
    // replacing w1 (f, y): w3 is f,y → deviation 0; w2 (f,o) breaks age quotas → 2; men break gender
    expect(r.perMember.w1[0]).toEqual({ id: 'w3', deviation: 0, featuresChanged: 0 });
    expect(r.perMember.w1.find((c) => c.id === 'w2')?.deviation).toBe(2);
    // replacing m2 (m, o): m3 is exact; m1 lives with nobody on the panel → allowed
    expect(r.perMember.m2[0]).toEqual({ id: 'm3', deviation: 0, featuresChanged: 0 });
    expect(r.global[0].bestDeviation).toBe(0);
    // with w3 seated, her housemate m1 cannot replace m2
    const r2 = rankAlternates(pool, quotas, ['w3', 'm2'], { seed: 's' });
    expect(r2.perMember.m2.map((c) => c.id)).not.toContain('m1');
    expect(rankAlternates(pool, quotas, ['w1', 'm2'], { seed: 's' })).toEqual(r);
  });

  it('replaces several dropouts keeping quotas when possible', async () => {
    const res = await replaceDropouts(pool, quotas, ['w1', 'm2'], ['w1', 'm2'], { seed: 's' });
    expect(res.deviation).toBe(0);
    expect(res.replacements).toHaveLength(2);
    expect(res.replacements).not.toContain('w1');
    // the new pair is one woman and one man, one young and one old, not housemates
    const f = res.panel.filter((id) => id.startsWith('w'));
    expect(f).toHaveLength(1);
    expect(res.panel.includes('w3') && res.panel.includes('m1')).toBe(false);
    // only m2 drops out: the only replacement keeping every quota is the other old man
    const one = await replaceDropouts(pool, quotas, ['w1', 'm2'], ['m2'], { seed: 's' });
    expect(one.replacements).toHaveLength(1);
    expect(['m3']).toContain(one.replacements[0]); // the only old man left
    expect(one.deviation).toBe(0);
  });
});
