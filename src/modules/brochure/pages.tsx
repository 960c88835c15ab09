/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError, notFound } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { jobView } from '../../platform/jobs/types.js';
import { translator, type Lang, type T } from '../../web/i18n.js';
import { Csrf, formAll, JobsTable, many, one, page } from '../../web/kit.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { countInScope } from './collect.js';
import { BROCHURE_LANGS, type BrochureLang, type Scope } from './domain.js';
import type { PdfEngine } from './pdf.js';
import * as svc from './service.js';
import { needingTranslation, requestMachineTranslation, TRANSLATE_JOB } from './machine.js';

const size = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} kB` : `${(n / 1048576).toFixed(1)} MB`);
const langOf = (c: Context<AppEnv>): BrochureLang => (c.get('lang') === 'fr' ? 'fr' : 'en');

/** Versions with their date, language, count and downloads; `api` is the assembly's API base. */
function VersionsTable({ t, rows, api, lang }: { t: T; rows: svc.VersionView[]; api: string; lang: Lang }) {
  if (!rows.length) return <p data-testid="no-versions">{t('brochure.page.noversions')}</p>;
  return (
    <div style="overflow-x:auto" tabindex={0} role="region" aria-label={t('brochure.page.versions')}>
      <table data-versions>
        <caption>{t('brochure.page.versions')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('brochure.page.version')}</th>
            <th scope="col">{t('brochure.page.date')}</th>
            <th scope="col">{t('brochure.page.language')}</th>
            <th scope="col">{t('brochure.page.count')}</th>
            <th scope="col">{t('brochure.page.download')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((v) => (
            <tr data-version={v.id} data-number={v.number}>
              <td>
                {v.number} <small>({t(`brochure.page.scope.${v.scope}`)})</small>
              </td>
              <td>
                <time datetime={v.createdAt}>{new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(v.createdAt))} UTC</time>
              </td>
              <td>{t(`brochure.lang.${v.language}`)}</td>
              <td>{v.recommendationCount}</td>
              <td>
                <a href={`${api}/brochure/versions/${v.id}/pdf`} data-pdf={v.id} download>
                  {t('brochure.page.pdf', { size: size(v.pdfBytes) })}
                </a>{' '}
                · <a href={`${api}/brochure/versions/${v.id}/html`}>{t('brochure.page.html')}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function brochurePages(deps: Deps, pdf: PdfEngine) {
  const r = new Hono<AppEnv>();
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));
  const manage = requireAction('brochure.manage');

  const staffPage = (c: Context<AppEnv>, error?: AppError) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId')!;
    const a = assembliesRepo.byId(deps.db, assemblyId);
    if (!a) throw notFound('Assembly', assemblyId);
    const rows = svc.listVersions(ctx(c), assemblyId);
    const jobs = [...deps.jobs.list({ assemblyId, type: svc.BROCHURE_JOB, limit: 5 }), ...deps.jobs.list({ assemblyId, type: TRANSLATE_JOB, limit: 3 })].sort((x, y) => y.createdAt.localeCompare(x.createdAt)).map(jobView);
    const untranslated = BROCHURE_LANGS.filter((l) => a.languages.includes(l)).map((l) => ({ l, n: needingTranslation(deps.db, assemblyId, l).length }));
    const counts = { drafts: countInScope(deps.db, assemblyId, 'drafts'), final: countInScope(deps.db, assemblyId, 'final') };
    const base = `/facilitate/${assemblyId}/brochure`;
    return page(
      c,
      t('brochure.page.title'),
      <>
        <h1>{t('brochure.page.title')}</h1>
        <p>{t('brochure.page.intro')}</p>
        <p data-testid="counts">{t('brochure.page.counts', { n: counts.drafts, final: counts.final })}</p>
        {pdf.executable() ? null : (
          <p role="note" data-testid="no-chromium">
            {t('brochure.page.nochromium')}
          </p>
        )}
        {error ? (
          <p role="alert" id="brochure-error">
            {c.get('lang') === 'en' ? error.detail : t(error.code === 'PRECONDITION_FAILED' ? 'brochure.page.error.empty' : error.code === 'UNAVAILABLE' ? 'brochure.page.nochromium' : 'brochure.page.error')}
          </p>
        ) : null}
        <form method="post" action={base} class="card">
          <Csrf c={c} />
          <label for="br-scope">{t('brochure.page.scope')}</label>
          <select id="br-scope" name="scope">
            <option value="final">{t('brochure.page.scope.final')}</option>
            <option value="drafts">{t('brochure.page.scope.drafts')}</option>
          </select>
          <fieldset>
            <legend>{t('brochure.page.languages')}</legend>
            {BROCHURE_LANGS.map((l) => (
              <label style="display:block">
                <input type="checkbox" name="languages" value={l} checked /> {t(`brochure.lang.${l}`)}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={!pdf.executable()}>
            {t('brochure.page.generate')}
          </button>
        </form>
        <h2>{t('brochure.page.mt')}</h2>
        <p>{t('brochure.page.mt.intro')}</p>
        <ul data-testid="untranslated">
          {untranslated.map((u) => (
            <li>{t('brochure.page.mt.count', { lang: t(`brochure.lang.${u.l}`), n: u.n })}</li>
          ))}
        </ul>
        <form method="post" action={`${base}/machine-translations`} class="card">
          <Csrf c={c} />
          <label for="br-mt-lang">{t('brochure.page.mt.language')}</label>
          <select id="br-mt-lang" name="language">
            {untranslated.map((u) => (
              <option value={u.l}>{t(`brochure.lang.${u.l}`)}</option>
            ))}
          </select>
          <button type="submit" class="secondary">
            {t('brochure.page.mt.ask')}
          </button>
        </form>
        <p>
          <a href={`/facilitate/${assemblyId}#rq`}>{t('brochure.page.mt.review')}</a>
        </p>
        <h2>{t('brochure.page.preview')}</h2>
        <ul>
          {(['final', 'drafts'] as const).flatMap((s) =>
            BROCHURE_LANGS.map((l) => (
              <li>
                <a href={`${base}/view?scope=${s}&lang=${l}`} data-preview={`${s}-${l}`}>
                  {t('brochure.page.previewlink', { scope: t(`brochure.page.scope.${s}`), lang: t(`brochure.lang.${l}`) })}
                </a>
              </li>
            )),
          )}
        </ul>
        <h2>{t('brochure.page.jobs')}</h2>
        <div style="overflow-x:auto" tabindex={0} role="region" aria-label={t('brochure.page.jobs')}>
          <JobsTable assemblyId={assemblyId} jobs={jobs} t={t} caption={t('brochure.page.jobs')} />
        </div>
        <h2>{t('brochure.page.versions')}</h2>
        <VersionsTable t={t} rows={rows} api={`/api/assemblies/${assemblyId}`} lang={c.get('lang')} />
        <p>
          <a href={`/p/${a.slug}/brochure`}>{t('brochure.page.publicpage')}</a>
        </p>
        <script src="/static/jobs.js" defer></script>
      </>,
      error ? (error.status as 412) : 200,
    );
  };

  r.get('/facilitate/:assemblyId/brochure', manage, (c) => staffPage(c));

  r.post('/facilitate/:assemblyId/brochure', manage, async (c) => {
    const f = await formAll(c);
    const assemblyId = c.req.param('assemblyId');
    const languages = many(f.languages).filter((l): l is BrochureLang => (BROCHURE_LANGS as readonly string[]).includes(l));
    try {
      svc.requestBrochure(ctx(c), deps.jobs, pdf, assemblyId, { scope: one(f.scope) === 'drafts' ? 'drafts' : 'final', languages });
    } catch (e) {
      if (!(e instanceof AppError) || !['PRECONDITION_FAILED', 'UNAVAILABLE'].includes(e.code)) throw e;
      return staffPage(c, e);
    }
    return c.redirect(`/facilitate/${assemblyId}/brochure`, 303);
  });

  r.post('/facilitate/:assemblyId/brochure/machine-translations', manage, async (c) => {
    const f = await formAll(c);
    const assemblyId = c.req.param('assemblyId');
    try {
      requestMachineTranslation(ctx(c), deps.jobs, assemblyId, one(f.language));
    } catch (e) {
      if (!(e instanceof AppError) || !['PRECONDITION_FAILED', 'VALIDATION'].includes(e.code)) throw e;
      return staffPage(c, new AppError(e.code, c.get('lang') === 'en' ? e.detail : translator(c.get('lang'))('brochure.page.mt.nothing')));
    }
    return c.redirect(`/facilitate/${assemblyId}/brochure`, 303);
  });

  /** the live document, or a page saying there is nothing to print */
  const view = async (c: Context<AppEnv>, assemblyId: string, scope: Scope, back: string) => {
    const lang = langOf(c);
    const t = translator(lang);
    const other: BrochureLang = lang === 'fr' ? 'en' : 'fr';
    const links = [
      { href: back, label: t('brochure.view.back') },
      { href: `?scope=${scope}&lang=${other}`, label: translator(other)('brochure.view.otherlang'), hreflang: other },
    ];
    const doc = await svc.liveHtml(ctx(c), assemblyId, scope, lang, links);
    if (doc) return c.html(doc);
    return page(
      c,
      t('brochure.page.title'),
      <>
        <h1>{t('brochure.page.title')}</h1>
        <p role="status" data-testid="empty-brochure">
          {t(scope === 'final' ? 'brochure.view.empty.final' : 'brochure.view.empty.drafts')}
        </p>
        <p>
          <a href={back}>{t('brochure.view.back')}</a>
        </p>
      </>,
    );
  };

  r.get('/facilitate/:assemblyId/brochure/view', manage, (c) => {
    const assemblyId = c.req.param('assemblyId');
    return view(c, assemblyId, c.req.query('scope') === 'drafts' ? 'drafts' : 'final', `/facilitate/${assemblyId}/brochure`);
  });

  // ---- public: the published versions (final recommendations) and the live view of the final text ----
  const bySlug = (slug: string) => {
    const a = assembliesRepo.bySlug(deps.db, slug);
    if (!a) throw notFound('Assembly', slug);
    return a;
  };
  r.get('/p/:slug/brochure', requireAction('public.read'), (c) => {
    const t = translator(c.get('lang'));
    const a = bySlug(c.req.param('slug'));
    const rows = svc.listVersions(ctx(c), a.id).filter((v) => v.public);
    return page(
      c,
      t('brochure.public.title'),
      <>
        <h1>
          {t('brochure.public.title')} — <span lang={a.languages[0] !== c.get('lang') ? a.languages[0] : undefined}>{a.title}</span>
        </h1>
        <p>{t('brochure.public.intro')}</p>
        <p>
          <a href={`/p/${a.slug}/brochure/view?lang=${c.get('lang')}`}>{t('brochure.public.read')}</a>
        </p>
        <h2>{t('brochure.page.versions')}</h2>
        <VersionsTable t={t} rows={rows} api={`/api/assemblies/${a.id}`} lang={c.get('lang')} />
      </>,
    );
  });
  // what the public reads is what the staff published (the latest version of final recommendations), not the live text
  r.get('/p/:slug/brochure/view', requireAction('public.read'), (c) => {
    const a = bySlug(c.req.param('slug'));
    const lang = langOf(c);
    const t = translator(lang);
    const latest = svc.listVersions(ctx(c), a.id).find((v) => v.public && v.language === lang);
    if (latest) {
      const f = svc.versionFile(ctx(c), a.id, latest.id, 'html');
      return c.html(new TextDecoder().decode(f.bytes));
    }
    return page(
      c,
      t('brochure.public.title'),
      <>
        <h1>{t('brochure.public.title')}</h1>
        <p role="status" data-testid="no-public-version">
          {t('brochure.public.none')}
        </p>
        <p>
          <a href={`/p/${a.slug}/brochure`}>{t('brochure.view.back')}</a>
        </p>
      </>,
    );
  });

  return r;
}
