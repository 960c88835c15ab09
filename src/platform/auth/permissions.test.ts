import { describe, expect, it } from 'vitest';
import { can, PERMISSIONS, ROLES, type Action, type Role } from './permissions.js';

// The expected table, written out independently of PERMISSIONS so that a change to either is caught.
// Columns: admin, facilitator, researcher, participant, public
const EXPECTED: Record<Action, string> = {
  'public.read': 'YYYYY',
  'self.read': 'YYYYN',
  'tokens.manage': 'YYYNN',
  'participant.read': 'YYNYN',
  'participant.write': 'NNNYN',
  'review.read': 'YYNNN',
  'review.decide': 'YYNNN',
  'jobs.read': 'YYNNN',
  'jobs.run': 'YYNNN',
  'jobs.cancel': 'YYNNN',
  'assembly.read': 'YYYNN',
  'assembly.manage': 'YYNNN',
  'assembly.create': 'YNNNN',
  'members.invite': 'YYNNN',
  'users.manage': 'YNNNN',
  'audit.verify': 'YNNNN',
  'research.read': 'YNYNN',
  'sortition.manage': 'YYNNN',
  'onboarding.manage': 'YYNNN',
  'opendata.manage': 'YYNNN',
  'opendata.import': 'YNNNN',
  'brochure.manage': 'YYNNN',
  'self.data': 'NNNYN',
  'breakouts.manage': 'YYNNN',
  'ballots.manage': 'YYNNN',
  'surveys.manage': 'YYNNN',
  'surveys.results': 'YYYNN',
  'ops.read': 'YYYYY',
  'contributions.read': 'YYNNN',
  'contributions.manage': 'YYNNN',
  'deliberation.write': 'YYNYN',
  'deliberation.moderate': 'YYNNN',
  'impact.manage': 'YYNNN',
};

describe('permission table', () => {
  it('covers exactly the declared actions', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });
  for (const action of Object.keys(EXPECTED) as Action[]) {
    ROLES.forEach((role: Role, i) => {
      const allowed = EXPECTED[action][i] === 'Y';
      it(`${role} ${allowed ? 'may' : 'may not'} ${action}`, () => expect(can(role, action)).toBe(allowed));
    });
  }
  it('never lets a participant or the public decide reviews', () => {
    expect(can('participant', 'review.decide')).toBe(false);
    expect(can('public', 'review.read')).toBe(false);
  });
});
