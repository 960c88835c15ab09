/**
 * Types shared by the sortition pipeline: pools, quotas, distributions over panels, errors.
 * Everything here is plain data, so the service can serialise it (JSON) and call the pure functions.
 */

/** Algorithm version recorded in every draw; bump when anything that changes a result changes. */
export const SORTITION_VERSION = 'plenary-sortition/1.0.0';

/** One pool member as the algorithms see it: no personal data, only features and a household group. */
export interface Person {
  id: string;
  /** category → value, for every quota category */
  features: Record<string, string>;
  /**
   * Opaque household key (a hash of the normalised address columns), or undefined when the person has no
   * address. At most one member per household may sit on a panel.
   */
  household?: string;
  /** 1-based line in the source CSV (for error messages), when the person came from a CSV */
  line?: number;
}

export interface Pool {
  people: Person[];
  /** quota categories, in the order they appear in the quotas file */
  categories: string[];
}

export interface Quota {
  category: string;
  value: string;
  min: number;
  max: number;
  /** 1-based line in the source CSV, when read from one */
  line?: number;
}

export interface Quotas {
  /** quota rows; (category, value) pairs are unique */
  rows: Quota[];
}

export type Algorithm = 'leximin' | 'maximin' | 'legacy';

/**
 * A probability distribution over panels, compressed: people are partitioned into groups of interchangeable
 * members (same features, no housemate in the pool; a group of one otherwise). A panel says how many seats each
 * group gets; the seated members of a group are a uniformly random subset of it. Every panel satisfies the quotas
 * whichever members are seated. With `compress: false` every group has one member.
 */
export interface PanelDistribution {
  /** groups of person ids */
  groups: string[][];
  /** each panel: [group index, seats] pairs, group ascending */
  panels: Array<Array<[number, number]>>;
  /** probability of each panel; sums to 1 */
  weights: number[];
}

export interface SelectionResult {
  algorithm: Algorithm;
  panelSize: number;
  /** id → selection probability (sums to the panel size) */
  probabilities: Record<string, number>;
  /**
   * Distribution over feasible panels whose marginals are `probabilities` (LEXIMIN and maximin; for LEGACY the
   * empirical distribution of the Monte-Carlo panels, groups of one).
   */
  distribution: PanelDistribution;
  provenance: SelectionProvenance;
  /** diagnostics: column generation rounds, MILP calls, seconds … */
  stats: Record<string, number>;
}

export interface SelectionProvenance {
  stage: string;
  version: string;
  algorithm: Algorithm;
  params: Record<string, unknown>;
  seed: string | null;
  /** sha256 of the canonical pool + quotas + panel size (see poolHash) */
  inputHash: string;
  solver: string;
}

export type SortitionErrorCode =
  | 'CSV_PARSE'
  | 'MISSING_COLUMN'
  | 'BAD_QUOTA'
  | 'DUPLICATE_QUOTA'
  | 'QUOTA_SUM'
  | 'UNKNOWN_CATEGORY'
  | 'UNKNOWN_VALUE'
  | 'VALUE_OUTSIDE_QUOTAS'
  | 'EMPTY_POOL'
  | 'DUPLICATE_ID'
  | 'PANEL_TOO_LARGE'
  | 'BAD_PANEL_SIZE'
  | 'INFEASIBLE'
  | 'BAD_RECORD'
  /** LEXIMIN did not finish within the organiser's time limit */
  | 'TIME_LIMIT'
  /** a LEXIMIN level could not be closed (numerical stall) */
  | 'STALLED';

export interface SortitionIssue {
  /** 1-based CSV line, when known */
  line?: number;
  column?: string;
  category?: string;
  value?: string;
  personId?: string;
  message: string;
}

/** Every bad-input condition is one of these: a code the service can map, and issues naming rows/categories. */
export class SortitionError extends Error {
  readonly code: SortitionErrorCode;
  readonly issues: SortitionIssue[];
  constructor(code: SortitionErrorCode, message: string, issues: SortitionIssue[] = []) {
    const detail = issues.length > 0 ? `${message}: ${issues.slice(0, 5).map(formatIssue).join('; ')}${issues.length > 5 ? `; … (${issues.length - 5} more)` : ''}` : message;
    super(detail);
    this.name = 'SortitionError';
    this.code = code;
    this.issues = issues;
  }
}

export function formatIssue(issue: SortitionIssue): string {
  const where: string[] = [];
  if (issue.line !== undefined) where.push(`line ${issue.line}`);
  if (issue.personId !== undefined) where.push(`person ${issue.personId}`);
  if (issue.category !== undefined) where.push(issue.value !== undefined ? `${issue.category}=${issue.value}` : `category ${issue.category}`);
  if (issue.column !== undefined && issue.category === undefined) where.push(`column ${issue.column}`);
  return where.length > 0 ? `${where.join(', ')}: ${issue.message}` : issue.message;
}

/** A proposed change to one quota row that makes the quotas feasible. */
export interface QuotaRelaxation {
  category: string;
  value: string;
  min: number;
  max: number;
  newMin: number;
  newMax: number;
}

/** Thrown when the quotas pass validation but no panel satisfies them; carries the smallest relaxation found. */
export class InfeasibleQuotasError extends SortitionError {
  readonly relaxations: QuotaRelaxation[];
  constructor(message: string, relaxations: QuotaRelaxation[], issues: SortitionIssue[] = []) {
    super('INFEASIBLE', message, issues);
    this.name = 'InfeasibleQuotasError';
    this.relaxations = relaxations;
  }
}
