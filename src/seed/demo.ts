import { eq } from 'drizzle-orm';
import type { Deps } from '../deps.js';
import { recordAudit } from '../platform/audit/audit.js';
import { hashPassword } from '../platform/auth/password.js';
import { assemblies, invitations, memberships, users } from '../platform/db/schema.js';
import { newId, sha256 } from '../platform/ids.js';
import { SUMMARIZE_JOB } from '../modules/publications/jobs.js';
import { staffRoles } from '../modules/identity/schema.js';

/** Demo sign-ins, printed in the README. Demo only: never use these passwords on a real deployment. */
export const DEMO = {
  slug: 'demo-mobility',
  staff: [
    { username: 'admin', password: 'plenary-admin', role: 'admin', displayName: 'Ada Admin' },
    { username: 'facilitator', password: 'plenary-facilitator', role: 'facilitator', displayName: 'Fatou Facilitator' },
    { username: 'cofacilitator', password: 'plenary-cofacilitator', role: 'facilitator', displayName: 'Colin Co-facilitator' },
    { username: 'researcher', password: 'plenary-researcher', role: 'researcher', displayName: 'Rémi Researcher' },
  ] as const,
  /** unused invitation codes a person can join with */
  codes: ['DEMO-0000-0000-0001', 'DEMO-0000-0000-0002', 'DEMO-0000-0000-0003', 'DEMO-0000-0000-0004', 'DEMO-0000-0000-0005'],
  members: ['Aster', 'Birch', 'Cedar', 'Dahlia', 'Elm', 'Fern', 'Gorse', 'Hazel', 'Iris', 'Juniper', 'Kale', 'Linden'],
};

/** each demo staff member's role on the demo assembly */
const DEMO_ROLES: Partial<Record<string, 'facilitator' | 'co-facilitator' | 'researcher'>> = { facilitator: 'facilitator', cofacilitator: 'co-facilitator', researcher: 'researcher' };

/** Written for the demo by the Plenary team (no third-party text). Ids are contribution ids cited by summaries. */
export const DEMO_CONTRIBUTIONS = [
  { id: 'c1', text: 'Buses should run every ten minutes on the main lines, including in the evening.' },
  { id: 'c2', text: 'Frequent buses in the evening would let people without a car take evening jobs.' },
  { id: 'c3', text: 'Safe, separated cycle lanes on the ring road would make cycling possible for children.' },
  { id: 'c4', text: 'Many parents say they would let their children cycle to school if the lanes were separated from traffic.' },
  { id: 'c5', text: 'Parking fees in the centre should fund public transport rather than the general budget.' },
  { id: 'c6', text: 'Shopkeepers worry that fewer parking spaces will drive customers to the out-of-town malls.' },
  { id: 'c7', text: 'A free shuttle between the car parks at the edge of town and the market square could reassure shopkeepers.' },
  { id: 'c8', text: 'Older residents need benches and shade at bus stops, and drivers who wait until they are seated.' },
  { id: 'c9', text: 'Night buses on Fridays and Saturdays would reduce drink driving among young people.' },
  { id: 'c10', text: 'Ticket prices should be capped per month so that frequent riders never pay more than a season ticket.' },
];

export async function seedDemo(deps: Deps): Promise<{ created: boolean; assemblyId: string }> {
  const existing = deps.db.select().from(assemblies).where(eq(assemblies.slug, DEMO.slug)).get();
  if (existing) return { created: false, assemblyId: existing.id };
  const hashes = await Promise.all(DEMO.staff.map((s) => hashPassword(s.password)));
  const assemblyId = newId('as_');
  deps.db.transaction((tx) => {
    tx.insert(assemblies)
      .values({ id: assemblyId, slug: DEMO.slug, title: 'Citizens’ Assembly on Mobility (demo)', question: 'How should our town get around by 2035?', languages: ['en', 'fr'] })
      .run();
    DEMO.staff.forEach((s, i) => {
      if (tx.select().from(users).where(eq(users.username, s.username)).get()) return;
      tx.insert(users).values({ id: newId('u_'), role: s.role, username: s.username, displayName: s.displayName, passwordHash: hashes[i], language: 'en' }).run();
    });
    // staff act only on assemblies where they hold a role (issue 13); the admin is global
    for (const st of DEMO.staff) {
      const role = DEMO_ROLES[st.username];
      const u = tx.select().from(users).where(eq(users.username, st.username)).get();
      if (role && u) tx.insert(staffRoles).values({ assemblyId, userId: u.id, role, grantedBy: null }).onConflictDoNothing().run();
    }
    for (const name of DEMO.members) {
      const id = newId('u_');
      tx.insert(users).values({ id, role: 'participant', displayName: name, language: 'en' }).run();
      tx.insert(memberships).values({ assemblyId, userId: id, pseudonym: name }).run();
    }
    for (const code of DEMO.codes) tx.insert(invitations).values({ id: newId('inv_'), assemblyId, codeHash: sha256(code) }).run();
    recordAudit(tx, { actorId: null, action: 'demo.seed', subject: `assembly:${assemblyId}` });
    deps.jobs.enqueue(tx, {
      type: SUMMARIZE_JOB,
      assemblyId,
      idempotencyKey: `demo-summary:${assemblyId}`,
      payload: { subject: 'session:1:transport', title: 'What members said about transport (session 1)', language: 'en', maxSentences: 4, docs: DEMO_CONTRIBUTIONS },
    });
  });
  return { created: true, assemblyId };
}
