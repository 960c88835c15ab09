/** @jsxImportSource hono/jsx */
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { csrf as originCheck } from 'hono/csrf';
import type { Deps } from '../deps.js';
import { ctxFor } from '../deps.js';
import { verifyAudit } from '../platform/audit/audit.js';
import { SESSION_COOKIE } from '../platform/auth/sessions.js';
import { AppError } from '../platform/errors.js';
import { requireAction } from '../platform/http/guard.js';
import { bucket } from '../platform/http/rate-limit.js';
import type { AppEnv } from '../platform/http/types.js';
import { jobView } from '../platform/jobs/types.js';
import { listAssemblies } from '../modules/assemblies/service.js';
import { assembliesRepo } from '../modules/assemblies/repo.js';
import * as identity from '../modules/identity/service.js';
import { sessionCookie } from '../modules/identity/http.js';
import { safeLocalPath } from '../modules/identity/domain.js';
import { listPublications, pendingTranslations } from '../modules/publications/service.js';
import { PublicationList } from '../modules/publications/view.js';
import * as review from '../modules/review/service.js';
import { detailIn, translator, type Lang } from './i18n.js';
import { form, page, JobsTable, kindName } from './kit.js';
import { JoinLinks } from '../modules/deliberation/home.js';

const STATIC: Record<string, { type: string; body: string }> = Object.fromEntries(
  ['app.css', 'jobs.js'].map((f) => [f, { type: f.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8', body: readFileSync(new URL(`./static/${f}`, import.meta.url), 'utf8') }]),
);


export function webPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const pub = requireAction('public.read');
  const signinLimit = bucket(deps.config, 'signin');
  const joinLimit = bucket(deps.config, 'join');

  r.get('/static/:file', pub, (c) => {
    const f = STATIC[c.req.param('file')];
    if (!f) throw new AppError('NOT_FOUND', 'No such file.');
    return c.body(f.body, 200, { 'content-type': f.type, 'cache-control': 'public, max-age=300' });
  });

  r.get('/lang/:lang', pub, (c) => {
    const l = c.req.param('lang');
    if (l !== 'fr' && l !== 'en') throw new AppError('NOT_FOUND', 'Plenary speaks French (fr) and English (en).');
    setCookie(c, 'lang', l, { path: '/', sameSite: 'Lax', httpOnly: true, maxAge: 365 * 86400 });
    identity.setLanguage(ctxFor(deps, c.get('actor')), l);
    return c.redirect(safeLocalPath(c.req.query('next')), 303);
  });

  r.get('/', pub, (c) => {
    const actor = c.get('actor');
    if (actor.kind === 'user') {
      if (actor.role === 'participant' && actor.assemblyIds[0]) return c.redirect(`/a/${actor.assemblyIds[0]}`, 303);
      if (actor.role === 'researcher') return c.redirect('/research', 303);
      const first = listAssemblies(ctxFor(deps, actor))[0];
      if (first) return c.redirect(`/facilitate/${first.id}`, 303);
    }
    const t = translator(c.get('lang'));
    return page(
      c,
      t('app.name'),
      <>
        <h1>{t('app.name')}</h1>
        <p>{t('app.tagline')}</p>
        <div class="grid">
          <section class="card" aria-labelledby="join-h">
            <h2 id="join-h">{t('join.title')}</h2>
            <JoinForm t={t} lang={c.get('lang')} />
          </section>
          <section class="card" aria-labelledby="signin-h">
            <h2 id="signin-h">{t('signin.title')}</h2>
            <SigninForm t={t} />
          </section>
        </div>
      </>,
    );
  });

  r.get('/signin', pub, (c) => {
    const t = translator(c.get('lang'));
    return page(c, t('signin.title'), <><h1>{t('signin.title')}</h1><SigninForm t={t} /></>);
  });

  r.post('/signin', signinLimit, originCheck(), pub, async (c) => {
    const f = await form(c);
    const t = translator(c.get('lang'));
    try {
      const { session } = await identity.signIn(ctxFor(deps, c.get('actor')), { username: f.username ?? '', password: f.password ?? '' });
      sessionCookie(c, deps, session.cookie, session.expiresAt);
      return c.redirect('/', 303);
    } catch (e) {
      if (e instanceof AppError && (e.code === 'UNAUTHENTICATED' || e.code === 'RATE_LIMITED'))
        return page(c, t('signin.title'), <><h1>{t('signin.title')}</h1><p class="error" role="alert">{detailIn(e, c.get('lang')) ?? e.detail}</p><SigninForm t={t} username={f.username} /></>, e.status);
      throw e;
    }
  });

  r.get('/join', pub, (c) => {
    const t = translator(c.get('lang'));
    return page(c, t('join.title'), <><h1>{t('join.title')}</h1><JoinForm t={t} lang={c.get('lang')} code={c.req.query('code')} /></>);
  });

  r.post('/join', joinLimit, originCheck(), pub, async (c) => {
    const f = await form(c);
    const t = translator(c.get('lang'));
    try {
      const language = f.language === 'fr' ? 'fr' : 'en';
      const { session, assemblyId } = await identity.enter(ctxFor(deps, c.get('actor')), { code: f.code ?? '', pseudonym: f.pseudonym ?? '', language, passphrase: f.passphrase || undefined });
      sessionCookie(c, deps, session.cookie, session.expiresAt);
      setCookie(c, 'lang', language, { path: '/', sameSite: 'Lax', httpOnly: true, maxAge: 365 * 86400 });
      return c.redirect(`/a/${assemblyId}`, 303);
    } catch (e) {
      if (e instanceof AppError && e.status < 500) {
        const passphrase = e.extra.passphraseNeeded === true;
        return page(c, t('join.title'), <><h1>{t('join.title')}</h1><p class="error" role="alert" id="join-error">{detailIn(e, c.get('lang')) ?? e.detail}</p><JoinForm t={t} lang={c.get('lang')} code={f.code} pseudonym={f.pseudonym} passphrase={passphrase} /></>, e.status);
      }
      throw e;
    }
  });

  r.post('/signout', requireAction('self.read'), (c) => {
    identity.signOut(ctxFor(deps, c.get('actor')), getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });

  // ---- facilitators ----
  r.get('/facilitate/:assemblyId', requireAction('review.read'), (c) => {
    const ctx = ctxFor(deps, c.get('actor'));
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const assembly = assembliesRepo.byId(deps.db, assemblyId);
    if (!assembly) throw new AppError('NOT_FOUND', `Assembly '${assemblyId}' does not exist.`);
    const { counts, items } = review.listReview(ctx, deps.review, assemblyId, { status: 'pending', limit: 100 });
    const jobs = deps.jobs.list({ assemblyId, limit: 20 }).map(jobView);
    const actor = c.get('actor');
    const assemblies = listAssemblies(ctx);
    return page(
      c,
      t('dash.title'),
      <>
        <h1>
          {t('dash.title')} — {assembly.title}
        </h1>
        {assemblies.length > 1 ? (
          <nav aria-label={t('nav.assemblies')}>
            {assemblies.map((a) => (
              <a href={`/facilitate/${a.id}`} aria-current={a.id === assemblyId ? 'page' : undefined} style="margin-right:1rem">
                {a.title}
              </a>
            ))}
          </nav>
        ) : null}
        <nav aria-label={t('nav.areas')} class="areas">
          <a href={`/facilitate/${assemblyId}/conversations`}>{t('nav.conversations')}</a>
          <a href={`/facilitate/${assemblyId}/debates`}>{t('debates.title')}</a>
          <a href={`/facilitate/${assemblyId}/contributions`}>{t('nav.contributions')}</a>
          <a href={`/facilitate/${assemblyId}/breakouts`}>{t('nav.breakouts')}</a>
          <a href={`/facilitate/${assemblyId}/sortition`}>{t('nav.sortition')}</a>
          <a href={`/facilitate/${assemblyId}/onboarding`}>{t('nav.onboarding')}</a>
          <a href={`/facilitate/${assemblyId}/members`}>{t('identity.members.link')}</a>
          <a href={`/facilitate/${assemblyId}/calendar`}>{t('deliberation.calendar.title')}</a>
          <a href={`/facilitate/${assemblyId}/learning`}>{t('deliberation.learning.title')}</a>
          <a href={`/facilitate/${assemblyId}/deliberation/speaking`}>{t('deliberation.speaking.title')}</a>
          <a href={`/facilitate/${assemblyId}/ballots`}>{t('ballots.title')}</a>
          <a href={`/facilitate/${assemblyId}/surveys`}>{t('surveys.title')}</a>
          <a href={`/facilitate/${assemblyId}/opendata`}>{t('opendata.title')}</a>
          <a href={`/facilitate/${assemblyId}/impact`}>{t('impact.staff.title')}</a>
          <a href={`/facilitate/${assemblyId}/brochure`}>{t('brochure.page.title')}</a>
          <a href={`/p/${assembly.slug}/sortition`}>{t('nav.transparency')}</a>
        </nav>
        <section aria-labelledby="rq">
          <h2 id="rq">{t('dash.review')}</h2>
          <ul class="counts" data-testid="review-counts">
            {(['pending', 'approved', 'edited', 'rejected', 'superseded'] as const).map((s) => (
              <li>
                <strong data-count={s}>{counts[s]}</strong> {t(`dash.${s}`)}
              </li>
            ))}
          </ul>
          {items.length === 0 ? (
            <p>{t('dash.empty')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('review.kind')}</th>
                  <th scope="col">{t('review.title')}</th>
                  <th scope="col">{t('review.model')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('dash.open')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((it) => (
                  <tr data-item={it.id}>
                    <td>
                      <span class="badge">{kindName(t, it.kind)}</span>
                    </td>
                    <td>{it.title}</td>
                    <td class="cite">{((it.provenance as { modelIds?: string[] }).modelIds ?? []).join(', ')}</td>
                    <td>
                      <a href={`/facilitate/${assemblyId}/review/${it.id}`}>{t('dash.open')}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section aria-labelledby="jobs-h">
          <h2 id="jobs-h">{t('dash.jobs')}</h2>
          <JobsTable assemblyId={assemblyId} jobs={jobs} t={t} />
        </section>
        <section aria-labelledby="inv-h" class="card">
          <h2 id="inv-h">{t('admin.invite')}</h2>
          <form method="post" action={`/facilitate/${assemblyId}/invitations`}>
            <input type="hidden" name="_csrf" value={c.get('csrfToken') ?? ''} />
            <label for="inv-count">{t('admin.count')}</label>
            <input id="inv-count" name="count" type="number" min="1" max="500" value="5" required />
            <button type="submit">{t('admin.invite')}</button>
          </form>
        </section>
        {actor.kind === 'user' && actor.role === 'admin' ? (
          <section aria-labelledby="audit-h" class="card">
            <h2 id="audit-h">{t('admin.audit')}</h2>
            <form method="post" action="/admin/audit/verify">
              <input type="hidden" name="_csrf" value={c.get('csrfToken') ?? ''} />
              <button type="submit">{t('admin.verify')}</button>
            </form>
            <p>
              <a href="/admin/staff">{t('identity.staff.title')}</a> · <a href="/admin/tokens">{t('identity.tokens.title')}</a>
            </p>
          </section>
        ) : null}
        <script src="/static/jobs.js" defer></script>
      </>,
    );
  });

  r.post('/facilitate/:assemblyId/invitations', requireAction('members.invite'), async (c) => {
    const f = await form(c);
    const t = translator(c.get('lang'));
    const { codes } = identity.createInvitations(ctxFor(deps, c.get('actor')), c.req.param('assemblyId'), { count: Math.max(1, Math.min(500, Number(f.count) || 1)) });
    return page(
      c,
      t('admin.codes'),
      <>
        <h1>{t('admin.codes')}</h1>
        <ul class="codes">
          {codes.map((code) => (
            <li>{code}</li>
          ))}
        </ul>
        <p>
          <a href={`/facilitate/${c.req.param('assemblyId')}`}>{t('review.back')}</a>
        </p>
      </>,
    );
  });

  r.post('/admin/audit/verify', requireAction('audit.verify'), (c) => {
    const t = translator(c.get('lang'));
    const res = verifyAudit(deps.db);
    return page(
      c,
      t('admin.audit'),
      <>
        <h1>{t('admin.audit')}</h1>
        <p class={res.ok ? 'ok' : 'error'} role="status">
          {res.ok ? t('admin.verified', { rows: res.rows }) : t('admin.broken', { problem: res.problem ?? '' })}
        </p>
        <p>
          <a href="/">{t('nav.home')}</a>
        </p>
      </>,
    );
  });

  // ---- participants ----
  r.get('/a/:assemblyId', requireAction('participant.read'), (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const assembly = assembliesRepo.byId(deps.db, assemblyId);
    if (!assembly) throw new AppError('NOT_FOUND', `Assembly '${assemblyId}' does not exist.`);
    const lang = c.get('lang');
    const ctx = ctxFor(deps, c.get('actor'));
    // the same query as the Summaries page (one list of what was published, in the reader's language)
    const pubs = listPublications(ctx, assemblyId, lang, { pending: pendingTranslations(ctx, deps.review, deps.jobs, assemblyId, lang) });
    return page(
      c,
      t('participant.title'),
      <>
        <h1>{assembly.title}</h1>
        {assembly.question ? <p class="question">{assembly.question}</p> : null}
        <JoinLinks ctx={ctxFor(deps, c.get('actor'))} assemblyId={assemblyId} t={t} />
        <nav aria-label={t('nav.areas')} class="areas">
          <a href={`/a/${assemblyId}/groups`}>{t('deliberation.my.title')}</a>
          <a href={`/a/${assemblyId}/calendar`}>{t('deliberation.calendar.my.title')}</a>
          <a href={`/a/${assemblyId}/learning`}>{t('deliberation.learning.title')}</a>
          <a href={`/a/${assemblyId}/questions`}>{t('deliberation.qa.title')}</a>
          <a href={`/a/${assemblyId}/conversations`}>{t('nav.conversations')}</a>
          <a href={`/a/${assemblyId}/debates`}>{t('debates.title')}</a>
          <a href={`/a/${assemblyId}/recommendations`}>{t('recs.title')}</a>
          <a href={`/a/${assemblyId}/texts`}>{t('texts.title')}</a>
          <a href={`/a/${assemblyId}/ballots`}>{t('ballots.title')}</a>
          <a href={`/a/${assemblyId}/surveys`}>{t('surveys.title')}</a>
          <a href={`/a/${assemblyId}/notifications`}>{t('notifications.title')}</a>
          <a href={`/a/${assemblyId}/contribute`}>{t('nav.contribute')}</a>
          <a href={`/a/${assemblyId}/summaries`}>{t('nav.summaries')}</a>
          <a href={`/a/${assemblyId}/ideas`}>{t('nav.ideas')}</a>
          <a href={`/a/${assemblyId}/me`}>{t('nav.me')}</a>
        </nav>
        <h2>{t('participant.published')}</h2>
        {pubs.length === 0 ? <p data-testid="no-publications">{t('participant.none')}</p> : null}
        <PublicationList pubs={pubs} t={t} lang={lang} level={3} />
      </>,
    );
  });

  // ---- researchers ----
  r.get('/research', requireAction('research.read'), (c) => {
    const t = translator(c.get('lang'));
    const assemblies = listAssemblies(ctxFor(deps, c.get('actor')));
    return page(
      c,
      t('researcher.title'),
      <>
        <h1>{t('researcher.title')}</h1>
        <p>{t('researcher.evals')}</p>
        <ul>
          {assemblies.map((a) => (
            <li>
              {a.title} <code>{a.id}</code> — <a href={`/facilitate/${a.id}/surveys/results`}>{t('surveys.results.title')}</a>
            </li>
          ))}
        </ul>
        <p>
          <a href="/docs">{t('nav.docs')}</a>
        </p>
      </>,
    );
  });

  return r;
}

function SigninForm({ t, username }: { t: ReturnType<typeof translator>; username?: string }) {
  return (
    <form method="post" action="/signin">
      <label for="username">{t('signin.username')}</label>
      <input id="username" name="username" autocomplete="username" required value={username ?? ''} />
      <label for="password">{t('signin.password')}</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required />
      <button type="submit">{t('signin.submit')}</button>
    </form>
  );
}

function JoinForm({ t, lang, code, pseudonym, passphrase }: { t: ReturnType<typeof translator>; lang: Lang; code?: string; pseudonym?: string; passphrase?: boolean }) {
  return (
    <form method="post" action="/join">
      <p class="cite" id="join-help">{t('identity.join.help')}</p>
      <label for="code">{t('join.code')}</label>
      <input id="code" name="code" required autocomplete="one-time-code" value={code ?? ''} aria-describedby="join-help" />
      <label for="pseudonym">{t('join.pseudonym')}</label>
      <input id="pseudonym" name="pseudonym" required minlength={2} maxlength={40} value={pseudonym ?? ''} />
      {passphrase ? (
        <>
          <label for="passphrase">{t('identity.passphrase')}</label>
          <input id="passphrase" name="passphrase" type="password" autocomplete="current-password" required />
        </>
      ) : null}
      <label for="language">{t('join.language')}</label>
      <select id="language" name="language">
        <option value="en" selected={lang === 'en'}>
          English
        </option>
        <option value="fr" selected={lang === 'fr'}>
          Français
        </option>
      </select>
      <button type="submit">{t('join.submit')}</button>
    </form>
  );
}
