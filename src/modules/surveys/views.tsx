/** @jsxImportSource hono/jsx */
/** Survey screens' shared pieces: a question's answer fields, the posted form as answers, the opinion-change table. */
import { detailIn } from '../../web/i18n.js';
import type { AppError } from '../../platform/errors.js';
import type { Lang, T } from '../../web/i18n.js';
import type { Question, QuestionChange } from './domain.js';

export type Posted = Record<string, string | string[]>;
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const fid = (q: Question, i?: number | string) => `q-${q.key}${i === undefined ? '' : `-${i}`}`;

/** The answer fields of one question (a fieldset with a legend, or a labelled text area). */
export function QuestionFields({ q, t, posted }: { q: Question; t: T; posted?: Posted }) {
  const name = `q_${q.key}`;
  const chosen = list(posted?.[name]);
  if (q.kind === 'text') {
    return (
      <p>
        <label for={fid(q)}>{q.label}</label>
        <textarea id={fid(q)} name={name} rows={4} maxlength={2000}>
          {chosen[0] ?? ''}
        </textarea>
      </p>
    );
  }
  const values = q.kind === 'scale' ? Array.from({ length: q.max! - q.min! + 1 }, (_, i) => String(q.min! + i)) : q.choices!;
  const type = q.kind === 'multiple' ? 'checkbox' : 'radio';
  return (
    <fieldset data-question={q.key}>
      <legend>{q.label}</legend>
      <p class="cite">{t(`surveys.kind.${q.kind}.hint`, { min: q.min ?? 0, max: q.max ?? 0 })}</p>
      {values.map((v, i) => (
        <span style="display:inline-block;margin-right:1rem">
          <input type={type} id={fid(q, i)} name={name} value={v} checked={chosen.includes(v)} /> <label for={fid(q, i)} style="display:inline;font-weight:400">{v}</label>
        </span>
      ))}
    </fieldset>
  );
}

/** The posted form as the API's answers: unanswered questions left out. */
export function answersFromForm(qs: Question[], f: Posted): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of qs) {
    const v = list(f[`q_${q.key}`]).map((x) => x.trim()).filter((x) => x !== '');
    if (v.length === 0) continue;
    if (q.kind === 'multiple') out[q.key] = v;
    else if (q.kind === 'scale') out[q.key] = /^-?\d+$/.test(v[0]) ? Number(v[0]) : v[0];
    else out[q.key] = v[0];
  }
  return out;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

/** Opinion change per question, aggregates only; questions under the minimum group are withheld. */
export function ChangeTable({ rows, t, lang, min }: { rows: QuestionChange[]; t: T; lang: string; min: number }) {
  const n = (x: number) => String(Math.round(x * 100) / 100).replace('.', lang === 'fr' ? ',' : '.');
  const signed = (x: number) => (x > 0 ? `+${n(x)}` : n(x));
  return (
    <div role="region" aria-labelledby="change-caption" tabindex={0} style="overflow-x:auto;max-width:100%">
      <table data-change>
        <caption id="change-caption">{t('surveys.change.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('surveys.change.question')}</th>
            <th scope="col">{t('surveys.change.paired')}</th>
            <th scope="col">{t('surveys.change.means')}</th>
            <th scope="col">{t('surveys.change.shift')}</th>
            <th scope="col">{t('surveys.change.changed')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-question={r.key} data-withheld={r.withheld ? 'yes' : 'no'}>
              <th scope="row">{r.label}</th>
              <td>{r.paired}</td>
              {r.withheld ? (
                <td colspan={3}>{t('surveys.change.withheld', { min })}</td>
              ) : (
                <>
                  <td>{r.meanPre !== null && r.meanPost !== null ? t('surveys.change.meanLine', { pre: n(r.meanPre), post: n(r.meanPost) }) : '—'}</td>
                  <td data-shift>{r.meanShift !== null ? signed(r.meanShift) : '—'}</td>
                  <td data-share-changed>{r.shareChanged !== null ? pct(r.shareChanged) : t('surveys.change.text')}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** An AppError's sentence in the reader's language (web/i18n.ts detailIn), else the generic line. */
export function surveyError(t: T, lang: Lang, e: AppError): string {
  return detailIn(e, lang) ?? t('surveys.err.generic');
}
