import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeWav16 } from '../../../models/audio/wav.js';
import { createFakeRegistry, fakeModels } from '../../../models/testing.js';
import { ModelError, type Transcriber } from '../../../models/types.js';
import { verifyAudit } from '../../platform/audit/audit.js';
import { testService, type TestService } from '../../testing/service.js';
import { MODULES } from '../index.js';
import type { TranscriptPayload } from './domain.js';
import { breakoutsModule } from './module.js';
import { fixtureBytes, ffmpeg, moreMembers, putChunk, runAll, setupGroup, sha, tempDir, upload } from './testkit.js';

const MIXED = fixtureBytes('two-speakers-mixed.wav');
const TRACK_A = fixtureBytes('two-speakers-a.wav');
const TRACK_B = fixtureBytes('two-speakers-b.wav');

async function service(opts: Parameters<typeof testService>[0] = {}) {
  const dir = tempDir();
  const s = await testService({ ...opts, config: { dataDir: dir, ...opts.config } });
  return s;
}
type Problem = { status: number; code: string; detail: string; offset?: number };
const problem = async (r: Response) => (await r.json()) as Problem;

function transcriptItem(s: TestService) {
  return s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'transcript', status: ['pending'] })[0];
}

describe('resumable chunked uploads', () => {
  it('stores chunks at the right offsets, resumes from the status offset, verifies the sha256 and stores the file outside the database', async () => {
    const s = await service();
    const { ada } = moreMembers(s);
    const { api, groupId } = await setupGroup(s, [ada]);
    const bytes = TRACK_A;
    const c = await s.call('facilitator', 'POST', `${api}/groups/${groupId}/uploads`, { filename: 'ada.wav', size: bytes.length, memberId: ada });
    expect(c.status).toBe(201);
    const { id } = (await c.json()) as { id: string };
    const half = 100_000;
    expect((await putChunk(s, id, bytes.subarray(0, half), 0, bytes.length)).status).toBe(200);
    // the client lost the answer and resends the same chunk: refused, told where to resume
    const again = await putChunk(s, id, bytes.subarray(0, half), 0, bytes.length);
    expect(again.status).toBe(409);
    expect((await problem(again)).offset).toBe(half);
    // "after a restart" the client asks how much is stored
    const st = (await (await s.call('facilitator', 'GET', `${api}/uploads/${id}`)).json()) as { offset: number; status: string };
    expect(st).toMatchObject({ offset: half, status: 'open' });
    // completing early is refused, nothing is attached
    expect((await s.call('facilitator', 'POST', `${api}/uploads/${id}/complete`, { sha256: sha(bytes) })).status).toBe(409);
    // the rest with the ?offset= form
    const rest = await s.app.request(`${api}/uploads/${id}?offset=${half}`, { method: 'PUT', headers: { authorization: `Bearer ${s.tokens.facilitator}`, 'content-type': 'application/octet-stream' }, body: bytes.subarray(half) });
    expect(rest.status).toBe(200);
    // past the declared size
    expect((await putChunk(s, id, new Uint8Array(10), bytes.length, bytes.length)).status).toBe(413);
    const done = await s.call('facilitator', 'POST', `${api}/uploads/${id}/complete`, { sha256: sha(bytes) });
    expect(done.status).toBe(201);
    const track = (await done.json()) as { id: string; sha256: string; memberId: string; durationSec: number; sampleRate: number };
    expect(track.sha256).toBe(sha(bytes));
    expect(track.memberId).toBe(ada);
    expect(track.durationSec).toBeGreaterThan(10);
    const row = s.db.$client.prepare('select path, sha256 from breakout_tracks where id = ?').get(track.id) as { path: string; sha256: string };
    const onDisk = new Uint8Array(readFileSync(join(s.config.uploadsDir, row.path)));
    expect(sha(onDisk)).toBe(row.sha256);
    expect(readdirSync(join(s.config.uploadsDir, 'breakouts', s.assemblyId, 'parts'))).toEqual([]);
    // completing twice is harmless
    expect(((await (await s.call('facilitator', 'POST', `${api}/uploads/${id}/complete`, { sha256: sha(bytes) })).json()) as { id: string }).id).toBe(track.id);
    expect(verifyAudit(s.db).ok).toBe(true);
  });

  it('a wrong checksum fails the upload, removes the partial file and attaches nothing', async () => {
    const s = await service();
    const { groupId, api } = await setupGroup(s, []);
    const r = await upload(s, groupId, 'mixed.wav', MIXED, { sha256: 'a'.repeat(64) });
    expect(r.status).toBe(422);
    expect((await problem(r)).detail).toMatch(/sha256/);
    expect(s.db.$client.prepare('select count(*) n from breakout_tracks').get()).toEqual({ n: 0 });
    expect(readdirSync(join(s.config.uploadsDir, 'breakouts', s.assemblyId, 'parts'))).toEqual([]);
    const up = s.db.$client.prepare('select id, status from breakout_uploads').get() as { id: string; status: string };
    expect(up.status).toBe('failed');
    expect((await putChunk(s, up.id, new Uint8Array(5), 0, MIXED.length)).status).toBe(409);
    void api;
  });

  it('aborts an upload and cleans stale ones; limits give 413 and 415', async () => {
    const s = await service();
    const { groupId, api } = await setupGroup(s, []);
    const c = (await (await s.call('facilitator', 'POST', `${api}/groups/${groupId}/uploads`, { filename: 'x.ogg', size: 1000 })).json()) as { id: string };
    await putChunk(s, c.id, new Uint8Array(500), 0, 1000);
    const part = join(s.config.uploadsDir, 'breakouts', s.assemblyId, 'parts', `${c.id}.part`);
    expect(existsSync(part)).toBe(true);
    expect((await s.call('facilitator', 'DELETE', `${api}/uploads/${c.id}`)).status).toBe(200);
    expect(existsSync(part)).toBe(false);
    expect(((await (await s.call('facilitator', 'GET', `${api}/uploads/${c.id}`)).json()) as { status: string }).status).toBe('aborted');
    // stale uploads
    const d = (await (await s.call('facilitator', 'POST', `${api}/groups/${groupId}/uploads`, { filename: 'y.mp3', size: 10 })).json()) as { id: string };
    s.db.$client.prepare("update breakout_uploads set updated_at = '2000-01-01T00:00:00.000Z' where id = ?").run(d.id);
    expect(((await (await s.call('facilitator', 'POST', `${api}/uploads/cleanup`, {})).json()) as { aborted: string[] }).aborted).toEqual([d.id]);
    // limits
    const big = await s.call('facilitator', 'POST', `${api}/groups/${groupId}/uploads`, { filename: 'big.wav', size: 5 * 1024 ** 3 });
    expect(big.status).toBe(413);
    expect((await problem(big)).detail).toMatch(/limit/);
    expect((await s.call('facilitator', 'POST', `${api}/groups/${groupId}/uploads`, { filename: 'notes.pdf', size: 10 })).status).toBe(415);
    // a chunk sent as JSON
    expect((await s.call('facilitator', 'PUT', `${api}/uploads/${d.id}`, {})).status).toBe(415);
  });
});

describe('bad input', () => {
  it('refuses corrupt files, unaccepted codecs, absurd sample rates, too-long recordings and foreign members with clear problems', async () => {
    const dir = tempDir();
    const s = await service({ modules: [...MODULES.filter((m) => m.name !== 'breakouts'), breakoutsModule({ limits: { maxDurationSec: 5 } })] });
    const { ada, bram } = moreMembers(s);
    const { groupId, api } = await setupGroup(s, [ada]);
    const junk = new Uint8Array(4000).map((_, i) => (i * 7919) % 251);
    const r1 = await upload(s, groupId, 'junk.wav', junk);
    expect(r1.status).toBe(422);
    expect(await problem(r1)).toMatchObject({ code: 'VALIDATION' });
    expect((await problem(await upload(s, groupId, 'junk.wav', junk))).detail).toMatch(/cannot be used/);
    const adpcm = ffmpeg(dir, 'adpcm.wav', ['-f', 'lavfi', '-i', 'sine=frequency=300:duration=1', '-c:a', 'adpcm_ima_wav']);
    const r2 = await upload(s, groupId, 'adpcm.wav', adpcm);
    expect(r2.status).toBe(415);
    expect((await problem(r2)).detail).toMatch(/adpcm_ima_wav/);
    const weird = new Uint8Array(encodeWav16(new Float32Array(200).fill(0.1), 2));
    const r3 = await upload(s, groupId, 'weird.wav', weird);
    expect(r3.status).toBe(422);
    expect((await problem(r3)).detail).toMatch(/sample rate/);
    const long = ffmpeg(dir, 'long.ogg', ['-f', 'lavfi', '-i', 'sine=frequency=300:duration=8', '-c:a', 'libopus']);
    const r4 = await upload(s, groupId, 'long.ogg', long);
    expect(r4.status).toBe(422);
    expect((await problem(r4)).detail).toMatch(/lasts 8 s/);
    // a track whose member is not in this group
    const r5 = await s.call('facilitator', 'POST', `${api}/groups/${groupId}/uploads`, { filename: 'bram.wav', size: 100, memberId: bram });
    expect(r5.status).toBe(422);
    expect((await problem(r5)).detail).toMatch(/not in group 'Group A' of session 'Mobility'/);
    expect(s.db.$client.prepare('select count(*) n from breakout_tracks').get()).toEqual({ n: 0 });
    expect(readdirSync(join(s.config.uploadsDir, 'breakouts', s.assemblyId, 'parts'))).toEqual([]);
  });

  it('refuses a member track whose length does not match the group’s other tracks', async () => {
    const dir = tempDir();
    const s = await service();
    const { ada, bram } = moreMembers(s);
    const { groupId } = await setupGroup(s, [ada, bram]);
    const long = ffmpeg(dir, 'long.ogg', ['-f', 'lavfi', '-i', 'sine=frequency=300:duration=60', '-c:a', 'libopus']);
    expect((await upload(s, groupId, 'a.wav', TRACK_A, { memberId: ada })).status).toBe(201);
    const r = await upload(s, groupId, 'b.ogg', long, { memberId: bram });
    expect(r.status).toBe(422);
    expect((await problem(r)).detail).toMatch(/same session/);
  });

  it('silence only is a clear "nothing to transcribe" result; a truncated file fails the job once with a clear message', async () => {
    const dir = tempDir();
    const s = await service();
    const { groupId, api } = await setupGroup(s, []);
    const silent = ffmpeg(dir, 'silent.wav', ['-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '3']);
    expect((await upload(s, groupId, 'silent.wav', silent)).status).toBe(201);
    expect((await s.call('facilitator', 'POST', `${api}/groups/${groupId}/transcribe`, {})).status).toBe(202);
    const [job] = await runAll(s);
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ status: 'nothing-to-transcribe' });
    expect(transcriptItem(s)).toBeUndefined();

    const s2 = await service();
    const g2 = await setupGroup(s2, []);
    const mp3 = ffmpeg(dir, 'x.mp3', ['-i', new URL('../../../fixtures/audio/two-speakers-mixed.wav', import.meta.url).pathname]);
    const truncated = mp3.subarray(0, Math.floor(mp3.length * 0.45));
    expect((await upload(s2, g2.groupId, 'cut.mp3', truncated)).status).toBe(201);
    await s2.call('facilitator', 'POST', `${g2.api}/groups/${g2.groupId}/transcribe`, {});
    const jobs = await runAll(s2);
    expect(jobs).toHaveLength(1); // failed at once: not retried
    expect(jobs[0].status).toBe('failed');
    expect(jobs[0].error).toMatch(/cut\.mp3.*truncated/);
    expect(jobs[0].error).not.toMatch(/\/tmp|uploads/);
    expect(transcriptItem(s2)).toBeUndefined();
  });
});

describe('transcription job (fake models)', () => {
  it('attributes each segment of a per-member track to that member, and labels a mixed recording unknown speaker', async () => {
    const s = await service();
    const { ada, bram } = moreMembers(s);
    const { groupId, api } = await setupGroup(s, [ada, bram]);
    expect((await upload(s, groupId, 'ada.wav', TRACK_A, { memberId: ada })).status).toBe(201);
    expect((await upload(s, groupId, 'bram.wav', TRACK_B, { memberId: bram })).status).toBe(201);
    await s.call('facilitator', 'POST', `${api}/groups/${groupId}/transcribe`, {});
    const [job] = await runAll(s);
    expect(job.status).toBe('succeeded');
    const item = transcriptItem(s);
    const p = item.payload as TranscriptPayload;
    // A speaks at ~0.5 s and ~9.6 s, B at ~5.4 s (see fixtures/audio/make-espeak-fixtures.sh)
    expect(p.segments.map((x) => x.speakerId)).toEqual([ada, bram, ada]);
    expect(p.segments.every((x) => x.status === 'transcribed' && x.text.startsWith('fake transcript'))).toBe(true);
    expect((item.provenance as { stage: string }).stage).toBe('transcription');
    expect(JSON.stringify(item.payload)).not.toMatch(/Test participant|displayName/);

    // a mixed recording in another group: unknown speaker, never a guessed name
    const g2 = await s.call('facilitator', 'POST', `${api}/sessions/${(await (await s.call('facilitator', 'POST', `${api}/sessions`, { title: 'Other' })).json() as { id: string }).id}/groups`, { name: 'B' });
    const groupB = ((await g2.json()) as { id: string }).id;
    expect((await upload(s, groupB, 'mixed.wav', MIXED, { language: 'en' })).status).toBe(201);
    await s.call('facilitator', 'POST', `${api}/groups/${groupB}/transcribe`, {});
    await runAll(s);
    const mixed = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'transcript', status: ['pending'] }).find((i) => (i.payload as TranscriptPayload).groupId === groupB)!;
    const mp = mixed.payload as TranscriptPayload;
    expect(mp.segments.length).toBe(3);
    expect(mp.segments.every((x) => x.speakerId === null)).toBe(true);
  });

  it('marks segments in a language without a model untranscribed', async () => {
    const models = fakeModels();
    const enOnly: Transcriber = { ...models.transcriber, languages: ['en'], transcribe: (a, o) => (o.language === 'en' ? models.transcriber.transcribe(a, o) : Promise.reject(new ModelError('UNSUPPORTED_LANGUAGE', o.language))) };
    const s = await service({ models: createFakeRegistry({ transcriber: enOnly }) });
    const { groupId, api } = await setupGroup(s, [], 'fr');
    expect((await upload(s, groupId, 'mixed.wav', MIXED)).status).toBe(201);
    await s.call('facilitator', 'POST', `${api}/groups/${groupId}/transcribe`, {});
    await runAll(s);
    const p = transcriptItem(s).payload as TranscriptPayload;
    expect(p.segments.length).toBeGreaterThan(0);
    expect(p.segments.every((x) => x.status === 'untranscribed' && x.text === '' && x.language === 'fr' && /no speech-to-text model/.test(x.reason ?? ''))).toBe(true);
  });

  it('resumes after an interruption from the checkpointed segments, without transcribing them again', async () => {
    const models = fakeModels();
    let calls = 0;
    let failAt = 2;
    const flaky: Transcriber = {
      ...models.transcriber,
      transcribe: async (a, o) => {
        calls++;
        if (calls === failAt) throw new ModelError('MODEL_FAILED', 'the recogniser process died', undefined, true);
        return models.transcriber.transcribe(a, o);
      },
    };
    const s = await service({ models: createFakeRegistry({ transcriber: flaky }) });
    const { groupId, api } = await setupGroup(s, []);
    expect((await upload(s, groupId, 'mixed.wav', MIXED)).status).toBe(201);
    const job = (await (await s.call('facilitator', 'POST', `${api}/groups/${groupId}/transcribe`, {})).json()) as { id: string };
    const first = await s.deps.jobs.runNext();
    expect(first?.status).toBe('queued'); // transient: will be retried
    const cp = s.deps.jobs.get(job.id)!.checkpoint as { segments: unknown[] };
    // regions run two at a time: the one that failed is missing, the others are saved
    const saved = cp.segments.length;
    expect(saved).toBeGreaterThanOrEqual(1);
    expect(saved).toBeLessThan(3);
    failAt = -1;
    calls = 0;
    s.db.$client.prepare('update jobs set run_after = 0 where id = ?').run(job.id);
    const second = await s.deps.jobs.runNext();
    expect(second?.status).toBe('succeeded');
    expect(calls).toBe(3 - saved); // the saved segments came from the checkpoint
    expect((second?.result as { counts: { resumed: number } }).counts.resumed).toBe(saved);
    expect((transcriptItem(s).payload as TranscriptPayload).segments).toHaveLength(3);
  });

  it('can be cancelled', async () => {
    const s = await service();
    const { groupId, api } = await setupGroup(s, []);
    expect((await upload(s, groupId, 'mixed.wav', MIXED)).status).toBe(201);
    const job = (await (await s.call('facilitator', 'POST', `${api}/groups/${groupId}/transcribe`, {})).json()) as { id: string };
    expect((await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/jobs/${job.id}/cancel`, {})).status).toBe(200);
    await runAll(s);
    expect(s.deps.jobs.get(job.id)?.status).toBe('cancelled');
    expect(transcriptItem(s)).toBeUndefined();
  });
});

describe('review, publication, ideas, retention', () => {
  async function transcribed(opts: { deleteAudio?: boolean } = {}) {
    const s = await service();
    if (opts.deleteAudio) s.db.$client.prepare('update assemblies set delete_audio_after_approval = 1 where id = ?').run(s.assemblyId);
    const { ada, bram } = moreMembers(s);
    const g = await setupGroup(s, [ada, bram]);
    const ta = (await (await upload(s, g.groupId, 'ada.wav', TRACK_A, { memberId: ada })).json()) as { id: string };
    await upload(s, g.groupId, 'bram.wav', TRACK_B, { memberId: bram });
    await s.call('facilitator', 'POST', `${g.api}/groups/${g.groupId}/transcribe`, {});
    await runAll(s);
    return { s, ada, bram, trackA: ta.id, ...g, item: transcriptItem(s) };
  }

  it('approving a newer transcript of the same recording replaces the contributions of the earlier one instead of duplicating them', async () => {
    const { s, api, groupId, item } = await transcribed();
    const approve = (id: string, fields: Record<string, string>) =>
      s.app.request(`/facilitate/${s.assemblyId}/breakouts/transcripts/${id}`, { method: 'POST', headers: { authorization: `Bearer ${s.tokens.facilitator}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ decision: 'approve', ...fields }).toString() });
    const fromTranscript = async () =>
      ((await (await s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/contributions`)).json()) as { items: Array<{ id: string; text: string; source: string; authorLabel: string }> }).items
        .filter((c) => c.source === 'transcript')
        .sort((a, b) => a.text.localeCompare(b.text));
    const p1 = item.payload as TranscriptPayload;
    expect(p1.segments).toHaveLength(3);
    expect((await approve(item.id, { [`text_${p1.segments[0].index}`]: 'We need safer crossings near the school.' })).status).toBe(303);
    const first = await fromTranscript();
    expect(first.map((c) => c.text)).toContain('We need safer crossings near the school.');
    expect(first).toHaveLength(3);
    // the recording is transcribed again; the newer transcript is approved with other corrections:
    // segment 0 reworded, segment 1 emptied (dropped), segment 2 unchanged
    expect((await s.call('facilitator', 'POST', `${api}/groups/${groupId}/transcribe`, {})).status).toBe(202);
    await runAll(s);
    const again = transcriptItem(s);
    expect(again.id).not.toBe(item.id);
    const p2 = again.payload as TranscriptPayload;
    expect((await approve(again.id, { [`text_${p2.segments[0].index}`]: 'We need safer crossings near every school.', [`text_${p2.segments[1].index}`]: '' })).status).toBe(303);
    const second = await fromTranscript();
    expect(second.map((c) => c.text)).toEqual(['We need safer crossings near every school.', p2.segments[2].text].sort((a, b) => a.localeCompare(b)));
    // the unchanged turn kept its contribution (same id); the reworded one replaced the old text
    const kept = first.find((c) => c.text === p2.segments[2].text)!;
    expect(second.find((c) => c.text === p2.segments[2].text)!.id).toBe(kept.id);
    expect(second.map((c) => c.text)).not.toContain('We need safer crossings near the school.');
    // the participant's transcript is the newer one
    const published = (await (await s.call('participant', 'GET', `${api}/groups/${groupId}/transcript`)).json()) as { segments: Array<{ text: string }> };
    expect(published.segments.map((x) => x.text)).toEqual(['We need safer crossings near every school.', p2.segments[2].text]);
    expect(verifyAudit(s.db).ok).toBe(true);
  });

  it('participants never see a pending transcript or pending ideas; approval with corrections publishes, adds contributions and queues idea extraction', async () => {
    const { s, ada, bram, api, groupId, item } = await transcribed();
    const pid = s.users.participant;
    // the participant is a member of the assembly (not of the group): still nothing before approval
    expect((await s.call('participant', 'GET', `${api}/groups/${groupId}/transcript`)).status).toBe(404);
    expect(await (await s.call('participant', 'GET', `${api}/ideas`)).json()).toEqual([]);
    expect((await s.call('participant', 'GET', `${api}/groups/${groupId}`)).status).toBe(403);
    void pid;
    // the facilitator corrects text and speakers through the page form and approves
    const p = item.payload as TranscriptPayload;
    const body = new URLSearchParams({ decision: 'approve' });
    body.set(`text_${p.segments[0].index}`, 'I propose that we build more bicycle lanes in the city.');
    body.set(`text_${p.segments[1].index}`, 'We should also plant more trees along the river. CANARY-NOT-AN-IDEA?');
    body.set(`speaker_${p.segments[2].index}`, bram);
    const res = await s.app.request(`/facilitate/${s.assemblyId}/breakouts/transcripts/${item.id}`, { method: 'POST', headers: { authorization: `Bearer ${s.tokens.facilitator}`, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    expect(res.status).toBe(303);
    expect(s.deps.review.get(s.db, item.id).status).toBe('edited');
    const published = (await (await s.call('participant', 'GET', `${api}/groups/${groupId}/transcript`)).json()) as { segments: Array<{ speaker: string; text: string }> };
    expect(published.segments.map((x) => x.speaker)).toEqual(['Ada', 'Bram', 'Bram']);
    expect(published.segments[0].text).toMatch(/bicycle lanes/);
    expect(JSON.stringify(published)).not.toContain(ada);
    // contributions (mass-input analysis) got the turns, labelled by pseudonym
    const contributions = (await (await s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/contributions`)).json()) as { items: Array<{ text: string; source: string; authorLabel: string }> };
    expect(contributions.items.filter((c) => c.source === 'transcript').map((c) => c.authorLabel).sort()).toEqual(['Ada', 'Bram', 'Bram']);
    // the ideas job: candidates go to review, not to participants
    const jobs = await runAll(s);
    expect(jobs.map((j) => j.type)).toContain('breakouts.ideas');
    const ideas = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'idea', status: ['pending'] });
    expect(ideas.length).toBeGreaterThanOrEqual(2);
    const bike = ideas.find((i) => (i.payload as { quote: string }).quote.includes('bicycle'))!;
    expect(bike.payload).toMatchObject({ kind: 'proposal', speakerId: ada, groupId });
    expect(await (await s.call('participant', 'GET', `${api}/ideas`)).json()).toEqual([]);
    expect(await (await s.app.request(`/a/${s.assemblyId}/ideas`, { headers: { authorization: `Bearer ${s.tokens.participant}` } })).text()).not.toContain('bicycle');
    // approve one idea through the group page form; reject another
    const other = ideas.find((i) => i.id !== bike.id)!;
    const post = (id: string, fields: Record<string, string>) =>
      s.app.request(`/facilitate/${s.assemblyId}/breakouts/ideas/${id}`, { method: 'POST', headers: { authorization: `Bearer ${s.tokens.facilitator}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    expect((await post(bike.id, { decision: 'approve', text: 'More bicycle lanes in the city' })).status).toBe(303);
    expect((await post(other.id, { decision: 'reject', reason: 'not an idea' })).status).toBe(303);
    const visible = (await (await s.call('participant', 'GET', `${api}/ideas`)).json()) as Array<{ text: string; quote: string; groupName: string; speaker: string; start: number }>;
    expect(visible).toHaveLength(1);
    expect(visible[0]).toMatchObject({ text: 'More bicycle lanes in the city', groupName: 'Group A', speaker: 'Ada' });
    expect(visible[0].quote).toMatch(/bicycle lanes/);
    const html = await (await s.app.request(`/a/${s.assemblyId}/ideas`, { headers: { authorization: `Bearer ${s.tokens.participant}` } })).text();
    expect(html).toContain('More bicycle lanes in the city');
    expect(html).toContain('Group A');
    expect(html).not.toContain('CANARY-NOT-AN-IDEA');
    // audio is kept (retention off)
    expect(s.db.$client.prepare('select count(*) n from breakout_tracks where deleted_at is null').get()).toEqual({ n: 2 });
    expect(verifyAudit(s.db).ok).toBe(true);
  });

  it('rejects a correction naming a speaker outside the group', async () => {
    const { s, item } = await transcribed();
    const p = item.payload as TranscriptPayload;
    const bad = { ...p, segments: p.segments.map((x) => ({ ...x, speakerId: s.users.facilitator })) };
    const r = await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/review/${item.id}/edit`, { payload: bad });
    expect(r.status).toBe(422);
    expect(s.deps.review.get(s.db, item.id).status).toBe('pending');
  });

  it('deletes the raw audio after approval when the assembly says so, keeping checksum and deleted-at, audited', async () => {
    const { s, api, trackA, item } = await transcribed({ deleteAudio: true });
    const files = () => readdirSync(join(s.config.uploadsDir, 'breakouts', s.assemblyId)).filter((f) => f !== 'parts');
    expect(files()).toHaveLength(2);
    expect((await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/review/${item.id}/approve`, {})).status).toBe(200);
    const jobs = await runAll(s);
    expect(jobs.find((j) => j.type === 'breakouts.purgeAudio')?.status).toBe('succeeded');
    expect(files()).toEqual([]);
    const rows = s.db.$client.prepare('select sha256, deleted_at from breakout_tracks').all() as Array<{ sha256: string; deleted_at: string | null }>;
    expect(rows.every((r) => r.sha256.length === 64 && r.deleted_at)).toBe(true);
    expect((await s.call('facilitator', 'GET', `${api}/tracks/${trackA}/audio`)).status).toBe(410);
    const audit = s.db.$client.prepare("select count(*) n from audit_log where action = 'breakouts.audio.delete'").get();
    expect(audit).toEqual({ n: 2 });
    expect(verifyAudit(s.db).ok).toBe(true);
  });

  it('streams the audio with HTTP Range to staff only, and renders the review page with a player and seek buttons', async () => {
    const { s, api, trackA, item } = await transcribed();
    const full = await s.call('facilitator', 'GET', `${api}/tracks/${trackA}/audio`);
    expect(full.status).toBe(200);
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect(sha(new Uint8Array(await full.arrayBuffer()))).toBe(sha(TRACK_A));
    const part = await s.call('facilitator', 'GET', `${api}/tracks/${trackA}/audio`, undefined, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${TRACK_A.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(Buffer.from(TRACK_A.subarray(100, 200)));
    const tail = await s.call('facilitator', 'GET', `${api}/tracks/${trackA}/audio`, undefined, { range: 'bytes=-10' });
    expect((await tail.arrayBuffer()).byteLength).toBe(10);
    expect((await s.call('facilitator', 'GET', `${api}/tracks/${trackA}/audio`, undefined, { range: `bytes=${TRACK_A.length + 5}-` })).status).toBe(416);
    expect((await s.call('participant', 'GET', `${api}/tracks/${trackA}/audio`)).status).toBe(403);
    const html = await (await s.app.request(`/facilitate/${s.assemblyId}/breakouts/transcripts/${item.id}`, { headers: { authorization: `Bearer ${s.tokens.facilitator}` } })).text();
    expect(html).toContain(`/breakouts/tracks/${trackA}/audio`);
    expect(html).toMatch(/data-seek="0\.\d+"/);
    expect(html).toContain('Ada');
    expect(html).not.toContain('Test participant');
    const fr = await (await s.app.request(`/facilitate/${s.assemblyId}/breakouts/groups/${(item.payload as TranscriptPayload).groupId}?lang=fr`, { headers: { authorization: `Bearer ${s.tokens.facilitator}` } })).text();
    expect(fr).toContain('Déposer un enregistrement');
    expect(fr).toContain('data-uploader');
  });
});
