/** @jsxImportSource hono/jsx */
import { readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import { raw } from 'hono/html';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { jobView } from '../../platform/jobs/types.js';
import { translator, type T } from '../../web/i18n.js';
import { OPINION_MAP_KIND, RECOMPUTE_JOB, type OpinionMapPayload } from './domain.js';
import { importPolis } from './polis.js';
import * as svc from './service.js';
import { mapStrings } from './strings.js';
import { renderMapSvg, GROUP_COLOURS } from './svg.js';
import { Csrf, form, page, JobsTable } from '../../web/kit.js';

const SCRIPT = readFileSync(new URL('./static/conversations.js', import.meta.url), 'utf8');




/** Per-group tables of representative statements, and the consensus tables. */
export function MapTables({ map, t }: { map: OpinionMapPayload; t: T }) {
  const pct = (p: number) => `${Math.round(p * 100)} %`;
  return (
    <>
      {map.groups.map((g, gi) => (
        <section class="card" aria-labelledby={`grp-${g.id}`} data-group={g.id}>
          <h3 id={`grp-${g.id}`} style={`border-left:6px solid ${GROUP_COLOURS[gi % GROUP_COLOURS.length]};padding-left:.5rem`}>
            {t('conv.representative', { label: g.label })} ({t('conv.map.group', { label: g.label, n: g.size })})
          </h3>
          {g.description ? <p data-group-description>{g.description}</p> : null}
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('conv.statement')}</th>
                <th scope="col">{t('conv.share')}</th>
              </tr>
            </thead>
            <tbody>
              {g.representative.map((r) => (
                <tr>
                  <td>{r.tid}</td>
                  <td>{r.text}</td>
                  <td>
                    {pct(r.pSuccess)} {t(`conv.direction.${r.direction}`)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      <section class="card" aria-labelledby="consensus-h">
        <h3 id="consensus-h">{t('conv.consensus')}</h3>
        {(['agree', 'disagree'] as const).map((side) =>
          map.consensus[side].length ? (
            <>
              <h4>{t(`conv.consensus.${side}`)}</h4>
              <ul>
                {map.consensus[side].map((s) => (
                  <li data-consensus={s.statementId}>
                    #{s.tid} {s.text} <span class="cite">({pct(s.pSuccess)})</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null,
        )}
        <h4>{t('conv.gic')}</h4>
        <ul>
          {map.groupInformedConsensus.map((s) => (
            <li>
              #{s.tid} {s.text}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

export function conversationPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'));

  r.get('/assets/conversations.js', requireAction('public.read'), (c) => c.body(SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' }));

  // ---------- facilitators ----------
  r.get('/facilitate/:assemblyId/conversations', requireAction('review.read'), (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const list = svc.listConversations(ctx(c), assemblyId);
    return page(
      c,
      t('conv.title'),
      <>
        <p>
          <a href={`/facilitate/${assemblyId}`}>{t('review.back')}</a>
        </p>
        <h1>{t('conv.title')}</h1>
        {list.length === 0 ? <p>{t('conv.none')}</p> : null}
        <ul>
          {list.map((cv) => (
            <li>
              <a href={`/facilitate/${assemblyId}/conversations/${cv.id}`}>{cv.topic}</a> — {cv.statements.accepted} {t('conv.statements')}, {cv.statements.pending} ({t('conv.queue')}), {cv.voteEvents} {t('conv.votes')}
            </li>
          ))}
        </ul>
        <section class="card" aria-labelledby="new-conv">
          <h2 id="new-conv">{t('conv.create')}</h2>
          <form method="post" action={`/facilitate/${assemblyId}/conversations`}>
            <Csrf c={c} />
            <label for="topic">{t('conv.topic')}</label>
            <input id="topic" name="topic" required minlength={3} maxlength={200} />
            <label for="description">{t('conv.description')}</label>
            <textarea id="description" name="description" style="min-height:4rem"></textarea>
            <ModerationSelect t={t} value="pre" />
            <button type="submit">{t('conv.create')}</button>
          </form>
        </section>
      </>,
    );
  });

  r.post('/facilitate/:assemblyId/conversations', requireAction('assembly.manage'), async (c) => {
    const f = await form(c);
    const assemblyId = c.req.param('assemblyId');
    const topic = (f.topic ?? '').trim();
    if (topic.length < 3) throw new AppError('VALIDATION', 'A conversation needs a topic of at least 3 characters.', { errors: [{ path: 'topic', message: 'Too short' }] });
    const cv = svc.createConversation(ctx(c), assemblyId, { topic, description: f.description?.trim() ?? '', moderation: f.moderation === 'post' ? 'post' : 'pre' });
    return c.redirect(`/facilitate/${assemblyId}/conversations/${cv.id}`, 303);
  });

  r.get('/facilitate/:assemblyId/conversations/:conversationId', requireAction('review.read'), (c) => {
    const t = translator(c.get('lang'));
    const { assemblyId, conversationId } = c.req.param();
    const cv = svc.getConversation(ctx(c), assemblyId, conversationId);
    const all = svc.listStatements(ctx(c), assemblyId, conversationId);
    const pending = all.filter((s) => s.status === 'pending');
    const jobs = deps.jobs
      .list({ assemblyId, type: RECOMPUTE_JOB, limit: 50 })
      .filter((j) => (j.payload as { conversationId?: string }).conversationId === conversationId)
      .slice(0, 10)
      .map(jobView);
    const maps = deps.review.list(deps.db, { assemblyId, kind: OPINION_MAP_KIND, status: ['pending'] }).filter((i) => i.subject === `conversation:${conversationId}`);
    const base = `/facilitate/${assemblyId}/conversations/${conversationId}`;
    const ModForm = ({ id, status, isMeta, label, cls }: { id: number; status?: string; isMeta?: boolean; label: string; cls?: string }) => (
      <form method="post" action={`${base}/statements/${id}/moderate`} style="display:inline;margin-right:.5rem">
        <Csrf c={c} />
        {status ? <input type="hidden" name="status" value={status} /> : null}
        {isMeta !== undefined ? <input type="hidden" name="isMeta" value={String(isMeta)} /> : null}
        <button type="submit" class={cls} aria-label={`${label}: #${id}`}>
          {label}
        </button>
      </form>
    );
    return page(
      c,
      cv.topic,
      <>
        <p>
          <a href={`/facilitate/${assemblyId}/conversations`}>{t('conv.title')}</a>
        </p>
        <h1>{cv.topic}</h1>
        {cv.description ? <p>{cv.description}</p> : null}
        {cv.attribution ? (
          <p class="cite" data-attribution>
            {t('conv.attribution')}: {cv.attribution.text} ({cv.attribution.license}){cv.attribution.source ? ` — ${cv.attribution.source}` : ''}
          </p>
        ) : null}
        <ul class="counts">
          <li>
            <strong>{cv.statements.accepted}</strong> {t('conv.statements')}
          </li>
          <li>
            <strong data-count="pending">{cv.statements.pending}</strong> {t('conv.queue')}
          </li>
          <li>
            <strong>{cv.voteEvents}</strong> {t('conv.votes')}
          </li>
        </ul>
        <section aria-labelledby="queue-h">
          <h2 id="queue-h">{t('conv.queue')}</h2>
          {pending.length === 0 ? <p>{t('conv.queue.empty')}</p> : null}
          <ul>
            {pending.map((s) => (
              <li data-statement={s.id}>
                <p>
                  #{s.tid} {s.text} <span class="cite">— {s.author ?? t('conv.facilitator')}</span>
                </p>
                <ModForm id={s.id} status="accepted" label={t('conv.accept')} />
                <ModForm id={s.id} status="rejected" label={t('conv.reject')} cls="danger" />
                <ModForm id={s.id} status="accepted" isMeta={true} label={t('conv.meta')} cls="secondary" />
              </li>
            ))}
          </ul>
          <p class="cite">{t('conv.metaHelp')}</p>
        </section>
        <section aria-labelledby="map-h" class="card">
          <h2 id="map-h">{t('conv.recompute')}</h2>
          <p>{t('conv.recomputeHelp')}</p>
          <form method="post" action={`${base}/recompute`}>
            <Csrf c={c} />
            <button type="submit">{t('conv.recompute')}</button>
          </form>
          <h3>{t('conv.jobs')}</h3>
          <JobsTable assemblyId={assemblyId} jobs={jobs} t={t} />
          <h3>{t('conv.review')}</h3>
          {maps.length === 0 ? <p>{t('conv.review.none')}</p> : null}
          <ul>
            {maps.map((m) => (
              <li>
                <a href={`${base}/maps/${m.id}`} data-map-item={m.id}>
                  {m.title}
                </a>{' '}
                · <a href={`/facilitate/${assemblyId}/review/${m.id}`}>{t('dash.open')}</a>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="all-h">
          <h2 id="all-h">{t('conv.statements')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('conv.statement')}</th>
                <th scope="col">{t('conv.status')}</th>
                <th scope="col">{t('conv.votes')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('conv.moderation')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {all.map((s) => (
                <tr>
                  <td>{s.tid}</td>
                  <td>{s.text}</td>
                  <td>
                    {s.status}
                    {s.isMeta ? ' · meta' : ''}
                  </td>
                  <td>
                    {s.votes.agree} / {s.votes.disagree} / {s.votes.pass}
                  </td>
                  <td>
                    {s.status !== 'rejected' ? <ModForm id={s.id} status="rejected" label={t('conv.reject')} cls="danger" /> : <ModForm id={s.id} status="accepted" label={t('conv.accept')} />}
                    <ModForm id={s.id} isMeta={!s.isMeta} label={s.isMeta ? t('conv.unmeta') : t('conv.meta')} cls="secondary" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <div class="grid">
          <section class="card" aria-labelledby="seed-h">
            <h2 id="seed-h">{t('conv.seed')}</h2>
            <form method="post" action={`${base}/seed`}>
              <Csrf c={c} />
              <label for="seed-text">{t('conv.statement')}</label>
              <textarea id="seed-text" name="text" required maxlength={400} style="min-height:4rem"></textarea>
              <button type="submit">{t('conv.seed')}</button>
            </form>
          </section>
          <section class="card" aria-labelledby="settings-h">
            <h2 id="settings-h">{t('conv.save')}</h2>
            <form method="post" action={`${base}/settings`}>
              <Csrf c={c} />
              <ModerationSelect t={t} value={cv.moderation} />
              <label for="every">{t('conv.recomputeEvery')}</label>
              <input id="every" name="recomputeEvery" type="number" min="0" max="100000" value={String(cv.recomputeEvery)} />
              <button type="submit">{t('conv.save')}</button>
            </form>
          </section>
          <section class="card" aria-labelledby="import-h">
            <h2 id="import-h">{t('conv.import')}</h2>
            <form method="post" action={`${base}/imports`} enctype="multipart/form-data">
              <Csrf c={c} />
              <label for="f-comments">comments.csv</label>
              <input id="f-comments" name="comments.csv" type="file" accept=".csv,text/csv" />
              <label for="f-votes">votes.csv</label>
              <input id="f-votes" name="votes.csv" type="file" accept=".csv,text/csv" />
              <label for="f-pv">participants-votes.csv</label>
              <input id="f-pv" name="participants-votes.csv" type="file" accept=".csv,text/csv" />
              <label for="f-source">Source (URL)</label>
              <input id="f-source" name="source" />
              <button type="submit">{t('conv.import')}</button>
            </form>
            <h3>{t('conv.export')}</h3>
            <ul>
              {['comments.csv', 'votes.csv', 'participants-votes.csv'].map((f) => (
                <li>
                  <a href={`/api/assemblies/${assemblyId}/conversations/${conversationId}/export/${f}`}>{f}</a>
                </li>
              ))}
            </ul>
          </section>
        </div>
        <script src="/static/jobs.js" defer></script>
      </>,
    );
  });

  r.post('/facilitate/:assemblyId/conversations/:conversationId/settings', requireAction('assembly.manage'), async (c) => {
    const f = await form(c);
    const { assemblyId, conversationId } = c.req.param();
    const every = Number(f.recomputeEvery);
    svc.updateConversation(ctx(c), assemblyId, conversationId, {
      moderation: f.moderation === 'post' ? 'post' : f.moderation === 'pre' ? 'pre' : undefined,
      recomputeEvery: Number.isInteger(every) && every >= 0 && every <= 100_000 ? every : undefined,
    });
    return c.redirect(`/facilitate/${assemblyId}/conversations/${conversationId}`, 303);
  });

  r.post('/facilitate/:assemblyId/conversations/:conversationId/seed', requireAction('assembly.manage'), async (c) => {
    const f = await form(c);
    const { assemblyId, conversationId } = c.req.param();
    svc.seedStatement(ctx(c), assemblyId, conversationId, { text: f.text ?? '' });
    return c.redirect(`/facilitate/${assemblyId}/conversations/${conversationId}`, 303);
  });

  r.post('/facilitate/:assemblyId/conversations/:conversationId/statements/:statementId/moderate', requireAction('assembly.manage'), async (c) => {
    const f = await form(c);
    const { assemblyId, conversationId, statementId } = c.req.param();
    const status = f.status === 'accepted' || f.status === 'rejected' || f.status === 'pending' ? f.status : undefined;
    const isMeta = f.isMeta === 'true' ? true : f.isMeta === 'false' ? false : undefined;
    svc.moderateStatement(ctx(c), assemblyId, conversationId, Number(statementId), { status, isMeta });
    return c.redirect(`/facilitate/${assemblyId}/conversations/${conversationId}`, 303);
  });

  r.post('/facilitate/:assemblyId/conversations/:conversationId/recompute', requireAction('jobs.run'), (c) => {
    const { assemblyId, conversationId } = c.req.param();
    svc.requestRecompute(ctx(c), deps.jobs, assemblyId, conversationId);
    return c.redirect(`/facilitate/${assemblyId}/conversations/${conversationId}`, 303);
  });

  r.post('/facilitate/:assemblyId/conversations/:conversationId/imports', requireAction('assembly.manage'), async (c) => {
    const { assemblyId, conversationId } = c.req.param();
    const b = await c.req.parseBody();
    const text = async (k: string) => (b[k] instanceof File && (b[k] as File).size > 0 ? await (b[k] as File).text() : undefined);
    await importPolis(ctx(c), assemblyId, conversationId, {
      comments: await text('comments.csv'), votes: await text('votes.csv'), participantsVotes: await text('participants-votes.csv'),
      source: typeof b.source === 'string' && b.source ? b.source : null,
    });
    return c.redirect(`/facilitate/${assemblyId}/conversations/${conversationId}`, 303);
  });

  r.get('/facilitate/:assemblyId/conversations/:conversationId/maps/:itemId', requireAction('review.read'), (c) => {
    const t = translator(c.get('lang'));
    const { assemblyId, conversationId, itemId } = c.req.param();
    svc.conversationOf(ctx(c), assemblyId, conversationId);
    const item = deps.review.get(deps.db, itemId, assemblyId);
    if (item.kind !== OPINION_MAP_KIND || item.subject !== `conversation:${conversationId}`) throw new AppError('NOT_FOUND', `Review item '${itemId}' is not an opinion map of this conversation.`);
    const map = (item.editedPayload ?? item.payload) as OpinionMapPayload;
    const svg = renderMapSvg(map, { strings: mapStrings(t, map.topic), idPrefix: 'draft-map' });
    return page(
      c,
      item.title,
      <>
        <p>
          <a href={`/facilitate/${assemblyId}/conversations/${conversationId}`}>{t('review.back')}</a> · <a href={`/facilitate/${assemblyId}/review/${itemId}`}>{t('review.provenance')}</a>
        </p>
        <h1>{item.title}</h1>
        <p>
          {t('review.status')}: <strong data-status>{item.status}</strong>
        </p>
        <figure>{raw(svg)}</figure>
        {item.status === 'pending' ? (
          <form method="post" action={`/facilitate/${assemblyId}/conversations/${conversationId}/maps/${itemId}/labels`} class="card">
            <Csrf c={c} />
            {map.groups.map((g) => (
              <>
                <label for={`label-${g.id}`}>{t('conv.label', { id: g.id })}</label>
                <input id={`label-${g.id}`} name={`label-${g.id}`} value={g.label} maxlength={80} required />
              </>
            ))}
            <button type="submit">{t('conv.labels')}</button>
          </form>
        ) : null}
        <MapTables map={map} t={t} />
      </>,
    );
  });

  r.post('/facilitate/:assemblyId/conversations/:conversationId/maps/:itemId/labels', requireAction('review.decide'), async (c) => {
    const f = await form(c);
    const { assemblyId, conversationId, itemId } = c.req.param();
    svc.conversationOf(ctx(c), assemblyId, conversationId);
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(f)) if (k.startsWith('label-') && v.trim()) labels[k.slice(6)] = v.trim().slice(0, 80);
    svc.labelGroups(ctx(c), deps.review, assemblyId, itemId, labels);
    return c.redirect(`/facilitate/${assemblyId}/conversations/${conversationId}`, 303);
  });

  // ---------- participants ----------
  r.get('/a/:assemblyId/conversations', requireAction('participant.read'), (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const list = svc.listConversations(ctx(c), assemblyId).filter((cv) => cv.status === 'open');
    return page(
      c,
      t('conv.title'),
      <>
        <h1>{t('conv.title')}</h1>
        {list.length === 0 ? <p>{t('conv.none')}</p> : null}
        <ul>
          {list.map((cv) => (
            <li>
              <a href={`/a/${assemblyId}/conversations/${cv.id}`}>{cv.topic}</a>
            </li>
          ))}
        </ul>
      </>,
    );
  });

  r.get('/a/:assemblyId/conversations/:conversationId', requireAction('participant.read'), (c) => {
    const t = translator(c.get('lang'));
    const { assemblyId, conversationId } = c.req.param();
    const cv = svc.getConversation(ctx(c), assemblyId, conversationId);
    const next = svc.nextStatement(ctx(c), assemblyId, conversationId);
    const mine = svc.myActivity(ctx(c), assemblyId, conversationId);
    let published: svc.PublishedMapView | null = null;
    try {
      published = svc.publishedMap(ctx(c), assemblyId, conversationId);
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'NOT_FOUND')) throw e;
    }
    const base = `/a/${assemblyId}/conversations/${conversationId}`;
    const flash = c.req.query('done');
    const canWrite = c.get('actor').kind === 'user' && (c.get('actor') as { role: string }).role === 'participant';
    const youGroup = published && published.youGroup !== null ? published.map.groups.find((g) => g.id === published!.youGroup) : undefined;
    return page(
      c,
      cv.topic,
      <>
        <p>
          <a href={`/a/${assemblyId}/conversations`}>{t('conv.title')}</a>
        </p>
        <h1>{cv.topic}</h1>
        {cv.description ? <p>{cv.description}</p> : null}
        {flash === 'vote' ? <p class="ok" role="status">{t('conv.thanks')}</p> : null}
        {flash === 'pending' ? <p class="ok" role="status">{t('conv.pending')}</p> : null}
        <section class="card" aria-labelledby="vote-h">
          <h2 id="vote-h">{t('conv.vote.title')}</h2>
          {next.statement ? (
            <form method="post" action={`${base}/vote`} data-statement={next.statement.id}>
              <Csrf c={c} />
              <input type="hidden" name="statementId" value={String(next.statement.id)} />
              <blockquote style="font-size:1.25rem;margin:1rem 0" id="current-statement">
                {next.statement.text}
              </blockquote>
              <div role="group" aria-labelledby="current-statement">
                <button type="submit" name="vote" value="1">
                  {t('conv.agree')}
                </button>{' '}
                <button type="submit" name="vote" value="-1" class="danger">
                  {t('conv.disagree')}
                </button>{' '}
                <button type="submit" name="vote" value="0" class="secondary">
                  {t('conv.pass')}
                </button>
              </div>
              <p class="cite">{t('conv.remaining', { n: next.remaining })}</p>
            </form>
          ) : (
            <p data-testid="all-voted">{t('conv.done')}</p>
          )}
        </section>
        {canWrite && cv.status === 'open' ? (
          <section class="card" aria-labelledby="write-h">
            <h2 id="write-h">{t('conv.write')}</h2>
            <form method="post" action={`${base}/statements`} data-similar={`/api/assemblies/${assemblyId}/conversations/${conversationId}/similar`} data-similar-label={t('conv.similar')}>
              <Csrf c={c} />
              <label for="statement-text">{t('conv.statement')}</label>
              <p id="statement-help" class="cite">
                {t('conv.writeHelp')}
              </p>
              <textarea id="statement-text" name="text" required minlength={3} maxlength={400} aria-describedby="statement-help similar-list" style="min-height:4rem"></textarea>
              <div id="similar-list" aria-live="polite"></div>
              <button type="submit">{t('conv.submit')}</button>
            </form>
          </section>
        ) : null}
        {mine.statements.length ? (
          <section aria-labelledby="mine-h">
            <h2 id="mine-h">{t('conv.yours')}</h2>
            <ul>
              {mine.statements.map((s) => (
                <li>
                  {s.text} <span class="badge">{s.status}</span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section aria-labelledby="pub-h">
          <h2 id="pub-h">{t('conv.published')}</h2>
          {published ? (
            <>
              {youGroup ? <p data-you-group={youGroup.id}>{t('conv.youIn', { label: youGroup.label })}</p> : null}
              <figure>{raw(renderMapSvg(published.map, { strings: mapStrings(t, published.map.topic), highlight: published.you }))}</figure>
              <MapTables map={published.map} t={t} />
            </>
          ) : (
            <p data-testid="no-map">{t('conv.notPublished')}</p>
          )}
        </section>
        {cv.attribution ? (
          <p class="cite" data-attribution>
            {t('conv.attribution')}: {cv.attribution.text} ({cv.attribution.license}){cv.attribution.source ? ` — ${cv.attribution.source}` : ''}
          </p>
        ) : null}
        <script src="/assets/conversations.js" defer></script>
      </>,
    );
  });

  r.post('/a/:assemblyId/conversations/:conversationId/vote', requireAction('participant.write'), async (c) => {
    const f = await form(c);
    const { assemblyId, conversationId } = c.req.param();
    if (f.statementId === undefined || f.vote === undefined) throw new AppError('VALIDATION', 'Choose agree, disagree or pass.', { errors: [{ path: 'vote', message: 'Required' }] });
    svc.vote(ctx(c), deps.jobs, assemblyId, conversationId, { statementId: Number(f.statementId), vote: Number(f.vote) });
    return c.redirect(`/a/${assemblyId}/conversations/${conversationId}?done=vote`, 303);
  });

  r.post('/a/:assemblyId/conversations/:conversationId/statements', requireAction('participant.write'), async (c) => {
    const f = await form(c);
    const { assemblyId, conversationId } = c.req.param();
    const s = svc.addStatement(ctx(c), assemblyId, conversationId, f.text ?? '');
    return c.redirect(`/a/${assemblyId}/conversations/${conversationId}?done=${s.status === 'pending' ? 'pending' : 'written'}`, 303);
  });

  return r;
}

function ModerationSelect({ t, value }: { t: T; value: 'pre' | 'post' }) {
  return (
    <>
      <label for="moderation">{t('conv.moderation')}</label>
      <select id="moderation" name="moderation">
        <option value="pre" selected={value === 'pre'}>
          {t('conv.moderation.pre')}
        </option>
        <option value="post" selected={value === 'post'}>
          {t('conv.moderation.post')}
        </option>
      </select>
    </>
  );
}
