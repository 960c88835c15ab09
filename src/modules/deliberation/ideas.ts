/**
 * Ideas carried from group to group. A group's facilitator shares an idea (typed, or one extracted from the group's
 * approved transcript) with the groups of a later round; it goes through the review queue as a `shared-idea` draft,
 * and only its publish() writes the row the receiving groups read. Each receiving group's facilitators mark it
 * discussed; the flow view shows per idea which groups have seen and discussed it, and flags groups left behind.
 */
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Actor, type Ctx } from '../../platform/context.js';
import type { DbOrTx, Tx } from '../../platform/db/client.js';
import { AppError, conflict, forbidden, invalid, notFound, saying } from '../../platform/errors.js';
import { newId, sha256 } from '../../platform/ids.js';
import type { ReviewQueue } from '../../platform/review/queue.js';
import type { ReviewKind } from '../../platform/review/registry.js';
import { groupOf } from '../breakouts/service.js';
import type { GroupRow } from '../breakouts/repo.js';
import { extractedSubject, IDEA_MAX, laggingGroups, nextRound, roundsOf, SHARED_IDEA_KIND, SharedIdeaPayload, typedSubject } from './ideas-domain.js';
import { ideasRepo as repo } from './ideas-repo.js';

const by = (ctx: Pick<Ctx, 'actor'>) => actorId(ctx.actor);

/** the group's lead or co-facilitator, or an admin */
export const facilitates = (g: GroupRow, actor: Actor) => actor.kind === 'user' && (actor.role === 'admin' || g.leadFacilitatorId === actor.id || g.coFacilitatorId === actor.id);
const isStaff = (actor: Actor) => actor.kind === 'user' && (actor.role === 'admin' || actor.role === 'facilitator');

/** rounds and session titles of an assembly */
export function roundBook(db: DbOrTx, assemblyId: string) {
  const sessions = repo.sessions(db, assemblyId);
  return { rounds: roundsOf(sessions), titles: new Map(sessions.map((s) => [s.id, s.title])) };
}

/** where a shared idea goes: the given session (a later round of this assembly) or, by default, the next round */
function targetOf(rounds: Map<string, number>, originSessionId: string, groupName: string, targetSessionId?: string): string {
  const from = rounds.get(originSessionId)!;
  if (targetSessionId === undefined) {
    const next = nextRound(rounds, originSessionId);
    if (!next) throw saying(invalid(`There is no round after round ${from} yet: create the next breakout session, then share ${groupName}'s idea.`, [{ path: 'targetSessionId', message: 'No next round' }]), 'deliberation.err.noNextRound', { round: from, group: groupName });
    return next;
  }
  const to = rounds.get(targetSessionId);
  if (to === undefined) throw saying(invalid(`There is no round (breakout session) '${targetSessionId}' in this assembly; an idea can only be shared into a round that exists.`, [{ path: 'targetSessionId', message: 'No such round' }]), 'deliberation.err.noRound', { id: targetSessionId });
  if (to <= from) throw saying(invalid(`Ideas travel forward: round ${to} is not after round ${from}, where ${groupName} met.`, [{ path: 'targetSessionId', message: 'Not a later round' }]), 'deliberation.err.notLater', { to, from, group: groupName });
  return targetSessionId;
}

export interface ShareInput {
  text?: string;
  breakoutIdeaId?: string;
  targetSessionId?: string;
  language?: string | null;
}

/** Submits an idea of this group to the review queue, for the groups of a later round. One transaction. */
export function shareIdea(ctx: Ctx, review: ReviewQueue, assemblyId: string, groupId: string, input: ShareInput) {
  const g = groupOf(ctx.db, assemblyId, groupId);
  if (!facilitates(g, ctx.actor)) throw saying(forbidden(`Only the facilitators of ${g.name} can share its ideas.`), 'deliberation.err.shareNotFacilitator', { group: g.name });
  if ((input.text === undefined) === (input.breakoutIdeaId === undefined)) throw saying(invalid('Give either the idea’s text or the extracted idea to share (breakoutIdeaId), not both.', [{ path: 'text', message: 'text or breakoutIdeaId' }]), 'deliberation.err.textOrIdea');
  const { rounds } = roundBook(ctx.db, assemblyId);
  const target = targetOf(rounds, g.sessionId, g.name, input.targetSessionId);
  let payload: SharedIdeaPayload;
  let subject: string;
  if (input.breakoutIdeaId !== undefined) {
    const x = repo.extracted(ctx.db, input.breakoutIdeaId);
    if (!x || x.groupId !== g.id) throw saying(invalid(`'${input.breakoutIdeaId}' is not an approved idea from ${g.name}'s transcript.`, [{ path: 'breakoutIdeaId', message: 'Not an idea of this group' }]), 'deliberation.err.notExtracted', { id: input.breakoutIdeaId, group: g.name });
    subject = extractedSubject(x.id, target);
    if (repo.bySubject(ctx.db, subject)) throw saying(conflict(`This idea was already shared with round ${rounds.get(target)}.`), 'deliberation.err.alreadyShared', { round: rounds.get(target)! });
    payload = { text: x.text, language: x.language, originGroupId: g.id, originSessionId: g.sessionId, targetSessionId: target, source: 'transcript', sourceIdeaId: x.id };
  } else {
    const text = (input.text ?? '').replace(/\s+/g, ' ').trim();
    if (!text) throw saying(invalid('The idea is empty: write it in a sentence or two.', [{ path: 'text', message: 'Required' }]), 'deliberation.ideas.empty');
    subject = typedSubject(g.id, newId(''));
    payload = { text, language: input.language ?? null, originGroupId: g.id, originSessionId: g.sessionId, targetSessionId: target, source: 'facilitator', sourceIdeaId: null };
  }
  const parsed = SharedIdeaPayload.safeParse(payload);
  if (!parsed.success) throw saying(invalid(`The idea is too long: at most ${IDEA_MAX} characters.`, [{ path: 'text', message: parsed.error.issues[0].message }]), 'deliberation.ideas.long', { max: IDEA_MAX });
  const item = ctx.db.transaction((tx) => {
    const item = review.submit(tx, {
      assemblyId,
      kind: SHARED_IDEA_KIND,
      subject,
      title: `${g.name}, round ${rounds.get(g.sessionId)} → round ${rounds.get(target)}`,
      payload: parsed.data,
      provenance: { stage: 'deliberation.share-idea', version: '1', params: { source: payload.source, by: by(ctx) }, seed: null, inputHash: sha256(parsed.data.text) },
    });
    recordAudit(tx, { actorId: by(ctx), action: 'deliberation.idea.share', subject: `review:${item.id}`, data: { groupId: g.id, targetSessionId: target, source: payload.source } });
    return item;
  });
  return { reviewItemId: item.id, status: item.status, originGroupId: g.id, originRound: rounds.get(g.sessionId)!, targetSessionId: target, targetRound: rounds.get(target)! };
}

/** The review kind: publish() is the only writer of the rows receiving groups read. */
export function sharedIdeaKind(): ReviewKind<SharedIdeaPayload> {
  return {
    kind: SHARED_IDEA_KIND,
    label: 'idea shared between groups',
    payload: SharedIdeaPayload,
    publish(tx: Tx, { item, payload, reviewerId }) {
      const g = repo.groupsOfAssembly(tx, item.assemblyId).find((x) => x.id === payload.originGroupId);
      if (!g || g.sessionId !== payload.originSessionId) throw notFound('Breakout group', payload.originGroupId);
      const { rounds } = roundBook(tx, item.assemblyId);
      targetOf(rounds, g.sessionId, g.name, payload.targetSessionId);
      const row = repo.upsert(tx, {
        id: newId('si_'), assemblyId: item.assemblyId, subject: item.subject, reviewItemId: item.id, originGroupId: g.id, originSessionId: g.sessionId, targetSessionId: payload.targetSessionId,
        text: payload.text, language: payload.language, source: payload.source, sourceIdeaId: payload.sourceIdeaId, approvedBy: reviewerId, publishedAt: new Date().toISOString(),
      });
      recordAudit(tx, { actorId: reviewerId, action: 'deliberation.idea.publish', subject: `shared-idea:${row.id}`, data: { originGroupId: g.id, targetSessionId: payload.targetSessionId } });
    },
  };
}

type Book = ReturnType<typeof roundBook>;
const originOf = (book: Book, groups: Map<string, GroupRow>, row: { originGroupId: string; originSessionId: string }) => ({
  groupId: row.originGroupId,
  groupName: groups.get(row.originGroupId)?.name ?? '',
  sessionId: row.originSessionId,
  sessionTitle: book.titles.get(row.originSessionId) ?? '',
  round: book.rounds.get(row.originSessionId) ?? 0,
});

/**
 * A group's page of ideas from other groups: the approved ideas shared into its round (not its own), with their
 * origin and whether it discussed them. Opening it as one of the group's people records that the group has seen them.
 * Its facilitators also get what they can share onward (the group's extracted ideas) and their drafts under review.
 */
export function groupIdeas(ctx: Ctx, review: ReviewQueue, assemblyId: string, groupId: string) {
  const g = groupOf(ctx.db, assemblyId, groupId);
  const me = by(ctx);
  const member = !!me && repo.isGroupMember(ctx.db, g.id, me);
  // the group's own people: its members, its lead and co-facilitator (an admin browsing does not count as the group)
  const own = member || (!!me && (g.leadFacilitatorId === me || g.coFacilitatorId === me));
  if (!member && !facilitates(g, ctx.actor) && !isStaff(ctx.actor)) throw saying(forbidden(`You are not in ${g.name}; its ideas are shown to its members and facilitators.`), 'deliberation.err.notInGroup', { group: g.name });
  const book = roundBook(ctx.db, assemblyId);
  const groups = new Map(repo.groupsOfAssembly(ctx.db, assemblyId).map((x) => [x.id, x]));
  const rows = repo.sharedInto(ctx.db, g.sessionId).filter((r) => r.originGroupId !== g.id);
  if (me && own && rows.length) {
    const at = ctx.clock().toISOString();
    ctx.db.transaction((tx) => repo.markSeen(tx, rows.map((r) => r.id), g.id, me, at));
  }
  const receipts = new Map(repo.receipts(ctx.db, rows.map((r) => r.id)).filter((x) => x.groupId === g.id).map((x) => [x.ideaId, x]));
  const canShare = facilitates(g, ctx.actor);
  const pending = canShare
    ? review.list(ctx.db, { assemblyId, status: ['pending'], kind: SHARED_IDEA_KIND, limit: 200 }).flatMap((it) => {
        const p = SharedIdeaPayload.safeParse(it.payload);
        return p.success && p.data.originGroupId === g.id ? [{ reviewItemId: it.id, text: p.data.text, targetRound: book.rounds.get(p.data.targetSessionId) ?? 0 }] : [];
      })
    : [];
  const shared = new Set(repo.sharedFrom(ctx.db, g.id).map((r) => r.sourceIdeaId).filter(Boolean));
  return {
    group: { id: g.id, name: g.name, sessionId: g.sessionId, sessionTitle: book.titles.get(g.sessionId) ?? '', round: book.rounds.get(g.sessionId) ?? 0 },
    canMark: facilitates(g, ctx.actor),
    canShare,
    nextSessionId: nextRound(book.rounds, g.sessionId) ?? null,
    laterRounds: [...book.rounds].filter(([, n]) => n > (book.rounds.get(g.sessionId) ?? 0)).sort((a, b) => a[1] - b[1]).map(([id, n]) => ({ sessionId: id, round: n, title: book.titles.get(id) ?? '' })),
    received: rows.map((r) => {
      const rc = receipts.get(r.id);
      return { id: r.id, text: r.text, language: r.language, origin: originOf(book, groups, r), discussed: !!rc?.discussedAt, discussedAt: rc?.discussedAt ?? null, publishedAt: r.publishedAt };
    }),
    pending,
    extracted: canShare ? repo.extractedOfGroup(ctx.db, g.id).map((x) => ({ id: x.id, kind: x.kind, text: x.text, language: x.language, shared: shared.has(x.id) })) : [],
  };
}

/** Marks an idea discussed by a receiving group: its facilitators only, once. One transaction. */
export function markDiscussed(ctx: Ctx, assemblyId: string, groupId: string, ideaId: string) {
  const g = groupOf(ctx.db, assemblyId, groupId);
  const idea = repo.byId(ctx.db, ideaId);
  if (!idea || idea.assemblyId !== assemblyId) throw saying(notFound('Shared idea', ideaId), 'deliberation.err.noIdea', { id: ideaId });
  if (!facilitates(g, ctx.actor)) throw saying(forbidden(`Only the facilitators of ${g.name} can mark an idea as discussed by it; you are not one of them.`), 'deliberation.err.markNotFacilitator', { group: g.name });
  const book = roundBook(ctx.db, assemblyId);
  if (idea.targetSessionId !== g.sessionId || idea.originGroupId === g.id)
    throw saying(invalid(`This idea was shared with the groups of round ${book.rounds.get(idea.targetSessionId)}, not with ${g.name} (round ${book.rounds.get(g.sessionId)}).`, [{ path: 'groupId', message: 'Not a receiving group' }]), 'deliberation.err.notReceiving', { round: book.rounds.get(idea.targetSessionId) ?? 0, group: g.name, groupRound: book.rounds.get(g.sessionId) ?? 0 });
  const at = ctx.clock().toISOString();
  ctx.db.transaction((tx) => {
    if (!repo.markDiscussed(tx, idea.id, g.id, by(ctx)!, at)) {
      const prev = repo.receipt(tx, idea.id, g.id);
      throw saying(new AppError('CONFLICT', `${g.name} already marked this idea as discussed.`, { discussedAt: prev?.discussedAt }), 'deliberation.err.alreadyDiscussed', { group: g.name });
    }
    recordAudit(tx, { actorId: by(ctx), action: 'deliberation.idea.discussed', subject: `shared-idea:${idea.id}`, data: { groupId: g.id } });
  });
  return { ideaId: idea.id, groupId: g.id, discussed: true, discussedAt: at };
}

/**
 * The idea flow: per idea, which receiving groups have seen and discussed it; per group, how many ideas it received,
 * saw and discussed, with groups that discussed noticeably fewer than their round flagged (laggingGroups).
 */
export function ideaFlow(ctx: Pick<Ctx, 'db'>, assemblyId: string) {
  const book = roundBook(ctx.db, assemblyId);
  const all = repo.groupsOfAssembly(ctx.db, assemblyId);
  const groups = new Map(all.map((g) => [g.id, g]));
  const ideas = repo.ofAssembly(ctx.db, assemblyId);
  const receipts = repo.receipts(ctx.db, ideas.map((i) => i.id));
  const rc = new Map(receipts.map((r) => [`${r.ideaId}|${r.groupId}`, r]));
  const perGroup = new Map(all.map((g) => [g.id, { received: 0, seen: 0, discussed: 0 }]));
  const flowIdeas = ideas.map((i) => {
    const recipients = all.filter((g) => g.sessionId === i.targetSessionId && g.id !== i.originGroupId);
    const states = recipients.map((g) => {
      const r = rc.get(`${i.id}|${g.id}`);
      const c = perGroup.get(g.id)!;
      c.received++;
      if (r?.seenAt) c.seen++;
      if (r?.discussedAt) c.discussed++;
      return { groupId: g.id, groupName: g.name, seen: !!r?.seenAt, discussed: !!r?.discussedAt };
    });
    return { id: i.id, text: i.text, language: i.language, origin: originOf(book, groups, i), targetRound: book.rounds.get(i.targetSessionId) ?? 0, groups: states };
  });
  const counts = all.map((g) => ({ groupId: g.id, round: book.rounds.get(g.sessionId) ?? 0, count: perGroup.get(g.id)!.discussed }));
  const lagging = laggingGroups(counts);
  const flowGroups = all
    .map((g) => ({ groupId: g.id, groupName: g.name, sessionTitle: book.titles.get(g.sessionId) ?? '', round: book.rounds.get(g.sessionId) ?? 0, ...perGroup.get(g.id)!, lagging: lagging.has(g.id) }))
    .sort((a, b) => a.round - b.round || a.groupName.localeCompare(b.groupName));
  return { ideas: flowIdeas, groups: flowGroups };
}
