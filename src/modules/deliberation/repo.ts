/** Queries over the deliberation tables (plus the read-only joins the allocation needs). */
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { invitations, memberships, users } from '../../platform/db/schema.js';
import { breakoutGroupMembers, breakoutGroups, breakoutSessions } from '../breakouts/schema.js';
import { sortitionPeople, sortitionPools } from '../sortition/schema.js';
import { deliberationAllocationGroups, deliberationAllocationMembers, deliberationAllocations, deliberationRooms } from './schema.js';

export type AllocationRow = typeof deliberationAllocations.$inferSelect;
export type AllocationGroupRow = typeof deliberationAllocationGroups.$inferSelect;
export type RoomRow = typeof deliberationRooms.$inferSelect;

export const deliberationRepo = {
  /** features of members drawn by sortition (the person their invitation code came from), by user id */
  memberFeatures(db: DbOrTx, assemblyId: string, userIds: string[]): Map<string, Record<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = db
      .select({ userId: invitations.usedBy, features: sortitionPeople.features })
      .from(invitations)
      .innerJoin(sortitionPeople, eq(sortitionPeople.invitationHash, invitations.codeHash))
      .innerJoin(sortitionPools, and(eq(sortitionPools.id, sortitionPeople.poolId), eq(sortitionPools.assemblyId, assemblyId)))
      .where(and(eq(invitations.assemblyId, assemblyId), inArray(invitations.usedBy, userIds)))
      .all();
    return new Map(rows.filter((r) => r.userId).map((r) => [r.userId!, r.features]));
  },
  members: (db: DbOrTx, assemblyId: string) =>
    db.select({ userId: memberships.userId, pseudonym: memberships.pseudonym }).from(memberships).where(eq(memberships.assemblyId, assemblyId)).orderBy(asc(memberships.pseudonym)).all(),
  staff: (db: DbOrTx) => db.select({ id: users.id, displayName: users.displayName, role: users.role }).from(users).where(inArray(users.role, ['facilitator', 'admin'])).orderBy(asc(users.displayName)).all(),
  /** groups of the assembly's other breakout sessions (rounds already held or published): session → member lists */
  history(db: DbOrTx, assemblyId: string, exceptSessionId: string): string[][][] {
    const rows = db
      .select({ sessionId: breakoutGroupMembers.sessionId, groupId: breakoutGroupMembers.groupId, userId: breakoutGroupMembers.userId })
      .from(breakoutGroupMembers)
      .where(and(eq(breakoutGroupMembers.assemblyId, assemblyId), ne(breakoutGroupMembers.sessionId, exceptSessionId)))
      .all();
    const bySession = new Map<string, Map<string, string[]>>();
    for (const r of rows) {
      const s = bySession.get(r.sessionId) ?? new Map<string, string[]>();
      bySession.set(r.sessionId, s);
      s.set(r.groupId, [...(s.get(r.groupId) ?? []), r.userId]);
    }
    return [...bySession.values()].map((s) => [...s.values()]);
  },
  sessionHasGroups: (db: DbOrTx, sessionId: string) => !!db.select({ id: breakoutGroups.id }).from(breakoutGroups).where(eq(breakoutGroups.sessionId, sessionId)).get(),
  session: (db: DbOrTx, id: string) => db.select().from(breakoutSessions).where(eq(breakoutSessions.id, id)).get(),

  insertAllocation: (db: DbOrTx, v: typeof deliberationAllocations.$inferInsert) => db.insert(deliberationAllocations).values(v).returning().get(),
  allocation: (db: DbOrTx, id: string) => db.select().from(deliberationAllocations).where(eq(deliberationAllocations.id, id)).get(),
  allocationsOfSession: (db: DbOrTx, sessionId: string) => db.select().from(deliberationAllocations).where(eq(deliberationAllocations.sessionId, sessionId)).orderBy(desc(deliberationAllocations.createdAt)).all(),
  updateAllocation: (db: DbOrTx, id: string, v: Partial<typeof deliberationAllocations.$inferInsert>) => db.update(deliberationAllocations).set(v).where(eq(deliberationAllocations.id, id)).run(),
  discardDrafts: (db: DbOrTx, sessionId: string) =>
    db.update(deliberationAllocations).set({ status: 'discarded' }).where(and(eq(deliberationAllocations.sessionId, sessionId), eq(deliberationAllocations.status, 'draft'))).run(),
  insertGroups: (db: DbOrTx, rows: Array<typeof deliberationAllocationGroups.$inferInsert>) => {
    if (rows.length) db.insert(deliberationAllocationGroups).values(rows).run();
  },
  groups: (db: DbOrTx, allocationId: string) => db.select().from(deliberationAllocationGroups).where(eq(deliberationAllocationGroups.allocationId, allocationId)).orderBy(asc(deliberationAllocationGroups.groupIndex)).all(),
  setBreakoutGroup: (db: DbOrTx, allocationId: string, groupIndex: number, breakoutGroupId: string) =>
    db.update(deliberationAllocationGroups).set({ breakoutGroupId }).where(and(eq(deliberationAllocationGroups.allocationId, allocationId), eq(deliberationAllocationGroups.groupIndex, groupIndex))).run(),
  insertMembers: (db: DbOrTx, rows: Array<typeof deliberationAllocationMembers.$inferInsert>) => {
    for (let i = 0; i < rows.length; i += 500) db.insert(deliberationAllocationMembers).values(rows.slice(i, i + 500)).run();
  },
  allocationMembers: (db: DbOrTx, allocationId: string) => db.select().from(deliberationAllocationMembers).where(eq(deliberationAllocationMembers.allocationId, allocationId)).all(),
  moveMember: (db: DbOrTx, allocationId: string, userId: string, groupIndex: number) =>
    db.update(deliberationAllocationMembers).set({ groupIndex }).where(and(eq(deliberationAllocationMembers.allocationId, allocationId), eq(deliberationAllocationMembers.userId, userId))).run(),

  insertRoom: (db: DbOrTx, v: typeof deliberationRooms.$inferInsert) => db.insert(deliberationRooms).values(v).returning().get(),
  roomOfGroup: (db: DbOrTx, groupId: string) => db.select().from(deliberationRooms).where(eq(deliberationRooms.groupId, groupId)).get(),

  /** the breakout groups a user sits in (as a member) or leads (lead or co-facilitator), with their sessions */
  groupsOf(db: DbOrTx, assemblyId: string, userId: string) {
    const asMember = db
      .select({ groupId: breakoutGroupMembers.groupId })
      .from(breakoutGroupMembers)
      .where(and(eq(breakoutGroupMembers.assemblyId, assemblyId), eq(breakoutGroupMembers.userId, userId)))
      .all()
      .map((r) => r.groupId);
    const all = db.select().from(breakoutGroups).where(eq(breakoutGroups.assemblyId, assemblyId)).all();
    return all
      .filter((g) => asMember.includes(g.id) || g.leadFacilitatorId === userId || g.coFacilitatorId === userId)
      .map((g) => ({ group: g, role: asMember.includes(g.id) ? ('member' as const) : ('facilitator' as const) }));
  },
  groupMembers: (db: DbOrTx, groupId: string) =>
    db
      .select({ userId: breakoutGroupMembers.userId, pseudonym: memberships.pseudonym })
      .from(breakoutGroupMembers)
      .leftJoin(memberships, and(eq(memberships.userId, breakoutGroupMembers.userId), eq(memberships.assemblyId, breakoutGroupMembers.assemblyId)))
      .where(eq(breakoutGroupMembers.groupId, groupId))
      .orderBy(asc(memberships.pseudonym))
      .all(),
  userNames: (db: DbOrTx, ids: string[]) => new Map((ids.length ? db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, ids)).all() : []).map((u) => [u.id, u.displayName])),
};
