import { describe, expect, it } from 'vitest';
import { newId } from '../../platform/ids.js';
import { testService } from '../../testing/service.js';
import { breakoutTranscripts } from '../breakouts/schema.js';
import { speakingSeconds } from './domain.js';
import { panel } from './testkit.js';

describe('speaking time', () => {
  it('counts each speaker’s segments once where they overlap, skips empty segments and unknown speakers', () => {
    const s = speakingSeconds([
      { speakerId: 'a', start: 0, end: 10, status: 'transcribed' },
      { speakerId: 'a', start: 5, end: 15, status: 'edited' },
      { speakerId: 'a', start: 20, end: 22, status: 'untranscribed' },
      { speakerId: 'b', start: 8, end: 12, status: 'transcribed' },
      { speakerId: 'b', start: 30, end: 40, status: 'empty' },
      { speakerId: null, start: 0, end: 100, status: 'transcribed' },
    ]);
    expect(Object.fromEntries(s)).toEqual({ a: 17, b: 4 });
  });

  it('reports shares per group and over the assembly to facilitators only, quiet members flagged', async () => {
    const s = await testService();
    const [ada, bram] = panel(s, 2).memberIds;
    const b = `/api/assemblies/${s.assemblyId}/breakouts`;
    const sid = ((await (await s.call('facilitator', 'POST', `${b}/sessions`, { title: 'W1' })).json()) as { id: string }).id;
    const g = ((await (await s.call('facilitator', 'POST', `${b}/sessions/${sid}/groups`, { name: 'A', memberIds: [s.users.participant, ada, bram] })).json()) as { id: string }).id;
    // an approved multi-track transcript (the table the review queue's publish writes)
    const seg = (speakerId: string, start: number, end: number) => ({ index: 0, trackIndex: 0, start, end, speakerId, text: 'x', language: 'fr', status: 'transcribed' });
    s.db.insert(breakoutTranscripts).values({ id: newId('tr_'), assemblyId: s.assemblyId, sessionId: sid, groupId: g, reviewItemId: 'ri', language: 'fr', segments: [seg(ada, 0, 60), seg(s.users.participant, 60, 100), seg(bram, 100, 102)] }).run();
    expect((await s.call('participant', 'GET', `/api/assemblies/${s.assemblyId}/deliberation/speaking`)).status).toBe(403);
    const r = (await (await s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/deliberation/speaking`)).json()) as { members: Array<{ pseudonym: string; seconds: number; share: number; quiet: boolean }>; groups: Array<{ totalSeconds: number }> };
    expect(r.groups[0].totalSeconds).toBe(102);
    expect(r.members.map((m) => [m.pseudonym, m.seconds, m.quiet])).toEqual([
      ['M02', 2, true],
      ['Tester', 40, false],
      ['M01', 60, false],
    ]);
    const page = await s.app.request(`/facilitate/${s.assemblyId}/deliberation/speaking`, { headers: { authorization: `Bearer ${s.tokens.facilitator}`, accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-quiet="yes"');
  });
});
