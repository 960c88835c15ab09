import { describe, expect, it } from 'vitest';
import { ctxFor } from '../../deps.js';
import { PUBLIC } from '../../platform/context.js';
import { testService } from '../../testing/service.js';
import { createInvitations, join } from '../identity/service.js';
import { answerSurvey, createSurvey } from '../surveys/service.js';
import { collectPackage } from './collect.js';

/**
 * Survey answers leave the package as counts per answer, and only for questions answered by at least 5 members (the
 * surveys module's withholding threshold); free text never leaves.
 */
describe('survey aggregates in the open-data package', () => {
  it('publishes the counts of a question 6 members answered, withholds one 4 answered, never free text', async () => {
    const s = await testService();
    const admin = ctxFor(s.deps, { kind: 'user', id: 'system', role: 'admin', displayName: 'admin', language: 'en', via: 'token', assemblyIds: [] });
    const fac = ctxFor(s.deps, { kind: 'user', id: s.users.facilitator, role: 'facilitator', displayName: 'F', language: 'en', via: 'token', assemblyIds: [] });
    const survey = createSurvey(fac, s.assemblyId, {
      title: 'After the assembly', phase: 'post',
      questions: [
        { key: 'trust', kind: 'scale', label: 'Trust', min: 1, max: 5 },
        { key: 'mode', kind: 'multiple', label: 'How do you travel?', choices: ['bus', 'bike', 'car'] },
        { key: 'why', kind: 'text', label: 'Why?' },
      ],
    });
    const { codes } = createInvitations(admin, s.assemblyId, { count: 6 });
    codes.forEach((code, k) => {
      const u = join(ctxFor(s.deps, PUBLIC), { code, pseudonym: `Member${k}`, language: 'en' }).user;
      const me = ctxFor(s.deps, { kind: 'user', id: u.id, role: 'participant', displayName: `Member${k}`, language: 'en', via: 'token', assemblyIds: [s.assemblyId] });
      answerSurvey(me, s.assemblyId, survey.id, { trust: k < 4 ? 4 : 2, ...(k < 4 ? { mode: k % 2 ? ['bus', 'bike'] : ['bus'] } : {}), why: `Secret reason number ${k}` });
    });
    const pkg = s.db.transaction((tx) => collectPackage(admin, tx, s.assemblyId, { status: 'final', created: '2026-12-07T00:00:00.000Z' }));
    const rows = pkg.files.get('surveys/results.csv')!.trim().split('\n').slice(1).map((l) => l.split(',').slice(1).join(','));
    expect(rows).toEqual(['mode,(respondents),4', 'trust,(respondents),6', 'trust,2,2', 'trust,4,4', 'why,(respondents),6']);
    expect([...pkg.files.values()].join('\n')).not.toMatch(/Secret reason/);
  });
});
