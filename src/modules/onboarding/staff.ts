import { and, eq, inArray, or } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { users } from '../../platform/db/schema.js';
import { staffRoles } from '../identity/schema.js';

/**
 * Staff accounts that can be technical assistants on an assembly: admins and those holding a role on it
 * (read-only use of the users and staff_roles tables).
 */
export function staffUsers(db: DbOrTx, assemblyId: string) {
  return db
    .selectDistinct({ id: users.id, displayName: users.displayName, role: users.role })
    .from(users)
    .leftJoin(staffRoles, and(eq(staffRoles.userId, users.id), eq(staffRoles.assemblyId, assemblyId)))
    .where(and(inArray(users.role, ['admin', 'facilitator', 'researcher']), or(eq(users.role, 'admin'), eq(staffRoles.assemblyId, assemblyId))))
    .all();
}
