import type { Ctx } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { notFound } from '../../platform/errors.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { FIELDS, type Field } from '../recommendations/domain.js';
import { recommendationsRepo } from '../recommendations/repo.js';
import { transparency } from '../sortition/service.js';
import { buildBrochure, inScope, poolStats, type BrochureLang, type BrochureModel, type RecInput, type Scope } from './domain.js';
import { brochureRepo } from './repo.js';

export function assemblyOf(db: DbOrTx, assemblyId: string) {
  const a = assembliesRepo.byId(db, assemblyId);
  if (!a) throw notFound('Assembly', assemblyId);
  return a;
}

/** The language an assembly's texts are written in when nobody said otherwise: its first language. */
export const defaultLanguage = (a: { languages: string[] }) => a.languages[0] ?? 'en';

/** The assembly's recommendations with the language each was written in. */
export function recInputs(db: DbOrTx, assemblyId: string): RecInput[] {
  const a = assemblyOf(db, assemblyId);
  const rows = recommendationsRepo.forAssembly(db, assemblyId);
  const langs = new Map(brochureRepo.languages(db, rows.map((r) => r.id)).map((l) => [l.recommendationId, l.language]));
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    version: r.version,
    drafterName: r.drafterName,
    drafterKind: r.drafterKind,
    updatedAt: r.updatedAt,
    fields: Object.fromEntries(FIELDS.map((f) => [f, r[f]])) as Record<Field, string>,
    language: langs.get(r.id) ?? defaultLanguage(a),
  }));
}

export const countInScope = (db: DbOrTx, assemblyId: string, scope: Scope) => recommendationsRepo.forAssembly(db, assemblyId).filter((r) => inScope(scope, r.status)).length;

/**
 * Everything one brochure says, read from the recommendations, their approved translations, the assembly and its
 * selection statistics (the sortition module's public transparency record: no personal data). Call inside a
 * transaction for a consistent snapshot.
 */
export function collectBrochure(ctx: Pick<Ctx, 'db' | 'actor' | 'clock' | 'logger' | 'config'>, db: DbOrTx, assemblyId: string, scope: Scope, languages: BrochureLang[]): BrochureModel[] {
  const a = assemblyOf(db, assemblyId);
  const recs = recInputs(db, assemblyId);
  const translations = brochureRepo.translations(db, recs.map((r) => r.id)).map((t) => ({ ...t, fields: t.fields }));
  const stats = transparency({ ...ctx, db: db as Ctx['db'] }, a.slug).pools.map((p) =>
    poolStats({ name: p.name, poolSize: p.poolSize, panelSize: p.panelSize, algorithm: p.algorithm, drawn: !!p.draw, quotas: p.quotas }),
  );
  const assembly = { title: a.title, question: a.question, slug: a.slug, language: defaultLanguage(a) };
  return languages.map((language) => buildBrochure({ language, scope, assembly, recs, translations, stats }));
}
