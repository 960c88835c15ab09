/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { AppEnv } from '../platform/http/types.js';
import { translator, type T } from './i18n.js';
import type { JobView } from '../platform/jobs/types.js';
import { Layout } from './layout.js';

/** Renders a page in the shared layout, in the request's language. */
export function page(c: Context<AppEnv>, title: string, body: unknown, status = 200) {
  const lang = c.get('lang');
  return c.html(
    <Layout title={title} lang={lang} t={translator(lang)} actor={c.get('actor')} csrf={c.get('csrfToken')} path={c.req.path}>
      {body as never}
    </Layout>,
    status as 200,
  );
}

/** A posted form's string fields (files and repeated fields dropped). */
export async function form(c: Context<AppEnv>): Promise<Record<string, string>> {
  const b = await c.req.parseBody();
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
}

/** The hidden CSRF field every form posted with a cookie session carries. */
export const Csrf = ({ c }: { c: Context<AppEnv> }) => <input type="hidden" name="_csrf" value={c.get('csrfToken') ?? ''} />;

/** What a job row shows beside its bar: the error, the progress message, or the reason a finished job gives. */
export function jobMessage(j: JobView): string {
  const r = j.result as { reason?: string; message?: string } | null;
  return j.error ?? j.message ?? r?.reason ?? r?.message ?? '';
}

/** The live job table; /static/jobs.js keeps it current from the assembly's job event stream. */
export function JobsTable({ assemblyId, jobs, t, caption }: { assemblyId: string; jobs: JobView[]; t: T; caption?: string }) {
  return (
    <>
      <table data-jobs-for={assemblyId}>
        <caption class="visually-hidden">{caption ?? t('dash.jobs')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('jobs.job')}</th>
            <th scope="col">{t('review.status')}</th>
            <th scope="col">{t('jobs.progress')}</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr id={`job-${j.id}`}>
              <td class="type">{j.type}</td>
              <td class="status">{t(`status.${j.status}`)}</td>
              <td>
                <progress max={100} value={Math.round(j.progress * 100)} aria-label={`${j.type} ${Math.round(j.progress * 100)}%`}></progress> <span class="msg">{jobMessage(j)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {jobs.length === 0 ? <p id="no-jobs">{t('dash.nojobs')}</p> : null}
    </>
  );
}
