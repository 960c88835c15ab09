import { z } from 'zod';

/** A sentence of published text, citing the contributions (or other sources) it stands for. */
export const CitedSentence = z.strictObject({
  text: z.string().trim().min(1).max(5000),
  sourceIds: z.array(z.string()).default([]),
});

/** An AI-drafted summary (extractive or abstractive) awaiting review. */
export const SummaryPayload = z.strictObject({
  title: z.string().trim().min(1).max(300),
  language: z.string().min(2).max(8),
  sentences: z.array(CitedSentence).min(1).max(200),
});
export type SummaryPayload = z.infer<typeof SummaryPayload>;

/** A machine translation of an approved publication; itself reviewed before participants see it. */
export const TranslationPayload = z.strictObject({
  title: z.string().trim().min(1).max(300),
  language: z.string().min(2).max(8),
  sourceLanguage: z.string().min(2).max(8),
  sourcePublicationId: z.string(),
  sentences: z.array(CitedSentence).min(1).max(200),
});
export type TranslationPayload = z.infer<typeof TranslationPayload>;

export const SUMMARY_KIND = 'summary';
export const TRANSLATION_KIND = 'translation';
