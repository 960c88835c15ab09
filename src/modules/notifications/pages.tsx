/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { translator } from '../../web/i18n.js';
import { Csrf, page } from '../../web/kit.js';
import * as svc from './service.js';

/** A member's notifications page (from debates and whatever else they follow). */
export function notificationPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  r.get('/a/:assemblyId/notifications', requireAction('participant.read'), (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const { unread, items } = svc.myNotifications(ctxFor(deps, c.get('actor')), assemblyId, t);
    return page(
      c,
      t('notifications.title'),
      <>
        <p>
          <a href={`/a/${assemblyId}`}>{t('nav.home')}</a>
        </p>
        <h1>{t('notifications.title')}</h1>
        <p data-unread={unread}>{t('notifications.unread', { n: unread })}</p>
        {items.length === 0 ? <p>{t('notifications.none')}</p> : null}
        <ul class="notifications">
          {items.map((n) => (
            <li data-notification={n.id} data-read={n.read ? 'yes' : 'no'}>
              {n.read ? null : <span class="badge">{t('notifications.new')}</span>} <a href={n.url}>{n.message}</a> <span class="cite">{n.createdAt.slice(0, 16).replace('T', ' ')}</span>
            </li>
          ))}
        </ul>
        {unread ? (
          <form method="post" action={`/a/${assemblyId}/notifications/read`}>
            <Csrf c={c} />
            <button type="submit" class="secondary">
              {t('notifications.markread')}
            </button>
          </form>
        ) : null}
      </>,
    );
  });
  r.post('/a/:assemblyId/notifications/read', requireAction('deliberation.write'), (c) => {
    const assemblyId = c.req.param('assemblyId');
    svc.markRead(ctxFor(deps, c.get('actor')), assemblyId);
    return c.redirect(`/a/${assemblyId}/notifications`, 303);
  });
  return r;
}
