/**
 * A free-text question's answers through the existing text-map pipeline (contributions module), review-gated.
 *
 * The answers become contributions of their own topic ("<survey> — <question>"), imported through the contributions
 * module's own import (near-duplicates, language detection) with no author: an answer's id is its survey, question
 * and position (survey-<id>-<key>-<n>), never the member. Sending again imports only the answers that came since,
 * then queues the same text-map job; its draft lands in the review queue as a 'text-map' of that topic and is read on
 * the same desk. Fewer than MIN_GROUP answers are refused (the map quotes answers, in the members' own words).
 */
import type { Ctx } from '../../platform/context.js';
import { localised } from '../../platform/errors.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import { contributionsRepo } from '../contributions/repo.js';
import { importContributions, requestMap } from '../contributions/service.js';
import { MIN_GROUP } from './domain.js';
import { surveysRepo } from './repo.js';
import { getSurvey } from './service.js';

export const textMapTopic = (title: string, label: string) => `${title} — ${label}`.slice(0, 200);

export function sendAnswersToTextMap(ctx: Ctx, jobs: Pick<JobQueue, 'enqueue' | 'list'>, assemblyId: string, surveyId: string, key: string) {
  const v = getSurvey(ctx, assemblyId, surveyId);
  const q = v.questions.find((x) => x.key === key);
  if (!q) throw localised('NOT_FOUND', `"${key}" is not a question of this survey.`, 'surveys.err.unknownQuestion', { key });
  if (q.kind !== 'text') throw localised('VALIDATION', `“${q.label}” is not a free-text question: only free-text answers go to the text map.`, 'surveys.err.notText', { label: q.label });
  // a stable order that says nothing about who answered: time of answer, then an arbitrary tie-break
  const answers = surveysRepo
    .responses(ctx.db, surveyId)
    .map((r) => ({ at: r.createdAt, uid: r.userId, text: typeof r.answers[key] === 'string' ? (r.answers[key] as string).trim() : '' }))
    .filter((a) => a.text.length > 0)
    .sort((a, b) => a.at.localeCompare(b.at) || a.uid.localeCompare(b.uid));
  if (answers.length < MIN_GROUP) {
    throw localised('PRECONDITION_FAILED', `Only ${answers.length} member(s) answered “${q.label}”; the text map needs at least ${MIN_GROUP} answers.`, 'surveys.err.fewText', { n: answers.length, label: q.label, min: MIN_GROUP });
  }
  const topic = textMapTopic(v.title, q.label);
  const ids = answers.map((_, i) => `survey-${surveyId}-${key}-${i + 1}`);
  const already = new Set(contributionsRepo.existingExternalIds(ctx.db, assemblyId, ids.map((id) => `jsonl:${id}`)));
  const fresh = answers.flatMap((a, i) => (already.has(`jsonl:${ids[i]}`) ? [] : [JSON.stringify({ id: ids[i], text: a.text })]));
  const imported = fresh.length ? importContributions(ctx, jobs, assemblyId, { format: 'jsonl', content: new TextEncoder().encode(fresh.join('\n') + '\n'), filename: `survey-${surveyId}-${key}.jsonl`, columns: { text: 'text', id: 'id' }, topic }).imported : 0;
  const job = requestMap(ctx, jobs, assemblyId, { topic });
  return { topic, answers: answers.length, imported, jobId: job.id };
}
