/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import type { DiffPart } from '../../platform/versions/index.js';
import { translator, type T } from '../../web/i18n.js';
import { Csrf, form, page } from '../../web/kit.js';
import { isStaff } from '../debates/service.js';
import { evidenceLinks, FIELD_MAX, FIELDS, TRANSITIONS, type Field, type Status } from './domain.js';
import * as svc from './service.js';

/** A word diff: removed words struck through, added words underlined; both announced to screen readers. */
export function DiffView({ parts, t }: { parts: DiffPart[]; t: T }) {
  return (
    <p class="diff" style="white-space:pre-wrap">
      {parts.map((p) =>
        p.op === 'added' ? (
          <ins aria-label={t('recs.diff.added')}>{p.text}</ins>
        ) : p.op === 'removed' ? (
          <del aria-label={t('recs.diff.removed')}>{p.text}</del>
        ) : (
          <span>{p.text}</span>
        ),
      )}
    </p>
  );
}

export function recommendationPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));

  r.get('/a/:assemblyId/recommendations', requireAction('participant.read'), (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const list = svc.listRecommendations(ctx(c), assemblyId);
    return page(
      c,
      t('recs.title'),
      <>
        <p>
          <a href={`/a/${assemblyId}`}>{t('nav.home')}</a>
        </p>
        <h1>{t('recs.title')}</h1>
        {list.length === 0 ? <p>{t('recs.none')}</p> : null}
        <ul>
          {list.map((x) => (
            <li data-recommendation={x.id}>
              <a href={`/a/${assemblyId}/recommendations/${x.id}`}>{x.title}</a> — {x.drafterName} · {t(`recs.status.${x.status}`)}
            </li>
          ))}
        </ul>
        <section class="card" aria-labelledby="new-rec-h">
          <h2 id="new-rec-h">{t('recs.new')}</h2>
          <form method="post" action={`/a/${assemblyId}/recommendations`}>
            <Csrf c={c} />
            <label for="rec-title">{t('recs.field.title')}</label>
            <input id="rec-title" name="title" required minlength={5} maxlength={FIELD_MAX.title} />
            <label for="rec-kind">{t('recs.drafter.kind')}</label>
            <select id="rec-kind" name="drafterKind">
              <option value="group">{t('recs.drafter.group')}</option>
              <option value="working_party">{t('recs.drafter.working_party')}</option>
            </select>
            <label for="rec-drafter">{t('recs.drafter.name')}</label>
            <input id="rec-drafter" name="drafterName" required minlength={2} maxlength={120} />
            <button type="submit">{t('recs.new')}</button>
          </form>
        </section>
      </>,
    );
  });

  r.post('/a/:assemblyId/recommendations', requireAction('deliberation.write'), async (c) => {
    const assemblyId = c.req.param('assemblyId');
    const f = await form(c);
    const rec = svc.createRecommendation(ctx(c), assemblyId, { title: f.title ?? '', drafterKind: f.drafterKind === 'working_party' ? 'working_party' : 'group', drafterName: f.drafterName ?? '' });
    return c.redirect(`/a/${assemblyId}/recommendations/${rec.id}`, 303);
  });

  r.get('/a/:assemblyId/recommendations/:recommendationId', requireAction('participant.read'), (c) => {
    const t = translator(c.get('lang'));
    const { assemblyId, recommendationId } = c.req.param();
    const x = ctx(c);
    const rec = svc.getRecommendation(x, assemblyId, recommendationId);
    const versions = svc.history(x, assemblyId, recommendationId);
    const editable = rec.status === 'draft' || rec.status === 'under_discussion';
    const base = `/a/${assemblyId}/recommendations/${rec.id}`;
    return page(
      c,
      rec.title,
      <>
        <p>
          <a href={`/a/${assemblyId}/recommendations`}>{t('recs.title')}</a>
        </p>
        <h1>{rec.title}</h1>
        <p>
          <span class="badge" data-status={rec.status}>
            {t(`recs.status.${rec.status}`)}
          </span>{' '}
          {t(`recs.drafter.${rec.drafterKind}`)}: {rec.drafterName} · {t('recs.version', { n: rec.version })}
        </p>
        <dl class="analysis">
          {FIELDS.filter((f) => f !== 'title').map((f) => (
            <>
              <dt>{t(`recs.field.${f}`)}</dt>
              <dd data-field={f} style="white-space:pre-wrap">
                {f === 'evidence' && rec.evidence ? (
                  <ul>
                    {evidenceLinks(rec.evidence).map((l) => (
                      <li>
                        <a href={l.url} rel="noopener noreferrer nofollow">
                          {l.title}
                        </a>
                      </li>
                    ))}
                  </ul>
                ) : (
                  rec[f] || '—'
                )}
              </dd>
            </>
          ))}
        </dl>
        {rec.debateId ? (
          <p>
            <a href={`/a/${assemblyId}/debates/${rec.debateId}`}>{t('recs.comments')}</a>
          </p>
        ) : null}
        {rec.debateId && isStaff(x) ? (
          <form method="post" action={`/facilitate/${assemblyId}/debates/${rec.debateId}/summary`} class="inline">
            <Csrf c={c} />
            <button type="submit" class="secondary">
              {t('debates.summary.request')}
            </button>
          </form>
        ) : null}
        {editable ? (
          <details class="card">
            <summary>{t('recs.edit')}</summary>
            <form method="post" action={`${base}/edit`}>
              <Csrf c={c} />
              <input type="hidden" name="baseVersion" value={String(rec.version)} />
              {FIELDS.map((f) => (
                <>
                  <label for={`f-${f}`}>{t(`recs.field.${f}`)}</label>
                  {f === 'title' ? <input id={`f-${f}`} name={f} value={rec[f]} maxlength={FIELD_MAX[f]} /> : <textarea id={`f-${f}`} name={f} maxlength={FIELD_MAX[f]}>{rec[f]}</textarea>}
                </>
              ))}
              <button type="submit">{t('recs.save')}</button>
            </form>
          </details>
        ) : null}
        {isStaff(x) && TRANSITIONS[rec.status].length ? (
          <form method="post" action={`${base}/status`} class="card">
            <Csrf c={c} />
            <label for="rec-status">{t('recs.status.change')}</label>
            <select id="rec-status" name="status">
              {TRANSITIONS[rec.status].map((s) => (
                <option value={s}>{t(`recs.status.${s}`)}</option>
              ))}
            </select>
            <button type="submit">{t('recs.status.change')}</button>
          </form>
        ) : null}
        <section aria-labelledby="hist-h">
          <h2 id="hist-h">{t('recs.history')}</h2>
          <ol reversed>
            {versions.map((v) => (
              <li data-version={v.version}>
                {t('recs.version', { n: v.version })} · {v.author} · <time datetime={v.createdAt}>{v.createdAt.slice(0, 16).replace('T', ' ')}</time>
                {v.version > 1 ? (
                  <>
                    {' '}
                    · {v.changed.map((f) => t(`recs.field.${f}`)).join(', ')} · <a href={`${base}/diff?from=${v.version - 1}&to=${v.version}`}>{t('recs.diff')}</a>
                  </>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      </>,
    );
  });

  r.get('/a/:assemblyId/recommendations/:recommendationId/diff', requireAction('participant.read'), (c) => {
    const t = translator(c.get('lang'));
    const { assemblyId, recommendationId } = c.req.param();
    const from = Number(c.req.query('from') ?? 0);
    const to = Number(c.req.query('to') ?? 1);
    const rec = svc.getRecommendation(ctx(c), assemblyId, recommendationId);
    const diffs = svc.diffVersions(ctx(c), assemblyId, recommendationId, from, to);
    return page(
      c,
      `${rec.title} · ${t('recs.diff')}`,
      <>
        <p>
          <a href={`/a/${assemblyId}/recommendations/${rec.id}`}>{rec.title}</a>
        </p>
        <h1>{t('recs.diff.title', { from, to })}</h1>
        {Object.entries(diffs).map(([f, parts]) => (
          <section aria-labelledby={`d-${f}`} data-diff={f}>
            <h2 id={`d-${f}`}>{t(`recs.field.${f}`)}</h2>
            <DiffView parts={parts} t={t} />
          </section>
        ))}
      </>,
    );
  });

  r.post('/a/:assemblyId/recommendations/:recommendationId/edit', requireAction('deliberation.write'), async (c) => {
    const { assemblyId, recommendationId } = c.req.param();
    const f = await form(c);
    const patch = Object.fromEntries(FIELDS.filter((k) => typeof f[k] === 'string').map((k) => [k, f[k]])) as Partial<Record<Field, string>>;
    svc.editRecommendation(ctx(c), assemblyId, recommendationId, { baseVersion: Number(f.baseVersion), ...patch });
    return c.redirect(`/a/${assemblyId}/recommendations/${recommendationId}`, 303);
  });

  r.post('/a/:assemblyId/recommendations/:recommendationId/status', requireAction('deliberation.moderate'), async (c) => {
    const { assemblyId, recommendationId } = c.req.param();
    const f = await form(c);
    if (!f.status) throw new AppError('VALIDATION', 'Choose the new status.');
    svc.setStatus(ctx(c), assemblyId, recommendationId, f.status as Status);
    return c.redirect(`/a/${assemblyId}/recommendations/${recommendationId}`, 303);
  });

  return r;
}
