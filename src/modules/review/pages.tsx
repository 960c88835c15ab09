/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import type { ReviewItem } from '../../platform/review/queue.js';
import type { DeskContext, DeskForm } from '../../platform/review/registry.js';
import { translator } from '../../web/i18n.js';
import { page } from '../../web/kit.js';
import { DeskScreen, deskTitle, type DeskProps } from './desk.js';
import * as review from './service.js';

/** A posted form as the desk hooks read it: every field's string values, in order (files dropped). */
export async function deskForm(c: Context<AppEnv>): Promise<DeskForm> {
  const b = await c.req.parseBody({ all: true });
  const out: DeskForm = {};
  for (const [k, v] of Object.entries(b)) {
    if (k === '_csrf') continue;
    const vs = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
    out[k] = vs;
  }
  return out;
}

/** The review desk's pages: one layout for every kind (GET), and the decisions and kind actions it posts. */
export function reviewPages(deps: Deps) {
  const r = new Hono<AppEnv>();

  const deskContext = (c: Context<AppEnv>, item: ReviewItem, posted?: DeskForm): DeskContext => {
    const lang = c.get('lang');
    return {
      lang,
      t: translator(lang),
      db: deps.db,
      ctx: ctxFor(deps, c.get('actor'), c.get('logger')),
      item: { id: item.id, assemblyId: item.assemblyId, kind: item.kind, subject: item.subject, title: item.title, status: item.status, sources: item.sources, provenance: item.provenance },
      csrf: c.get('csrfToken') ?? '',
      idPrefix: '',
      actionBase: `/facilitate/${item.assemblyId}/review/${item.id}/act`,
      posted,
    };
  };

  const show = (c: Context<AppEnv>, item: ReviewItem, opts: { posted?: DeskForm; error?: AppError } = {}) => {
    const dctx = deskContext(c, item, opts.posted);
    const { previous, newer } = review.deskNeighbours(dctx.ctx, deps.review, item);
    // the desk's own refusals are already in the reader's language; a decision that came too late is said in it too
    const e = opts.error;
    const error: DeskProps['error'] = e ? (e.code === 'CONFLICT' ? { message: dctx.t('review.desk.conflict'), fields: [] } : { message: e.detail, fields: (e.extra.errors ?? []).filter((x) => x.message !== e.detail && x.message !== 'Required') }) : undefined;
    const kind = deps.reviewKinds.get(item.kind);
    const body = <DeskScreen t={dctx.t} item={item} kind={kind} dctx={dctx} previous={previous} newer={newer} error={error} />;
    return page(c, deskTitle(item, kind, dctx), body, opts.error ? opts.error.status : 200);
  };

  r.get('/facilitate/:assemblyId/review/:itemId', requireAction('review.read'), (c) => {
    const item = deps.review.get(deps.db, c.req.param('itemId'), c.req.param('assemblyId'));
    return show(c, item);
  });

  r.post('/facilitate/:assemblyId/review/:itemId/:decision', requireAction('review.decide'), async (c) => {
    const { assemblyId, itemId, decision } = c.req.param();
    const ctx = ctxFor(deps, c.get('actor'), c.get('logger'));
    const f = await deskForm(c);
    const item = deps.review.get(deps.db, itemId, assemblyId);
    try {
      if (decision === 'approve') review.approve(ctx, deps.review, assemblyId, itemId);
      else if (decision === 'reject') {
        const reason = (f.reason?.[0] ?? '').trim();
        if (!reason) throw new AppError('VALIDATION', translator(c.get('lang'))('review.desk.reasonMissing'), { errors: [{ path: 'reason', message: 'Required' }] });
        review.reject(ctx, deps.review, assemblyId, itemId, reason.slice(0, 2000));
      }
      else if (decision === 'edit') {
        const hook = deps.reviewKinds.get(item.kind)?.desk;
        if (!hook?.parseEdit) throw new AppError('VALIDATION', translator(c.get('lang'))('review.desk.noEdit'));
        const payload = hook.parseEdit(f, item.payload, deskContext(c, item, f));
        review.edit(ctx, deps.review, assemblyId, itemId, payload);
      } else throw new AppError('NOT_FOUND', `Unknown decision '${decision}'.`);
    } catch (e) {
      // a refused decision re-shows the desk with the reviewer's words and the reason; the queue wrote nothing
      if (e instanceof AppError && (e.code === 'VALIDATION' || e.code === 'CONFLICT' || e.code === 'PRECONDITION_FAILED')) return show(c, deps.review.get(deps.db, itemId, assemblyId), { posted: f, error: e });
      throw e;
    }
    return c.redirect(`/facilitate/${assemblyId}`, 303);
  });

  r.post('/facilitate/:assemblyId/review/:itemId/act/:op', requireAction('review.decide'), async (c) => {
    const { assemblyId, itemId, op } = c.req.param();
    const item = deps.review.get(deps.db, itemId, assemblyId);
    const hook = deps.reviewKinds.get(item.kind)?.desk;
    if (!hook?.act) throw new AppError('NOT_FOUND', `A ${item.kind} has no action '${op}'.`);
    const f = await deskForm(c);
    try {
      const res = await hook.act(op, f, item.editedPayload ?? item.payload, deskContext(c, item, f));
      return c.redirect(`/facilitate/${assemblyId}/review/${res?.itemId ?? itemId}`, 303);
    } catch (e) {
      if (e instanceof AppError && (e.code === 'VALIDATION' || e.code === 'CONFLICT' || e.code === 'PRECONDITION_FAILED' || e.code === 'NOT_FOUND')) return show(c, deps.review.get(deps.db, itemId, assemblyId), { posted: f, error: e });
      throw e;
    }
  });

  return r;
}
