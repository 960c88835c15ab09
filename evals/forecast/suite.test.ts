import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataError } from '../harness.js';
import { suite } from './suite.js';

const seattle = fileURLToPath(new URL('../../fixtures/polis/15-per-hour-seattle', import.meta.url));

describe('forecast eval suite', () => {
  it('chooses k on the validation conversation and reports test MAE and precision/recall beside the naive forecast', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forecast-'));
    cpSync(seattle, join(dir, 'a-seattle'), { recursive: true });
    cpSync(seattle, join(dir, 'b-seattle'), { recursive: true });
    const r = await suite.run({ data: dir, args: { seed: '3' }, log: () => {} });
    expect(r.metrics.testConversations).toBe(1);
    expect(r.metrics.testCells).toBeGreaterThan(20);
    // Pol.is groups differ on this conversation: the grouped forecast must beat the overall share
    expect(r.metrics.testMaeGrouped).toBeLessThan(r.metrics.testMaeNaive);
    expect(r.items.map((i) => [i.name, i.split])).toEqual([['b-seattle', 'test'], ['a-seattle', 'validation']]);
  });
  it('fails clearly without data', async () => {
    await expect(suite.run({ data: mkdtempSync(join(tmpdir(), 'forecast-')), args: {}, log: () => {} })).rejects.toThrow(DataError);
  });
});
