/**
 * The permission table: which role may perform which action. Pure data, tested case by case, and every route
 * declares exactly one action through `requireAction` (src/platform/http/guard.ts). Participants are further
 * limited to assemblies they belong to (checked by the guard from the route's :assemblyId).
 */
export const ROLES = ['admin', 'facilitator', 'researcher', 'participant', 'public'] as const;
export type Role = (typeof ROLES)[number];
export type StaffRole = Exclude<Role, 'participant' | 'public'>;

const A = (...roles: Role[]) => roles;

export const PERMISSIONS = {
  // reading what an assembly publishes: anyone, signed in or not
  'public.read': A('admin', 'facilitator', 'researcher', 'participant', 'public'),
  // a signed-in person's own account
  'self.read': A('admin', 'facilitator', 'researcher', 'participant'),
  'tokens.manage': A('admin', 'facilitator', 'researcher'),
  // participants: their assembly's published material and their own contributions
  'participant.read': A('admin', 'facilitator', 'participant'),
  'participant.write': A('participant'),
  // the review gate
  'review.read': A('admin', 'facilitator'),
  'review.decide': A('admin', 'facilitator'),
  // analysis jobs
  'jobs.read': A('admin', 'facilitator'),
  'jobs.run': A('admin', 'facilitator'),
  'jobs.cancel': A('admin', 'facilitator'),
  // assembly administration
  'assembly.read': A('admin', 'facilitator', 'researcher'),
  'assembly.manage': A('admin', 'facilitator'),
  'assembly.create': A('admin'),
  'members.invite': A('admin', 'facilitator'),
  'users.manage': A('admin'),
  'audit.verify': A('admin'),
  // researchers: anonymised open data and evaluation
  'research.read': A('admin', 'researcher'),
  // contributions: reading them all with languages and groups, imports, text maps, human translations
  'contributions.read': A('admin', 'facilitator'),
  'contributions.manage': A('admin', 'facilitator'),
  // sortition and onboarding (issue 5)
  'sortition.manage': A('admin', 'facilitator'),
  'onboarding.manage': A('admin', 'facilitator'),
  // breakout sessions, groups, recordings and transcription (issue 7)
  'breakouts.manage': A('admin', 'facilitator'),
  // ballots: creating, closing, turnout (issue 16)
  'ballots.manage': A('admin', 'facilitator'),
  'surveys.manage': A('admin', 'facilitator'),
  // survey results in aggregate (opinion change, withheld under the minimum group): researchers and facilitators
  'surveys.results': A('admin', 'facilitator', 'researcher'),
  // open data (issue 17): making and publishing an assembly's package; loading one into this instance
  'opendata.manage': A('admin', 'facilitator'),
  'opendata.import': A('admin'),
  // the brochure of recommendations (issue 17): generating versions and reading those of drafts (staff of the assembly)
  'brochure.manage': A('admin', 'facilitator'),
  // impact tracking (issue 17): responses, statuses and the timeline of what became of each recommendation
  'impact.manage': A('admin', 'facilitator'),
  // a participant's own personal data: download and deletion
  'self.data': A('participant'),
  // written deliberation (issue 15): debates, recommendations, texts — taking part (members and staff) and moderating
  'deliberation.write': A('admin', 'facilitator', 'participant'),
  'deliberation.moderate': A('admin', 'facilitator'),
  // operations
  'ops.read': A('admin', 'facilitator', 'researcher', 'participant', 'public'),
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

/**
 * What a co-facilitator may not do on their assembly although a facilitator may: publish AI output (the review
 * decision stays with the facilitator) and hand out or reissue invitation codes.
 */
export const CO_FACILITATOR_DENIED: readonly Action[] = ['review.decide', 'members.invite'];

export function can(role: Role, action: Action): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}

/** actions any participant or the public may perform: the routes guarded by these are checked by the review-gate leak test */
export function isParticipantVisible(action: Action): boolean {
  return can('participant', action) || can('public', action);
}
