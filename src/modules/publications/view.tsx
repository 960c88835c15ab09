/** @jsxImportSource hono/jsx */
import type { Lang, T } from '../../web/i18n.js';
import type { SentenceOrigin } from './domain.js';
import type { PublicationView, ReaderSentence } from './service.js';

/** The summary-level origin of the version shown (data-origin; kept for the pages' tests and styles). */
export function versionOrigin(p: PublicationView): 'original' | 'machine-translated' | 'machine-translated-post-edited' | 'human-translated' {
  if (p.sentences.length && p.sentences.every((s) => s.origin === 'human' || s.origin === 'original') && p.sentences.some((s) => s.origin === 'human')) return 'human-translated';
  if (p.machineTranslated) return p.postEdited ? 'machine-translated-post-edited' : 'machine-translated';
  return 'original';
}

const MACHINE: SentenceOrigin[] = ['machine-reviewed', 'machine-post-edited'];

/** The label a reader sees beside text that is not in their language, or not as its author wrote it. */
function OriginLabel({ origin, language, pending, t }: { origin: SentenceOrigin; language: string; pending: boolean; t: T }) {
  if (origin === 'original') return null;
  if (origin === 'untranslated') {
    const inLang = t(`lang.in.${language}`);
    return <span class="badge pending" data-untranslated={language}>{t(pending ? 'pub.untranslated.pending' : 'pub.untranslated.none', { language: inLang })}</span>;
  }
  return <span class={`badge${origin === 'human' ? '' : ' machine'}`}>{t(`pub.origin.${origin}`)}</span>;
}

/**
 * Published summaries as a reader of `lang` gets them: each sentence in the language it is in (`lang` attribute),
 * contributors' own words unlabelled, a reviewed machine translation labelled as one, a sentence still in another
 * language labelled with that language (and "awaiting review" while a translation is). The home page and the
 * Summaries page both render this from the same query (listPublications).
 */
export function PublicationList({ pubs, t, lang, level = 2 }: { pubs: PublicationView[]; t: T; lang: Lang; level?: 2 | 3 }) {
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <>
      {pubs.map((p) => {
        const origins = new Set(p.sentences.map((s) => s.origin));
        const langs = new Set(p.sentences.map((s) => s.language));
        // one label for the whole text when every sentence got there the same way (and, untranslated, is in one language); otherwise one per sentence
        const uniform = origins.size === 1 && (!origins.has('untranslated') || (langs.size === 1 && (p.titleOrigin !== 'untranslated' || p.titleLanguage === [...langs][0]))) ? [...origins][0] : null;
        const allUntranslated = uniform === 'untranslated';
        return (
          <article class="card publication" lang={lang} data-publication={p.id} data-origin={versionOrigin(p)}>
            <H lang={p.titleLanguage}>{p.title}</H>
            {p.titleOrigin === 'untranslated' || allUntranslated ? (
              <p>
                <OriginLabel origin="untranslated" language={allUntranslated ? p.sentences[0].language : p.titleLanguage} pending={p.translationPending} t={t} />
              </p>
            ) : null}
            {uniform && uniform !== 'original' && !allUntranslated ? (
              <p>
                <OriginLabel origin={uniform} language={lang} pending={false} t={t} />
              </p>
            ) : null}
            {p.sentences.map((s) => (
              <Sentence s={s} t={t} perSentence={uniform === null} pending={p.translationPending} />
            ))}
          </article>
        );
      })}
    </>
  );
}

function Sentence({ s, t, perSentence, pending }: { s: ReaderSentence; t: T; perSentence: boolean; pending: boolean }) {
  const machine = MACHINE.includes(s.origin);
  return (
    <p data-sentence-origin={s.origin} data-sentence-lang={s.language}>
      <span lang={s.language}>{s.text}</span>{' '}
      {perSentence && (s.origin === 'untranslated' || machine || s.origin === 'human') ? (
        <>
          <OriginLabel origin={s.origin} language={s.language} pending={pending} t={t} />{' '}
        </>
      ) : null}
      {s.sourceIds.length ? <span class="cite">({t('pub.sources', { n: s.sourceIds.length })})</span> : null}
    </p>
  );
}
