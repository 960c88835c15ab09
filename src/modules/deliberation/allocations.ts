/**
 * Breakout allocation as a service: a facilitator allocates a session's members (pipelines/allocation, with the
 * assembly's earlier sessions as history), sees the figures beside a random allocation, moves people by hand,
 * and publishes. Drafts live only in the deliberation tables; publishing writes the session's breakout groups
 * (the tables members read) and a video room per group, in one transaction.
 */
import { randomBytes } from 'node:crypto';
import { allocate, AllocationError, allocationFigures, type AllocationPerson } from '../../../pipelines/allocation/index.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { newId, randomToken } from '../../platform/ids.js';
import { breakoutsRepo } from '../breakouts/repo.js';
import { sessionOf } from '../breakouts/service.js';
import { allocationProblem, groupName, joinState, ROOM_BYTES, roomName, roomUrl } from './domain.js';
import { deliberationRepo as repo, type AllocationRow } from './repo.js';

export interface AllocateInput {
  groupSize: number;
  minGroupSize?: number;
  features: string[];
  seed?: string;
  memberIds?: string[];
  facilitatorIds?: string[];
}

const by = (ctx: Ctx) => actorId(ctx.actor);

function allocationOf(db: DbOrTx, assemblyId: string, id: string): AllocationRow {
  const a = repo.allocation(db, id);
  if (!a || a.assemblyId !== assemblyId) throw notFound('Allocation', id);
  return a;
}

/** Members as the pipeline sees them: user id and the chosen features (from their sortition record, else ''). */
function peopleOf(db: DbOrTx, assemblyId: string, memberIds: string[], features: string[]): AllocationPerson[] {
  const known = repo.memberFeatures(db, assemblyId, memberIds);
  return memberIds.map((id) => ({ id, features: Object.fromEntries(features.map((f) => [f, known.get(id)?.[f] ?? ''])) }));
}

/** Features the assembly's members carry (from sortition), for the allocation form. */
export function availableFeatures(ctx: Pick<Ctx, 'db'>, assemblyId: string): string[] {
  const ids = repo.members(ctx.db, assemblyId).map((m) => m.userId);
  const set = new Set<string>();
  for (const f of repo.memberFeatures(ctx.db, assemblyId, ids).values()) for (const k of Object.keys(f)) set.add(k);
  return [...set].sort();
}

export function allocateSession(ctx: Ctx, assemblyId: string, sessionId: string, input: AllocateInput) {
  const session = sessionOf(ctx.db, assemblyId, sessionId);
  if (repo.sessionHasGroups(ctx.db, session.id)) throw conflict(`The session '${session.title}' already has groups; allocate a session before its groups are made.`);
  const all = repo.members(ctx.db, assemblyId);
  const memberIds = input.memberIds ? [...new Set(input.memberIds)] : all.map((m) => m.userId);
  const memberSet = new Set(all.map((m) => m.userId));
  const stranger = memberIds.find((m) => !memberSet.has(m));
  if (stranger) throw invalid(`'${stranger}' is not a member of this assembly.`, [{ path: 'memberIds', message: `Unknown member ${stranger}` }]);
  const staff = repo.staff(ctx.db);
  const facilitatorIds = input.facilitatorIds ? [...new Set(input.facilitatorIds)] : staff.map((s) => s.id);
  const notStaff = facilitatorIds.find((f) => !staff.some((s) => s.id === f));
  if (notStaff) throw invalid(`'${notStaff}' is not a facilitator.`, [{ path: 'facilitatorIds', message: `Not a facilitator: ${notStaff}` }]);
  const features = [...new Set(input.features)];
  const offered = availableFeatures(ctx, assemblyId);
  const unknown = features.find((f) => !offered.includes(f));
  if (unknown) throw invalid(`No member has the feature '${unknown}'. Features known from sortition: ${offered.length ? offered.join(', ') : 'none'}.`, [{ path: 'features', message: `Unknown feature ${unknown}` }]);
  const seed = input.seed ?? randomToken(12);
  const history = repo.history(ctx.db, assemblyId, session.id);
  let result;
  try {
    // the pipeline runs before the transaction (better-sqlite3 transactions are synchronous)
    result = allocate({ people: peopleOf(ctx.db, assemblyId, memberIds, features), features, groupSize: input.groupSize, minGroupSize: input.minGroupSize, rounds: 1, facilitators: facilitatorIds, history, seed });
  } catch (e) {
    if (e instanceof AllocationError) throw allocationProblem(e);
    throw e;
  }
  const groups = result.rounds[0];
  const id = ctx.db.transaction((tx) => {
    repo.discardDrafts(tx, session.id);
    const a = repo.insertAllocation(tx, {
      id: newId('al_'),
      assemblyId,
      sessionId: session.id,
      groupSize: input.groupSize,
      minGroupSize: Number(result.provenance.params.minGroupSize),
      features,
      seed,
      figures: result.figures,
      random: result.random,
      historySessions: history.length,
      provenance: result.provenance,
      createdBy: by(ctx),
    });
    repo.insertGroups(tx, groups.map((g) => ({ allocationId: a.id, groupIndex: g.group, leadFacilitatorId: g.lead, coFacilitatorId: g.coFacilitator })));
    repo.insertMembers(tx, groups.flatMap((g) => g.members.map((userId) => ({ allocationId: a.id, userId, groupIndex: g.group }))));
    recordAudit(tx, { actorId: by(ctx), action: 'deliberation.allocation.create', subject: `allocation:${a.id}`, data: { assemblyId, sessionId, members: memberIds.length, groups: groups.length, seed } });
    return a.id;
  });
  return allocationView(ctx, assemblyId, id);
}

export function allocationView(ctx: Ctx, assemblyId: string, allocationId: string) {
  const a = allocationOf(ctx.db, assemblyId, allocationId);
  const session = repo.session(ctx.db, a.sessionId)!;
  const groups = repo.groups(ctx.db, a.id);
  const members = repo.allocationMembers(ctx.db, a.id);
  const pseudonyms = new Map(repo.members(ctx.db, assemblyId).map((m) => [m.userId, m.pseudonym ?? 'member']));
  const features = repo.memberFeatures(ctx.db, assemblyId, members.map((m) => m.userId));
  const names = repo.userNames(ctx.db, groups.flatMap((g) => [g.leadFacilitatorId, g.coFacilitatorId].filter((x): x is string => !!x)));
  const me = by(ctx);
  const admin = ctx.actor.kind === 'user' && ctx.actor.role === 'admin';
  return {
    id: a.id,
    sessionId: a.sessionId,
    sessionTitle: session.title,
    startsAt: session.startsAt,
    status: a.status,
    groupSize: a.groupSize,
    minGroupSize: a.minGroupSize,
    features: a.features,
    seed: a.seed,
    moves: a.moves,
    historySessions: a.historySessions,
    figures: a.figures,
    random: a.random,
    createdAt: a.createdAt,
    publishedAt: a.publishedAt,
    groups: groups.map((g) => {
      const room = g.breakoutGroupId ? repo.roomOfGroup(ctx.db, g.breakoutGroupId) : undefined;
      const mine = admin || g.leadFacilitatorId === me || g.coFacilitatorId === me;
      return {
        index: g.groupIndex,
        name: groupName(g.groupIndex),
        breakoutGroupId: g.breakoutGroupId,
        lead: g.leadFacilitatorId ? { id: g.leadFacilitatorId, name: names.get(g.leadFacilitatorId) ?? '' } : null,
        coFacilitator: g.coFacilitatorId ? { id: g.coFacilitatorId, name: names.get(g.coFacilitatorId) ?? '' } : null,
        /** the room link: only for the group's own facilitators (and admins) */
        roomUrl: room && mine ? roomUrl(ctx.config.videoBase, room.roomName) : null,
        members: members
          .filter((m) => m.groupIndex === g.groupIndex)
          .map((m) => ({ memberId: m.userId, pseudonym: pseudonyms.get(m.userId) ?? 'member', features: Object.fromEntries(a.features.map((f) => [f, features.get(m.userId)?.[f] ?? ''])) }))
          .sort((x, y) => x.pseudonym.localeCompare(y.pseudonym)),
      };
    }),
  };
}

export function sessionAllocations(ctx: Ctx, assemblyId: string, sessionId: string) {
  sessionOf(ctx.db, assemblyId, sessionId);
  return repo.allocationsOfSession(ctx.db, sessionId).map((a) => ({ id: a.id, status: a.status, createdAt: a.createdAt, publishedAt: a.publishedAt, figures: a.figures, random: a.random }));
}

function requireDraft(a: AllocationRow) {
  if (a.status !== 'draft') throw conflict(`This allocation is ${a.status}; only a draft can be changed or published.`);
}

/** Moves a member to another group of a draft; the figures are recomputed. */
export function moveMember(ctx: Ctx, assemblyId: string, allocationId: string, input: { memberId: string; toGroup: number }) {
  const a = allocationOf(ctx.db, assemblyId, allocationId);
  requireDraft(a);
  const members = repo.allocationMembers(ctx.db, a.id);
  const groups = repo.groups(ctx.db, a.id);
  const m = members.find((x) => x.userId === input.memberId);
  if (!m) throw invalid(`'${input.memberId}' is not in this allocation.`, [{ path: 'memberId', message: 'Not in this allocation' }]);
  if (!groups.some((g) => g.groupIndex === input.toGroup)) throw invalid(`There is no group ${input.toGroup + 1}; this allocation has ${groups.length} groups.`, [{ path: 'toGroup', message: 'No such group' }]);
  if (m.groupIndex === input.toGroup) return allocationView(ctx, assemblyId, a.id);
  if (members.filter((x) => x.groupIndex === m.groupIndex).length <= 1) throw invalid(`Moving the last member of ${groupName(m.groupIndex)} would leave it empty.`, [{ path: 'memberId', message: 'Last member of the group' }]);
  const moved = members.map((x) => (x.userId === m.userId ? { ...x, groupIndex: input.toGroup } : x));
  const rounds = [...repo.history(ctx.db, assemblyId, a.sessionId), groups.map((g) => moved.filter((x) => x.groupIndex === g.groupIndex).map((x) => x.userId))];
  const figures = allocationFigures(rounds, peopleOf(ctx.db, assemblyId, members.map((x) => x.userId), a.features), a.features);
  ctx.db.transaction((tx) => {
    repo.moveMember(tx, a.id, m.userId, input.toGroup);
    repo.updateAllocation(tx, a.id, { figures, moves: a.moves + 1 });
    recordAudit(tx, { actorId: by(ctx), action: 'deliberation.allocation.move', subject: `allocation:${a.id}`, data: { memberId: m.userId, from: m.groupIndex, to: input.toGroup } });
  });
  return allocationView(ctx, assemblyId, a.id);
}

/** Publishes a draft: the session's breakout groups, their members and a video room each, in one transaction. */
export function publishAllocation(ctx: Ctx, assemblyId: string, allocationId: string) {
  const a = allocationOf(ctx.db, assemblyId, allocationId);
  requireDraft(a);
  const rooms = repo.groups(ctx.db, a.id).map(() => roomName(randomBytes(ROOM_BYTES)));
  ctx.db.transaction((tx) => {
    if (repo.sessionHasGroups(tx, a.sessionId)) throw conflict('This session already has groups; the allocation was not published.');
    const members = repo.allocationMembers(tx, a.id);
    repo.groups(tx, a.id).forEach((g, i) => {
      const bg = breakoutsRepo.insertGroup(tx, { id: newId('bg_'), assemblyId, sessionId: a.sessionId, name: groupName(g.groupIndex), leadFacilitatorId: g.leadFacilitatorId, coFacilitatorId: g.coFacilitatorId });
      breakoutsRepo.addMembers(tx, members.filter((m) => m.groupIndex === g.groupIndex).map((m) => ({ groupId: bg.id, sessionId: a.sessionId, assemblyId, userId: m.userId })));
      repo.setBreakoutGroup(tx, a.id, g.groupIndex, bg.id);
      repo.insertRoom(tx, { id: newId('room_'), assemblyId, sessionId: a.sessionId, groupId: bg.id, roomName: rooms[i] });
    });
    repo.updateAllocation(tx, a.id, { status: 'published', publishedAt: ctx.clock().toISOString(), publishedBy: by(ctx) });
    recordAudit(tx, { actorId: by(ctx), action: 'deliberation.allocation.publish', subject: `allocation:${a.id}`, data: { sessionId: a.sessionId, groups: rooms.length } });
  });
  return allocationView(ctx, assemblyId, a.id);
}

/** The breakout groups the signed-in person sits in or facilitates, with the room link when it is time. */
export function myGroups(ctx: Ctx, assemblyId: string) {
  const me = by(ctx);
  if (!me) return [];
  const now = ctx.clock();
  return repo
    .groupsOf(ctx.db, assemblyId, me)
    .map(({ group, role }) => {
      const session = repo.session(ctx.db, group.sessionId)!;
      const room = repo.roomOfGroup(ctx.db, group.id);
      const state = joinState(session.startsAt, now);
      const names = repo.userNames(ctx.db, [group.leadFacilitatorId, group.coFacilitatorId].filter((x): x is string => !!x));
      return {
        session: { id: session.id, title: session.title, startsAt: session.startsAt, language: session.language },
        group: { id: group.id, name: group.name },
        role,
        members: repo.groupMembers(ctx.db, group.id).map((m) => m.pseudonym ?? 'member'),
        facilitators: [group.leadFacilitatorId, group.coFacilitatorId].filter((x): x is string => !!x).map((id) => names.get(id) ?? ''),
        room: room ? { state, url: state === 'open' || state === 'unscheduled' ? roomUrl(ctx.config.videoBase, room.roomName) : null } : null,
      };
    })
    .sort((x, y) => (x.session.startsAt ?? '').localeCompare(y.session.startsAt ?? ''));
}
