import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataError } from '../harness.js';
import { suite } from './suite.js';

const data = fileURLToPath(new URL('../../fixtures/allocation/100i_4j_3k_3d_data.csv', import.meta.url));
const log = () => undefined;

describe('breakouts suite', () => {
  it('reports the issue’s metrics beside random and one item per group with the file’s ids', async () => {
    const r = await suite.run({ data, log, args: { 'id-column': 'ID', features: 'gender,age,region,nation,media', 'group-size': '8', rounds: '4', seed: 's1', 'no-shuffles': true } });
    expect(Object.keys(r.metrics).sort()).toEqual(['maxFeatureDeviation', 'meanDistinctMet', 'random_maxFeatureDeviation', 'random_meanDistinctMet', 'random_repeatedPairs', 'repeatedPairs', 'seconds']);
    expect(r.metrics.repeatedPairs).toBe(0);
    expect(r.metrics.maxFeatureDeviation).toBeLessThan(r.metrics.random_maxFeatureDeviation);
    expect(r.items).toHaveLength(4 * 13);
    expect(r.items[0]).toMatchObject({ round: 1, group: 1 });
    const round1 = r.items.filter((i) => i.round === 1).flatMap((i) => i.members as string[]);
    expect(round1).toHaveLength(100);
    expect(round1).toContain('AA');
  });
  it('refuses a missing column or an impossible group size as a DataError', async () => {
    await expect(suite.run({ data, log, args: { 'id-column': 'id', features: 'gender' } })).rejects.toThrow(DataError);
    await expect(suite.run({ data, log, args: { 'id-column': 'ID', features: 'gender', 'group-size': '200' } })).rejects.toThrow(/too few for one group of at least 199: 99 more needed/);
  });
});

describe('breakouts suite with the ILP baseline', () => {
  it('adds the ILP figures (greedy rounds, each an integer program) on a small table', async () => {
    const small = fileURLToPath(new URL('../../fixtures/allocation/30i_4j_3k_3d_data.csv', import.meta.url));
    const r = await suite.run({ data: small, log, args: { 'id-column': 'ID', features: 'gender,age,region', 'group-size': '8', rounds: '2', seed: 's1', 'no-shuffles': true, ilp: true, 'ilp-seconds': '2' } });
    expect(r.metrics.ilp_repeatedPairs).toBeGreaterThanOrEqual(0);
    expect(r.metrics.ilp_maxFeatureDeviation).toBeGreaterThan(0);
    expect(r.metrics.ilp_meanDistinctMet).toBeGreaterThan(6);
    expect((r.provenance as { ilp_status: string[] }).ilp_status).toHaveLength(2);
  }, 60_000);
});
