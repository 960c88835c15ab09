/** @jsxImportSource hono/jsx */
/**
 * The review desk for ideas shared between groups: the facilitator sees the idea exactly as the receiving groups will
 * (its text, the origin group and round, in the reader's language), and edits its text before it travels.
 */
import type { DeskContext, DeskHook } from '../../platform/review/registry.js';
import { first, keep, refuse, SentenceCompare } from '../../web/desk-kit.js';
import type { T } from '../../web/i18n.js';
import { groupLabel, IDEA_MAX, SHARED_IDEA_KIND, type SharedIdeaPayload } from './ideas-domain.js';
import { ideasRepo } from './ideas-repo.js';
import { roundBook } from './ideas.js';

export interface Origin {
  groupName: string;
  round: number;
  sessionTitle: string;
}

/** an idea as a receiving group reads it (the review desk shows the same card) */
export function IdeaCard({ text, language, origin, t, lang, children }: { text: string; language: string | null; origin: Origin; t: T; lang: string; children?: unknown }) {
  return (
    <article class="card" data-shared-idea>
      <p lang={language ?? undefined}>
        <strong>{text}</strong>
      </p>
      <p class="cite" lang={lang} data-origin>
        {t('deliberation.ideas.from', { group: groupLabel(origin.groupName, t), round: origin.round, session: origin.sessionTitle })}
      </p>
      {children as never}
    </article>
  );
}

function describe(p: SharedIdeaPayload, ctx: DeskContext) {
  const book = roundBook(ctx.db, ctx.item.assemblyId);
  const g = ideasRepo.groupsOfAssembly(ctx.db, ctx.item.assemblyId).find((x) => x.id === p.originGroupId);
  const origin: Origin = { groupName: g?.name ?? '?', round: book.rounds.get(p.originSessionId) ?? 0, sessionTitle: book.titles.get(p.originSessionId) ?? '' };
  const target = { round: book.rounds.get(p.targetSessionId) ?? 0, sessionTitle: book.titles.get(p.targetSessionId) ?? '' };
  return { origin, target };
}

const deskOf: DeskHook<SharedIdeaPayload> = {
  title: (p, ctx) => {
    const { origin, target } = describe(p, ctx);
    return ctx.t('deliberation.ideas.desk.title', { group: groupLabel(origin.groupName, ctx.t), from: origin.round, to: target.round });
  },
  summary: (p, ctx) => {
    const { origin, target } = describe(p, ctx);
    return ctx.t(`deliberation.ideas.desk.line.${p.source}`, { group: groupLabel(origin.groupName, ctx.t), to: target.round });
  },
  render: (p, ctx) => {
    const { origin, target } = describe(p, ctx);
    return (
      <>
        <p lang={ctx.lang} data-target-round={String(target.round)}>
          {ctx.t('deliberation.ideas.desk.audience', { round: target.round, session: target.sessionTitle })}
        </p>
        <IdeaCard text={p.text} language={p.language} origin={origin} t={ctx.t} lang={ctx.lang} />
      </>
    );
  },
  editForm: (p, ctx) => (
    <>
      <label for={`${ctx.idPrefix}shared-text`}>{ctx.t('deliberation.ideas.text')}</label>
      <textarea id={`${ctx.idPrefix}shared-text`} name="text" rows={3} maxlength={IDEA_MAX} required lang={p.language ?? undefined}>
        {keep(ctx, 'text', p.text)}
      </textarea>
    </>
  ),
  parseEdit: (f, p, ctx) => {
    const text = first(f, 'text').replace(/\s+/g, ' ').trim();
    if (!text) refuse(ctx.t('deliberation.ideas.empty'), 'text');
    if (text.length > IDEA_MAX) refuse(ctx.t('deliberation.ideas.long', { max: IDEA_MAX }), 'text');
    return { ...p, text };
  },
  compare: (a, b, ctx) => <SentenceCompare t={ctx.t} before={[a.text]} after={[b.text]} />,
};

export const ideaDesks = (): Record<string, DeskHook<any>> => ({ [SHARED_IDEA_KIND]: deskOf });
