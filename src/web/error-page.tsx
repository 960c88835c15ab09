/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { PUBLIC } from '../platform/context.js';
import { localDetail } from '../platform/errors.js';
import { toAppError } from '../platform/http/errors.js';
import type { AppEnv } from '../platform/http/types.js';
import { negotiateLanguage, translator, type Lang } from './i18n.js';
import { Layout } from './layout.js';

/** Statuses with their own title and explanation; the others share a general one. */
const KNOWN = new Set([400, 401, 403, 404, 409, 410, 413, 415, 422, 429, 500, 503]);

/** Whether an error on this request should be a page (a browser asking for HTML outside /api) rather than problem+json. */
export function wantsPage(c: Context<AppEnv>): boolean {
  return !c.req.path.startsWith('/api') && (c.req.header('accept') ?? '').includes('text/html');
}

/**
 * An error as a page in the site's layout and the reader's language: a title and an explanation per status, what to
 * do next, and the request id to quote. The server's own detail sentence is English, so it is shown to English
 * readers only, and to French readers when the error carries its French version (`detailFr`; never an English sentence).
 */
export function errorPage(c: Context<AppEnv>, err: unknown) {
  const app = toAppError(err);
  if (app.code === 'INTERNAL') c.get('logger')?.error({ err, requestId: c.get('requestId') }, 'unhandled error');
  let lang: Lang;
  try {
    lang = c.get('lang') ?? negotiateLanguage(c);
  } catch {
    lang = 'en';
  }
  const t = translator(lang);
  const status = app.status;
  const key = KNOWN.has(status) ? String(status) : status >= 500 ? '500' : '400';
  const actor = c.get('actor') ?? PUBLIC;
  const retry = typeof app.extra.retryAfter === 'number' ? app.extra.retryAfter : undefined;
  if (retry) c.header('retry-after', String(retry));
  return c.html(
    <Layout title={t(`error.${key}.title`)} lang={lang} t={t} actor={actor} csrf={c.get('csrfToken')} path={c.req.path}>
      <h1 data-status={status}>{t(`error.${key}.title`)}</h1>
      <p id="error-text">{t(`error.${key}.text`, { n: retry ?? 60 })}</p>
      {app.code !== 'INTERNAL' && localDetail(app, lang) ? (
        <p id="error-detail" class="cite">
          {localDetail(app, lang)}
        </p>
      ) : null}
      <p>
        {status === 401 ? (
          <>
            <a href="/signin">{t('signin.title')}</a> ·{' '}
          </>
        ) : null}
        <a href="/">{t('error.home')}</a>
      </p>
      {c.get('requestId') ? <p class="cite">{t('error.requestId', { id: c.get('requestId') })}</p> : null}
    </Layout>,
    status as 400,
  );
}
