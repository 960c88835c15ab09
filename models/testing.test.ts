import { describe, expect, it } from 'vitest';
import { createFakeRegistry } from './testing.js';
import { cosine } from './util.js';

describe('createFakeRegistry', () => {
  it('gives deterministic fakes with provenance backend "fake"', async () => {
    const reg = createFakeRegistry();
    const emb = await reg.get('embedder');
    const a = await emb.embed(['bus fares are high', 'bus fares are high', 'libraries open late']);
    expect(a.provenance.backend).toBe('fake');
    expect(Array.from(a.output[0])).toEqual(Array.from(a.output[1]));
    expect(cosine(a.output[0], a.output[1])).toBeGreaterThan(cosine(a.output[0], a.output[2]));
    const sum = await (await reg.get('summarizer')).summarize([{ id: 'd1', text: 'A b c. D e f.' }], { maxSentences: 1 });
    expect(sum.output).toEqual([{ text: 'A b c.', sourceIds: ['d1'] }]);
    expect((await (await reg.get('languageId')).identify(['Je suis là et nous aussi'])).output[0].lang).toBe('fr');
  });

  it('overrides and removes tasks', async () => {
    const reg = createFakeRegistry({ sentiment: null });
    await expect(reg.get('sentiment')).rejects.toMatchObject({ code: 'MISSING_BACKEND' });
    expect((await reg.status()).find((s) => s.task === 'sentiment')).toMatchObject({ available: false });
  });
});
