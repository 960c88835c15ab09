/** @jsxImportSource hono/jsx */
import type { DeskContext, DeskForm, DeskHook } from '../../platform/review/registry.js';
import { first, keep, refuse, Scroll, SentenceCompare } from '../../web/desk-kit.js';
import { SUMMARY_KIND, TRANSLATION_KIND, type SummaryPayload, type TranslationPayload } from './domain.js';
import { publicationsRepo } from './repo.js';

/**
 * The review desk for published text: a summary as participants read it, each sentence's cited sources opening in
 * place (the contributions' own words, in their language, beside the pivot translation the machine read); a machine
 * translation beside its original, sentence by sentence. Edits are per sentence (citations stay with their sentence).
 */

type Sentence = { text: string; sourceIds: string[] };
type Source = { id: string; text?: string; language?: string | null; pivotText?: string; title?: string; sentences?: string[] };

const sourcesOf = (ctx: DeskContext): Map<string, Source> =>
  new Map((Array.isArray(ctx.item.sources) ? (ctx.item.sources as Source[]) : []).filter((s) => s && typeof s.id === 'string').map((s) => [s.id, s]));

/** One cited source: the original words in their language, and the pivot text the machine read beside it. */
function CitedSource({ ctx, id, src, pivot }: { ctx: DeskContext; id: string; src: Source | undefined; pivot: string }) {
  const { t } = ctx;
  if (!src?.text) return <p class="cite">{t('review.desk.cite.missing', { id })}</p>;
  return (
    <div class="desk-pair" data-source={id}>
      <div>
        <p class="cite">{src.language ? t('review.desk.cite.original', { lang: src.language }) : t('review.desk.cite.asWritten')}</p>
        <blockquote lang={src.language ?? undefined}>{src.text}</blockquote>
      </div>
      {src.pivotText && src.pivotText !== src.text ? (
        <div>
          <p class="cite">{t('review.desk.cite.pivot', { lang: pivot })}</p>
          <blockquote lang={pivot}>{src.pivotText}</blockquote>
        </div>
      ) : null}
    </div>
  );
}

export function CitedSentences({ ctx, sentences, language }: { ctx: DeskContext; sentences: Sentence[]; language: string }) {
  const { t } = ctx;
  const sources = sourcesOf(ctx);
  return (
    <ol class="desk-sentences" lang={language}>
      {sentences.map((s, i) => (
        <li data-sentence={i}>
          <span class="desk-sentence-text">{s.text}</span>{' '}
          {s.sourceIds.length ? (
            <details class="desk-cite" lang={ctx.lang}>
              <summary>{t('review.desk.cite.open', { n: s.sourceIds.length })}</summary>
              {s.sourceIds.map((id) => (
                <CitedSource ctx={ctx} id={id} src={sources.get(id)} pivot={language} />
              ))}
            </details>
          ) : (
            <span class="cite">{t('review.desk.cite.none')}</span>
          )}
        </li>
      ))}
    </ol>
  );
}

/** Title + one textarea per sentence; a sentence can be removed (its citations go with it), never re-cited. */
function SentenceFields({ ctx, title, sentences, originals }: { ctx: DeskContext; title: string; sentences: Sentence[]; originals?: string[] }) {
  const { t } = ctx;
  const p = ctx.idPrefix;
  return (
    <>
      <label for={`${p}title`}>{t('review.desk.sent.title')}</label>
      <input id={`${p}title`} name="title" value={keep(ctx, 'title', title)} required maxlength={300} />
      {sentences.map((s, i) => (
        <div class="desk-edit-row" data-edit-sentence={i}>
          {originals?.[i] ? (
            <p class="cite">
              {t('review.desk.sent.original')} <q>{originals[i]}</q>
            </p>
          ) : null}
          <label for={`${p}s-${i}`}>{t('review.desk.sent.n', { n: i + 1 })}</label>
          <textarea id={`${p}s-${i}`} name={`s-${i}`} rows={3} maxlength={5000} aria-describedby={`${p}s-${i}-cites`}>
            {keep(ctx, `s-${i}`, s.text)}
          </textarea>
          <p id={`${p}s-${i}-cites`} class="cite">
            {t('review.desk.sent.cites', { n: s.sourceIds.length })}
          </p>
          {originals ? null : (
            <label>
              <input type="checkbox" name={`drop-${i}`} value="1" checked={!!ctx.posted?.[`drop-${i}`]} /> {t('review.desk.sent.drop')}
            </label>
          )}
        </div>
      ))}
    </>
  );
}

function parseSentences(f: DeskForm, sentences: Sentence[], ctx: DeskContext, allowDrop: boolean): { title: string; sentences: Sentence[] } {
  const { t } = ctx;
  const title = first(f, 'title').trim();
  if (!title) refuse(t('review.desk.sent.noTitle'), 'title');
  if (title.length > 300) refuse(t('review.desk.sent.longTitle'), 'title');
  const out: Sentence[] = [];
  sentences.forEach((s, i) => {
    if (allowDrop && first(f, `drop-${i}`)) return;
    const text = first(f, `s-${i}`).replace(/\s+/g, ' ').trim();
    if (!text) refuse(t(allowDrop ? 'review.desk.sent.empty' : 'review.desk.sent.emptyTr', { n: i + 1 }), `s-${i}`);
    if (text.length > 5000) refuse(t('review.desk.sent.long', { n: i + 1 }), `s-${i}`);
    out.push({ text, sourceIds: s.sourceIds });
  });
  if (out.length === 0) refuse(t('review.desk.sent.none'), 'sentences');
  return { title, sentences: out };
}

function TitleChange({ ctx, a, b }: { ctx: DeskContext; a: string; b: string }) {
  return a === b ? null : <p data-title-change>{ctx.t('review.desk.sent.titleChanged', { a, b })}</p>;
}

export const summaryDesk: DeskHook<SummaryPayload> = {
  summary: (p, ctx) => ctx.t('review.desk.summary.line', { title: p.title, n: p.sentences.length, lang: p.language }),
  render: (p, ctx) => (
    <article class="card publication" lang={p.language}>
      <h3>{p.title}</h3>
      <CitedSentences ctx={ctx} sentences={p.sentences} language={p.language} />
    </article>
  ),
  editForm: (p, ctx) => <SentenceFields ctx={ctx} title={p.title} sentences={p.sentences} />,
  parseEdit: (f, p, ctx) => ({ ...p, ...parseSentences(f, p.sentences, ctx, true) }),
  compare: (a, b, ctx) => (
    <>
      <TitleChange ctx={ctx} a={a.title} b={b.title} />
      <SentenceCompare t={ctx.t} before={a.sentences.map((s) => s.text)} after={b.sentences.map((s) => s.text)} />
    </>
  ),
};

/** The original's sentences: from the item's source material, else from the publication itself. */
function originalOf(p: TranslationPayload, ctx: DeskContext): string[] {
  const src = sourcesOf(ctx).get(p.sourcePublicationId);
  if (src?.sentences?.length) return src.sentences;
  const pub = publicationsRepo.byId(ctx.db, p.sourcePublicationId);
  return pub ? (pub.body as { sentences: Sentence[] }).sentences.map((s) => s.text) : [];
}

export const translationDesk: DeskHook<TranslationPayload> = {
  summary: (p, ctx) => ctx.t('review.desk.translation.line', { title: p.title, from: p.sourceLanguage, to: p.language }),
  render: (p, ctx) => {
    const orig = originalOf(p, ctx);
    return (
      <article class="card publication" lang={p.language}>
        <h3>{p.title}</h3>
        <p class="badge machine" lang={ctx.lang}>
          {ctx.t('review.desk.translation.badge')}
        </p>
        <Scroll label={ctx.t('review.desk.translation.caption')}>
          <table>
            <caption class="visually-hidden" lang={ctx.lang}>
              {ctx.t('review.desk.translation.caption')}
            </caption>
            <thead lang={ctx.lang}>
              <tr>
                <th scope="col">{ctx.t('review.desk.translation.original', { lang: p.sourceLanguage })}</th>
                <th scope="col">{ctx.t('review.desk.translation.translated', { lang: p.language })}</th>
              </tr>
            </thead>
            <tbody>
              {p.sentences.map((s, i) => (
                <tr data-sentence={i}>
                  <td lang={p.sourceLanguage}>{orig[i] ?? ''}</td>
                  <td>{s.text}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      </article>
    );
  },
  editForm: (p, ctx) => <SentenceFields ctx={ctx} title={p.title} sentences={p.sentences} originals={originalOf(p, ctx)} />,
  parseEdit: (f, p, ctx) => ({ ...p, ...parseSentences(f, p.sentences, ctx, false) }),
  compare: (a, b, ctx) => (
    <>
      <TitleChange ctx={ctx} a={a.title} b={b.title} />
      <SentenceCompare t={ctx.t} before={a.sentences.map((s) => s.text)} after={b.sentences.map((s) => s.text)} />
    </>
  ),
};

export const publicationDesks = (): Record<string, DeskHook<any>> => ({ [SUMMARY_KIND]: summaryDesk, [TRANSLATION_KIND]: translationDesk });
