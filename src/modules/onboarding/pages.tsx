/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { ctxFor, type Deps } from '../../deps.js';
import { SESSION_COOKIE } from '../../platform/auth/sessions.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { translator } from '../../web/i18n.js';
import { listMembers } from '../assemblies/service.js';
import { CHECKLIST, type ChecklistItem } from './domain.js';
import * as svc from './service.js';
import { staffUsers } from './staff.js';
import { myPassphraseState } from '../identity/access.js';
import { Csrf, form, page } from '../../web/kit.js';



const today = () => new Date().toISOString().slice(0, 10);

export function onboardingPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const manage = requireAction('onboarding.manage');
  const own = requireAction('self.data');
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));

  // ---- facilitators: who is not ready yet ----
  r.get('/facilitate/:assemblyId/onboarding', manage, (c) => {
    const t = translator(c.get('lang'));
    const a = c.req.param('assemblyId');
    const q = c.req.query();
    const ready = q.ready === 'yes' || q.ready === 'no' ? q.ready : undefined;
    const missing = (CHECKLIST as readonly string[]).includes(q.missing ?? '') ? (q.missing as ChecklistItem) : undefined;
    const rows = svc.board(ctx(c), a, { ready, missing, assistantId: q.assistantId || undefined });
    const staff = staffUsers(deps.db, a);
    listMembers(ctx(c), a);
    return page(
      c,
      t('onboarding.title'),
      <>
        <h1>{t('onboarding.title')}</h1>
        <p>
          <a href={`/facilitate/${a}/members`}>{t('identity.members.link')}</a>
        </p>
        <form method="get" class="card" aria-label={t('onboarding.filters')}>
          <label for="f-ready">{t('onboarding.ready')}</label>
          <select id="f-ready" name="ready">
            <option value="">{t('onboarding.all')}</option>
            <option value="no" selected={ready === 'no'}>
              {t('onboarding.notready')}
            </option>
            <option value="yes" selected={ready === 'yes'}>
              {t('onboarding.isready')}
            </option>
          </select>
          <label for="f-missing">{t('onboarding.missing')}</label>
          <select id="f-missing" name="missing">
            <option value="">{t('onboarding.all')}</option>
            {CHECKLIST.map((k) => (
              <option value={k} selected={missing === k}>
                {t(`onboarding.item.${k}`)}
              </option>
            ))}
          </select>
          <label for="f-assistant">{t('onboarding.assistant')}</label>
          <select id="f-assistant" name="assistantId">
            <option value="">{t('onboarding.all')}</option>
            {staff.map((s) => (
              <option value={s.id} selected={q.assistantId === s.id}>
                {s.displayName}
              </option>
            ))}
          </select>
          <button type="submit">{t('onboarding.filter')}</button>
        </form>
        <p role="status" data-count={rows.length}>
          {t('onboarding.count', { n: rows.length })}
        </p>
        <table data-testid="onboarding-board">
          <caption>{t('onboarding.board')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('onboarding.member')}</th>
              {CHECKLIST.map((k) => (
                <th scope="col">{t(`onboarding.item.${k}`)}</th>
              ))}
              <th scope="col">{t('onboarding.assistant')}</th>
              <th scope="col">{t('onboarding.loans')}</th>
              <th scope="col">{t('onboarding.accessibility')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr data-member={m.userId} data-ready={String(m.ready)}>
                <th scope="row">{m.pseudonym ?? m.userId}</th>
                {CHECKLIST.map((k) => (
                  <td>{m.checklist[k] ? '✔' : '—'}<span class="visually-hidden">{m.checklist[k] ? t('onboarding.done') : t('onboarding.todo')}</span></td>
                ))}
                <td>{m.assistant?.name ?? '—'}</td>
                <td>
                  {m.loans.map((l) => (
                    <div>
                      {l.item} ({l.lentOn}
                      {l.returnedOn ? ` → ${l.returnedOn}` : ''})
                      {!l.returnedOn ? (
                        <form method="post" action={`/facilitate/${a}/onboarding/loans/${l.id}/return`}>
                          <Csrf c={c} />
                          <input type="hidden" name="returnedOn" value={today()} />
                          <button type="submit" class="secondary">
                            {t('onboarding.returned')}
                          </button>
                        </form>
                      ) : null}
                    </div>
                  ))}
                </td>
                <td>{m.accessibility || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.map((m) => (
          <details class="card">
            <summary>
              {t('onboarding.edit')} {m.pseudonym ?? m.userId}
            </summary>
            <form method="post" action={`/facilitate/${a}/onboarding/${m.userId}`}>
              <Csrf c={c} />
              <fieldset>
                <legend>{t('onboarding.checklist')}</legend>
                {CHECKLIST.map((k) => (
                  <label>
                    <input type="checkbox" name={k} value="1" checked={m.checklist[k]} style="width:auto" /> {t(`onboarding.item.${k}`)}
                  </label>
                ))}
              </fieldset>
              <label for={`as-${m.userId}`}>{t('onboarding.assistant')}</label>
              <select id={`as-${m.userId}`} name="assistantId">
                <option value="">—</option>
                {staff.map((s) => (
                  <option value={s.id} selected={m.assistant?.id === s.id}>
                    {s.displayName}
                  </option>
                ))}
              </select>
              <label for={`acc-${m.userId}`}>{t('onboarding.accessibility')}</label>
              <input id={`acc-${m.userId}`} name="accessibility" value={m.accessibility} />
              <button type="submit">{t('onboarding.save')}</button>
            </form>
            <form method="post" action={`/facilitate/${a}/onboarding/${m.userId}/loans`}>
              <Csrf c={c} />
              <label for={`item-${m.userId}`}>{t('onboarding.item')}</label>
              <input id={`item-${m.userId}`} name="item" required placeholder={t('onboarding.item.example')} />
              <label for={`lent-${m.userId}`}>{t('onboarding.lenton')}</label>
              <input id={`lent-${m.userId}`} name="lentOn" type="date" required value={today()} />
              <button type="submit" class="secondary">
                {t('onboarding.lend')}
              </button>
            </form>
          </details>
        ))}
      </>,
    );
  });

  r.post('/facilitate/:assemblyId/onboarding/loans/:loanId/return', manage, async (c) => {
    const f = await form(c);
    const a = c.req.param('assemblyId');
    svc.returnLoan(ctx(c), a, c.req.param('loanId'), /^\d{4}-\d{2}-\d{2}$/.test(f.returnedOn ?? '') ? f.returnedOn! : today());
    return c.redirect(`/facilitate/${a}/onboarding`, 303);
  });

  r.post('/facilitate/:assemblyId/onboarding/:userId', manage, async (c) => {
    const f = await form(c);
    const { assemblyId: a, userId } = c.req.param();
    svc.updateMember(ctx(c), a, userId, { checklist: Object.fromEntries(CHECKLIST.map((k) => [k, f[k] === '1'])), assistantId: f.assistantId || null });
    if (f.accessibility !== undefined) svc.setAccessibility(ctx(c), a, userId, f.accessibility.trim().slice(0, 2000));
    return c.redirect(`/facilitate/${a}/onboarding`, 303);
  });

  r.post('/facilitate/:assemblyId/onboarding/:userId/loans', manage, async (c) => {
    const f = await form(c);
    const { assemblyId: a, userId } = c.req.param();
    const item = (f.item ?? '').trim();
    if (!item || !/^\d{4}-\d{2}-\d{2}$/.test(f.lentOn ?? '')) throw new AppError('VALIDATION', 'Give the item and the date it was lent (YYYY-MM-DD).');
    svc.lend(ctx(c), a, userId, { item: item.slice(0, 200), lentOn: f.lentOn! });
    return c.redirect(`/facilitate/${a}/onboarding`, 303);
  });

  // ---- a member's own page: onboarding and personal data ----
  r.get('/a/:assemblyId/me', own, (c) => {
    const t = translator(c.get('lang'));
    const a = c.req.param('assemblyId');
    const m = svc.mine(ctx(c), a);
    return page(
      c,
      t('onboarding.me'),
      <>
        <h1>{t('onboarding.me')}</h1>
        <section aria-labelledby="cl-h">
          <h2 id="cl-h">{t('onboarding.checklist')}</h2>
          <ul data-testid="my-checklist">
            {CHECKLIST.map((k) => (
              <li data-done={String(m.checklist[k])}>
                {m.checklist[k] ? '✔ ' : '○ '}
                {t(`onboarding.item.${k}`)} — {m.checklist[k] ? t('onboarding.done') : t('onboarding.todo')}
              </li>
            ))}
          </ul>
          <p>{m.assistant ? t('onboarding.yourassistant', { name: m.assistant.name }) : t('onboarding.noassistant')}</p>
          {m.loans.length ? (
            <ul>
              {m.loans.map((l) => (
                <li>
                  {l.item} ({l.lentOn}
                  {l.returnedOn ? ` → ${l.returnedOn}` : ''})
                </li>
              ))}
            </ul>
          ) : null}
        </section>
        <section aria-labelledby="pass-h" class="card">
          <h2 id="pass-h">{t('identity.passphrase.title')}</h2>
          <p>{t('identity.passphrase.help')}</p>
          <p data-testid="passphrase-state">{myPassphraseState(ctx(c)).hasPassphrase ? t('identity.passphrase.on') : t('identity.passphrase.off')}</p>
          <form method="post" action={`/a/${a}/me/passphrase`}>
            <Csrf c={c} />
            <label for="pp-new">{t('identity.passphrase.new')}</label>
            <input id="pp-new" name="passphrase" type="password" autocomplete="new-password" minlength={6} maxlength={200} required />
            <label for="pp-confirm">{t('identity.passphrase.confirm')}</label>
            <input id="pp-confirm" name="confirm" type="password" autocomplete="new-password" minlength={6} maxlength={200} required />
            <button type="submit">{t('identity.passphrase.save')}</button>
          </form>
          {myPassphraseState(ctx(c)).hasPassphrase ? (
            <form method="post" action={`/a/${a}/me/passphrase`}>
              <Csrf c={c} />
              <input type="hidden" name="remove" value="1" />
              <button type="submit" class="secondary">
                {t('identity.passphrase.removeButton')}
              </button>
            </form>
          ) : null}
        </section>
        <section aria-labelledby="data-h" class="card">
          <h2 id="data-h">{t('onboarding.mydata')}</h2>
          <p>{t('onboarding.mydata.help')}</p>
          <p>
            <a href={`/api/assemblies/${a}/me/data`} download="plenary-my-data.json">
              {t('onboarding.download')}
            </a>
          </p>
          <form method="post" action={`/a/${a}/me/delete`}>
            <Csrf c={c} />
            <p>{t('onboarding.delete.help')}</p>
            <label for="confirm">{t('onboarding.delete.confirm')}</label>
            <input id="confirm" name="confirm" required pattern="DELETE" />
            <button type="submit" class="danger">
              {t('onboarding.delete')}
            </button>
          </form>
        </section>
      </>,
    );
  });

  r.post('/a/:assemblyId/me/delete', own, async (c) => {
    const t = translator(c.get('lang'));
    const f = await form(c);
    if (f.confirm !== 'DELETE') throw new AppError('VALIDATION', t('onboarding.delete.confirm'));
    const res = svc.forgetMe(ctx(c), c.req.param('assemblyId'));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return page(
      c,
      t('onboarding.deleted'),
      <>
        <h1>{t('onboarding.deleted')}</h1>
        <p role="status">{t('onboarding.deleted.help', { name: res.pseudonym })}</p>
      </>,
    );
  });

  return r;
}
