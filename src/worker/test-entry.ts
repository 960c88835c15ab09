/**
 * The Worker as the test suite builds it (PLENARY_WORKER_TEST=1 node scripts/build-worker.mjs): the production entry
 * plus the review gate's fixture behind the /__test/ hooks, which answer only when PLENARY_TEST=1.
 */
import { eq } from 'drizzle-orm';
import { users } from '../platform/db/schema.js';
import { seedGate } from '../testing/gate-seed.js';
import { setTestSeeder } from './objects.js';

setTestSeeder((svc, input) => {
  const { assemblyId, participantId } = input as { assemblyId: string; participantId: string };
  const id = (username: string) => svc.deps.db.select({ id: users.id }).from(users).where(eq(users.username, username)).get()?.id ?? '';
  return seedGate({ deps: svc.deps, db: svc.deps.db, assemblyId, users: { admin: id('admin'), facilitator: id('facilitator'), researcher: id('researcher'), participant: participantId } });
});

export * from '../main.worker.js';
export { default } from '../main.worker.js';
