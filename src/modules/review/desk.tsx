/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { ReviewItem } from '../../platform/review/queue.js';
import type { DeskContext, ReviewKind } from '../../platform/review/registry.js';
import { Readable, SideBySide } from '../../web/desk-kit.js';
import type { T } from '../../web/i18n.js';
import { DESK_CSS } from './style.js';

/**
 * The one review desk: what it is and why it waits (one line), the decision at the top (sticky), the output as
 * participants will see it, what changed since the approved version, the edit form, then provenance and source
 * material folded away. Each kind brings its renderer and form through ReviewKind.desk; others get Readable.
 */
export interface DeskProps {
  t: T;
  item: ReviewItem;
  kind: ReviewKind<unknown> | undefined;
  dctx: DeskContext;
  /** the approved version this draft would replace (or, for a decided item, the one it replaced) */
  previous: ReviewItem | null;
  /** the draft that replaced this one, when superseded */
  newer: ReviewItem | null;
  /** why a posted edit or action was refused */
  error?: { message: string; fields: Array<{ path: string; message: string }> };
}

const date = (iso: string | null, lang: string) => (iso ? new Date(iso).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC' : '');

export function kindName(t: T, kind: string, fallback?: string): string {
  const k = `review.desk.kind.${kind}`;
  const v = t(k);
  return v === k ? (fallback ?? kind) : v;
}

function Why({ t, item, kind, dctx, payload }: { t: T; item: ReviewItem; kind: ReviewKind<unknown> | undefined; dctx: DeskContext; payload: unknown }) {
  const when = item.status === 'pending' ? item.createdAt : (item.decidedAt ?? item.createdAt);
  const what = kind?.desk?.summary?.(payload, dctx);
  return (
    <p class="desk-why" data-desk-why>
      <span class="badge">{kindName(t, item.kind, kind?.label)}</span> {what ? <strong>{what}. </strong> : null}
      {t(`review.desk.why.${item.status}`, { date: date(when, dctx.lang) })}
    </p>
  );
}

function Bar({ t, item, dctx, canEdit, newer }: { t: T; item: ReviewItem; dctx: DeskContext; canEdit: boolean; newer: ReviewItem | null }) {
  const base = `/facilitate/${item.assemblyId}/review/${item.id}`;
  return (
    <section class="desk-bar" aria-labelledby="desk-actions-h" data-desk-actions>
      <h2 id="desk-actions-h" class="visually-hidden">
        {t('review.desk.actions')}
      </h2>
      {item.status === 'pending' ? (
        <>
          <form method="post" action={`${base}/approve`}>
            <input type="hidden" name="_csrf" value={dctx.csrf} />
            <button type="submit" data-approve>
              {t('review.desk.approve')}
            </button>
          </form>
          {canEdit ? (
            <a class="desk-button" href="#desk-edit">
              {t('review.desk.toEdit')}
            </a>
          ) : null}
          <details class="desk-reject">
            <summary>{t('review.desk.reject')}…</summary>
            <form method="post" action={`${base}/reject`}>
              <input type="hidden" name="_csrf" value={dctx.csrf} />
              <label for="desk-reason">{t('review.desk.reason')}</label>
              <input id="desk-reason" name="reason" required maxlength={2000} aria-describedby="desk-reason-help" />
              <p id="desk-reason-help" class="cite">
                {t('review.desk.reasonHelp')}
              </p>
              <button type="submit" class="danger">
                {t('review.desk.reject')}
              </button>
            </form>
          </details>
        </>
      ) : (
        <p>
          <strong data-status={item.status}>{t('review.desk.decided', { status: t(`review.desk.status.${item.status}`) })}</strong>
          {item.reason ? <> · {t('review.desk.reasonWas', { reason: item.reason })}</> : null}
          {newer ? (
            <>
              {' '}
              · {t('review.desk.newer')} <a href={`/facilitate/${item.assemblyId}/review/${newer.id}`}>{t('review.desk.openNewer')}</a>
            </>
          ) : null}
        </p>
      )}
    </section>
  );
}

function Provenance({ t, item }: { t: T; item: ReviewItem }) {
  const p = (item.provenance ?? {}) as Record<string, unknown>;
  const { stage, version, modelIds, weightsSha256, params, seed, inputHash, ...other } = p;
  const list = (v: unknown) => (Array.isArray(v) && v.length ? v.map((x) => (x == null ? t('review.desk.prov.none') : String(x))) : [t('review.desk.prov.none')]);
  return (
    <details class="desk-fold" data-provenance>
      <summary>{t('review.desk.provenance')}</summary>
      <dl class="desk-dl">
        <dt>{t('review.desk.prov.stage')}</dt>
        <dd><code>{String(stage ?? '')}</code></dd>
        <dt>{t('review.desk.prov.version')}</dt>
        <dd>{String(version ?? '')}</dd>
        <dt>{t('review.desk.prov.models')}</dt>
        <dd>{list(modelIds).join(', ')}</dd>
        <dt>{t('review.desk.prov.weights')}</dt>
        <dd class="desk-hash">
          {list(weightsSha256).map((w) => (
            <span>{w} </span>
          ))}
        </dd>
        <dt>{t('review.desk.prov.params')}</dt>
        <dd>
          <Readable value={params ?? {}} t={t} />
        </dd>
        <dt>{t('review.desk.prov.seed')}</dt>
        <dd>{seed == null ? t('review.desk.prov.none') : String(seed)}</dd>
        <dt>{t('review.desk.prov.input')}</dt>
        <dd class="desk-hash">{String(inputHash ?? '')}</dd>
        <dt>{t('review.desk.prov.job')}</dt>
        <dd>{item.jobId ?? t('review.desk.prov.none')}</dd>
        {Object.keys(other).length ? (
          <>
            <dt>{t('review.desk.prov.other')}</dt>
            <dd>
              <Readable value={other} t={t} />
            </dd>
          </>
        ) : null}
      </dl>
    </details>
  );
}

/** the heading: the kind's own (translated) title when it has one, else the item's */
export const deskTitle = (item: ReviewItem, kind: ReviewKind<unknown> | undefined, dctx: DeskContext): string => kind?.desk?.title?.(item.editedPayload ?? item.payload, dctx) ?? item.title;

export function DeskScreen(p: DeskProps) {
  const { t, item, kind, dctx, previous } = p;
  const hook = kind?.desk;
  const shown = item.editedPayload ?? item.payload;
  // a kind's renderer that cannot read this payload (an older shape) must not hide the draft: it reads generically
  const render = (payload: unknown, prefix: string): Child => {
    if (!hook) return <Readable value={payload} t={t} />;
    try {
      return hook.render(payload, { ...dctx, idPrefix: prefix });
    } catch (e) {
      dctx.ctx.logger.warn({ err: e, kind: item.kind, itemId: item.id }, 'desk renderer failed; generic reading shown');
      return (
        <>
          <p class="cite">{t('review.desk.fallback')}</p>
          <Readable value={payload} t={t} />
        </>
      );
    }
  };
  const canEdit = item.status === 'pending' && !!hook?.editForm && !!hook.parseEdit;
  const sources = Array.isArray(item.sources) ? item.sources : [];
  // what changed: a pending draft against the approved version it would replace; an edited item against what the machine proposed
  const cmpFrom = item.status === 'edited' ? item.payload : previous ? (previous.editedPayload ?? previous.payload) : null;
  const compare = (a: unknown, b: unknown): Child =>
    hook?.compare ? hook.compare(a, b, { ...dctx, idPrefix: 'cmp-' }) : <SideBySide t={t} previous={render(a, 'cmp-a-')} draft={render(b, 'cmp-b-')} />;
  return (
    <div class="desk" data-desk={item.kind}>
      <style>{DESK_CSS}</style>
      <p>
        <a href={`/facilitate/${item.assemblyId}`}>{t('review.desk.back')}</a>
      </p>
      <h1>{deskTitle(item, kind, dctx)}</h1>
      <Why t={t} item={item} kind={kind} dctx={dctx} payload={shown} />
      <Bar t={t} item={item} dctx={dctx} canEdit={canEdit} newer={p.newer} />
      {p.error ? (
        <div class="error desk-error" role="alert" data-desk-error>
          <p>{t('review.desk.failed')}</p>
          <p>{p.error.message}</p>
          {p.error.fields.length ? (
            <ul>
              {p.error.fields.map((f) => (
                <li>{f.message}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <section aria-labelledby="desk-seen-h" class="desk-render" data-desk-render>
        <h2 id="desk-seen-h">{item.status === 'edited' ? t('review.desk.asSeenEdited') : t('review.desk.asSeen')}</h2>
        {render(shown, 'draft-')}
      </section>
      {cmpFrom !== null ? (
        <section aria-labelledby="desk-cmp-h" data-desk-compare>
          <h2 id="desk-cmp-h">{item.status === 'edited' ? t('review.desk.changesEdited') : t('review.desk.changes')}</h2>
          {compare(cmpFrom, shown)}
        </section>
      ) : item.status === 'pending' ? (
        <p class="cite" data-desk-compare="none">
          {t('review.desk.noPrevious')}
        </p>
      ) : null}
      {item.status === 'pending' ? (
        <section aria-labelledby="desk-edit-h" id="desk-edit" class="card" data-desk-edit>
          <h2 id="desk-edit-h">{t('review.desk.edit')}</h2>
          {canEdit ? (
            <form method="post" action={`/facilitate/${item.assemblyId}/review/${item.id}/edit`}>
              <input type="hidden" name="_csrf" value={dctx.csrf} />
              <p class="cite">{t('review.desk.editHelp')}</p>
              {hook!.editForm!(item.payload, { ...dctx, idPrefix: 'edit-' })}
              <button type="submit" data-publish-edit>
                {t('review.desk.publishEdit')}
              </button>
            </form>
          ) : (
            <p>{t('review.desk.noEdit')}</p>
          )}
          {hook?.actions ? (
            <div class="desk-more">
              <h3>{t('review.desk.moreActions')}</h3>
              {hook.actions(item.payload, { ...dctx, idPrefix: 'act-' })}
            </div>
          ) : null}
        </section>
      ) : null}
      <Provenance t={t} item={item} />
      <details class="desk-fold" data-sources>
        <summary>{t('review.desk.sources', { n: sources.length })}</summary>
        <Readable value={sources} t={t} />
      </details>
    </div>
  );
}
