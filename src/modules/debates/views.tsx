/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { AppEnv } from '../../platform/http/types.js';
import { REPORT_REASONS } from '../../platform/moderation/index.js';
import type { T } from '../../web/i18n.js';
import { Csrf } from '../../web/kit.js';
import { ALIGNMENTS, COMMENT_MAX, type Alignment, type CommentNode, type DiscussionSummaryPayload } from './domain.js';
import type { DebateView } from './service.js';

export const ALIGN_MARK: Record<Alignment, string> = { in_favour: '+', against: '−', neutral: '=' };

/** The alignment radios (a fieldset with a legend); ids are prefixed so several forms can share a page. */
export function AlignmentChoice({ t, prefix, value }: { t: T; prefix: string; value?: Alignment }) {
  return (
    <fieldset class="alignment">
      <legend>{t('debates.alignment')}</legend>
      {ALIGNMENTS.map((a) => (
        <label for={`${prefix}-${a}`} class="inline-choice">
          <input type="radio" id={`${prefix}-${a}`} name="alignment" value={a} required checked={value === a} /> {t(`debates.alignment.${a}`)}
        </label>
      ))}
    </fieldset>
  );
}

export function Counts({ d, t }: { d: DebateView; t: T }) {
  return (
    <section aria-labelledby="counts-h" class="counts">
      <h2 id="counts-h">{t('debates.counts')}</h2>
      <ul data-counts>
        {ALIGNMENTS.map((a) => (
          <li data-alignment={a}>
            {t(`debates.alignment.${a}`)}: <strong>{d.counts[a]}</strong>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A published (or draft, on the review desk) discussion summary, labelled as machine-made. */
export function SummaryView({ s, t, edited }: { s: DiscussionSummaryPayload; t: T; edited?: boolean }) {
  const cites = (ids: string[]) => (
    <span class="cite">
      ({t('debates.summary.sources', { ids: ids.map((i) => `#${i}`).join(', ') })})
    </span>
  );
  return (
    <section class="card publication" aria-labelledby="summary-h" data-summary lang={s.language}>
      <h2 id="summary-h">{t('debates.summary')}</h2>
      <p class="badge machine">{t('debates.summary.machine')}</p>
      {edited ? <p class="cite">{t('debates.summary.edited')}</p> : null}
      {s.sentences.map((x) => (
        <p>
          {x.text} {cites(x.sourceIds)}
        </p>
      ))}
      {s.agreement.length ? (
        <>
          <h3>{t('debates.summary.agreement')}</h3>
          <ul>
            {s.agreement.map((x) => (
              <li>
                {x.text} {cites(x.sourceIds)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {s.disagreement.length ? (
        <>
          <h3>{t('debates.summary.disagreement')}</h3>
          <ul>
            {s.disagreement.map((x) => (
              <li>
                {x.side ? <span class="badge">{t(`debates.alignment.${x.side}`)}</span> : null} {x.text} {cites(x.sourceIds)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

export interface CommentCtx {
  c: Context<AppEnv>;
  t: T;
  base: string;
  open: boolean;
  staff: boolean;
  member: boolean;
  reported: Set<number>;
  /** the comment whose page this is: only it carries the report / delete / hide forms (pages stay light) */
  focus?: number;
}

/** One comment with its replies (nested lists), the reply / report / delete / hide forms folded under it. */
export function Comment({ n, x }: { n: CommentNode; x: CommentCtx }) {
  const { t, base } = x;
  const label = `c-${n.id}`;
  return (
    <li id={label} data-comment={n.id} data-depth={n.depth} data-status={n.status}>
      <article aria-labelledby={`${label}-h`}>
        <p id={`${label}-h`} class="who">
          {n.status === 'deleted' ? null : (
            <>
              <strong>{n.authorName}</strong> {n.mine ? t('debates.you') : null} ·{' '}
            </>
          )}
          <span class={`badge align-${n.alignment}`} data-alignment={n.alignment}>
            {ALIGN_MARK[n.alignment]} {t(`debates.alignment.${n.alignment}`)}
          </span>{' '}
          <a href={`${base}/comments/${n.id}`} class="cite">
            #{n.id}
          </a>
        </p>
        {n.status === 'deleted' ? <p class="cite">{t('debates.deleted')}</p> : null}
        {n.status === 'hidden' ? <p class="cite">{n.hiddenReason !== null && n.mine ? t('debates.hidden.yours', { reason: n.hiddenReason }) : t('debates.hidden')}</p> : null}
        {n.body !== null && n.status !== 'deleted' ? <p class="body" style="white-space:pre-wrap">{n.body}</p> : null}
        {n.status === 'visible' ? <Actions n={n} x={x} /> : null}
        {x.staff && n.status === 'hidden' && n.hiddenReason ? <p class="cite">{t('debates.reason', { reason: n.hiddenReason })}</p> : null}
      </article>
      {n.replies.length ? (
        <ol class="replies">
          {n.replies.map((r) => (
            <Comment n={r} x={x} />
          ))}
        </ol>
      ) : null}
      {n.more ? (
        <p>
          <a href={`${base}/comments/${n.id}`}>{t('debates.more', { n: n.replyCount })}</a>
        </p>
      ) : null}
    </li>
  );
}

function Actions({ n, x }: { n: CommentNode; x: CommentCtx }) {
  const { c, t, base } = x;
  const id = `c${n.id}`;
  return (
    <div class="actions">
      {x.open && x.focus === n.id ? (
        <form method="post" action={`${base}/comments`} id={`reply-${n.id}`}>
          <Csrf c={c} />
          <input type="hidden" name="parentId" value={String(n.id)} />
          <label for={`${id}-body`}>{t('debates.reply.to', { name: n.authorName })}</label>
          <textarea id={`${id}-body`} name="body" required maxlength={COMMENT_MAX}></textarea>
          <AlignmentChoice t={t} prefix={`${id}-al`} />
          <button type="submit">{t('debates.reply.send')}</button>
        </form>
      ) : null}
      {x.open && x.focus !== n.id ? (
        <a href={`${base}/comments/${n.id}#reply-${n.id}`} data-reply={n.id} aria-label={`${t('debates.reply')} #${n.id}`}>
          {t('debates.reply')}
        </a>
      ) : null}{' '}
      {x.focus !== n.id && (x.member || x.staff) ? (
        <a href={`${base}/comments/${n.id}`} class="cite" aria-label={`${t('debates.actions')} #${n.id}`}>
          {t('debates.actions')}
        </a>
      ) : null}
      {x.focus === n.id && x.member && !n.mine && !x.reported.has(n.id) ? (
        <details>
          <summary>{t('debates.report')}</summary>
          <form method="post" action={`${base}/comments/${n.id}/report`}>
            <Csrf c={c} />
            <label for={`${id}-reason`}>{t('debates.report.reason')}</label>
            <select id={`${id}-reason`} name="reason">
              {REPORT_REASONS.map((r) => (
                <option value={r}>{t(`debates.report.reason.${r}`)}</option>
              ))}
            </select>
            <label for={`${id}-details`}>{t('debates.report.details')}</label>
            <input id={`${id}-details`} name="details" maxlength={1000} />
            <button type="submit" class="secondary">
              {t('debates.report.send')}
            </button>
          </form>
        </details>
      ) : null}
      {x.reported.has(n.id) ? <p class="cite">{t('debates.report.sent')}</p> : null}
      {x.focus === n.id && n.mine ? (
        <form method="post" action={`${base}/comments/${n.id}/delete`} class="inline">
          <Csrf c={c} />
          <button type="submit" class="secondary">
            {t('debates.delete')}
          </button>
        </form>
      ) : null}
      {x.focus === n.id && x.staff ? (
        <details>
          <summary>{t('debates.moderate.hide')}</summary>
          <form method="post" action={`/facilitate/${base.split('/')[2]}/debates/${base.split('/')[4]}/comments/${n.id}/moderation`}>
            <Csrf c={c} />
            <input type="hidden" name="action" value="hide" />
            <label for={`${id}-hide`}>{t('debates.moderate.hide.reason')}</label>
            <input id={`${id}-hide`} name="reason" required maxlength={1000} />
            <button type="submit" class="danger">
              {t('debates.moderate.hide')}
            </button>
          </form>
        </details>
      ) : null}
    </div>
  );
}
