/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import { translator, type T } from '../../web/i18n.js';
import { evidenceLinks, type Field } from '../recommendations/domain.js';
import type { BrochureModel, BrochureRec, PoolStats } from './domain.js';
import { BROCHURE_CSS } from './style.js';

/**
 * The brochure as one standalone HTML document: the on-screen view and the PDF are this same markup (the PDF is
 * Chromium printing it). Pure: model in, HTML out. Every piece of human text carries its own `lang` when it is not in
 * the reader's language, with a label saying so.
 */

const SECTIONS: Field[] = ['proposal', 'rationale', 'pros', 'cons', 'costs', 'implementers', 'tradeoffs'];
const LANG_NAMES: Record<string, string> = { fr: 'fr', en: 'en', de: 'de', es: 'es', it: 'it', nl: 'nl' };

const langName = (t: T, l: string) => (l in LANG_NAMES ? t(`brochure.lang.${l}`) : l);
const pct = (x: number | null, lang: string) => (x === null ? '—' : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(x));

/** A field's text: bullet lists when every line is a bullet, otherwise one paragraph per line. */
function Body({ text }: { text: string }) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const bullet = /^[-•*]\s+/;
  if (lines.length > 1 && lines.every((l) => bullet.test(l)))
    return (
      <ul>
        {lines.map((l) => (
          <li>{l.replace(bullet, '')}</li>
        ))}
      </ul>
    );
  return <>{lines.map((l) => <p>{l}</p>)}</>;
}

function OriginLabel({ r, t, lang }: { r: BrochureRec; t: T; lang: string }) {
  if (r.origin === 'original') return null;
  const text = r.origin === 'untranslated' ? t('brochure.origin.untranslated', { lang: langName(t, r.language) }) : t(`brochure.origin.${r.origin}`);
  return (
    <p class={`label origin-${r.origin}`} lang={lang} data-origin={r.origin}>
      {text}
    </p>
  );
}

function Recommendation({ r, t, lang }: { r: BrochureRec; t: T; lang: string }) {
  const other = r.language !== lang ? r.language : undefined;
  const links = evidenceLinks(r.fields.evidence);
  return (
    <article id={r.anchor} class="rec" data-rec={r.id} lang={other}>
      <h3>{r.fields.title}</h3>
      <OriginLabel r={r} t={t} lang={lang} />
      <p class="meta" lang={other ? lang : undefined}>
        {t(`brochure.status.${r.status}`)} · {t('brochure.version', { n: r.version })}
      </p>
      {SECTIONS.filter((f) => r.fields[f].trim()).map((f) => (
        <section class={`field field-${f}`}>
          <h4 lang={other ? lang : undefined}>{t(`brochure.field.${f}`)}</h4>
          <Body text={r.fields[f]} />
        </section>
      ))}
      {links.length ? (
        <section class="field field-evidence">
          <h4 lang={other ? lang : undefined}>{t('brochure.field.evidence')}</h4>
          <ul class="evidence">
            {links.map((l) => (
              <li>
                <a href={l.url}>{l.title}</a> <span class="url">{l.url}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}

function Selection({ stats, t, lang }: { stats: PoolStats[]; t: T; lang: string }) {
  if (!stats.length) return <p>{t('brochure.selection.none')}</p>;
  return (
    <>
      {stats.map((p, i) => (
        <div class="pool">
          {stats.length > 1 ? <h3>{t('brochure.selection.pool', { n: i + 1 })}</h3> : null}
          <p>{p.drawn ? t('brochure.selection.drawn', { pool: p.poolSize, panel: p.panelSize }) : t('brochure.selection.notdrawn', { pool: p.poolSize, panel: p.panelSize })}</p>
          {p.features.length ? (
            <div class="table-wrap" role="region" aria-label={t('brochure.selection.caption')} tabindex={0}>
              <table>
                <caption>{t('brochure.selection.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('brochure.selection.feature')}</th>
                    <th scope="col">{t('brochure.selection.poolshare')}</th>
                    <th scope="col">{t('brochure.selection.panelshare')}</th>
                    <th scope="col">{t('brochure.selection.target')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.features.map((f) => (
                    <tr>
                      <th scope="row">
                        {f.category}: {f.value}
                      </th>
                      <td>
                        {pct(f.poolShare, lang)} ({f.pool})
                      </td>
                      <td>{f.panel === null ? '—' : `${pct(f.panelShare, lang)} (${f.panel})`}</td>
                      <td>{f.min === f.max ? f.min : `${f.min}–${f.max}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      ))}
      <p class="note">{t('brochure.selection.note')}</p>
    </>
  );
}

export interface RenderOptions {
  /** when the document was made (shown on the cover) */
  generatedAt: string;
  /** links shown on screen only (the PDF, the other language) */
  links?: { href: string; label: string; hreflang?: string }[];
}

/** The whole document, `<!doctype html>` included. */
export async function renderBrochure(m: BrochureModel, opts: RenderOptions): Promise<string> {
  const t = translator(m.language);
  const lang = m.language;
  const aLang = m.assembly.language !== lang ? m.assembly.language : undefined;
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(opts.generatedAt));
  const title = t('brochure.doc.title', { title: m.assembly.title });
  const doc = (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <style>{raw(BROCHURE_CSS)}</style>
      </head>
      <body>
        <header class="cover">
          <p class="kicker">{t(m.scope === 'final' ? 'brochure.doc.kicker.final' : 'brochure.doc.kicker.drafts')}</p>
          <h1>
            <span lang={aLang}>{m.assembly.title}</span>
          </h1>
          <p class="meta">
            {t('brochure.doc.count', { n: m.recommendationCount })} · <time datetime={opts.generatedAt}>{date}</time>
          </p>
          {opts.links?.length ? (
            <p class="screen-only links">
              {opts.links.map((l) => (
                <>
                  <a href={l.href} hreflang={l.hreflang} lang={l.hreflang}>
                    {l.label}
                  </a>{' '}
                </>
              ))}
            </p>
          ) : null}
        </header>
        <main>
          <nav class="toc" aria-labelledby="toc-h">
            <h2 id="toc-h">{t('brochure.toc')}</h2>
            <ol>
              <li>
                <a href="#about">{t('brochure.about')}</a>
              </li>
              <li>
                <a href="#selection">{t('brochure.selection')}</a>
              </li>
              {m.sections.map((s) => (
                <li>
                  <a href={`#${s.anchor}`} lang={s.language !== lang ? s.language : undefined}>
                    {s.theme}
                  </a>
                  <ol>
                    {s.recs.map((r) => (
                      <li>
                        <a href={`#${r.anchor}`} lang={r.language !== lang ? r.language : undefined}>
                          {r.fields.title}
                        </a>
                      </li>
                    ))}
                  </ol>
                </li>
              ))}
            </ol>
          </nav>
          <section id="about" class="chapter" aria-labelledby="about-h">
            <h2 id="about-h">{t('brochure.about')}</h2>
            {m.assembly.question.trim() ? (
              <div lang={aLang} class="question">
                <Body text={m.assembly.question} />
              </div>
            ) : null}
            {aLang && m.assembly.question.trim() ? <p class="label">{t('brochure.origin.untranslated', { lang: langName(t, m.assembly.language) })}</p> : null}
            <p>{t('brochure.about.text', { n: m.recommendationCount })}</p>
          </section>
          <section id="selection" aria-labelledby="selection-h">
            <h2 id="selection-h">{t('brochure.selection')}</h2>
            <Selection stats={m.stats} t={t} lang={lang} />
          </section>
          {m.sections.map((s) => (
            <section id={s.anchor} class="chapter theme" aria-labelledby={`${s.anchor}-h`}>
              <h2 id={`${s.anchor}-h`}>
                <span class="theme-kicker">{t('brochure.theme')}</span> <span lang={s.language !== lang ? s.language : undefined}>{s.theme}</span>
              </h2>
              {s.recs.map((r) => (
                <Recommendation r={r} t={t} lang={lang} />
              ))}
            </section>
          ))}
        </main>
      </body>
    </html>
  );
  return '<!doctype html>' + (await doc.toString());
}
