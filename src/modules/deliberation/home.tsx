/** @jsxImportSource hono/jsx */
/** The join links shown on a member's assembly home page, from 15 minutes before a session until its end. */
import type { Ctx } from '../../platform/context.js';
import type { T } from '../../web/i18n.js';
import { myGroups } from './allocations.js';

export function JoinLinks({ ctx, assemblyId, t }: { ctx: Ctx; assemblyId: string; t: T }) {
  const open = myGroups(ctx, assemblyId).filter((g) => g.room?.state === 'open' && g.room.url);
  if (open.length === 0) return null;
  return (
    <section class="card" aria-labelledby="join-now" data-testid="join-now">
      <h2 id="join-now">{t('deliberation.home.now')}</h2>
      {open.map((g) => (
        <p>
          {g.session.title} — {g.group.name}:{' '}
          <a class="button" href={g.room!.url!} data-room rel="noopener noreferrer" target="_blank">
            {t('deliberation.room.join')}
          </a>
        </p>
      ))}
    </section>
  );
}
