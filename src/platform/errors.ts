/**
 * One error type for the whole service. `onError` in app.ts maps it to application/problem+json (RFC 9457).
 */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'GONE'
  | 'VALIDATION'
  | 'PRECONDITION_FAILED'
  | 'TOO_LARGE'
  | 'UNSUPPORTED_MEDIA'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export const STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  GONE: 410,
  VALIDATION: 422,
  PRECONDITION_FAILED: 412,
  TOO_LARGE: 413,
  UNSUPPORTED_MEDIA: 415,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

const TITLES: Record<ErrorCode, string> = {
  BAD_REQUEST: 'Bad request',
  UNAUTHENTICATED: 'Sign-in required',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  CONFLICT: 'Conflict',
  GONE: 'Gone',
  VALIDATION: 'Invalid input',
  PRECONDITION_FAILED: 'Precondition failed',
  TOO_LARGE: 'Request too large',
  UNSUPPORTED_MEDIA: 'Unsupported content type',
  RATE_LIMITED: 'Too many requests',
  UNAVAILABLE: 'Temporarily unavailable',
  INTERNAL: 'Internal error',
};

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; transient?: boolean; [k: string]: unknown } = {},
  ) {
    super(detail);
    this.name = 'AppError';
    this.status = STATUS[code];
  }
  get title(): string {
    return TITLES[this.code];
  }
  get transient(): boolean {
    return this.extra.transient === true || this.code === 'UNAVAILABLE';
  }
}

export const notFound = (what: string, id?: string | number) =>
  new AppError('NOT_FOUND', id === undefined ? `${what} not found.` : `${what} '${id}' does not exist.`);
export const forbidden = (detail = 'Your role does not allow this action.') => new AppError('FORBIDDEN', detail);
export const conflict = (detail: string) => new AppError('CONFLICT', detail);
export const invalid = (detail: string, errors?: FieldError[]) => new AppError('VALIDATION', detail, errors ? { errors } : {});

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: ErrorCode;
  requestId?: string;
  errors?: FieldError[];
  [k: string]: unknown;
}

/**
 * The detail in the reader's language: an error may carry `extra.detailFr`, its detail written in French, which
 * French readers get instead of the English sentence (problem+json and error pages).
 */
export function localDetail(err: AppError, lang: string | undefined): string | null {
  if (lang === 'fr') return typeof err.extra.detailFr === 'string' ? err.extra.detailFr : null;
  return err.detail;
}

export function toProblem(err: AppError, instance?: string, requestId?: string, lang?: string): Problem {
  const { transient: _t, detailFr: _f, ...rest } = err.extra;
  return {
    type: `https://plenary.dev/problems/${err.code.toLowerCase().replace(/_/g, '-')}`,
    title: err.title,
    status: err.status,
    detail: localDetail(err, lang) ?? err.detail,
    ...(instance ? { instance } : {}),
    code: err.code,
    ...(requestId ? { requestId } : {}),
    ...rest,
  };
}
