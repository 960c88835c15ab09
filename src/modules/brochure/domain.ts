import { createHash } from 'node:crypto';
import { FIELDS, type Field } from '../recommendations/domain.js';

/** Pure rules of the brochure: which text of each recommendation a reader sees, sections, contents, a content hash. */

export const SCOPES = ['drafts', 'final'] as const;
export type Scope = (typeof SCOPES)[number];
export const BROCHURE_LANGS = ['fr', 'en'] as const;
export type BrochureLang = (typeof BROCHURE_LANGS)[number];
/** statuses a 'final' brochure includes */
export const FINAL_STATUSES = ['final', 'put_to_vote'];

/**
 * How a recommendation's text reaches this reader: as written (in the brochure's language), a person's translation,
 * a machine translation a facilitator approved (as is, or edited), or — with no such translation — the original in
 * its own language, labelled. An unreviewed machine translation is never among them.
 */
export type TextOrigin = 'original' | 'human' | 'machine-reviewed' | 'machine-post-edited' | 'untranslated';

export interface RecInput {
  id: string;
  status: string;
  version: number;
  drafterName: string;
  drafterKind: 'group' | 'working_party';
  updatedAt: string;
  fields: Record<Field, string>;
  /** the language it was written in */
  language: string;
}

export interface TranslationInput {
  recommendationId: string;
  language: string;
  sourceVersion: number;
  origin: 'human' | 'machine-reviewed' | 'machine-post-edited';
  fields: Record<string, string>;
}

export interface FeatureShare {
  category: string;
  value: string;
  pool: number;
  panel: number | null;
  poolShare: number;
  panelShare: number | null;
  min: number;
  max: number;
}
export interface PoolStats {
  name: string;
  poolSize: number;
  panelSize: number;
  drawn: boolean;
  algorithm: string;
  features: FeatureShare[];
}

export interface BrochureRec {
  id: string;
  anchor: string;
  status: string;
  version: number;
  drafterName: string;
  /** the language the fields below are in, and how they came to be */
  language: string;
  origin: TextOrigin;
  fields: Record<Field, string>;
}
export interface BrochureSection {
  anchor: string;
  theme: string;
  /** the language the theme's name is in: that of its recommendations when they share one, else the assembly's */
  language: string;
  recs: BrochureRec[];
}
export interface BrochureModel {
  language: BrochureLang;
  scope: Scope;
  assembly: { title: string; question: string; slug: string; language: string };
  sections: BrochureSection[];
  stats: PoolStats[];
  recommendationCount: number;
}

/** The recommendations a scope includes. */
export const inScope = (scope: Scope, status: string) => scope === 'drafts' || FINAL_STATUSES.includes(status);

/** The text shown to a reader of `lang`: the original when it is in that language, else an up-to-date approved translation, else the original, labelled. */
export function textFor(rec: RecInput, translations: TranslationInput[], lang: string): Pick<BrochureRec, 'fields' | 'language' | 'origin'> {
  if (rec.language === lang) return { fields: rec.fields, language: lang, origin: 'original' };
  const tr = translations.find((t) => t.recommendationId === rec.id && t.language === lang && t.sourceVersion === rec.version);
  if (tr) {
    const fields = Object.fromEntries(FIELDS.map((f) => [f, tr.fields[f] ?? ''])) as Record<Field, string>;
    // a field left empty in the translation but not in the original: the translation is incomplete; show the original
    if (FIELDS.every((f) => !rec.fields[f].trim() || fields[f].trim())) return { fields, language: lang, origin: tr.origin };
  }
  return { fields: rec.fields, language: rec.language, origin: 'untranslated' };
}

/** The theme a recommendation belongs to: the working party or group that drafted it (assemblies organise them by theme). */
export const themeOf = (r: Pick<RecInput, 'drafterName'>) => r.drafterName.trim();

/** Sections per theme (alphabetical in the reader's language), recommendations by title within each. */
export function buildBrochure(input: { language: BrochureLang; scope: Scope; assembly: BrochureModel['assembly']; recs: RecInput[]; translations: TranslationInput[]; stats: PoolStats[] }): BrochureModel {
  const collator = new Intl.Collator(input.language);
  const byTheme = new Map<string, BrochureRec[]>();
  for (const r of input.recs.filter((x) => inScope(input.scope, x.status))) {
    const t = textFor(r, input.translations, input.language);
    const list = byTheme.get(themeOf(r)) ?? [];
    list.push({ id: r.id, anchor: '', status: r.status, version: r.version, drafterName: r.drafterName, ...t });
    byTheme.set(themeOf(r), list);
  }
  const themes = [...byTheme.keys()].sort(collator.compare);
  let n = 0;
  const sections = themes.map((theme, i) => {
    const recs = byTheme.get(theme)!.sort((a, b) => collator.compare(a.fields.title, b.fields.title) || a.id.localeCompare(b.id));
    for (const r of recs) r.anchor = `rec-${++n}`;
    const written = new Set(input.recs.filter((r) => themeOf(r) === theme).map((r) => r.language));
    return { anchor: `theme-${i + 1}`, theme, language: written.size === 1 ? [...written][0] : input.assembly.language, recs };
  });
  return { language: input.language, scope: input.scope, assembly: input.assembly, sections, stats: input.stats, recommendationCount: n };
}

/** Hash of what the brochure says (not when it was made): equal hashes, nothing to regenerate. */
export function contentHash(m: BrochureModel): string {
  return createHash('sha256').update(JSON.stringify(m)).digest('hex');
}

/** Selection statistics from a pool's quota table (pool counts stand for the population the panel is drawn from). */
export function poolStats(p: { name: string; poolSize: number; panelSize: number; algorithm: string; drawn: boolean; quotas: { category: string; value: string; min: number; max: number; pool: number; panel: number | null }[] }): PoolStats {
  const panelTotal = p.drawn ? p.quotas.length ? Math.max(...categoriesTotals(p.quotas)) : 0 : 0;
  return {
    name: p.name,
    poolSize: p.poolSize,
    panelSize: p.panelSize,
    drawn: p.drawn,
    algorithm: p.algorithm,
    features: p.quotas.map((q) => ({
      category: q.category,
      value: q.value,
      pool: q.pool,
      panel: q.panel,
      min: q.min,
      max: q.max,
      poolShare: p.poolSize ? q.pool / p.poolSize : 0,
      panelShare: q.panel === null || !panelTotal ? null : q.panel / panelTotal,
    })),
  };
}

/** panel members counted per category (each person has one value per category, so every category sums to the panel) */
function categoriesTotals(quotas: { category: string; panel: number | null }[]): number[] {
  const sums = new Map<string, number>();
  for (const q of quotas) sums.set(q.category, (sums.get(q.category) ?? 0) + (q.panel ?? 0));
  return [...sums.values()];
}
