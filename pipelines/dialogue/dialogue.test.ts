import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { suite, readGroups } from '../../evals/dialogue/suite.js';
import { keywordLabel, labelOf, predict, score, train, type LabelledMessage } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/delidata/', import.meta.url));
const opts = { l2: 1e-4, classWeight: { agree: 1, disagree: 1 }, epochs: 150, learningRate: 2, minCount: 1 };

describe('dialogue acts', () => {
  it('scores per class and macro, counting a class never predicted as F1 0', () => {
    const s = score(['agree', 'disagree', 'other', 'other'], ['agree', 'other', 'other', 'agree']);
    expect(s.f1_agree).toBeCloseTo(2 / 3);
    expect(s.f1_disagree).toBe(0);
    expect(s.f1_other).toBeCloseTo(0.5);
    expect(s.macroF1).toBeCloseTo((2 / 3 + 0 + 0.5) / 3);
    expect(s.accuracy).toBe(0.5);
  });

  it('maps DeliData targets and applies the keyword rule', () => {
    expect([labelOf('Agree'), labelOf('Disagree'), labelOf('Reasoning'), labelOf(''), labelOf('0')]).toEqual(['agree', 'disagree', 'other', 'other', 'other']);
    expect(keywordLabel('yeah I agree')).toBe('agree');
    expect(keywordLabel("no, I don't think so")).toBe('disagree');
    expect(keywordLabel('what about the 7?')).toBe('other');
  });

  it('learns words it was never told about from labelled examples', () => {
    const data: LabelledMessage[] = [];
    for (let i = 0; i < 20; i++) data.push({ text: `absolutely spot on ${i}`, label: 'agree' }, { text: `rubbish idea ${i}`, label: 'disagree' }, { text: `we turn the card ${i}`, label: 'other' });
    const m = train(data, opts);
    expect(predict(m, 'spot on')).toBe('agree');
    expect(predict(m, 'rubbish')).toBe('disagree');
    expect(predict(m, 'the card')).toBe('other');
  });

  it('reads DeliData group files and runs the suite with its baselines on a split by group', async () => {
    const groups = readGroups(FIXTURES, 250);
    expect(groups).toHaveLength(9);
    expect(groups.flatMap((g) => g.messages).some((m) => m.label === 'disagree')).toBe(true);
    const res = await suite.run({ data: FIXTURES, args: {}, log: () => undefined });
    for (const k of ['macroF1', 'f1_agree', 'f1_disagree', 'majority_macroF1', 'keyword_macroF1', 'keyword_f1_agree']) expect(res.metrics[k]).toBeGreaterThanOrEqual(0);
    expect(res.metrics.majority_f1_agree).toBe(0);
    expect(res.items).toHaveLength(9 - 4); // the second half of the groups is the test part
    await expect(suite.run({ data: '/nonexistent', args: {}, log: () => undefined })).rejects.toThrow('is not a directory');
  });
});
