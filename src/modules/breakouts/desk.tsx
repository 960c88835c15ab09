/** @jsxImportSource hono/jsx */
import type { DeskContext, DeskHook } from '../../platform/review/registry.js';
import { first, keep, refuse, Scroll, SentenceCompare } from '../../web/desk-kit.js';
import { clock, IDEA_KIND, TRANSCRIPT_KIND, type IdeaPayload, type TranscriptPayload } from './domain.js';
import { breakoutsRepo as repo } from './repo.js';

/**
 * The review desk for breakout transcripts (the recordings with their players, each segment saying which recording
 * it came from, when, who spoke; text and speaker corrected per segment) and for the ideas drawn from them.
 */

type Track = { id: string; filename: string; memberId: string | null };

/** the recordings a transcript was made from, as its sources name them */
const sourcesOf = (ctx: DeskContext): Track[] => (Array.isArray(ctx.item.sources) ? (ctx.item.sources as Track[]) : []).filter((s) => s && typeof s.id === 'string');

/** …with whether each one's audio is still stored */
function tracksOf(ctx: DeskContext): Array<Track & { live: boolean }> {
  return sourcesOf(ctx).map((s) => {
    const tr = repo.track(ctx.db, s.id);
    return { ...s, live: !!tr && !tr.deletedAt };
  });
}

const namesOf = (ctx: DeskContext) => repo.pseudonyms(ctx.db, ctx.item.assemblyId);

function Players({ ctx, tracks, names }: { ctx: DeskContext; tracks: Array<Track & { live: boolean }>; names: Map<string, string | null> }) {
  const { t } = ctx;
  return (
    <section aria-labelledby={`${ctx.idPrefix}players`}>
      <h3 id={`${ctx.idPrefix}players`}>{t('breakouts.tracks')}</h3>
      {tracks.map((tr, i) => (
        <p>
          <label for={`${ctx.idPrefix}player-${i}`}>
            {t('review.desk.transcript.recording', { n: i + 1 })} — {tr.filename} — {tr.memberId ? (names.get(tr.memberId) ?? t('review.desk.transcript.member')) : t('breakouts.mixed')}
          </label>
          {tr.live ? (
            <audio id={`${ctx.idPrefix}player-${i}`} data-player={String(i)} controls preload="metadata" src={`/api/assemblies/${ctx.item.assemblyId}/breakouts/tracks/${tr.id}/audio`}></audio>
          ) : (
            <span id={`${ctx.idPrefix}player-${i}`}>{t('breakouts.audio.gone')}</span>
          )}
        </p>
      ))}
    </section>
  );
}

const speaker = (ctx: DeskContext, id: string | null, names: Map<string, string | null>) => (id ? (names.get(id) ?? ctx.t('review.desk.transcript.member')) : ctx.t('review.desk.transcript.unknown'));

const transcriptDesk: DeskHook<TranscriptPayload> = {
  title: (_p, ctx) => ctx.t('review.desk.transcript.title'),
  summary: (p, ctx) => ctx.t('review.desk.transcript.line', { n: p.segments.length, tracks: sourcesOf(ctx).length, lang: p.language ?? '?' }),
  render: (p, ctx) => {
    const { t } = ctx;
    const tracks = tracksOf(ctx);
    const names = namesOf(ctx);
    return (
      <>
        <Players ctx={ctx} tracks={tracks} names={names} />
        <Scroll label={t('breakouts.segments')}>
          <table>
            <caption>{t('breakouts.segments')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('breakouts.segment.time')}</th>
                <th scope="col">{t('review.desk.transcript.from')}</th>
                <th scope="col">{t('breakouts.segment.speaker')}</th>
                <th scope="col">{t('breakouts.segment.text')}</th>
              </tr>
            </thead>
            <tbody>
              {p.segments.map((s) => (
                <tr data-segment={String(s.index)}>
                  <td>
                    <button type="button" class="secondary" data-seek={String(s.start)} data-track={String(s.trackIndex)} aria-label={t('breakouts.segment.play', { at: clock(s.start) })}>
                      ▶ {clock(s.start)}
                    </button>
                  </td>
                  <td data-segment-track={String(s.trackIndex)}>{t('review.desk.transcript.recording', { n: s.trackIndex + 1 })}{tracks[s.trackIndex] ? ` (${tracks[s.trackIndex].filename})` : ''}</td>
                  <td>{speaker(ctx, s.speakerId, names)}</td>
                  <td lang={s.language ?? undefined}>
                    {s.status === 'untranscribed' ? <span class="badge">{t('breakouts.segment.untranscribed', { reason: s.reason ?? '' })}</span> : s.text}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
        <script src="/assets/breakouts.js" defer></script>
      </>
    );
  },
  editForm: (p, ctx) => {
    const { t } = ctx;
    const members = repo.members(ctx.db, p.groupId);
    const pre = ctx.idPrefix;
    return (
      <>
        {p.segments.map((s) => {
          const spk = keep(ctx, `speaker-${s.index}`, s.speakerId ?? '');
          return (
            <div class="desk-edit-row" data-edit-segment={String(s.index)}>
              <p class="cite">{t('review.desk.transcript.segment', { at: clock(s.start), n: s.trackIndex + 1 })}</p>
              <label for={`${pre}sp-${s.index}`}>{t('breakouts.segment.speaker')}</label>
              <select id={`${pre}sp-${s.index}`} name={`speaker-${s.index}`}>
                <option value="" selected={!spk}>
                  {t('review.desk.transcript.unknown')}
                </option>
                {members.map((m) => (
                  <option value={m.userId} selected={m.userId === spk}>
                    {m.pseudonym ?? t('review.desk.transcript.member')}
                  </option>
                ))}
              </select>
              <label for={`${pre}tx-${s.index}`}>{t('breakouts.segment.text')}</label>
              <textarea id={`${pre}tx-${s.index}`} name={`text-${s.index}`} rows={2} maxlength={20000} lang={s.language ?? undefined}>
                {keep(ctx, `text-${s.index}`, s.text)}
              </textarea>
            </div>
          );
        })}
      </>
    );
  },
  parseEdit: (f, p, ctx) => {
    const members = new Set(repo.members(ctx.db, p.groupId).map((m) => m.userId));
    const segments = p.segments.map((s) => {
      const text = (f[`text-${s.index}`] !== undefined ? first(f, `text-${s.index}`) : s.text).trim();
      const spk = f[`speaker-${s.index}`] !== undefined ? first(f, `speaker-${s.index}`) || null : s.speakerId;
      if (text.length > 20_000) refuse(ctx.t('review.desk.transcript.long', { at: clock(s.start) }), `text-${s.index}`);
      if (spk && !members.has(spk)) refuse(ctx.t('review.desk.transcript.notMember', { at: clock(s.start) }), `speaker-${s.index}`);
      if (text === s.text && spk === s.speakerId) return s;
      return { ...s, text, speakerId: spk, status: 'edited' as const };
    });
    return { ...p, segments };
  },
  compare: (a, b, ctx) => <SentenceCompare t={ctx.t} before={a.segments.map((s) => s.text)} after={b.segments.map((s) => s.text)} />,
};

const ideaDesk: DeskHook<IdeaPayload> = {
  summary: (p, ctx) => ctx.t(`review.desk.idea.line.${p.kind}`, { at: clock(p.start) }),
  render: (p, ctx) => {
    const names = namesOf(ctx);
    return (
      <article class="card" lang={p.language ?? undefined}>
        <p>
          <span class="badge" lang={ctx.lang}>
            {ctx.t(`review.desk.idea.kind.${p.kind}`)}
          </span>{' '}
          <strong>{p.text}</strong>
        </p>
        <blockquote>
          <q>{p.quote}</q>
        </blockquote>
        <p class="cite" lang={ctx.lang}>
          {ctx.t('review.desk.idea.said', { who: speaker(ctx, p.speakerId, names), at: clock(p.start) })}
        </p>
      </article>
    );
  },
  editForm: (p, ctx) => (
    <>
      <label for={`${ctx.idPrefix}idea-text`}>{ctx.t('review.desk.idea.text')}</label>
      <textarea id={`${ctx.idPrefix}idea-text`} name="text" rows={3} maxlength={2000} required aria-describedby={`${ctx.idPrefix}idea-help`}>
        {keep(ctx, 'text', p.text)}
      </textarea>
      <p id={`${ctx.idPrefix}idea-help`} class="cite">
        {ctx.t('review.desk.idea.help')}
      </p>
    </>
  ),
  parseEdit: (f, p, ctx) => {
    const text = first(f, 'text').replace(/\s+/g, ' ').trim();
    if (!text) refuse(ctx.t('review.desk.idea.empty'), 'text');
    if (text.length > 2000) refuse(ctx.t('review.desk.idea.long'), 'text');
    return { ...p, text };
  },
  compare: (a, b, ctx) => <SentenceCompare t={ctx.t} before={[a.text]} after={[b.text]} />,
};

export const breakoutDesks = (): Record<string, DeskHook<any>> => ({ [TRANSCRIPT_KIND]: transcriptDesk, [IDEA_KIND]: ideaDesk });
