/**
 * Speaking time per member from the approved transcripts (breakout_transcripts, written only by the review
 * queue's publish): per breakout group and over the assembly, for facilitators, so quiet members can be drawn in.
 */
import { eq } from 'drizzle-orm';
import type { Ctx } from '../../platform/context.js';
import { notFound, saying } from '../../platform/errors.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { breakoutsRepo } from '../breakouts/repo.js';
import { breakoutTranscripts } from '../breakouts/schema.js';
import { speakingSeconds, type TimedSegment } from './domain.js';
import { deliberationRepo } from './repo.js';

/** a member whose share of the assembly's speaking time is below this fraction of an equal share is flagged as quiet */
export const QUIET_BELOW = 0.5;

export function speakingReport(ctx: Ctx, assemblyId: string) {
  if (!assembliesRepo.byId(ctx.db, assemblyId)) throw saying(notFound('Assembly', assemblyId), 'deliberation.err.notFound.assembly', { id: assemblyId });
  const names = new Map(deliberationRepo.members(ctx.db, assemblyId).map((m) => [m.userId, m.pseudonym ?? 'member']));
  const transcripts = ctx.db.select().from(breakoutTranscripts).where(eq(breakoutTranscripts.assemblyId, assemblyId)).all();
  const totals = new Map<string, { seconds: number; groupSeconds: number; breakouts: number }>();
  const groups = transcripts.map((tr) => {
    const group = breakoutsRepo.group(ctx.db, tr.groupId);
    const session = group ? breakoutsRepo.session(ctx.db, group.sessionId) : undefined;
    const seconds = speakingSeconds(tr.segments as TimedSegment[]);
    const memberIds = new Set([...breakoutsRepo.members(ctx.db, tr.groupId).map((m) => m.userId), ...seconds.keys()]);
    const sum = [...seconds.values()].reduce((a, b) => a + b, 0);
    for (const id of memberIds) {
      const t = totals.get(id) ?? { seconds: 0, groupSeconds: 0, breakouts: 0 };
      t.seconds += seconds.get(id) ?? 0;
      t.groupSeconds += sum;
      t.breakouts += 1;
      totals.set(id, t);
    }
    return {
      groupId: tr.groupId,
      groupName: group?.name ?? '',
      sessionTitle: session?.title ?? '',
      totalSeconds: sum,
      members: [...memberIds]
        .map((id) => ({ memberId: id, pseudonym: names.get(id) ?? 'member', seconds: seconds.get(id) ?? 0, share: sum ? (seconds.get(id) ?? 0) / sum : 0 }))
        .sort((a, b) => a.share - b.share),
    };
  });
  const members = [...totals]
    .map(([id, t]) => {
      // share of the talk in the groups they sat in, against an equal share of those groups
      const share = t.groupSeconds ? t.seconds / t.groupSeconds : 0;
      const sizes = groups.filter((g) => g.members.some((m) => m.memberId === id)).map((g) => g.members.length);
      const equal = sizes.length ? sizes.reduce((a, n) => a + 1 / n, 0) / sizes.length : 0;
      return { memberId: id, pseudonym: names.get(id) ?? 'member', seconds: t.seconds, breakouts: t.breakouts, share, equalShare: equal, quiet: equal > 0 && share < QUIET_BELOW * equal };
    })
    .sort((a, b) => a.share - b.share);
  return { members, groups };
}
