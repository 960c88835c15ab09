import { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import { AppError, invalid } from '../../platform/errors.js';
import type { ReviewKind } from '../../platform/review/registry.js';
import { cleanFields, FIELDS, recSubject, type Field } from '../recommendations/domain.js';
import { recommendationOf } from '../recommendations/service.js';
import { assemblyOf, recInputs } from './collect.js';
import { brochureRepo } from './repo.js';

/**
 * Which language a recommendation was written in, and the translations a reader may see: a person's (entered by the
 * assembly's staff) or a machine translation approved in the review queue (kind `recommendation-translation`, whose
 * publish() is the only path by which machine text reaches these rows).
 */

export const TRANSLATION_KIND = 'recommendation-translation';

export const TranslationPayload = z.strictObject({
  recommendationId: z.string(),
  language: z.string().min(2).max(8),
  sourceLanguage: z.string().min(2).max(8),
  sourceVersion: z.number().int().min(1),
  fields: z.record(z.string(), z.string().max(10_000)),
});
export type TranslationPayload = z.infer<typeof TranslationPayload>;

function languageOk(a: { languages: string[] }, language: string) {
  if (!a.languages.includes(language)) throw invalid(`This assembly works in ${a.languages.join(', ')}; '${language}' is not one of its languages.`, [{ path: 'language', message: 'Not a language of the assembly' }]);
}

/** Says which language a recommendation was written in (staff). Translations keep their own source language. */
export function setRecommendationLanguage(ctx: Ctx, assemblyId: string, recommendationId: string, language: string) {
  const a = assemblyOf(ctx.db, assemblyId);
  recommendationOf(ctx, assemblyId, recommendationId);
  languageOk(a, language);
  ctx.db.transaction((tx) => {
    brochureRepo.setLanguage(tx, { recommendationId, language, setBy: actorId(ctx.actor), setAt: ctx.clock().toISOString() });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'recommendation.language', subject: recSubject(recommendationId), data: { language } });
  });
  return { recommendationId, language };
}

/** The cleaned fields of a translation: every field the original fills must be translated. */
function translatedFields(original: Record<Field, string>, input: Partial<Record<Field, string>>): Record<Field, string> {
  const cleaned = cleanFields(Object.fromEntries(FIELDS.filter((f) => input[f] !== undefined).map((f) => [f, input[f]!])));
  const missing = FIELDS.filter((f) => original[f].trim() && !cleaned[f]?.trim());
  if (missing.length) throw invalid(`Translate every field the recommendation fills; missing: ${missing.join(', ')}.`, missing.map((f) => ({ path: f, message: 'Required' })));
  return Object.fromEntries(FIELDS.map((f) => [f, cleaned[f] ?? ''])) as Record<Field, string>;
}

/** A person's translation of the current version (staff). It counts until the recommendation is edited. */
export function setHumanTranslation(ctx: Ctx, assemblyId: string, recommendationId: string, language: string, input: Partial<Record<Field, string>>) {
  const a = assemblyOf(ctx.db, assemblyId);
  languageOk(a, language);
  const rec = recInputs(ctx.db, assemblyId).find((r) => r.id === recommendationId);
  recommendationOf(ctx, assemblyId, recommendationId);
  if (!rec) throw new AppError('NOT_FOUND', `Recommendation '${recommendationId}' does not exist.`);
  if (rec.language === language) throw invalid(`This recommendation is written in '${language}' already; a translation goes into another language.`, [{ path: 'language', message: 'Same as the original' }]);
  const fields = translatedFields(rec.fields, input);
  ctx.db.transaction((tx) => {
    brochureRepo.upsertTranslation(tx, { recommendationId, language, sourceLanguage: rec.language, sourceVersion: rec.version, origin: 'human', fields, reviewItemId: null, by: actorId(ctx.actor), createdAt: ctx.clock().toISOString() });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'recommendation.translate', subject: recSubject(recommendationId), data: { language, version: rec.version, origin: 'human' } });
  });
  return { recommendationId, language, sourceLanguage: rec.language, sourceVersion: rec.version, origin: 'human' as const, fields };
}

/** The review kind for machine translations of a recommendation: approved (or edited) ones become readable. */
export function translationKind(): ReviewKind<TranslationPayload> {
  return {
    kind: TRANSLATION_KIND,
    label: 'recommendation translation',
    payload: TranslationPayload,
    publish(tx, { item, payload, reviewerId, machine }) {
      brochureRepo.upsertTranslation(tx, {
        recommendationId: payload.recommendationId, language: payload.language, sourceLanguage: payload.sourceLanguage, sourceVersion: payload.sourceVersion,
        origin: machine ? 'machine-reviewed' : 'machine-post-edited', fields: payload.fields, reviewItemId: item.id, by: reviewerId, createdAt: new Date().toISOString(),
      });
    },
  };
}
