/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { raw } from 'hono/html';
import { csrf as originCheck } from 'hono/csrf';
import { parseQuotasCsv, type CsvNote } from '../../../pipelines/sortition/index.js';
import { ctxFor, type Deps } from '../../deps.js';
import { auditSigner, signedHead, type SignedHead } from '../../platform/audit/head.js';
import { AppError, type FieldError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import { rateLimit } from '../../platform/http/rate-limit.js';
import type { AppEnv } from '../../platform/http/types.js';
import { translator, type T } from '../../web/i18n.js';
import { sortitionProblem } from './domain.js';
import { readUpload } from './http.js';
import * as svc from './service.js';
import { probabilityChartSvg } from './svg.js';
import { publicOpenData } from '../opendata/service.js';
import { Csrf, page } from '../../web/kit.js';


async function form(c: Context<AppEnv>): Promise<Record<string, string>> {
  const b = await c.req.parseBody({ all: true });
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(',') : typeof v === 'string' ? v : '']));
}


/** What was ignored in spreadsheet-saved CSV files (empty trailing columns, byte-order mark, separator). */
function CsvNotes({ notes, t }: { notes: CsvNote[]; t: T }) {
  if (notes.length === 0) return null;
  const lines = notes.flatMap((n) => {
    const file = t(`sortition.csvIgnored.file.${n.file}`);
    const out: string[] = [];
    if (n.emptyColumns.length) {
      const cols = n.emptyColumns.length === 1 ? String(n.emptyColumns[0]) : `${n.emptyColumns[0]}–${n.emptyColumns[n.emptyColumns.length - 1]}`;
      out.push(t('sortition.csvIgnored.columns', { file, count: n.emptyColumns.length, columns: cols }));
    }
    if (n.bom) out.push(t('sortition.csvIgnored.bom', { file }));
    if (n.delimiter !== ',') out.push(t('sortition.csvIgnored.delimiter', { file, sep: n.delimiter === '\t' ? t('sortition.csvIgnored.tab') : n.delimiter }));
    return out;
  });
  return (
    <section role="status" aria-labelledby="csv-notes">
      <h2 id="csv-notes">{t('sortition.csvIgnored.title')}</h2>
      <ul>
        {lines.map((l) => (
          <li>{l}</li>
        ))}
      </ul>
    </section>
  );
}

function Errors({ err, t }: { err: AppError; t: T }) {
  const list = (err.extra.errors as FieldError[] | undefined) ?? [];
  return (
    <div class="card" role="alert" data-testid="errors">
      <p class="error">{err.detail}</p>
      {list.length ? (
        <>
          <p>{t('sortition.errors')}</p>
          <ul>
            {list.slice(0, 50).map((e) => (
              <li>
                <strong>{e.path}</strong>: {e.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/** Tries `fn`; a 4xx AppError (or SortitionError) is rendered back on the page by `onError`. */
async function attempt<R>(fn: () => R | Promise<R>, onError: (e: AppError) => Response | Promise<Response>): Promise<R | Response> {
  try {
    return await fn();
  } catch (e) {
    const err = sortitionProblem(e);
    if (err.status < 500) return onError(err);
    throw e;
  }
}

const ROLE_CHOICES = ['feature', 'address', 'personal', 'id', 'ignore'] as const;

function Chart({ t, leximin, legacy, algorithm, id }: { t: T; leximin: number[] | null; legacy: number[] | null; algorithm: string; id?: string }) {
  const curves = [
    ...(leximin ? [{ label: algorithm.toUpperCase(), values: leximin }] : []),
    ...(legacy ? [{ label: 'LEGACY', values: legacy }] : []),
  ];
  if (!curves.length) return null;
  return <figure>{raw(probabilityChartSvg(curves, { title: t('sortition.chart.title'), xLabel: t('sortition.chart.x'), yLabel: t('sortition.chart.y'), id }))}<figcaption>{t('sortition.chart.caption')}</figcaption></figure>;
}

function Summary({ values, label }: { values: number[]; label: string }) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const pct = (p: number) => `${(Math.round(p * 10000) / 100).toString()} %`;
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{n ? pct(s[0]) : '—'}</td>
      <td>{n ? pct(s[Math.floor((n - 1) / 2)]) : '—'}</td>
      <td>{n ? pct(s[n - 1]) : '—'}</td>
      <td>{n}</td>
    </tr>
  );
}

function SummaryTable({ t, rows }: { t: T; rows: { label: string; values: number[] }[] }) {
  return (
    <table>
      <caption>{t('sortition.summary')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('sortition.algorithm')}</th>
          <th scope="col">{t('sortition.min')}</th>
          <th scope="col">{t('sortition.median')}</th>
          <th scope="col">{t('sortition.max')}</th>
          <th scope="col">{t('sortition.people')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <Summary values={r.values} label={r.label} />
        ))}
      </tbody>
    </table>
  );
}

export function sortitionPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const manage = requireAction('sortition.manage');
  const pub = requireAction('public.read');
  const registerLimit = rateLimit({ name: 'registration', perMinute: 20 });
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));
  const T_ = (c: Context<AppEnv>) => translator(c.get('lang'));
  const base = (a: string) => `/facilitate/${a}/sortition`;

  // ---- wizard: start ----
  const indexPage = (c: Context<AppEnv>, err?: AppError, status = 200) => {
    const t = T_(c);
    const a = c.req.param('assemblyId')!;
    const pools = svc.listPools(ctx(c), a);
    return page(
      c,
      t('sortition.title'),
      <>
        <h1>{t('sortition.title')}</h1>
        <p>{t('sortition.intro')}</p>
        {err ? <Errors err={err} t={t} /> : null}
        <section aria-labelledby="pools-h">
          <h2 id="pools-h">{t('sortition.pools')}</h2>
          {pools.length === 0 ? <p>{t('sortition.nopools')}</p> : null}
          <ul>
            {pools.map((p) => (
              <li>
                <a href={`${base(a)}/pools/${p.id}`}>{p.name}</a> — {t(`sortition.source.${p.source}`)}, {t('sortition.poolsize', { n: p.people, k: p.panelSize })}, {t(`sortition.status.${p.status}`)}
              </li>
            ))}
          </ul>
        </section>
        <div class="grid">
          <section class="card" aria-labelledby="up-h">
            <h2 id="up-h">1. {t('sortition.upload')}</h2>
            <form method="post" action={`${base(a)}/imports/preview`} enctype="multipart/form-data">
              <Csrf c={c} />
              <label for="people">{t('sortition.peoplecsv')}</label>
              <input id="people" name="people" type="file" accept=".csv,text/csv" required />
              <label for="quotas">{t('sortition.quotascsv')}</label>
              <input id="quotas" name="quotas" type="file" accept=".csv,text/csv" required />
              <button type="submit">{t('sortition.next')}</button>
            </form>
          </section>
          <section class="card" aria-labelledby="vol-h">
            <h2 id="vol-h">{t('sortition.volunteer')}</h2>
            <p class="cite">{t('sortition.volunteer.help')}</p>
            <form method="post" action={`${base(a)}/pools`}>
              <Csrf c={c} />
              <label for="vname">{t('sortition.name')}</label>
              <input id="vname" name="name" required />
              <label for="vk">{t('sortition.panelsize')}</label>
              <input id="vk" name="panelSize" type="number" min="1" required />
              <label for="vq">{t('sortition.quotascsvtext')}</label>
              <textarea id="vq" name="quotas" required placeholder="category,value,min,max"></textarea>
              <button type="submit">{t('sortition.create')}</button>
            </form>
          </section>
        </div>
      </>,
      status,
    );
  };
  r.get('/facilitate/:assemblyId/sortition', manage, (c) => indexPage(c));

  r.post('/facilitate/:assemblyId/sortition/pools', manage, async (c) => {
    const f = await form(c);
    const a = c.req.param('assemblyId');
    const res = await attempt(
      () => {
        const rows = parseQuotasCsv(f.quotas ?? '').rows.map((q) => ({ category: q.category, value: q.value, min: q.min, max: q.max }));
        return svc.createRegistrationPool(ctx(c), a, { name: (f.name ?? '').trim() || 'Volunteers', panelSize: Number(f.panelSize) || 0, quotas: rows });
      },
      (e) => indexPage(c, e, e.status),
    );
    if (res instanceof Response) return res;
    return c.redirect(`${base(a)}/pools/${res.id}`, 303);
  });

  // ---- wizard: map columns ----
  const mappingPage = (c: Context<AppEnv>, f: Record<string, string>, err?: AppError, status = 200) => {
    const t = T_(c);
    const a = c.req.param('assemblyId')!;
    const preview = svc.previewImport(f.people ?? '', f.quotas || undefined);
    const roleOf = (h: string) =>
      f[`role:${h}`] ?? (preview.mapping.id === h ? 'id' : preview.mapping.features.includes(h) ? 'feature' : preview.mapping.address.includes(h) ? 'address' : preview.mapping.personal.includes(h) ? 'personal' : 'ignore');
    return page(
      c,
      t('sortition.map'),
      <>
        <p>
          <a href={base(a)}>{t('sortition.back')}</a>
        </p>
        <h1>2. {t('sortition.map')}</h1>
        <p>{t('sortition.map.help', { rows: preview.rows })}</p>
        <CsvNotes notes={preview.ignored} t={t} />
        {err ? <Errors err={err} t={t} /> : null}
        <form method="post" action={`${base(a)}/imports/create`}>
          <Csrf c={c} />
          <textarea name="people" hidden aria-hidden="true">
            {f.people ?? ''}
          </textarea>
          <textarea name="quotas" hidden aria-hidden="true">
            {f.quotas ?? ''}
          </textarea>
          <table>
            <caption>{t('sortition.columns')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sortition.column')}</th>
                <th scope="col">{t('sortition.role')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.headers.map((h, i) => (
                <tr>
                  <th scope="row">
                    <label for={`role-${i}`}>{h}</label>
                  </th>
                  <td>
                    <select id={`role-${i}`} name={`role:${h}`}>
                      {ROLE_CHOICES.map((r) => (
                        <option value={r} selected={roleOf(h) === r}>
                          {t(`sortition.role.${r}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.quotas ? (
            <>
              <h2>3. {t('sortition.quotas')}</h2>
              <QuotaTable t={t} rows={preview.quotas.map((q) => ({ ...q, pool: null, panel: null }))} />
            </>
          ) : null}
          <label for="pname">{t('sortition.name')}</label>
          <input id="pname" name="name" value={f.name ?? ''} />
          <label for="pk">{t('sortition.panelsize')}</label>
          <input id="pk" name="panelSize" type="number" min="1" required value={f.panelSize ?? ''} />
          <button type="submit">{t('sortition.import')}</button>
        </form>
      </>,
      status,
    );
  };

  r.post('/facilitate/:assemblyId/sortition/imports/preview', manage, async (c) => {
    const f = await readUpload(c, 'people');
    const res = await attempt(() => mappingPage(c, f), (e) => indexPage(c, e, e.status));
    return res;
  });

  r.post('/facilitate/:assemblyId/sortition/imports/create', manage, async (c) => {
    const f = await form(c);
    const a = c.req.param('assemblyId');
    const headers = Object.keys(f).filter((k) => k.startsWith('role:')).map((k) => k.slice(5));
    const by = (role: string) => headers.filter((h) => f[`role:${h}`] === role);
    const ids = by('id');
    const res = await attempt(
      () => {
        if (ids.length > 1) throw new AppError('VALIDATION', 'Choose at most one id column.', { errors: ids.map((h) => ({ path: `column ${h}`, message: 'second id column' })) });
        return svc.importPool(ctx(c), a, { name: f.name, panelSize: Number(f.panelSize) || 0, people: f.people ?? '', quotas: f.quotas ?? '', mapping: { id: ids[0] ?? null, features: by('feature'), address: by('address'), personal: by('personal') } });
      },
      (e) => attempt(() => mappingPage(c, f, e, e.status), (e2) => indexPage(c, e2, e2.status)),
    );
    if (res instanceof Response) return res;
    return c.redirect(`${base(a)}/pools/${res.id}`, 303);
  });

  // ---- pool: quotas, run, letters ----
  const poolPage = (c: Context<AppEnv>, err?: AppError, status = 200) => {
    const t = T_(c);
    const { assemblyId: a, poolId } = c.req.param() as { assemblyId: string; poolId: string };
    const p = svc.getPool(ctx(c), a, poolId);
    const people = svc.listPeople(ctx(c), a, poolId);
    const quotaRows = p.quotas.map((q) => ({ ...q, pool: people.filter((x) => x.features[q.category] === q.value).length, panel: null }));
    return page(
      c,
      p.name,
      <>
        <p>
          <a href={base(a)}>{t('sortition.back')}</a>
        </p>
        <h1>{p.name}</h1>
        <p>
          {t(`sortition.source.${p.source}`)} · {t('sortition.poolsize', { n: p.people, k: p.panelSize })} · {t(`sortition.status.${p.status}`)}
        </p>
        {err ? <Errors err={err} t={t} /> : null}
        <section aria-labelledby="q-h">
          <h2 id="q-h">3. {t('sortition.quotas')}</h2>
          {p.status === 'open' ? (
            <form method="post" action={`${base(a)}/pools/${poolId}/quotas`}>
              <Csrf c={c} />
              <QuotaTable t={t} rows={quotaRows} editable />
              <label for="qk">{t('sortition.panelsize')}</label>
              <input id="qk" name="panelSize" type="number" min="1" value={String(p.panelSize)} />
              <button type="submit" class="secondary">
                {t('sortition.savequotas')}
              </button>
            </form>
          ) : (
            <QuotaTable t={t} rows={quotaRows} />
          )}
        </section>
        {p.status === 'open' ? (
          <section aria-labelledby="run-h" class="card">
            <h2 id="run-h">4. {t('sortition.run')}</h2>
            <form method="post" action={`${base(a)}/pools/${poolId}/runs`}>
              <Csrf c={c} />
              <label for="alg">{t('sortition.algorithm')}</label>
              <select id="alg" name="algorithm">
                <option value="leximin" selected>
                  LEXIMIN
                </option>
                <option value="maximin">maximin</option>
              </select>
              <button type="submit">{t('sortition.runbutton')}</button>
            </form>
          </section>
        ) : null}
        <section aria-labelledby="runs-h">
          <h2 id="runs-h">{t('sortition.runs')}</h2>
          <table data-jobs-for={a}>
            <caption>{t('sortition.progress')}</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">{t('sortition.state')}</th>
                <th scope="col">{t('sortition.progress')}</th>
              </tr>
            </thead>
            <tbody>
              {p.runs
                .filter((run) => run.jobId)
                .map((run) => {
                  const j = deps.jobs.get(run.jobId!);
                  const pc = Math.round((j?.progress ?? 0) * 100);
                  return (
                    <tr id={`job-${run.jobId}`}>
                      <td class="type">{j?.type ?? 'sortition.select'}</td>
                      <td class="status">{j?.status ?? ''}</td>
                      <td>
                        <progress max={100} value={pc} aria-label={`sortition.select ${pc}%`}></progress> <span class="msg">{j?.error ?? j?.progressMessage ?? ''}</span>
                      </td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
          <ul>
            {p.runs.map((run) => (
              <li data-run={run.id}>
                <a href={`${base(a)}/runs/${run.id}`}>
                  {run.algorithm.toUpperCase()} — {t(`sortition.run.${run.status}`)}
                </a>{' '}
                <span class="cite">{run.createdAt}</span>
              </li>
            ))}
          </ul>
          <p>
            <a href={`${base(a)}/pools/${poolId}`}>{t('sortition.reload')}</a>
          </p>
        </section>
        {p.drawId ? (
          <p>
            <a href={`${base(a)}/draws/${p.drawId}`}>{t('sortition.seedraw')}</a>
          </p>
        ) : null}
        {p.source === 'registration' ? (
          <section aria-labelledby="let-h" class="card">
            <h2 id="let-h">{t('sortition.letters')}</h2>
            <p class="cite">{t('sortition.letters.help')}</p>
            {p.status === 'open' ? (
              <form method="post" action={`${base(a)}/pools/${poolId}/imports/addresses`} enctype="multipart/form-data">
                <Csrf c={c} />
                <label for="addr">{t('sortition.addresscsv')}</label>
                <input id="addr" name="addresses" type="file" accept=".csv,text/csv" required />
                <label for="lc">{t('sortition.lettercount')}</label>
                <input id="lc" name="count" type="number" min="1" required />
                <label for="ls">{t('sortition.seed')}</label>
                <input id="ls" name="seed" required />
                <button type="submit">{t('sortition.drawaddresses')}</button>
              </form>
            ) : null}
            <p>
              <a href={`${base(a)}/pools/${poolId}/letters`}>{t('sortition.printletters')}</a>
            </p>
          </section>
        ) : null}
        <script src="/static/jobs.js" defer></script>
      </>,
      status,
    );
  };
  r.get('/facilitate/:assemblyId/sortition/pools/:poolId', manage, (c) => poolPage(c));

  r.post('/facilitate/:assemblyId/sortition/pools/:poolId/quotas', manage, async (c) => {
    const f = await form(c);
    const { assemblyId: a, poolId } = c.req.param();
    const p = svc.getPool(ctx(c), a, poolId);
    const quotas = p.quotas.map((q, i) => ({ category: q.category, value: q.value, min: Number(f[`min-${i}`] ?? q.min), max: Number(f[`max-${i}`] ?? q.max) }));
    const res = await attempt(() => svc.setQuotas(ctx(c), a, poolId, { quotas, panelSize: Number(f.panelSize) || p.panelSize }), (e) => poolPage(c, e, e.status));
    if (res instanceof Response) return res;
    return c.redirect(`${base(a)}/pools/${poolId}`, 303);
  });

  r.post('/facilitate/:assemblyId/sortition/pools/:poolId/runs', manage, async (c) => {
    const f = await form(c);
    const { assemblyId: a, poolId } = c.req.param();
    const res = await attempt(() => svc.startRun(ctx(c), deps.jobs, a, poolId, { algorithm: f.algorithm === 'maximin' ? 'maximin' : 'leximin' }), (e) => poolPage(c, e, e.status));
    if (res instanceof Response) return res;
    return c.redirect(`${base(a)}/pools/${poolId}`, 303);
  });

  r.post('/facilitate/:assemblyId/sortition/pools/:poolId/imports/addresses', manage, async (c) => {
    const f = await readUpload(c, 'addresses');
    const { assemblyId: a, poolId } = c.req.param();
    const res = await attempt(() => svc.drawAddresses(ctx(c), a, poolId, { csv: f.addresses ?? '', count: Number(f.count) || 0, seed: f.seed ?? '' }), (e) => poolPage(c, e, e.status));
    if (res instanceof Response) return res;
    return c.redirect(`${base(a)}/pools/${poolId}/letters`, 303);
  });

  // printable letters: one per page (CSS page breaks), each with its registration code
  r.get('/facilitate/:assemblyId/sortition/pools/:poolId/letters', manage, (c) => {
    const t = T_(c);
    const { assemblyId: a, poolId } = c.req.param();
    const letters = svc.lettersOf(ctx(c), a, poolId);
    const url = new URL(c.req.url);
    return page(
      c,
      t('sortition.letters'),
      <>
        <style>{raw('@media print { header.top, .noprint { display: none } .letter { page-break-after: always; break-after: page; border: none } } .letter { border: 1px dashed #767676; padding: 2rem; margin: 1rem 0; min-height: 20rem }')}</style>
        <p class="noprint">
          <a href={`${base(a)}/pools/${poolId}`}>{t('sortition.back')}</a> · {t('sortition.letters.count', { n: letters.length })}
        </p>
        <h1 class="noprint">{t('sortition.letters')}</h1>
        {letters.map((l) => (
          <article class="letter" data-letter={l.id}>
            <address>
              {Object.values(l.address).map((line) => (
                <>
                  {line}
                  <br />
                </>
              ))}
            </address>
            <h2>{t('sortition.letter.title')}</h2>
            <p>{t('sortition.letter.body')}</p>
            <p>
              {t('sortition.letter.go', { url: `${url.origin}/register` })}
            </p>
            <p>
              {t('sortition.letter.code')} <strong class="codes">{l.code}</strong>
            </p>
          </article>
        ))}
      </>,
    );
  });

  // ---- run: probabilities, commit, draw ----
  const runPage = (c: Context<AppEnv>, err?: AppError, status = 200) => {
    const t = T_(c);
    const { assemblyId: a, runId } = c.req.param() as { assemblyId: string; runId: string };
    const run = svc.getRun(ctx(c), a, runId);
    const pool = svc.getPool(ctx(c), a, run.poolId);
    const lex = run.probabilities ? Object.values(run.probabilities) : null;
    const leg = run.legacyProbabilities ? Object.values(run.legacyProbabilities) : null;
    return page(
      c,
      t('sortition.inspect'),
      <>
        <p>
          <a href={`${base(a)}/pools/${run.poolId}`}>{t('sortition.back')}</a>
        </p>
        <h1>5. {t('sortition.inspect')}</h1>
        <p>
          {run.algorithm.toUpperCase()} · <strong data-run-status>{t(`sortition.run.${run.status}`)}</strong>
        </p>
        {err ? <Errors err={err} t={t} /> : null}
        {run.status === 'queued' ? (
          <p>
            {t('sortition.running')} <a href={`${base(a)}/runs/${runId}`}>{t('sortition.reload')}</a>
          </p>
        ) : null}
        {run.error ? <p class="error">{run.error}</p> : null}
        {run.infeasible ? (
          <section class="card" role="alert" data-testid="infeasible">
            <h2>{t('sortition.infeasible')}</h2>
            <p>{run.infeasible.message}</p>
            <table>
              <caption>{t('sortition.relaxation')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('sortition.category')}</th>
                  <th scope="col">{t('sortition.value')}</th>
                  <th scope="col">{t('sortition.now')}</th>
                  <th scope="col">{t('sortition.proposed')}</th>
                </tr>
              </thead>
              <tbody>
                {(run.infeasible.relaxations as { category: string; value: string; min: number; max: number; newMin: number; newMax: number }[]).map((x) => (
                  <tr>
                    <td>{x.category}</td>
                    <td>{x.value}</td>
                    <td>
                      {x.min}–{x.max}
                    </td>
                    <td>
                      {x.newMin}–{x.newMax}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        {lex ? (
          <section aria-labelledby="prob-h">
            <h2 id="prob-h">{t('sortition.probabilities')}</h2>
            <Chart t={t} leximin={lex} legacy={leg} algorithm={run.algorithm} />
            <SummaryTable t={t} rows={[{ label: run.algorithm.toUpperCase(), values: lex }, ...(leg ? [{ label: 'LEGACY', values: leg }] : [])]} />
          </section>
        ) : null}
        {run.status === 'done' && run.distributionSha256 ? (
          <section class="card" aria-labelledby="draw-h">
            <h2 id="draw-h">6. {t('sortition.draw')}</h2>
            <p>
              {t('sortition.hash')} <code data-hash>{run.distributionSha256}</code>
            </p>
            {!run.committedAt ? (
              <form method="post" action={`${base(a)}/runs/${runId}/commit`}>
                <Csrf c={c} />
                <p>{t('sortition.commit.help')}</p>
                <button type="submit">{t('sortition.commit')}</button>
              </form>
            ) : pool.status === 'open' ? (
              <form method="post" action={`${base(a)}/runs/${runId}/draw`}>
                <Csrf c={c} />
                <p>{t('sortition.committed', { at: run.committedAt })}</p>
                <input type="hidden" name="distributionSha256" value={run.distributionSha256} />
                <label for="seed">{t('sortition.seed')}</label>
                <input id="seed" name="seed" required />
                <button type="submit">{t('sortition.drawbutton')}</button>
              </form>
            ) : (
              <p>{t('sortition.alreadydrawn')}</p>
            )}
          </section>
        ) : null}
      </>,
      status,
    );
  };
  r.get('/facilitate/:assemblyId/sortition/runs/:runId', manage, (c) => runPage(c));

  r.post('/facilitate/:assemblyId/sortition/runs/:runId/commit', manage, async (c) => {
    const { assemblyId: a, runId } = c.req.param();
    const res = await attempt(() => svc.commitRun(ctx(c), a, runId), (e) => runPage(c, e, e.status));
    if (res instanceof Response) return res;
    return c.redirect(`${base(a)}/runs/${runId}`, 303);
  });

  r.post('/facilitate/:assemblyId/sortition/runs/:runId/draw', manage, async (c) => {
    const f = await form(c);
    const { assemblyId: a, runId } = c.req.param();
    const res = await attempt(() => svc.draw(ctx(c), a, runId, { seed: f.seed ?? '', distributionSha256: f.distributionSha256 ?? '' }), (e) => runPage(c, e, e.status));
    if (res instanceof Response) return res;
    return c.redirect(`${base(a)}/draws/${res.id}`, 303);
  });

  // ---- draw: members, confirmations, alternates ----
  const drawPage = (c: Context<AppEnv>, a: string, drawId: string, extra?: unknown, status = 200) => {
    const t = T_(c);
    const d = svc.getDraw(ctx(c), a, drawId);
    const contacts = svc.contactsOf(ctx(c), a, d.poolId, d.members.map((m) => m.id));
    return page(
      c,
      t('sortition.drawresult'),
      <>
        <p>
          <a href={`${base(a)}/pools/${d.poolId}`}>{t('sortition.back')}</a>
        </p>
        <h1>{t('sortition.drawresult')}</h1>
        {extra as never}
        <dl>
          <dt>{t('sortition.seed')}</dt>
          <dd>{d.record.seedSource}</dd>
          <dt>{t('sortition.ticket')}</dt>
          <dd>
            {d.record.ticket} / {d.record.m}
          </dd>
          <dt>{t('sortition.hash')}</dt>
          <dd>
            <code>{d.record.lotterySha256}</code>
          </dd>
        </dl>
        <form method="post" action={`${base(a)}/draws/${drawId}/verify`}>
          <Csrf c={c} />
          <button type="submit" class="secondary">
            {t('sortition.verify')}
          </button>
        </form>
        <table>
          <caption>{t('sortition.members')}</caption>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">{t('sortition.features')}</th>
              <th scope="col">{t('sortition.contact')}</th>
              <th scope="col">{t('sortition.state')}</th>
              <th scope="col">{t('sortition.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {d.members.map((m) => (
              <tr data-person={m.id}>
                <td>{m.id}</td>
                <td>{Object.entries(m.features).map(([k, v]) => `${k}: ${v}`).join(', ')}</td>
                <td>{Object.values(contacts[m.id] ?? {}).join(' · ')}</td>
                <td>
                  {t(`sortition.person.${m.status}`)}
                  {m.selectedVia === 'alternate' ? ` (${t('sortition.alternate')})` : ''}
                </td>
                <td>
                  {m.status === 'selected' || m.status === 'confirmed' ? (
                    <form method="post" action={`${base(a)}/pools/${d.poolId}/people/${m.id}/respond`} class="inline-form">
                      <Csrf c={c} />
                      <label for={`resp-${m.id}`} class="visually-hidden">
                        {t('sortition.actions')} {m.id}
                      </label>
                      <select id={`resp-${m.id}`} name="response">
                        {m.status === 'selected' ? <option value="confirm">{t('sortition.confirm')}</option> : null}
                        {m.status === 'selected' ? <option value="decline">{t('sortition.decline')}</option> : null}
                        <option value="dropout">{t('sortition.dropout')}</option>
                      </select>
                      <button type="submit" class="secondary">
                        {t('sortition.record')}
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{t('sortition.alternates')}</h2>
        <ol>
          {d.alternates.slice(0, 20).map((x) => (
            <li>
              {x.id} <span class="cite">({t('sortition.deviation', { n: x.bestDeviation })})</span>
            </li>
          ))}
        </ol>
        {d.replacements.length ? (
          <>
            <h2>{t('sortition.replacements')}</h2>
            <ul>
              {d.replacements.map((x) => (
                <li>
                  {x.out} → {x.in ?? '—'} ({t(`sortition.person.${x.reason}`)}, {t('sortition.deviation', { n: x.deviation })})
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </>,
      status,
    );
  };
  r.get('/facilitate/:assemblyId/sortition/draws/:drawId', manage, (c) => drawPage(c, c.req.param('assemblyId'), c.req.param('drawId')));

  r.post('/facilitate/:assemblyId/sortition/draws/:drawId/verify', manage, async (c) => {
    const t = T_(c);
    const { assemblyId: a, drawId } = c.req.param();
    const v = await svc.verify(ctx(c), a, drawId);
    return drawPage(
      c,
      a,
      drawId,
      <section class="card" role="status" data-verified={String(v.ok)}>
        <h2 class={v.ok ? 'ok' : 'error'}>{v.ok ? t('sortition.verified') : t('sortition.notverified')}</h2>
        <ul>
          {v.checks.map((x) => (
            <li>
              {x.ok ? '✔' : '✘'} {x.check}: {x.detail}
            </li>
          ))}
        </ul>
      </section>,
    );
  });

  r.post('/facilitate/:assemblyId/sortition/pools/:poolId/people/:personId/respond', manage, async (c) => {
    const t = T_(c);
    const f = await form(c);
    const { assemblyId: a, poolId, personId } = c.req.param();
    const response = f.response === 'confirm' || f.response === 'decline' || f.response === 'dropout' ? f.response : null;
    if (!response) throw new AppError('VALIDATION', 'Choose confirm, decline or dropout.');
    const res = await svc.respond(ctx(c), a, poolId, personId, response);
    const drawId = svc.getPool(ctx(c), a, poolId).drawId!;
    return drawPage(
      c,
      a,
      drawId,
      <section class="card" role="status">
        {res.invitationCode ? (
          <p>
            {t('sortition.invitation', { id: personId })} <strong class="codes">{res.invitationCode}</strong>
          </p>
        ) : (
          <p>{res.replacement ? t('sortition.replaced', { out: personId, in: res.replacement.id }) : t('sortition.noreplacement')}</p>
        )}
      </section>,
    );
  });

  // ---- public: volunteer registration (code from the letter) ----
  const regPage = (c: Context<AppEnv>, f: Record<string, string>, err?: AppError, status = 200) => {
    const t = T_(c);
    let formInfo: ReturnType<typeof svc.registrationForm> | null = null;
    if (f.code) {
      try {
        formInfo = svc.registrationForm(ctx(c), f.code);
      } catch (e) {
        if (!(e instanceof AppError) || e.status >= 500) throw e;
        err = err ?? e;
        status = e.status;
      }
    }
    return page(
      c,
      t('sortition.register'),
      <>
        <h1>{t('sortition.register')}</h1>
        {formInfo ? <p>{formInfo.assembly.title}</p> : <p>{t('sortition.register.help')}</p>}
        {err ? <Errors err={err} t={t} /> : null}
        <form method="post" action="/register">
          <Csrf c={c} />
          <label for="rcode">{t('sortition.letter.code')}</label>
          <input id="rcode" name="code" required autocomplete="one-time-code" value={f.code ?? ''} />
          {formInfo ? (
            <>
              <fieldset>
                <legend>{t('sortition.register.about')}</legend>
                {formInfo.categories.map((cat, i) => (
                  <>
                    <label for={`feat-${i}`}>{cat.category}</label>
                    <select id={`feat-${i}`} name={`feature:${cat.category}`} required>
                      <option value="">—</option>
                      {cat.values.map((v) => (
                        <option value={v} selected={f[`feature:${cat.category}`] === v}>
                          {v}
                        </option>
                      ))}
                    </select>
                  </>
                ))}
              </fieldset>
              <fieldset>
                <legend>{t('sortition.register.contact')}</legend>
                <p class="cite">{t('sortition.register.privacy')}</p>
                <label for="rname">{t('sortition.register.name')}</label>
                <input id="rname" name="name" required autocomplete="name" value={f.name ?? ''} />
                <label for="remail">{t('sortition.register.email')}</label>
                <input id="remail" name="email" type="email" autocomplete="email" value={f.email ?? ''} />
                <label for="rphone">{t('sortition.register.phone')}</label>
                <input id="rphone" name="phone" type="tel" autocomplete="tel" value={f.phone ?? ''} />
              </fieldset>
              <input type="hidden" name="step" value="submit" />
            </>
          ) : null}
          <button type="submit">{formInfo ? t('sortition.register.submit') : t('sortition.next')}</button>
        </form>
      </>,
      status,
    );
  };
  r.get('/register', pub, (c) => regPage(c, {}));
  r.post('/register', registerLimit, originCheck(), pub, async (c) => {
    const t = T_(c);
    const f = await form(c);
    if (f.step !== 'submit') return regPage(c, f);
    const features = Object.fromEntries(Object.entries(f).filter(([k]) => k.startsWith('feature:')).map(([k, v]) => [k.slice(8), v]));
    const email = (f.email ?? '').trim();
    const phone = (f.phone ?? '').trim();
    const res = await attempt(
      () => {
        if (!(f.name ?? '').trim()) throw new AppError('VALIDATION', t('sortition.register.needname'), { errors: [{ path: 'name', message: 'required' }] });
        return svc.register(ctx(c), { code: f.code ?? '', features, personal: { name: f.name!.trim().slice(0, 200), ...(email ? { email: email.slice(0, 200) } : {}), ...(phone ? { phone: phone.slice(0, 50) } : {}) } });
      },
      (e) => regPage(c, f, e, e.status),
    );
    if (res instanceof Response) return res;
    return page(
      c,
      t('sortition.register'),
      <>
        <h1>{t('sortition.register.thanks')}</h1>
        <p role="status">{t('sortition.register.done')}</p>
      </>,
      201,
    );
  });

  // ---- public transparency page ----
  r.get('/p/:slug/sortition', pub, (c) => {
    const t = T_(c);
    const data = svc.transparency(ctx(c), c.req.param('slug'));
    return page(
      c,
      t('sortition.transparency'),
      <>
        <h1>
          {t('sortition.transparency')} — {data.assembly.title}
        </h1>
        <p>{t('sortition.transparency.intro')}</p>
        {data.pools.length === 0 ? <p data-testid="no-draw">{t('sortition.transparency.none')}</p> : null}
        {data.pools.map((p, i) => (
          <section class="card" aria-labelledby={`tp-${i}`} data-pool>
            <h2 id={`tp-${i}`}>{p.name}</h2>
            <dl>
              <dt>{t('sortition.algorithm')}</dt>
              <dd>
                {p.algorithm.toUpperCase()} ({p.version}, {p.solver ?? '—'})
              </dd>
              <dt>{t('sortition.poolhash')}</dt>
              <dd>
                <code>{p.poolSha256}</code> ({t('sortition.poolsize', { n: p.poolSize, k: p.panelSize })})
              </dd>
              <dt>{t('sortition.quotashash')}</dt>
              <dd>
                <code>{p.quotasSha256}</code>
              </dd>
              <dt>{t('sortition.hash')}</dt>
              <dd>
                <code data-distribution>{p.distributionSha256}</code> — {t('sortition.committed', { at: p.committedAt ?? '—' })}
              </dd>
              <dt>{t('sortition.seed')}</dt>
              <dd>{p.draw ? <>
                  <span data-seed>{p.draw.seedSource}</span> → sha256 <code>{p.draw.seedSha256}</code> → {t('sortition.ticket')} {p.draw.ticket} / {p.draw.m} ({p.draw.drawnAt})
                </> : t('sortition.awaitingseed')}</dd>
            </dl>
            {p.probabilities ? (
              <>
                <Chart t={t} leximin={p.probabilities.sorted} legacy={p.legacyProbabilities?.sorted ?? null} algorithm={p.algorithm} id={`chart-${i}`} />
                <SummaryTable t={t} rows={[{ label: p.algorithm.toUpperCase(), values: p.probabilities.sorted }, ...(p.legacyProbabilities ? [{ label: 'LEGACY', values: p.legacyProbabilities.sorted }] : [])]} />
              </>
            ) : null}
            <QuotaTable t={t} rows={p.quotas} />
            {p.replacements.length ? <p>{t('sortition.transparency.replacements', { n: p.replacements.length })}</p> : null}
            {p.letters.map((b) => (
              <p>{t('sortition.transparency.letters', { letters: b.letters, addresses: b.addresses, seed: b.seedSource })}</p>
            ))}
            <p>
              <a href={`/api/public/assemblies/${data.assembly.slug}/sortition/verify`}>{t('sortition.verify')}</a> · <a href={`/api/public/assemblies/${data.assembly.slug}/sortition`}>JSON</a>
            </p>
          </section>
        ))}
        <AuditHead t={t} head={signedHead(deps.db, auditSigner(deps.config.dataDir, deps.config))} />
        <p>
          <a href={`/p/${data.assembly.slug}/impact`}>{t('impact.public.link')}</a>
        </p>
        {publicOpenData(ctx(c), data.assembly.slug).published ? (
          <p data-testid="opendata-link">
            <a href={`/p/${data.assembly.slug}/opendata`}>{t('opendata.link')}</a>
          </p>
        ) : null}
      </>,
    );
  });

  return r;
}

/** The audit chain's latest signed head (src/platform/audit/head.ts), for anyone to save and check later. */
function AuditHead({ t, head }: { t: T; head: SignedHead }) {
  return (
    <section class="card" aria-labelledby="audit-head" data-audit-head>
      <h2 id="audit-head">{t('sortition.auditHead.title')}</h2>
      <p>{t('sortition.auditHead.intro')}</p>
      <dl>
        <dt>{t('sortition.auditHead.seq')}</dt>
        <dd data-seq>{head.seq}</dd>
        <dt>{t('sortition.auditHead.hash')}</dt>
        <dd>
          <code data-hash style="overflow-wrap:anywhere">{head.hash}</code>
        </dd>
        <dt>{t('sortition.auditHead.at')}</dt>
        <dd>{head.at ?? '—'}</dd>
        <dt>{t('sortition.auditHead.key')}</dt>
        <dd>
          <code>{head.keyId}</code>
        </dd>
        <dt>{t('sortition.auditHead.signature')}</dt>
        <dd>
          <code data-signature style="overflow-wrap:anywhere">{head.signature}</code>
        </dd>
      </dl>
      <p>
        <a href="/.well-known/plenary-audit-head">{t('sortition.auditHead.json')}</a> · <a href="/.well-known/plenary-audit-key">{t('sortition.auditHead.publicKey')}</a>
      </p>
    </section>
  );
}

function QuotaTable({ t, rows, editable }: { t: T; rows: { category: string; value: string; min: number; max: number; pool: number | null; panel: number | null }[]; editable?: boolean }) {
  return (
    <table data-quotas>
      <caption>{t('sortition.quotatable')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('sortition.category')}</th>
          <th scope="col">{t('sortition.value')}</th>
          <th scope="col">{t('sortition.min')}</th>
          <th scope="col">{t('sortition.max')}</th>
          <th scope="col">{t('sortition.inpool')}</th>
          <th scope="col">{t('sortition.onpanel')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((q, i) => (
          <tr>
            <td>{q.category}</td>
            <td>{q.value}</td>
            <td>
              {editable ? (
                <>
                  <label for={`min-${i}`} class="visually-hidden">{`${q.category} ${q.value} ${t('sortition.min')}`}</label>
                  <input id={`min-${i}`} name={`min-${i}`} type="number" min="0" value={String(q.min)} style="width:5rem" />
                </>
              ) : (
                q.min
              )}
            </td>
            <td>
              {editable ? (
                <>
                  <label for={`max-${i}`} class="visually-hidden">{`${q.category} ${q.value} ${t('sortition.max')}`}</label>
                  <input id={`max-${i}`} name={`max-${i}`} type="number" min="0" value={String(q.max)} style="width:5rem" />
                </>
              ) : (
                q.max
              )}
            </td>
            <td>{q.pool ?? '—'}</td>
            <td data-panel={q.panel ?? ''}>{q.panel ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
