/** @jsxImportSource hono/jsx */
/**
 * The forecast on the ballot pages. Facilitators: a card to request it (a conversation with an approved opinion map,
 * the threshold to check, each recommendation linked to a statement, pre-selected by identical text), the pending
 * draft's link to the review desk, and the approved forecast. Members: the approved forecast only.
 */
import type { Context, Hono } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import type { Ctx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import type { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { translator, type Lang, type T, detailIn } from '../../web/i18n.js';
import { Csrf, formAll, many, one } from '../../web/kit.js';
import { FORECAST_KIND, forecastChoices, publishedForecast, requestForecast } from './forecast.js';
import { ForecastSection } from './forecast-view.js';
import type { BallotView } from './service.js';

/** An AppError's sentence in the reader's language (the one mechanism: web/i18n.ts detailIn), else the generic line. */
export function errorLine(t: T, lang: Lang, e: AppError): string {
  return detailIn(e, lang) ?? t(`ballots.err.${['CONFLICT', 'VALIDATION', 'FORBIDDEN', 'NOT_FOUND', 'PRECONDITION_FAILED'].includes(e.code) ? e.code : 'VALIDATION'}`);
}

/** The approved forecast for members (nothing while none is approved). */
export function MemberForecast({ ctx, b, t }: { ctx: Ctx; b: BallotView; t: T }) {
  const f = publishedForecast(ctx, b.assemblyId, b.id);
  return f ? <ForecastSection f={f.forecast} p={f.provenance} t={t} status={{ approvedAt: f.publishedAt, edited: f.edited }} /> : null;
}

export function FacilitatorForecast({ c, deps, b, t, error }: { c: Context<AppEnv>; deps: Deps; b: BallotView; t: T; error?: string }) {
  const ctx = ctxFor(deps, c.get('actor'), c.get('logger'));
  const a = b.assemblyId;
  const published = publishedForecast(ctx, a, b.id);
  const pending = deps.review.list(deps.db, { assemblyId: a, kind: FORECAST_KIND, status: ['pending'] }).find((i) => i.subject === `ballot:${b.id}`);
  const choice = forecastChoices(ctx, a, b.id, c.req.query('conversation'));
  const thresholdPct = b.threshold !== null ? String(Math.round(b.threshold * 1000) / 10) : '';
  return (
    <section class="card" aria-labelledby="fc-h" data-forecast-card>
      <h2 id="fc-h">{t('ballots.forecast.requestTitle')}</h2>
      <p>{t('ballots.forecast.requestExplain')}</p>
      {error ? <p class="error" role="alert">{error}</p> : null}
      {c.req.query('forecast') === 'queued' ? <p role="status">{t('ballots.forecast.queued')}</p> : null}
      {pending ? (
        <p data-forecast-pending>
          <a href={`/facilitate/${a}/review/${pending.id}`}>{t('ballots.forecast.pendingLink')}</a>
        </p>
      ) : null}
      {b.status === 'closed' ? null : choice.current === null ? (
        <p data-forecast-nomap>{t('ballots.forecast.noMap')}</p>
      ) : (
        <>
          {choice.conversations.length > 1 ? (
            <form method="get" action={`/facilitate/${a}/ballots/${b.id}`}>
              <label for="fc-conv">{t('ballots.forecast.conversation')}</label>
              <select id="fc-conv" name="conversation">
                {choice.conversations.map((x) => <option value={x.id} selected={x.id === choice.current!.id}>{x.topic}</option>)}
              </select>{' '}
              <button type="submit" class="secondary">{t('ballots.forecast.choose')}</button>
            </form>
          ) : null}
          <form method="post" action={`/facilitate/${a}/ballots/${b.id}/forecast`}>
            <Csrf c={c} />
            <input type="hidden" name="conversationId" value={choice.current.id} />
            <p>{t('ballots.forecast.using', { topic: choice.current.topic })}</p>
            <label for="fc-threshold">{t('ballots.forecast.threshold')}</label>
            <input id="fc-threshold" name="threshold" type="number" min={1} max={100} step="any" value={thresholdPct} required={b.threshold === null} />
            <fieldset>
              <legend>{t('ballots.forecast.links')}</legend>
              {b.options.map((o) => (
                <p>
                  <label for={`fc-link-${o.id}`}>{o.label}</label>
                  <select id={`fc-link-${o.id}`} name={`link_${o.id}`}>
                    <option value="">{t('ballots.forecast.noLink')}</option>
                    {choice.statements.map((s) => <option value={String(s.id)} selected={choice.suggested.get(o.id) === s.id}>{`#${s.tid} ${s.text.length > 90 ? `${s.text.slice(0, 89)}…` : s.text}`}</option>)}
                  </select>
                </p>
              ))}
            </fieldset>
            <button type="submit">{t('ballots.forecast.request')}</button>
          </form>
        </>
      )}
      {published ? <ForecastSection f={published.forecast} p={published.provenance} t={t} status={{ approvedAt: published.publishedAt, edited: published.edited }} idPrefix="pub-" /> : null}
    </section>
  );
}

/** POST /facilitate/:assemblyId/ballots/:ballotId/forecast: queue the job, back to the ballot page. */
export function registerForecastPages(r: Hono<AppEnv>, deps: Deps, manage: ReturnType<typeof requireAction>, reshow: (c: Context<AppEnv>, error: string, status: number) => Response | Promise<Response>) {
  r.post('/facilitate/:assemblyId/ballots/:ballotId/forecast', manage, async (c) => {
    const { assemblyId, ballotId } = c.req.param();
    const f = await formAll(c);
    const t = translator(c.get('lang'));
    const ctx = ctxFor(deps, c.get('actor'), c.get('logger'));
    const conversationId = one(f.conversationId);
    try {
      const raw = one(f.threshold).trim();
      const pctValue = raw === '' ? null : Number(raw);
      if (pctValue !== null && !Number.isFinite(pctValue)) throw new AppError('VALIDATION', 'The threshold is a share between 0 and 100 %.', { i18n: 'ballots.err.forecastThreshold' });
      const links = Object.keys(f)
        .filter((k) => k.startsWith('link_'))
        .map((k) => ({ optionId: k.slice(5), statementId: one(many(f[k])) === '' ? null : Number(one(f[k])) }));
      if (links.some((l) => l.statementId !== null && !Number.isInteger(l.statementId))) throw new AppError('VALIDATION', 'A link names a statement that does not exist.', { i18n: 'ballots.err.forecastLink' });
      requestForecast(ctx, deps.jobs, assemblyId, ballotId, { conversationId, threshold: pctValue === null ? null : pctValue / 100, links });
    } catch (e) {
      if (!(e instanceof AppError) || e.code === 'INTERNAL') throw e;
      return reshow(c, errorLine(t, c.get('lang'), e), e.status);
    }
    return c.redirect(`/facilitate/${assemblyId}/ballots/${ballotId}?forecast=queued&conversation=${encodeURIComponent(conversationId)}`, 303);
  });
}
