/** @jsxImportSource hono/jsx */
/**
 * The support forecast as members see it (recommendation × opinion group: predicted support, its interval and the
 * votes it rests on, and "clears X % in every group?"), with its provenance; the review desk shows exactly this and
 * adds a form for the facilitator's note and the rows to show.
 */
import type { DeskContext, DeskHook } from '../../platform/review/registry.js';
import { all, first, keep, refuse } from '../../web/desk-kit.js';
import type { T } from '../../web/i18n.js';
import { FORECAST_KIND, type ForecastPayload, type ForecastProvenance, type ForecastRowT } from './forecast.js';

const pct = (x: number) => `${Math.round(x * 100)} %`;
const day = (iso: string | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : '—');

function verdict(r: ForecastRowT, t: T): string {
  if (r.statementId === null) return t('ballots.forecast.notLinked');
  if (r.clears === null) return t('ballots.forecast.noVotes');
  if (r.close) return t(r.clears ? 'ballots.forecast.yesClose' : 'ballots.forecast.noClose');
  return t(r.clears ? 'ballots.forecast.yes' : 'ballots.forecast.no');
}

export function ForecastTable({ f, t, idPrefix = '' }: { f: ForecastPayload; t: T; idPrefix?: string }) {
  const capId = `${idPrefix}forecast-caption`;
  return (
    <div role="region" aria-labelledby={capId} tabindex={0} style="overflow-x:auto;max-width:100%">
      <table data-forecast-table>
        <caption id={capId}>{t('ballots.forecast.caption', { title: f.ballotTitle })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('ballots.forecast.recommendation')}</th>
            {f.groups.map((g) => (
              <th scope="col" data-group={g.id}>
                {t('ballots.forecast.groupHead', { label: g.label, n: g.size })}
              </th>
            ))}
            <th scope="col">{t('ballots.forecast.clearsHead', { share: pct(f.threshold) })}</th>
          </tr>
        </thead>
        <tbody>
          {f.rows.map((r) => (
            <tr data-option={r.optionId} data-clears={r.clears === null ? 'unknown' : r.clears ? 'yes' : 'no'}>
              <th scope="row">
                {r.label}
                {r.statementText !== null && r.statementText !== r.label ? (
                  <span class="cite" style="display:block">
                    {t('ballots.forecast.matched')} <q>{r.statementText}</q>
                  </span>
                ) : null}
                {r.overall !== null ? <span class="cite" style="display:block">{t('ballots.forecast.overall', { share: pct(r.overall), n: r.votes })}</span> : null}
              </th>
              {f.groups.map((g) => {
                const c = r.groups.find((x) => x.group === g.id);
                return c && r.clears !== null ? (
                  <td data-cell={`${r.optionId}:${g.id}`} data-share={c.share}>
                    <strong>{pct(c.share)}</strong>
                    <span class="cite" style="display:block">
                      {t('ballots.forecast.interval', { low: pct(c.low), high: pct(c.high) })}
                    </span>
                    <span class="cite" style="display:block">
                      {c.votes === 0 ? t('ballots.forecast.groupNoVotes') : t('ballots.forecast.votes', { n: c.votes })}
                    </span>
                  </td>
                ) : (
                  <td>—</td>
                );
              })}
              <td data-verdict>{verdict(r, t)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** How the forecast was made, in words (members and the desk). */
export function ForecastProvenanceText({ f, p, t }: { f: ForecastPayload; p: ForecastProvenance; t: T }) {
  return (
    <details data-forecast-provenance>
      <summary>{t('ballots.forecast.how')}</summary>
      <ul>
        <li>{t('ballots.forecast.prov.data', { n: p.params.votesRead, topic: f.topic, watermark: p.params.voteWatermark, map: day(p.params.mapPublishedAt) })}</li>
        <li>{t('ballots.forecast.prov.model', { k: p.params.k })}</li>
        <li>{t('ballots.forecast.prov.share', { share: pct(f.threshold), source: t(`ballots.forecast.source.${f.thresholdSource}`) })}</li>
        <li>{t('ballots.forecast.prov.when', { at: day(p.params.computedAt) })}</li>
        <li>
          {t('ballots.forecast.prov.hash')} <code data-input-hash={p.inputHash}>{p.inputHash.slice(0, 16)}…</code> ({p.stage} v{p.version})
        </li>
      </ul>
    </details>
  );
}

/** The whole section: heading, the "forecast, not a result" label, the facilitator's note, the table, provenance. */
export function ForecastSection({ f, p, t, status, idPrefix = '' }: { f: ForecastPayload; p: ForecastProvenance; t: T; status: { approvedAt: string | null; edited: boolean }; idPrefix?: string }) {
  const h = `${idPrefix}forecast-h`;
  return (
    <section class="card" aria-labelledby={h} data-forecast>
      <h2 id={h}>{t('ballots.forecast.title')}</h2>
      <p>
        <span class="badge machine">{t('ballots.forecast.badge')}</span>{' '}
        {status.approvedAt ? t(status.edited ? 'ballots.forecast.approvedEdited' : 'ballots.forecast.approved', { at: day(status.approvedAt) }) : t('ballots.forecast.draft')}
      </p>
      <p>{t('ballots.forecast.explain')}</p>
      {f.note ? <p data-forecast-note>{f.note}</p> : null}
      <ForecastTable f={f} t={t} idPrefix={idPrefix} />
      <ForecastProvenanceText f={f} p={p} t={t} />
    </section>
  );
}

function EditFields({ f, ctx }: { f: ForecastPayload; ctx: DeskContext }) {
  const { t } = ctx;
  const p = ctx.idPrefix;
  const kept = ctx.posted ? new Set(all(ctx.posted, 'keep')) : null;
  return (
    <>
      <label for={`${p}fc-note`}>{t('ballots.forecast.noteLabel')}</label>
      <textarea id={`${p}fc-note`} name="note" rows={3} maxlength={1000}>
        {keep(ctx, 'note', f.note)}
      </textarea>
      <fieldset>
        <legend>{t('ballots.forecast.keepLegend')}</legend>
        {f.rows.map((r) => (
          <p>
            <input type="checkbox" id={`${p}fc-keep-${r.optionId}`} name="keep" value={r.optionId} checked={kept ? kept.has(r.optionId) : true} />{' '}
            <label for={`${p}fc-keep-${r.optionId}`} style="display:inline">
              {r.label}
            </label>
          </p>
        ))}
      </fieldset>
    </>
  );
}

export const forecastDesk: DeskHook<ForecastPayload> = {
  title: (f, ctx) => ctx.t('ballots.forecast.deskTitle', { title: f.ballotTitle }),
  summary: (f, ctx) => ctx.t('ballots.forecast.line', { n: f.rows.length, k: f.groups.length, clears: f.rows.filter((r) => r.clears).length, share: pct(f.threshold) }),
  render: (f, ctx) => <ForecastSection f={f} p={ctx.item.provenance as ForecastProvenance} t={ctx.t} status={{ approvedAt: null, edited: false }} idPrefix={ctx.idPrefix} />,
  editForm: (f, ctx) => <EditFields f={f} ctx={ctx} />,
  parseEdit(form, f, ctx) {
    const note = first(form, 'note').trim();
    if (note.length > 1000) refuse(ctx.t('ballots.forecast.noteTooLong'), 'note');
    const keepIds = new Set(all(form, 'keep'));
    const rows = f.rows.filter((r) => keepIds.has(r.optionId));
    if (rows.length === 0) refuse(ctx.t('ballots.forecast.keepOne'), 'keep');
    return { ...f, note, rows };
  },
};

export const ballotDesks = () => ({ [FORECAST_KIND]: forecastDesk });
