import { describe, expect, it } from 'vitest';
import type { Summarizer } from '../../models/types.js';
import { checkCitations, summarizeDiscussion, type DiscussionComment } from './index.js';

const prov = { task: 'summarizer' as const, backend: 'stub', modelId: 'stub', version: '1', weightsSha256: null, params: {} };
/** a stand-in summariser: the first doc's text, citing the first two docs (and, on request, an id that does not exist) */
const stub = (bad = false): Summarizer => ({
  provenance: prov,
  async summarize(docs) {
    return { output: [{ text: docs[0].text, sourceIds: docs.slice(0, 2).map((d) => d.id) }, ...(bad ? [{ text: 'Invented.', sourceIds: ['nope'] }] : [])], provenance: prov };
  },
});
const c = (id: string, alignment: DiscussionComment['alignment']): DiscussionComment => ({ id, text: `comment ${id}`, alignment });

describe('discussion summaries', () => {
  it('agreement when one side holds two thirds of the aligned comments; disagreement points from both sides, labelled', async () => {
    const out = await summarizeDiscussion([c('1', 'in_favour'), c('2', 'in_favour'), c('3', 'against'), c('4', 'neutral')], stub(), { language: 'en' });
    expect(out.sentences[0].sourceIds).toEqual(['1', '2']);
    expect(out.agreement.map((p) => p.side)).toEqual(['in_favour']);
    expect(out.disagreement.map((p) => p.side)).toEqual(['in_favour', 'against']);
    expect(out.disagreement[1].sourceIds).toEqual(['3']);
    const split = await summarizeDiscussion([c('1', 'in_favour'), c('2', 'against')], stub(), { language: 'en' });
    expect(split.agreement).toEqual([]);
  });

  it('drops points citing unknown comments and counts them', async () => {
    const out = await summarizeDiscussion([c('1', 'neutral'), c('2', 'neutral')], stub(true), { language: 'en' });
    expect(out.sentences.map((s) => s.text)).toEqual(['comment 1']);
    expect(out.citations.dropped).toBe(1);
    expect(checkCitations([{ text: 'x', sourceIds: [] }], new Set(['1'])).kept).toEqual([]);
  });
});
