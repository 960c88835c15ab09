import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CATALOGUES } from '../../web/i18n.js';
import { testService, type TestService } from '../../testing/service.js';
import { MODULES, type Module } from '../index.js';
import type { OpinionMapPayload } from '../conversations/domain.js';
import type { TextMapPayload } from '../contributions/domain.js';
import type { SummaryPayload } from '../publications/domain.js';
import { pendingOpinionMap, pendingTextMap, postForm } from './testing.js';
import { sentenceChanges } from '../../web/desk-kit.js';
import { moreMembers, setupGroup } from '../breakouts/testkit.js';

/**
 * The review desk through the service (app.request): every kind read as participants will see it with no JSON text,
 * the actions above the draft, both languages, and the edit forms — good input publishes an edited version with its
 * diff kept; bad input re-shows the form with a sentence and writes nothing.
 */

/** Visible text of a page (styles and scripts dropped), entities decoded. */
function visible(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
/** JSON text: an object key in quotes followed by a colon, or a `{"`/`[{` opener. */
const JSON_TEXT = /"[\w$-]+"\s*:|\{\s*"|\[\s*\{/;

const TEST_KIND = 'desk-test';
const testModule: Module = {
  name: 'desk-test',
  reviewKinds: () => [
    {
      kind: TEST_KIND,
      label: 'test output',
      payload: z.object({ headline: z.string(), rows: z.array(z.object({ name: z.string(), count: z.number() })), nested: z.object({ note: z.string(), tags: z.array(z.string()) }) }),
      publish: () => {},
    },
    {
      kind: 'desk-broken',
      label: 'broken renderer',
      payload: z.object({ words: z.string() }),
      publish: () => {},
      desk: {
        render: () => {
          throw new Error('this renderer expects another shape');
        },
      },
    },
  ],
};

let s: TestService;
let mapId: string;
let textMapId: string;
const desk = (id: string, lang = 'en') => s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/review/${id}?lang=${lang}`, undefined, { accept: 'text/html' });
const deskPath = (id: string, what: string) => `/facilitate/${s.assemblyId}/review/${id}/${what}`;

beforeAll(async () => {
  s = await testService({ modules: [...MODULES, testModule] });
  mapId = await pendingOpinionMap(s);
  textMapId = await pendingTextMap(s);
}, 120_000);

describe('the desk shows each kind as participants will see it', () => {
  it('opinion map: SVG, groups and consensus; actions above the draft; no JSON; French page free of the English desk strings', async () => {
    for (const lang of ['en', 'fr'] as const) {
      const res = await desk(mapId, lang);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toMatch(/<svg[^>]*class="opinion-map"/);
      expect(html).toContain('data-group="0"');
      expect(html.indexOf('data-desk-actions')).toBeGreaterThan(0);
      expect(html.indexOf('data-desk-actions')).toBeLessThan(html.indexOf('data-desk-render'));
      expect(html.indexOf('data-desk-render')).toBeLessThan(html.indexOf('data-provenance'));
      expect(html).toMatch(/<details class="desk-fold" data-provenance="true">/);
      expect(visible(html)).not.toMatch(JSON_TEXT);
      if (lang === 'fr') {
        const english = Object.entries(CATALOGUES.en).filter(([k, v]) => k.startsWith('review.desk.') && CATALOGUES.fr[k] !== v && v.length > 12 && !v.includes('{'));
        const leaks = english.filter(([, v]) => visible(html).includes(v)).map(([k]) => k);
        expect(leaks).toEqual([]);
        expect(visible(html)).toContain('Approuver et publier');
      }
    }
  });

  it('text map: picture, clusters with labels, sizes and sample quotes in the contributors’ words', async () => {
    const html = await (await desk(textMapId)).text();
    expect(html).toMatch(/<svg[^>]*class="text-map"/);
    const item = s.deps.review.get(s.db, textMapId);
    const m = item.payload as TextMapPayload;
    const top = m.clusters.filter((c) => c.level === 1);
    for (const c of top) expect(html).toContain(`data-cluster="${c.id}"`);
    expect(visible(html)).toContain(`${top[0].size} contributions`);
    const quote = s.db.$client.prepare('select text from contributions where id = ?').get(top[0].representativeIds[0]) as { text: string };
    expect(visible(html)).toContain(quote.text);
    expect(visible(html)).not.toMatch(JSON_TEXT);
  });

  it('summary: each sentence with its cited contributions’ text in place, not their ids', async () => {
    const sum = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'summary', status: ['pending'] })[0];
    const html = await (await desk(sum.id)).text();
    const p = sum.payload as SummaryPayload;
    const cited = p.sentences[0].sourceIds[0];
    const text = (s.db.$client.prepare('select text from contributions where id = ?').get(cited) as { text: string }).text;
    expect(html).toMatch(/<details class="desk-cite"/);
    expect(visible(html)).toContain(text);
    // the ids appear nowhere above the folded provenance and sources: the reader sees words
    expect(visible(html.split('data-provenance')[0])).not.toContain(cited);
    expect(visible(html)).not.toMatch(JSON_TEXT);
  });

  it('a kind without a desk hook reads as headings, lists and tables — never JSON text', async () => {
    const item = s.db.transaction((tx) =>
      s.deps.review.submit(tx, {
        assemblyId: s.assemblyId, kind: TEST_KIND, subject: 'x', title: 'A test output',
        payload: { headline: 'Night buses', rows: [{ name: 'north', count: 3 }, { name: 'south', count: 5 }], nested: { note: 'kept', tags: ['a', 'b'] } },
        provenance: { stage: 'test', version: '1', inputHash: 'h'.repeat(64), params: { k: 2, deep: { x: [1, 2] } } },
      }),
    );
    const html = await (await desk(item.id)).text();
    expect(html).toContain('<table>');
    expect(visible(html)).toContain('Night buses');
    expect(visible(html)).toContain('south');
    expect(visible(html)).not.toMatch(JSON_TEXT);
    expect(html).not.toContain('data-publish-edit'); // no JSON edit box: approve or reject only
  });

  it('a renderer that cannot read a payload falls back to the generic reading instead of hiding the draft', async () => {
    const item = s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'desk-broken', subject: 'y', title: 'Broken', payload: { words: 'still readable' }, provenance: { stage: 'test', version: '1', inputHash: 'd'.repeat(64) } }));
    const res = await desk(item.id);
    expect(res.status).toBe(200);
    const text = visible(await res.text());
    expect(text).toContain('still readable');
    expect(text).toContain('generic reading');
  });
});

describe('edit forms', () => {
  it('opinion map: two groups named and described in the form; published as edited with the diff kept', async () => {
    const bad = await postForm(s, deskPath(mapId, 'edit'), [['label-0', 'Green streets'], ['label-1', '  '], ['desc-0', 'They want trees']]);
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('role="alert"');
    expect(visible(badHtml)).toMatch(/Group “B” needs a name/);
    expect(badHtml).toContain('value="Green streets"'); // the reviewer's words are kept
    const dup = await postForm(s, deskPath(mapId, 'edit'), [['label-0', 'Same'], ['label-1', 'same']]);
    expect(dup.status).toBe(422);
    expect(visible(await dup.text())).toMatch(/both called/);
    expect(s.deps.review.get(s.db, mapId).status).toBe('pending'); // nothing written
    expect(s.db.$client.prepare('select count(*) n from published_maps').get()).toEqual({ n: 0 });

    const res = await postForm(s, deskPath(mapId, 'edit'), [['label-0', 'Green streets'], ['desc-0', 'Trees, parks and cycling first'], ['label-1', 'Car users'], ['desc-1', '']]);
    expect(res.status).toBe(303);
    const item = s.deps.review.get(s.db, mapId);
    expect(item.status).toBe('edited');
    const edited = item.editedPayload as OpinionMapPayload;
    expect(edited.groups.map((g) => g.label)).toEqual(['Green streets', 'Car users']);
    expect(edited.groups[0].description).toBe('Trees, parks and cycling first');
    expect(edited.groups[1]).not.toHaveProperty('description');
    expect(String(item.diff)).toContain('+      "label": "Green streets"');
    const pub = JSON.parse((s.db.$client.prepare('select body from published_maps').get() as { body: string }).body) as OpinionMapPayload;
    expect(pub.groups[0].label).toBe('Green streets');
    // the decided desk shows what the reviewer changed, readably
    const html = await (await desk(mapId)).text();
    expect(html).toContain('data-desk-compare="true"');
    expect(html).toContain('data-change="changed"');
    expect(visible(html)).not.toMatch(JSON_TEXT);
  });

  it('text map: labels renamed in the form; merge needs two clusters; merge and split make a new draft', async () => {
    const m = s.deps.review.get(s.db, textMapId).payload as TextMapPayload;
    const top = m.clusters.filter((c) => c.level === 1);
    const one = await postForm(s, deskPath(textMapId, 'act/merge'), [['clusterIds', top[0].id]]);
    expect(one.status).toBe(422);
    expect(visible(await one.text())).toContain('Tick at least two clusters to merge.');
    const merged = await postForm(s, deskPath(textMapId, 'act/merge'), [['clusterIds', top[0].id], ['clusterIds', top[1].id], ['label', 'Parks and buses']]);
    expect(merged.status).toBe(303);
    const next = merged.headers.get('location')!.split('/').pop()!;
    expect(next).not.toBe(textMapId);
    expect(s.deps.review.get(s.db, textMapId).status).toBe('superseded');
    const nm = s.deps.review.get(s.db, next).payload as TextMapPayload;
    expect(nm.clusters.filter((c) => c.level === 1).map((c) => c.label)).toContain('Parks and buses');
    expect(visible(await (await desk(next)).text())).toContain('a facilitator merged 2 clusters into one');
    const split = await postForm(s, deskPath(next, 'act/split'), [['clusterId', nm.clusters.find((c) => c.label === 'Parks and buses')!.id]]);
    expect(split.status).toBe(303);
    const third = split.headers.get('location')!.split('/').pop()!;
    const tm = s.deps.review.get(s.db, third).payload as TextMapPayload;
    const tops = tm.clusters.filter((c) => c.level === 1);
    expect(tops.length).toBe(top.length); // merged 2 → 1, split 1 → 2
    // rename every label through the form: one empty label is refused, then all publish
    const fields = tops.map((c, i) => [`label-${c.id}`, i === 0 ? '' : `Theme ${i}`] as [string, string]);
    const bad = await postForm(s, deskPath(third, 'edit'), fields);
    expect(bad.status).toBe(422);
    expect(visible(await bad.text())).toContain('Cluster 1 needs a label.');
    fields[0][1] = 'Trees and shade';
    const ok = await postForm(s, deskPath(third, 'edit'), fields);
    expect(ok.status).toBe(303);
    const done = s.deps.review.get(s.db, third);
    expect(done.status).toBe('edited');
    expect((done.editedPayload as TextMapPayload).clusters.filter((c) => c.level === 1).map((c) => c.label)).toEqual(['Trees and shade', ...tops.slice(1).map((_, i) => `Theme ${i + 1}`)]);
    expect((done.editedPayload as TextMapPayload).revisions.at(-1)).toMatchObject({ op: 'rename', fromItem: third });
  });

  it('summary: text per sentence keeps its citations; an empty sentence or no sentence at all is refused', async () => {
    const sum = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'summary', status: ['pending'] })[0];
    const p = sum.payload as SummaryPayload;
    const fields = (over: Record<string, string>) => [...new Map<string, string>([['title', 'Parks'], ...p.sentences.map((x, i) => [`s-${i}`, x.text] as [string, string]), ...Object.entries(over)])];
    const empty = await postForm(s, deskPath(sum.id, 'edit'), fields({ 's-0': ' ' }));
    expect(empty.status).toBe(422);
    expect(visible(await empty.text())).toContain('Sentence 1 is empty');
    const none = await postForm(s, deskPath(sum.id, 'edit'), fields(Object.fromEntries(p.sentences.map((_, i) => [`drop-${i}`, '1']))));
    expect(none.status).toBe(422);
    expect(s.deps.review.get(s.db, sum.id).status).toBe('pending');
    const res = await postForm(s, deskPath(sum.id, 'edit'), fields({ 's-0': 'A rewritten first sentence.', ...(p.sentences.length > 1 ? { 'drop-1': '1' } : {}) }));
    expect(res.status).toBe(303);
    const edited = s.deps.review.get(s.db, sum.id).editedPayload as SummaryPayload;
    expect(edited.title).toBe('Parks');
    expect(edited.sentences[0]).toEqual({ text: 'A rewritten first sentence.', sourceIds: p.sentences[0].sourceIds });
    expect(edited.sentences).toHaveLength(p.sentences.length > 1 ? p.sentences.length - 1 : 1);
    const html = await (await desk(sum.id)).text();
    expect(html).toContain('data-change="changed"');
  });

  it('the previous approved map is shown beside a new draft (what changed)', async () => {
    const id = await pendingOpinionMap(s, 'Second conversation');
    expect(await (await desk(id)).text()).toContain('data-desk-compare="none"');
    expect((await postForm(s, deskPath(id, 'approve'), [])).status).toBe(303);
    const approved = s.deps.review.get(s.db, id);
    const m = approved.payload as OpinionMapPayload;
    // a newer draft of the same conversation: group B grew, the first consensus statement is gone
    const next: OpinionMapPayload = { ...m, groups: m.groups.map((g, i) => (i === 1 ? { ...g, size: g.size + 3 } : g)), consensus: { ...m.consensus, agree: m.consensus.agree.slice(1) } };
    const newer = s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'opinion-map', subject: approved.subject, title: approved.title, payload: next, provenance: approved.provenance as never }));
    const html = await (await desk(newer.id)).text();
    expect(html).toContain('data-desk-compare="true"');
    expect(html).toMatch(/data-change="changed" data-row="1"/);
    expect(html).toMatch(/data-change="same" data-row="0"/);
    if (m.consensus.agree.length) expect(html).toMatch(/data-change="removed" data-row="[^"]*:/);
    expect(visible(html)).not.toMatch(JSON_TEXT);
  });

  it('a participant cannot open or decide on the desk', async () => {
    expect((await s.call('participant', 'GET', `/facilitate/${s.assemblyId}/review/${mapId}`)).status).toBe(403);
    expect((await postForm(s, deskPath(mapId, 'approve'), [], 'participant')).status).toBe(403);
  });
});

describe('sentence comparison', () => {
  it('pairs removed-then-added runs as changes, keeps order, lists the rest as new or removed', () => {
    expect(sentenceChanges(['a', 'b', 'c'], ['a', 'B', 'c', 'd'])).toEqual([
      { op: 'same', before: 'a', after: 'a' },
      { op: 'changed', before: 'b', after: 'B' },
      { op: 'same', before: 'c', after: 'c' },
      { op: 'added', before: null, after: 'd' },
    ]);
    expect(sentenceChanges(['a', 'b'], ['b']).map((r) => r.op)).toEqual(['removed', 'same']);
  });
});

describe('transcripts, ideas and translations', () => {
  it('transcript: players, the recording each segment came from, speakers; text and speaker corrected per segment', async () => {
    const { ada, bram } = moreMembers(s);
    const g = await setupGroup(s, [ada, bram]);
    const seg = (index: number, trackIndex: number, text: string, speakerId: string | null) => ({ index, trackIndex, start: index * 4, end: index * 4 + 3, speakerId, text, language: 'en', status: 'transcribed' as const });
    const payload = { groupId: g.groupId, sessionId: g.sessionId, language: 'en', segments: [seg(0, 0, 'We need more night buses.', ada), seg(1, 1, 'And safer bike lanes.', bram)], counts: {} };
    const sources = [{ type: 'track', id: 'trk_one', filename: 'ada.wav', memberId: ada }, { type: 'track', id: 'trk_two', filename: 'bram.wav', memberId: bram }];
    const item = s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'transcript', subject: `breakout-group:${g.groupId}`, title: 'Transcript', payload, sources, provenance: { stage: 'breakouts.transcribe', version: '1', inputHash: 'a'.repeat(64) } }));
    const html = await (await desk(item.id, 'fr')).text();
    expect(html).toContain('data-segment-track="1"');
    expect(visible(html)).toContain('Enregistrement 2 (bram.wav)');
    expect(visible(html)).toContain('Ada');
    expect(visible(html)).not.toMatch(JSON_TEXT);
    const bad = await postForm(s, deskPath(item.id, 'edit'), [['text-0', 'x'.repeat(20_001)]]);
    expect(bad.status).toBe(422);
    expect(s.deps.review.get(s.db, item.id).status).toBe('pending');
    const res = await postForm(s, deskPath(item.id, 'edit'), [['text-0', 'We need more night buses at weekends.'], ['speaker-1', ada]]);
    expect(res.status).toBe(303);
    const edited = s.deps.review.get(s.db, item.id).editedPayload as typeof payload;
    expect(edited.segments[0]).toMatchObject({ text: 'We need more night buses at weekends.', status: 'edited', speakerId: ada });
    expect(edited.segments[1]).toMatchObject({ text: 'And safer bike lanes.', speakerId: ada, status: 'edited' });
  });

  it('idea: shown with its quote; rephrased in the form, an empty idea refused', async () => {
    const { groupId, sessionId } = await setupGroup(s, []);
    const payload = { transcriptId: 'bt_x', groupId, sessionId, kind: 'proposal' as const, text: 'Run night buses', quote: 'we should run night buses on fridays', segmentIndex: 0, start: 12, end: 15, speakerId: null, score: 0.8, cues: ['should'], language: 'en' };
    const item = s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'idea', subject: `idea:${groupId}:0`, title: 'Idea', payload, provenance: { stage: 'breakouts.ideas', version: '1', inputHash: 'b'.repeat(64) } }));
    const html = await (await desk(item.id)).text();
    expect(visible(html)).toContain('we should run night buses on fridays');
    expect(visible(html)).not.toMatch(JSON_TEXT);
    expect((await postForm(s, deskPath(item.id, 'edit'), [['text', '   ']])).status).toBe(422);
    expect(s.deps.review.get(s.db, item.id).status).toBe('pending');
  });

  it('translation: the original beside the translation, sentence by sentence; every sentence must stay translated', async () => {
    const src = s.db.$client.prepare("select id, title, language, body from publications where kind = 'summary' limit 1").get() as { id: string; title: string; language: string; body: string };
    const sentences = (JSON.parse(src.body) as { sentences: Array<{ text: string; sourceIds: string[] }> }).sentences;
    const payload = { title: 'Parcs', language: 'fr', sourceLanguage: src.language, sourcePublicationId: src.id, sentences: sentences.map((x, i) => ({ text: `Phrase traduite ${i + 1}.`, sourceIds: x.sourceIds })) };
    const item = s.db.transaction((tx) => s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'translation', subject: `tr:${src.id}:fr`, title: 'Parcs', payload, provenance: { stage: 'publications.translate', version: '1', inputHash: 'c'.repeat(64) } }));
    const html = await (await desk(item.id, 'fr')).text();
    expect(visible(html)).toContain(sentences[0].text);
    expect(visible(html)).toContain('Phrase traduite 1.');
    expect(html).toMatch(new RegExp(`<td lang="${src.language}">`));
    const bad = await postForm(s, `${deskPath(item.id, 'edit')}?lang=fr`, [['title', 'Parcs'], ['s-0', '']]);
    expect(bad.status).toBe(422);
    expect(visible(await bad.text())).toContain('chaque phrase de l’original doit être traduite');
  });
});

describe('decisions on the desk', () => {
  it('a rejection needs a reason (re-shown in the reader’s language); a second decision is refused without writing', async () => {
    const id = await pendingOpinionMap(s, 'Third conversation');
    const bad = await postForm(s, `${deskPath(id, 'reject')}?lang=fr`, [['reason', '  ']]);
    expect(bad.status).toBe(422);
    expect(visible(await bad.text())).toContain('Dites pourquoi vous le rejetez');
    expect(s.deps.review.get(s.db, id).status).toBe('pending');
    expect((await postForm(s, deskPath(id, 'reject'), [['reason', 'The groups mix two questions.']])).status).toBe(303);
    const again = await postForm(s, deskPath(id, 'approve'), []);
    expect(again.status).toBe(409);
    expect(visible(await again.text())).toContain('This item was decided a moment ago');
    const item = s.deps.review.get(s.db, id);
    expect(item).toMatchObject({ status: 'rejected', reason: 'The groups mix two questions.' });
    const html = await (await desk(id)).text();
    expect(visible(html)).toContain('Reason given: The groups mix two questions.');
    expect(html).not.toContain('data-approve');
  });
});
