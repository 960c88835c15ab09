/** @jsxImportSource hono/jsx */
/**
 * Ideas from group to group, as pages: a group's page of ideas from earlier rounds (members read, its facilitators mark
 * them discussed and share the group's own ideas onward through the review desk), and the facilitators' idea flow.
 */
import { Hono, type Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { detailIn, translator, type T } from '../../web/i18n.js';
import { IdeaCard } from './ideas-desk.js';
import { groupLabel, IDEA_MAX } from './ideas-domain.js';
import * as ideas from './ideas.js';
import { Csrf, form, one, page } from './kit.js';

type GroupView = ReturnType<typeof ideas.groupIdeas>;

function ErrorBox({ error, t, lang }: { error?: AppError; t: T; lang: 'fr' | 'en' }) {
  if (!error) return null;
  return (
    <div class="card" role="alert" data-testid="error">
      <p class="error">{detailIn(error, lang) ?? t('deliberation.ideas.refused')}</p>
    </div>
  );
}

function ShareForms({ v, t, csrf, base }: { v: GroupView & { assemblyId: string }; t: T; csrf: string; base: string }) {
  if (!v.canShare) return null;
  const next = v.laterRounds[0];
  return (
    <section aria-labelledby="share-h" class="card">
      <h2 id="share-h">{t('deliberation.ideas.share.title')}</h2>
      {next ? (
        <form method="post" action={base} data-testid="share">
          <Csrf token={csrf} />
          <p>{t('deliberation.ideas.share.explain')}</p>
          <label for="idea-text">{t('deliberation.ideas.text')}</label>
          <textarea id="idea-text" name="text" rows={3} maxlength={IDEA_MAX} required></textarea>
          <label for="idea-round">{t('deliberation.ideas.share.round')}</label>
          <select id="idea-round" name="targetSessionId">
            {v.laterRounds.map((r) => (
              <option value={r.sessionId}>{t('deliberation.ideas.roundOf', { round: r.round, session: r.title })}</option>
            ))}
          </select>
          <button type="submit">{t('deliberation.ideas.share.submit')}</button>
        </form>
      ) : (
        <p data-testid="no-next-round">{t('deliberation.ideas.share.noNext')}</p>
      )}
      {next && v.extracted.length ? (
        <>
          <h3>{t('deliberation.ideas.share.extracted')}</h3>
          <ul>
            {v.extracted.map((x) => (
              <li data-extracted={x.id}>
                <span lang={x.language ?? undefined}>{x.text}</span>{' '}
                {x.shared ? (
                  <span class="badge">{t('deliberation.ideas.share.done')}</span>
                ) : (
                  <form method="post" action={base} style="display:inline">
                    <Csrf token={csrf} />
                    <input type="hidden" name="breakoutIdeaId" value={x.id} />
                    <input type="hidden" name="targetSessionId" value={next.sessionId} />
                    <button type="submit" class="secondary">{t('deliberation.ideas.share.this', { round: next.round })}</button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {v.pending.length ? (
        <>
          <h3>{t('deliberation.ideas.pending')}</h3>
          <ul data-testid="pending">
            {v.pending.map((p) => (
              <li>
                {p.text} — <a href={`/facilitate/${v.assemblyId}/review/${p.reviewItemId}`} data-review={p.reviewItemId}>{t('deliberation.ideas.review', { round: p.targetRound })}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

export function ideaPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const ctxOf = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));

  function groupPage(c: Context<AppEnv>, opts: { error?: AppError; shared?: boolean } = {}) {
    const lang = c.get('lang');
    const t = translator(lang);
    const { assemblyId, groupId } = c.req.param() as { assemblyId: string; groupId: string };
    const v = { ...ideas.groupIdeas(ctxOf(c), deps.review, assemblyId, groupId), assemblyId };
    const csrf = c.get('csrfToken') ?? '';
    const base = `/a/${assemblyId}/groups/${groupId}/ideas`;
    const name = groupLabel(v.group.name, t);
    const title = t('deliberation.ideas.title', { group: name, round: v.group.round });
    return page(
      c,
      title,
      <>
        <h1>{title}</h1>
        <p>
          <a href={`/a/${assemblyId}/groups`}>{t('deliberation.my.title')}</a>
          {v.canMark ? (
            <>
              {' · '}
              <a href={`/facilitate/${assemblyId}/deliberation/ideas`}>{t('deliberation.ideas.flow.title')}</a>
            </>
          ) : null}
        </p>
        <ErrorBox error={opts.error} t={t} lang={lang} />
        {opts.shared ? (
          <p role="status" class="card" data-testid="shared">
            {t('deliberation.ideas.share.sent')}
          </p>
        ) : null}
        <section aria-labelledby="recv-h">
          <h2 id="recv-h">{t('deliberation.ideas.received')}</h2>
          <p>{v.canMark ? t('deliberation.ideas.explain.facilitator') : t('deliberation.ideas.explain.member')}</p>
          {v.received.length === 0 ? <p data-testid="no-ideas">{t('deliberation.ideas.none')}</p> : null}
          {v.received.map((i) => (
            <IdeaCard text={i.text} language={i.language} origin={i.origin} t={t} lang={lang}>
              <div data-idea={i.id}>
                {i.discussed ? (
                  <p>
                    <span class="badge" data-discussed>
                      {t('deliberation.ideas.discussed')}
                    </span>
                  </p>
                ) : v.canMark ? (
                  <form method="post" action={`${base}/${i.id}/discussed`}>
                    <Csrf token={csrf} />
                    <button type="submit" data-mark>
                      {t('deliberation.ideas.mark')}
                    </button>
                  </form>
                ) : (
                  <p class="muted">{t('deliberation.ideas.notYet')}</p>
                )}
              </div>
            </IdeaCard>
          ))}
        </section>
        <ShareForms v={v} t={t} csrf={csrf} base={base} />
      </>,
      opts.error ? opts.error.status : 200,
    );
  }

  /** a refused form re-shows the page with the reason in the reader's language; nothing was written */
  function act(c: Context<AppEnv>, fn: () => unknown, after: string) {
    try {
      fn();
    } catch (e) {
      if (e instanceof AppError && e.status < 500 && e.status !== 404) return groupPage(c, { error: e });
      throw e;
    }
    return c.redirect(after, 303);
  }

  r.get('/a/:assemblyId/groups/:groupId/ideas', requireAction('participant.read'), (c) => groupPage(c, { shared: c.req.query('shared') === '1' }));

  r.post('/a/:assemblyId/groups/:groupId/ideas', requireAction('breakouts.manage'), async (c) => {
    const f = await form(c);
    const { assemblyId, groupId } = c.req.param();
    const extracted = one(f.breakoutIdeaId);
    return act(
      c,
      () => ideas.shareIdea(ctxOf(c), deps.review, assemblyId, groupId, extracted ? { breakoutIdeaId: extracted, targetSessionId: one(f.targetSessionId) || undefined } : { text: one(f.text), targetSessionId: one(f.targetSessionId) || undefined, language: c.get('lang') }),
      `/a/${assemblyId}/groups/${groupId}/ideas?shared=1`,
    );
  });

  r.post('/a/:assemblyId/groups/:groupId/ideas/:ideaId/discussed', requireAction('breakouts.manage'), (c) => {
    const { assemblyId, groupId, ideaId } = c.req.param();
    return act(c, () => ideas.markDiscussed(ctxOf(c), assemblyId, groupId, ideaId), `/a/${assemblyId}/groups/${groupId}/ideas`);
  });

  r.get('/facilitate/:assemblyId/deliberation/ideas', requireAction('breakouts.manage'), (c) => {
    const lang = c.get('lang');
    const t = translator(lang);
    const assemblyId = c.req.param('assemblyId');
    const flow = ideas.ideaFlow(ctxOf(c), assemblyId);
    return page(c, t('deliberation.ideas.flow.title'), <FlowView flow={flow} t={t} lang={lang} assemblyId={assemblyId} />);
  });

  return r;
}

function FlowView({ flow, t, lang, assemblyId }: { flow: ReturnType<typeof ideas.ideaFlow>; t: T; lang: string; assemblyId: string }) {
  const yes = (b: boolean) => (b ? t('deliberation.ideas.yes') : t('deliberation.ideas.no'));
  return (
    <>
      <h1>{t('deliberation.ideas.flow.title')}</h1>
      <p>
        <a href={`/facilitate/${assemblyId}/breakouts`}>{t('deliberation.back')}</a>
      </p>
      <p>{t('deliberation.ideas.flow.explain')}</p>
      <section aria-labelledby="fi-h">
        <h2 id="fi-h">{t('deliberation.ideas.flow.ideas')}</h2>
        {flow.ideas.length === 0 ? <p>{t('deliberation.ideas.flow.none')}</p> : null}
        {flow.ideas.map((i) => (
          <IdeaCard text={i.text} language={i.language} origin={i.origin} t={t} lang={lang}>
            <p>{t('deliberation.ideas.flow.sharedWith', { round: i.targetRound, n: i.groups.length })}</p>
            {i.groups.length ? (
              <ul data-flow-idea={i.id}>
                {i.groups.map((g) => (
                  <li data-flow-group={g.groupId} data-seen={g.seen ? 'yes' : 'no'} data-discussed={g.discussed ? 'yes' : 'no'}>
                    {t('deliberation.ideas.flow.state', { group: groupLabel(g.groupName, t), seen: yes(g.seen), discussed: yes(g.discussed) })}
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t('deliberation.ideas.flow.noGroups')}</p>
            )}
          </IdeaCard>
        ))}
      </section>
      <section aria-labelledby="fg-h">
        <h2 id="fg-h">{t('deliberation.ideas.flow.groups')}</h2>
        <p>{t('deliberation.ideas.flow.rule')}</p>
        <div role="region" aria-labelledby="fg-cap" tabindex={0} style="max-width:100%;overflow-x:auto">
          <table data-testid="flow-groups">
            <caption id="fg-cap">{t('deliberation.ideas.flow.groups')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('deliberation.ideas.flow.group')}</th>
                <th scope="col">{t('deliberation.ideas.flow.received')}</th>
                <th scope="col">{t('deliberation.ideas.flow.seen')}</th>
                <th scope="col">{t('deliberation.ideas.flow.discussedCol')}</th>
              </tr>
            </thead>
            <tbody>
              {flow.groups.map((g) => (
                <tr data-flow-row={g.groupId} data-lagging={g.lagging ? 'yes' : 'no'}>
                  <th scope="row">
                    <a href={`/a/${assemblyId}/groups/${g.groupId}/ideas`}>{t('deliberation.ideas.flow.groupIn', { group: groupLabel(g.groupName, t), round: g.round })}</a>
                  </th>
                  <td>{g.received}</td>
                  <td>{g.seen}</td>
                  <td>
                    {g.discussed} {g.lagging ? <strong>{t('deliberation.ideas.flow.lagging')}</strong> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
