import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { z as zt } from 'zod';
import { AppError } from '../errors.js';
import type { AppEnv } from './types.js';

/**
 * Validation failures become 422 problem+json naming each field path. Request bodies use strict objects, so
 * unknown fields are named too.
 */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const errors = (result.error as zt.ZodError).issues.flatMap((i) => {
          const base = i.path.map(String).join('.');
          if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: base ? `${base}.${k}` : k, message: 'Unknown field' }));
          return [{ path: base || '(body)', message: i.message }];
        });
        const where = (result as { target?: string }).target;
        throw new AppError('VALIDATION', `The request ${where === 'query' ? 'query' : where === 'param' ? 'path' : 'body'} is not valid: ${errors.map((e) => `${e.path} (${e.message})`).join('; ')}.`, { errors });
      }
    },
  });
}

export type Router = ReturnType<typeof newRouter>;

export const jsonBody = <T extends zt.ZodType>(schema: T, description?: string) => ({
  body: { required: true, description, content: { 'application/json': { schema } } },
});

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    instance: z.string().optional(),
    code: z.string(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const problemResponses = {
  400: { description: 'Malformed request', content: { 'application/problem+json': { schema: ProblemSchema } } },
  401: { description: 'Sign-in required', content: { 'application/problem+json': { schema: ProblemSchema } } },
  403: { description: 'Not allowed', content: { 'application/problem+json': { schema: ProblemSchema } } },
  404: { description: 'Not found', content: { 'application/problem+json': { schema: ProblemSchema } } },
  422: { description: 'Invalid input', content: { 'application/problem+json': { schema: ProblemSchema } } },
} as const;

export const json = <T extends zt.ZodType>(schema: T, description = 'OK') => ({
  200: { description, content: { 'application/json': { schema } } },
  ...problemResponses,
});

export const created = <T extends zt.ZodType>(schema: T, description = 'Created') => ({
  201: { description, content: { 'application/json': { schema } } },
  ...problemResponses,
});
