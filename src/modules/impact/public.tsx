/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { Ctx } from '../../platform/context.js';
import type { AppEnv } from '../../platform/http/types.js';
import { translator } from '../../web/i18n.js';
import { page } from '../../web/kit.js';
import { IMPACT_STATUSES } from './domain.js';
import { atom, nameUuid } from './feed.js';
import * as svc from './service.js';
import { Progress, Response, Timeline } from './views.js';

/**
 * The public impact page of an assembly: every final recommendation with its status, progress, latest response and
 * timeline; filters are a plain GET form (status, theme), so a filtered view works without JavaScript and its
 * address can be shared.
 */
export function publicImpactPage(c: Context<AppEnv>, ctx: Ctx) {
  const t = translator(c.get('lang'));
  const slug = c.req.param('slug')!;
  const data = svc.publicImpact(ctx, slug, { status: c.req.query('status'), theme: c.req.query('theme') });
  const entries = svc.feedEntries(ctx, data.assembly.id, 10_000);
  const byRec = new Map<string, typeof entries>();
  for (const e of entries) (byRec.get(e.recommendationId) ?? byRec.set(e.recommendationId, []).get(e.recommendationId)!).push(e);
  for (const list of byRec.values()) list.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.createdAt < b.createdAt ? 1 : -1));
  const lang = c.req.query('lang');
  const feed = `/p/${data.assembly.slug}/impact/feed.atom${lang === 'fr' || lang === 'en' ? `?lang=${lang}` : ''}`;
  return page(
    c,
    t('impact.public.title', { title: data.assembly.title }),
    <>
      <h1>{t('impact.public.title', { title: data.assembly.title })}</h1>
      <p>{t('impact.public.intro')}</p>
      {c.get('readOnly')?.(data.assembly.id) ? <p role="note">{t('impact.archived')}</p> : null}
      <form method="get" action={`/p/${data.assembly.slug}/impact`} class="card" role="search" aria-label={t('impact.filter.label')}>
        {lang === 'fr' || lang === 'en' ? <input type="hidden" name="lang" value={lang} /> : null}
        <label for="f-status">{t('impact.filter.status')}</label>
        <select id="f-status" name="status">
          <option value="">{t('impact.filter.all')}</option>
          {IMPACT_STATUSES.map((s) => (
            <option value={s} selected={data.filters.status === s}>
              {t(`impact.status.${s}`)}
            </option>
          ))}
        </select>
        <label for="f-theme">{t('impact.filter.theme')}</label>
        <select id="f-theme" name="theme">
          <option value="">{t('impact.filter.allThemes')}</option>
          {data.themes.map((x) => (
            <option value={x} selected={data.filters.theme === x}>
              {x}
            </option>
          ))}
        </select>
        <button type="submit">{t('impact.filter.submit')}</button>
      </form>
      <p role="status" data-testid="impact-count">
        {t('impact.public.count', { n: data.items.length, total: data.total })}
      </p>
      {data.items.map((x) => (
        <article class="card" id={`rec-${x.recommendationId}`} data-impact={x.recommendationId} data-status={x.status} aria-labelledby={`h-${x.recommendationId}`}>
          <h2 id={`h-${x.recommendationId}`}>{x.title}</h2>
          {x.theme ? <p class="cite">{t('impact.public.theme', { theme: x.theme })}</p> : null}
          <Progress t={t} item={x} />
          <h3>{t('impact.response.title')}</h3>
          <Response t={t} item={x} />
          <h3 id={`tl-${x.recommendationId}`}>{t('impact.timeline.title')}</h3>
          <Timeline t={t} entries={byRec.get(x.recommendationId) ?? []} headingId={`tl-${x.recommendationId}`} />
        </article>
      ))}
      <p>
        <a href={feed} type="application/atom+xml" data-testid="impact-feed">
          {t('impact.public.feed')}
        </a>{' '}
        · <a href={`/p/${data.assembly.slug}/sortition`}>{t('opendata.public.selection')}</a>
      </p>
    </>,
  );
}

/** The Atom feed of an assembly's impact updates (newest first, at most 100), in the reader's language. */
export function impactFeed(c: Context<AppEnv>, ctx: Ctx) {
  const lang = c.get('lang');
  const t = translator(lang);
  const data = svc.publicImpact(ctx, c.req.param('slug')!);
  const entries = svc.feedEntries(ctx, data.assembly.id, 100);
  const origin = new URL(c.req.url).origin;
  const pageUrl = `${origin}/p/${data.assembly.slug}/impact`;
  const xml = atom({
    id: nameUuid(`impact-feed:${data.assembly.id}`),
    title: t('impact.public.title', { title: data.assembly.title }),
    subtitle: t('impact.public.intro'),
    updated: entries[0]?.createdAt ?? data.assembly.createdAt,
    author: data.assembly.title,
    self: `${origin}${c.req.path}`,
    alternate: pageUrl,
    lang,
    entries: entries.map((e) => ({
      uuid: e.id,
      title: e.kind === 'response' ? t('impact.feed.response', { title: e.title }) : e.status ? t('impact.feed.status', { title: e.title, status: t(`impact.status.${e.status}`), n: e.progress ?? 0 }) : t('impact.feed.update', { title: e.title }),
      updated: e.createdAt,
      published: e.createdAt,
      link: `${pageUrl}#rec-${e.recommendationId}`,
      content: `${e.date} — ${e.text}${e.sources.length ? `\n\n${t('impact.sources')}:\n${e.sources.map((s) => `${s.title} <${s.url}>`).join('\n')}` : ''}`,
      categories: e.status ? [e.status] : [],
      related: e.sources.map((s) => ({ href: s.url, title: s.title })),
    })),
  });
  return c.body(xml, 200, { 'content-type': 'application/atom+xml; charset=utf-8' });
}
