/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { roleOf } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { translator } from '../../web/i18n.js';
import { Csrf, form, page } from '../../web/kit.js';
import { isStaff } from '../debates/service.js';
import { DiffView } from '../recommendations/pages.js';
import * as svc from './service.js';

const KINDS = ['replace', 'insert_after', 'delete'] as const;

export function textPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));

  r.get('/a/:assemblyId/texts', requireAction('participant.read'), (c) => {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId');
    const list = svc.listTexts(ctx(c), assemblyId);
    return page(
      c,
      t('texts.title'),
      <>
        <p>
          <a href={`/a/${assemblyId}`}>{t('nav.home')}</a>
        </p>
        <h1>{t('texts.title')}</h1>
        {list.length === 0 ? <p>{t('texts.none')}</p> : null}
        <ul>
          {list.map((x) => (
            <li>
              <a href={`/a/${assemblyId}/texts/${x.id}`}>{x.title}</a>
            </li>
          ))}
        </ul>
        {isStaff(ctx(c)) ? (
          <section class="card" aria-labelledby="new-text-h">
            <h2 id="new-text-h">{t('texts.new')}</h2>
            <form method="post" action={`/a/${assemblyId}/texts`}>
              <Csrf c={c} />
              <label for="tx-title">{t('texts.field.title')}</label>
              <input id="tx-title" name="title" required minlength={3} maxlength={200} />
              <label for="tx-body">{t('texts.field.body')}</label>
              <p id="tx-help" class="cite">
                {t('texts.field.body.help')}
              </p>
              <textarea id="tx-body" name="body" required aria-describedby="tx-help"></textarea>
              <button type="submit">{t('texts.new')}</button>
            </form>
          </section>
        ) : null}
      </>,
    );
  });

  r.post('/a/:assemblyId/texts', requireAction('deliberation.moderate'), async (c) => {
    const assemblyId = c.req.param('assemblyId');
    const f = await form(c);
    const tx = svc.createText(ctx(c), assemblyId, { title: f.title ?? '', body: f.body ?? '' });
    return c.redirect(`/a/${assemblyId}/texts/${tx.id}`, 303);
  });

  r.get('/a/:assemblyId/texts/:textId', requireAction('participant.read'), (c) => {
    const t = translator(c.get('lang'));
    const { assemblyId, textId } = c.req.param();
    const doc = svc.getText(ctx(c), assemblyId, textId);
    return page(
      c,
      doc.text.title,
      <>
        <p>
          <a href={`/a/${assemblyId}/texts`}>{t('texts.title')}</a>
        </p>
        <h1>{doc.text.title}</h1>
        <p class="cite">{t('texts.help')}</p>
        {doc.sections.map((s) => (
          <section aria-labelledby={`s-${s.id}`}>
            {s.title ? <h2 id={`s-${s.id}`}>{s.title}</h2> : <h2 id={`s-${s.id}`} class="visually-hidden">{t('texts.section')}</h2>}
            {s.paragraphs.map((p) =>
              p.status === 'deleted' ? (
                <p class="cite" data-paragraph={p.id} data-deleted>
                  {t('texts.deleted')} <a href={`/a/${assemblyId}/texts/${textId}/paragraphs/${p.id}`}>{t('texts.history')}</a>
                </p>
              ) : (
                <div class="paragraph" data-paragraph={p.id}>
                  <p style="white-space:pre-wrap">{p.body}</p>
                  <p class="cite">
                    <a href={`/a/${assemblyId}/texts/${textId}/paragraphs/${p.id}`} aria-label={t('texts.paragraph.link', { n: p.id })}>
                      {t('texts.paragraph.meta', { v: p.version, n: p.openAmendments })}
                    </a>
                  </p>
                </div>
              ),
            )}
          </section>
        ))}
      </>,
    );
  });

  r.get('/a/:assemblyId/texts/:textId/paragraphs/:paragraphId', requireAction('participant.read'), (c) => {
    const t = translator(c.get('lang'));
    const { assemblyId, textId, paragraphId } = c.req.param();
    const x = ctx(c);
    const id = Number(paragraphId);
    if (!Number.isInteger(id) || id <= 0) throw new AppError('NOT_FOUND', `Paragraph '${paragraphId}' does not exist.`);
    const d = svc.paragraphDetail(x, assemblyId, textId, id);
    const staff = isStaff(x);
    const member = roleOf(c.get('actor')) === 'participant' || staff;
    const base = `/a/${assemblyId}/texts/${textId}`;
    return page(
      c,
      t('texts.paragraph', { n: id }),
      <>
        <p>
          <a href={base}>{t('texts.back')}</a>
        </p>
        <h1>{t('texts.paragraph', { n: id })}</h1>
        {d.paragraph.status === 'deleted' ? <p class="cite">{t('texts.deleted')}</p> : <blockquote style="white-space:pre-wrap" data-current>{d.paragraph.body}</blockquote>}
        <p class="cite">{t('texts.version', { v: d.paragraph.version })}</p>
        <section aria-labelledby="am-h">
          <h2 id="am-h">{t('texts.amendments')}</h2>
          {d.amendments.length === 0 ? <p>{t('texts.amendments.none')}</p> : null}
          {d.amendments.map((a) => (
            <article class="card" data-amendment={a.id} data-status={a.status} aria-labelledby={`a-${a.id}`}>
              <h3 id={`a-${a.id}`}>
                #{a.id} · {t(`texts.kind.${a.kind}`)} · {a.authorName} · <span class="badge">{t(`texts.status.${a.status}`)}</span>
              </h3>
              {a.conflict ? (
                <p class="error" data-conflict>
                  {t('texts.conflict', { v: a.baseVersion })}
                </p>
              ) : null}
              {a.kind !== 'delete' ? <p style="white-space:pre-wrap">{a.proposedText}</p> : null}
              <p>
                <strong>{t('texts.justification')}</strong> <span style="white-space:pre-wrap">{a.justification}</span>
              </p>
              {a.decisionReason ? <p>{t('texts.reason', { reason: a.decisionReason })}</p> : null}
              <p class="cite">{t('texts.supports', { n: a.supports })}</p>
              {a.status === 'open' && member && !a.mine && !a.supported ? (
                <form method="post" action={`${base}/amendments/${a.id}/support`} class="inline">
                  <Csrf c={c} />
                  <button type="submit" class="secondary">
                    {t('texts.support')}
                  </button>
                </form>
              ) : null}
              {a.status === 'open' && a.mine && a.conflict && !a.subjectDeleted ? (
                <form method="post" action={`${base}/amendments/${a.id}/rebase`}>
                  <Csrf c={c} />
                  <label for={`rb-${a.id}`}>{t('texts.rebase.text')}</label>
                  <textarea id={`rb-${a.id}`} name="text">{a.proposedText}</textarea>
                  <button type="submit">{t('texts.rebase')}</button>
                </form>
              ) : null}
              {a.status === 'open' && staff ? (
                <>
                  <form method="post" action={`${base}/amendments/${a.id}/decision`} class="inline">
                    <Csrf c={c} />
                    <input type="hidden" name="decision" value="accept" />
                    <button type="submit" data-accept={a.id}>
                      {t('texts.accept')}
                    </button>
                  </form>
                  <form method="post" action={`${base}/amendments/${a.id}/decision`}>
                    <Csrf c={c} />
                    <input type="hidden" name="decision" value="reject" />
                    <label for={`rj-${a.id}`}>{t('texts.reject.reason')}</label>
                    <input id={`rj-${a.id}`} name="reason" required />
                    <button type="submit" class="danger">
                      {t('texts.reject')}
                    </button>
                  </form>
                </>
              ) : null}
              <details>
                <summary>{t('texts.discussion')}</summary>
                <ul>
                  {a.comments.map((cm) => (
                    <li>
                      <strong>{cm.author}</strong>: <span style="white-space:pre-wrap">{cm.body}</span>
                    </li>
                  ))}
                </ul>
                {member ? (
                  <form method="post" action={`${base}/amendments/${a.id}/comment`}>
                    <Csrf c={c} />
                    <label for={`cm-${a.id}`}>{t('texts.discussion.comment')}</label>
                    <textarea id={`cm-${a.id}`} name="body" required maxlength={5000}></textarea>
                    <button type="submit" class="secondary">
                      {t('texts.discussion.send')}
                    </button>
                  </form>
                ) : null}
              </details>
            </article>
          ))}
        </section>
        {d.paragraph.status === 'active' && member ? (
          <section class="card" aria-labelledby="propose-h">
            <h2 id="propose-h">{t('texts.propose')}</h2>
            <form method="post" action={`${base}/paragraphs/${id}/amendments`}>
              <Csrf c={c} />
              <input type="hidden" name="baseVersion" value={String(d.paragraph.version)} />
              <fieldset>
                <legend>{t('texts.kind')}</legend>
                {KINDS.map((k) => (
                  <label for={`k-${k}`} class="inline-choice">
                    <input type="radio" id={`k-${k}`} name="kind" value={k} required checked={k === 'replace'} /> {t(`texts.kind.${k}`)}
                  </label>
                ))}
              </fieldset>
              <label for="am-text">{t('texts.proposed')}</label>
              <textarea id="am-text" name="text" maxlength={svc.PARAGRAPH_MAX}>{d.paragraph.body}</textarea>
              <label for="am-just">{t('texts.justification')}</label>
              <textarea id="am-just" name="justification" required maxlength={2000}></textarea>
              <button type="submit">{t('texts.propose')}</button>
            </form>
          </section>
        ) : null}
        <section aria-labelledby="hist-h">
          <h2 id="hist-h">{t('texts.history')}</h2>
          <ol reversed>
            {d.history.map((h) => (
              <li data-version={h.version}>
                <p>
                  {t('texts.version', { v: h.version })} · {h.author} · <time datetime={h.createdAt}>{h.createdAt.slice(0, 16).replace('T', ' ')}</time>
                  {h.note?.startsWith('amendment:') ? <> · {t('texts.from.amendment', { n: h.note.slice(10) })}</> : null}
                </p>
                {h.diff ? <DiffView parts={h.diff} t={t} /> : <p style="white-space:pre-wrap">{h.text}</p>}
              </li>
            ))}
          </ol>
        </section>
      </>,
    );
  });

  const back = (c: Context<AppEnv>, paragraphSubject?: string) => {
    const { assemblyId, textId } = c.req.param() as { assemblyId: string; textId: string };
    return c.redirect(paragraphSubject ? `/a/${assemblyId}/texts/${textId}/paragraphs/${paragraphSubject.split(':')[1]}` : `/a/${assemblyId}/texts/${textId}`, 303);
  };
  r.post('/a/:assemblyId/texts/:textId/paragraphs/:paragraphId/amendments', requireAction('deliberation.write'), async (c) => {
    const { assemblyId, textId, paragraphId } = c.req.param();
    const f = await form(c);
    const kind = KINDS.find((k) => k === f.kind);
    if (!kind) throw new AppError('VALIDATION', 'Choose what the amendment does: replace, insert after, or delete.');
    const a = svc.proposeAmendment(ctx(c), assemblyId, textId, Number(paragraphId), { kind, text: f.text, justification: f.justification ?? '', baseVersion: f.baseVersion ? Number(f.baseVersion) : undefined });
    return back(c, a.subject);
  });
  r.post('/a/:assemblyId/texts/:textId/amendments/:amendmentId/:op', requireAction('deliberation.write'), async (c) => {
    const { assemblyId, textId, amendmentId, op } = c.req.param();
    const f = await form(c);
    const id = Number(amendmentId);
    const x = ctx(c);
    if (op === 'support') svc.supportAmendment(x, assemblyId, textId, id);
    else if (op === 'comment') svc.commentAmendment(x, assemblyId, textId, id, f.body ?? '');
    else if (op === 'rebase') svc.rebaseAmendment(x, assemblyId, textId, id, f.text);
    else if (op === 'decision') svc.decideAmendment(x, assemblyId, textId, id, { decision: f.decision === 'accept' ? 'accept' : 'reject', reason: f.reason });
    else throw new AppError('NOT_FOUND', `There is nothing to do called '${op}'.`);
    return back(c, svc.amendmentSubject(x, assemblyId, id));
  });
  return r;
}
