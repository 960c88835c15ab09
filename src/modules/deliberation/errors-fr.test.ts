import { beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';

let s: TestService;
beforeAll(async () => {
  s = await testService();
});
const detail = async (r: Response) => ((await r.json()) as { detail: string }).detail;

/** The module's refusals name their catalogue sentence: French readers get the same sentence in French. */
describe('deliberation error details in the reader’s language', () => {
  it('says a missing allocation in English, and in French for a French reader', async () => {
    const path = `/api/assemblies/${s.assemblyId}/deliberation/allocations/al_nope`;
    expect(await detail(await s.call('facilitator', 'GET', path))).toBe("Allocation 'al_nope' does not exist.");
    const fr = await s.call('facilitator', 'GET', `${path}?lang=fr`);
    expect(fr.status).toBe(404);
    expect(fr.headers.get('content-type')).toContain('application/problem+json');
    expect(await detail(fr)).toBe("La répartition « al_nope » n'existe pas.");
  });
  it('says a too-short training in French, with its figures', async () => {
    const body = { kind: 'training', title: 'Numérique', startsOn: '2030-01-01', endsOn: '2030-01-05' };
    const fr = await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/calendar/phases?lang=fr`, body);
    expect(fr.status).toBe(422);
    expect(await detail(fr)).toBe('La formation au numérique doit durer au moins deux semaines (14 jours) ; du 2030-01-01 au 2030-01-05, cela fait 5 jour(s), soit 9 de moins.');
    const en = await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/calendar/phases`, body);
    expect(await detail(en)).toBe('Digital-skills training must last at least two weeks (14 days); 2030-01-01 to 2030-01-05 is 5 days, 9 short.');
  });
});
