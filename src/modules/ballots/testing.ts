import { ctxFor } from '../../deps.js';
import { createApiToken } from '../../platform/auth/sessions.js';
import { PUBLIC } from '../../platform/context.js';
import type { TestService } from '../../testing/service.js';
import { join as joinAssembly } from '../identity/service.js';
import { createBallot } from './service.js';

/** Two more members (Ada, Bram) with API tokens, and a caller acting as any of the three members. */
export function members(s: TestService) {
  const pub = ctxFor(s.deps, PUBLIC);
  const ada = joinAssembly(pub, { code: s.codes[0], pseudonym: 'Ada', language: 'en' }).user.id;
  const bram = joinAssembly(pub, { code: s.codes[1], pseudonym: 'Bram', language: 'en' }).user.id;
  const tokens: Record<string, string> = { tester: s.tokens.participant, ada: createApiToken(s.db, ada, 'test').token, bram: createApiToken(s.db, bram, 'test').token };
  const as = (who: 'tester' | 'ada' | 'bram', method: string, path: string, body?: unknown) =>
    s.app.request(path, { method, headers: { authorization: `Bearer ${tokens[who]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { ada, bram, as };
}

/** A sample ballot (open now, closing in a day) for route-enumerating tests. */
export function sampleBallot(s: TestService): { ballotId: string } {
  const facilitator = { kind: 'user' as const, id: s.users.facilitator, role: 'facilitator' as const, displayName: 'F', language: 'en', via: 'token' as const, assemblyIds: [] };
  const b = createBallot(ctxFor(s.deps, facilitator), s.assemblyId, { title: 'Sample ballot', method: 'approval', options: ['Yes', 'No'], closesAt: new Date(Date.now() + 86_400_000).toISOString() });
  return { ballotId: b.id };
}
