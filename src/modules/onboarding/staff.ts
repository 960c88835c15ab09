import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { users } from '../../platform/db/schema.js';

/** Staff accounts that can be technical assistants (read-only use of the users table). */
export function staffUsers(db: DbOrTx) {
  return db.select({ id: users.id, displayName: users.displayName, role: users.role }).from(users).where(inArray(users.role, ['admin', 'facilitator', 'researcher'])).all();
}
