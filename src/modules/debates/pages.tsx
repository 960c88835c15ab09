/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { roleOf } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import type { ReportReason } from '../../platform/moderation/index.js';
import { translator } from '../../web/i18n.js';
import { Csrf, form, page } from '../../web/kit.js';
import { ALIGNMENTS, COMMENT_MAX, DESCRIPTION_MAX, TITLE_MAX, type Alignment } from './domain.js';
import { facilitatorPages } from './pages.facilitate.js';
import * as svc from './service.js';
import { publishedSummary } from './summaries.js';
import { AlignmentChoice, Comment, Counts, SummaryView, type CommentCtx } from './views.js';

const alignmentOf = (v: string | undefined): Alignment => {
  if (!ALIGNMENTS.includes(v as Alignment)) throw new AppError('VALIDATION', 'Choose a position: in favour, against or neutral.', { errors: [{ path: 'alignment', message: 'Required' }] });
  return v as Alignment;
};

export function debatePages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));

  r.get('/a/:assemblyId/debates', requireAction('participant.read'), (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const list = svc.listDebates(ctx(c), assemblyId);
    return page(
      c,
      t('debates.title'),
      <>
        <p>
          <a href={`/a/${assemblyId}`}>{t('nav.home')}</a> · <a href={`/a/${assemblyId}/notifications`}>{t('notifications.title')}</a>
        </p>
        <h1>{t('debates.title')}</h1>
        <p>{t('debates.intro')}</p>
        {list.length === 0 ? <p>{t('debates.none')}</p> : null}
        <ul class="debates">
          {list.map((d) => (
            <li data-debate={d.id}>
              <a href={`/a/${assemblyId}/debates/${d.id}`}>{d.title}</a> — {t(`debates.status.${d.status}`)} · {d.counts.in_favour + d.counts.against + d.counts.neutral} {t('debates.comments').toLowerCase()}
            </li>
          ))}
        </ul>
        <section class="card" aria-labelledby="propose-h">
          <h2 id="propose-h">{svc.isStaff(ctx(c)) ? t('debates.open.new') : t('debates.propose')}</h2>
          {svc.isStaff(ctx(c)) ? null : <p class="cite">{t('debates.propose.help')}</p>}
          <form method="post" action={`/a/${assemblyId}/debates`}>
            <Csrf c={c} />
            <label for="d-title">{t('debates.field.title')}</label>
            <input id="d-title" name="title" required minlength={5} maxlength={TITLE_MAX} />
            <label for="d-desc">{t('debates.field.description')}</label>
            <textarea id="d-desc" name="description" maxlength={DESCRIPTION_MAX}></textarea>
            <button type="submit">{svc.isStaff(ctx(c)) ? t('debates.open.new') : t('debates.propose')}</button>
          </form>
        </section>
      </>,
    );
  });

  r.post('/a/:assemblyId/debates', requireAction('deliberation.write'), async (c) => {
    const assemblyId = c.req.param('assemblyId');
    const f = await form(c);
    const d = svc.createDebate(ctx(c), assemblyId, { title: f.title ?? '', description: f.description });
    return c.redirect(`/a/${assemblyId}/debates/${d.id}`, 303);
  });

  /** the debate page; `error` re-renders it with the refused comment kept in the form */
  const debatePage = (c: Context<AppEnv>, opts: { error?: string; body?: string; status?: number } = {}) => {
    const t = translator(c.get('lang'));
    const { assemblyId, debateId } = c.req.param() as { assemblyId: string; debateId: string };
    const x = ctx(c);
    const d = svc.getDebate(x, assemblyId, debateId);
    const after = Number(c.req.query('after') ?? 0) || 0;
    const pg = d.status === 'proposed' ? { threads: [], next: null } : svc.commentPage(x, assemblyId, debateId, after);
    const summary = publishedSummary(x, assemblyId, `debate:${debateId}`);
    const base = `/a/${assemblyId}/debates/${debateId}`;
    const role = roleOf(c.get('actor'));
    const cx: CommentCtx = { c, t, base, open: d.status === 'open', staff: svc.isStaff(x), member: role === 'participant', reported: new Set() };
    return page(
      c,
      d.title,
      <>
        <p>
          <a href={`/a/${assemblyId}/debates`}>{t('debates.back.list')}</a> · <a href={`/a/${assemblyId}/notifications`}>{t('notifications.title')}</a>
          {cx.staff ? (
            <>
              {' '}
              · <a href={`/facilitate/${assemblyId}/debates`}>{t('debates.moderate.title')}</a>
            </>
          ) : null}
        </p>
        <h1>{d.title}</h1>
        <p>
          <span class="badge" data-debate-status={d.status}>
            {t(`debates.status.${d.status}`)}
          </span>
          {d.decisionReason ? <> {t('debates.reason', { reason: d.decisionReason })}</> : null}
        </p>
        {d.description ? <p style="white-space:pre-wrap">{d.description}</p> : null}
        {summary ? <SummaryView s={summary} t={t} edited={summary.edited} /> : null}
        {d.status === 'proposed' ? (
          <section class="card" aria-labelledby="support-h">
            <h2 id="support-h">{t('debates.proposed.note')}</h2>
            <p>{t('debates.supports', { n: d.supports })}</p>
            {d.supported ? (
              <p>{t('debates.supported')}</p>
            ) : cx.member ? (
              <form method="post" action={`${base}/supports`}>
                <Csrf c={c} />
                <button type="submit">{t('debates.support')}</button>
              </form>
            ) : null}
          </section>
        ) : (
          <Counts d={d} t={t} />
        )}
        {d.status !== 'rejected' ? (
          <form method="post" action={`${base}/subscription`} class="card" data-subscription={d.subscribed ? 'on' : 'off'}>
            <Csrf c={c} />
            {d.subscribed ? (
              <>
                <p role="status">{t('debates.subscribed')}</p>
                <input type="hidden" name="op" value="unsubscribe" />
                <button type="submit" class="secondary">
                  {t('debates.unsubscribe')}
                </button>
              </>
            ) : (
              <>
                <p class="cite">{t('debates.subscribe.help')}</p>
                {deps.config.smtpUrl ? (
                  <>
                    <label for="sub-email">{t('debates.subscribe.email')}</label>
                    <input id="sub-email" name="email" type="email" autocomplete="email" />
                  </>
                ) : null}
                <input type="hidden" name="op" value="subscribe" />
                <button type="submit">{t('debates.subscribe')}</button>
              </>
            )}
          </form>
        ) : null}
        {d.status === 'closed' ? <p class="cite">{t('debates.closed.note')}</p> : null}
        {opts.error ? (
          <p role="alert" class="error" id="comment-error">
            {t('debates.error', { detail: opts.error })}
          </p>
        ) : null}
        {d.status === 'open' ? (
          <section class="card" aria-labelledby="new-comment-h">
            <h2 id="new-comment-h">{t('debates.comment')}</h2>
            <form method="post" action={`${base}/comments`}>
              <Csrf c={c} />
              <label for="comment-body">{t('debates.comment')}</label>
              <p id="comment-help" class="cite">
                {t('debates.comment.help')}
              </p>
              <textarea id="comment-body" name="body" required maxlength={COMMENT_MAX} aria-describedby={opts.error ? 'comment-help comment-error' : 'comment-help'}>
                {opts.body ?? ''}
              </textarea>
              <AlignmentChoice t={t} prefix="al" />
              <button type="submit">{t('debates.comment.send')}</button>
            </form>
          </section>
        ) : null}
        {d.status !== 'proposed' ? (
          <section aria-labelledby="comments-h">
            <h2 id="comments-h">
              {t('debates.comments')} ({d.threads})
            </h2>
            {pg.threads.length === 0 ? <p>{t('debates.comments.none')}</p> : null}
            <ol class="comments">
              {pg.threads.map((n) => (
                <Comment n={n} x={cx} />
              ))}
            </ol>
            <nav aria-label={t('debates.comments')}>
              {after ? <a href={base}>{t('debates.first')}</a> : null} {pg.next ? <a href={`${base}?after=${pg.next}`} rel="next">{t('debates.next')}</a> : null}
            </nav>
          </section>
        ) : null}
      </>,
      opts.status ?? 200,
    );
  };

  r.get('/a/:assemblyId/debates/:debateId', requireAction('participant.read'), (c) => debatePage(c));

  r.get('/a/:assemblyId/debates/:debateId/comments/:commentId', requireAction('participant.read'), (c) => {
    const t = translator(c.get('lang'));
    const { assemblyId, debateId, commentId } = c.req.param();
    const x = ctx(c);
    const d = svc.getDebate(x, assemblyId, debateId);
    const id = Number(commentId);
    if (!Number.isInteger(id) || id <= 0) throw new AppError('NOT_FOUND', `Comment '${commentId}' does not exist.`);
    const { comment, parentId } = svc.commentThread(x, assemblyId, debateId, id);
    const base = `/a/${assemblyId}/debates/${debateId}`;
    const cx: CommentCtx = { c, t, base, open: d.status === 'open', staff: svc.isStaff(x), member: roleOf(c.get('actor')) === 'participant', reported: svc.reportedByMe(x, [comment.id]), focus: comment.id };
    return page(
      c,
      d.title,
      <>
        <p>
          <a href={base}>{t('debates.back')}</a>
          {parentId ? (
            <>
              {' '}
              · <a href={`${base}/comments/${parentId}`}>{t('debates.up')}</a>
            </>
          ) : null}
        </p>
        <h1>{d.title}</h1>
        <ol class="comments">
          <Comment n={comment} x={cx} />
        </ol>
      </>,
    );
  });

  r.post('/a/:assemblyId/debates/:debateId/comments', requireAction('deliberation.write'), async (c) => {
    const { assemblyId, debateId } = c.req.param();
    const f = await form(c);
    const parentId = f.parentId ? Number(f.parentId) : null;
    try {
      const n = svc.addComment(ctx(c), deps.jobs, assemblyId, debateId, { body: f.body ?? '', alignment: alignmentOf(f.alignment), parentId });
      return c.redirect(`/a/${assemblyId}/debates/${debateId}/comments/${n.parentId ?? n.id}#c-${n.id}`, 303);
    } catch (e) {
      if (e instanceof AppError && e.status < 500 && e.code !== 'NOT_FOUND' && e.code !== 'FORBIDDEN') return debatePage(c, { error: e.detail, body: parentId ? '' : (f.body ?? '').slice(0, COMMENT_MAX), status: e.status });
      throw e;
    }
  });

  r.post('/a/:assemblyId/debates/:debateId/supports', requireAction('deliberation.write'), (c) => {
    const { assemblyId, debateId } = c.req.param();
    svc.supportDebate(ctx(c), assemblyId, debateId);
    return c.redirect(`/a/${assemblyId}/debates/${debateId}`, 303);
  });

  r.post('/a/:assemblyId/debates/:debateId/subscription', requireAction('deliberation.write'), async (c) => {
    const { assemblyId, debateId } = c.req.param();
    const f = await form(c);
    if (f.op === 'unsubscribe') svc.unsubscribe(ctx(c), assemblyId, debateId);
    else svc.subscribe(ctx(c), assemblyId, debateId, f.email || null);
    return c.redirect(`/a/${assemblyId}/debates/${debateId}`, 303);
  });

  r.post('/a/:assemblyId/debates/:debateId/comments/:commentId/report', requireAction('deliberation.write'), async (c) => {
    const { assemblyId, debateId, commentId } = c.req.param();
    const f = await form(c);
    svc.reportComment(ctx(c), assemblyId, debateId, Number(commentId), { reason: (f.reason ?? 'other') as ReportReason, details: f.details });
    return c.redirect(`/a/${assemblyId}/debates/${debateId}/comments/${commentId}`, 303);
  });

  r.post('/a/:assemblyId/debates/:debateId/comments/:commentId/delete', requireAction('deliberation.write'), (c) => {
    const { assemblyId, debateId, commentId } = c.req.param();
    svc.deleteComment(ctx(c), assemblyId, debateId, Number(commentId));
    return c.redirect(`/a/${assemblyId}/debates/${debateId}/comments/${commentId}`, 303);
  });

  r.route('/', facilitatorPages(deps));
  return r;
}
