import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import { problemResponses } from '../../platform/http/openapi.js';
import * as svc from './service.js';
import { sendAnswersToTextMap } from './textmap.js';

const A = z.object({ assemblyId: z.string() });
const AS = z.object({ assemblyId: z.string(), surveyId: z.string() });
const Question = z.strictObject({
  key: z.string().max(40),
  kind: z.enum(['single', 'multiple', 'scale', 'text']),
  label: z.string().trim().min(1).max(500),
  choices: z.array(z.string().trim().min(1).max(200)).max(30).optional(),
  min: z.number().int().optional(),
  max: z.number().int().optional(),
});
const Survey = z.object({ id: z.string(), title: z.string(), phase: z.string() }).passthrough().openapi('Survey');
const Change = z.object({ pre: z.string(), post: z.string(), respondentsBoth: z.number(), questions: z.array(z.object({ key: z.string() }).passthrough()) }).openapi('SurveyChange');

export function surveyRoutes(deps: Deps) {
  const ctx = (c: { get(k: 'actor'): Parameters<typeof ctxFor>[1]; get(k: 'logger'): Parameters<typeof ctxFor>[2] }) => ctxFor(deps, c.get('actor'), c.get('logger'));
  return newRouter()
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/surveys', tags: ['surveys'], summary: 'Surveys of an assembly', middleware: [requireAction('participant.read')] as const, request: { params: A }, responses: json(z.array(Survey)) }),
      (c) => c.json(svc.listSurveys(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/surveys', tags: ['surveys'], summary: 'Create a pre or post questionnaire (questions matched across phases by key); open: false keeps it a draft members do not see', middleware: [requireAction('surveys.manage')] as const,
        request: { params: A, ...jsonBody(z.strictObject({ title: z.string().trim().min(1).max(200), phase: z.enum(['pre', 'post']), questions: z.array(Question).min(1).max(100), open: z.boolean().optional() })) },
        responses: created(Survey),
      }),
      (c) => c.json(svc.createSurvey(ctx(c), c.req.valid('param').assemblyId, c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/surveys/{surveyId}', tags: ['surveys'], summary: 'A survey and whether you have answered it', middleware: [requireAction('participant.read')] as const, request: { params: AS }, responses: json(Survey) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.getSurvey(ctx(c), p.assemblyId, p.surveyId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/surveys/{surveyId}/answers', tags: ['surveys'], summary: 'Answer a survey (once per member)', middleware: [requireAction('participant.write')] as const,
        request: { params: AS, ...jsonBody(z.strictObject({ answers: z.record(z.string(), z.unknown()) })) }, responses: json(z.object({ answered: z.boolean() })),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.answerSurvey(ctx(c), p.assemblyId, p.surveyId, c.req.valid('json').answers), 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/surveys/{surveyId}/open', tags: ['surveys'], summary: 'Open a draft survey to answers', middleware: [requireAction('surveys.manage')] as const, request: { params: AS }, responses: json(Survey) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.setSurveyStatus(ctx(c), p.assemblyId, p.surveyId, 'open'), 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/surveys/{surveyId}/close', tags: ['surveys'], summary: 'Close a survey: no more answers', middleware: [requireAction('surveys.manage')] as const, request: { params: AS }, responses: json(Survey) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.setSurveyStatus(ctx(c), p.assemblyId, p.surveyId, 'closed'), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/surveys/{surveyId}/questions/{questionKey}/text-map', tags: ['surveys'],
        summary: 'Send a free-text question\'s answers (no author) to the text-map pipeline as contributions of their own topic; the map is drafted for review (at least 5 answers)',
        middleware: [requireAction('surveys.manage')] as const, request: { params: AS.extend({ questionKey: z.string().max(40) }) },
        responses: { 202: { description: 'answers imported (only new ones) and the text map queued', content: { 'application/json': { schema: z.object({ topic: z.string(), answers: z.number(), imported: z.number(), jobId: z.string() }) } } }, ...problemResponses },
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(sendAnswersToTextMap(ctx(c), deps.jobs, p.assemblyId, p.surveyId, p.questionKey), 202);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/surveys/{surveyId}/change', tags: ['surveys'], summary: 'Opinion change from this pre survey to a post survey (?post=id): aggregates only', middleware: [requireAction('surveys.results')] as const,
        request: { params: AS, query: z.object({ post: z.string() }) }, responses: json(Change),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(svc.surveyChange(ctx(c), p.assemblyId, p.surveyId, c.req.valid('query').post), 200);
      },
    );
}
