/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { translator } from '../../web/i18n.js';
import { Csrf, form, page } from '../../web/kit.js';
import { DESCRIPTION_MAX, DISCUSSION_SUMMARY_KIND, TITLE_MAX } from './domain.js';
import * as svc from './service.js';
import { requestSummary } from './summaries.js';

/** Facilitators: proposals to decide, reported comments, debates to close, summaries to draft (reviewed on the review desk). */
export function facilitatorPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));

  r.get('/facilitate/:assemblyId/debates', requireAction('deliberation.moderate'), (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const x = ctx(c);
    // one read of the debates (a view costs queries per debate): proposals are never attached, so they are all listed
    const listed = svc.listDebates(x, assemblyId);
    const props = listed.filter((d) => d.status === 'proposed');
    const reported = svc.reportedComments(x, assemblyId);
    const all = listed.filter((d) => d.status === 'open' || d.status === 'closed');
    const drafts = deps.review.list(deps.db, { assemblyId, kind: DISCUSSION_SUMMARY_KIND, status: ['pending'] });
    const base = `/facilitate/${assemblyId}/debates`;
    return page(
      c,
      t('debates.moderate.title'),
      <>
        <p>
          <a href={`/facilitate/${assemblyId}`}>{t('review.back')}</a> · <a href={`/a/${assemblyId}/debates`}>{t('debates.title')}</a>
        </p>
        <h1>{t('debates.moderate.title')}</h1>
        {c.req.query('summary') === 'requested' ? <p role="status" class="ok">{t('debates.summary.requested')}</p> : null}
        <section aria-labelledby="props-h">
          <h2 id="props-h">{t('debates.moderate.proposals')}</h2>
          {props.length === 0 ? <p>{t('debates.moderate.none')}</p> : null}
          {props.map((d) => (
            <article class="card" data-proposal={d.id} aria-labelledby={`p-${d.id}`}>
              <h3 id={`p-${d.id}`}>{d.title}</h3>
              <p>
                {d.proposedBy} · {t('debates.supports', { n: d.supports })}
              </p>
              {d.description ? <p style="white-space:pre-wrap">{d.description}</p> : null}
              <form method="post" action={`${base}/${d.id}/decision`} class="inline">
                <Csrf c={c} />
                <input type="hidden" name="decision" value="open" />
                <button type="submit">{t('debates.moderate.open')}</button>
              </form>
              <form method="post" action={`${base}/${d.id}/decision`}>
                <Csrf c={c} />
                <input type="hidden" name="decision" value="reject" />
                <label for={`rj-${d.id}`}>{t('debates.moderate.reject.reason')}</label>
                <input id={`rj-${d.id}`} name="reason" required maxlength={1000} />
                <button type="submit" class="danger">
                  {t('debates.moderate.reject')}
                </button>
              </form>
            </article>
          ))}
        </section>
        <section aria-labelledby="reports-h">
          <h2 id="reports-h">{t('debates.moderate.reports')}</h2>
          {reported.length === 0 ? <p>{t('debates.moderate.none')}</p> : null}
          {reported.map((g) => (
            <article class="card" data-reported={g.comment.id} aria-labelledby={`r-${g.comment.id}`}>
              <h3 id={`r-${g.comment.id}`}>
                {g.comment.debateTitle} · #{g.comment.id} · {g.comment.authorName}
              </h3>
              <p style="white-space:pre-wrap">{g.comment.body}</p>
              <ul>
                {g.reports.map((rep) => (
                  <li>
                    {t(`debates.report.reason.${rep.reason}`)}
                    {rep.details ? <> — {rep.details}</> : null}
                  </li>
                ))}
              </ul>
              <form method="post" action={`${base}/${g.comment.debateId}/comments/${g.comment.id}/moderation`}>
                <Csrf c={c} />
                <input type="hidden" name="action" value="hide" />
                <label for={`h-${g.comment.id}`}>{t('debates.moderate.hide.reason')}</label>
                <input id={`h-${g.comment.id}`} name="reason" required maxlength={1000} />
                <button type="submit" class="danger">
                  {t('debates.moderate.hide')}
                </button>
              </form>
              <form method="post" action={`${base}/${g.comment.debateId}/comments/${g.comment.id}/moderation`} class="inline">
                <Csrf c={c} />
                <input type="hidden" name="action" value="dismiss" />
                <button type="submit" class="secondary">
                  {t('debates.moderate.dismiss')}
                </button>
              </form>
            </article>
          ))}
        </section>
        {drafts.length ? (
          <section aria-labelledby="drafts-h">
            <h2 id="drafts-h">{t('debates.summary')}</h2>
            <ul>
              {drafts.map((d) => (
                <li>
                  <a href={`/facilitate/${assemblyId}/review/${d.id}`} data-draft={d.id}>
                    {d.title}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section aria-labelledby="all-h">
          <h2 id="all-h">{t('debates.moderate.all')}</h2>
          {all.map((d) => (
            <article class="card" data-debate={d.id} aria-labelledby={`d-${d.id}`}>
              <h3 id={`d-${d.id}`}>
                <a href={`/a/${assemblyId}/debates/${d.id}`}>{d.title}</a> ({t(`debates.status.${d.status}`)})
              </h3>
              <p>
                <a href={`/api/assemblies/${assemblyId}/debates/${d.id}/export?format=csv`}>{t('debates.moderate.export')}</a>
              </p>
              <form method="post" action={`${base}/${d.id}/status`} class="inline">
                <Csrf c={c} />
                <input type="hidden" name="open" value={d.status === 'open' ? 'false' : 'true'} />
                <button type="submit" class="secondary">
                  {d.status === 'open' ? t('debates.moderate.close') : t('debates.moderate.reopen')}
                </button>
              </form>{' '}
              <form method="post" action={`${base}/${d.id}/summary`} class="inline">
                <Csrf c={c} />
                <button type="submit">{t('debates.summary.request')}</button>
              </form>
            </article>
          ))}
        </section>
        <section class="card" aria-labelledby="new-h">
          <h2 id="new-h">{t('debates.open.new')}</h2>
          <form method="post" action={`/a/${assemblyId}/debates`}>
            <Csrf c={c} />
            <label for="nd-title">{t('debates.field.title')}</label>
            <input id="nd-title" name="title" required minlength={5} maxlength={TITLE_MAX} />
            <label for="nd-desc">{t('debates.field.description')}</label>
            <textarea id="nd-desc" name="description" maxlength={DESCRIPTION_MAX}></textarea>
            <button type="submit">{t('debates.open.new')}</button>
          </form>
        </section>
      </>,
    );
  });

  r.post('/facilitate/:assemblyId/debates/:debateId/decision', requireAction('deliberation.moderate'), async (c) => {
    const { assemblyId, debateId } = c.req.param();
    const f = await form(c);
    svc.decideProposal(ctx(c), assemblyId, debateId, { decision: f.decision === 'open' ? 'open' : 'reject', reason: f.reason });
    return c.redirect(`/facilitate/${assemblyId}/debates`, 303);
  });

  r.post('/facilitate/:assemblyId/debates/:debateId/status', requireAction('deliberation.moderate'), async (c) => {
    const { assemblyId, debateId } = c.req.param();
    const f = await form(c);
    svc.setDebateOpen(ctx(c), assemblyId, debateId, f.open === 'true', f.reason);
    return c.redirect(`/facilitate/${assemblyId}/debates`, 303);
  });

  r.post('/facilitate/:assemblyId/debates/:debateId/summary', requireAction('deliberation.moderate'), (c) => {
    const { assemblyId, debateId } = c.req.param();
    requestSummary(ctx(c), deps.jobs, assemblyId, debateId);
    return c.redirect(`/facilitate/${assemblyId}/debates?summary=requested`, 303);
  });

  r.post('/facilitate/:assemblyId/debates/:debateId/comments/:commentId/moderation', requireAction('deliberation.moderate'), async (c) => {
    const { assemblyId, debateId, commentId } = c.req.param();
    const f = await form(c);
    const id = Number(commentId);
    if (f.action === 'hide') svc.hideComment(ctx(c), assemblyId, debateId, id, f.reason ?? '');
    else if (f.action === 'unhide') svc.unhideComment(ctx(c), assemblyId, debateId, id);
    else if (f.action === 'dismiss') svc.dismissReports(ctx(c), assemblyId, debateId, id);
    else throw new AppError('VALIDATION', 'Choose hide, unhide or dismiss.');
    return c.redirect(`/facilitate/${assemblyId}/debates`, 303);
  });

  return r;
}
