/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { translator, type T } from '../../web/i18n.js';
import { Csrf, form, many, one, page, said } from './kit.js';
import { JobsTable } from '../../web/kit.js';
import { jobView } from '../../platform/jobs/types.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { sessionOf } from '../breakouts/service.js';
import * as alloc from './allocations.js';
import { JOIN_BEFORE_MINUTES } from './domain.js';
import { deliberationRepo as repo } from './repo.js';
import { speakingReport } from './speaking.js';

type View = ReturnType<typeof alloc.allocationView>;

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

function Figures({ v, t }: { v: View; t: T }) {
  const rows: Array<[string, string, string]> = [
    [t('deliberation.figures.repeatedPairs'), String(v.figures.repeatedPairs), String(v.random.repeatedPairs)],
    [t('deliberation.figures.meanDistinctMet'), v.figures.meanDistinctMet.toFixed(2), v.random.meanDistinctMet.toFixed(2)],
    [t('deliberation.figures.maxFeatureDeviation'), pct(v.figures.maxFeatureDeviation), pct(v.random.maxFeatureDeviation)],
    ...v.features.map((f): [string, string, string] => [t('deliberation.figures.feature', { feature: f }), pct(v.figures.featureDeviation[f] ?? 0), pct(v.random.featureDeviation[f] ?? 0)]),
  ];
  return (
    <table data-testid="figures">
      <caption>{t('deliberation.figures.caption', { sessions: v.historySessions })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('deliberation.figures.measure')}</th>
          <th scope="col">{t('deliberation.figures.this')}</th>
          <th scope="col">{t('deliberation.figures.random')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([k, a, b]) => (
          <tr>
            <th scope="row">{k}</th>
            <td>{a}</td>
            <td>{b}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Groups({ v, t, csrf, base }: { v: View; t: T; csrf: string; base: string }) {
  const draft = v.status === 'draft';
  return (
    <>
      <div class="groups">
        {v.groups.map((g) => (
          <section class="card" aria-labelledby={`g-${g.index}`} data-group={g.index}>
            <h3 id={`g-${g.index}`}>
              {g.name} ({t('deliberation.group.size', { n: g.members.length })})
            </h3>
            <p>{t('deliberation.group.facilitators', { lead: g.lead?.name ?? '—', co: g.coFacilitator?.name ?? '—' })}</p>
            {g.roomUrl ? (
              <p>
                <a href={g.roomUrl} data-room rel="noopener noreferrer" target="_blank">{t('deliberation.room.open')}</a>
              </p>
            ) : null}
            <ul>
              {g.members.map((m) => (
                <li data-member={m.memberId}>
                  {m.pseudonym}
                  {v.features.length ? <span class="muted"> — {v.features.map((f) => m.features[f] || '?').join(', ')}</span> : null}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      {draft ? (
        <>
          <form method="post" action={`${base}/${v.id}/move`} class="card" data-testid="move">
            <Csrf token={csrf} />
            <h2>{t('deliberation.move.title')}</h2>
            <label for="mv-member">{t('deliberation.move.member')}</label>
            <select id="mv-member" name="memberId" required>
              {v.groups.flatMap((g) =>
                g.members.map((m) => (
                  <option value={m.memberId}>
                    {m.pseudonym} ({g.name})
                  </option>
                )),
              )}
            </select>
            <label for="mv-group">{t('deliberation.move.to')}</label>
            <select id="mv-group" name="toGroup" required>
              {v.groups.map((g) => (
                <option value={String(g.index)}>{g.name}</option>
              ))}
            </select>
            <button type="submit">{t('deliberation.move.submit')}</button>
          </form>
          <form method="post" action={`${base}/${v.id}/publish`} class="card">
            <Csrf token={csrf} />
            <p>{t('deliberation.publish.explain')}</p>
            <button type="submit" data-testid="publish">{t('deliberation.publish.submit')}</button>
          </form>
        </>
      ) : (
        <p data-testid="published">{t('deliberation.published', { at: v.publishedAt ?? '' })}</p>
      )}
    </>
  );
}

export function deliberationPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const manage = requireAction('breakouts.manage');

  function allocationPage(c: Context<AppEnv>, assemblyId: string, sessionId: string, error?: AppError) {
    const t = translator(c.get('lang'));
    const ctx = ctxFor(deps, c.get('actor'));
    const a = assembliesRepo.byId(deps.db, assemblyId);
    if (!a) throw new AppError('NOT_FOUND', `Assembly '${assemblyId}' does not exist.`);
    const session = sessionOf(deps.db, assemblyId, sessionId);
    const latest = alloc.sessionAllocations(ctx, assemblyId, sessionId).find((x) => x.status !== 'discarded');
    const view = latest ? alloc.allocationView(ctx, assemblyId, latest.id) : null;
    const features = alloc.availableFeatures(ctx, assemblyId);
    const members = repo.members(deps.db, assemblyId).length;
    const staff = repo.staff(deps.db).length;
    const csrf = c.get('csrfToken') ?? '';
    const base = `/facilitate/${assemblyId}/deliberation/sessions/${sessionId}/allocation`;
    // the search runs as a job: its bar while it runs, and its error if the latest run failed
    const latestJob = alloc.allocationJobs(deps.jobs, assemblyId, sessionId)[0];
    const running = latestJob && (latestJob.status === 'queued' || latestJob.status === 'running');
    const shownJob = latestJob && latestJob.status !== 'succeeded' && latestJob.status !== 'cancelled' ? jobView(latestJob) : null;
    return page(
      c,
      t('deliberation.allocation.title'),
      <>
        <h1>
          {t('deliberation.allocation.title')} — {session.title}
        </h1>
        <p>
          <a href={`/facilitate/${assemblyId}/breakouts`}>{t('deliberation.back')}</a>
        </p>
        {error ? (
          <div class="card" role="alert" data-testid="error">
            <p class="error">{said(error, c.get('lang'), t)}</p>
          </div>
        ) : null}
        {shownJob ? (
          <section class="card" aria-labelledby="job-h" data-testid="allocation-job" data-status={shownJob.status}>
            <h2 id="job-h">{running ? t('deliberation.allocate.running') : t('deliberation.allocate.failed')}</h2>
            <JobsTable assemblyId={assemblyId} jobs={[shownJob]} t={t} lang={c.get('lang')} caption={t('deliberation.allocate.running')} />
            {running ? (
              <p>
                <a href={base} data-testid="allocation-refresh">{t('deliberation.allocate.refresh')}</a>
              </p>
            ) : null}
            <script src="/static/jobs.js" defer></script>
          </section>
        ) : null}
        {!running && (!view || view.status === 'draft') ? (
          <form method="post" action={base} class="card" data-testid="allocate">
            <Csrf token={csrf} />
            <h2>{view ? t('deliberation.allocate.again') : t('deliberation.allocate.title')}</h2>
            <p>{t('deliberation.allocate.pool', { members, staff })}</p>
            <label for="al-size">{t('deliberation.allocate.groupSize')}</label>
            <input id="al-size" name="groupSize" type="number" min="2" max="50" value="8" required />
            <label for="al-min">{t('deliberation.allocate.minGroupSize')}</label>
            <input id="al-min" name="minGroupSize" type="number" min="1" max="50" value="7" required />
            <fieldset>
              <legend>{t('deliberation.allocate.features')}</legend>
              {features.length === 0 ? <p>{t('deliberation.allocate.noFeatures')}</p> : null}
              {features.map((f, i) => (
                <label for={`al-f${i}`} style="display:inline-block;margin-right:1rem">
                  <input id={`al-f${i}`} type="checkbox" name="features" value={f} checked /> {f}
                </label>
              ))}
            </fieldset>
            <label for="al-seed">{t('deliberation.allocate.seed')}</label>
            <input id="al-seed" name="seed" maxlength={200} />
            <button type="submit">{t('deliberation.allocate.submit')}</button>
          </form>
        ) : null}
        {view ? (
          <section aria-labelledby="alloc-h">
            <h2 id="alloc-h">{view.status === 'draft' ? t('deliberation.allocation.draft') : t('deliberation.allocation.published')}</h2>
            <p>{t('deliberation.allocation.rule')}</p>
            <Figures v={view} t={t} />
            <Groups v={view} t={t} csrf={csrf} base={base} />
          </section>
        ) : null}
      </>,
      error ? error.status : 200,
    );
  }

  /** runs a form action; a refused one re-renders the page with the reason (nothing was written) */
  async function act(c: Context<AppEnv>, fn: () => unknown) {
    const { assemblyId, sessionId } = c.req.param() as { assemblyId: string; sessionId: string };
    try {
      fn();
    } catch (e) {
      if (e instanceof AppError && e.status < 500 && e.status !== 404 && e.status !== 403) return allocationPage(c, assemblyId, sessionId, e);
      throw e;
    }
    return c.redirect(`/facilitate/${assemblyId}/deliberation/sessions/${sessionId}/allocation`, 303);
  }

  r.get('/facilitate/:assemblyId/deliberation/sessions/:sessionId/allocation', manage, (c) => allocationPage(c, c.req.param('assemblyId'), c.req.param('sessionId')));

  r.post('/facilitate/:assemblyId/deliberation/sessions/:sessionId/allocation', manage, async (c) => {
    const f = await form(c);
    const num = (v: string) => (/^\d+$/.test(v) ? Number(v) : NaN);
    return act(c, () => {
      const groupSize = num(one(f.groupSize));
      const minGroupSize = num(one(f.minGroupSize));
      if (!Number.isInteger(groupSize) || groupSize < 2 || groupSize > 50) throw new AppError('VALIDATION', 'The group size must be a whole number from 2 to 50.');
      if (!Number.isInteger(minGroupSize) || minGroupSize < 1 || minGroupSize > groupSize) throw new AppError('VALIDATION', `The smallest group must be a whole number from 1 to ${groupSize}.`);
      alloc.requestAllocation(ctxFor(deps, c.get('actor')), deps.jobs, c.req.param('assemblyId'), c.req.param('sessionId'), { groupSize, minGroupSize, features: many(f.features), seed: one(f.seed).trim() || undefined });
    });
  });

  r.post('/facilitate/:assemblyId/deliberation/sessions/:sessionId/allocation/:allocationId/move', manage, async (c) => {
    const f = await form(c);
    return act(c, () => alloc.moveMember(ctxFor(deps, c.get('actor')), c.req.param('assemblyId'), c.req.param('allocationId'), { memberId: one(f.memberId), toGroup: Number(one(f.toGroup)) }));
  });

  r.post('/facilitate/:assemblyId/deliberation/sessions/:sessionId/allocation/:allocationId/publish', manage, (c) =>
    act(c, () => alloc.publishAllocation(ctxFor(deps, c.get('actor')), c.req.param('assemblyId'), c.req.param('allocationId'))),
  );

  r.get('/facilitate/:assemblyId/deliberation/speaking', manage, (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const report = speakingReport(ctxFor(deps, c.get('actor')), assemblyId);
    const mmss = (sec: number) => `${Math.floor(sec / 60)}:${String(Math.round(sec % 60)).padStart(2, '0')}`;
    return page(
      c,
      t('deliberation.speaking.title'),
      <>
        <h1>{t('deliberation.speaking.title')}</h1>
        <p>
          <a href={`/facilitate/${assemblyId}/breakouts`}>{t('deliberation.back')}</a>
        </p>
        <p>{t('deliberation.speaking.explain')}</p>
        <table data-testid="speaking">
          <caption>{t('deliberation.speaking.assembly')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('deliberation.move.member')}</th>
              <th scope="col">{t('deliberation.speaking.time')}</th>
              <th scope="col">{t('deliberation.speaking.share')}</th>
            </tr>
          </thead>
          <tbody>
            {report.members.map((m) => (
              <tr data-quiet={m.quiet ? 'yes' : 'no'}>
                <th scope="row">{m.pseudonym}</th>
                <td>{mmss(m.seconds)}</td>
                <td>
                  {pct(m.share)} ({t('deliberation.speaking.equal', { share: pct(m.equalShare) })}) {m.quiet ? <strong>{t('deliberation.speaking.quiet')}</strong> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {report.groups.map((g) => (
          <table>
            <caption>
              {g.sessionTitle} — {g.groupName}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('deliberation.move.member')}</th>
                <th scope="col">{t('deliberation.speaking.time')}</th>
                <th scope="col">{t('deliberation.speaking.share')}</th>
              </tr>
            </thead>
            <tbody>
              {g.members.map((m) => (
                <tr>
                  <th scope="row">{m.pseudonym}</th>
                  <td>{mmss(m.seconds)}</td>
                  <td>{pct(m.share)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </>,
    );
  });

  // ---- members: my groups and the room link ----
  r.get('/a/:assemblyId/groups', requireAction('participant.read'), (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const a = assembliesRepo.byId(deps.db, assemblyId);
    if (!a) throw new AppError('NOT_FOUND', `Assembly '${assemblyId}' does not exist.`);
    const groups = alloc.myGroups(ctxFor(deps, c.get('actor')), assemblyId);
    const lang = c.get('lang');
    const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC' : t('deliberation.my.unscheduled'));
    return page(
      c,
      t('deliberation.my.title'),
      <>
        <h1>{t('deliberation.my.title')}</h1>
        <p>
          <a href={`/a/${assemblyId}`}>{t('deliberation.my.back')}</a>
        </p>
        {groups.length === 0 ? <p data-testid="no-groups">{t('deliberation.my.none')}</p> : null}
        {groups.map((g) => (
          <section class="card" aria-labelledby={`mg-${g.group.id}`} data-my-group={g.group.id}>
            <h2 id={`mg-${g.group.id}`}>
              {g.session.title} — {g.group.name}
            </h2>
            <p>{when(g.session.startsAt)}</p>
            <p>
              <a href={`/a/${assemblyId}/groups/${g.group.id}/ideas`} data-group-ideas={g.group.id}>{t('deliberation.ideas.link')}</a>
            </p>
            <p>{t('deliberation.my.facilitators', { names: g.facilitators.join(', ') || '—' })}</p>
            <h3>{t('deliberation.my.members')}</h3>
            <ul>
              {g.members.map((m) => (
                <li>{m}</li>
              ))}
            </ul>
            {g.room?.url ? (
              <p>
                <a class="button" href={g.room.url} data-room rel="noopener noreferrer" target="_blank">
                  {t('deliberation.room.join')}
                </a>
              </p>
            ) : g.room?.state === 'early' ? (
              <p data-testid="room-later">{t('deliberation.room.later', { minutes: JOIN_BEFORE_MINUTES })}</p>
            ) : g.room?.state === 'over' ? (
              <p>{t('deliberation.room.over')}</p>
            ) : null}
          </section>
        ))}
      </>,
    );
  });

  return r;
}
