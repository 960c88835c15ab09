import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from './db/client.js';
import type { Clock } from './ids.js';
import type { Role } from './auth/permissions.js';

/** Who is acting. The public has no id. */
export type Actor =
  | {
      kind: 'user';
      id: string;
      role: Exclude<Role, 'public'>;
      displayName: string;
      language: string;
      via: 'session' | 'token';
      /** for participants: the assemblies they belong to (staff roles are not scoped) */
      assemblyIds: string[];
    }
  | { kind: 'public' };

export const PUBLIC: Actor = { kind: 'public' };
export const SYSTEM_ACTOR_ID = 'system';

export function roleOf(actor: Actor): Role {
  return actor.kind === 'public' ? 'public' : actor.role;
}
export function actorId(actor: Actor): string | null {
  return actor.kind === 'public' ? null : actor.id;
}

/** What every service verb receives. */
export interface Ctx {
  db: Db;
  actor: Actor;
  clock: Clock;
  logger: Logger;
  config: Config;
}
