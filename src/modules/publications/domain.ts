import { z } from 'zod';

/** A sentence of published text, citing the contributions (or other sources) it stands for. */
export const CitedSentence = z.strictObject({
  text: z.string().trim().min(1).max(5000),
  sourceIds: z.array(z.string()).default([]),
  /** the sentence's own language, when it differs from the payload's (an extractive summary quotes each contribution in its language) */
  language: z.string().min(2).max(8).optional(),
  /** in a translation: the language this sentence was machine-translated from (absent: quoted as written) */
  translatedFrom: z.string().min(2).max(8).optional(),
});
export type CitedSentence = z.infer<typeof CitedSentence>;

/** An AI-drafted summary (extractive or abstractive) awaiting review. */
export const SummaryPayload = z.strictObject({
  title: z.string().trim().min(1).max(300),
  /** the main language (of the title, and of sentences without their own) */
  language: z.string().min(2).max(8),
  /** the title in other languages, from original texts of that language (not machine-translated) */
  titles: z.record(z.string(), z.string().trim().min(1).max(300)).optional(),
  sentences: z.array(CitedSentence).min(1).max(200),
});
export type SummaryPayload = z.infer<typeof SummaryPayload>;

/** A machine translation of an approved publication; itself reviewed before participants see it. */
export const TranslationPayload = z.strictObject({
  title: z.string().trim().min(1).max(300),
  language: z.string().min(2).max(8),
  sourceLanguage: z.string().min(2).max(8),
  sourcePublicationId: z.string(),
  /** the title was machine-translated from this language (absent: written from originals in `language`) */
  titleTranslatedFrom: z.string().min(2).max(8).optional(),
  sentences: z.array(CitedSentence).min(1).max(200),
});
export type TranslationPayload = z.infer<typeof TranslationPayload>;

export const SUMMARY_KIND = 'summary';
export const TRANSLATION_KIND = 'translation';

/**
 * How a sentence reaches a reader: quoted as written, a machine translation a facilitator approved (as is, or edited),
 * a person's translation, or (while no reviewed translation exists) the original in another language.
 */
export type SentenceOrigin = 'original' | 'machine-reviewed' | 'machine-post-edited' | 'human' | 'untranslated';

/** The language of each sentence of a stored body: its own, or the body's. */
export function sentenceLanguage(s: { language?: string }, fallback: string): string {
  return s.language ?? fallback;
}
