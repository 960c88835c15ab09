import { z } from 'zod';
import { formatIssue, InfeasibleQuotasError, SortitionError, type SortitionIssue } from '../../../pipelines/sortition/index.js';
import { AppError, type ErrorCode } from '../../platform/errors.js';

export const ALGORITHMS = ['leximin', 'maximin'] as const;
export type ChosenAlgorithm = (typeof ALGORITHMS)[number];

/** volunteers per invitation letter (a household may register several people; at most one sits) */
export const MAX_REGISTRATIONS_PER_LETTER = 4;
/** LEGACY Monte-Carlo runs for the comparison baseline */
export const LEGACY_RUNS = 2000;
export const LOTTERY_TICKETS = 1000;
/**
 * LEXIMIN time limit the organiser may set per run (seconds). Past it the run fails with a message saying what to
 * relax (never a partial result). Default 600 s: the hard-pool benchmark (1,700 people, k = 110) is sized for it.
 */
export const DEFAULT_TIME_LIMIT_SECONDS = 600;
export const MIN_TIME_LIMIT_SECONDS = 1;
export const MAX_TIME_LIMIT_SECONDS = 7200;

export const QuotaRowInput = z.strictObject({
  category: z.string().trim().min(1).max(100),
  value: z.string().trim().min(1).max(100),
  min: z.number().int().min(0).max(10_000),
  max: z.number().int().min(0).max(10_000),
});

export const MappingInput = z.strictObject({
  id: z.string().min(1).nullable(),
  features: z.array(z.string().min(1)).min(1),
  address: z.array(z.string().min(1)).default([]),
  personal: z.array(z.string().min(1)).default([]),
});
export type MappingInput = z.infer<typeof MappingInput>;

const CODE_FOR: Record<string, { code: ErrorCode; where: string }> = {
  CSV_PARSE: { code: 'VALIDATION', where: 'csv' },
  MISSING_COLUMN: { code: 'VALIDATION', where: 'mapping' },
  BAD_QUOTA: { code: 'VALIDATION', where: 'quotas' },
  DUPLICATE_QUOTA: { code: 'VALIDATION', where: 'quotas' },
  QUOTA_SUM: { code: 'VALIDATION', where: 'quotas' },
  UNKNOWN_CATEGORY: { code: 'VALIDATION', where: 'quotas' },
  UNKNOWN_VALUE: { code: 'VALIDATION', where: 'quotas' },
  VALUE_OUTSIDE_QUOTAS: { code: 'VALIDATION', where: 'people' },
  EMPTY_POOL: { code: 'VALIDATION', where: 'people' },
  DUPLICATE_ID: { code: 'VALIDATION', where: 'people' },
  PANEL_TOO_LARGE: { code: 'VALIDATION', where: 'panelSize' },
  BAD_PANEL_SIZE: { code: 'VALIDATION', where: 'panelSize' },
  INFEASIBLE: { code: 'PRECONDITION_FAILED', where: 'quotas' },
  BAD_RECORD: { code: 'VALIDATION', where: 'record' },
  TIME_LIMIT: { code: 'PRECONDITION_FAILED', where: 'timeLimitSeconds' },
  STALLED: { code: 'INTERNAL', where: 'solver' },
};

function issuePath(file: string, i: SortitionIssue): string {
  const parts: string[] = [];
  if (i.line !== undefined) parts.push(`line ${i.line}`);
  if (i.personId !== undefined && i.line === undefined) parts.push(`person ${i.personId}`);
  if (i.category !== undefined) parts.push(`category ${i.category}${i.value !== undefined ? `=${i.value}` : ''}`);
  else if (i.column !== undefined) parts.push(`column ${i.column}`);
  return parts.length ? `${file} ${parts.join(', ')}` : file;
}

/**
 * A pipeline SortitionError as problem+json: 422 (412 when infeasible) with one `errors` entry per issue naming
 * the file and line (or category), `issues` as the pipeline gave them, and `sortitionCode`. `file` says which
 * upload the lines refer to. Issue texts name ids, columns, categories and quota values, never personal data.
 */
export function sortitionProblem(e: unknown, file?: string): AppError {
  if (!(e instanceof SortitionError)) return e instanceof AppError ? e : new AppError('INTERNAL', 'Selection failed.');
  const m = CODE_FOR[e.code] ?? { code: 'VALIDATION' as ErrorCode, where: 'input' };
  const where = file ?? m.where;
  const errors = e.issues.length > 0 ? e.issues.map((i) => ({ path: issuePath(where, i), message: i.message })) : [{ path: where, message: e.message }];
  const extra: Record<string, unknown> = { errors, issues: e.issues, sortitionCode: e.code };
  if (e instanceof InfeasibleQuotasError) extra.relaxations = e.relaxations;
  return new AppError(m.code, e.message, extra);
}

export { formatIssue };
