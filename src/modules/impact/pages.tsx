/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { detailIn, translator } from '../../web/i18n.js';
import { Csrf, form, page } from '../../web/kit.js';
import { getAssembly } from '../assemblies/service.js';
import { dayOf, IMPACT_STATUSES, SOURCES_MAX, TEXT_MAX, THEME_MAX } from './domain.js';
import { impactFeed, publicImpactPage } from './public.js';
import * as svc from './service.js';
import { Progress, Response, Timeline } from './views.js';

type FormName = 'response' | 'entry' | 'theme';
/** keeps a ?lang= choice across a form's post and redirect */
const langQuery = (c: Context<AppEnv>) => (['fr', 'en'].includes(c.req.query('lang') ?? '') ? `?lang=${c.req.query('lang')}` : '');
interface Redo {
  form: FormName;
  error: string;
  values: Record<string, string>;
}

/** Staff pages: the list of final recommendations, and one page per recommendation with its three forms. */
export function impactPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));
  const manage = requireAction('impact.manage');

  r.get('/facilitate/:assemblyId/impact', manage, (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const a = getAssembly(ctx(c), assemblyId);
    const items = svc.listImpact(ctx(c), assemblyId);
    return page(
      c,
      t('impact.staff.title'),
      <>
        <p>
          <a href={`/facilitate/${assemblyId}`}>{t('review.back')}</a>
        </p>
        <h1>{t('impact.staff.title')}</h1>
        <p>{t('impact.staff.intro')}</p>
        {items.length === 0 ? <p data-testid="impact-none">{t('impact.staff.none')}</p> : null}
        <ul>
          {items.map((x) => (
            <li data-impact={x.recommendationId}>
              <a href={`/facilitate/${assemblyId}/impact/${x.recommendationId}${langQuery(c)}`}>{x.title}</a> — {t(`impact.status.${x.status}`)}, {x.progress} %{x.theme ? ` · ${x.theme}` : ''}
            </li>
          ))}
        </ul>
        <p>
          <a href={`/p/${a.slug}/impact`}>{t('impact.staff.public')}</a>
        </p>
      </>,
    );
  });

  const recPage = (c: Context<AppEnv>, redo?: Redo) => {
    const t = translator(c.get('lang'));
    const { assemblyId, recommendationId } = c.req.param() as { assemblyId: string; recommendationId: string };
    const { item, timeline } = svc.impactOf(ctx(c), assemblyId, recommendationId);
    const base = `/facilitate/${assemblyId}/impact/${recommendationId}`;
    const v = (f: FormName, k: string, d = '') => (redo?.form === f ? (redo.values[k] ?? d) : d);
    const err = (f: FormName) =>
      redo?.form === f ? (
        <p role="alert" id={`${f}-error`} class="error">
          {redo.error}
        </p>
      ) : null;
    const today = dayOf(deps.clock());
    // an archive is read-only (the guard refuses its writes): no forms, a note instead
    const archived = c.get('readOnly')?.(assemblyId) === true;
    return page(
      c,
      item.title,
      <>
        <p>
          <a href={`/facilitate/${assemblyId}/impact`}>{t('impact.staff.title')}</a>
        </p>
        <h1>{item.title}</h1>
        <Progress t={t} item={item} />
        <h2>{t('impact.response.title')}</h2>
        <Response t={t} item={item} />
        {archived ? <p role="note">{t('impact.archived')}</p> : null}
        {archived ? null : (
          <>
        <section class="card" aria-labelledby="entry-h">
          <h2 id="entry-h">{t('impact.entry.add')}</h2>
          {err('entry')}
          <form method="post" action={`${base}/entries${langQuery(c)}`}>
            <Csrf c={c} />
            <label for="entry-date">{t('impact.entry.date')}</label>
            <input id="entry-date" name="date" type="date" required max={today} value={v('entry', 'date', today)} />
            <label for="entry-text">{t('impact.entry.text')}</label>
            <textarea id="entry-text" name="text" required maxlength={TEXT_MAX} rows={4}>
              {v('entry', 'text')}
            </textarea>
            <label for="entry-sources">{t('impact.entry.sources', { n: SOURCES_MAX })}</label>
            <textarea id="entry-sources" name="sources" required rows={3} placeholder="https://…">
              {v('entry', 'sources')}
            </textarea>
            <label for="entry-status">{t('impact.entry.status')}</label>
            <select id="entry-status" name="status">
              <option value="">{t('impact.entry.keep', { status: t(`impact.status.${item.status}`) })}</option>
              {IMPACT_STATUSES.map((s) => (
                <option value={s} selected={v('entry', 'status') === s}>
                  {t(`impact.status.${s}`)}
                </option>
              ))}
            </select>
            <label for="entry-progress">{t('impact.entry.progress')}</label>
            <input id="entry-progress" name="progress" type="number" min={0} max={100} step={1} inputmode="numeric" value={v('entry', 'progress')} aria-describedby="entry-progress-help" />
            <p id="entry-progress-help" class="cite">
              {t('impact.entry.progressHelp')}
            </p>
            <button type="submit">{t('impact.entry.submit')}</button>
          </form>
        </section>
        <section class="card" aria-labelledby="resp-h">
          <h2 id="resp-h">{t('impact.response.record')}</h2>
          {err('response')}
          <form method="post" action={`${base}/response${langQuery(c)}`}>
            <Csrf c={c} />
            <label for="resp-text">{t('impact.response.text')}</label>
            <textarea id="resp-text" name="text" required maxlength={TEXT_MAX} rows={4}>
              {v('response', 'text', item.response?.text ?? '')}
            </textarea>
            <label for="resp-date">{t('impact.response.date')}</label>
            <input id="resp-date" name="date" type="date" required max={today} value={v('response', 'date', item.response?.date ?? today)} />
            <label for="resp-url">{t('impact.response.url')}</label>
            <input id="resp-url" name="url" type="url" value={v('response', 'url', item.response?.url ?? '')} />
            <button type="submit">{t('impact.response.submit')}</button>
          </form>
        </section>
        <section class="card" aria-labelledby="theme-h">
          <h2 id="theme-h">{t('impact.theme.title')}</h2>
          {err('theme')}
          <form method="post" action={`${base}/theme${langQuery(c)}`}>
            <Csrf c={c} />
            <label for="theme">{t('impact.theme.label')}</label>
            <input id="theme" name="theme" maxlength={THEME_MAX} value={v('theme', 'theme', item.theme)} />
            <button type="submit">{t('impact.theme.submit')}</button>
          </form>
        </section>
          </>
        )}
        <h2 id="timeline-h">{t('impact.timeline.title')}</h2>
        <Timeline t={t} entries={timeline} headingId="timeline-h" />
      </>,
      redo ? 422 : 200,
    );
  };

  r.get('/facilitate/:assemblyId/impact/:recommendationId', manage, (c) => recPage(c));

  /** a posted form: done → back to the page (303); refused → the page again with the message and what was typed */
  const post = (name: FormName, run: (c: Context<AppEnv>, f: Record<string, string>) => void) =>
    r.post(`/facilitate/:assemblyId/impact/:recommendationId/${name === 'entry' ? 'entries' : name}`, manage, async (c) => {
      const f = await form(c);
      try {
        run(c, f);
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'VALIDATION') throw e;
        return recPage(c, { form: name, error: detailIn(e, c.get('lang')) ?? e.detail, values: f });
      }
      return c.redirect(`/facilitate/${c.req.param('assemblyId')}/impact/${c.req.param('recommendationId')}${langQuery(c)}`, 303);
    });
  post('entry', (c, f) => svc.addEntry(ctx(c), c.req.param('assemblyId')!, c.req.param('recommendationId')!, { date: f.date, text: f.text, sources: f.sources ?? '', status: f.status, progress: f.progress }));
  post('response', (c, f) => svc.setResponse(ctx(c), c.req.param('assemblyId')!, c.req.param('recommendationId')!, { text: f.text, date: f.date, url: f.url }));
  post('theme', (c, f) => svc.setTheme(ctx(c), c.req.param('assemblyId')!, c.req.param('recommendationId')!, f.theme ?? ''));

  // ---- public: no sign-in ----
  r.get('/p/:slug/impact', requireAction('public.read'), (c) => publicImpactPage(c, ctx(c)));
  r.get('/p/:slug/impact/feed.atom', requireAction('public.read'), (c) => impactFeed(c, ctx(c)));
  return r;
}
