/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { AppEnv } from '../platform/http/types.js';
import { CATALOGUES, translator, type Lang, type T } from './i18n.js';
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

/** A posted form's string fields, repeated fields (checkboxes, multi-selects) as lists; files dropped. */
export async function formAll(c: Context<AppEnv>): Promise<Record<string, string | string[]>> {
  const b = await c.req.parseBody({ all: true });
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? v : '']));
}
/** a formAll() field as one value (the first) or as a list */
export const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
export const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

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

/** A review kind's name in the reader's language (`kind.<kind>` in any catalogue; an unknown kind shows its identifier). */
export const kindName = (t: T, kind: string) => (`kind.${kind}` in CATALOGUES.en ? t(`kind.${kind}`) : kind);
/** A review item's status in the reader's language. */
export const reviewState = (t: T, status: string) => (['pending', 'approved', 'edited', 'rejected', 'superseded'].includes(status) ? t(`review.state.${status}`) : status);

/** Job types with a name in a catalogue (`jobs.type.<type>`, the site's or a module's). */
export const JOB_TYPES = Object.keys(CATALOGUES.en).filter((k) => k.startsWith('jobs.type.')).map((k) => k.slice('jobs.type.'.length));

/** A job's name in the reader's language. */
export const jobName = (t: T, type: string) => (JOB_TYPES.includes(type) ? t(`jobs.type.${type}`) : type);

/**
 * The message beside a job's bar. Progress messages and errors come from the job handlers in English: English
 * readers get them as they are; others get the error marked as English (lang="en"), and no progress chatter.
 */
function JobMessage({ j, t, lang }: { j: JobView; t: T; lang: Lang }) {
  const msg = jobMessage(j);
  if (!msg) return <span class="msg"></span>;
  if (lang === 'en') return <span class="msg">{msg}</span>;
  if (!j.error) return <span class="msg"></span>;
  return (
    <span class="msg">
      {t('jobs.errorIn')} <span lang="en">{msg}</span>
    </span>
  );
}

/** The live job table; /static/jobs.js keeps it current from the assembly's job event stream (with the names and statuses of data-i18n). */
export function JobsTable({ assemblyId, jobs, t, caption, lang }: { assemblyId: string; jobs: JobView[]; t: T; caption?: string; lang?: Lang }) {
  const l: Lang = lang ?? (t('app.lang') === 'fr' ? 'fr' : 'en');
  const i18n = {
    lang: l,
    types: Object.fromEntries(JOB_TYPES.map((x) => [x, t(`jobs.type.${x}`)])),
    status: Object.fromEntries(['queued', 'running', 'succeeded', 'failed', 'cancelled'].map((x) => [x, t(`status.${x}`)])),
    errorIn: t('jobs.errorIn'),
  };
  return (
    <>
      <table data-jobs-for={assemblyId} data-i18n={JSON.stringify(i18n)}>
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
              <td class="type" data-type={j.type}>
                {jobName(t, j.type)}
              </td>
              <td class="status">{t(`status.${j.status}`)}</td>
              <td>
                <progress max={100} value={Math.round(j.progress * 100)} aria-label={`${jobName(t, j.type)} ${Math.round(j.progress * 100)} %`}></progress> <JobMessage j={j} t={t} lang={l} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {jobs.length === 0 ? <p id="no-jobs">{t('dash.nojobs')}</p> : null}
    </>
  );
}
