/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { Actor } from '../platform/context.js';
import type { Lang, T } from './i18n.js';

export interface PageProps {
  title: string;
  lang: Lang;
  t: T;
  actor: Actor;
  csrf?: string;
  path: string;
  children?: Child;
}

export function Layout({ title, lang, t, actor, csrf, path, children }: PageProps) {
  const other: Lang = lang === 'fr' ? 'en' : 'fr';
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Plenary`}</title>
        <link rel="stylesheet" href="/static/app.css" />
      </head>
      <body>
        <a class="skip" href="#main">
          {t('nav.skip')}
        </a>
        <header class="top">
          <nav aria-label="Plenary">
            <a href="/" class="brand">
              {t('app.name')}
            </a>
            <a href={`/lang/${other}?next=${encodeURIComponent(path)}`} hreflang={other} lang={other}>
              {other === 'fr' ? 'Français' : 'English'}
            </a>
            <a href="/docs">{t('nav.docs')}</a>
            {actor.kind === 'user' ? (
              <form method="post" action="/signout" class="inline">
                <input type="hidden" name="_csrf" value={csrf ?? ''} />
                <span class="who">
                  {actor.displayName} ({t(`role.${actor.role}`)})
                </span>{' '}
                <button type="submit">{t('nav.signout')}</button>
              </form>
            ) : null}
          </nav>
        </header>
        <main id="main" class="wrap" tabindex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}
