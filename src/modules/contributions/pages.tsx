/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { raw } from 'hono/html';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { jobView } from '../../platform/jobs/types.js';
import { translator, type T } from '../../web/i18n.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { MAP_JOB, MAP_K_MAX, type TextMapPayload } from './domain.js';
import { uploadBytes } from './http.js';
import * as svc from './service.js';
import { renderTextMapSvg, styleOf, topClusters } from './svg.js';
import { formAll as form, JobsTable, many, one, page, reviewState } from '../../web/kit.js';
import { listPublications, pendingTranslations } from '../publications/service.js';
import { PublicationList } from '../publications/view.js';



function assemblyOr404(deps: Deps, id: string) {
  const a = assembliesRepo.byId(deps.db, id);
  if (!a) throw new AppError('NOT_FOUND', `Assembly '${id}' does not exist.`);
  return a;
}

const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

export function contributionPages(deps: Deps) {
  const r = new Hono<AppEnv>();

  // ---- facilitators: the text map ----
  r.get('/facilitate/:assemblyId/contributions', requireAction('contributions.read'), (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const a = assemblyOr404(deps, assemblyId);
    const ctx = ctxFor(deps, c.get('actor'));
    const topic = c.req.query('topic') ?? '';
    const list = svc.listContributions(ctx, assemblyId, { topic: topic || undefined, limit: 1 });
    const latest = svc.latestMap(ctx, deps.review, assemblyId, topic);
    const selected = c.req.query('cluster') ?? null;
    const jobs = deps.jobs.list({ assemblyId, type: MAP_JOB, limit: 5 }).map(jobView);
    const csrf = c.get('csrfToken') ?? '';
    const summaries = svc.approvedSummaries(ctx, assemblyId);
    const others = a.languages;
    return page(
      c,
      t('contrib.map.title'),
      <>
        <p>
          <a href={`/facilitate/${assemblyId}`}>{t('review.back')}</a>
        </p>
        <h1>
          {t('contrib.map.title')} — {a.title}
        </h1>
        <p data-testid="contribution-count">{t('contrib.count', { n: list.total })}</p>
        {list.topics.length > 1 ? (
          <nav aria-label={t('contrib.topics')}>
            <a href={`/facilitate/${assemblyId}/contributions`} aria-current={topic === '' ? 'page' : undefined}>
              {t('contrib.allTopics')}
            </a>
            {list.topics
              .filter((x) => x.topic)
              .map((x) => (
                <>
                  {' · '}
                  <a href={`/facilitate/${assemblyId}/contributions?topic=${encodeURIComponent(x.topic)}`} aria-current={topic === x.topic ? 'page' : undefined}>
                    {x.topic} ({x.n})
                  </a>
                </>
              ))}
          </nav>
        ) : null}
        <div class="grid">
          <section class="card" aria-labelledby="build-h">
            <h2 id="build-h">{t('contrib.build')}</h2>
            <form method="post" action={`/facilitate/${assemblyId}/contributions/map`}>
              <Csrf token={csrf} />
              <input type="hidden" name="topic" value={topic} />
              <label for="map-mode">{t('contrib.mode')}</label>
              <select id="map-mode" name="mode">
                <option value="auto">{t('contrib.mode.auto')}</option>
                <option value="semantic">{t('contrib.mode.semantic')}</option>
                <option value="lexical">{t('contrib.mode.lexical')}</option>
              </select>
              <label for="map-k">{t('contrib.k')}</label>
              <input id="map-k" name="k" type="number" min="1" max={MAP_K_MAX} step="1" inputmode="numeric" aria-describedby="map-k-help" />
              <p id="map-k-help" class="help">{t('contrib.k.help')}</p>
              <button type="submit">{t('contrib.build')}</button>
            </form>
            <JobsTable assemblyId={assemblyId} jobs={jobs} t={t} />
          </section>
          <section class="card" aria-labelledby="import-h">
            <h2 id="import-h">{t('contrib.import')}</h2>
            <form method="post" action={`/facilitate/${assemblyId}/contributions/imports`} enctype="multipart/form-data">
              <Csrf token={csrf} />
              <label for="imp-file">{t('contrib.file')}</label>
              <input id="imp-file" name="file" type="file" accept=".csv,.jsonl,.ndjson,text/csv" required />
              <label for="imp-format">{t('contrib.format')}</label>
              <select id="imp-format" name="format">
                <option value="csv">CSV</option>
                <option value="jsonl">JSONL</option>
                <option value="polis">Pol.is comments.csv</option>
              </select>
              <label for="imp-text">{t('contrib.textColumn')}</label>
              <input id="imp-text" name="textColumn" value="text" />
              <label for="imp-id">{t('contrib.idColumn')}</label>
              <input id="imp-id" name="idColumn" />
              <label for="imp-lang">{t('contrib.languageColumn')}</label>
              <input id="imp-lang" name="languageColumn" />
              <label for="imp-topic">{t('contrib.topic')}</label>
              <input id="imp-topic" name="topic" value={topic} />
              <button type="submit">{t('contrib.import')}</button>
            </form>
          </section>
        </div>
        {latest ? <MapSection t={t} map={latest.map} itemId={latest.item.id} status={latest.item.status} assemblyId={assemblyId} topic={topic} selected={selected} csrf={csrf} deps={deps} c={c} /> : <p data-testid="no-map">{t('contrib.noMap')}</p>}
        <section aria-labelledby="pub-h">
          <h2 id="pub-h">{t('contrib.published')}</h2>
          {summaries.length === 0 ? <p>{t('participant.none')}</p> : null}
          {summaries.map((p) => {
            const body = p.body as { sentences: Array<{ text: string; language?: string }> };
            return (
              <article class="card" lang={p.language} data-publication={p.id}>
                <h3>{p.title}</h3>
                {body.sentences.map((s) => (
                  <p lang={s.language ?? p.language}>{s.text}</p>
                ))}
                <form method="post" action={`/facilitate/${assemblyId}/summaries/${p.id}/translation`} lang={c.get('lang')}>
                  <Csrf token={csrf} />
                  <label for={`ht-lang-${p.id}`}>{t('contrib.human.language')}</label>
                  <select id={`ht-lang-${p.id}`} name="language">
                    {others
                      .filter((l) => l !== p.language)
                      .map((l) => (
                        <option value={l}>{l}</option>
                      ))}
                  </select>
                  <label for={`ht-title-${p.id}`}>{t('contrib.human.title')}</label>
                  <input id={`ht-title-${p.id}`} name="title" required />
                  <label for={`ht-text-${p.id}`}>{t('contrib.human.text')}</label>
                  <textarea id={`ht-text-${p.id}`} name="text" required aria-describedby={`ht-help-${p.id}`}></textarea>
                  <p id={`ht-help-${p.id}`} class="cite">
                    {t('contrib.human.help', { n: body.sentences.length })}
                  </p>
                  <button type="submit" class="secondary">
                    {t('contrib.human.publish')}
                  </button>
                </form>
              </article>
            );
          })}
        </section>
        <script src="/static/jobs.js" defer></script>
      </>,
    );
  });

  r.post('/facilitate/:assemblyId/contributions/map', requireAction('contributions.manage'), async (c) => {
    const f = await form(c);
    const assemblyId = c.req.param('assemblyId');
    const mode = one(f.mode);
    const topic = one(f.topic);
    const kRaw = one(f.k).trim();
    const k = /^\d+$/.test(kRaw) && Number(kRaw) >= 1 && Number(kRaw) <= MAP_K_MAX ? Number(kRaw) : undefined;
    svc.requestMap(ctxFor(deps, c.get('actor')), deps.jobs, assemblyId, { topic, mode: mode === 'semantic' || mode === 'lexical' ? mode : 'auto', ...(k ? { k } : {}) });
    return c.redirect(`/facilitate/${assemblyId}/contributions${topic ? `?topic=${encodeURIComponent(topic)}` : ''}`, 303);
  });

  r.post('/facilitate/:assemblyId/contributions/imports', requireAction('contributions.manage'), async (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const { bytes, filename, fields } = await uploadBytes(c);
    const format = fields.format === 'jsonl' || fields.format === 'polis' ? fields.format : 'csv';
    const res = svc.importContributions(ctxFor(deps, c.get('actor')), deps.jobs, assemblyId, {
      format,
      content: bytes,
      filename,
      topic: fields.topic,
      columns: { text: fields.textColumn ?? '', id: fields.idColumn || undefined, author: fields.authorColumn || undefined, language: fields.languageColumn || undefined },
    });
    return page(
      c,
      t('contrib.import'),
      <>
        <h1>{t('contrib.import')}</h1>
        <p role="status" class="ok">
          {t('contrib.imported', { n: res.imported, d: res.duplicates })}
        </p>
        {res.attribution ? <p class="cite">{res.attribution}</p> : null}
        <p>
          <a href={`/facilitate/${assemblyId}/contributions`}>{t('contrib.map.title')}</a>
        </p>
      </>,
      201,
    );
  });

  r.post('/facilitate/:assemblyId/text-maps/:itemId/:op', requireAction('review.decide'), async (c) => {
    const { assemblyId, itemId, op } = c.req.param();
    const f = await form(c);
    const ctx = ctxFor(deps, c.get('actor'));
    let input: svc.MapRevisionInput;
    if (op === 'rename') input = { op, clusterId: one(f.clusterId), label: one(f.label) };
    else if (op === 'merge') input = { op, clusterIds: [one(f.clusterId), ...many(f.with)], label: one(f.label) || undefined };
    else if (op === 'split') input = { op, clusterId: one(f.clusterId) };
    else throw new AppError('NOT_FOUND', `Unknown map revision '${op}'.`);
    const res = await svc.reviseMap(ctx, deps, assemblyId, itemId, input);
    const topic = (res.item.payload as TextMapPayload).topic;
    const q = new URLSearchParams();
    if (topic) q.set('topic', topic);
    return c.redirect(`/facilitate/${assemblyId}/contributions${q.size ? `?${q}` : ''}`, 303);
  });

  r.post('/facilitate/:assemblyId/summaries/:publicationId/translation', requireAction('contributions.manage'), async (c) => {
    const { assemblyId, publicationId } = c.req.param();
    const f = await form(c);
    svc.publishHumanTranslation(ctxFor(deps, c.get('actor')), assemblyId, publicationId, { language: one(f.language), title: one(f.title), sentences: one(f.text).split(/\r?\n/) });
    return c.redirect(`/facilitate/${assemblyId}/contributions`, 303);
  });

  // ---- participants ----
  const contributeForm = (c: Context<AppEnv>, assemblyId: string, opts: { error?: string; text?: string; sent?: boolean } = {}, status = 200) => {
    const t = translator(c.get('lang'));
    const a = assemblyOr404(deps, assemblyId);
    const mine = svc.myContributions(ctxFor(deps, c.get('actor')), assemblyId);
    return page(
      c,
      t('contrib.form.title'),
      <>
        <h1>{t('contrib.form.title')}</h1>
        {a.question ? <p class="question">{a.question}</p> : null}
        {opts.sent ? (
          <p role="status" class="ok">
            {t('contrib.form.thanks')}
          </p>
        ) : null}
        {opts.error ? (
          <p role="alert" class="error" id="contrib-error">
            {opts.error}
          </p>
        ) : null}
        <form method="post" action={`/a/${assemblyId}/contribute`}>
          <Csrf token={c.get('csrfToken') ?? ''} />
          <label for="contrib-text">{t('contrib.form.label')}</label>
          <p id="contrib-help" class="cite">
            {t('contrib.form.help')}
          </p>
          <textarea id="contrib-text" name="text" required maxlength={5000} aria-describedby={opts.error ? 'contrib-help contrib-error' : 'contrib-help'}>
            {opts.text ?? ''}
          </textarea>
          <button type="submit">{t('contrib.form.submit')}</button>
        </form>
        {mine.length ? (
          <section aria-labelledby="mine-h">
            <h2 id="mine-h">{t('contrib.form.mine')}</h2>
            <ul>
              {mine.map((m) => (
                <li lang={m.language ?? undefined}>{m.text}</li>
              ))}
            </ul>
          </section>
        ) : null}
        <p>
          <a href={`/a/${assemblyId}/summaries`}>{t('contrib.summaries.title')}</a>
        </p>
      </>,
      status,
    );
  };

  r.get('/a/:assemblyId/contribute', requireAction('participant.read'), (c) => contributeForm(c, c.req.param('assemblyId'), { sent: c.req.query('sent') === '1' }));

  r.post('/a/:assemblyId/contribute', requireAction('participant.write'), async (c) => {
    const assemblyId = c.req.param('assemblyId');
    const f = await form(c);
    try {
      await svc.submitContribution(ctxFor(deps, c.get('actor'), c.get('logger')), deps.models, assemblyId, { text: one(f.text) });
    } catch (e) {
      if (e instanceof AppError && e.status < 500 && e.code !== 'NOT_FOUND') return contributeForm(c, assemblyId, { error: e.detail, text: one(f.text).slice(0, 5000) }, e.status);
      throw e;
    }
    return c.redirect(`/a/${assemblyId}/contribute?sent=1`, 303);
  });

  r.get('/a/:assemblyId/summaries', requireAction('participant.read'), (c) => {
    const lang = c.get('lang');
    const t = translator(lang);
    const assemblyId = c.req.param('assemblyId');
    const a = assemblyOr404(deps, assemblyId);
    const ctx = ctxFor(deps, c.get('actor'));
    // the same query as the assembly's home page: everything published, in the reader's language
    const pubs = listPublications(ctx, assemblyId, lang, { pending: pendingTranslations(ctx, deps.review, deps.jobs, assemblyId, lang) });
    const consensus = svc.participantConsensus(ctx, assemblyId);
    const other = lang === 'fr' ? 'en' : 'fr';
    return page(
      c,
      t('contrib.summaries.title'),
      <>
        <h1>{t('contrib.summaries.title')}</h1>
        <p>
          {a.title} ·{' '}
          <a href={`/a/${assemblyId}/summaries?lang=${other}`} hreflang={other} lang={other}>
            {other === 'fr' ? 'Lire en français' : 'Read in English'}
          </a>
        </p>
        {pubs.length === 0 ? <p data-testid="no-summaries">{t('participant.none')}</p> : null}
        <PublicationList pubs={pubs} t={t} lang={lang} />
        {consensus.length ? (
          <section aria-labelledby="common-h">
            <h2 id="common-h">{t('contrib.consensus')}</h2>
            <ul>
              {consensus.map((x) => (
                <li lang={x.language}>{x.text}</li>
              ))}
            </ul>
          </section>
        ) : null}
        <p>
          <a href={`/a/${assemblyId}/contribute`}>{t('contrib.form.title')}</a>
        </p>
      </>,
    );
  });

  return r;
}

function MapSection(p: { t: T; map: TextMapPayload; itemId: string; status: string; assemblyId: string; topic: string; selected: string | null; csrf: string; deps: Deps; c: Context<AppEnv> }) {
  const { t, map, assemblyId } = p;
  const tops = topClusters(map);
  const sel = tops.find((c) => c.id === p.selected) ?? null;
  const svg = renderTextMapSvg(map, {
    selected: sel?.id ?? null,
    strings: {
      title: t('contrib.svg.title'),
      summary: (n, k) => t('contrib.svg.summary', { n, k }),
      cluster: (num, label, size) => t('contrib.svg.cluster', { num, label, size }),
    },
  });
  const href = (id: string) => `/facilitate/${assemblyId}/contributions?${new URLSearchParams({ ...(p.topic ? { topic: p.topic } : {}), cluster: id })}#cluster-h`;
  const ctx = ctxFor(p.deps, p.c.get('actor'));
  const base = `/facilitate/${assemblyId}/text-maps/${p.itemId}`;
  return (
    <section aria-labelledby="map-h">
      <h2 id="map-h">{t('contrib.map.heading')}</h2>
      <p>
        {t('review.status')}: <strong data-map-status={p.status}>{reviewState(t, p.status)}</strong> · {t('contrib.mode')}: {t(`contrib.mode.${map.mode}`)} ·{' '}
        <a href={`/facilitate/${assemblyId}/review/${p.itemId}`}>{t('contrib.map.review')}</a>
      </p>
      <figure class="card">{raw(svg)}</figure>
      <table>
        <caption>{t('contrib.clusters')}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('contrib.label')}</th>
            <th scope="col">{t('contrib.size')}</th>
            <th scope="col">{t('contrib.keywords')}</th>
          </tr>
        </thead>
        <tbody>
          {tops.map((c, i) => (
            <tr data-cluster-row={c.id}>
              <td>
                <span aria-hidden="true" style={`color:${styleOf(i).colour}`}>
                  ■
                </span>{' '}
                {i + 1}
              </td>
              <td>
                <a href={href(c.id)} aria-current={sel?.id === c.id ? 'true' : undefined}>
                  {c.label}
                </a>
              </td>
              <td>{c.size}</td>
              <td class="cite">{c.keywords.slice(0, 6).map((k) => k.term).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {map.apart.length ? <ApartList t={t} map={map} ctx={ctx} /> : null}
      {sel ? <ClusterDetail {...p} cluster={sel} tops={tops} base={base} ctx={ctx} /> : null}
    </section>
  );
}

/** Contributions in languages the assembly does not work in: kept and listed here, never machine-translated. */
function ApartList(p: { t: T; map: TextMapPayload; ctx: ReturnType<typeof ctxFor> }) {
  const { t, map } = p;
  const rows = new Map(svc.contributionsByIds(p.ctx, map.apart.slice(0, 200).map((a) => a.id)).map((r) => [r.id, r]));
  const langs = [...new Set(map.apart.map((a) => a.lang))].sort();
  return (
    <section aria-labelledby="apart-h" data-apart={map.apart.length}>
      <h3 id="apart-h">{t('contrib.apart.heading', { n: map.apart.length })}</h3>
      <p>{t('contrib.apart.help', { langs: langs.join(', ') })}</p>
      <ul>
        {map.apart.slice(0, 200).map((a) => (
          <li data-apart-contribution={a.id} lang={a.lang}>
            {rows.get(a.id)?.text ?? a.id}{' '}
            <span class="cite">
              [{a.lang} · {a.flags.join(', ')}
              {a.duplicateOf ? ` · ${t('contrib.duplicateOf', { id: a.duplicateOf })}` : ''}]
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ClusterDetail(p: { t: T; map: TextMapPayload; cluster: TextMapPayload['clusters'][number]; tops: TextMapPayload['clusters']; base: string; csrf: string; assemblyId: string; topic: string; deps: Deps; ctx: ReturnType<typeof ctxFor> }) {
  const { t, cluster: c } = p;
  const summary = svc.clusterSummary(p.ctx, p.deps.review, p.assemblyId, p.topic, c.id);
  const sPayload = summary ? ((summary.editedPayload ?? summary.payload) as { sentences: Array<{ text: string; sourceIds: string[] }> }) : null;
  const rows = svc.contributionsByIds(p.ctx, c.memberIds.slice(0, 200));
  const subs = p.map.clusters.filter((x) => x.parentId === c.id);
  return (
    <section aria-labelledby="cluster-h" class="card" data-selected-cluster={c.id}>
      <h3 id="cluster-h">{c.label}</h3>
      <p>
        {t('contrib.keywords')}: {c.keywords.map((k) => k.term).join(', ')}
      </p>
      {c.sentiment ? <p>{t('contrib.sentiment', { pos: c.sentiment.positive, neu: c.sentiment.neutral, neg: c.sentiment.negative })}</p> : null}
      {c.stance ? <p>{t('contrib.stance')}: {Object.entries(c.stance.counts).map(([k, v]) => `${k} ${v}`).join(' · ')}</p> : null}
      {subs.length ? (
        <p>
          {t('contrib.subtopics')}: {subs.map((s) => `${s.label} (${s.size})`).join('; ')}
        </p>
      ) : null}
      <h4>{t('contrib.summary')}</h4>
      {summary && sPayload ? (
        <>
          <p>
            {t('review.status')}: <strong>{reviewState(t, summary.status)}</strong> · <a href={`/facilitate/${p.assemblyId}/review/${summary.id}`}>{t('contrib.summary.review')}</a>
          </p>
          <ol>
            {sPayload.sentences.map((s) => (
              <li>
                {s.text} <span class="cite">[{s.sourceIds.join(', ')}]</span>
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p>{t('contrib.summary.none')}</p>
      )}
      <div class="grid">
        <form method="post" action={`${p.base}/rename`}>
          <Csrf token={p.csrf} />
          <input type="hidden" name="clusterId" value={c.id} />
          <label for="rename-label">{t('contrib.rename')}</label>
          <input id="rename-label" name="label" value={c.label} required maxlength={200} />
          <button type="submit" class="secondary">
            {t('contrib.rename')}
          </button>
        </form>
        {p.tops.length > 1 ? (
          <form method="post" action={`${p.base}/merge`}>
            <Csrf token={p.csrf} />
            <input type="hidden" name="clusterId" value={c.id} />
            <label for="merge-with">{t('contrib.mergeWith')}</label>
            <select id="merge-with" name="with">
              {p.tops
                .filter((x) => x.id !== c.id)
                .map((x) => (
                  <option value={x.id}>{x.label}</option>
                ))}
            </select>
            <button type="submit" class="secondary">
              {t('contrib.merge')}
            </button>
          </form>
        ) : null}
        <form method="post" action={`${p.base}/split`}>
          <Csrf token={p.csrf} />
          <input type="hidden" name="clusterId" value={c.id} />
          <p class="cite">{t('contrib.splitHelp')}</p>
          <button type="submit" class="secondary">
            {t('contrib.split')}
          </button>
        </form>
      </div>
      <h4>{t('contrib.members', { n: c.size })}</h4>
      <ul data-members>
        {rows.map((r) => (
          <li lang={r.language ?? undefined} data-contribution={r.id}>
            {r.text}{' '}
            <span class="cite">
              [{r.id}
              {r.language ? ` · ${r.language}` : ''}
              {r.duplicateOf ? ` · ${t('contrib.duplicateOf', { id: r.duplicateOf })}` : ''}
              {r.flags.length ? ` · ${r.flags.join(', ')}` : ''}]
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
