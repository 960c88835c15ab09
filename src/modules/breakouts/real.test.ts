/** The transcription job with the REAL offline registry: ffmpeg, Silero VAD and PocketSphinx, on espeak-ng speech. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRegistry } from '../../../models/types.js';
import { modelsFor } from '../../build.js';
import { testConfig } from '../../config.js';
import { testService, type TestService } from '../../testing/service.js';
import type { TranscriptPayload } from './domain.js';
import { espeak, ffmpeg, moreMembers, runAll, setupGroup, tempDir, upload } from './testkit.js';

let s: TestService;
let models: ModelRegistry;
beforeAll(async () => {
  models = modelsFor(testConfig());
  s = await testService({ models, config: { dataDir: tempDir() } });
});
afterAll(async () => {
  await models.close();
});

describe('breakout transcription with the real models', () => {
  it('transcribes a few seconds of English speech (Ogg/Opus upload) attributed to its member, and approval feeds contributions', async () => {
    const dir = tempDir();
    const wav = espeak(dir, 'ada.wav', 'I propose that we should build more bicycle lanes in the city.');
    const ogg = ffmpeg(dir, 'ada.ogg', ['-i', `${dir}/ada.wav`, '-c:a', 'libopus', '-ar', '48000']);
    expect(wav.length).toBeGreaterThan(0);
    const { ada } = moreMembers(s);
    const { groupId, api } = await setupGroup(s, [ada]);
    const r = await upload(s, groupId, 'ada.ogg', ogg, { memberId: ada });
    expect(r.status).toBe(201);
    expect(await r.json()).toMatchObject({ codec: 'opus', sampleRate: 48000 });
    await s.call('facilitator', 'POST', `${api}/groups/${groupId}/transcribe`, {});
    const [job] = await runAll(s);
    expect(job.status).toBe('succeeded');
    const item = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'transcript', status: ['pending'] })[0];
    expect(item.provenance).toMatchObject({ modelIds: expect.arrayContaining([expect.stringMatching(/silero/i)]) });
    const p = item.payload as TranscriptPayload;
    expect(p.segments.length).toBeGreaterThanOrEqual(1);
    expect(p.segments.every((x) => x.speakerId === ada && x.status === 'transcribed')).toBe(true);
    const text = p.segments.map((x) => x.text).join(' ').toLowerCase();
    // PocketSphinx is weak on synthetic speech (see /work/shared/MODELS.md): check that words came out, in the right place
    expect(text.split(/\s+/).filter(Boolean).length).toBeGreaterThanOrEqual(4);
    expect(p.segments[0].start).toBeGreaterThanOrEqual(0.1); // speech starts at 0.5 s (padded by 0.2 s)
    expect(p.segments[0].start).toBeLessThanOrEqual(0.6);
    expect(p.segments[p.segments.length - 1].end).toBeGreaterThan(3);
    expect((await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/review/${item.id}/approve`, {})).status).toBe(200);
    await runAll(s);
    const c = (await (await s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/contributions`)).json()) as { items: Array<{ source: string; authorLabel: string }> };
    expect(c.items.filter((x) => x.source === 'transcript').map((x) => x.authorLabel)).toEqual(p.segments.map(() => 'Ada'));
  });
});
