/** @jsxImportSource hono/jsx */
/**
 * Ballot screens. Members: the list, one ballot (vote / change / results and receipt lookup), the public list of
 * ballots after close. Facilitators: the list with turnout and a creation form, one ballot with turnout against
 * quorum, early close and the full results. The receipt lives in the member's browser (a cookie scoped to the
 * ballots pages) so the database never links a member to a ballot; another device asks for it.
 */
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { translator, type T } from '../../web/i18n.js';
import { Csrf, form, page } from '../../web/kit.js';
import { METHODS, type Method } from './domain.js';
import * as svc from './service.js';
import { choiceText, Results, Rules, Secrecy, Turnout, VoteFields } from './views.js';
import { errorLine, FacilitatorForecast, MemberForecast, registerForecastPages } from './forecast-pages.js';
import type { Ctx } from '../../platform/context.js';

const cookieName = (ballotId: string) => `receipt_${ballotId}`;

/** The posted vote form as the API's choice. */
function choiceFromForm(b: svc.BallotView, f: Record<string, string | string[]>): unknown {
  const all = (k: string) => {
    const v = f[k];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  if (b.method === 'threshold' || b.method === 'approval') return { approve: all('approve') };
  if (b.method === 'schulze' || b.method === 'borda') {
    const byRank = new Map<number, string[]>();
    for (const o of b.options) {
      const r = Number(all(`rank_${o.id}`)[0] || NaN);
      if (Number.isInteger(r) && r > 0) byRank.set(r, [...(byRank.get(r) ?? []), o.id]);
    }
    return { ranking: [...byRank.keys()].sort((x, y) => x - y).map((r) => byRank.get(r)!) };
  }
  if (b.method === 'mj') {
    const grades: Record<string, number> = {};
    for (const o of b.options) {
      const g = all(`grade_${o.id}`)[0];
      if (g !== undefined && g !== '') grades[o.id] = Number(g);
    }
    return { grades };
  }
  return { gradient: all('gradient')[0] };
}

function MemberBallot({ c, ctx, b, t, receipt, error, lookup }: { c: Context<AppEnv>; ctx: Ctx; b: svc.BallotView; t: T; receipt: string | null; error?: string; lookup?: { receipt: string; text: string } | null | 'missing' }) {
  const a = b.assemblyId;
  return (
    <>
      <h1>{b.title}</h1>
      {b.description ? <p>{b.description}</p> : null}
      <p data-status={b.status}>{t(`ballots.status.${b.status}`)}</p>
      <Rules b={b} t={t} />
      {error ? <p class="error" role="alert">{error}</p> : null}
      {b.hasVoted && receipt ? (
        <p role="status" data-receipt={receipt}>{t('ballots.receipt.yours', { receipt })}</p>
      ) : b.hasVoted ? (
        <p role="status">{t('ballots.voted.noreceipt')}</p>
      ) : null}
      {b.status === 'open' ? (
        <form method="post" action={`/a/${a}/ballots/${b.id}/vote`} class="card">
          <Csrf c={c} />
          <VoteFields b={b} t={t} />
          {b.hasVoted ? (
            <p>
              <label for="receipt">{t('ballots.receipt.label')}</label> <input id="receipt" name="receipt" value={receipt ?? ''} autocomplete="off" required />
            </p>
          ) : null}
          <button type="submit">{t(b.hasVoted ? 'ballots.vote.change' : 'ballots.vote.cast')}</button>
        </form>
      ) : null}
      {b.status === 'closed' && b.result ? (
        <>
          <Results b={b} r={b.result} t={t} />
          <form method="get" action={`/a/${a}/ballots/${b.id}`} class="card">
            <h2>{t('ballots.receipt.find')}</h2>
            <label for="find">{t('ballots.receipt.label')}</label> <input id="find" name="receipt" value={receipt ?? ''} autocomplete="off" />{' '}
            <button type="submit">{t('ballots.receipt.lookup')}</button>
            {lookup === 'missing' ? <p role="alert">{t('ballots.receipt.missing')}</p> : lookup ? <p role="status" data-found={lookup.receipt}>{t('ballots.receipt.found', { receipt: lookup.receipt, choice: lookup.text })}</p> : null}
          </form>
          <p><a href={`/a/${a}/ballots/${b.id}/list`}>{t('ballots.list.link')}</a></p>
        </>
      ) : null}
      <MemberForecast ctx={ctx} b={b} t={t} />
      <Secrecy t={t} />
    </>
  );
}

export function ballotPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const read = requireAction('participant.read');
  const manage = requireAction('ballots.manage');
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));

  r.get('/a/:assemblyId/ballots', read, (c) => {
    const t = translator(c.get('lang'));
    const a = c.req.param('assemblyId');
    const list = svc.listBallots(ctx(c), a);
    return page(c, t('ballots.title'), <>
      <h1>{t('ballots.title')}</h1>
      {list.length === 0 ? <p>{t('ballots.none')}</p> : (
        <ul data-ballots>
          {list.map((b) => <li><a href={`/a/${a}/ballots/${b.id}`}>{b.title}</a> — {t(`ballots.status.${b.status}`)}{b.hasVoted ? ` (${t('ballots.voted')})` : ''}</li>)}
        </ul>
      )}
    </>);
  });

  r.get('/a/:assemblyId/ballots/:ballotId', read, (c) => {
    const t = translator(c.get('lang'));
    const b = svc.getBallot(ctx(c), c.req.param('assemblyId'), c.req.param('ballotId'));
    const asked = c.req.query('receipt')?.trim();
    const receipt = asked || getCookie(c, cookieName(b.id)) || null;
    let lookup: { receipt: string; text: string } | 'missing' | null = null;
    if (asked && b.status === 'closed') {
      try {
        const found = svc.findReceipt(ctx(c), b.assemblyId, b.id, asked);
        lookup = { receipt: found.receipt, text: choiceText(b, found.choice, t) };
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'NOT_FOUND') throw e;
        lookup = 'missing';
      }
    }
    return page(c, b.title, <MemberBallot c={c} ctx={ctx(c)} b={b} t={t} receipt={receipt} lookup={lookup} />);
  });

  r.post('/a/:assemblyId/ballots/:ballotId/vote', requireAction('participant.write'), async (c) => {
    const t = translator(c.get('lang'));
    const a = c.req.param('assemblyId');
    const b = svc.getBallot(ctx(c), a, c.req.param('ballotId'));
    const f = (await c.req.parseBody({ all: true })) as Record<string, string | string[]>;
    const given = typeof f.receipt === 'string' ? f.receipt : null;
    try {
      const res = svc.castVote(ctx(c), a, b.id, { choice: choiceFromForm(b, f), receipt: given || (b.hasVoted ? getCookie(c, cookieName(b.id)) : null) || null });
      setCookie(c, cookieName(b.id), res.receipt, { path: `/a/${a}/ballots`, httpOnly: true, sameSite: 'Lax', maxAge: 365 * 86400 });
      return c.redirect(`/a/${a}/ballots/${b.id}`, 303);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return page(c, b.title, <MemberBallot c={c} ctx={ctx(c)} b={b} t={t} receipt={given} error={errorLine(t, c.get('lang'), e)} />, e.status);
    }
  });

  r.get('/a/:assemblyId/ballots/:ballotId/list', requireAction('public.read'), (c) => {
    const t = translator(c.get('lang'));
    const l = svc.publicList(ctx(c), c.req.param('assemblyId'), c.req.param('ballotId'));
    const b = { ...l.ballot, hasVoted: null };
    return page(c, t('ballots.list.title', { title: b.title }), <>
      <h1>{t('ballots.list.title', { title: b.title })}</h1>
      <p data-counts>{t('ballots.list.counts', { roll: l.rollCount, ballots: l.ballots.length })}</p>
      <p><a href={`/api/assemblies/${b.assemblyId}/ballots/${b.id}/public-ballots`}>{t('ballots.list.json')}</a></p>
      <div class="scroll">
        <table data-public-list>
          <caption>{t('ballots.list.caption')}</caption>
          <thead><tr><th scope="col">{t('ballots.receipt.label')}</th><th scope="col">{t('ballots.list.choice')}</th></tr></thead>
          <tbody>{l.ballots.map((x) => <tr><td><code>{x.receipt}</code></td><td>{choiceText(b, x.choice, t)}</td></tr>)}</tbody>
        </table>
      </div>
    </>);
  });

  registerFacilitatorPages(r, deps, manage);
  return r;
}

function registerFacilitatorPages(r: Hono<AppEnv>, deps: Deps, manage: ReturnType<typeof requireAction>) {
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));
  r.get('/facilitate/:assemblyId/ballots', manage, (c) => {
    const t = translator(c.get('lang'));
    const a = c.req.param('assemblyId');
    const list = svc.listBallots(ctx(c), a);
    return page(c, t('ballots.manage.title'), <>
      <h1>{t('ballots.manage.title')}</h1>
      <table>
        <caption>{t('ballots.title')}</caption>
        <thead><tr><th scope="col">{t('ballots.field.title')}</th><th scope="col">{t('ballots.field.method')}</th><th scope="col">{t('ballots.status')}</th><th scope="col">{t('ballots.turnout')}</th></tr></thead>
        <tbody>{list.map((b) => <tr><td><a href={`/facilitate/${a}/ballots/${b.id}`}>{b.title}</a></td><td>{t(`ballots.method.${b.method}`)}</td><td>{t(`ballots.status.${b.status}`)}</td><td>{b.voted} / {b.eligible}</td></tr>)}</tbody>
      </table>
      <form method="post" action={`/facilitate/${a}/ballots`} class="card">
        <h2>{t('ballots.create')}</h2>
        <Csrf c={c} />
        <p><label for="b-title">{t('ballots.field.title')}</label> <input id="b-title" name="title" required /></p>
        <p><label for="b-method">{t('ballots.field.method')}</label> <select id="b-method" name="method">{METHODS.map((m) => <option value={m}>{t(`ballots.method.${m}`)}</option>)}</select></p>
        <p><label for="b-options">{t('ballots.field.options')}</label> <textarea id="b-options" name="options" rows={5} required></textarea></p>
        <p><label for="b-grades">{t('ballots.field.grades')}</label> <input id="b-grades" name="grades" /></p>
        <p><label for="b-threshold">{t('ballots.field.threshold')}</label> <input id="b-threshold" name="threshold" type="number" min={1} max={100} step="any" /></p>
        <p><label for="b-base">{t('ballots.field.base')}</label> <select id="b-base" name="thresholdBase"><option value="cast">{t('ballots.base.cast')}</option><option value="eligible">{t('ballots.base.eligible')}</option></select></p>
        <p><label for="b-quorum">{t('ballots.field.quorum')}</label> <input id="b-quorum" name="quorum" type="number" step="any" value="0" /></p>
        <p><label for="b-opens">{t('ballots.field.opens')}</label> <input id="b-opens" name="opensAt" type="datetime-local" /></p>
        <p><label for="b-closes">{t('ballots.field.closes')}</label> <input id="b-closes" name="closesAt" type="datetime-local" required /></p>
        <button type="submit">{t('ballots.create')}</button>
      </form>
    </>);
  });

  r.post('/facilitate/:assemblyId/ballots', manage, async (c) => {
    const a = c.req.param('assemblyId');
    const f = await form(c);
    const num = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : Number(v));
    const iso = (v: string | undefined) => (v ? (/Z|[+-]\d\d:\d\d$/.test(v) ? v : `${v}Z`) : null);
    const threshold = num(f.threshold);
    const b = svc.createBallot(ctx(c), a, {
      title: f.title ?? '',
      method: (METHODS as readonly string[]).includes(f.method) ? (f.method as Method) : 'approval',
      options: (f.options ?? '').split(/\r?\n/).map((x) => x.trim()).filter(Boolean),
      grades: f.grades ? f.grades.split(',').map((x) => x.trim()).filter(Boolean) : null,
      threshold: threshold === null ? null : threshold / 100,
      thresholdBase: f.thresholdBase === 'eligible' ? 'eligible' : 'cast',
      quorum: (num(f.quorum) ?? 0) / 100,
      opensAt: iso(f.opensAt),
      closesAt: iso(f.closesAt) ?? '',
    });
    return c.redirect(`/facilitate/${a}/ballots/${b.id}`, 303);
  });

  const ballotPage = (c: Context<AppEnv>, error?: string, status = 200) => {
    const t = translator(c.get('lang'));
    const b = svc.getBallot(ctx(c), c.req.param('assemblyId')!, c.req.param('ballotId')!);
    return page(c, b.title, <>
      <h1>{b.title}</h1>
      <p data-status={b.status}>{t(`ballots.status.${b.status}`)} — {t(`ballots.method.${b.method}`)}</p>
      <Rules b={b} t={t} />
      <Turnout b={b} t={t} />
      {b.status !== 'closed' ? (
        <form method="post" action={`/facilitate/${b.assemblyId}/ballots/${b.id}/close`}>
          <Csrf c={c} />
          <button type="submit">{t('ballots.close')}</button>
        </form>
      ) : null}
      {b.result ? <Results b={b} r={b.result} t={t} /> : null}
      {b.status === 'closed' ? <p><a href={`/a/${b.assemblyId}/ballots/${b.id}/list`}>{t('ballots.list.link')}</a></p> : null}
      <FacilitatorForecast c={c} deps={deps} b={b} t={t} error={error} />
    </>, status);
  };
  r.get('/facilitate/:assemblyId/ballots/:ballotId', manage, (c) => ballotPage(c));
  registerForecastPages(r, deps, manage, ballotPage);

  r.post('/facilitate/:assemblyId/ballots/:ballotId/close', manage, (c) => {
    const a = c.req.param('assemblyId');
    svc.closeBallot(ctx(c), a, c.req.param('ballotId'));
    return c.redirect(`/facilitate/${a}/ballots/${c.req.param('ballotId')}`, 303);
  });
}
