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
      /** for participants: the assemblies they belong to */
      assemblyIds: string[];
      /**
       * for facilitators and researchers: their role on each assembly, granted by an admin (staff_roles). The guard
       * refuses assembly-scoped actions elsewhere. Admins are global and have none.
       */
      staffRoles?: Record<string, AssemblyStaffRole>;
    }
  | { kind: 'public' };

/** A staff member's role on one assembly. A co-facilitator acts as a facilitator, less CO_FACILITATOR_DENIED (permissions.ts). */
export type AssemblyStaffRole = 'facilitator' | 'co-facilitator' | 'researcher';

export const PUBLIC: Actor = { kind: 'public' };
export const SYSTEM_ACTOR_ID = 'system';

export function roleOf(actor: Actor): Role {
  return actor.kind === 'public' ? 'public' : actor.role;
}
/**
 * The assemblies a staff member works on: null for admins (all of them) and for callers who are not staff.
 * Lists that span assemblies (GET /assemblies, dashboards) filter with it.
 */
export function staffAssemblyIds(actor: Actor): string[] | null {
  if (actor.kind !== 'user' || actor.role === 'admin' || actor.role === 'participant') return null;
  return Object.keys(actor.staffRoles ?? {});
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
