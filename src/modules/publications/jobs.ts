import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { sha256 } from '../../platform/ids.js';
import { TRANSLATION_KIND } from './domain.js';
import { publicationsRepo } from './repo.js';
import { TRANSLATE_JOB } from './service.js';

/** Machine-translates an approved publication into another assembly language; the result is a review item. */
export function registerPublicationJobs(deps: Deps) {
  deps.jobs.register(TRANSLATE_JOB, {
    payload: z.object({ publicationId: z.string(), to: z.string() }),
    maxAttempts: 3,
    async handler(ctx) {
      const pub = publicationsRepo.byId(ctx.db, ctx.job.payload.publicationId);
      if (!pub) throw new AppError('NOT_FOUND', `Publication ${ctx.job.payload.publicationId} no longer exists.`);
      const body = pub.body as { sentences: { text: string; sourceIds: string[] }[] };
      ctx.progress(0.1, 'loading the translator');
      const translator = await deps.models.get('translator');
      const from = pub.language;
      const to = ctx.job.payload.to;
      if (!translator.pairs.some(([a, b]) => a === from && b === to)) {
        throw new AppError('PRECONDITION_FAILED', `No installed translator goes from ${from} to ${to}.`);
      }
      ctx.progress(0.3, `translating ${body.sentences.length} sentences`);
      const res = await translator.translate([pub.title, ...body.sentences.map((s) => s.text)], from, to);
      const [title, ...texts] = res.output;
      ctx.progress(0.9, 'submitting for review');
      return ctx.complete((tx) =>
        deps.review.submit(tx, {
          assemblyId: pub.assemblyId,
          kind: TRANSLATION_KIND,
          // one draft per target language: a draft supersedes only an older draft into the same language
          subject: `${pub.subject}@${to}`,
          title: `${title} (${to})`,
          payload: { title, language: to, sourceLanguage: from, sourcePublicationId: pub.id, sentences: body.sentences.map((s, i) => ({ text: texts[i], sourceIds: s.sourceIds })) },
          sources: [{ type: 'publication', id: pub.id, language: from, title: pub.title, sentences: body.sentences.map((s) => s.text) }],
          provenance: {
            stage: 'publications.translate',
            version: '1',
            modelIds: [res.provenance.modelId],
            weightsSha256: [res.provenance.weightsSha256],
            params: { from, to, backend: res.provenance.backend, ...res.provenance.params },
            seed: null,
            inputHash: sha256(JSON.stringify(body.sentences)),
          },
          jobId: ctx.job.id,
        }).id,
      );
    },
  });
}

export const SUMMARIZE_JOB = 'publications.summarize';

/**
 * Drafts an extractive summary of a set of contributions through the Summarizer registry; every sentence cites
 * the contributions it came from. The draft goes to review; nothing is published here.
 */
export function registerSummarizeJob(deps: Deps) {
  deps.jobs.register(SUMMARIZE_JOB, {
    payload: z.object({
      subject: z.string().min(1),
      title: z.string().min(1),
      language: z.string().min(2),
      maxSentences: z.number().int().min(1).max(50).default(5),
      docs: z.array(z.object({ id: z.string(), text: z.string().min(1) })).min(1).max(20_000),
    }),
    maxAttempts: 3,
    async handler(ctx) {
      const p = ctx.job.payload;
      if (!ctx.job.assemblyId) throw new AppError('VALIDATION', 'A summary job needs an assembly.');
      const assemblyId = ctx.job.assemblyId;
      ctx.progress(0.05, 'loading the summarizer');
      const summarizer = await deps.models.get('summarizer');
      ctx.progress(0.2, `summarising ${p.docs.length} contributions`);
      const res = await summarizer.summarize(p.docs, { maxSentences: p.maxSentences, language: p.language });
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const known = new Set(p.docs.map((d) => d.id));
      const sentences = res.output.filter((s) => s.sourceIds.length > 0 && s.sourceIds.every((id) => known.has(id)));
      if (sentences.length === 0) throw new AppError('PRECONDITION_FAILED', 'The summarizer returned no sentence with valid citations.');
      ctx.progress(0.9, 'submitting for review');
      return ctx.complete((tx) =>
        deps.review.submit(tx, {
          assemblyId,
          kind: 'summary',
          subject: p.subject,
          title: p.title,
          payload: { title: p.title, language: p.language, sentences: sentences.map((s) => ({ text: s.text, sourceIds: s.sourceIds })) },
          sources: p.docs.map((d) => ({ type: 'contribution', id: d.id, text: d.text })),
          provenance: {
            stage: 'publications.summarize',
            version: '1',
            modelIds: [res.provenance.modelId],
            weightsSha256: [res.provenance.weightsSha256],
            params: { backend: res.provenance.backend, maxSentences: p.maxSentences, ...res.provenance.params },
            seed: null,
            inputHash: sha256(JSON.stringify(p.docs)),
          },
          jobId: ctx.job.id,
        }).id,
      );
    },
  });
}
