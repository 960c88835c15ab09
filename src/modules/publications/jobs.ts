import { z } from 'zod';
import type { Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { sha256 } from '../../platform/ids.js';
import { TRANSLATION_KIND } from './domain.js';
import { publicationsRepo } from './repo.js';
import { TRANSLATE_JOB, type StoredBody } from './service.js';
import { buildMemory, translateWithMemory } from '../../../pipelines/translation/memory.js';
import { reviewedTranslationPairs } from './memory.js';

/** Machine-translates an approved publication into another assembly language; the result is a review item. */
export function registerPublicationJobs(deps: Deps) {
  deps.jobs.register(TRANSLATE_JOB, {
    payload: z.object({ publicationId: z.string(), to: z.string() }),
    maxAttempts: 3,
    async handler(ctx) {
      const pub = publicationsRepo.byId(ctx.db, ctx.job.payload.publicationId);
      if (!pub) throw new AppError('NOT_FOUND', `Publication ${ctx.job.payload.publicationId} no longer exists.`);
      const body = pub.body as StoredBody;
      const from = pub.language;
      const to = ctx.job.payload.to;
      // only what is not already written in the target language is translated; the rest is quoted as written
      const langOf = body.sentences.map((x) => x.language ?? from);
      const ownTitle = from === to ? pub.title : body.titles?.[to];
      const todo = new Map<string, number[]>();
      langOf.forEach((l, i) => l !== to && (todo.get(l) ?? todo.set(l, []).get(l)!).push(i));
      if (ownTitle === undefined) todo.set(from, [-1, ...(todo.get(from) ?? [])]);
      if (todo.size === 0) return ctx.complete(() => ({ skipped: `every sentence is already in ${to}` }));
      ctx.progress(0.1, 'loading the translator');
      const translator = await deps.models.get('translator');
      const missing = [...todo.keys()].filter((l) => !translator.pairs.some(([a, b]) => a === l && b === to));
      if (missing.length) throw new AppError('PRECONDITION_FAILED', `No installed translator goes from ${missing.join(', ')} to ${to}.`);
      const texts: string[] = body.sentences.map((x) => x.text);
      let title = ownTitle ?? pub.title;
      const translatedFrom: Array<string | undefined> = langOf.map(() => undefined);
      const results: Array<Awaited<ReturnType<typeof translator.translate>>> = [];
      // a facilitator's reviewed translation of the same sentence (exact, or differing only in its numbers) is reused
      const memory = buildMemory(reviewedTranslationPairs(ctx.db, pub.assemblyId));
      let memoryHits = 0;
      let done = 0;
      for (const [l, idx] of todo) {
        ctx.progress(0.2 + (0.7 * done) / body.sentences.length, `translating ${idx.length} sentences from ${l}`);
        const res = await translateWithMemory(idx.map((i) => (i < 0 ? pub.title : texts[i])), l, to, memory, async (rest) => {
          const r = await translator.translate(rest, l, to);
          results.push(r);
          return r.output;
        });
        memoryHits += res.fromMemory.length;
        idx.forEach((i, q) => {
          if (i < 0) title = res.output[q];
          else {
            texts[i] = res.output[q];
            translatedFrom[i] = l;
          }
        });
        done += idx.length;
      }
      const provenance = results[0]?.provenance ?? translator.provenance;
      ctx.progress(0.9, 'submitting for review');
      return ctx.complete((tx) =>
        deps.review.submit(tx, {
          assemblyId: pub.assemblyId,
          kind: TRANSLATION_KIND,
          // one draft per target language: a draft supersedes only an older draft into the same language
          subject: `${pub.subject}@${to}`,
          title: `${title} (${to})`,
          payload: {
            title,
            language: to,
            sourceLanguage: from,
            sourcePublicationId: pub.id,
            ...(ownTitle === undefined ? { titleTranslatedFrom: from } : {}),
            sentences: body.sentences.map((s, i) => ({ text: texts[i], sourceIds: s.sourceIds, ...(translatedFrom[i] ? { translatedFrom: translatedFrom[i] } : {}) })),
          },
          sources: [{ type: 'publication', id: pub.id, language: from, title: pub.title, sentences: body.sentences.map((s) => s.text), languages: langOf }],
          provenance: {
            stage: 'publications.translate',
            version: '2',
            modelIds: [provenance.modelId],
            weightsSha256: [provenance.weightsSha256],
            params: { from: [...todo.keys()], to, backend: provenance.backend, quoted: translatedFrom.filter((x) => !x).length, translationMemory: { entries: memory.size, hits: memoryHits }, ...provenance.params },
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
