import type { z } from 'zod';
import type { Ctx } from '../../platform/context.js';
import type { Tx } from '../../platform/db/client.js';
import { AppError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { ReviewKind } from '../../platform/review/registry.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import { SUMMARY_KIND, SummaryPayload, TRANSLATION_KIND, TranslationPayload } from './domain.js';
import { publicationsRepo } from './repo.js';
import { assembliesRepo } from '../assemblies/repo.js';

export const TRANSLATE_JOB = 'publications.translate';

/**
 * Review kinds for published text. Approving a summary publishes it and queues machine translations into the
 * assembly's other languages; each translation is itself a review item.
 */
export function publicationKinds(jobs: Pick<JobQueue, 'enqueue'>): ReviewKind<any>[] {
  const summary: ReviewKind<z.infer<typeof SummaryPayload>> = {
    kind: SUMMARY_KIND,
    label: 'summary',
    payload: SummaryPayload,
    publish(tx: Tx, { item, payload }) {
      const pub = publicationsRepo.upsert(tx, {
        id: newId('pub_'),
        assemblyId: item.assemblyId,
        reviewItemId: item.id,
        kind: SUMMARY_KIND,
        subject: item.subject,
        language: payload.language,
        title: payload.title,
        body: { sentences: payload.sentences },
        machineTranslated: false,
      });
      const assembly = assembliesRepo.byId(tx, item.assemblyId);
      for (const lang of assembly?.languages ?? []) {
        if (lang === payload.language) continue;
        jobs.enqueue(tx, { type: TRANSLATE_JOB, assemblyId: item.assemblyId, payload: { publicationId: pub.id, to: lang }, idempotencyKey: `translate:${pub.id}:${lang}` });
      }
    },
  };
  const translation: ReviewKind<z.infer<typeof TranslationPayload>> = {
    kind: TRANSLATION_KIND,
    label: 'machine translation',
    payload: TranslationPayload,
    publish(tx: Tx, { item, payload, machine }) {
      // a translation of a summary that has since been withdrawn (its map was replaced) must not appear on its own
      const source = publicationsRepo.byId(tx, payload.sourcePublicationId);
      if (!source) {
        throw new AppError('CONFLICT', 'The summary this translates is no longer published (it was replaced or withdrawn), so this translation cannot be published. A translation of the current version is drafted when that is approved.');
      }
      publicationsRepo.upsert(tx, {
        id: newId('pub_'),
        assemblyId: item.assemblyId,
        reviewItemId: item.id,
        kind: TRANSLATION_KIND,
        subject: source.subject, // readers get, per subject, the version in their language
        language: payload.language,
        title: payload.title,
        body: { sentences: payload.sentences, sourcePublicationId: payload.sourcePublicationId, sourceLanguage: payload.sourceLanguage, postEdited: !machine },
        machineTranslated: true,
      });
    },
  };
  return [summary, translation];
}

export interface PublicationView {
  id: string;
  kind: string;
  subject: string;
  language: string;
  title: string;
  sentences: { text: string; sourceIds: string[] }[];
  machineTranslated: boolean;
  postEdited: boolean;
  publishedAt: string;
}

/**
 * What participants read: only rows written by publish(). For each subject, the version in the reader's language
 * when one is approved, otherwise the original (so nothing is hidden while a translation awaits review).
 */
export function listPublications(ctx: Ctx, assemblyId: string, language?: string): PublicationView[] {
  if (!assembliesRepo.byId(ctx.db, assemblyId)) throw notFound('Assembly', assemblyId);
  const rows = publicationsRepo.forAssembly(ctx.db, assemblyId);
  const best = new Map<string, (typeof rows)[number]>();
  for (const p of rows) {
    const cur = best.get(p.subject);
    const score = (r: (typeof rows)[number]) => (language && r.language === language ? 2 : 0) + (r.machineTranslated ? 0 : 1);
    if (!cur || score(p) > score(cur)) best.set(p.subject, p);
  }
  return [...best.values()].map((p) => {
    const body = p.body as { sentences: { text: string; sourceIds: string[] }[]; postEdited?: boolean };
    return { id: p.id, kind: p.kind, subject: p.subject, language: p.language, title: p.title, sentences: body.sentences, machineTranslated: p.machineTranslated, postEdited: body.postEdited ?? false, publishedAt: p.publishedAt };
  });
}
