/** @jsxImportSource hono/jsx */
/**
 * Survey screens for members: the open surveys, one survey's form (answered once: afterwards the page says so and
 * shows no form; a second post is refused with a sentence). Facilitators' screens are in manage-pages.tsx.
 */
import { Hono, type Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { translator, type T } from '../../web/i18n.js';
import { Csrf, formAll, page } from '../../web/kit.js';
import { registerManagePages } from './manage-pages.js';
import * as svc from './service.js';
import { answersFromForm, QuestionFields, surveyError, type Posted } from './views.js';

function MemberSurvey({ c, v, t, error, posted }: { c: Context<AppEnv>; v: svc.SurveyView; t: T; error?: string; posted?: Posted }) {
  return (
    <>
      <h1>{v.title}</h1>
      <p class="cite">{t(`surveys.phase.${v.phase}.explain`)}</p>
      {error ? <p class="error" role="alert" data-error>{error}</p> : null}
      {v.answered ? (
        <p role="status" data-answered>{t('surveys.answered')}</p>
      ) : v.status === 'closed' ? (
        <p role="status" data-closed>{t('surveys.closedText')}</p>
      ) : (
        <form method="post" action={`/a/${v.assemblyId}/surveys/${v.id}`} class="card">
          <Csrf c={c} />
          <p>{t('surveys.once')}</p>
          {v.questions.map((q) => <QuestionFields q={q} t={t} posted={posted} />)}
          <button type="submit">{t('surveys.submit')}</button>
        </form>
      )}
      <p><a href={`/a/${v.assemblyId}/surveys`}>{t('surveys.back')}</a></p>
    </>
  );
}

export function surveyPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const ctx = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'), c.get('logger'));
  const read = requireAction('participant.read');

  r.get('/a/:assemblyId/surveys', read, (c) => {
    const t = translator(c.get('lang'));
    const a = c.req.param('assemblyId');
    const list = svc.listSurveys(ctx(c), a);
    return page(c, t('surveys.title'), <>
      <h1>{t('surveys.title')}</h1>
      {list.length === 0 ? <p>{t('surveys.none')}</p> : (
        <ul data-surveys>
          {list.map((v) => (
            <li>
              <a href={`/a/${a}/surveys/${v.id}`}>{v.title}</a> — {t(`surveys.status.${v.status}`)}
              {v.answered ? ` (${t('surveys.youAnswered')})` : ''}
            </li>
          ))}
        </ul>
      )}
    </>);
  });

  r.get('/a/:assemblyId/surveys/:surveyId', read, (c) => {
    const t = translator(c.get('lang'));
    const v = svc.getSurvey(ctx(c), c.req.param('assemblyId'), c.req.param('surveyId'));
    return page(c, v.title, <MemberSurvey c={c} v={v} t={t} />);
  });

  r.post('/a/:assemblyId/surveys/:surveyId', requireAction('participant.write'), async (c) => {
    const t = translator(c.get('lang'));
    const a = c.req.param('assemblyId');
    const v = svc.getSurvey(ctx(c), a, c.req.param('surveyId'));
    const f = (await formAll(c)) as Posted;
    try {
      svc.answerSurvey(ctx(c), a, v.id, answersFromForm(v.questions, f));
    } catch (e) {
      if (!(e instanceof AppError) || e.code === 'INTERNAL') throw e;
      // the form keeps what the member wrote; nothing was written
      return page(c, v.title, <MemberSurvey c={c} v={svc.getSurvey(ctx(c), a, v.id)} t={t} error={surveyError(t, c.get('lang'), e)} posted={f} />, e.status);
    }
    return c.redirect(`/a/${a}/surveys/${v.id}`, 303);
  });

  registerManagePages(r, deps);
  return r;
}
