import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import * as learn from './learning.js';
import { MATERIAL_KINDS } from './schema.js';

const A = z.object({ assemblyId: z.string() });
const AM = z.object({ assemblyId: z.string(), materialId: z.string() });
const AT = z.object({ assemblyId: z.string(), taskId: z.string() });
const AS = z.object({ assemblyId: z.string(), submissionId: z.string() });
const AQ = z.object({ assemblyId: z.string(), questionId: z.string() });
const Material = z.object({ id: z.string(), kind: z.enum(MATERIAL_KINDS), title: z.string(), url: z.string() }).passthrough().openapi('LearningMaterial');
const Question = z.object({ id: z.string(), text: z.string(), status: z.string(), supports: z.number(), supportedByMe: z.boolean() }).passthrough().openapi('ExpertQuestion');
const Any = z.object({}).passthrough();

export function learningRoutes(deps: Deps) {
  const manage = requireAction('assembly.manage');
  const read = requireAction('participant.read');
  const write = requireAction('participant.write');
  const ctx = (c: { get(k: 'actor'): Parameters<typeof ctxFor>[1]; get(k: 'logger'): Parameters<typeof ctxFor>[2] }) => ctxFor(deps, c.get('actor'), c.get('logger'));
  return newRouter()
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/learning/materials', tags: ['learning'], summary: 'Learning materials by phase, with my progress', middleware: [read] as const, request: { params: A }, responses: json(z.array(Material)) }),
      (c) => c.json(learn.listMaterials(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/learning/materials', tags: ['learning'], summary: 'Add a material (a video needs captions or a transcript)', middleware: [manage] as const,
        request: { params: A, ...jsonBody(z.strictObject({ kind: z.enum(MATERIAL_KINDS), title: z.string().trim().min(1).max(200), url: z.string().max(2000), captionsUrl: z.string().max(2000).nullable().optional(), transcript: z.string().max(200_000).nullable().optional(), language: z.string().regex(/^[a-z]{2,3}$/), minutes: z.number().int().min(1).max(600).nullable().optional(), phaseId: z.string().nullable().optional() })) },
        responses: created(Material),
      }),
      (c) => c.json(learn.createMaterial(ctx(c), c.req.valid('param').assemblyId, c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/learning/materials/{materialId}/progress', tags: ['participants'], summary: 'Record that I opened or finished a material', middleware: [write] as const, request: { params: AM, ...jsonBody(z.strictObject({ state: z.enum(['opened', 'finished']) })) }, responses: json(Any) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(learn.recordProgress(ctx(c), p.assemblyId, p.materialId, c.req.valid('json').state), 200);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/learning/progress', tags: ['learning'], summary: 'How many members opened and finished each material', middleware: [manage] as const, request: { params: A }, responses: json(z.array(Any)) }),
      (c) => c.json(learn.progressReport(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/learning/tasks', tags: ['learning'], summary: 'Learning tasks with my answer and the answers picked to share', middleware: [read] as const, request: { params: A }, responses: json(z.array(Any)) }),
      (c) => c.json(learn.listTasks(ctx(c), c.req.valid('param').assemblyId, false), 200),
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/learning/tasks', tags: ['learning'], summary: 'Add a learning task', middleware: [manage] as const, request: { params: A, ...jsonBody(z.strictObject({ prompt: z.string().trim().min(1).max(2000), phaseId: z.string().nullable().optional() })) }, responses: created(Any) }),
      (c) => c.json(learn.createTask(ctx(c), c.req.valid('param').assemblyId, c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/learning/tasks/{taskId}/submissions', tags: ['participants'], summary: 'Answer a learning task (once)', middleware: [write] as const, request: { params: AT, ...jsonBody(z.strictObject({ text: z.string().trim().min(1).max(5000) })) }, responses: created(Any) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(learn.submit(ctx(c), p.assemblyId, p.taskId, c.req.valid('json').text), 201);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/learning/submissions/{submissionId}/share', tags: ['learning'], summary: 'Pick (or unpick) a submission to share in the next group call', middleware: [manage] as const, request: { params: AS, ...jsonBody(z.strictObject({ shared: z.boolean() })) }, responses: json(Any) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(learn.shareSubmission(ctx(c), p.assemblyId, p.submissionId, c.req.valid('json').shared), 200);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/questions', tags: ['participants'], summary: 'Questions for the experts, with support counts (no names)', middleware: [read] as const, request: { params: A }, responses: json(z.array(Question)) }),
      (c) => c.json(learn.listQuestions(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/questions', tags: ['participants'], summary: 'Ask the experts a question', middleware: [write] as const, request: { params: A, ...jsonBody(z.strictObject({ text: z.string().trim().min(5).max(1000) })) }, responses: created(Any) }),
      (c) => c.json(learn.ask(ctx(c), c.req.valid('param').assemblyId, c.req.valid('json').text), 201),
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/questions/{questionId}/support', tags: ['participants'], summary: 'Support a question (once; 409 when already supported)', middleware: [write] as const, request: { params: AQ }, responses: json(Any) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(learn.support(ctx(c), p.assemblyId, p.questionId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/questions/slate', tags: ['learning'], summary: 'A fair slate of open questions: round-robin over the askers’ groups, most supported first within each group; each group’s share is returned. apply=true marks them selected.', middleware: [manage] as const,
        request: { params: A, ...jsonBody(z.strictObject({ size: z.number().int().min(1).max(100), apply: z.boolean().default(false) })) }, responses: json(Any),
      }),
      (c) => {
        const b = c.req.valid('json');
        return c.json(learn.slate(ctx(c), c.req.valid('param').assemblyId, b.size, b.apply), 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/questions/{questionId}/answer', tags: ['learning'], summary: 'Mark a question answered, with the answer as text or a link', middleware: [manage] as const, request: { params: AQ, ...jsonBody(z.strictObject({ answer: z.string().max(20_000).nullable().optional(), answerUrl: z.string().max(2000).nullable().optional() })) }, responses: json(Question) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(learn.answer(ctx(c), p.assemblyId, p.questionId, c.req.valid('json')), 200);
      },
    );
}
