/** @jsxImportSource hono/jsx */
import { AppError } from '../../platform/errors.js';
import type { DeskHook } from '../../platform/review/registry.js';
import type { T } from '../../web/i18n.js';
import type { DiscussionSummaryPayload } from './domain.js';
import { SummaryView } from './views.js';

type Point = DiscussionSummaryPayload['sentences'][number];
const PARTS = [
  ['sentences', 's', 'debates.summary'],
  ['agreement', 'a', 'debates.summary.agreement'],
  ['disagreement', 'd', 'debates.summary.disagreement'],
] as const;

/**
 * The review desk's view of a discussion summary: exactly what members will see (the machine-made label, each
 * sentence with the comments it cites), the cited comments below with their alignment, and a form to reword or drop
 * sentences (their citations are kept; a sentence cannot be added without sources).
 */
export const discussionSummaryDesk: DeskHook<DiscussionSummaryPayload> = {
  summary: (p, { t }) => `${t('debates.summary')} · ${p.title}: ${p.sentences.length + p.agreement.length + p.disagreement.length} · ${new Set([...p.sentences, ...p.agreement, ...p.disagreement].flatMap((x) => x.sourceIds)).size} #`,
  render(p, { t, item }) {
    const sources = (item.sources as Array<{ id: string; text: string; alignment: string }>) ?? [];
    const cited = new Set([...p.sentences, ...p.agreement, ...p.disagreement].flatMap((x) => x.sourceIds));
    return (
      <>
        <SummaryView s={p} t={t as T} />
        <details>
          <summary>{t('review.sources')}</summary>
          <ul>
            {sources
              .filter((s) => cited.has(s.id))
              .map((s) => (
                <li data-source={s.id}>
                  #{s.id} <span class="badge">{t(`debates.alignment.${s.alignment}`)}</span> <span style="white-space:pre-wrap">{s.text}</span>
                </li>
              ))}
          </ul>
        </details>
      </>
    );
  },
  editForm(p, { t, idPrefix, posted }) {
    return (
      <>
        {PARTS.map(([key, short, label]) =>
          p[key].length ? (
            <fieldset>
              <legend>{t(label)}</legend>
              {p[key].map((x: Point, i: number) => (
                <>
                  <label for={`${idPrefix}${short}-${i}`}>
                    {i + 1}. ({x.sourceIds.map((id) => `#${id}`).join(', ')})
                  </label>
                  <textarea id={`${idPrefix}${short}-${i}`} name={`${short}-${i}`}>
                    {posted?.[`${short}-${i}`]?.[0] ?? x.text}
                  </textarea>
                </>
              ))}
            </fieldset>
          ) : null,
        )}
      </>
    );
  },
  parseEdit(form, p) {
    const next = (key: 'sentences' | 'agreement' | 'disagreement', short: string) =>
      p[key].flatMap((x, i) => {
        const v = (form[`${short}-${i}`]?.[0] ?? x.text).trim();
        if (v.length > 2000) throw new AppError('VALIDATION', `Sentence ${i + 1} is longer than 2,000 characters.`);
        return v ? [{ ...x, text: v }] : [];
      });
    const out = { ...p, sentences: next('sentences', 's'), agreement: next('agreement', 'a'), disagreement: next('disagreement', 'd') };
    if (out.sentences.length === 0) throw new AppError('VALIDATION', 'Keep at least one sentence of the summary (empty a sentence to drop it).');
    return out;
  },
};
