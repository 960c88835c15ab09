/** @jsxImportSource hono/jsx */
import { readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { jobView } from '../../platform/jobs/types.js';
import type { ReviewItem } from '../../platform/review/queue.js';
import { translator, type T } from '../../web/i18n.js';
import { Layout } from '../../web/layout.js';
import { assembliesRepo } from '../assemblies/repo.js';
import * as review from '../review/service.js';
import { ACCEPTED_EXTENSIONS, clock, IDEA_KIND, TRANSCRIBE_JOB, TRANSCRIPT_KIND, UNKNOWN_SPEAKER, type BreakoutLimits, type IdeaPayload, type TranscriptPayload } from './domain.js';
import { breakoutsRepo as repo } from './repo.js';
import * as svc from './service.js';
import { formAll as form, JobsTable, many, one } from '../../web/kit.js';

const SCRIPT = readFileSync(new URL('./static/breakouts.js', import.meta.url), 'utf8');

function page(c: Context<AppEnv>, title: string, body: unknown, status = 200) {
  const lang = c.get('lang');
  return c.html(
    <Layout title={title} lang={lang} t={translator(lang)} actor={c.get('actor')} csrf={c.get('csrfToken')} path={c.req.path}>
      {body as never}
    </Layout>,
    status as 200,
  );
}

const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

function assemblyOr404(deps: Deps, id: string) {
  const a = assembliesRepo.byId(deps.db, id);
  if (!a) throw new AppError('NOT_FOUND', `Assembly '${id}' does not exist.`);
  return a;
}

const staff = (deps: Deps) => repo.staff(deps.db);

export function breakoutPages(deps: Deps, limits: BreakoutLimits) {
  const r = new Hono<AppEnv>();
  const manage = requireAction('breakouts.manage');

  r.get('/assets/breakouts.js', requireAction('public.read'), (c) => c.body(SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=300' }));

  // ---- facilitators: sessions and groups ----
  r.get('/facilitate/:assemblyId/breakouts', manage, (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const a = assemblyOr404(deps, assemblyId);
    const sessions = svc.listSessions(ctxFor(deps, c.get('actor')), assemblyId);
    const members = assembliesRepo.members(deps.db, assemblyId);
    const facilitators = staff(deps);
    const csrf = c.get('csrfToken') ?? '';
    return page(
      c,
      t('breakouts.title'),
      <>
        <h1>
          {t('breakouts.title')} — {a.title}
        </h1>
        <p>
          <a href={`/facilitate/${assemblyId}`}>{t('breakouts.back')}</a> · <a href={`/a/${assemblyId}/ideas`}>{t('breakouts.ideas.title')}</a> · <a href={`/facilitate/${assemblyId}/calendar`}>{t('deliberation.calendar.title')}</a> · <a href={`/facilitate/${assemblyId}/learning`}>{t('deliberation.learning.staffTitle')}</a> · <a href={`/facilitate/${assemblyId}/deliberation/speaking`}>{t('deliberation.speaking.link')}</a> · <a href={`/facilitate/${assemblyId}/deliberation/ideas`}>{t('deliberation.ideas.flow.title')}</a>
        </p>
        {sessions.length === 0 ? <p data-testid="no-sessions">{t('breakouts.sessions.none')}</p> : null}
        {sessions.map((s) => (
          <section class="card" aria-labelledby={`s-${s.id}`} data-session={s.id}>
            <h2 id={`s-${s.id}`}>{s.title}</h2>
            {s.startsAt ? <p>{t('deliberation.session.startsAtShown', { at: s.startsAt })}</p> : null}
            <p>
              <a href={`/facilitate/${assemblyId}/deliberation/sessions/${s.id}/allocation`} data-allocate={s.id}>
                {t('deliberation.allocation.link')}
              </a>
            </p>
            <p>{s.language ? t('breakouts.session.language', { lang: s.language }) : t('breakouts.session.anyLanguage')}</p>
            <ul>
              {s.groups.map((g) => (
                <li>
                  <a href={`/facilitate/${assemblyId}/breakouts/groups/${g.id}`}>{g.name}</a> — {t('breakouts.group.counts', { members: g.members, tracks: g.tracks })}
                </li>
              ))}
            </ul>
            <form method="post" action={`/facilitate/${assemblyId}/breakouts/sessions/${s.id}/groups`}>
              <Csrf token={csrf} />
              <fieldset>
                <legend>{t('breakouts.group.new')}</legend>
                <label for={`gn-${s.id}`}>{t('breakouts.group.name')}</label>
                <input id={`gn-${s.id}`} name="name" required maxlength={100} />
                <label for={`gl-${s.id}`}>{t('breakouts.group.lead')}</label>
                <select id={`gl-${s.id}`} name="leadFacilitatorId">
                  <option value="">—</option>
                  {facilitators.map((f) => (
                    <option value={f.id}>{f.displayName}</option>
                  ))}
                </select>
                <label for={`gc-${s.id}`}>{t('breakouts.group.co')}</label>
                <select id={`gc-${s.id}`} name="coFacilitatorId">
                  <option value="">—</option>
                  {facilitators.map((f) => (
                    <option value={f.id}>{f.displayName}</option>
                  ))}
                </select>
                <fieldset>
                  <legend>{t('breakouts.group.members')}</legend>
                  {members.map((m) => (
                    <label style="display:inline-block;margin-right:1rem">
                      <input type="checkbox" name="memberIds" value={m.userId} /> {m.pseudonym ?? 'member'}
                    </label>
                  ))}
                </fieldset>
                <button type="submit">{t('breakouts.group.create')}</button>
              </fieldset>
            </form>
          </section>
        ))}
        <form method="post" action={`/facilitate/${assemblyId}/breakouts/sessions`} class="card">
          <Csrf token={csrf} />
          <h2>{t('breakouts.session.new')}</h2>
          <label for="st">{t('breakouts.session.titleLabel')}</label>
          <input id="st" name="title" required maxlength={200} />
          <label for="sl">{t('breakouts.session.languageLabel')}</label>
          <select id="sl" name="language">
            <option value="">{t('breakouts.session.anyLanguage')}</option>
            {a.languages.map((l) => (
              <option value={l}>{l}</option>
            ))}
          </select>
          <label for="ss">{t('deliberation.session.startsAt')}</label>
          <input id="ss" name="startsAt" type="datetime-local" />
          <button type="submit">{t('breakouts.session.create')}</button>
        </form>
      </>,
    );
  });

  r.post('/facilitate/:assemblyId/breakouts/sessions', manage, async (c) => {
    const assemblyId = c.req.param('assemblyId');
    const f = await form(c);
    const startsAt = one(f.startsAt) ? new Date(`${one(f.startsAt)}Z`) : null; // the form's time is UTC
    if (startsAt && Number.isNaN(startsAt.getTime())) throw new AppError('VALIDATION', `'${one(f.startsAt)}' is not a date and time.`);
    svc.createSession(ctxFor(deps, c.get('actor')), assemblyId, { title: one(f.title), language: one(f.language) || null, startsAt: startsAt?.toISOString() ?? null });
    return c.redirect(`/facilitate/${assemblyId}/breakouts`, 303);
  });

  r.post('/facilitate/:assemblyId/breakouts/sessions/:sessionId/groups', manage, async (c) => {
    const { assemblyId, sessionId } = c.req.param();
    const f = await form(c);
    const g = svc.createGroup(ctxFor(deps, c.get('actor')), assemblyId, sessionId, {
      name: one(f.name),
      leadFacilitatorId: one(f.leadFacilitatorId) || null,
      coFacilitatorId: one(f.coFacilitatorId) || null,
      memberIds: many(f.memberIds),
    });
    return c.redirect(`/facilitate/${assemblyId}/breakouts/groups/${g.id}`, 303);
  });

  // ---- a group: upload, transcribe, progress, review links ----
  r.get('/facilitate/:assemblyId/breakouts/groups/:groupId', manage, (c) => {
    const t = translator(c.get('lang'));
    const { assemblyId, groupId } = c.req.param();
    const a = assemblyOr404(deps, assemblyId);
    const g = svc.groupDetail(deps, assemblyId, groupId);
    const csrf = c.get('csrfToken') ?? '';
    const names = new Map(g.members.map((m) => [m.memberId, m.pseudonym]));
    const staffNames = new Map(staff(deps).map((s) => [s.id, s.displayName]));
    const jobs = deps.jobs.list({ assemblyId, type: TRANSCRIBE_JOB, limit: 20 }).filter((j) => (j.payload as { groupId?: string }).groupId === groupId).map(jobView);
    const item = svc.latestTranscriptItem(deps, deps.review, assemblyId, groupId);
    const ideas = deps.review.list(deps.db, { assemblyId, kind: IDEA_KIND, status: ['pending'], limit: 200 }).filter((i) => (i.payload as IdeaPayload).groupId === groupId);
    return page(
      c,
      `${g.session.title} — ${g.name}`,
      <>
        <h1>
          {g.session.title} — {g.name}
        </h1>
        <p>
          <a href={`/facilitate/${assemblyId}/breakouts`}>{t('breakouts.title')}</a>
        </p>
        <p>
          {t('breakouts.group.lead')}: {g.leadFacilitatorId ? (staffNames.get(g.leadFacilitatorId) ?? '—') : '—'} · {t('breakouts.group.co')}:{' '}
          {g.coFacilitatorId ? (staffNames.get(g.coFacilitatorId) ?? '—') : '—'}
        </p>
        <h2>{t('breakouts.group.members')}</h2>
        <ul data-testid="members">
          {g.members.map((m) => (
            <li>{m.pseudonym}</li>
          ))}
        </ul>
        <section aria-labelledby="tracks">
          <h2 id="tracks">{t('breakouts.tracks')}</h2>
          {g.tracks.length === 0 ? <p>{t('breakouts.tracks.none')}</p> : null}
          <ul>
            {g.tracks.map((tr) => (
              <li data-track={tr.id}>
                {tr.filename} — {tr.memberId ? names.get(tr.memberId) ?? 'member' : t('breakouts.mixed')} — {clock(tr.durationSec)} — {tr.codec}, {tr.sampleRate} Hz —{' '}
                <code class="cite">sha256 {tr.sha256.slice(0, 16)}…</code>
                {tr.deletedAt ? <span class="badge"> {t('breakouts.audio.deleted', { at: tr.deletedAt })}</span> : null}
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="upload" class="card">
          <h2 id="upload">{t('breakouts.upload')}</h2>
          <p>{t('breakouts.upload.help', { formats: ACCEPTED_EXTENSIONS.join(', '), mb: Math.round(limits.maxUploadBytes / 1048576), minutes: Math.round(limits.maxDurationSec / 60) })}</p>
          <form data-uploader={`/api/assemblies/${assemblyId}/breakouts`} data-group={groupId} data-csrf={csrf} data-chunk={String(limits.chunkBytes)} data-warn-truncated={t('breakouts.upload.truncated')}>
            <label for="uf">{t('breakouts.upload.file')}</label>
            <input id="uf" type="file" name="file" accept={ACCEPTED_EXTENSIONS.map((e) => `.${e}`).join(',')} required />
            <label for="um">{t('breakouts.upload.member')}</label>
            <select id="um" name="memberId">
              <option value="">{t('breakouts.mixed')}</option>
              {g.members.map((m) => (
                <option value={m.memberId}>{m.pseudonym}</option>
              ))}
            </select>
            <label for="ul">{t('breakouts.upload.language')}</label>
            <select id="ul" name="language">
              <option value="">{g.session.language ?? t('breakouts.session.anyLanguage')}</option>
              {a.languages.map((l) => (
                <option value={l}>{l}</option>
              ))}
            </select>
            <button type="submit">{t('breakouts.upload.start')}</button>
            <p>
              <progress max="100" value="0" aria-label={t('breakouts.upload.progress')} data-upload-progress></progress> <span data-upload-status role="status"></span>
            </p>
          </form>
        </section>
        <section aria-labelledby="tx">
          <h2 id="tx">{t('breakouts.transcription')}</h2>
          <form method="post" action={`/facilitate/${assemblyId}/breakouts/groups/${groupId}/transcribe`}>
            <Csrf token={csrf} />
            <button type="submit" disabled={g.tracks.every((x) => x.deletedAt)}>
              {t('breakouts.transcribe')}
            </button>
          </form>
          <JobsTable assemblyId={assemblyId} jobs={jobs} t={t} caption={t('breakouts.jobs')} />
          {item ? (
            <p>
              <a href={`/facilitate/${assemblyId}/breakouts/transcripts/${item.id}`} data-testid="transcript-link">
                {t('breakouts.transcript.open')}
              </a>{' '}
              <span class="badge">{item.status}</span>
            </p>
          ) : null}
        </section>
        <section aria-labelledby="ideas">
          <h2 id="ideas">{t('breakouts.ideas.pending')}</h2>
          {ideas.length === 0 ? <p>{t('breakouts.ideas.none')}</p> : null}
          {ideas.map((i) => {
            const p = i.payload as IdeaPayload;
            return (
              <form method="post" action={`/facilitate/${assemblyId}/breakouts/ideas/${i.id}`} class="card" data-idea={i.id}>
                <Csrf token={csrf} />
                <p>
                  <span class="badge">{t(`breakouts.idea.${p.kind}`)}</span> {clock(p.start)}–{clock(p.end)} · {p.speakerId ? names.get(p.speakerId) ?? 'member' : UNKNOWN_SPEAKER}
                </p>
                <blockquote>{p.quote}</blockquote>
                <label for={`it-${i.id}`}>{t('breakouts.idea.text')}</label>
                <textarea id={`it-${i.id}`} name="text" rows={2}>
                  {p.text}
                </textarea>
                <label for={`ir-${i.id}`}>{t('breakouts.reject.reason')}</label>
                <input id={`ir-${i.id}`} name="reason" />
                <button type="submit" name="decision" value="approve">
                  {t('breakouts.approve')}
                </button>{' '}
                <button type="submit" name="decision" value="reject">
                  {t('breakouts.reject')}
                </button>
              </form>
            );
          })}
        </section>
        <script src="/static/jobs.js" defer></script>
        <script src="/assets/breakouts.js" defer></script>
      </>,
    );
  });

  r.post('/facilitate/:assemblyId/breakouts/groups/:groupId/transcribe', manage, (c) => {
    const { assemblyId, groupId } = c.req.param();
    svc.requestTranscription(ctxFor(deps, c.get('actor')), deps.jobs, assemblyId, groupId);
    return c.redirect(`/facilitate/${assemblyId}/breakouts/groups/${groupId}`, 303);
  });

  r.post('/facilitate/:assemblyId/breakouts/ideas/:itemId', requireAction('review.decide'), async (c) => {
    const { assemblyId, itemId } = c.req.param();
    const ctx = ctxFor(deps, c.get('actor'));
    const item = deps.review.get(deps.db, itemId, assemblyId);
    if (item.kind !== IDEA_KIND) throw new AppError('NOT_FOUND', `Idea '${itemId}' does not exist.`);
    const p = item.payload as IdeaPayload;
    const f = await form(c);
    const decision = one(f.decision);
    if (decision === 'reject') review.reject(ctx, deps.review, assemblyId, itemId, one(f.reason));
    else if (decision === 'approve') {
      const text = one(f.text).trim();
      if (text && text !== p.text) review.edit(ctx, deps.review, assemblyId, itemId, { ...p, text });
      else review.approve(ctx, deps.review, assemblyId, itemId);
    } else throw new AppError('VALIDATION', 'Choose approve or reject.');
    return c.redirect(`/facilitate/${assemblyId}/breakouts/groups/${p.groupId}`, 303);
  });

  // ---- transcript review: player, per-segment corrections, approval ----
  const transcriptItem = (assemblyId: string, itemId: string): ReviewItem => {
    const item = deps.review.get(deps.db, itemId, assemblyId);
    if (item.kind !== TRANSCRIPT_KIND) throw new AppError('NOT_FOUND', `Transcript '${itemId}' does not exist.`);
    return item;
  };

  r.get('/facilitate/:assemblyId/breakouts/transcripts/:itemId', manage, (c) => {
    const t = translator(c.get('lang'));
    const { assemblyId, itemId } = c.req.param();
    const item = transcriptItem(assemblyId, itemId);
    const p = (item.editedPayload ?? item.payload) as TranscriptPayload;
    const g = svc.groupDetail(deps, assemblyId, p.groupId);
    const sources = (item.sources as Array<{ id: string; filename: string; memberId: string | null }>) ?? [];
    const tracks = sources.map((s) => repo.track(deps.db, s.id)).map((tr, i) => ({ ...sources[i], live: !!tr && !tr.deletedAt }));
    const names = new Map(g.members.map((m) => [m.memberId, m.pseudonym]));
    const csrf = c.get('csrfToken') ?? '';
    const pending = item.status === 'pending';
    return page(
      c,
      item.title,
      <TranscriptReview t={t} item={item} p={p} tracks={tracks} names={names} members={g.members} csrf={csrf} pending={pending} assemblyId={assemblyId} />,
    );
  });

  r.post('/facilitate/:assemblyId/breakouts/transcripts/:itemId', requireAction('review.decide'), async (c) => {
    const { assemblyId, itemId } = c.req.param();
    const ctx = ctxFor(deps, c.get('actor'));
    const item = transcriptItem(assemblyId, itemId);
    const p = item.payload as TranscriptPayload;
    const f = await form(c);
    const decision = one(f.decision);
    if (decision === 'reject') review.reject(ctx, deps.review, assemblyId, itemId, one(f.reason));
    else if (decision === 'approve') {
      let changed = false;
      const segments = p.segments.map((s) => {
        const text = f[`text_${s.index}`] !== undefined ? one(f[`text_${s.index}`]).trim() : s.text;
        const spk = f[`speaker_${s.index}`] !== undefined ? one(f[`speaker_${s.index}`]) || null : s.speakerId;
        if (text === s.text && spk === s.speakerId) return s;
        changed = true;
        return { ...s, text, speakerId: spk, status: 'edited' as const };
      });
      if (changed) review.edit(ctx, deps.review, assemblyId, itemId, { ...p, segments });
      else review.approve(ctx, deps.review, assemblyId, itemId);
    } else throw new AppError('VALIDATION', 'Choose approve or reject.');
    return c.redirect(`/facilitate/${assemblyId}/breakouts/groups/${p.groupId}`, 303);
  });

  // ---- participants: approved ideas from every group ----
  r.get('/a/:assemblyId/ideas', requireAction('participant.read'), (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const a = assemblyOr404(deps, assemblyId);
    const ideas = svc.publishedIdeas(ctxFor(deps, c.get('actor')), assemblyId);
    const byGroup = new Map<string, typeof ideas>();
    for (const i of ideas) byGroup.set(i.groupId, [...(byGroup.get(i.groupId) ?? []), i]);
    return page(
      c,
      t('breakouts.ideas.title'),
      <>
        <h1>{t('breakouts.ideas.title')}</h1>
        <p>{a.title}</p>
        {ideas.length === 0 ? <p data-testid="no-ideas">{t('breakouts.ideas.noneApproved')}</p> : null}
        {[...byGroup.values()].map((list) => (
          <section aria-labelledby={`g-${list[0].groupId}`} class="card">
            <h2 id={`g-${list[0].groupId}`}>
              {list[0].sessionTitle} — {list[0].groupName}
            </h2>
            <ul>
              {list.map((i) => (
                <li data-idea={i.id} lang={i.language ?? undefined}>
                  <span class="badge">{t(`breakouts.idea.${i.kind}`)}</span> <strong>{i.text}</strong>
                  <blockquote>
                    “{i.quote}” — {i.speaker}, {clock(i.start)}
                  </blockquote>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </>,
    );
  });

  return r;
}

function TranscriptReview(props: {
  t: T;
  item: ReviewItem;
  p: TranscriptPayload;
  tracks: Array<{ id: string; filename: string; memberId: string | null; live: boolean }>;
  names: Map<string, string>;
  members: Array<{ memberId: string; pseudonym: string }>;
  csrf: string;
  pending: boolean;
  assemblyId: string;
}) {
  const { t, item, p, tracks, names, members, csrf, pending, assemblyId } = props;
  return (
    <>
      <h1>{item.title}</h1>
      <p>
        <span class="badge">{item.status}</span> {t('breakouts.transcript.draft')}
      </p>
      <section aria-labelledby="players">
        <h2 id="players">{t('breakouts.tracks')}</h2>
        {tracks.map((tr, i) => (
          <p>
            <label for={`player-${i}`}>
              {tr.filename} — {tr.memberId ? names.get(tr.memberId) ?? 'member' : t('breakouts.mixed')}
            </label>
            <br />
            {tr.live ? (
              <audio id={`player-${i}`} data-player={String(i)} controls preload="metadata" src={`/api/assemblies/${assemblyId}/breakouts/tracks/${tr.id}/audio`}></audio>
            ) : (
              <span id={`player-${i}`}>{t('breakouts.audio.gone')}</span>
            )}
          </p>
        ))}
      </section>
      <form method="post" action={`/facilitate/${assemblyId}/breakouts/transcripts/${item.id}`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <table>
          <caption>{t('breakouts.segments')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('breakouts.segment.time')}</th>
              <th scope="col">{t('breakouts.segment.speaker')}</th>
              <th scope="col">{t('breakouts.segment.text')}</th>
            </tr>
          </thead>
          <tbody>
            {p.segments.map((s) => (
              <tr data-segment={String(s.index)}>
                <td>
                  <button type="button" data-seek={String(s.start)} data-track={String(s.trackIndex)} aria-label={t('breakouts.segment.play', { at: clock(s.start) })}>
                    ▶ {clock(s.start)}
                  </button>
                </td>
                <td>
                  <label class="visually-hidden" for={`sp-${s.index}`}>
                    {t('breakouts.segment.speaker')} {clock(s.start)}
                  </label>
                  <select id={`sp-${s.index}`} name={`speaker_${s.index}`} disabled={!pending}>
                    <option value="" selected={!s.speakerId}>
                      {UNKNOWN_SPEAKER}
                    </option>
                    {members.map((m) => (
                      <option value={m.memberId} selected={m.memberId === s.speakerId}>
                        {m.pseudonym}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {s.status === 'untranscribed' ? <p class="badge">{t('breakouts.segment.untranscribed', { reason: s.reason ?? '' })}</p> : null}
                  <label class="visually-hidden" for={`tx-${s.index}`}>
                    {t('breakouts.segment.text')} {clock(s.start)}
                  </label>
                  <textarea id={`tx-${s.index}`} name={`text_${s.index}`} rows={2} cols={60} lang={s.language ?? undefined} disabled={!pending}>
                    {s.text}
                  </textarea>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {pending ? (
          <>
            <button type="submit" name="decision" value="approve">
              {t('breakouts.transcript.approve')}
            </button>
            <p>
              <label for="reason">{t('breakouts.reject.reason')}</label>
              <input id="reason" name="reason" />{' '}
              <button type="submit" name="decision" value="reject">
                {t('breakouts.reject')}
              </button>
            </p>
          </>
        ) : null}
      </form>
      <script src="/assets/breakouts.js" defer></script>
    </>
  );
}

