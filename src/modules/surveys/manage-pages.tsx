/** @jsxImportSource hono/jsx */
/**
 * Survey screens for facilitators (create a questionnaire as a draft, check it, open it, close it, make the post
 * survey from the pre one so their questions match) and for researchers and facilitators (opinion change from a pre
 * to a post survey, aggregates only, withheld under the minimum group).
 */
import type { Context, Hono } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError, localised } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { translator, type T } from '../../web/i18n.js';
import { Csrf, formAll, one, page } from '../../web/kit.js';
import { MIN_GROUP, type Question, type QuestionKind } from './domain.js';
import * as svc from './service.js';
import { ChangeTable, surveyError, type Posted } from './views.js';
import { latestMap } from '../contributions/service.js';
import { sendAnswersToTextMap, textMapTopic } from './textmap.js';

const KINDS: QuestionKind[] = ['single', 'multiple', 'scale', 'text'];
const SLOTS = 4;

/** The creation form's question slots as questions (empty labels skipped). */
export function questionsFromForm(f: Posted): Question[] {
  const out: Question[] = [];
  for (let i = 1; i <= 30; i++) {
    const label = one(f[`label_${i}`]).trim();
    if (!label) continue;
    const kind = one(f[`kind_${i}`]) as QuestionKind;
    if (!KINDS.includes(kind)) throw localised('VALIDATION', `Question ${i} has no known kind.`, 'surveys.err.kind', { i });
    const key = one(f[`key_${i}`]).trim() || `q${i}`;
    const q: Question = { key, kind, label };
    if (kind === 'single' || kind === 'multiple') q.choices = one(f[`choices_${i}`]).split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
    if (kind === 'scale') {
      const min = Number(one(f[`min_${i}`]) || 1), max = Number(one(f[`max_${i}`]) || 5);
      q.min = min;
      q.max = max;
    }
    out.push(q);
  }
  return out;
}

function CreateForm({ c, t, slots, posted }: { c: Context<AppEnv>; t: T; slots: number; posted?: Posted }) {
  const a = c.req.param('assemblyId');
  const val = (k: string, d = '') => (posted && k in posted ? one(posted[k]) : d);
  return (
    <form method="post" action={`/facilitate/${a}/surveys`} class="card">
      <h2>{t('surveys.create')}</h2>
      <Csrf c={c} />
      <label for="s-title">{t('surveys.field.title')}</label>
      <input id="s-title" name="title" required maxlength={200} value={val('title')} />
      <label for="s-phase">{t('surveys.field.phase')}</label>
      <select id="s-phase" name="phase">
        {(['pre', 'post'] as const).map((p) => <option value={p} selected={val('phase', 'pre') === p}>{t(`surveys.phase.${p}`)}</option>)}
      </select>
      <p class="cite">{t('surveys.field.help')}</p>
      {Array.from({ length: slots }, (_, j) => j + 1).map((i) => (
        <fieldset data-slot={i}>
          <legend>{t('surveys.field.question', { i })}</legend>
          <label for={`s-label-${i}`}>{t('surveys.field.label')}</label>
          <input id={`s-label-${i}`} name={`label_${i}`} maxlength={500} value={val(`label_${i}`)} />
          <label for={`s-kind-${i}`}>{t('surveys.field.kind')}</label>
          <select id={`s-kind-${i}`} name={`kind_${i}`}>
            {KINDS.map((k) => <option value={k} selected={val(`kind_${i}`, 'single') === k}>{t(`surveys.kind.${k}`)}</option>)}
          </select>
          <label for={`s-choices-${i}`}>{t('surveys.field.choices')}</label>
          <textarea id={`s-choices-${i}`} name={`choices_${i}`} rows={3} style="min-height:4rem">{val(`choices_${i}`)}</textarea>
          <label for={`s-min-${i}`}>{t('surveys.field.min')}</label>
          <input id={`s-min-${i}`} name={`min_${i}`} type="number" step={1} value={val(`min_${i}`, '1')} />
          <label for={`s-max-${i}`}>{t('surveys.field.max')}</label>
          <input id={`s-max-${i}`} name={`max_${i}`} type="number" step={1} value={val(`max_${i}`, '5')} />
          <label for={`s-key-${i}`}>{t('surveys.field.key')}</label>
          <input id={`s-key-${i}`} name={`key_${i}`} maxlength={40} value={val(`key_${i}`, `q${i}`)} />
        </fieldset>
      ))}
      <button type="submit">{t('surveys.create.submit')}</button>
      <p><a href={`/facilitate/${a}/surveys?slots=${Math.min(30, slots + 4)}`}>{t('surveys.moreSlots')}</a></p>
    </form>
  );
}

/** A free-text question's way to the text map: the button, and the map's draft (or approved map) once there is one. */
function TextMapRow({ c, deps, v, qKey, label, t }: { c: Context<AppEnv>; deps: Deps; v: svc.SurveyView; qKey: string; label: string; t: T }) {
  const latest = latestMap(ctxFor(deps, c.get('actor'), c.get('logger')), deps.review, v.assemblyId, textMapTopic(v.title, label));
  return (
    <div data-textmap={qKey}>
      <form method="post" action={`/facilitate/${v.assemblyId}/surveys/${v.id}/text-map/${qKey}`}>
        <Csrf c={c} />
        <button type="submit" class="secondary">{t(latest ? 'surveys.textmap.again' : 'surveys.textmap.send')}</button>
      </form>
      {latest ? <p><a href={`/facilitate/${v.assemblyId}/review/${latest.item.id}`}>{t('surveys.textmap.open', { status: t(`review.state.${latest.item.status}`) })}</a></p> : null}
    </div>
  );
}

export function registerManagePages(r: Hono<AppEnv>, deps: Deps) {
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));
  const manage = requireAction('surveys.manage');

  const listPage = (c: Context<AppEnv>, opts: { error?: string; posted?: Posted; status?: number } = {}) => {
    const t = translator(c.get('lang'));
    const a = c.req.param('assemblyId')!;
    const list = svc.listSurveys(ctx(c), a);
    const slots = Math.max(SLOTS, Math.min(30, Number(c.req.query('slots')) || SLOTS));
    return page(c, t('surveys.manage.title'), <>
      <h1>{t('surveys.manage.title')}</h1>
      <p><a href={`/facilitate/${a}/surveys/results`}>{t('surveys.results.link')}</a></p>
      {list.length === 0 ? <p>{t('surveys.none')}</p> : (
        <div role="region" aria-labelledby="s-list" tabindex={0} style="overflow-x:auto;max-width:100%">
          <table data-survey-list>
            <caption id="s-list">{t('surveys.title')}</caption>
            <thead><tr><th scope="col">{t('surveys.field.title')}</th><th scope="col">{t('surveys.field.phase')}</th><th scope="col">{t('surveys.status')}</th><th scope="col">{t('surveys.answers')}</th></tr></thead>
            <tbody>{list.map((v) => <tr><td><a href={`/facilitate/${a}/surveys/${v.id}`}>{v.title}</a></td><td>{t(`surveys.phase.${v.phase}`)}</td><td>{t(`surveys.status.${v.status}`)}</td><td>{svc.answerCount(ctx(c), v.id)}</td></tr>)}</tbody>
          </table>
        </div>
      )}
      {opts.error ? <p class="error" role="alert" data-error>{opts.error}</p> : null}
      <CreateForm c={c} t={t} slots={slots} posted={opts.posted} />
    </>, opts.status ?? 200);
  };

  r.get('/facilitate/:assemblyId/surveys', manage, (c) => listPage(c));

  r.post('/facilitate/:assemblyId/surveys', manage, async (c) => {
    const t = translator(c.get('lang'));
    const a = c.req.param('assemblyId');
    const f = (await formAll(c)) as Posted;
    try {
      const title = one(f.title).trim();
      if (!title || title.length > 200) throw localised('VALIDATION', 'Give the survey a title (at most 200 characters).', 'surveys.err.title');
      const v = svc.createSurvey(ctx(c), a, { title, phase: one(f.phase) === 'post' ? 'post' : 'pre', questions: questionsFromForm(f), open: false });
      return c.redirect(`/facilitate/${a}/surveys/${v.id}`, 303);
    } catch (e) {
      if (!(e instanceof AppError) || e.code === 'INTERNAL') throw e;
      return listPage(c, { error: surveyError(t, c.get('lang'), e), posted: f, status: e.status });
    }
  });

  // results before /:surveyId so that 'results' is not read as a survey id
  r.get('/facilitate/:assemblyId/surveys/results', requireAction('surveys.results'), (c) => {
    const t = translator(c.get('lang'));
    const a = c.req.param('assemblyId');
    const all = svc.listSurveys(ctx(c), a);
    const pres = all.filter((v) => v.phase === 'pre'), posts = all.filter((v) => v.phase === 'post');
    const pre = pres.find((v) => v.id === c.req.query('pre')) ?? pres[pres.length - 1];
    const post = posts.find((v) => v.id === c.req.query('post')) ?? posts[posts.length - 1];
    const change = pre && post ? svc.surveyChange(ctx(c), a, pre.id, post.id) : null;
    return page(c, t('surveys.results.title'), <>
      <h1>{t('surveys.results.title')}</h1>
      <p>{t('surveys.results.explain', { min: MIN_GROUP })}</p>
      {!pre || !post ? <p data-no-pair>{t('surveys.results.needPair')}</p> : (
        <>
          <form method="get" action={`/facilitate/${a}/surveys/results`} class="card">
            <label for="r-pre">{t('surveys.phase.pre')}</label>
            <select id="r-pre" name="pre">{pres.map((v) => <option value={v.id} selected={v.id === pre.id}>{v.title}</option>)}</select>
            <label for="r-post">{t('surveys.phase.post')}</label>
            <select id="r-post" name="post">{posts.map((v) => <option value={v.id} selected={v.id === post.id}>{v.title}</option>)}</select>
            <button type="submit" class="secondary">{t('surveys.results.compare')}</button>
          </form>
          <p data-both={change!.respondentsBoth}>{t('surveys.results.both', { n: change!.respondentsBoth })}</p>
          {change!.questions.length === 0 ? <p>{t('surveys.results.noCommon')}</p> : <ChangeTable rows={change!.questions} t={t} lang={c.get('lang')} min={MIN_GROUP} />}
        </>
      )}
    </>);
  });

  r.get('/facilitate/:assemblyId/surveys/:surveyId', manage, (c) => {
    const t = translator(c.get('lang'));
    const a = c.req.param('assemblyId');
    const v = svc.getSurvey(ctx(c), a, c.req.param('surveyId'));
    const action = (op: string, label: string, cls?: string) => (
      <form method="post" action={`/facilitate/${a}/surveys/${v.id}/${op}`}>
        <Csrf c={c} />
        <button type="submit" class={cls} data-op={op}>{label}</button>
      </form>
    );
    return page(c, v.title, <>
      <h1>{v.title}</h1>
      <p data-status={v.status}>{t(`surveys.phase.${v.phase}`)} — {t(`surveys.status.${v.status}`)} — {t('surveys.answerCount', { n: svc.answerCount(ctx(c), v.id) })}</p>
      {v.status === 'draft' ? <p>{t('surveys.draftExplain')}</p> : null}
      {c.req.query('textmap') === 'queued' ? <p role="status" data-textmap-queued>{t('surveys.textmap.queued')}</p> : null}
      {v.status === 'draft' ? action('open', t('surveys.open')) : v.status === 'open' ? action('close', t('surveys.close'), 'secondary') : null}
      <section class="card" aria-labelledby="qs-h">
        <h2 id="qs-h">{t('surveys.questions')}</h2>
        <ol>
          {v.questions.map((q) => (
            <li data-question={q.key}>
              {q.label} <span class="cite">({t(`surveys.kind.${q.kind}`)}{q.kind === 'scale' ? ` ${q.min}–${q.max}` : ''}{q.choices ? ` : ${q.choices.join(' / ')}` : ''}; {t('surveys.field.key')} <code>{q.key}</code>)</span>
              {q.kind === 'text' && v.status !== 'draft' ? <TextMapRow c={c} deps={deps} v={v} qKey={q.key} label={q.label} t={t} /> : null}
            </li>
          ))}
        </ol>
      </section>
      {v.phase === 'pre' ? action('copy', t('surveys.copy'), 'secondary') : null}
      <p><a href={`/facilitate/${a}/surveys/results`}>{t('surveys.results.link')}</a> · <a href={`/facilitate/${a}/surveys`}>{t('surveys.manage.title')}</a></p>
    </>);
  });

  r.post('/facilitate/:assemblyId/surveys/:surveyId/text-map/:questionKey', manage, (c) => {
    const { assemblyId: a, surveyId, questionKey } = c.req.param();
    sendAnswersToTextMap(ctx(c), deps.jobs, a, surveyId, questionKey);
    return c.redirect(`/facilitate/${a}/surveys/${surveyId}?textmap=queued`, 303);
  });

  r.post('/facilitate/:assemblyId/surveys/:surveyId/copy', manage, (c) => {
    const t = translator(c.get('lang'));
    const { assemblyId: a, surveyId } = c.req.param();
    const v = svc.getSurvey(ctx(c), a, surveyId);
    const copy = svc.createSurvey(ctx(c), a, { title: t('surveys.copyTitle', { title: v.title }), phase: 'post', questions: v.questions, open: false });
    return c.redirect(`/facilitate/${a}/surveys/${copy.id}`, 303);
  });
  for (const op of ['open', 'close'] as const) {
    r.post(`/facilitate/:assemblyId/surveys/:surveyId/${op}`, manage, (c) => {
      const { assemblyId: a, surveyId } = c.req.param();
      svc.setSurveyStatus(ctx(c), a, surveyId, op === 'open' ? 'open' : 'closed');
      return c.redirect(`/facilitate/${a}/surveys/${surveyId}`, 303);
    });
  }
}
