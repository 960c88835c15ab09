/**
 * Breakout allocation as a service: a facilitator allocates a session's members (pipelines/allocation, with the
 * assembly's earlier sessions as history), sees the figures beside a random allocation, moves people by hand,
 * and publishes. Drafts live only in the deliberation tables; publishing writes the session's breakout groups
 * (the tables members read) and a video room per group, in one transaction.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { allocate, AllocationError, allocationFigures, checkAllocation, type AllocationPerson } from '../../../pipelines/allocation/index.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import type { DbOrTx, Tx } from '../../platform/db/client.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import { conflict, invalid, notFound, saying } from '../../platform/errors.js';
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
  if (!a || a.assemblyId !== assemblyId) throw saying(notFound('Allocation', id), 'deliberation.err.notFound.allocation', { id: id });
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

export const ALLOCATE_JOB = 'deliberation.allocate';

/** What the allocation job needs: the request as checked (ids only, no personal data in the jobs table). */
export const AllocateJobPayload = z.object({
  sessionId: z.string(),
  groupSize: z.number().int(),
  minGroupSize: z.number().int().optional(),
  features: z.array(z.string()),
  seed: z.string(),
  memberIds: z.array(z.string()),
  facilitatorIds: z.array(z.string()),
});
export type AllocateJobPayload = z.infer<typeof AllocateJobPayload>;

/** this session's allocation jobs, newest first */
export function allocationJobs(jobs: Pick<JobQueue, 'list'>, assemblyId: string, sessionId: string) {
  return jobs.list({ assemblyId, type: ALLOCATE_JOB, limit: 200 }).filter((j) => (j.payload as { sessionId?: string })?.sessionId === sessionId);
}

/**
 * Checks an allocation request (members, facilitators, features, and the group-size and facilitator constraints,
 * which say which constraint fails and by how much) and queues the search as a job; the draft is written by the job.
 */
export function requestAllocation(ctx: Ctx, jobs: Pick<JobQueue, 'enqueue' | 'list'>, assemblyId: string, sessionId: string, input: AllocateInput) {
  const session = sessionOf(ctx.db, assemblyId, sessionId);
  if (repo.sessionHasGroups(ctx.db, session.id)) throw saying(conflict(`The session '${session.title}' already has groups; allocate a session before its groups are made.`), 'deliberation.err.allocations1', { v1: session.title });
  if (allocationJobs(jobs, assemblyId, session.id).some((j) => j.status === 'queued' || j.status === 'running')) throw saying(conflict(`An allocation of '${session.title}' is already running; wait for it to finish.`), 'deliberation.err.allocations2', { v1: session.title });
  const all = repo.members(ctx.db, assemblyId);
  const memberIds = input.memberIds ? [...new Set(input.memberIds)] : all.map((m) => m.userId);
  const memberSet = new Set(all.map((m) => m.userId));
  const stranger = memberIds.find((m) => !memberSet.has(m));
  if (stranger) throw saying(invalid(`'${stranger}' is not a member of this assembly.`, [{ path: 'memberIds', message: `Unknown member ${stranger}` }]), 'deliberation.err.allocations3', { v1: stranger });
  const staff = repo.staff(ctx.db);
  const facilitatorIds = input.facilitatorIds ? [...new Set(input.facilitatorIds)] : staff.map((s) => s.id);
  const notStaff = facilitatorIds.find((f) => !staff.some((s) => s.id === f));
  if (notStaff) throw saying(invalid(`'${notStaff}' is not a facilitator.`, [{ path: 'facilitatorIds', message: `Not a facilitator: ${notStaff}` }]), 'deliberation.err.allocations4', { v1: notStaff });
  const features = [...new Set(input.features)];
  const offered = availableFeatures(ctx, assemblyId);
  const unknown = features.find((f) => !offered.includes(f));
  if (unknown) throw saying(invalid(`No member has the feature '${unknown}'. Features known from sortition: ${offered.length ? offered.join(', ') : 'none'}.`, [{ path: 'features', message: `Unknown feature ${unknown}` }]), 'deliberation.err.allocations5', { v1: unknown, v2: offered.length ? offered.join(', ') : 'none' });
  try {
    checkAllocation({ people: memberIds.map((id) => ({ id, features: {} })), rounds: 1, facilitators: facilitatorIds, groupSize: input.groupSize, minGroupSize: input.minGroupSize });
  } catch (e) {
    if (e instanceof AllocationError) throw allocationProblem(e);
    throw e;
  }
  const payload: AllocateJobPayload = { sessionId: session.id, groupSize: input.groupSize, minGroupSize: input.minGroupSize, features, seed: input.seed ?? randomToken(12), memberIds, facilitatorIds };
  return ctx.db.transaction((tx) => {
    const job = jobs.enqueue(tx, { type: ALLOCATE_JOB, assemblyId, createdBy: by(ctx), payload });
    recordAudit(tx, { actorId: by(ctx), action: 'deliberation.allocation.request', subject: `breakout-session:${session.id}`, data: { assemblyId, jobId: job.id, members: memberIds.length, seed: payload.seed } });
    return job;
  });
}

/**
 * The job's work: runs the search (progress reported as it goes) on the members and the earlier rounds as they are
 * now, then writes the draft, replacing earlier drafts, inside the job's completing transaction.
 */
export function runAllocation(db: DbOrTx, assemblyId: string, p: AllocateJobPayload, onProgress?: (fraction: number) => void) {
  const session = sessionOf(db, assemblyId, p.sessionId);
  if (repo.sessionHasGroups(db, session.id)) throw saying(conflict(`The session '${session.title}' got its groups while the allocation was queued; nothing was written.`), 'deliberation.err.allocations6', { v1: session.title });
  const history = repo.history(db, assemblyId, session.id);
  let result;
  try {
    result = allocate({ people: peopleOf(db, assemblyId, p.memberIds, p.features), features: p.features, groupSize: p.groupSize, minGroupSize: p.minGroupSize, rounds: 1, facilitators: p.facilitatorIds, history, seed: p.seed, onProgress });
  } catch (e) {
    if (e instanceof AllocationError) throw allocationProblem(e);
    throw e;
  }
  return { session, history, result };
}

/** Writes a computed allocation as the session's draft (earlier drafts discarded). Call inside a transaction. */
export function writeDraft(tx: Tx, assemblyId: string, p: AllocateJobPayload, run: ReturnType<typeof runAllocation>, createdBy: string | null): string {
  const { session, history, result } = run;
  const groups = result.rounds[0];
  repo.discardDrafts(tx, session.id);
  const a = repo.insertAllocation(tx, {
    id: newId('al_'),
    assemblyId,
    sessionId: session.id,
    groupSize: p.groupSize,
    minGroupSize: Number(result.provenance.params.minGroupSize),
    features: p.features,
    seed: p.seed,
    figures: result.figures,
    random: result.random,
    historySessions: history.length,
    provenance: result.provenance,
    createdBy,
  });
  repo.insertGroups(tx, groups.map((g) => ({ allocationId: a.id, groupIndex: g.group, leadFacilitatorId: g.lead, coFacilitatorId: g.coFacilitator })));
  repo.insertMembers(tx, groups.flatMap((g) => g.members.map((userId) => ({ allocationId: a.id, userId, groupIndex: g.group }))));
  recordAudit(tx, { actorId: createdBy, action: 'deliberation.allocation.create', subject: `allocation:${a.id}`, data: { assemblyId, sessionId: session.id, members: p.memberIds.length, groups: groups.length, seed: p.seed } });
  return a.id;
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
  if (a.status !== 'draft') throw saying(conflict(`This allocation is ${a.status}; only a draft can be changed or published.`), 'deliberation.err.allocations7', { v1: a.status });
}

/** Moves a member to another group of a draft; the figures are recomputed. */
export function moveMember(ctx: Ctx, assemblyId: string, allocationId: string, input: { memberId: string; toGroup: number }) {
  const a = allocationOf(ctx.db, assemblyId, allocationId);
  requireDraft(a);
  const members = repo.allocationMembers(ctx.db, a.id);
  const groups = repo.groups(ctx.db, a.id);
  const m = members.find((x) => x.userId === input.memberId);
  if (!m) throw saying(invalid(`'${input.memberId}' is not in this allocation.`, [{ path: 'memberId', message: 'Not in this allocation' }]), 'deliberation.err.allocations8', { v1: input.memberId });
  if (!groups.some((g) => g.groupIndex === input.toGroup)) throw saying(invalid(`There is no group ${input.toGroup + 1}; this allocation has ${groups.length} groups.`, [{ path: 'toGroup', message: 'No such group' }]), 'deliberation.err.allocations9', { v1: input.toGroup + 1, v2: groups.length });
  if (m.groupIndex === input.toGroup) return allocationView(ctx, assemblyId, a.id);
  if (members.filter((x) => x.groupIndex === m.groupIndex).length <= 1) throw saying(invalid(`Moving the last member of ${groupName(m.groupIndex)} would leave it empty.`, [{ path: 'memberId', message: 'Last member of the group' }]), 'deliberation.err.allocations10', { v1: groupName(m.groupIndex) });
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
    if (repo.sessionHasGroups(tx, a.sessionId)) throw saying(conflict('This session already has groups; the allocation was not published.'), 'deliberation.err.allocations11');
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
