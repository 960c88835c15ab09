import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, toProblem, type ErrorCode } from '../errors.js';
import type { AppEnv } from './types.js';

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA',
  422: 'VALIDATION',
  429: 'RATE_LIMITED',
};

const FRIENDLY: Partial<Record<ErrorCode, string>> = {
  BAD_REQUEST: 'The request body is not valid JSON.',
  UNSUPPORTED_MEDIA: 'Send this request with Content-Type: application/json.',
  TOO_LARGE: 'The request body is larger than this server accepts.',
};

/** The one error mapper: every failure leaves as application/problem+json. Unknown errors become 500 without a stack. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    const code = BY_STATUS[err.status] ?? (err.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
    const msg = err.message && !/^(Malformed JSON|Unsupported Media Type|Payload Too Large)/i.test(err.message) ? err.message : FRIENDLY[code] ?? err.message;
    return new AppError(code, msg || 'Request failed.');
  }
  const e = err as { name?: string; code?: string; message?: string };
  if (e?.name === 'ModelError' && e.code === 'MISSING_BACKEND') return new AppError('UNAVAILABLE', e.message ?? 'A model backend is missing.', { fix: (err as { fix?: string }).fix });
  if (e?.name === 'ModelError' && e.code === 'UNSUPPORTED_LANGUAGE') return new AppError('VALIDATION', e.message ?? 'Unsupported language.');
  if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT')) return new AppError('CONFLICT', 'This would duplicate or orphan existing data.');
  if (typeof e?.code === 'string' && e.code === 'SQLITE_BUSY') return new AppError('UNAVAILABLE', 'The database is busy; try again.', { transient: true });
  return new AppError('INTERNAL', 'Something went wrong on our side. The error was logged with this request id.');
}

export function problemResponse(c: Context<AppEnv>, err: unknown): Response {
  const app = toAppError(err);
  const requestId = c.get('requestId');
  if (app.code === 'INTERNAL') c.get('logger')?.error({ err, requestId }, 'unhandled error');
  else c.get('logger')?.debug({ code: app.code, requestId }, app.detail);
  const body = toProblem(app, new URL(c.req.url).pathname, requestId, c.get('lang'));
  return new Response(JSON.stringify(body), { status: app.status, headers: { 'content-type': 'application/problem+json; charset=utf-8', ...(c.res?.headers.get('retry-after') ? { 'retry-after': c.res.headers.get('retry-after')! } : {}) } });
}
