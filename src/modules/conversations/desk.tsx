/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { DeskContext, DeskHook } from '../../platform/review/registry.js';
import { first, keep, refuse, RowCompare, SideBySide } from '../../web/desk-kit.js';
import { OPINION_MAP_KIND, type OpinionMapPayload } from './domain.js';
import { MapTables } from './pages.js';
import { mapStrings } from './strings.js';
import { GROUP_COLOURS, renderMapSvg } from './svg.js';

/**
 * The review desk for an opinion map: the map as participants will see it (its SVG, each group's representative
 * statements, the consensus), a form naming and describing the groups, and what changed since the approved map.
 */

const pct = (p: number) => `${Math.round(p * 100)} %`;

function MapPicture({ map, ctx, prefix }: { map: OpinionMapPayload; ctx: DeskContext; prefix: string }) {
  return <figure data-opinion-map>{raw(renderMapSvg(map, { strings: mapStrings(ctx.t, map.topic), idPrefix: `${prefix}opinion-map` }))}</figure>;
}

function GroupFields({ map, ctx }: { map: OpinionMapPayload; ctx: DeskContext }) {
  const { t } = ctx;
  const p = ctx.idPrefix;
  return (
    <>
      {map.groups.map((g, gi) => (
        <fieldset data-edit-group={g.id}>
          <legend>
            <span aria-hidden="true" style={`color:${GROUP_COLOURS[gi % GROUP_COLOURS.length]}`}>
              ■
            </span>{' '}
            {t('review.desk.map.groupLegend', { label: g.label, n: g.size })}
          </legend>
          {g.representative[0] ? (
            <p class="cite">
              {t('review.desk.map.typical')} <q>{g.representative[0].text}</q> ({pct(g.representative[0].pSuccess)} {t(`conv.direction.${g.representative[0].direction}`)})
            </p>
          ) : null}
          <label for={`${p}label-${g.id}`}>{t('review.desk.map.name')}</label>
          <input id={`${p}label-${g.id}`} name={`label-${g.id}`} value={keep(ctx, `label-${g.id}`, g.label)} required maxlength={80} />
          <label for={`${p}desc-${g.id}`}>{t('review.desk.map.description')}</label>
          <textarea id={`${p}desc-${g.id}`} name={`desc-${g.id}`} rows={2} maxlength={300}>
            {keep(ctx, `desc-${g.id}`, g.description ?? '')}
          </textarea>
        </fieldset>
      ))}
    </>
  );
}

export const opinionMapDesk: DeskHook<OpinionMapPayload> = {
  title: (m, ctx) => ctx.t('review.desk.map.title', { topic: m.topic }),
  summary: (m, ctx) => ctx.t('review.desk.map.line', { topic: m.topic, n: m.participantCount, k: m.groups.length, votes: m.voteEvents }),
  render: (m, ctx) => (
    <>
      <MapPicture map={m} ctx={ctx} prefix={ctx.idPrefix} />
      <MapTables map={m} t={ctx.t} />
    </>
  ),
  editForm: (m, ctx) => <GroupFields map={m} ctx={ctx} />,
  parseEdit: (f, m, ctx) => {
    const { t } = ctx;
    const seen = new Map<string, string>();
    const groups = m.groups.map((g) => {
      const label = first(f, `label-${g.id}`).replace(/\s+/g, ' ').trim();
      const description = first(f, `desc-${g.id}`).replace(/\s+/g, ' ').trim();
      if (!label) refuse(t('review.desk.map.noName', { label: g.label }), `label-${g.id}`);
      if (label.length > 80) refuse(t('review.desk.map.longName', { label }), `label-${g.id}`);
      if (description.length > 300) refuse(t('review.desk.map.longDescription', { label }), `desc-${g.id}`);
      const key = label.toLocaleLowerCase();
      if (seen.has(key)) refuse(t('review.desk.map.sameName', { label }), `label-${g.id}`);
      seen.set(key, label);
      const { description: _old, ...rest } = g;
      return description ? { ...rest, label, description } : { ...rest, label };
    });
    return { ...m, groups };
  },
  compare: (a, b, ctx) => {
    const { t } = ctx;
    const statements = (m: OpinionMapPayload) => [
      ...m.consensus.agree.map((s) => ({ ...s, side: t('conv.consensus.agree') })),
      ...m.consensus.disagree.map((s) => ({ ...s, side: t('conv.consensus.disagree') })),
    ];
    return (
      <>
        <RowCompare
          t={t}
          caption={t('review.desk.map.cmpGroups')}
          before={a.groups}
          after={b.groups}
          rowKey={(g) => String(g.id)}
          headers={[t('review.desk.map.name'), t('review.desk.map.size'), t('review.desk.map.description')]}
          cells={(g) => [g.label, String(g.size), g.description ?? '']}
        />
        <RowCompare
          t={t}
          caption={t('review.desk.map.cmpConsensus')}
          before={statements(a)}
          after={statements(b)}
          rowKey={(s) => `${s.side}:${s.statementId}`}
          headers={[t('conv.statement'), t('conv.share')]}
          cells={(s) => [`${s.side} — #${s.tid} ${s.text}`, pct(s.pSuccess)]}
        />
        <details>
          <summary>{t('review.desk.map.cmpPictures')}</summary>
          <SideBySide t={t} previous={<MapPicture map={a} ctx={ctx} prefix="cmp-a-" />} draft={<MapPicture map={b} ctx={ctx} prefix="cmp-b-" />} />
        </details>
      </>
    );
  },
};

export const conversationDesks = (): Record<string, DeskHook<any>> => ({ [OPINION_MAP_KIND]: opinionMapDesk });
