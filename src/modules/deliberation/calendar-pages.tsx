/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { PUBLIC } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { translator } from '../../web/i18n.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { breakoutsRepo } from '../breakouts/repo.js';
import * as cal from './calendar.js';
import { localTime, zonedToUtc } from './domain.js';
import { Csrf, form, many, one, page, said } from './kit.js';
import { ATTENDANCE, EVENT_KINDS, PHASE_KINDS } from './schema.js';

const ZONES = ['Europe/Paris', 'Europe/London', 'Europe/Brussels', 'America/Montreal', 'UTC'];
const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`);

function assemblyOr404(deps: Deps, id: string) {
  const a = assembliesRepo.byId(deps.db, id);
  if (!a) throw new AppError('NOT_FOUND', `Assembly '${id}' does not exist.`);
  return a;
}

export function calendarPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const manage = requireAction('assembly.manage');
  const ctxOf = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'));

  // ---- the secret iCalendar feed (no sign-in: the URL is the secret) ----
  r.get('/ical/:feedToken', requireAction('public.read'), (c) => {
    const body = cal.feedIcs(ctxFor(deps, PUBLIC), c.req.param('feedToken'), new URL(c.req.url).origin);
    return c.body(body, 200, { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, no-store' });
  });

  // ---- facilitators ----
  function facilitatorPage(c: Context<AppEnv>, error?: AppError) {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId')!;
    const a = assemblyOr404(deps, assemblyId);
    const ctx = ctxOf(c);
    const phases = cal.listPhases(ctx, assemblyId);
    const events = cal.listEvents(ctx, assemblyId);
    const report = cal.attendanceReport(ctx, assemblyId);
    const breakouts = breakoutsRepo.sessions(deps.db, assemblyId);
    const csrf = c.get('csrfToken') ?? '';
    const locale = c.get('lang') === 'fr' ? 'fr-FR' : 'en-GB';
    return page(
      c,
      t('deliberation.calendar.title'),
      <>
        <h1>
          {t('deliberation.calendar.title')} — {a.title}
        </h1>
        {error ? (
          <div class="card" role="alert" data-testid="error">
            <p class="error">{said(error, c.get('lang'), t)}</p>
          </div>
        ) : null}
        <h2>{t('deliberation.calendar.phases')}</h2>
        <ul>
          {phases.map((p) => (
            <li>
              {t(`deliberation.calendar.phase.${p.kind}`)} — {p.title}: {p.startsOn} → {p.endsOn}
            </li>
          ))}
        </ul>
        <form method="post" action={`/facilitate/${assemblyId}/calendar/phases`} class="card">
          <Csrf token={csrf} />
          <h3>{t('deliberation.calendar.phase.new')}</h3>
          <label for="ph-kind">{t('deliberation.calendar.kind')}</label>
          <select id="ph-kind" name="kind">
            {PHASE_KINDS.map((k) => (
              <option value={k}>{t(`deliberation.calendar.phase.${k}`)}</option>
            ))}
          </select>
          <label for="ph-title">{t('deliberation.calendar.titleLabel')}</label>
          <input id="ph-title" name="title" required maxlength={200} />
          <label for="ph-start">{t('deliberation.calendar.startsOn')}</label>
          <input id="ph-start" name="startsOn" type="date" required />
          <label for="ph-end">{t('deliberation.calendar.endsOn')}</label>
          <input id="ph-end" name="endsOn" type="date" required />
          <button type="submit">{t('deliberation.calendar.add')}</button>
        </form>
        <h2>{t('deliberation.calendar.sessions')}</h2>
        <ul>
          {events.map((e) => (
            <li data-event={e.id}>
              <a href={`/facilitate/${assemblyId}/calendar/sessions/${e.id}`}>{e.title}</a> — {t(`deliberation.calendar.event.${e.kind}`)}, {localTime(e.startsAt, e.timeZone, locale)}, {e.language}
            </li>
          ))}
        </ul>
        <form method="post" action={`/facilitate/${assemblyId}/calendar/sessions`} class="card">
          <Csrf token={csrf} />
          <h3>{t('deliberation.calendar.event.new')}</h3>
          <label for="ev-kind">{t('deliberation.calendar.kind')}</label>
          <select id="ev-kind" name="kind">
            {EVENT_KINDS.map((k) => (
              <option value={k}>{t(`deliberation.calendar.event.${k}`)}</option>
            ))}
          </select>
          <label for="ev-title">{t('deliberation.calendar.titleLabel')}</label>
          <input id="ev-title" name="title" required maxlength={200} />
          <label for="ev-start">{t('deliberation.calendar.startsAt')}</label>
          <input id="ev-start" name="startsAt" type="datetime-local" required />
          <label for="ev-minutes">{t('deliberation.calendar.minutes')}</label>
          <input id="ev-minutes" name="minutes" type="number" min="15" max="720" value="90" required />
          <label for="ev-tz">{t('deliberation.calendar.timeZone')}</label>
          <select id="ev-tz" name="timeZone">
            {ZONES.map((z) => (
              <option value={z}>{z}</option>
            ))}
          </select>
          <label for="ev-lang">{t('deliberation.calendar.language')}</label>
          <select id="ev-lang" name="language">
            {a.languages.map((l) => (
              <option value={l}>{l}</option>
            ))}
          </select>
          <label for="ev-phase">{t('deliberation.calendar.phase')}</label>
          <select id="ev-phase" name="phaseId">
            <option value="">—</option>
            {phases.map((p) => (
              <option value={p.id}>{p.title}</option>
            ))}
          </select>
          <label for="ev-breakout">{t('deliberation.calendar.breakoutSession')}</label>
          <select id="ev-breakout" name="breakoutSessionId">
            <option value="">—</option>
            {breakouts.map((b) => (
              <option value={b.id}>{b.title}</option>
            ))}
          </select>
          <button type="submit">{t('deliberation.calendar.add')}</button>
        </form>
        <h2>{t('deliberation.calendar.attendance')}</h2>
        <table data-testid="attendance-members">
          <caption>{t('deliberation.calendar.attendance.members')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('deliberation.calendar.member')}</th>
              <th scope="col">{t('deliberation.calendar.rate')}</th>
              <th scope="col">{t('deliberation.calendar.counts')}</th>
            </tr>
          </thead>
          <tbody>
            {report.members.map((m) => (
              <tr data-needs-call={m.needsCall ? 'yes' : 'no'}>
                <th scope="row">{m.pseudonym}</th>
                <td>
                  {pct(m.rate)} {m.needsCall ? <strong>{t('deliberation.calendar.needsCall')}</strong> : null}
                </td>
                <td>{t('deliberation.calendar.countsValue', { present: m.present, excused: m.excused, absent: m.absent, expected: m.expected })}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {report.groups.length ? (
          <table>
            <caption>{t('deliberation.calendar.attendance.groups')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('deliberation.calendar.group')}</th>
                <th scope="col">{t('deliberation.calendar.rate')}</th>
              </tr>
            </thead>
            <tbody>
              {report.groups.map((g) => (
                <tr>
                  <th scope="row">
                    {g.eventTitle} — {g.groupName}
                  </th>
                  <td>
                    {pct(g.rate)} ({g.present}/{g.members})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </>,
      error ? error.status : 200,
    );
  }

  async function act(c: Context<AppEnv>, fn: () => unknown, back: string) {
    try {
      fn();
    } catch (e) {
      if (e instanceof AppError && e.status < 500 && e.status !== 404 && e.status !== 403) return facilitatorPage(c, e);
      throw e;
    }
    return c.redirect(back, 303);
  }

  r.get('/facilitate/:assemblyId/calendar', manage, (c) => facilitatorPage(c));
  r.post('/facilitate/:assemblyId/calendar/phases', manage, async (c) => {
    const f = await form(c);
    const assemblyId = c.req.param('assemblyId');
    return act(c, () => cal.createPhase(ctxOf(c), assemblyId, { kind: one(f.kind) as (typeof PHASE_KINDS)[number], title: one(f.title), startsOn: one(f.startsOn), endsOn: one(f.endsOn) }), `/facilitate/${assemblyId}/calendar`);
  });
  r.post('/facilitate/:assemblyId/calendar/sessions', manage, async (c) => {
    const f = await form(c);
    const assemblyId = c.req.param('assemblyId');
    return act(
      c,
      () => {
        if (!(EVENT_KINDS as readonly string[]).includes(one(f.kind))) throw new AppError('VALIDATION', 'Choose the kind of session.');
        const minutes = Number(one(f.minutes));
        if (!Number.isInteger(minutes) || minutes < 15 || minutes > 720) throw new AppError('VALIDATION', 'The length must be a whole number of minutes from 15 to 720.');
        const startsAt = zonedToUtc(one(f.startsAt), one(f.timeZone));
        const endsAt = new Date(Date.parse(startsAt) + minutes * 60_000).toISOString();
        cal.createEvent(ctxOf(c), assemblyId, { kind: one(f.kind) as (typeof EVENT_KINDS)[number], title: one(f.title), startsAt, endsAt, timeZone: one(f.timeZone), language: one(f.language), phaseId: one(f.phaseId) || null, breakoutSessionId: one(f.breakoutSessionId) || null });
      },
      `/facilitate/${assemblyId}/calendar`,
    );
  });

  r.get('/facilitate/:assemblyId/calendar/sessions/:eventId', manage, (c) => {
    const t = translator(c.get('lang'));
    const { assemblyId, eventId } = c.req.param();
    const v = cal.attendanceOfEvent(ctxOf(c), assemblyId, eventId);
    const csrf = c.get('csrfToken') ?? '';
    return page(
      c,
      v.event.title,
      <>
        <h1>{v.event.title}</h1>
        <p>
          <a href={`/facilitate/${assemblyId}/calendar`}>{t('deliberation.calendar.back')}</a>
        </p>
        <p>{localTime(v.event.startsAt, v.event.timeZone, c.get('lang') === 'fr' ? 'fr-FR' : 'en-GB')}</p>
        <form method="post" action={`/facilitate/${assemblyId}/calendar/sessions/${eventId}/attendance`} class="card">
          <Csrf token={csrf} />
          <h2>{t('deliberation.calendar.attendance')}</h2>
          {v.members.map((m, i) => (
            <p>
              <label for={`at-${i}`}>{m.pseudonym}</label>
              <input type="hidden" name="memberId" value={m.memberId} />
              <select id={`at-${i}`} name="status">
                <option value="">—</option>
                {ATTENDANCE.map((s) => (
                  <option value={s} selected={m.status === s}>
                    {t(`deliberation.calendar.status.${s}`)}
                  </option>
                ))}
              </select>
            </p>
          ))}
          <button type="submit">{t('deliberation.calendar.save')}</button>
        </form>
      </>,
    );
  });
  r.post('/facilitate/:assemblyId/calendar/sessions/:eventId/attendance', manage, async (c) => {
    const f = await form(c);
    const { assemblyId, eventId } = c.req.param();
    const ids = many(f.memberId);
    const statuses = many(f.status);
    const entries = ids.map((memberId, i) => ({ memberId, status: statuses[i] as (typeof ATTENDANCE)[number] })).filter((e) => (ATTENDANCE as readonly string[]).includes(e.status));
    if (entries.length) cal.recordAttendance(ctxOf(c), assemblyId, eventId, entries);
    return c.redirect(`/facilitate/${assemblyId}/calendar/sessions/${eventId}`, 303);
  });

  // ---- members: this week's sessions, check-in, the calendar feed ----
  function memberPage(c: Context<AppEnv>, extra?: { feedPath?: string; error?: AppError }) {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId')!;
    assemblyOr404(deps, assemblyId);
    const ctx = ctxOf(c);
    const events = cal.myEvents(ctx, assemblyId);
    const csrf = c.get('csrfToken') ?? '';
    const locale = c.get('lang') === 'fr' ? 'fr-FR' : 'en-GB';
    const participant = c.get('actor').kind === 'user' && (c.get('actor') as { role: string }).role === 'participant';
    return page(
      c,
      t('deliberation.calendar.my.title'),
      <>
        <h1>{t('deliberation.calendar.my.title')}</h1>
        <p>
          <a href={`/a/${assemblyId}`}>{t('deliberation.my.back')}</a> · <a href={`/a/${assemblyId}/groups`}>{t('deliberation.my.title')}</a>
        </p>
        {extra?.error ? (
          <div class="card" role="alert">
            <p class="error">{said(extra.error, c.get('lang'), t)}</p>
          </div>
        ) : null}
        {events.length === 0 ? <p data-testid="no-events">{t('deliberation.calendar.my.none')}</p> : null}
        {events.map((e) => (
          <section class="card" aria-labelledby={`ev-${e.id}`} data-my-event={e.id}>
            <h2 id={`ev-${e.id}`}>{e.title}</h2>
            <p>
              {t(`deliberation.calendar.event.${e.kind}`)} · {localTime(e.startsAt, e.timeZone, locale)} · {e.language}
            </p>
            {e.attendance ? <p>{t('deliberation.calendar.my.recorded', { status: t(`deliberation.calendar.status.${e.attendance}`) })}</p> : null}
            {e.roomUrl ? (
              <p>
                <a class="button" href={e.roomUrl} data-room rel="noopener noreferrer" target="_blank">
                  {t('deliberation.room.join')}
                </a>
              </p>
            ) : null}
            {participant && e.checkInOpen && !e.attendance ? (
              <form method="post" action={`/a/${assemblyId}/calendar/${e.id}/check-in`}>
                <Csrf token={csrf} />
                <button type="submit">{t('deliberation.calendar.my.checkIn')}</button>
              </form>
            ) : null}
          </section>
        ))}
        {participant ? (
          <section class="card" aria-labelledby="feed-h">
            <h2 id="feed-h">{t('deliberation.calendar.feed.title')}</h2>
            <p>{t('deliberation.calendar.feed.explain')}</p>
            {extra?.feedPath ? (
              <p>
                <label for="feed-url">{t('deliberation.calendar.feed.url')}</label>
                <input id="feed-url" readonly value={`${new URL(c.req.url).origin}${extra.feedPath}`} data-testid="feed-url" />
              </p>
            ) : null}
            <form method="post" action={`/a/${assemblyId}/calendar/feed`}>
              <Csrf token={csrf} />
              <button type="submit">{cal.hasFeed(ctx, assemblyId) && !extra?.feedPath ? t('deliberation.calendar.feed.renew') : t('deliberation.calendar.feed.create')}</button>
            </form>
            {cal.hasFeed(ctx, assemblyId) ? (
              <form method="post" action={`/a/${assemblyId}/calendar/feed/revoke`}>
                <Csrf token={csrf} />
                <button type="submit">{t('deliberation.calendar.feed.revoke')}</button>
              </form>
            ) : null}
          </section>
        ) : null}
      </>,
      extra?.error ? extra.error.status : 200,
    );
  }
  r.get('/a/:assemblyId/calendar', requireAction('participant.read'), (c) => memberPage(c));
  r.post('/a/:assemblyId/calendar/:eventId/check-in', requireAction('participant.write'), (c) => {
    const { assemblyId, eventId } = c.req.param();
    try {
      cal.checkIn(ctxOf(c), assemblyId, eventId);
    } catch (e) {
      if (e instanceof AppError && e.status === 409) return memberPage(c, { error: e });
      throw e;
    }
    return c.redirect(`/a/${assemblyId}/calendar`, 303);
  });
  r.post('/a/:assemblyId/calendar/feed', requireAction('participant.write'), (c) => memberPage(c, { feedPath: cal.createFeed(ctxOf(c), c.req.param('assemblyId')).path }));
  r.post('/a/:assemblyId/calendar/feed/revoke', requireAction('participant.write'), (c) => {
    cal.revokeFeed(ctxOf(c), c.req.param('assemblyId'));
    return c.redirect(`/a/${c.req.param('assemblyId')}/calendar`, 303);
  });
  return r;
}
