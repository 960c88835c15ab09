/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { jobView } from '../../platform/jobs/types.js';
import { translator, type T } from '../../web/i18n.js';
import { Csrf, form, JobsTable, page } from '../../web/kit.js';
import { getAssembly } from '../assemblies/service.js';
import { readPackageUpload } from './http.js';
import { importPackage } from './importer.js';
import * as svc from './service.js';

const size = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} kB` : `${(n / 1048576).toFixed(1)} MB`);

function ExportsTable({ t, c, assemblyId, rows }: { t: T; c: Context<AppEnv>; assemblyId: string; rows: ReturnType<typeof svc.listExports> }) {
  if (!rows.length) return <p data-testid="no-exports">{t('opendata.none')}</p>;
  return (
    <div style="overflow-x:auto" tabindex={0} role="region" aria-label={t('opendata.exports')}>
      <table data-exports>
        <caption>{t('opendata.exports')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('opendata.made')}</th>
            <th scope="col">{t('opendata.state')}</th>
            <th scope="col">{t('opendata.size')}</th>
            <th scope="col">{t('opendata.public')}</th>
            <th scope="col">{t('opendata.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-export={r.id}>
              <td>
                <time datetime={r.createdAt}>{r.createdAt.slice(0, 16).replace('T', ' ')}</time>
              </td>
              <td>{t(`opendata.status.${r.status}`)}</td>
              <td>
                {size(r.sizeBytes)} <code title="sha256">{r.sha256.slice(0, 12)}…</code>
              </td>
              <td>{r.published ? t('opendata.published') : t('opendata.notpublished')}</td>
              <td>
                <a href={`/api/assemblies/${assemblyId}/opendata/exports/${r.id}/download`}>{t('opendata.download')}</a>
                <form method="post" action={`/facilitate/${assemblyId}/opendata/exports/${r.id}/publication`} style="display:inline">
                  <Csrf c={c} />
                  <input type="hidden" name="published" value={r.published ? 'false' : 'true'} />
                  <button type="submit" class="secondary">
                    {r.published ? t('opendata.withdraw') : t('opendata.publish')}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function opendataPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));
  // making and publishing a package only reads the assembly, so an imported archive can be exported again
  const manage = requireAction('opendata.manage', { onArchive: 'allow' });

  r.get('/facilitate/:assemblyId/opendata', manage, (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const a = getAssembly(ctx(c), assemblyId);
    const rows = svc.listExports(ctx(c), assemblyId);
    const jobs = deps.jobs.list({ assemblyId, type: svc.EXPORT_JOB, limit: 5 }).map(jobView);
    return page(
      c,
      t('opendata.title'),
      <>
        <h1>{t('opendata.title')}</h1>
        <p>{t('opendata.intro')}</p>
        {svc.isArchived(ctx(c), assemblyId) ? <p role="note">{t('opendata.archived')}</p> : null}
        <form method="post" action={`/facilitate/${assemblyId}/opendata/exports`} class="card">
          <Csrf c={c} />
          <label for="od-status">{t('opendata.statuslabel')}</label>
          <select id="od-status" name="status">
            <option value="in-progress">{t('opendata.status.in-progress')}</option>
            <option value="final">{t('opendata.status.final')}</option>
          </select>
          <button type="submit">{t('opendata.make')}</button>
        </form>
        <h2>{t('opendata.jobs')}</h2>
        <div style="overflow-x:auto" tabindex={0} role="region" aria-label={t('opendata.jobs')}>
          <JobsTable assemblyId={assemblyId} jobs={jobs} t={t} caption={t('opendata.jobs')} />
        </div>
        <h2>{t('opendata.exports')}</h2>
        <ExportsTable t={t} c={c} assemblyId={assemblyId} rows={rows} />
        <p>
          <a href={`/p/${a.slug}/opendata`}>{t('opendata.publicpage')}</a>
        </p>
        <script src="/static/jobs.js" defer></script>
      </>,
    );
  });

  r.post('/facilitate/:assemblyId/opendata/exports', manage, async (c) => {
    const f = await form(c);
    const assemblyId = c.req.param('assemblyId');
    svc.requestExport(ctx(c), deps.jobs, assemblyId, { status: f.status === 'final' ? 'final' : 'in-progress' });
    return c.redirect(`/facilitate/${assemblyId}/opendata`, 303);
  });

  r.post('/facilitate/:assemblyId/opendata/exports/:exportId/publication', manage, async (c) => {
    const f = await form(c);
    const assemblyId = c.req.param('assemblyId');
    svc.setPublished(ctx(c), assemblyId, c.req.param('exportId'), f.published === 'true');
    return c.redirect(`/facilitate/${assemblyId}/opendata`, 303);
  });

  // ---- public: the published package ----
  r.get('/p/:slug/opendata', requireAction('public.read'), (c) => {
    const t = translator(c.get('lang'));
    const p = svc.publicOpenData(ctx(c), c.req.param('slug'));
    return page(
      c,
      t('opendata.public.title'),
      <>
        <h1>
          {t('opendata.public.title')} — {p.assembly.title}
        </h1>
        {p.archived ? <p role="note">{t('opendata.public.archived', { at: p.archived.exportedAt.slice(0, 10) })}</p> : null}
        {p.published ? (
          <section class="card" aria-labelledby="od-pkg">
            <h2 id="od-pkg">{t('opendata.public.package')}</h2>
            {p.published.status === 'in-progress' ? <p data-testid="interim">{t('opendata.public.interim')}</p> : null}
            <p>
              <a href={`/api/public/assemblies/${p.assembly.slug}/opendata/download`} data-testid="od-download">
                {t('opendata.public.download', { size: size(p.published.sizeBytes) })}
              </a>
            </p>
            <p>
              {t('opendata.public.sha')} <code style="overflow-wrap:anywhere;word-break:break-all">{p.published.sha256}</code>
            </p>
            <p>{t('opendata.public.contents')}</p>
          </section>
        ) : (
          <p data-testid="no-opendata">{t('opendata.public.none')}</p>
        )}
        <p>
          <a href={`/p/${p.assembly.slug}/sortition`}>{t('opendata.public.selection')}</a> · <a href={`/p/${p.assembly.slug}/impact`}>{t('impact.public.link')}</a>
        </p>
      </>,
    );
  });

  // ---- admin: load a package ----
  const importForm = (c: Context<AppEnv>, t: T, error?: string) => (
    <>
      <h1>{t('opendata.import.title')}</h1>
      <p>{t('opendata.import.intro')}</p>
      {error ? (
        <p role="alert" id="import-error">
          {error}
        </p>
      ) : null}
      <form method="post" action="/admin/opendata/imports" enctype="multipart/form-data" class="card">
        <Csrf c={c} />
        <label for="od-package">{t('opendata.import.file')}</label>
        <input id="od-package" name="package" type="file" accept=".zip,application/zip" required />
        <button type="submit">{t('opendata.import.submit')}</button>
      </form>
    </>
  );
  r.get('/admin/opendata/import', requireAction('opendata.import'), (c) => {
    const t = translator(c.get('lang'));
    return page(c, t('opendata.import.title'), importForm(c, t));
  });
  r.post('/admin/opendata/imports', requireAction('opendata.import'), async (c) => {
    const t = translator(c.get('lang'));
    try {
      const res = importPackage(ctx(c), await readPackageUpload(c));
      return page(
        c,
        t('opendata.import.title'),
        <>
          <h1>{t('opendata.import.done')}</h1>
          <p role="status">{t('opendata.import.summary', { slug: res.slug, pools: res.counts.pools, conversations: res.counts.conversations, transcripts: res.counts.transcripts, publications: res.counts.publications })}</p>
          <p>
            <a href={`/p/${res.slug}/sortition`}>{t('opendata.public.selection')}</a> · <a href={`/p/${res.slug}/opendata`}>{t('opendata.public.title')}</a>
          </p>
        </>,
        201,
      );
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return page(c, t('opendata.import.title'), importForm(c, t, e.detail), e.status as 422);
    }
  });

  return r;
}
