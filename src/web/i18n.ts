import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError } from '../platform/errors.js';
import type { AppEnv } from '../platform/http/types.js';

export type Lang = 'fr' | 'en';
export const LANGS: Lang[] = ['en', 'fr'];
type Catalogue = Record<string, string>;

const readCatalogue = (url: URL): Catalogue => JSON.parse(readFileSync(url, 'utf8')) as Catalogue;

/**
 * The site-wide catalogue (src/web/i18n/<lang>.json) merged with each module's own (src/modules/<name>/i18n/<lang>.json),
 * so a module brings its strings with it. A key defined twice is a mistake and fails at start-up.
 */
function load(l: Lang): Catalogue {
  const cat: Catalogue = { ...readCatalogue(new URL(`./i18n/${l}.json`, import.meta.url)) };
  const modulesDir = new URL('../modules/', import.meta.url);
  for (const name of readdirSync(modulesDir).sort()) {
    const file = new URL(`./${name}/i18n/${l}.json`, modulesDir);
    if (!existsSync(file)) continue;
    for (const [k, v] of Object.entries(readCatalogue(file))) {
      if (k in cat) throw new Error(`i18n: key "${k}" of modules/${name}/i18n/${l}.json is already defined`);
      cat[k] = v;
    }
  }
  return cat;
}
export const CATALOGUES: Record<Lang, Catalogue> = { en: load('en'), fr: load('fr') };

export type T = (key: string, vars?: Record<string, string | number>) => string;

const PLURALS: Record<Lang, Intl.PluralRules> = { en: new Intl.PluralRules('en'), fr: new Intl.PluralRules('fr') };

/**
 * `t(key, vars)`: the catalogue string with `{var}`s filled in. Plurals: when `vars.n` is a number and the catalogue
 * has `<key>.<category>` (Intl.PluralRules categories: `one`, `other`, …), that form is used — so French gets
 * "1 source", "0 source", "2 sources" and English "1 source", "0 sources".
 */
export function translator(lang: Lang): T {
  const cat = CATALOGUES[lang];
  return (key, vars) => {
    const n = vars?.n;
    const form = typeof n === 'number' ? `${key}.${PLURALS[lang].select(n)}` : null;
    const k = form && (form in cat || form in CATALOGUES.en) ? form : typeof n === 'number' && `${key}.other` in cat ? `${key}.other` : key;
    let s = cat[k] ?? CATALOGUES.en[k] ?? k;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  };
}

/**
 * An error's detail in the reader's language: the catalogue sentence when the error names one (platform/errors
 * saying()), else the server's English detail for English readers and null for others (never English on a French page).
 */
export function detailIn(err: { detail: string; extra: Record<string, unknown> }, lang: Lang): string | null {
  const key = err.extra.i18n;
  if (typeof key === 'string' && key in CATALOGUES[lang]) {
    const t = translator(lang);
    // allocated breakout groups are stored as "Group N": a value naming one is said in the reader's language
    const vars = Object.fromEntries(Object.entries((err.extra.vars as Record<string, string | number> | undefined) ?? {}).map(([k, v]) => [k, typeof v === 'string' && /^Group \d+$/.test(v) ? t('deliberation.ideas.groupN', { n: Number(v.slice(6)) }) : v]));
    return t(key, vars);
  }
  return lang === 'en' ? err.detail : null;
}

/**
 * The same error with its detail in the reader's language, for problem+json: only errors that name a catalogue
 * sentence (saying()) change; English readers keep the server's sentence.
 */
export function inReaderLanguage(err: unknown, lang: Lang | undefined): unknown {
  if (!(err instanceof AppError) || !lang || lang === 'en' || typeof err.extra.i18n !== 'string') return err;
  const said = detailIn(err, lang);
  return said === null ? err : new AppError(err.code, said, err.extra);
}

/** ?lang= beats the lang cookie, which beats the account's language, which beats Accept-Language. */
export function negotiateLanguage(c: Context<AppEnv>): Lang {
  const q = c.req.query('lang');
  if (q === 'fr' || q === 'en') return q;
  const cookie = getCookie(c, 'lang');
  if (cookie === 'fr' || cookie === 'en') return cookie;
  const actor = c.get('actor');
  if (actor?.kind === 'user' && (actor.language === 'fr' || actor.language === 'en')) return actor.language;
  const header = c.req.header('accept-language') ?? '';
  const prefs = header
    .split(',')
    .map((p) => {
      const [tag, ...params] = p.trim().split(';');
      const q = params.find((x) => x.trim().startsWith('q='));
      return { lang: tag.toLowerCase().slice(0, 2), q: q ? Number(q.split('=')[1]) : 1 };
    })
    .filter((p) => p.lang === 'fr' || p.lang === 'en')
    .sort((a, b) => b.q - a.q);
  return (prefs[0]?.lang as Lang) ?? 'en';
}
