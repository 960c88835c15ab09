import { describe, expect, it } from 'vitest';
import { testService } from '../../testing/service.js';

/**
 * Error details of the ballots and surveys modules in the reader's language: the service names the catalogue
 * sentence (platform/errors.ts localised), the error page and the modules' forms show it to French readers; the
 * API’s problem+json keeps the English detail.
 */
const form = (s: Awaited<ReturnType<typeof testService>>, path: string, fields: Array<[string, string]>, token: string) =>
  s.app.request(path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: new URLSearchParams(fields).toString() });
const detail = (html: string) => /<p id="error-detail"[^>]*>([^<]*)<\/p>/.exec(html)?.[1] ?? null;

describe('ballots and surveys: error details in French for French readers', () => {
  it('the error page says a ballot or survey refusal in French; the API keeps English', async () => {
    const s = await testService();
    const closes = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16);
    const fields: Array<[string, string]> = [['title', 'Vote'], ['method', 'approval'], ['options', 'A\nB'], ['quorum', '150'], ['closesAt', closes]];
    const fr = await form(s, `/facilitate/${s.assemblyId}/ballots?lang=fr`, fields, s.tokens.facilitator);
    expect(fr.status).toBe(422);
    expect(detail(await fr.text())).toBe('Le quorum doit être compris entre 0 % et 100 % des membres appelés à voter ; 150 % a été indiqué.');
    const en = await form(s, `/facilitate/${s.assemblyId}/ballots?lang=en`, fields, s.tokens.facilitator);
    expect(detail(await en.text())).toBe('The quorum must be between 0 % and 100 % of eligible members; 150 % was given.');
    const api = await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/ballots`, { title: 'Vote', method: 'approval', options: ['A', 'B'], quorum: 1.5, closesAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    const p = (await api.json()) as { detail: string; i18n: string };
    expect(p.detail).toBe('The quorum must be between 0 % and 100 % of eligible members; 150 % was given.');
    expect(p.i18n).toBe('ballots.err.quorum');
    // a member votes on a closed ballot: the ballot page says why, in French
    const b = (await (await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/ballots`, { title: 'Vote', method: 'approval', options: ['A', 'B'], closesAt: new Date(Date.now() + 86_400_000).toISOString() })).json()) as { id: string };
    await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/ballots/${b.id}/close`);
    const late = await form(s, `/a/${s.assemblyId}/ballots/${b.id}/vote?lang=fr`, [['approve', 'o1']], s.tokens.participant);
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('Ce scrutin est clos : on ne peut plus voter ni modifier son vote.');
    // surveys: a refusal on the error page (opening a survey twice)
    const sv = (await (await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/surveys`, { title: 'Q', phase: 'pre', questions: [{ key: 'q1', kind: 'scale', label: 'Q', min: 1, max: 5 }] })).json()) as { id: string };
    const twice = await form(s, `/facilitate/${s.assemblyId}/surveys/${sv.id}/open?lang=fr`, [], s.tokens.facilitator);
    expect(twice.status).toBe(409);
    expect(detail(await twice.text())).toBe('Ce questionnaire est déjà ouvert.');
    // a survey that does not exist: said in French too
    const unknown = await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/surveys/srv_nope?lang=fr`, undefined, { accept: 'text/html' });
    expect(unknown.status).toBe(404);
    expect(detail(await unknown.text())).toBe('Ce questionnaire n’existe pas (ou n’est pas encore ouvert).');
  });
});
