import type { z } from 'zod';
import type { Ctx } from '../../platform/context.js';
import type { Tx } from '../../platform/db/client.js';
import { AppError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { ReviewKind } from '../../platform/review/registry.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { ReviewQueue } from '../../platform/review/queue.js';
import { sentenceLanguage, SUMMARY_KIND, SummaryPayload, TRANSLATION_KIND, TranslationPayload, type SentenceOrigin } from './domain.js';
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
      const main = payload.language;
      // each sentence keeps the language it was written in (quoted verbatim); readers of another language get a reviewed translation
      const sentences = payload.sentences.map((x) => ({ text: x.text, sourceIds: x.sourceIds, language: sentenceLanguage(x, main) }));
      const pub = publicationsRepo.upsert(tx, {
        id: newId('pub_'),
        assemblyId: item.assemblyId,
        reviewItemId: item.id,
        kind: SUMMARY_KIND,
        subject: item.subject,
        language: payload.language,
        title: payload.title,
        body: { sentences, ...(payload.titles ? { titles: payload.titles } : {}) } satisfies StoredBody,
        machineTranslated: false,
      });
      const assembly = assembliesRepo.byId(tx, item.assemblyId);
      for (const lang of assembly?.languages ?? []) {
        // nothing to translate for readers of a language every sentence (and the title) is already written in
        if (sentences.every((x) => x.language === lang) && (main === lang || payload.titles?.[lang])) continue;
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
      // per sentence: quoted as written (already in the reader's language) or a machine translation a facilitator reviewed
      const srcSentences = (source.body as StoredBody).sentences;
      const reviewed: SentenceOrigin = machine ? 'machine-reviewed' : 'machine-post-edited';
      const sentences = payload.sentences.map((x, i) => {
        const o = srcSentences[i];
        const quoted = o !== undefined && sentenceLanguage(o, source.language) === payload.language && o.text === x.text;
        return { text: x.text, sourceIds: x.sourceIds, language: payload.language, origin: quoted ? ('original' as const) : reviewed };
      });
      const titleOrigin: SentenceOrigin = payload.titleTranslatedFrom || (!machine && payload.title !== (source.body as StoredBody).titles?.[payload.language]) ? reviewed : 'original';
      publicationsRepo.upsert(tx, {
        id: newId('pub_'),
        assemblyId: item.assemblyId,
        reviewItemId: item.id,
        kind: TRANSLATION_KIND,
        subject: source.subject, // readers get, per subject, the version in their language
        language: payload.language,
        title: payload.title,
        body: { sentences, titleOrigin, sourcePublicationId: payload.sourcePublicationId, sourceLanguage: payload.sourceLanguage, postEdited: !machine } satisfies StoredBody,
        machineTranslated: true,
      });
    },
  };
  return [summary, translation];
}

/** The body of a publication row as stored (older rows lack the per-sentence fields). */
export interface StoredBody {
  sentences: Array<{ text: string; sourceIds: string[]; language?: string; origin?: SentenceOrigin }>;
  titles?: Record<string, string>;
  titleOrigin?: SentenceOrigin;
  sourcePublicationId?: string;
  sourceLanguage?: string;
  postEdited?: boolean;
  humanTranslated?: boolean;
}

export interface ReaderSentence {
  text: string;
  sourceIds: string[];
  /** the language the text is in */
  language: string;
  origin: SentenceOrigin;
}

export interface PublicationView {
  id: string;
  kind: string;
  subject: string;
  /** the language of the version shown (its title's; sentences say their own) */
  language: string;
  title: string;
  titleLanguage: string;
  titleOrigin: SentenceOrigin;
  sentences: ReaderSentence[];
  machineTranslated: boolean;
  postEdited: boolean;
  /** a machine translation into the reader's language is being drafted or awaits a facilitator's review */
  translationPending: boolean;
  publishedAt: string;
}

type PubRow = ReturnType<typeof publicationsRepo.forAssembly>[number];

/** Per subject, the version a reader of `language` gets: a person's translation, then a reviewed machine translation, then the original. */
function bestVersion(rows: PubRow[], language?: string): PubRow {
  const score = (r: PubRow) => {
    const b = r.body as StoredBody;
    const translation = r.machineTranslated || b.humanTranslated === true || b.sourcePublicationId !== undefined;
    if (!translation) return 1;
    if (!language || r.language !== language) return 0;
    return r.machineTranslated ? 2 : 3;
  };
  return rows.reduce((best, r) => (score(r) > score(best) ? r : best));
}

/** How a reader of `language` meets one version: each sentence in its language, labelled by how it got there. */
function readerView(p: PubRow, language: string | undefined, pending: boolean): PublicationView {
  const b = p.body as StoredBody;
  const human = b.humanTranslated === true;
  const reader = language ?? p.language;
  // how a sentence (or the title) in language l reached the reader, when the stored body does not say
  const originOf = (l: string): SentenceOrigin => (human ? 'human' : p.machineTranslated ? (b.postEdited ? 'machine-post-edited' : 'machine-reviewed') : l === reader ? 'original' : 'untranslated');
  const sentences: ReaderSentence[] = b.sentences.map((x) => {
    const l = x.language ?? p.language;
    const origin: SentenceOrigin = x.origin ?? originOf(l);
    return { text: x.text, sourceIds: x.sourceIds, language: l, origin };
  });
  // an original's title in the reader's language, taken from the originals of that language, beats one in another language
  const ownTitle = !p.machineTranslated && !human && language ? b.titles?.[language] : undefined;
  const titleLanguage = ownTitle ? language! : p.language;
  const titleOrigin: SentenceOrigin = ownTitle ? 'original' : (b.titleOrigin ?? originOf(titleLanguage));
  return {
    id: p.id,
    kind: p.kind,
    subject: p.subject,
    language: p.language,
    title: ownTitle ?? p.title,
    titleLanguage,
    titleOrigin,
    sentences,
    machineTranslated: p.machineTranslated,
    postEdited: b.postEdited ?? false,
    translationPending: pending && (titleOrigin === 'untranslated' || sentences.some((x) => x.origin === 'untranslated')),
    publishedAt: p.publishedAt,
  };
}

/**
 * The subjects (and publication ids) whose machine translation into `language` is being drafted or awaits review:
 * what lets a page say "translation awaiting review" only when it is true.
 */
export function pendingTranslations(ctx: Ctx, review: Pick<ReviewQueue, 'list'>, jobs: Pick<JobQueue, 'list'>, assemblyId: string, language: string): Set<string> {
  const out = new Set<string>();
  for (const it of review.list(ctx.db, { assemblyId, kind: TRANSLATION_KIND, status: ['pending'], limit: 200 })) {
    const pl = it.payload as { language?: string; sourcePublicationId?: string };
    if (pl.language === language && pl.sourcePublicationId) out.add(pl.sourcePublicationId);
  }
  for (const j of jobs.list({ assemblyId, type: TRANSLATE_JOB, limit: 200 })) {
    const pl = j.payload as { publicationId?: string; to?: string };
    if ((j.status === 'queued' || j.status === 'running') && pl.to === language && pl.publicationId) out.add(pl.publicationId);
  }
  return out;
}

/**
 * What participants read (home page, Summaries page and the API: one query): only rows written by publish(). For
 * each subject, the version in the reader's language when one is approved (a person's translation, then a reviewed
 * machine translation), otherwise the original, whose sentences in another language are labelled as such
 * (`untranslated`, with `translationPending` when a translation awaits review) so nothing is hidden meanwhile.
 */
export function listPublications(ctx: Ctx, assemblyId: string, language?: string, opts: { subjectPrefix?: string; pending?: Set<string> } = {}): PublicationView[] {
  if (!assembliesRepo.byId(ctx.db, assemblyId)) throw notFound('Assembly', assemblyId);
  const rows = publicationsRepo.forAssembly(ctx.db, assemblyId).filter((p) => !opts.subjectPrefix || p.subject.startsWith(opts.subjectPrefix));
  const bySubject = new Map<string, PubRow[]>();
  for (const p of rows) (bySubject.get(p.subject) ?? bySubject.set(p.subject, []).get(p.subject)!).push(p);
  return [...bySubject.values()].map((versions) => {
    const p = bestVersion(versions, language);
    return readerView(p, language, opts.pending?.has(p.id) ?? false);
  });
}
