/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { Deps } from '../../deps.js';
import { actorId } from '../../platform/context.js';
import type { DeskContext, DeskHook } from '../../platform/review/registry.js';
import { all, first, keep, refuse, RowCompare, SideBySide } from '../../web/desk-kit.js';
import { CONSENSUS_KIND, renameCluster, TEXT_MAP_KIND, type ConsensusPayload, type TextMapPayload } from './domain.js';
import { contributionsRepo } from './repo.js';
import { reviseMap } from './service.js';
import { renderTextMapSvg, styleOf, topClusters } from './svg.js';

/**
 * The review desk for the text map (its picture, each cluster with its label, size, keywords and sample quotes in
 * the contributors' own words; labels edited in a form; merge and split as actions making a new draft) and for
 * consensus candidates (kept or left out one by one: they quote contributions, so their words are not edited).
 */

type Cluster = TextMapPayload['clusters'][number];

function Picture({ map, ctx, prefix }: { map: TextMapPayload; ctx: DeskContext; prefix: string }) {
  const { t } = ctx;
  const svg = renderTextMapSvg(map, {
    idPrefix: `${prefix}text-map`,
    strings: { title: t('contrib.svg.title'), summary: (n, k) => t('contrib.svg.summary', { n, k }), cluster: (num, label, size) => t('contrib.svg.cluster', { num, label, size }) },
  });
  return <figure data-text-map>{raw(svg)}</figure>;
}

function Clusters({ map, ctx }: { map: TextMapPayload; ctx: DeskContext }) {
  const { t } = ctx;
  const tops = topClusters(map);
  const quoteIds = tops.flatMap((c) => c.representativeIds.slice(0, 3));
  const rows = new Map(contributionsRepo.byIds(ctx.db, quoteIds).map((r) => [r.id, r]));
  return (
    <ol class="desk-clusters">
      {tops.map((c, i) => {
        const subs = map.clusters.filter((x) => x.parentId === c.id);
        return (
          <li class="card" data-cluster={c.id}>
            <h3 id={`${ctx.idPrefix}cl-${c.id}`}>
              <span aria-hidden="true" style={`color:${styleOf(i).colour}`}>
                ■
              </span>{' '}
              {i + 1}. <span data-cluster-label>{c.label}</span> <span class="cite">({t('review.desk.textmap.size', { n: c.size })})</span>
            </h3>
            <p class="cite">{t('review.desk.textmap.keywords', { list: c.keywords.slice(0, 6).map((k) => k.term).join(', ') })}</p>
            {subs.length ? (
              <p class="cite">{t('review.desk.textmap.subtopics', { list: subs.map((s) => `${s.label} (${s.size})`).join(' ; ') })}</p>
            ) : null}
            <ul aria-label={t('review.desk.textmap.quotes')}>
              {c.representativeIds.slice(0, 3).map((id) => {
                const r = rows.get(id);
                return r ? (
                  <li>
                    <q lang={r.language ?? undefined}>{r.text}</q>
                  </li>
                ) : null;
              })}
            </ul>
          </li>
        );
      })}
    </ol>
  );
}

const textMapDesk = (deps: Pick<Deps, 'review' | 'models'>): DeskHook<TextMapPayload> => ({
  title: (m, ctx) => ctx.t('review.desk.textmap.title', { topic: m.topic || ctx.t('review.desk.textmap.allTopics') }),
  summary: (m, ctx) => {
    const line = ctx.t('review.desk.textmap.line', { topic: m.topic || ctx.t('review.desk.textmap.allTopics'), n: m.points.length, k: topClusters(m).length });
    const last = m.revisions.at(-1);
    return last ? `${line} — ${ctx.t(`review.desk.textmap.revised.${last.op}`, { n: last.clusters.length })}` : line;
  },
  render: (m, ctx) => (
    <>
      <Picture map={m} ctx={ctx} prefix={ctx.idPrefix} />
      <Clusters map={m} ctx={ctx} />
      {m.apart.length ? <p class="cite">{ctx.t('review.desk.textmap.apart', { n: m.apart.length })}</p> : null}
    </>
  ),
  editForm: (m, ctx) => (
    <>
      {topClusters(m).map((c, i) => (
        <div class="desk-edit-row" data-edit-cluster={c.id}>
          <label for={`${ctx.idPrefix}label-${c.id}`}>{ctx.t('review.desk.textmap.label', { num: i + 1, n: c.size })}</label>
          <input id={`${ctx.idPrefix}label-${c.id}`} name={`label-${c.id}`} value={keep(ctx, `label-${c.id}`, c.label)} required maxlength={200} />
        </div>
      ))}
    </>
  ),
  parseEdit: (f, m, ctx) => {
    let out = m;
    const renamed: string[] = [];
    topClusters(m).forEach((c, i) => {
      const label = first(f, `label-${c.id}`).replace(/\s+/g, ' ').trim();
      if (!label) refuse(ctx.t('review.desk.textmap.noLabel', { num: i + 1 }), `label-${c.id}`);
      if (label.length > 200) refuse(ctx.t('review.desk.textmap.longLabel', { num: i + 1 }), `label-${c.id}`);
      if (label !== c.label) {
        out = renameCluster(out, c.id, label);
        renamed.push(c.id);
      }
    });
    const by = actorId(ctx.ctx.actor);
    if (renamed.length && by) out = { ...out, revisions: [...out.revisions, { op: 'rename', clusters: renamed, result: renamed, by, at: ctx.ctx.clock().toISOString(), fromItem: ctx.item.id }] };
    return out;
  },
  actions: (m, ctx) => {
    const tops = topClusters(m);
    const p = ctx.idPrefix;
    return (
      <>
        {tops.length > 1 ? (
          <form method="post" action={`${ctx.actionBase}/merge`} data-desk-merge>
            <input type="hidden" name="_csrf" value={ctx.csrf} />
            <fieldset>
              <legend>{ctx.t('review.desk.textmap.merge')}</legend>
              {tops.map((c, i) => (
                <div class="desk-check">
                  <input type="checkbox" id={`${p}merge-${c.id}`} name="clusterIds" value={c.id} checked={all(ctx.posted ?? {}, 'clusterIds').includes(c.id)} />{' '}
                  <label for={`${p}merge-${c.id}`}>
                    {i + 1}. {c.label} ({c.size})
                  </label>
                </div>
              ))}
            </fieldset>
            <label for={`${p}merge-label`}>{ctx.t('review.desk.textmap.mergeLabel')}</label>
            <input id={`${p}merge-label`} name="label" maxlength={200} value={keep(ctx, 'label', '')} />
            <button type="submit" class="secondary">
              {ctx.t('review.desk.textmap.mergeGo')}
            </button>
          </form>
        ) : null}
        <form method="post" action={`${ctx.actionBase}/split`} data-desk-split>
          <input type="hidden" name="_csrf" value={ctx.csrf} />
          <label for={`${p}split`}>{ctx.t('review.desk.textmap.split')}</label>
          <select id={`${p}split`} name="clusterId" aria-describedby={`${p}split-help`}>
            {tops.map((c, i) => (
              <option value={c.id}>
                {i + 1}. {c.label} ({c.size})
              </option>
            ))}
          </select>
          <p id={`${p}split-help`} class="cite">
            {ctx.t('review.desk.textmap.splitHelp')}
          </p>
          <button type="submit" class="secondary">
            {ctx.t('review.desk.textmap.splitGo')}
          </button>
        </form>
      </>
    );
  },
  act: async (op, f, m, ctx) => {
    const ids = new Set(topClusters(m).map((c) => c.id));
    if (op === 'merge') {
      const clusterIds = [...new Set(all(f, 'clusterIds'))];
      if (clusterIds.length < 2) refuse(ctx.t('review.desk.textmap.mergeTwo'), 'clusterIds');
      if (clusterIds.some((id) => !ids.has(id))) refuse(ctx.t('review.desk.textmap.unknown'), 'clusterIds');
      const label = first(f, 'label').trim();
      if (label.length > 200) refuse(ctx.t('review.desk.textmap.longLabel', { num: '' }), 'label');
      const res = await reviseMap(ctx.ctx, deps, ctx.item.assemblyId, ctx.item.id, { op: 'merge', clusterIds, label: label || undefined });
      return { itemId: res.item.id };
    }
    if (op === 'split') {
      const clusterId = first(f, 'clusterId');
      if (!ids.has(clusterId)) refuse(ctx.t('review.desk.textmap.unknown'), 'clusterId');
      const res = await reviseMap(ctx.ctx, deps, ctx.item.assemblyId, ctx.item.id, { op: 'split', clusterId });
      return { itemId: res.item.id };
    }
    refuse(ctx.t('review.desk.textmap.unknownAction'));
  },
  compare: (a, b, ctx) => (
    <>
      <RowCompare
        t={ctx.t}
        caption={ctx.t('review.desk.textmap.cmp')}
        before={topClusters(a)}
        after={topClusters(b)}
        rowKey={(c: Cluster) => c.id}
        headers={[ctx.t('contrib.label'), ctx.t('contrib.size'), ctx.t('contrib.keywords')]}
        cells={(c: Cluster) => [c.label, String(c.size), c.keywords.slice(0, 3).map((k) => k.term).join(', ')]}
      />
      <details>
        <summary>{ctx.t('review.desk.map.cmpPictures')}</summary>
        <SideBySide t={ctx.t} previous={<Picture map={a} ctx={ctx} prefix="cmp-a-" />} draft={<Picture map={b} ctx={ctx} prefix="cmp-b-" />} />
      </details>
    </>
  ),
});

const pct = (x: number) => `${Math.round(x * 100)} %`;

const consensusDesk: DeskHook<ConsensusPayload> = {
  title: (p, ctx) => ctx.t('review.desk.consensus.title', { topic: p.topic || ctx.t('review.desk.textmap.allTopics') }),
  summary: (p, ctx) => ctx.t('review.desk.consensus.line', { n: p.statements.length, topic: p.topic || ctx.t('review.desk.textmap.allTopics') }),
  render: (p, ctx) => (
    <ol class="desk-sentences">
      {p.statements.map((s, i) => (
        <li data-statement={i}>
          <q lang={s.language}>{s.text}</q>{' '}
          <span class="cite">{ctx.t('review.desk.consensus.support', { n: s.supportSize, breadth: pct(s.clusterBreadth), share: pct(s.nonNegativeShare) })}</span>
        </li>
      ))}
    </ol>
  ),
  editForm: (p, ctx) => (
    <fieldset>
      <legend>{ctx.t('review.desk.consensus.keep')}</legend>
      {p.statements.map((s, i) => (
        <div class="desk-edit-row desk-check">
          <input type="checkbox" id={`${ctx.idPrefix}keep-${i}`} name="keep" value={String(i)} checked={ctx.posted ? all(ctx.posted, 'keep').includes(String(i)) : true} />{' '}
          <label for={`${ctx.idPrefix}keep-${i}`} lang={s.language}>
            {s.text}
          </label>
        </div>
      ))}
    </fieldset>
  ),
  parseEdit: (f, p, ctx) => {
    const keepIdx = new Set(all(f, 'keep').map(Number));
    const statements = p.statements.filter((_, i) => keepIdx.has(i));
    if (statements.length === 0) refuse(ctx.t('review.desk.consensus.none'), 'keep');
    return { ...p, statements };
  },
  compare: (a, b, ctx) => (
    <RowCompare
      t={ctx.t}
      caption={ctx.t('review.desk.consensus.cmp')}
      before={a.statements}
      after={b.statements}
      rowKey={(s) => s.contributionId}
      headers={[ctx.t('review.desk.field.text'), ctx.t('review.desk.field.score')]}
      cells={(s) => [s.text, s.score.toFixed(2)]}
    />
  ),
};

export const contributionDesks = (deps: Deps): Record<string, DeskHook<any>> => ({ [TEXT_MAP_KIND]: textMapDesk(deps), [CONSENSUS_KIND]: consensusDesk });
