/** @jsxImportSource hono/jsx */
import type { T } from '../../web/i18n.js';
import type { EntryView, ImpactItem } from './service.js';

/** Pieces shared by the staff and public impact pages. */
export function Progress({ t, item }: { t: T; item: Pick<ImpactItem, 'progress' | 'status' | 'title'> }) {
  return (
    <p>
      <span class="badge" data-status-label>
        {t(`impact.status.${item.status}`)}
      </span>{' '}
      <progress max={100} value={item.progress} aria-label={t('impact.progress.label', { title: item.title, n: item.progress })}></progress> <span data-progress>{item.progress} %</span>
    </p>
  );
}

export function Response({ t, item }: { t: T; item: Pick<ImpactItem, 'response'> }) {
  if (!item.response) return <p class="cite">{t('impact.response.none')}</p>;
  return (
    <blockquote data-response>
      <p style="white-space:pre-wrap">{item.response.text}</p>
      <footer class="cite">
        {t('impact.response.given', { date: item.response.date })}
        {item.response.url ? (
          <>
            {' · '}
            <a href={item.response.url} rel="noopener noreferrer">
              {t('impact.response.link')}
            </a>
          </>
        ) : null}
      </footer>
    </blockquote>
  );
}

export function Timeline({ t, entries, headingId }: { t: T; entries: EntryView[]; headingId: string }) {
  if (!entries.length) return <p class="cite">{t('impact.timeline.none')}</p>;
  return (
    <ol class="timeline" aria-labelledby={headingId}>
      {entries.map((e) => (
        <li data-entry={e.id}>
          <time datetime={e.date}>{e.date}</time> — {e.kind === 'response' ? <strong>{t('impact.timeline.response')} </strong> : null}
          <span style="white-space:pre-wrap">{e.text}</span>
          {e.status ? (
            <span class="cite">
              {' '}
              ({t(`impact.status.${e.status}`)}, {e.progress} %)
            </span>
          ) : null}
          {e.sources.length ? (
            <ul class="cite" aria-label={t('impact.sources')}>
              {e.sources.map((s) => (
                <li>
                  <a href={s.url} rel="noopener noreferrer" style="overflow-wrap:anywhere">
                    {s.title}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
