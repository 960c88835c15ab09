/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ctxFor, type Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/http/guard.js';
import type { AppEnv } from '../../platform/http/types.js';
import { translator } from '../../web/i18n.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { calendarRepo } from './calendar-repo.js';
import * as learn from './learning.js';
import { Csrf, form, one, page, said } from './kit.js';
import { MATERIAL_KINDS } from './schema.js';

function assemblyOr404(deps: Deps, id: string) {
  const a = assembliesRepo.byId(deps.db, id);
  if (!a) throw new AppError('NOT_FOUND', `Assembly '${id}' does not exist.`);
  return a;
}
const isParticipant = (c: Context<AppEnv>) => {
  const a = c.get('actor');
  return a.kind === 'user' && a.role === 'participant';
};
const Alert = ({ error, c }: { error?: AppError; c: Context<AppEnv> }) =>
  error ? (
    <div class="card" role="alert" data-testid="error">
      <p class="error">{said(error, c.get('lang'), translator(c.get('lang')))}</p>
    </div>
  ) : null;

/** runs a form action; a refused one (4xx other than 403/404) re-renders the page with the reason */
async function attempt(c: Context<AppEnv>, fn: () => unknown, back: string, render: (e: AppError) => Response | Promise<Response>) {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError && e.status < 500 && e.status !== 404 && e.status !== 403) return render(e);
    throw e;
  }
  return c.redirect(back, 303);
}

export function learningPages(deps: Deps) {
  const r = new Hono<AppEnv>();
  const manage = requireAction('assembly.manage');
  const read = requireAction('participant.read');
  const write = requireAction('participant.write');
  const ctxOf = (c: Context<AppEnv>) => ctxFor(deps, c.get('actor'));

  // ---- members: materials and tasks ----
  function learningPage(c: Context<AppEnv>, error?: AppError) {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId')!;
    assemblyOr404(deps, assemblyId);
    const materials = learn.listMaterials(ctxOf(c), assemblyId);
    const tasks = learn.listTasks(ctxOf(c), assemblyId, false);
    const csrf = c.get('csrfToken') ?? '';
    const phases = [...new Set(materials.map((m) => m.phase))];
    return page(
      c,
      t('deliberation.learning.title'),
      <>
        <h1>{t('deliberation.learning.title')}</h1>
        <p>
          <a href={`/a/${assemblyId}`}>{t('deliberation.my.back')}</a> · <a href={`/a/${assemblyId}/questions`}>{t('deliberation.qa.title')}</a>
        </p>
        <Alert error={error} c={c} />
        {materials.length === 0 ? <p>{t('deliberation.learning.none')}</p> : null}
        {phases.map((ph) => (
          <section aria-label={ph ?? t('deliberation.learning.noPhase')}>
            <h2>{ph ?? t('deliberation.learning.noPhase')}</h2>
            <ul>
              {materials
                .filter((m) => m.phase === ph)
                .map((m) => (
                  <li data-material={m.id}>
                    <a href={`/a/${assemblyId}/learning/${m.id}`}>{m.title}</a> — {t(`deliberation.learning.kind.${m.kind}`)}
                    {m.minutes ? `, ${m.minutes} min` : ''} —{' '}
                    <span data-progress>{m.finished ? t('deliberation.learning.finished') : m.opened ? t('deliberation.learning.opened') : t('deliberation.learning.notOpened')}</span>
                  </li>
                ))}
            </ul>
          </section>
        ))}
        <h2>{t('deliberation.learning.tasks')}</h2>
        {tasks.map((task, i) => (
          <section class="card" aria-labelledby={`task-${i}`}>
            <h3 id={`task-${i}`}>{task.prompt}</h3>
            {task.mine ? (
              <p>{t('deliberation.learning.myAnswer', { text: task.mine })}</p>
            ) : isParticipant(c) ? (
              <form method="post" action={`/a/${assemblyId}/learning/tasks/${task.id}`}>
                <Csrf token={csrf} />
                <label for={`ta-${i}`}>{t('deliberation.learning.answer')}</label>
                <textarea id={`ta-${i}`} name="text" required maxlength={5000} rows={4} />
                <button type="submit">{t('deliberation.learning.send')}</button>
              </form>
            ) : null}
            {task.shared.length ? (
              <>
                <h4>{t('deliberation.learning.shared')}</h4>
                <ul>
                  {task.shared.map((s) => (
                    <li>{s.text}</li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
        ))}
      </>,
      error ? error.status : 200,
    );
  }
  r.get('/a/:assemblyId/learning', read, (c) => learningPage(c));
  r.post('/a/:assemblyId/learning/tasks/:taskId', write, async (c) => {
    const f = await form(c);
    const { assemblyId, taskId } = c.req.param();
    return attempt(c, () => learn.submit(ctxOf(c), assemblyId, taskId, one(f.text)), `/a/${assemblyId}/learning`, (e) => learningPage(c, e));
  });

  r.get('/a/:assemblyId/learning/:materialId', read, (c) => {
    const t = translator(c.get('lang'));
    const { assemblyId, materialId } = c.req.param();
    const m = learn.materialOf(ctxOf(c), assemblyId, materialId);
    const progress = isParticipant(c) ? learn.recordProgress(ctxOf(c), assemblyId, materialId, 'opened') : null; // opening the page is opening the material
    const csrf = c.get('csrfToken') ?? '';
    return page(
      c,
      m.title,
      <>
        <h1 lang={m.language}>{m.title}</h1>
        <p>
          <a href={`/a/${assemblyId}/learning`}>{t('deliberation.learning.back')}</a>
        </p>
        <p>
          <a class="button" href={m.url} rel="noopener noreferrer" target="_blank" data-material-link>
            {m.kind === 'video' ? t('deliberation.learning.watch') : t('deliberation.learning.read')}
          </a>
          {m.captionsUrl ? (
            <>
              {' '}
              · <a href={m.captionsUrl}>{t('deliberation.learning.captions')}</a>
            </>
          ) : null}
        </p>
        {m.transcript ? (
          <section aria-labelledby="tr-h">
            <h2 id="tr-h">{t('deliberation.learning.transcript')}</h2>
            <p lang={m.language} style="white-space:pre-wrap">
              {m.transcript}
            </p>
          </section>
        ) : null}
        {progress && !progress.finished ? (
          <form method="post" action={`/a/${assemblyId}/learning/${m.id}/finished`}>
            <Csrf token={csrf} />
            <button type="submit">{t('deliberation.learning.markFinished')}</button>
          </form>
        ) : progress?.finished ? (
          <p data-testid="finished">{t('deliberation.learning.finished')}</p>
        ) : null}
      </>,
    );
  });
  r.post('/a/:assemblyId/learning/:materialId/finished', write, (c) => {
    const { assemblyId, materialId } = c.req.param();
    learn.recordProgress(ctxOf(c), assemblyId, materialId, 'finished');
    return c.redirect(`/a/${assemblyId}/learning/${materialId}`, 303);
  });

  // ---- members: questions for the experts ----
  function questionsPage(c: Context<AppEnv>, error?: AppError) {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId')!;
    assemblyOr404(deps, assemblyId);
    const qs = learn.listQuestions(ctxOf(c), assemblyId);
    const csrf = c.get('csrfToken') ?? '';
    return page(
      c,
      t('deliberation.qa.title'),
      <>
        <h1>{t('deliberation.qa.title')}</h1>
        <p>
          <a href={`/a/${assemblyId}`}>{t('deliberation.my.back')}</a> · <a href={`/a/${assemblyId}/learning`}>{t('deliberation.learning.title')}</a>
        </p>
        <Alert error={error} c={c} />
        {isParticipant(c) ? (
          <form method="post" action={`/a/${assemblyId}/questions`} class="card">
            <Csrf token={csrf} />
            <label for="q-text">{t('deliberation.qa.ask')}</label>
            <textarea id="q-text" name="text" required minlength={5} maxlength={1000} rows={3} />
            <button type="submit">{t('deliberation.qa.send')}</button>
          </form>
        ) : null}
        {qs.length === 0 ? <p>{t('deliberation.qa.none')}</p> : null}
        <ul class="questions">
          {qs.map((q) => (
            <li data-question={q.id} class="card">
              <p>{q.text}</p>
              <p>
                <span data-supports>{t('deliberation.qa.supports', { n: q.supports })}</span> · {t(`deliberation.qa.status.${q.status}`)}
              </p>
              {q.answer || q.answerUrl ? (
                <p>
                  {t('deliberation.qa.answer')} {q.answer}{' '}
                  {q.answerUrl ? <a href={q.answerUrl}>{t('deliberation.qa.answerLink')}</a> : null}
                </p>
              ) : null}
              {isParticipant(c) && !q.mine ? (
                <form method="post" action={`/a/${assemblyId}/questions/${q.id}/support`}>
                  <Csrf token={csrf} />
                  <button type="submit" aria-pressed={q.supportedByMe ? 'true' : 'false'}>
                    {q.supportedByMe ? t('deliberation.qa.supported') : t('deliberation.qa.support')}
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      </>,
      error ? error.status : 200,
    );
  }
  r.get('/a/:assemblyId/questions', read, (c) => questionsPage(c));
  r.post('/a/:assemblyId/questions', write, async (c) => {
    const f = await form(c);
    const assemblyId = c.req.param('assemblyId');
    return attempt(
      c,
      () => {
        if (one(f.text).trim().length < 5) throw new AppError('VALIDATION', 'Write a question of at least 5 characters.');
        learn.ask(ctxOf(c), assemblyId, one(f.text).slice(0, 1000));
      },
      `/a/${assemblyId}/questions`,
      (e) => questionsPage(c, e),
    );
  });
  r.post('/a/:assemblyId/questions/:questionId/support', write, (c) => {
    const { assemblyId, questionId } = c.req.param();
    // refusals name their catalogue sentence: the page says them in the member's language
    return attempt(c, () => learn.support(ctxOf(c), assemblyId, questionId), `/a/${assemblyId}/questions`, (e) => questionsPage(c, e));
  });

  // ---- facilitators: materials, progress, tasks, the slate ----
  function staffPage(c: Context<AppEnv>, extra: { error?: AppError; slate?: ReturnType<typeof learn.slate> } = {}) {
    const t = translator(c.get('lang'));
    const assemblyId = c.req.param('assemblyId')!;
    const a = assemblyOr404(deps, assemblyId);
    const ctx = ctxOf(c);
    const progress = learn.progressReport(ctx, assemblyId);
    const tasks = learn.listTasks(ctx, assemblyId, true);
    const questions = learn.listQuestions(ctx, assemblyId);
    const phases = calendarRepo.phases(deps.db, assemblyId);
    const csrf = c.get('csrfToken') ?? '';
    const base = `/facilitate/${assemblyId}/learning`;
    const groupLabel = (g: string | null) => g ?? t('deliberation.qa.noGroup');
    return page(
      c,
      t('deliberation.learning.staffTitle'),
      <>
        <h1>
          {t('deliberation.learning.staffTitle')} — {a.title}
        </h1>
        <Alert error={extra.error} c={c} />
        <h2>{t('deliberation.learning.progress')}</h2>
        <ul>
          {progress.map((p) => (
            <li data-progress-of={p.materialId}>{t('deliberation.learning.progressValue', { title: p.title, opened: p.opened, finished: p.finished, members: p.members })}</li>
          ))}
        </ul>
        <form method="post" action={`${base}/materials`} class="card">
          <Csrf token={csrf} />
          <h3>{t('deliberation.learning.newMaterial')}</h3>
          <label for="m-kind">{t('deliberation.calendar.kind')}</label>
          <select id="m-kind" name="kind">
            {MATERIAL_KINDS.map((k) => (
              <option value={k}>{t(`deliberation.learning.kind.${k}`)}</option>
            ))}
          </select>
          <label for="m-title">{t('deliberation.calendar.titleLabel')}</label>
          <input id="m-title" name="title" required maxlength={200} />
          <label for="m-url">{t('deliberation.learning.url')}</label>
          <input id="m-url" name="url" type="url" required />
          <label for="m-cap">{t('deliberation.learning.captionsUrl')}</label>
          <input id="m-cap" name="captionsUrl" type="url" />
          <label for="m-tr">{t('deliberation.learning.transcript')}</label>
          <textarea id="m-tr" name="transcript" rows={4} />
          <label for="m-lang">{t('deliberation.calendar.language')}</label>
          <select id="m-lang" name="language">
            {a.languages.map((l) => (
              <option value={l}>{l}</option>
            ))}
          </select>
          <label for="m-phase">{t('deliberation.calendar.phase')}</label>
          <select id="m-phase" name="phaseId">
            <option value="">—</option>
            {phases.map((p) => (
              <option value={p.id}>{p.title}</option>
            ))}
          </select>
          <button type="submit">{t('deliberation.calendar.add')}</button>
        </form>
        <h2>{t('deliberation.learning.tasks')}</h2>
        {tasks.map((task) => (
          <section class="card" aria-label={task.prompt}>
            <h3>{task.prompt}</h3>
            <ul>
              {(task.submissions ?? []).map((s) => (
                <li data-submission={s.id}>
                  {s.text}{' '}
                  <form method="post" action={`${base}/submissions/${s.id}`} style="display:inline">
                    <Csrf token={csrf} />
                    <input type="hidden" name="shared" value={s.shared ? 'false' : 'true'} />
                    <button type="submit">{s.shared ? t('deliberation.learning.unshare') : t('deliberation.learning.share')}</button>
                  </form>
                </li>
              ))}
            </ul>
          </section>
        ))}
        <form method="post" action={`${base}/tasks`} class="card">
          <Csrf token={csrf} />
          <label for="t-prompt">{t('deliberation.learning.newTask')}</label>
          <input id="t-prompt" name="prompt" required maxlength={2000} />
          <button type="submit">{t('deliberation.calendar.add')}</button>
        </form>
        <h2>{t('deliberation.qa.slate')}</h2>
        <p>{t('deliberation.qa.rule')}</p>
        <form method="post" action={`${base}/slate`} class="card">
          <Csrf token={csrf} />
          <label for="sl-size">{t('deliberation.qa.size')}</label>
          <input id="sl-size" name="size" type="number" min="1" max="100" value="5" required />
          <label for="sl-apply">
            <input id="sl-apply" type="checkbox" name="apply" value="true" /> {t('deliberation.qa.apply')}
          </label>
          <button type="submit">{t('deliberation.qa.propose')}</button>
        </form>
        {extra.slate ? (
          <section class="card" data-testid="slate">
            <ol>
              {extra.slate.selected.map((q) => (
                <li>
                  {q.text} ({groupLabel(q.group)})
                </li>
              ))}
            </ol>
            <table>
              <caption>{t('deliberation.qa.shares')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('deliberation.calendar.group')}</th>
                  <th scope="col">{t('deliberation.qa.asked')}</th>
                  <th scope="col">{t('deliberation.qa.selected')}</th>
                </tr>
              </thead>
              <tbody>
                {extra.slate.groups.map((g) => (
                  <tr>
                    <th scope="row">{groupLabel(g.group)}</th>
                    <td>{g.asked}</td>
                    <td>
                      {g.selected} ({Math.round(g.share * 100)} %)
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        <h2>{t('deliberation.qa.toAnswer')}</h2>
        {questions
          .filter((q) => q.status === 'selected')
          .map((q, i) => (
            <form method="post" action={`${base}/questions/${q.id}/answer`} class="card">
              <Csrf token={csrf} />
              <p>{q.text}</p>
              <label for={`an-${i}`}>{t('deliberation.qa.answer')}</label>
              <textarea id={`an-${i}`} name="answer" rows={3} />
              <label for={`au-${i}`}>{t('deliberation.qa.answerLink')}</label>
              <input id={`au-${i}`} name="answerUrl" type="url" />
              <button type="submit">{t('deliberation.qa.markAnswered')}</button>
            </form>
          ))}
      </>,
      extra.error ? extra.error.status : 200,
    );
  }
  const back = (c: Context<AppEnv>) => `/facilitate/${c.req.param('assemblyId')}/learning`;
  r.get('/facilitate/:assemblyId/learning', manage, (c) => staffPage(c));
  r.post('/facilitate/:assemblyId/learning/materials', manage, async (c) => {
    const f = await form(c);
    return attempt(
      c,
      () => {
        if (!(MATERIAL_KINDS as readonly string[]).includes(one(f.kind))) throw new AppError('VALIDATION', 'Choose the kind of material.');
        learn.createMaterial(ctxOf(c), c.req.param('assemblyId'), { kind: one(f.kind) as (typeof MATERIAL_KINDS)[number], title: one(f.title), url: one(f.url), captionsUrl: one(f.captionsUrl) || null, transcript: one(f.transcript) || null, language: one(f.language), phaseId: one(f.phaseId) || null });
      },
      back(c),
      (e) => staffPage(c, { error: e }),
    );
  });
  r.post('/facilitate/:assemblyId/learning/tasks', manage, async (c) => {
    const f = await form(c);
    return attempt(c, () => learn.createTask(ctxOf(c), c.req.param('assemblyId'), { prompt: one(f.prompt) }), back(c), (e) => staffPage(c, { error: e }));
  });
  r.post('/facilitate/:assemblyId/learning/submissions/:submissionId', manage, async (c) => {
    const f = await form(c);
    learn.shareSubmission(ctxOf(c), c.req.param('assemblyId'), c.req.param('submissionId'), one(f.shared) === 'true');
    return c.redirect(back(c), 303);
  });
  r.post('/facilitate/:assemblyId/learning/slate', manage, async (c) => {
    const f = await form(c);
    const size = Number(one(f.size));
    if (!Number.isInteger(size) || size < 1 || size > 100) return staffPage(c, { error: new AppError('VALIDATION', 'The slate holds 1 to 100 questions.') });
    return staffPage(c, { slate: learn.slate(ctxOf(c), c.req.param('assemblyId'), size, one(f.apply) === 'true') });
  });
  r.post('/facilitate/:assemblyId/learning/questions/:questionId/answer', manage, async (c) => {
    const f = await form(c);
    return attempt(c, () => learn.answer(ctxOf(c), c.req.param('assemblyId'), c.req.param('questionId'), { answer: one(f.answer) || null, answerUrl: one(f.answerUrl) || null }), back(c), (e) => staffPage(c, { error: e }));
  });
  return r;
}
