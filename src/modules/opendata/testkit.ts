import { expect } from 'vitest';
import type { TestService } from '../../testing/service.js';
import { sampleBreakout } from '../breakouts/testing.js';
import { groupSubject, TRANSCRIPT_KIND } from '../breakouts/domain.js';
import { plantedPolis } from '../conversations/testing.js';
import { ctxFor } from '../../deps.js';
import { createRecommendation, editRecommendation } from '../recommendations/service.js';
import { sampleText } from '../texts/testing.js';
import type { Ctx } from '../../platform/context.js';
import { createPhase, createEvent, recordAttendance } from '../deliberation/calendar.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { sampleDebate } from '../debates/testing.js';
import { finalRecommendation } from '../impact/testing.js';
import { addEntry, setResponse, setTheme } from '../impact/service.js';

/** Personal data planted in the pool, the members and the instance: none of it may appear in a package. */
export const CANARIES = ['Zelda Canarywood', 'canary.person@example.org', '+44 7700 900123', '13 Canary Lane', 'CanaryPseudonym'];

const prov = { stage: 'test', version: '1', modelIds: ['fake'], weightsSha256: [null], params: {}, seed: 1, inputHash: 'h' };

async function ok<T = any>(res: Response, status = 200): Promise<T> {
  const body = await res.text();
  expect(res.status, body).toBe(status);
  return JSON.parse(body) as T;
}

/** 12 candidates (gender × age), a name/email/phone/address column each (the first is the canary), k = 4. */
function pool() {
  const rows = ['id,name,email,phone,address,gender,age'];
  for (let i = 0; i < 12; i++) {
    const personal = i === 0 ? [CANARIES[0], CANARIES[1], CANARIES[2], CANARIES[3]] : [`Name${i} Surname${i}`, `p${i}@example.org`, `0770090${1000 + i}`, `${i} Road`];
    rows.push([`reg-${1000 + i}`, ...personal, ['f', 'm'][i % 2], ['young', 'old'][Math.floor(i / 2) % 2]].map((x) => (x.includes(',') ? `"${x}"` : x)).join(','));
  }
  return { people: rows.join('\n') + '\n', quotas: 'category,value,min,max\ngender,f,2,2\ngender,m,2,2\nage,young,1,3\nage,old,1,3\n' };
}

/**
 * An assembly with something in every table the package holds: a drawn pool (with a replacement), a Pol.is
 * conversation plus a member's votes with an approved opinion map, an approved transcript and an approved summary.
 */
export async function richAssembly(s: TestService) {
  const A = `/api/assemblies/${s.assemblyId}`;
  // a member with a canary pseudonym
  await ok(await s.call('public', 'POST', '/api/auth/join', { code: s.codes[0], pseudonym: CANARIES[4], language: 'en' }), 201);
  // sortition
  const fd = new FormData();
  const p = pool();
  fd.append('people', new Blob([p.people], { type: 'text/csv' }), 'people.csv');
  fd.append('quotas', new Blob([p.quotas], { type: 'text/csv' }), 'quotas.csv');
  fd.append('panelSize', '4');
  fd.append('name', 'Town register');
  const imp = await ok<{ id: string }>(await s.app.request(`${A}/sortition/imports`, { method: 'POST', body: fd, headers: { authorization: `Bearer ${s.tokens.facilitator}` } }), 201);
  const run = await ok<{ runId: string }>(await s.call('facilitator', 'POST', `${A}/sortition/pools/${imp.id}/runs`, { algorithm: 'leximin' }), 202);
  await s.deps.jobs.runNext();
  const runView = await ok<{ distributionSha256: string }>(await s.call('facilitator', 'GET', `${A}/sortition/runs/${run.runId}`));
  await ok(await s.call('facilitator', 'POST', `${A}/sortition/runs/${run.runId}/commit`));
  const draw = await ok<{ id: string; record: { panel: string[] } }>(await s.call('facilitator', 'POST', `${A}/sortition/runs/${run.runId}/draw`, { seed: 'lottery 2026-12-07: 4 8 15 16 23 42', distributionSha256: runView.distributionSha256 }), 201);
  await ok(await s.call('facilitator', 'POST', `${A}/sortition/pools/${imp.id}/people/${draw.record.panel[0]}/respond`, { response: 'decline' }));
  const confirmed = await ok<Record<string, unknown>>(await s.call('facilitator', 'POST', `${A}/sortition/pools/${imp.id}/people/${draw.record.panel[1]}/respond`, { response: 'confirm' }));
  // conversation: a Pol.is import, then the member votes
  const cv = await ok<{ id: string }>(await s.call('facilitator', 'POST', `${A}/conversations`, { topic: 'Transport, parking and cycling', recomputeEvery: 0 }), 201);
  const exp = plantedPolis({ participants: 16, statements: 6, seed: 3 });
  await ok(await s.call('facilitator', 'POST', `${A}/conversations/${cv.id}/imports`, { comments: exp.comments, votes: exp.votes, participantsVotes: exp.participantsVotes, source: 'https://example.org/polis' }), 201);
  const conv = await ok<{ statements?: { id: number }[] }>(await s.call('facilitator', 'GET', `${A}/conversations/${cv.id}/statements`));
  const ids = (conv as unknown as { statements: { id: number }[] }).statements ?? (conv as unknown as { id: number }[]);
  for (const st of ids.slice(0, 3)) await ok(await s.call('participant', 'POST', `${A}/conversations/${cv.id}/votes`, { statementId: st.id, vote: 1 }));
  await ok(await s.call('facilitator', 'POST', `${A}/conversations/${cv.id}/recompute`), 202);
  await s.deps.jobs.runNext();
  const mapItem = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'opinion-map', status: ['pending'] })[0];
  expect(mapItem).toBeTruthy();
  s.deps.review.approve(s.db, mapItem.id, s.assemblyId, s.users.facilitator);
  // an approved transcript whose speaker is the member
  const b = sampleBreakout(s);
  const tr = s.db.transaction((tx) =>
    s.deps.review.submit(tx, {
      assemblyId: s.assemblyId, kind: TRANSCRIPT_KIND, subject: groupSubject(b.groupId), title: 'Transcript',
      payload: { groupId: b.groupId, sessionId: b.sessionId, language: 'en', counts: {}, segments: [{ index: 0, trackIndex: 0, start: 0, end: 2.5, speakerId: s.users.participant, text: 'Buses every ten minutes, please.', language: 'en', status: 'transcribed', confidence: 0.9 }] },
      provenance: prov,
    }),
  );
  s.deps.review.approve(s.db, tr.id, s.assemblyId, s.users.facilitator);
  // an approved summary
  const sum = s.db.transaction((tx) =>
    s.deps.review.submit(tx, { assemblyId: s.assemblyId, kind: 'summary', subject: 'session:1', title: 'Session 1', payload: { title: 'Session 1', language: 'en', sentences: [{ text: 'Members want frequent buses.', sourceIds: ['c1'] }] }, provenance: prov }),
  );
  s.deps.review.approve(s.db, sum.id, s.assemblyId, s.users.facilitator);
  // a recommendation edited once (two versions) and a member's amendment to a text
  const fac = ctxFor(s.deps, { kind: 'user', id: s.users.facilitator, role: 'facilitator', displayName: 'Test facilitator', language: 'en', via: 'token', assemblyIds: [] });
  const rec = createRecommendation(fac, s.assemblyId, { title: 'Buses every ten minutes', drafterKind: 'group', drafterName: 'Group A', proposal: 'Run buses every ten minutes on the main lines.' });
  editRecommendation(fac, s.assemblyId, rec.id, { baseVersion: 1, pros: 'People without a car can take evening jobs.', costs: 'About 2 M€ a year, shared by town and region' });
  sampleText(s);
  const more = await moreParts(s, fac);
  return {
    ...more, poolId: imp.id, conversationId: cv.id, drawId: draw.id, confirmed, originalPersonIds: p.people.split('\n').slice(1, -1).map((l) => l.split(',')[0]) };
}

/** Runs queued jobs (others included) until this one has finished; returns its row. */
export async function runJob(s: TestService, jobId: string) {
  for (let i = 0; i < 50; i++) {
    const row = s.deps.jobs.get(jobId);
    if (row && ['succeeded', 'failed', 'cancelled'].includes(row.status)) return row;
    if (!(await s.deps.jobs.runNext())) break;
  }
  return s.deps.jobs.get(jobId)!;
}

/**
 * The parts added after the first packages: a phase and two past sessions with attendance, a closed ballot with two
 * votes, a survey answered by two members (fewer than the withholding threshold), a debate with a comment, and a final
 * recommendation whose impact is tracked (response, an entry with sources, a theme).
 */
async function moreParts(s: TestService, fac: Ctx) {
  const A = `/api/assemblies/${s.assemblyId}`;
  const members = assembliesRepo.members(s.db, s.assemblyId).map((m) => m.userId).sort();
  const phase = createPhase(fac, s.assemblyId, { kind: 'deliberation', title: 'Deliberation', startsOn: '2026-09-01', endsOn: '2026-11-30' });
  const plenary = createEvent(fac, s.assemblyId, { kind: 'plenary', title: 'First plenary', startsAt: '2026-09-05T08:00:00Z', endsAt: '2026-09-05T12:00:00Z', timeZone: 'Europe/Paris', language: 'en', phaseId: phase.id });
  recordAttendance(fac, s.assemblyId, plenary.id, [{ memberId: members[0], status: 'present' }, { memberId: members[1], status: 'excused' }]);
  createEvent(fac, s.assemblyId, { kind: 'plenary', title: 'Second plenary', startsAt: '2026-10-05T08:00:00Z', endsAt: '2026-10-05T12:00:00Z', timeZone: 'Europe/Paris', language: 'en', phaseId: phase.id });
  const ballot = await ok<{ id: string }>(await s.call('facilitator', 'POST', `${A}/ballots`, { title: 'Adopt the bus recommendation', method: 'approval', options: ['Yes', 'No'], closesAt: new Date(Date.now() + 86_400_000).toISOString() }), 201);
  const full = await ok<{ options: { id: string }[] }>(await s.call('facilitator', 'GET', `${A}/ballots/${ballot.id}`));
  const receipt = await ok<{ receipt: string }>(await s.call('participant', 'POST', `${A}/ballots/${ballot.id}/vote`, { choice: { approve: [full.options[0].id] } }));
  await ok(await s.call('facilitator', 'POST', `${A}/ballots/${ballot.id}/close`));
  const survey = await ok<{ id: string }>(await s.call('facilitator', 'POST', `${A}/surveys`, { title: 'Before we start', phase: 'pre', questions: [{ key: 'trust', kind: 'scale', label: 'Trust in the council', min: 1, max: 5 }, { key: 'why', kind: 'text', label: 'Why did you come?' }] }), 201);
  await ok(await s.call('participant', 'POST', `${A}/surveys/${survey.id}/answers`, { answers: { trust: 4, why: `My neighbour ${CANARIES[0]} asked me` } }));
  const debate = sampleDebate(s);
  const rec = finalRecommendation(s, 'Safe cycle lanes on every main road');
  setResponse(fac, s.assemblyId, rec, { text: 'The council accepts & will build the first lanes in 2027.', date: '2026-11-20', url: 'https://example.org/council/answer?id=1&lang=en' });
  addEntry(fac, s.assemblyId, rec, { date: '2026-12-01', text: 'Budget voted for 12 km of lanes.', sources: ['https://example.org/budget-2027 Budget 2027', 'https://example.org/minutes'], status: 'in_progress', progress: 25 });
  setTheme(fac, s.assemblyId, rec, 'Cycling');
  return { ballotId: ballot.id, receipt: receipt.receipt, surveyId: survey.id, debateId: debate.debateId, impactRecommendationId: rec };
}
